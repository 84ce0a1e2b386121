"""Writes to activities, distributions, assets, grants, and the allocations that fund them.

Cross-row money rules (a donation's allocations never exceed it) are checked with the donation row
locked, so two people allocating at once cannot overdraw it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from activities.models import (
    Activity,
    Allocation,
    Asset,
    Distribution,
    Grant,
    GrantPayment,
    MaintenanceLog,
    Receipt,
    allocation_net,
)
from activities.selectors.delivered import DELIVERED_RECEIPT, split
from core.money import format_vnd
from core.services import service
from households.models import Household
from outreach.models import Donation, Village

# --- Money trail -------------------------------------------------------------------------------


def donation_allocated_vnd(donation: Donation, *, exclude: Allocation | None = None) -> int:
    """Return how much of ``donation`` is already allocated (optionally leaving one out).

    What a closed distribution returned to the donation is not: it may be allocated again.
    """
    allocations = Allocation.objects.filter(donation_id=donation.pk)
    if exclude is not None and exclude.pk:
        allocations = allocations.exclude(pk=exclude.pk)
    return allocations.aggregate(total=Sum(allocation_net()))["total"] or 0


def _funded_vnd(distribution: Distribution, *, exclude: Allocation | None = None) -> int:
    allocations = Allocation.objects.filter(distribution_id=distribution.pk)
    if exclude is not None and exclude.pk:
        allocations = allocations.exclude(pk=exclude.pk)
    return allocations.aggregate(total=Sum(allocation_net()))["total"] or 0


def _listed_vnd(distribution: Distribution) -> int:
    return (
        Receipt.objects.filter(distribution_id=distribution.pk).aggregate(total=Sum("value_vnd"))[
            "total"
        ]
        or 0
    )


def require_funded(
    distribution: Distribution,
    *,
    adding_vnd: int = 0,
    removing: Allocation | None = None,
    funding_vnd: int | None = None,
) -> None:
    """Refuse a change after approval that would leave the receipts worth more than the money.

    ``adding_vnd`` is the value of receipts about to be listed; ``removing`` an allocation about to
    go (or to change to ``funding_vnd``). Drafts may be short: approval is where the rule starts.
    """
    if distribution.status == Distribution.Status.DRAFT:
        return
    value = _listed_vnd(distribution) + adding_vnd
    funded = _funded_vnd(distribution, exclude=removing) + (funding_vnd or 0)
    if funded < value:
        raise ValidationError(
            _(
                "The receipts of this distribution would be worth %(value)s but its allocations "
                "only %(funded)s: %(short)s short. Allocate more money first."
            )
            % {
                "value": format_vnd(value),
                "funded": format_vnd(funded),
                "short": format_vnd(value - funded),
            }
        )


def _target_value(target) -> int | None:
    if isinstance(target, Asset):
        return target.value_vnd
    if isinstance(target, Grant):
        return target.amount_vnd
    return None  # a distribution's worth grows with its receipts


def _check_allocation(allocation: Allocation, donation: Donation) -> None:
    """Refuse an allocation that overdraws its donation or overfunds its target."""
    if allocation.amount_vnd is None or allocation.amount_vnd <= 0:
        raise ValidationError({"amount_vnd": _("An allocation must be more than 0 ₫.")})
    target = allocation.target
    if target is None:
        raise ValidationError(_("An allocation goes to exactly one distribution, asset or grant."))
    if target.partnership_id != donation.partnership_id:
        raise ValidationError(
            _("The donation was given to another partnership than the one this serves.")
        )
    if allocation.allocated_on and allocation.allocated_on < donation.received_on:
        raise ValidationError(
            {"allocated_on": _("Money cannot be allocated before the donation was received.")}
        )
    remaining = donation.value_vnd - donation_allocated_vnd(donation, exclude=allocation)
    if allocation.amount_vnd > remaining:
        raise ValidationError(
            {
                "amount_vnd": _(
                    "This donation has only %(remaining)s left to allocate; %(amount)s was asked."
                )
                % {
                    "remaining": format_vnd(remaining),
                    "amount": format_vnd(allocation.amount_vnd),
                }
            }
        )
    cap = _target_value(target)
    if cap is not None:
        funded = (
            Allocation.objects.filter(**{type(target).__name__.lower(): target})
            .exclude(pk=allocation.pk)
            .aggregate(total=Sum(allocation_net()))["total"]
            or 0
        )
        if funded + allocation.amount_vnd > cap:
            raise ValidationError(
                {
                    "amount_vnd": _(
                        "This would fund %(target)s with %(funded)s, more than its value "
                        "of %(value)s."
                    )
                    % {
                        "target": target,
                        "funded": format_vnd(funded + allocation.amount_vnd),
                        "value": format_vnd(cap),
                    }
                }
            )


@service
def donation_allocate(
    *,
    actor,
    donation: Donation,
    amount_vnd: int,
    allocated_on: datetime.date | None = None,
    distribution: Distribution | None = None,
    asset: Asset | None = None,
    grant: Grant | None = None,
    note: str = "",
) -> Allocation:
    """Assign part of a donation to a distribution, an asset or a grant."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if sum(target is not None for target in (distribution, asset, grant)) != 1:
        raise ValidationError(_("An allocation goes to exactly one distribution, asset or grant."))
    allocation = Allocation(
        donation=donation,
        amount_vnd=amount_vnd,
        allocated_on=allocated_on or timezone.localdate(),
        distribution=distribution,
        asset=asset,
        grant=grant,
        note=note,
        created_by=actor,
    )
    _check_allocation(allocation, donation)
    allocation.full_clean()
    allocation.save()
    return allocation


