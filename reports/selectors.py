"""Reads for the reports: aggregates computed from the money trail, never typed in."""

import dataclasses

from django.db.models import Count, Sum

from activities.models import Allocation, Asset, Receipt
from outreach.models import Donation, Partner
from outreach.scope import scoped

# Fewer households than this in a group are shown as "< 5", so that nobody can be singled out.
SMALL_GROUP = 5


def household_count_label(count: int) -> str:
    """Return a household count as donors may see it: exact from 5 up, "< 5" below."""
    return str(count) if count >= SMALL_GROUP or count == 0 else f"< {SMALL_GROUP}"


@dataclasses.dataclass
class Delivered:
    """What one allocation paid for, in aggregate: no names, villages and counts only."""

    kind: str
    title: str
    date: object
    amount_vnd: int
    # (village, households reached as shown to donors: "< 5" below five, "" for public items)
    villages: list[tuple[str, str]]
    quantity: int | None = None  # physical items (poles, bins), where counted


@dataclasses.dataclass
class DonationTrail:
    donation: Donation
    allocated_vnd: int
    delivered: list[Delivered]

    @property
    def remaining_vnd(self) -> int:
        return self.donation.value_vnd - self.allocated_vnd


def donor_partners(*, user) -> list[Partner]:
    """Return the partners whose money trail ``user`` may read."""
    ids = scoped(Donation.objects.all(), user).values("partner_id")
    return list(Partner.objects.filter(pk__in=ids).order_by("name"))


def money_trail(*, user, partner: Partner) -> list[DonationTrail]:
    """Follow each donation of ``partner`` that ``user`` may read to villages and household counts.

    A fixed number of queries whatever the number of donations, allocations or receipts: the
    counts are grouped in the database.
    """
    donations = list(
        scoped(Donation.objects.filter(partner=partner), user)
        .select_related("partner")
        .order_by("received_on", "pk")
    )
    ids = [d.pk for d in donations]
    allocations = list(
        Allocation.objects.filter(donation_id__in=ids)
        .select_related("distribution", "asset__village", "grant__village")
        .order_by("allocated_on", "pk")
    )
    distribution_ids = {a.distribution_id for a in allocations if a.distribution_id}
    reached: dict[int, list[tuple[str, int]]] = {}
    for row in (
        Receipt.objects.filter(distribution_id__in=distribution_ids, confirmed_at__isnull=False)
        .values("distribution_id", "village__name")
        .annotate(households=Count("household_id", distinct=True))
        .order_by("distribution_id", "village__name")
    ):
        reached.setdefault(row["distribution_id"], []).append(
            (row["village__name"], row["households"])
        )
    asset_kinds = dict(Asset.Kind.choices)
    trails = {d.pk: DonationTrail(donation=d, allocated_vnd=0, delivered=[]) for d in donations}
    assets_seen: dict[tuple, Delivered] = {}
    for allocation in allocations:
        trail = trails[allocation.donation_id]
        trail.allocated_vnd += allocation.amount_vnd
        if allocation.distribution_id:
            distribution = allocation.distribution
            trail.delivered.append(
                Delivered(
                    kind=str(distribution._meta.verbose_name),
                    title=distribution.title,
                    date=distribution.distributed_on,
                    amount_vnd=allocation.amount_vnd,
                    villages=[
                        (village, household_count_label(n))
                        for village, n in reached.get(distribution.pk, [])
                    ],
                )
            )
        elif allocation.asset_id:
            asset = allocation.asset
            # One row per physical item: gather a donation's items by kind, village and year.
            key = (allocation.donation_id, asset.kind, asset.village_id, asset.installed_on.year)
            entry = assets_seen.get(key)
            if entry is None:
                entry = assets_seen[key] = Delivered(
                    kind=str(asset_kinds[asset.kind]),
                    title=str(asset_kinds[asset.kind]),
                    date=asset.installed_on,
                    amount_vnd=0,
                    villages=[(asset.village.name, "")],
                    quantity=0,
                )
                trail.delivered.append(entry)
            entry.quantity += 1
            entry.amount_vnd += allocation.amount_vnd
        else:
            grant = allocation.grant
            trail.delivered.append(
                Delivered(
                    kind=str(grant.get_purpose_display()),
                    title=grant.description or str(grant.get_purpose_display()),
                    date=grant.approved_on,
                    amount_vnd=allocation.amount_vnd,
                    villages=[(grant.village.name, household_count_label(1))],
                )
            )
    return [trails[d.pk] for d in donations]


def donation_totals(*, user, partner: Partner) -> dict:
    """Return the partner's total given and allocated, as ``user`` may see them."""
    donations = scoped(Donation.objects.filter(partner=partner), user)
    given = donations.aggregate(total=Sum("value_vnd"))["total"] or 0
    allocated = (
        Allocation.objects.filter(donation__in=donations).aggregate(total=Sum("amount_vnd"))[
            "total"
        ]
        or 0
    )
    return {"given_vnd": given, "allocated_vnd": allocated, "remaining_vnd": given - allocated}
