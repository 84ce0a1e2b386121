"""The money trail: grants to households, the allocations of donations to what they pay for,
and what was paid of each grant.

Allocation lives here rather than beside Donation in outreach: it points at distributions, assets
and grants, and outreach must not know this app (DESIGN.md's dependency direction).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models.activity import Activity
from activities.models.asset import Asset
from activities.models.distribution import Distribution
from core.fields import EventDateField, MoneyField
from core.models import TimeStamped, audit_user, history_field
from households.models import Household
from outreach.models import Donation, Partnership, Village


class Grant(TimeStamped):
    """Money given for one household's purpose, such as building a house."""

    class Purpose(models.TextChoices):
        HOUSE_BUILDING = "house_building", _("House building")
        HOUSE_REPAIR = "house_repair", _("House repair")
        LIVELIHOOD = "livelihood", _("Livelihood")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        OTHER = "other", _("Other")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.PROTECT, related_name="grants"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="grants"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="grants"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grants",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount_vnd = MoneyField(_("amount (VND)"))
    approved_on = EventDateField(_("approved on"))
    completed_on = EventDateField(_("completed on"), null=True, blank=True)

    history = history_field()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-approved_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "approved_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gte=0),
                name="grant_amount_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=models.F("approved_on")),
                name="grant_completed_after_approved",
                violation_error_message=_("A grant cannot be completed before it was approved."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.household.code}"


class Allocation(TimeStamped):
    """Part of a donation assigned to a distribution, an asset purchase or a grant.

    The allocations of a donation never add up to more than it: activities.services checks this
    with the donation row locked.
    """

    donation = models.ForeignKey(
        Donation, verbose_name=_("donation"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount_vnd = MoneyField(_("amount (VND)"))
    # What went back to the donation when the distribution closed without delivering it all:
    # the donation's balance counts ``amount_vnd - returned_vnd`` (``NET``) as spent.
    returned_vnd = MoneyField(_("returned to the donation (VND)"), default=0)
    allocated_on = EventDateField(_("allocated on"))
    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = audit_user(_("recorded by"))

    history = history_field()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["donation_id", "allocated_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0),
                name="allocation_amount_positive",
                violation_error_message=_("An allocation must be more than 0 ₫."),
            ),
            models.CheckConstraint(
                condition=Q(returned_vnd__lte=models.F("amount_vnd")),
                name="allocation_returned_within_amount",
                violation_error_message=_("An allocation cannot return more than it was."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(distribution__isnull=False, asset__isnull=True, grant__isnull=True)
                    | Q(distribution__isnull=True, asset__isnull=False, grant__isnull=True)
                    | Q(distribution__isnull=True, asset__isnull=True, grant__isnull=False)
                ),
                name="allocation_exactly_one_target",
                violation_error_message=_(
                    "An allocation goes to exactly one distribution, asset or grant."
                ),
            ),
        ]

    def __str__(self) -> str:
        from core.money import format_vnd

        return f"{self.donation.partner} → {self.target} · {format_vnd(self.amount_vnd)}"

    @property
    def target(self):
        return self.distribution or self.asset or self.grant

    @property
    def net_vnd(self) -> int:
        """What the allocation still holds of its donation (its amount less what was returned)."""
        return self.amount_vnd - self.returned_vnd


def allocation_net(prefix: str = "") -> models.Expression:
    """What allocations hold of their donations, as an expression: ``Sum(allocation_net())``;
    ``prefix`` reaches them through a relation (``"allocations__"``)."""
    return models.F(f"{prefix}amount_vnd") - models.F(f"{prefix}returned_vnd")


class GrantPayment(TimeStamped):
    """Money of a grant paid out to its household: a grant is delivered as far as it is paid."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = EventDateField(_("paid on"))
    amount_vnd = MoneyField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = audit_user(_("recorded by"))

    history = history_field()

    class Meta:
        verbose_name = _("grant payment")
        verbose_name_plural = _("grant payments")
        ordering = ["grant_id", "paid_on", "pk"]
        indexes = [models.Index(fields=["grant", "paid_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0),
                name="grant_payment_amount_positive",
                violation_error_message=_("A payment must be more than 0 ₫."),
            ),
        ]

    def __str__(self) -> str:
        from core.money import format_vnd

        return f"{self.grant} · {self.paid_on:%d/%m/%Y} · {format_vnd(self.amount_vnd)}"