@service
def allocation_update(
    *, actor, allocation: Allocation, amount_vnd: int, note: str | None = None
) -> Allocation:
    """Change an allocation's amount, within what its donation still has.

    An approved distribution's funding may not drop below the value of its receipts.
    """
    if allocation.distribution_id:
        distribution = Distribution.objects.select_for_update().get(pk=allocation.distribution_id)
        if distribution.status == Distribution.Status.CLOSED:
            raise ValidationError(_("A closed distribution cannot change."))
    donation = Donation.objects.select_for_update().get(pk=allocation.donation_id)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.returned_vnd:
        raise ValidationError(_("Part of this allocation went back to its donation: it is final."))
    if allocation.distribution_id and amount_vnd is not None:
        require_funded(distribution, removing=allocation, funding_vnd=amount_vnd)
    allocation.amount_vnd = amount_vnd
    if note is not None:
        allocation.note = note
    _check_allocation(allocation, donation)
    allocation.full_clean()
    allocation.save()
    return allocation


@service
def allocation_remove(*, actor, allocation: Allocation) -> None:
    """Give an allocation's money back to its donation, unless what it paid for is closed or an
    approved distribution would be left short of the value of its receipts."""
    if allocation.distribution_id:
        distribution = Distribution.objects.select_for_update().get(pk=allocation.distribution_id)
        if distribution.status == Distribution.Status.CLOSED:
            raise ValidationError(_("A closed distribution cannot change."))
        require_funded(distribution, removing=allocation)
    if allocation.grant_id and GrantPayment.objects.filter(grant_id=allocation.grant_id).exists():
        funded = Allocation.objects.filter(grant_id=allocation.grant_id).exclude(pk=allocation.pk)
        paid = _grant_paid_vnd(allocation.grant_id)
        if (funded.aggregate(total=Sum(allocation_net()))["total"] or 0) < paid:
            raise ValidationError(
                _("%(paid)s of this grant is already paid: its funding cannot be less.")
                % {"paid": format_vnd(paid)}
            )
    allocation.delete()


@service
def donation_update(*, actor, donation: Donation, **fields) -> Donation:
    """Change a donation; its value may not drop below what is already allocated."""
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    partnership_id = donation.partnership_id
    for name, value in fields.items():
        setattr(donation, name, value)
    allocated = donation_allocated_vnd(donation)
    if allocated and donation.partnership_id != partnership_id:
        raise ValidationError(
            {"partnership": _("This donation already pays for things of its partnership.")}
        )
    if donation.value_vnd < allocated:
        raise ValidationError(
            {
                "value_vnd": _(
                    "%(allocated)s of this donation is already allocated; its value cannot be less."
                )
                % {"allocated": format_vnd(allocated)}
            }
        )
    donation.full_clean()
    donation.save()
    return donation


# --- Activities --------------------------------------------------------------------------------


@service
def activity_save(*, actor, activity: Activity, villages: list[Village] | None = None) -> Activity:
    """Create or change an activity; its villages must belong to the partnership's commune."""
    if villages is not None:
        foreign = [v for v in villages if v.commune_id != activity.partnership.commune_id]
        if foreign:
            raise ValidationError(
                {
                    "villages": _("Not in the partnership's commune: %(names)s")
                    % {"names": ", ".join(v.name for v in foreign)}
                }
            )
    if activity.pk is None and activity.created_by_id is None:
        activity.created_by = actor
    activity.full_clean()
    activity.save()
    if villages is not None:
        activity.villages.set(villages)
    return activity


