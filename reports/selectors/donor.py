"""Reads for the donor's report: the money trail, consented photos, a timeline.

Donors read aggregates only: villages and household counts, never a name, a household code or an
ID number. Every read starts from the donations the user may see (``scoped``): a donor's own
partner, the donations of a staff member's communes, everything for auditors.
"""

import dataclasses
import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from activities.models import Activity, Allocation, Asset, Photo, Receipt
from activities.selectors import delivered as delivery
from outreach.models import Donation, Partner
from outreach.scope import scoped

# Fewer households than this in a group are shown as "< 5", so that nobody can be singled out.
SMALL_GROUP = 5
# A donor report shows at most this many photos (the newest activities first would hide the
# story; the oldest first, as the timeline reads).
MAX_PHOTOS = 24
PHOTO_SIZES = ("display", "thumbnail")


def household_count_label(count: int) -> str:
    """Return a household count as donors may see it: exact from 5 up, "< 5" below."""
    return str(count) if count >= SMALL_GROUP or count == 0 else f"< {SMALL_GROUP}"


@dataclasses.dataclass
class Delivered:
    """What one allocation paid for, in aggregate: no names, villages and counts only.

    ``amount_vnd`` is what was delivered (activities.selectors.delivered: confirmed receipts,
    installed assets, paid grants); ``pending_vnd`` was allocated and not yet delivered;
    ``returned_vnd`` was not delivered and went back to the donation.
    """

    kind: str
    title: str
    date: datetime.date
    amount_vnd: int
    # (village, households reached as shown to donors: "< 5" below five, "" for public items)
    villages: list[tuple[str, str]]
    quantity: int | None = None  # physical items (poles, bins), where counted
    completed_on: datetime.date | None = None  # a grant's work finished (a house built)
    pending_vnd: int = 0
    returned_vnd: int = 0

    @property
    def allocated_vnd(self) -> int:
        return self.amount_vnd + self.pending_vnd


@dataclasses.dataclass
class DonationTrail:
    donation: Donation
    # What the donation's allocations hold (less what was returned to it).
    allocated_vnd: int
    delivered: list[Delivered]
    # (allocated on, amount, what for): the allocations as they were made, gathered by day.
    allocations: list[tuple[datetime.date, int, str]] = dataclasses.field(default_factory=list)
    delivered_vnd: int = 0
    returned_vnd: int = 0

    @property
    def pending_vnd(self) -> int:
        """Allocated, not yet delivered."""
        return self.allocated_vnd - self.delivered_vnd

    @property
    def remaining_vnd(self) -> int:
        return self.donation.value_vnd - self.allocated_vnd


@dataclasses.dataclass(frozen=True)
class TimelineEvent:
    """One dated step of the money trail: received, allocated, delivered, completed."""

    date: datetime.date
    step: str
    text: str
    amount_vnd: int | None = None


def donor_partners(*, user) -> list[Partner]:
    """Return the partners whose money trail ``user`` may read."""
    ids = scoped(Donation.objects.all(), user).values("partner_id")
    return list(Partner.objects.filter(pk__in=ids).order_by("name"))


def _note_allocation(trail: DonationTrail, day: datetime.date, amount: int, title: str) -> None:
    last = trail.allocations[-1] if trail.allocations else None
    if last is not None and last[0] == day and last[2] == title:
        trail.allocations[-1] = (day, last[1] + amount, title)
    else:
        trail.allocations.append((day, amount, title))


