"""What was delivered: the one place that says how much of the money reached households.

A receipt is delivered when, and only when, it is confirmed (``confirmed_at`` set); a grant as far
as it was paid (its payments); an asset once installed (``installed_on`` today or before). Every
figure a donor or the province reads (the donor report and its PDF, workbook, shared link and weekly
digest; the dashboard, the annual report, ``summary.json``; the case file) is computed from these.

Money follows allocations. What a distribution, an asset or a grant delivered is shared among the
allocations that fund it in proportion to what each still holds of its donation (whole đồng, by
largest remainder, so the shares add up to the target's delivered value exactly). The rest of an
allocation is "allocated, not yet delivered"; what went back to the donation when a distribution
closed without delivering everything is "returned", and the donation may allocate it again.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import (
    BigIntegerField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import Allocation, GrantPayment, Receipt

# A receipt is delivered when, and only when, it is confirmed.
DELIVERED_RECEIPT = Q(confirmed_at__isnull=False)


def delivered_receipts(receipts: QuerySet) -> QuerySet:
    """Keep the receipts that were delivered (confirmed)."""
    return receipts.filter(DELIVERED_RECEIPT)


def installed_assets(assets: QuerySet, *, today=None) -> QuerySet:
    """Keep the assets installed today or before: an asset is delivered once installed."""
    return assets.filter(installed_on__lte=today or timezone.localdate())


def asset_delivered(asset, *, today=None) -> bool:
    """Whether one asset read already counts as delivered (``installed_assets`` for a row)."""
    return asset.installed_on <= (today or timezone.localdate())


def grant_paid(ref: str = "pk") -> Coalesce:
    """The amount paid on a grant, as an expression; ``ref`` names the grant's id on the outer
    row (``"pk"`` on a grant, ``"grant_id"`` on an allocation)."""
    paid = (
        GrantPayment.objects.filter(grant_id=OuterRef(ref))
        .order_by()
        .values("grant_id")
        .annotate(total=Sum("amount_vnd"))
        .values("total")
    )
    return Coalesce(Subquery(paid, output_field=BigIntegerField()), Value(0))


def paid_grants(grants: QuerySet) -> QuerySet:
    """Keep the grants of which something was paid (a grant is delivered as far as it is paid)."""
    return grants.filter(Exists(GrantPayment.objects.filter(grant_id=OuterRef("pk"))))


@dataclasses.dataclass(frozen=True)
class Share:
    """One allocation's part of the money trail, in whole đồng.

    ``allocated_vnd`` is what the allocation still holds of its donation (its amount less what was
    returned); it is ``delivered_vnd`` plus ``pending_vnd``.
    """

    allocation_id: int
    donation_id: int
    partner: str
    allocated_vnd: int
    delivered_vnd: int
    returned_vnd: int

    @property
    def pending_vnd(self) -> int:
        """Allocated, not yet delivered ("đã phân bổ, chưa trao")."""
        return self.allocated_vnd - self.delivered_vnd


def _target_delivered() -> Case:
    """What an allocation's target delivered, as an expression over the allocation's row.

    An asset delivers all that funds it once installed: its delivered value is unbounded then.
    """
    confirmed = (
        Receipt.objects.filter(DELIVERED_RECEIPT, distribution_id=OuterRef("distribution_id"))
        .order_by()
        .values("distribution_id")
        .annotate(total=Sum("value_vnd"))
        .values("total")
    )
    unbounded = Value(2**62, output_field=BigIntegerField())
    return Case(
        When(
            distribution_id__isnull=False,
            then=Coalesce(Subquery(confirmed, output_field=BigIntegerField()), Value(0)),
        ),
        When(grant_id__isnull=False, then=grant_paid("grant_id")),
        When(asset__installed_on__lte=timezone.localdate(), then=unbounded),
        default=Value(0),
        output_field=BigIntegerField(),
    )


def split(total: int, weights: list[tuple[int, int]]) -> dict[int, int]:
    """Share ``total`` among ``(key, weight)`` in proportion, in whole units that add up to it.

    Largest remainder: each gets the floor of its share, the units left go one each to the largest
    remainders, ties to the smaller key. ``total`` is at most the sum of the weights.
    """
    whole = sum(weight for _key, weight in weights)
    if whole <= 0 or total <= 0:
        return {key: 0 for key, _weight in weights}
    shares, remainders = {}, []
    for key, weight in weights:
        shares[key], remainder = divmod(total * weight, whole)
        remainders.append((-remainder, key))
    for _remainder, key in sorted(remainders)[: total - sum(shares.values())]:
        shares[key] += 1
    return shares


def allocation_shares(allocations: QuerySet) -> dict[int, Share]:
    """Return the ``Share`` of each allocation of ``allocations`` (scoped by the caller).

    One query: every allocation funding the same targets is read (also those the caller does not
    show, e.g. another partner's), since a target's delivered value is shared among all of them.
    """
    wanted = allocations.order_by().values("pk")
    targets = allocations.order_by()
    rows = (
        Allocation.objects.filter(
            Q(
                distribution_id__in=targets.filter(distribution__isnull=False).values(
                    "distribution_id"
                )
            )
            | Q(asset_id__in=targets.filter(asset__isnull=False).values("asset_id"))
            | Q(grant_id__in=targets.filter(grant__isnull=False).values("grant_id"))
        )
        .annotate(
            target_delivered=_target_delivered(),
            partner_name=F("donation__partner__name"),
            shown=Q(pk__in=wanted),
        )
        .values_list(
            "pk",
            "donation_id",
            "partner_name",
            "amount_vnd",
            "returned_vnd",
            "distribution_id",
            "asset_id",
            "grant_id",
            "target_delivered",
            "shown",
            named=True,
        )
        .order_by("pk")
    )
    by_target: dict[tuple, list] = defaultdict(list)
    for row in rows:
        by_target[(row.distribution_id, row.asset_id, row.grant_id)].append(row)
    shares: dict[int, Share] = {}
    for siblings in by_target.values():
        held = [(row.pk, row.amount_vnd - row.returned_vnd) for row in siblings]
        target_total = min(siblings[0].target_delivered, sum(weight for _pk, weight in held))
        delivered = split(target_total, held)
        for row in siblings:
            if row.shown:
                shares[row.pk] = Share(
                    allocation_id=row.pk,
                    donation_id=row.donation_id,
                    partner=row.partner_name,
                    allocated_vnd=row.amount_vnd - row.returned_vnd,
                    delivered_vnd=delivered[row.pk],
                    returned_vnd=row.returned_vnd,
                )
    return shares


@dataclasses.dataclass(frozen=True)
class Totals:
    """The money trail of a set of allocations, added up."""

    allocated_vnd: int = 0
    delivered_vnd: int = 0
    returned_vnd: int = 0

    @property
    def pending_vnd(self) -> int:
        return self.allocated_vnd - self.delivered_vnd


def totals(shares: Iterable[Share]) -> Totals:
    """Add up shares (no query)."""
    allocated = delivered = returned = 0
    for share in shares:
        allocated += share.allocated_vnd
        delivered += share.delivered_vnd
        returned += share.returned_vnd
    return Totals(allocated_vnd=allocated, delivered_vnd=delivered, returned_vnd=returned)


def delivered_by_partner(shares: Iterable[Share]) -> list[tuple[str, int, int]]:
    """Return ``(partner, delivered, pending)`` per partner, the most delivered first (no query)."""
    found: dict[str, list[int]] = {}
    for share in shares:
        entry = found.setdefault(share.partner, [0, 0])
        entry[0] += share.delivered_vnd
        entry[1] += share.pending_vnd
    return sorted(
        ((partner, values[0], values[1]) for partner, values in found.items()),
        key=lambda row: (-row[1], row[0]),
    )


__all__ = [
    "DELIVERED_RECEIPT",
    "Share",
    "Totals",
    "allocation_shares",
    "asset_delivered",
    "delivered_by_partner",
    "delivered_receipts",
    "grant_paid",
    "installed_assets",
    "paid_grants",
    "split",
    "totals",
]