# --- Distributions -----------------------------------------------------------------------------

_TRANSITIONS = {
    Distribution.Status.DRAFT: {Distribution.Status.APPROVED},
    Distribution.Status.APPROVED: {Distribution.Status.DISTRIBUTING, Distribution.Status.CLOSED},
    Distribution.Status.DISTRIBUTING: {Distribution.Status.CLOSED},
    Distribution.Status.CLOSED: set(),
}


def _locked_open_distribution(distribution: Distribution) -> Distribution:
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if distribution.status == Distribution.Status.CLOSED:
        raise ValidationError(_("A closed distribution cannot change."))
    return distribution


def _same_partnership(record, activity: Activity | None, message: str) -> None:
    """Refuse an activity of another partnership than ``record``'s (a distribution or a grant)."""
    if activity is not None and activity.partnership_id != record.partnership_id:
        raise ValidationError({"activity": message})


@service
def distribution_save(*, actor, distribution: Distribution) -> Distribution:
    """Create a distribution or change its details while it is still a draft.

    Its activity must be one of its partnership's. Once a receipt is confirmed, the date cannot
    move past that confirmation.
    """
    _same_partnership(
        distribution,
        distribution.activity,
        _("Choose an activity of the distribution's partnership."),
    )
    if distribution.pk:
        current = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if current.status == Distribution.Status.CLOSED:
            raise ValidationError(_("A closed distribution cannot change."))
        if current.status != Distribution.Status.DRAFT and (
            current.value_per_item_vnd != distribution.value_per_item_vnd
        ):
            raise ValidationError(
                {"value_per_item_vnd": _("The value per item is fixed once approved.")}
            )
        if current.partnership_id != distribution.partnership_id and current.receipts.exists():
            raise ValidationError(
                {"partnership": _("Households are listed: the partnership cannot change.")}
            )
        first = (
            current.receipts.filter(DELIVERED_RECEIPT)
            .order_by("confirmed_at")
            .values_list("confirmed_at", flat=True)
            .first()
        )
        if (
            distribution.distributed_on
            and first
            and distribution.distributed_on > (timezone.localdate(first))
        ):
            raise ValidationError(
                {
                    "distributed_on": _(
                        "A receipt was confirmed on %(day)s: the date cannot be later."
                    )
                    % {"day": f"{timezone.localdate(first):%d/%m/%Y}"}
                }
            )
        # Only services move the status.
        distribution.status = current.status
    else:
        distribution.status = Distribution.Status.DRAFT
        distribution.created_by = distribution.created_by or actor
    distribution.full_clean()
    distribution.save()
    return distribution


def _require_approvable(distribution: Distribution) -> None:
    value = _listed_vnd(distribution)
    if not value and not distribution.receipts.exists():
        raise ValidationError(_("List at least one household before approving the distribution."))
    funded = _funded_vnd(distribution)
    if funded < value:
        raise ValidationError(
            _(
                "The distribution cannot be approved: its receipts are worth %(value)s but its "
                "allocations only %(funded)s; %(short)s is not funded."
            )
            % {
                "value": format_vnd(value),
                "funded": format_vnd(funded),
                "short": format_vnd(value - funded),
            }
        )


def _close(actor, distribution: Distribution) -> None:
    """Refuse to close while a receipt is neither confirmed nor marked not delivered; then give
    back to the donations, pro rata, what the allocations hold beyond what was delivered."""
    open_receipts = distribution.receipts.filter(
        confirmed_at__isnull=True, not_delivered_reason=""
    ).count()
    if open_receipts:
        raise ValidationError(
            ngettext(
                "%(count)d receipt is neither confirmed nor marked not delivered: confirm it or "
                "say why it was not delivered before closing.",
                "%(count)d receipts are neither confirmed nor marked not delivered: confirm them "
                "or say why they were not delivered before closing.",
                open_receipts,
            )
            % {"count": open_receipts}
        )
    delivered = (
        distribution.receipts.filter(DELIVERED_RECEIPT).aggregate(total=Sum("value_vnd"))["total"]
        or 0
    )
    allocations = list(
        Allocation.objects.select_for_update().filter(distribution=distribution).order_by("pk")
    )
    held = [(allocation.pk, allocation.net_vnd) for allocation in allocations]
    excess = sum(weight for _pk, weight in held) - delivered
    if excess <= 0:
        return
    returned = split(excess, held)
    now = timezone.now()
    changed = []
    for allocation in allocations:
        if returned[allocation.pk]:
            allocation.returned_vnd += returned[allocation.pk]
            allocation.updated_at = now
            changed.append(allocation)
    bulk_update_with_history(
        changed,
        Allocation,
        ["returned_vnd", "updated_at"],
        default_user=actor if getattr(actor, "is_authenticated", False) else None,
        default_date=now,
    )


