"""Distributions and their receipts: what households signed for, and the rounds that re-check
them at the door."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models.activity import Activity
from core.codes import new_code
from core.fields import EventDateField, MoneyField
from core.models import TimeStamped, audit_user, history_field
from households.models import Household
from outreach.models import Partnership, Village


class Distribution(TimeStamped):
    """A handing-out of items (gifts, goods) to households, signed off one receipt at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        DISTRIBUTING = "distributing", _("Distributing")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="distributions",
    )
    title = models.CharField(_("title"), max_length=255)
    distributed_on = EventDateField(_("date"))
    item_description = models.CharField(_("items"), max_length=255)
    value_per_item_vnd = MoneyField(_("value per item (VND)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Printed on the sign-off sheet; anyone can check it on the public verification page.
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    created_by = audit_user(_("created by"))

    history = history_field()

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-distributed_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "distributed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_per_item_vnd__gte=0),
                name="distribution_value_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.distributed_on:%d/%m/%Y})"

    @property
    def accepts_confirmation(self) -> bool:
        """Whether receipts of this distribution may be confirmed now (see ``CONFIRMABLE``)."""
        return self.status in CONFIRMABLE

    @property
    def accepts_recipients(self) -> bool:
        """Whether recipients may still be chosen by criteria (see ``CHOOSING``)."""
        return self.status in CHOOSING


# The statuses in which a distribution's receipts are confirmed (the sheet is out, not closed):
# one list for the services, the views and the templates (``accepts_confirmation``).
CONFIRMABLE = (Distribution.Status.APPROVED, Distribution.Status.DISTRIBUTING)
# The statuses in which recipients are chosen by criteria (the sheet is printed once approved).
CHOOSING = (Distribution.Status.DRAFT, Distribution.Status.APPROVED)


class Receipt(TimeStamped):
    """What one household received in one distribution.

    Delivered when, and only when, ``confirmed_at`` is set. A receipt that will not be delivered
    (the household was not at home, moved away…) is marked so, with a reason, before the
    distribution closes: its value then goes back to the donations that funded it.
    """

    class NotDelivered(models.TextChoices):
        NOT_HOME = "not_home", _("Not at home")
        MOVED = "moved", _("Moved away")
        REFUSED = "refused", _("Refused")
        DIED = "died", _("Died")
        OTHER = "other", _("Other")

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="receipts"
    )
    # Where the household lived when it received: the record keeps the place it was made in.
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="receipts"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    value_vnd = MoneyField(_("value (VND)"))
    confirmed_by = audit_user(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    signature = models.ImageField(_("signature photo"), upload_to="signatures/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    not_delivered_reason = models.CharField(
        _("not delivered because"), max_length=20, choices=NotDelivered.choices, blank=True
    )
    not_delivered_note = models.CharField(_("what happened"), max_length=255, blank=True)
    not_delivered_at = models.DateTimeField(_("marked not delivered at"), null=True, blank=True)
    not_delivered_by = audit_user(_("marked not delivered by"))
    # Printed (with a QR code) on the sign-off sheet's line; opens this receipt.
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )

    history = history_field()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["distribution_id", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "household"],
                name="receipt_one_per_household_per_distribution",
                violation_error_message=_("This household is already listed in this distribution."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="receipt_quantity_positive",
                violation_error_message=_("The quantity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(value_vnd__gte=0),
                name="receipt_value_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(not_delivered_reason=""),
                name="receipt_confirmed_or_not_delivered",
                violation_error_message=_(
                    "A receipt cannot be both confirmed and marked not delivered."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["household", "distribution"]),
            models.Index(fields=["village", "distribution"]),
            # Few receipts have a signature photo; it is found by name when served.
            models.Index(
                fields=["signature"], name="receipt_signature_idx", condition=~Q(signature="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.distribution.title} → {self.household.code}"

    @property
    def delivered(self) -> bool:
        return self.confirmed_at is not None


class VerificationRound(TimeStamped):
    """After a distribution closes, a sample (or all) of its receipts re-checked at the door."""

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        on_delete=models.PROTECT,
        related_name="verification_rounds",
    )
    started_by = audit_user(_("started by"))
    # Percentage of the receipts drawn at random (100: every receipt).
    sample_percent = models.PositiveSmallIntegerField(_("share checked (%)"), default=100)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = history_field()

    class Meta:
        verbose_name = _("verification round")
        verbose_name_plural = _("verification rounds")
        ordering = ["distribution_id", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_percent__gte=1) & Q(sample_percent__lte=100),
                name="verification_sample_percent_range",
                violation_error_message=_("The share to check is between 1 and 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.distribution.title} · {self.created_at:%d/%m/%Y}"


class Verification(TimeStamped):
    """One receipt of a round, re-checked by a cadre visiting the household."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet checked")
        RECEIVED = "received", _("Received")
        NOT_RECEIVED = "not_received", _("Not received")
        PROBLEM = "problem", _("Received, with a problem")

    round = models.ForeignKey(
        VerificationRound,
        verbose_name=_("verification round"),
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    receipt = models.ForeignKey(
        Receipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="verifications"
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    verified_by = audit_user(_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    history = history_field()

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["round_id", "receipt_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "receipt"],
                name="verification_one_per_receipt_per_round",
                violation_error_message=_("This receipt is already in this round."),
            ),
        ]
        indexes = [models.Index(fields=["round", "outcome"])]

    def __str__(self) -> str:
        return f"{self.receipt} · {self.get_outcome_display()}"