def money_trail(*, user, partner: Partner) -> list[DonationTrail]:
    """Follow each donation of ``partner`` that ``user`` may read to villages and household counts.

    What each allocation delivered is ``activities.selectors.delivered``'s answer. A fixed
    number of queries whatever the number of donations, allocations or receipts: the counts are
    grouped in the database.
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
    shares = delivery.allocation_shares(Allocation.objects.filter(donation_id__in=ids))
    distribution_ids = {a.distribution_id for a in allocations if a.distribution_id}
    reached: dict[int, list[tuple[str, int]]] = {}
    for row in (
        delivery.delivered_receipts(Receipt.objects.filter(distribution_id__in=distribution_ids))
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
        share = shares[allocation.pk]
        trail.allocated_vnd += share.allocated_vnd
        trail.delivered_vnd += share.delivered_vnd
        trail.returned_vnd += share.returned_vnd
        if allocation.distribution_id:
            distribution = allocation.distribution
            trail.delivered.append(
                Delivered(
                    kind=str(distribution._meta.verbose_name),
                    title=distribution.title,
                    date=distribution.distributed_on,
                    amount_vnd=share.delivered_vnd,
                    pending_vnd=share.pending_vnd,
                    returned_vnd=share.returned_vnd,
                    villages=[
                        (village, household_count_label(n))
                        for village, n in reached.get(distribution.pk, [])
                    ],
                )
            )
            title = distribution.title
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
            entry.amount_vnd += share.delivered_vnd
            entry.pending_vnd += share.pending_vnd
            title = f"{asset_kinds[asset.kind]} · {asset.village.name}"
        else:
            grant = allocation.grant
            title = grant.description or str(grant.get_purpose_display())
            trail.delivered.append(
                Delivered(
                    kind=str(grant.get_purpose_display()),
                    title=title,
                    date=grant.approved_on,
                    amount_vnd=share.delivered_vnd,
                    pending_vnd=share.pending_vnd,
                    villages=[(grant.village.name, household_count_label(1))],
                    completed_on=grant.completed_on,
                )
            )
        _note_allocation(trail, allocation.allocated_on, allocation.amount_vnd, title)
    return [trails[d.pk] for d in donations]


def donation_totals(*, user, partner: Partner) -> dict:
    """Return the partner's total given, allocated, delivered, allocated but not yet delivered,
    returned (not delivered) and left to allocate, as ``user`` may see them (two queries)."""
    donations = scoped(Donation.objects.filter(partner=partner), user)
    given = donations.aggregate(total=Sum("value_vnd"))["total"] or 0
    found = delivery.totals(
        delivery.allocation_shares(Allocation.objects.filter(donation__in=donations)).values()
    )
    return {
        "given_vnd": given,
        "allocated_vnd": found.allocated_vnd,
        "delivered_vnd": found.delivered_vnd,
        "pending_vnd": found.pending_vnd,
        "returned_vnd": found.returned_vnd,
        "remaining_vnd": given - found.allocated_vnd,
    }


def donor_timeline(trails: list[DonationTrail]) -> list[TimelineEvent]:
    """Put the trail's steps in date order: received, allocated, delivered, completed.

    Built from ``money_trail``'s answer, so it costs no query.
    """
    events: list[tuple[datetime.date, int, TimelineEvent]] = []
    for trail in trails:
        donation = trail.donation
        events.append(
            (
                donation.received_on,
                0,
                TimelineEvent(
                    date=donation.received_on,
                    step=_("Donation received"),
                    text=donation.goods_description or _("Money"),
                    amount_vnd=donation.value_vnd,
                ),
            )
        )
        for day, amount, title in trail.allocations:
            events.append(
                (
                    day,
                    1,
                    TimelineEvent(date=day, step=_("Allocated"), text=title, amount_vnd=amount),
                )
            )
        for item in trail.delivered:
            if not item.amount_vnd:
                continue  # allocated, nothing delivered yet: the allocation says so
            text = f"{item.quantity} × {item.title}" if item.quantity else item.title
            where = ", ".join(village for village, _households in item.villages)
            if where:
                text = f"{text} ({where})"
            events.append(
                (
                    item.date,
                    2,
                    TimelineEvent(
                        date=item.date, step=_("Delivered"), text=text, amount_vnd=item.amount_vnd
                    ),
                )
            )
            if item.completed_on:
                events.append(
                    (
                        item.completed_on,
                        3,
                        TimelineEvent(date=item.completed_on, step=_("Completed"), text=item.title),
                    )
                )
    events.sort(key=lambda event: (event[0], event[1]))
    return [event for _day, _order, event in events]


def _funded_activities(allocations: QuerySet) -> QuerySet:
    """Return the activities that ``allocations`` paid for.

    A distribution or a grant names its activity. An asset does not: it counts for the activity
    of the same partnership held in the asset's village on the day it was installed (the
    "Lighting rural roads" works, the day the poles went up).
    """
    installed_then = Asset.objects.filter(
        pk__in=allocations.filter(asset__isnull=False).values("asset_id"),
        partnership_id=OuterRef("partnership_id"),
        village__activities=OuterRef("pk"),
        installed_on__gte=OuterRef("starts_on"),
        installed_on__lte=Coalesce(OuterRef("ends_on"), OuterRef("starts_on")),
    )
    return Activity.objects.filter(
        Q(pk__in=allocations.filter(distribution__isnull=False).values("distribution__activity_id"))
        | Q(pk__in=allocations.filter(grant__isnull=False).values("grant__activity_id"))
        | Exists(installed_then)
    )


def funded_photos(*, user, partner: Partner | None = None) -> QuerySet:
    """Return the consented, processed photos of the activities that money ``user`` may read
    paid for (of ``partner`` only, if given), oldest activity first."""
    donations = scoped(Donation.objects.all(), user)
    if partner is not None:
        donations = donations.filter(partner=partner)
    allocations = Allocation.objects.filter(donation__in=donations)
    return (
        Photo.objects.filter(
            activity__in=_funded_activities(allocations),
            consent_to_publish=True,
            state=Photo.State.READY,
        )
        .exclude(display="")
        .exclude(thumbnail="")
        .select_related("activity")
        .order_by("activity__starts_on", "activity_id", "pk")
    )


def funded_photo_list(*, user, partner: Partner) -> list[Photo]:
    """Return the photos the partner's report shows (at most ``MAX_PHOTOS``)."""
    return list(funded_photos(user=user, partner=partner)[:MAX_PHOTOS])


def funded_photo_get(*, user, pk: int, partner: Partner | None = None) -> Photo | None:
    """Return the photo ``pk`` if ``user`` may see it as funded by money they may read."""
    return funded_photos(user=user, partner=partner).filter(pk=pk).first()