@service
def distribution_transition(*, actor, distribution: Distribution, to: str) -> Distribution:
    """Move a distribution along draft → approved → distributing → closed.

    Approval needs listed households and allocations worth at least their receipts; closing
    needs every receipt confirmed or marked not delivered, and gives back to the donations what
    was not delivered.
    """
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if to not in _TRANSITIONS[distribution.status]:
        raise ValidationError(
            _("A distribution cannot go from %(from)s to %(to)s.")
            % {
                "from": distribution.get_status_display(),
                "to": Distribution.Status(to).label,
            }
        )
    if to == Distribution.Status.APPROVED:
        _require_approvable(distribution)
    elif to == Distribution.Status.CLOSED:
        _close(actor, distribution)
    distribution.status = to
    distribution.save(update_fields=["status", "updated_at"])
    return distribution


@service
def receipt_add(
    *, actor, distribution: Distribution, household: Household, quantity: int = 1, note: str = ""
) -> Receipt:
    """List a household as a recipient of a distribution (once)."""
    distribution = _locked_open_distribution(distribution)
    if household.archived:
        raise ValidationError(_("An archived household cannot receive anything."))
    if household.commune_id != distribution.partnership.commune_id:
        raise ValidationError(_("The household is not in the partnership's commune."))
    if Receipt.objects.filter(distribution=distribution, household=household).exists():
        raise ValidationError(_("This household is already listed in this distribution."))
    if quantity is None or int(quantity) < 1:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})
    require_funded(distribution, adding_vnd=int(quantity) * distribution.value_per_item_vnd)
    receipt = Receipt(
        distribution=distribution,
        household=household,
        village_id=household.village_id,
        quantity=int(quantity),
        value_vnd=int(quantity) * distribution.value_per_item_vnd,
        note=note,
    )
    receipt.full_clean()
    receipt.save()
    return receipt


@service
def receipt_remove(*, actor, receipt: Receipt) -> None:
    """Take an unconfirmed household off a distribution that is not closed."""
    # The receipt first, then its distribution: the order receipt_confirm locks them in, so that
    # a removal and a confirmation of the same line at once cannot deadlock.
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    _locked_open_distribution(receipt.distribution)
    if receipt.confirmed_at:
        raise ValidationError(_("A confirmed receipt cannot be removed."))
    receipt.delete()


# --- Assets ------------------------------------------------------------------------------------

_STATUS_AFTER = {
    MaintenanceLog.Kind.INSTALLATION: Asset.Status.INSTALLED,
    MaintenanceLog.Kind.CHECK: Asset.Status.WORKING,
    MaintenanceLog.Kind.FAULT: Asset.Status.FAULTY,
    MaintenanceLog.Kind.REPAIR: Asset.Status.REPAIRED,
    MaintenanceLog.Kind.REMOVAL: Asset.Status.REMOVED,
}


@service
def asset_register(*, actor, asset: Asset) -> Asset:
    """Register one physical item and open its log with its installation.

    An asset is registered once it stands (reports count it as delivered from that day on), so
    its installation cannot be dated in the future.
    """
    if asset.installed_on and asset.installed_on > timezone.localdate():
        raise ValidationError(
            {"installed_on": _("An asset is registered once installed: not in the future.")}
        )
    if asset.household_id and asset.household.village.commune_id != asset.village.commune_id:
        raise ValidationError({"household": _("The household is not in the asset's commune.")})
    if asset.village.commune_id != asset.partnership.commune_id:
        raise ValidationError({"village": _("The village is not in the partnership's commune.")})
    asset.status = Asset.Status.INSTALLED
    asset.full_clean()
    asset.save()
    MaintenanceLog.objects.create(
        asset=asset,
        kind=MaintenanceLog.Kind.INSTALLATION,
        happened_on=asset.installed_on,
        status_after=Asset.Status.INSTALLED,
        recorded_by=actor,
    )
    return asset


