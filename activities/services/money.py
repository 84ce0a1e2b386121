"""The money trail: donations allocated to distributions, assets and grants, and what was paid
of each grant.

Cross-row money rules (a donation's allocations never exceed it) are checked with the donation row
locked, so two people allocating at once cannot overdraw it. Recording a donation is outreach's
``donation_record`` (Donation lives in outreach), offered here too so that the money pages write
through one package.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import (
    Allocation,
    Asset,
    Distribution,
    Grant,
    GrantPayment,
    Receipt,
    allocation_net,
)
from activities.services.common import same_partnership
from core.money import format_vnd
from core.services import actor_or_none, model_update, service
from outreach.models import Donation
from outreach.scope import require_in_scope
from outreach.services import DONATION_FIELDS, donation_record

__all__ = [
    "allocation_remove",
    "allocation_update",
    "donation_allocate",
    "donation_allocated_vnd",
    "donation_record",
    "donation_update",
    "funded_vnd",
    "grant_payment_record",
    "grant_save",
    "listed_vnd",
    "require_funded",
]


# --- Money trail -------------------------------------------------------------------------------


def held_vnd(*, exclude: Allocation | None = None, **link) -> int:
    """Return what the allocations of a donation or to a target (``donation_id=…``,
    ``distribution_id=…``, ``grant_id=…``, ``asset_id=…``) hold, optionally leaving one out.

    What a closed distribution returned is not held: its donation may allocate it again.
    """
    allocations = Allocation.objects.filter(**link)
    if exclude is not None and exclude.pk:
        allocations = allocations.exclude(pk=exclude.pk)
    return allocations.aggregate(total=Sum(allocation_net()))["total"] or 0


def donation_allocated_vnd(donation: Donation, *, exclude: Allocation | None = None) -> int:
    """Return how much of ``donation`` is already allocated (optionally leaving one out)."""
    return held_vnd(donation_id=donation.pk, exclude=exclude)


def funded_vnd(distribution: Distribution, *, exclude: Allocation | None = None) -> int:
    """Return what the allocations to ``distribution`` hold (optionally leaving one out)."""
    return held_vnd(distribution_id=distribution.pk, exclude=exclude)


def listed_vnd(distribution: Distribution) -> int:
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
    value = listed_vnd(distribution) + adding_vnd
    funded = funded_vnd(distribution, exclude=removing) + (funding_vnd or 0)
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
        funded = held_vnd(**{f"{type(target).__name__.lower()}_id": target.pk}, exclude=allocation)
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
    if sum(target is not None for target in (distribution, asset, grant)) != 1:
        raise ValidationError(_("An allocation goes to exactly one distribution, asset or grant."))
    # The target first, then the donation, the order of distribution_allocate and
    # allocation_update: the allocation's foreign key locks its target too, so the other order
    # deadlocks with someone funding the same distribution from its own page at the same time.
    target = distribution or asset or grant
    list(type(target).objects.select_for_update().filter(pk=target.pk).values_list("pk"))
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
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
    require_in_scope(actor, allocation)
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
    require_in_scope(actor, allocation)
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
    require_in_scope(actor, allocation)
    if allocation.distribution_id:
        distribution = Distribution.objects.select_for_update().get(pk=allocation.distribution_id)
        if distribution.status == Distribution.Status.CLOSED:
            raise ValidationError(_("A closed distribution cannot change."))
        require_funded(distribution, removing=allocation)
    if allocation.grant_id and GrantPayment.objects.filter(grant_id=allocation.grant_id).exists():
        paid = _grant_paid_vnd(allocation.grant_id)
        if held_vnd(grant_id=allocation.grant_id, exclude=allocation) < paid:
            raise ValidationError(
                _("%(paid)s of this grant is already paid: its funding cannot be less.")
                % {"paid": format_vnd(paid)}
            )
    allocation.delete()


@service
def donation_update(*, actor, donation: Donation, **fields) -> Donation:
    """Change a donation; its value may not drop below what is already allocated."""
    require_in_scope(
        actor, donation, partnership=fields.get("partnership"), partner=fields.get("partner")
    )
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    allocated = donation_allocated_vnd(donation)
    partnership_id = getattr(fields.get("partnership"), "pk", donation.partnership_id)
    if allocated and partnership_id != donation.partnership_id:
        raise ValidationError(
            {"partnership": _("This donation already pays for things of its partnership.")}
        )
    if fields.get("value_vnd", donation.value_vnd) < allocated:
        raise ValidationError(
            {
                "value_vnd": _(
                    "%(allocated)s of this donation is already allocated; its value cannot be less."
                )
                % {"allocated": format_vnd(allocated)}
            }
        )
    model_update(donation, fields, fields=DONATION_FIELDS)
    return donation


# --- Grants ------------------------------------------------------------------------------------


@service
def grant_save(*, actor, grant: Grant) -> Grant:
    """Create or change a grant to a household; it keeps the village the household lived in.

    Its activity must be one of its partnership's; its amount covers what is allocated and paid.
    """
    require_in_scope(actor, grant)
    same_partnership(grant, grant.activity, _("The activity belongs to another partnership."))
    if grant.household.commune_id != grant.partnership.commune_id:
        raise ValidationError(
            {"household": _("The household is not in the partnership's commune.")}
        )
    if grant.pk is None:
        grant.village_id = grant.household.village_id
    funded = held_vnd(grant_id=grant.pk) if grant.pk else 0
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


def _grant_paid_vnd(grant_id: int) -> int:
    return (
        GrantPayment.objects.filter(grant_id=grant_id).aggregate(total=Sum("amount_vnd"))["total"]
        or 0
    )


@service
def grant_payment_record(
    *, actor, grant: Grant, paid_on: datetime.date, amount_vnd: int, note: str = ""
) -> GrantPayment:
    """Record money of a grant paid out to its household (the grant row locked).

    Not before the grant was approved, not in the future, and never more in all than the grant.
    """
    require_in_scope(actor, grant)
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
        recorded_by=actor_or_none(actor),
    )
    payment.full_clean()
    payment.save()
    return payment
