"""Distributions: details, funding, recipients, and the workflow draft → approved → distributing
→ closed, with the guards of each step.

Recipients are added in bulk under the distribution's row lock, so that two people working on the
same sheet at once never list a household twice.
"""

import dataclasses
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from activities.models import (
    Allocation,
    Distribution,
    Receipt,
)
from activities.selectors.delivered import DELIVERED_RECEIPT, split
from activities.services.common import BATCH, lock_open, same_partnership
from activities.services.money import (
    allocation_remove,
    donation_allocate,
    funded_vnd,
    listed_vnd,
    require_funded,
)
from core.money import format_vnd
from core.services import actor_or_none, service
from households.models import Household
from outreach.models import Donation
from outreach.scope import require_in_scope

__all__ = [
    "RecipientsResult",
    "distribution_allocate",
    "distribution_allocation_remove",
    "distribution_recipients_add",
    "distribution_save",
    "distribution_transition",
    "receipt_add",
    "receipt_remove",
]


# --- Distributions -----------------------------------------------------------------------------

_TRANSITIONS = {
    Distribution.Status.DRAFT: {Distribution.Status.APPROVED},
    Distribution.Status.APPROVED: {Distribution.Status.DISTRIBUTING, Distribution.Status.CLOSED},
    Distribution.Status.DISTRIBUTING: {Distribution.Status.CLOSED},
    Distribution.Status.CLOSED: set(),
}


@service
def distribution_save(*, actor, distribution: Distribution) -> Distribution:
    """Create a distribution or change its details while it is still a draft.

    Its activity must be one of its partnership's. Once a receipt is confirmed, the date cannot
    move past that confirmation.
    """
    require_in_scope(actor, distribution)
    same_partnership(
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
    value = listed_vnd(distribution)
    if not value and not distribution.receipts.exists():
        raise ValidationError(_("List at least one household before approving the distribution."))
    funded = funded_vnd(distribution)
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
        default_user=actor_or_none(actor),
        default_date=now,
    )


@service
def distribution_transition(*, actor, distribution: Distribution, to: str) -> Distribution:
    """Move a distribution along draft → approved → distributing → closed.

    Approval needs listed households and allocations worth at least their receipts; closing
    needs every receipt confirmed or marked not delivered, and gives back to the donations what
    was not delivered.
    """
    require_in_scope(actor, distribution)
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
    require_in_scope(actor, distribution=distribution, household=household)
    distribution = lock_open(distribution)
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
    require_in_scope(actor, receipt)
    # The receipt first, then its distribution: the order receipt_confirm locks them in, so that
    # a removal and a confirmation of the same line at once cannot deadlock.
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    lock_open(receipt.distribution)
    if receipt.confirmed_at:
        raise ValidationError(_("A confirmed receipt cannot be removed."))
    receipt.delete()


@dataclasses.dataclass(frozen=True)
class RecipientsResult:
    """What ``distribution_recipients_add`` did: households listed, and those already listed."""

    added: int
    skipped: int


@service
def distribution_allocate(
    *, actor, distribution: Distribution, donation: Donation, amount_vnd: int, note: str = ""
) -> Allocation:
    """Fund a distribution that is not closed with part of a donation of its partnership.

    The distribution is locked first, so that it cannot close while the money is assigned;
    ``donation_allocate`` then locks the donation and checks what it has left.
    """
    distribution = lock_open(distribution)
    return donation_allocate(
        actor=actor,
        donation=donation,
        amount_vnd=amount_vnd,
        distribution=distribution,
        note=note,
    )


@service
def distribution_allocation_remove(*, actor, allocation: Allocation) -> None:
    """Give a distribution's allocation back to its donation, unless the distribution is closed."""
    lock_open(allocation.distribution)
    allocation_remove(actor=actor, allocation=allocation)


@service
def distribution_recipients_add(
    *,
    actor,
    distribution: Distribution,
    households_queryset_or_ids: QuerySet | Iterable[int],
    quantity: int = 1,
) -> RecipientsResult:
    """List many households as recipients of a distribution at once, skipping those listed.

    The distribution row is locked for the whole insert, as ``receipt_add`` locks it, so two
    people adding recipients at once wait for each other; the unique constraint on
    (distribution, household) is the last guard. Households outside the partnership's commune
    and archived households are left out.
    """
    require_in_scope(actor, distribution)
    distribution = lock_open(distribution)
    if not distribution.accepts_recipients:
        raise ValidationError(
            _("Recipients can only be chosen while the distribution is a draft or approved.")
        )
    if quantity is None or int(quantity) < 1:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})
    quantity = int(quantity)
    if isinstance(households_queryset_or_ids, QuerySet):
        wanted = households_queryset_or_ids.order_by().values("pk")
    else:
        wanted = list(households_queryset_or_ids)
    candidates = Household.objects.filter(
        pk__in=wanted,
        commune_id=distribution.partnership.commune_id,
        archived=False,
    )
    listed = Receipt.objects.filter(distribution=distribution).values("household_id")
    total = candidates.count()
    rows = list(candidates.exclude(pk__in=listed).order_by("pk").values_list("pk", "village_id"))
    require_funded(distribution, adding_vnd=len(rows) * quantity * distribution.value_per_item_vnd)
    receipts = [
        Receipt(
            distribution=distribution,
            household_id=household_id,
            village_id=village_id,
            quantity=quantity,
            value_vnd=quantity * distribution.value_per_item_vnd,
        )
        for household_id, village_id in rows
    ]
    # Row by row full_clean() would cost a query per household (its uniqueness check); the
    # rules were checked above for the whole set and the database's constraints hold the rest.
    try:
        with transaction.atomic():
            bulk_create_with_history(
                receipts, Receipt, batch_size=BATCH, default_user=actor_or_none(actor)
            )
    except IntegrityError as error:
        raise ValidationError(_("This household is already listed in this distribution.")) from (
            error
        )
    return RecipientsResult(added=len(receipts), skipped=total - len(receipts))