@service
def maintenance_record(
    *,
    actor,
    asset: Asset,
    kind: str,
    happened_on: datetime.date,
    note: str = "",
    status_after: str | None = None,
    reported_by_public: bool = False,
) -> MaintenanceLog:
    """Append to an asset's log; the asset's state becomes its latest entry's."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status == Asset.Status.REMOVED:
        raise ValidationError(_("A removed asset takes no more log entries."))
    if happened_on < asset.installed_on:
        raise ValidationError({"happened_on": _("This is before the asset was installed.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("A log entry cannot be dated in the future.")})
    log = MaintenanceLog(
        asset=asset,
        kind=kind,
        happened_on=happened_on,
        status_after=status_after or _STATUS_AFTER[MaintenanceLog.Kind(kind)],
        note=note,
        recorded_by=actor,
        reported_by_public=reported_by_public,
    )
    log.full_clean()
    log.save()
    latest = asset.logs.order_by("-happened_on", "-pk").first()
    if latest.status_after != asset.status:
        asset.status = latest.status_after
        asset.save(update_fields=["status", "updated_at"])
    return log


# --- Grants ------------------------------------------------------------------------------------


@service
def grant_save(*, actor, grant: Grant) -> Grant:
    """Create or change a grant to a household; it keeps the village the household lived in.

    Its activity must be one of its partnership's; its amount covers what is allocated and paid.
    """
    _same_partnership(grant, grant.activity, _("The activity belongs to another partnership."))
    if grant.household.commune_id != grant.partnership.commune_id:
        raise ValidationError(
            {"household": _("The household is not in the partnership's commune.")}
        )
    if grant.pk is None:
        grant.village_id = grant.household.village_id
    funded = (
        Allocation.objects.filter(grant_id=grant.pk).aggregate(total=Sum(allocation_net()))["total"]
        if grant.pk
        else 0
    ) or 0
    if grant.amount_vnd is not None and grant.amount_vnd < funded:
        raise ValidationError(
            {
                "amount_vnd": _("%(funded)s is already allocated to this grant.")
                % {"funded": format_vnd(funded)}
            }
        )
    paid = _grant_paid_vnd(grant.pk) if grant.pk else 0
    if grant.amount_vnd is not None and grant.amount_vnd < paid:
        raise ValidationError(
            {
                "amount_vnd": _("%(paid)s of this grant is already paid.")
                % {"paid": format_vnd(paid)}
            }
        )
    first = (
        GrantPayment.objects.filter(grant_id=grant.pk).order_by("paid_on").first()
        if grant.pk
        else None
    )
    if first and grant.approved_on and grant.approved_on > first.paid_on:
        raise ValidationError(
            {
                "approved_on": _("A payment was made on %(day)s: approval cannot be later.")
                % {"day": f"{first.paid_on:%d/%m/%Y}"}
            }
        )
    grant.full_clean()
    grant.save()
    return grant


def _grant_paid_vnd(grant_id: int, *, exclude: GrantPayment | None = None) -> int:
    payments = GrantPayment.objects.filter(grant_id=grant_id)
    if exclude is not None and exclude.pk:
        payments = payments.exclude(pk=exclude.pk)
    return payments.aggregate(total=Sum("amount_vnd"))["total"] or 0


@service
def grant_payment_record(
    *, actor, grant: Grant, paid_on: datetime.date, amount_vnd: int, note: str = ""
) -> GrantPayment:
    """Record money of a grant paid out to its household (the grant row locked).

    Not before the grant was approved, not in the future, and never more in all than the grant.
    """
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if amount_vnd is None or amount_vnd <= 0:
        raise ValidationError({"amount_vnd": _("A payment must be more than 0 ₫.")})
    if paid_on is None:
        raise ValidationError({"paid_on": _("Say when the money was paid.")})
    if paid_on < grant.approved_on:
        raise ValidationError(
            {
                "paid_on": _("A grant cannot be paid before it was approved (%(day)s).")
                % {"day": f"{grant.approved_on:%d/%m/%Y}"}
            }
        )
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment cannot be dated in the future.")})
    paid = _grant_paid_vnd(grant.pk)
    if paid + amount_vnd > grant.amount_vnd:
        raise ValidationError(
            {
                "amount_vnd": _(
                    "This grant is %(amount)s and %(paid)s is already paid: at most %(left)s "
                    "can be paid now."
                )
                % {
                    "amount": format_vnd(grant.amount_vnd),
                    "paid": format_vnd(paid),
                    "left": format_vnd(grant.amount_vnd - paid),
                }
            }
        )
    payment = GrantPayment(
        grant=grant,
        paid_on=paid_on,
        amount_vnd=amount_vnd,
        note=(note or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    payment.full_clean()
    payment.save()
    return payment


# --- More services, one module per area of the working pages -----------------------------------
# Imported last: they build on the services above (``from activities.services import …``).
from activities.services.activity import *  # noqa: E402, F403
from activities.services.asset import *  # noqa: E402, F403
from activities.services.distribution import *  # noqa: E402, F403
from activities.services.money import *  # noqa: E402, F403
