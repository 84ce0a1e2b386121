"""Reads for the reports: aggregates computed from the money trail, never typed in."""

import dataclasses

from django.db.models import Count, Q, Sum

from activities.models import Activity, Allocation, Asset, Grant, Receipt
from households.models import Household
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


def year_summary(*, user, year: int) -> dict:
    """Return the year's figures within ``user``'s scope, computed from the records.

    Households served: those with a confirmed receipt, a grant approved, or an asset installed
    for them in the year. Value delivered by funder: the allocations of each partner's donations
    to what was distributed, installed or granted in the year. A fixed number of grouped queries.
    """
    receipts = scoped(Receipt.objects.all(), user).filter(
        distribution__distributed_on__year=year, confirmed_at__isnull=False
    )
    grants = scoped(Grant.objects.all(), user).filter(approved_on__year=year)
    assets = scoped(Asset.objects.all(), user).filter(installed_on__year=year)
    served = (
        scoped(Household.objects.all(), user)
        .filter(
            Q(pk__in=receipts.values("household_id"))
            | Q(pk__in=grants.values("household_id"))
            | Q(pk__in=assets.filter(household__isnull=False).values("household_id"))
        )
        .count()
    )
    receipt_totals = receipts.aggregate(count=Count("pk"), value=Sum("value_vnd"))
    grant_totals = grants.aggregate(count=Count("pk"), amount=Sum("amount_vnd"))
    allocations = scoped(Allocation.objects.all(), user).filter(
        Q(distribution__distributed_on__year=year)
        | Q(asset__installed_on__year=year)
        | Q(grant__approved_on__year=year)
    )
    by_funder = (
        allocations.values("donation__partner__name")
        .annotate(value=Sum("amount_vnd"))
        .order_by("-value", "donation__partner__name")
    )
    activities = (
        scoped(Activity.objects.all(), user)
        .filter(starts_on__year=year)
        .values("kind")
        .annotate(
            count=Count("pk"),
            office_staff=Sum("office_staff_count"),
            commune_cadres=Sum("cadre_count"),
            residents=Sum("resident_count"),
        )
        .order_by("kind")
    )
    return {
        "year": year,
        "households_served": served,
        "receipts": {
            "count": receipt_totals["count"],
            "value_vnd": receipt_totals["value"] or 0,
        },
        "value_delivered_by_funder": [
            {"partner": row["donation__partner__name"], "value_vnd": row["value"]}
            for row in by_funder
        ],
        "assets": [
            {"kind": row["kind"], "status": row["status"], "count": row["count"]}
            for row in assets.values("kind", "status")
            .annotate(count=Count("pk"))
            .order_by("kind", "status")
        ],
        "grants": {
            "count": grant_totals["count"],
            "amount_vnd": grant_totals["amount"] or 0,
            "by_purpose": [
                {"purpose": row["purpose"], "count": row["count"], "amount_vnd": row["amount"]}
                for row in grants.values("purpose")
                .annotate(count=Count("pk"), amount=Sum("amount_vnd"))
                .order_by("purpose")
            ],
        },
        "activities": [
            {
                "kind": row["kind"],
                "count": row["count"],
                "participants": {
                    "office_staff": row["office_staff"] or 0,
                    "commune_cadres": row["commune_cadres"] or 0,
                    "residents": row["residents"] or 0,
                },
            }
            for row in activities
        ],
    }


@dataclasses.dataclass
class SupportRow:
    """One line of the annual report's "support delivered" table."""

    what: str
    where: list[str]
    funders: list[str]
    quantity: int
    unit: str
    value_vnd: int


def _funders(allocations) -> dict:
    """Map each target id to the names of the partners whose money paid for it."""
    found: dict = {}
    for target_id, partner in allocations:
        names = found.setdefault(target_id, [])
        if partner not in names:
            names.append(partner)
    return found


def annual_report(*, user, year: int) -> dict:
    """Gather the year's activities and the support delivered, within ``user``'s scope.

    Distributions count their confirmed receipts; assets are grouped by kind (one row per kind,
    with the villages they stand in); grants are listed by purpose and village. Funders come from
    the allocations. A fixed number of queries.
    """
    activities = list(
        scoped(Activity.objects.all(), user)
        .filter(starts_on__year=year)
        .prefetch_related("villages")
        .order_by("starts_on", "pk")
    )
    distributions = list(
        scoped(Receipt.objects.all(), user)
        .filter(distribution__distributed_on__year=year, confirmed_at__isnull=False)
        .values("distribution_id", "distribution__title", "distribution__item_description")
        .annotate(count=Count("pk"), value=Sum("value_vnd"))
        .order_by("distribution__distributed_on", "distribution_id")
    )
    distribution_villages: dict = {}
    for row in (
        scoped(Receipt.objects.all(), user)
        .filter(distribution__distributed_on__year=year, confirmed_at__isnull=False)
        .values_list("distribution_id", "village__name")
        .distinct()
        .order_by("village__name")
    ):
        distribution_villages.setdefault(row[0], []).append(row[1])
    allocations = scoped(Allocation.objects.all(), user)
    by_distribution = _funders(
        allocations.filter(distribution_id__in=[d["distribution_id"] for d in distributions])
        .values_list("distribution_id", "donation__partner__name")
        .order_by("donation__partner__name")
    )
    assets = scoped(Asset.objects.all(), user).filter(installed_on__year=year)
    asset_rows = list(
        assets.values("kind").annotate(count=Count("pk"), value=Sum("value_vnd")).order_by("kind")
    )
    asset_villages: dict = {}
    for kind, village in (
        assets.values_list("kind", "village__name").distinct().order_by("village__name")
    ):
        asset_villages.setdefault(kind, []).append(village)
    by_asset_kind = _funders(
        allocations.filter(asset__in=assets)
        .values_list("asset__kind", "donation__partner__name")
        .order_by("donation__partner__name")
    )
    grants = list(
        scoped(Grant.objects.all(), user)
        .filter(approved_on__year=year)
        .select_related("village")
        .order_by("approved_on", "pk")
    )
    by_grant = _funders(
        allocations.filter(grant__in=[g.pk for g in grants])
        .values_list("grant_id", "donation__partner__name")
        .order_by("donation__partner__name")
    )
    kinds = dict(Asset.Kind.choices)
    support = [
        SupportRow(
            what=row["distribution__title"],
            where=distribution_villages.get(row["distribution_id"], []),
            funders=by_distribution.get(row["distribution_id"], []),
            quantity=row["count"],
            unit=row["distribution__item_description"],
            value_vnd=row["value"] or 0,
        )
        for row in distributions
    ]
    support += [
        SupportRow(
            what=str(kinds[row["kind"]]),
            where=asset_villages.get(row["kind"], []),
            funders=by_asset_kind.get(row["kind"], []),
            quantity=row["count"],
            unit=str(kinds[row["kind"]]),
            value_vnd=row["value"] or 0,
        )
        for row in asset_rows
    ]
    support += [
        SupportRow(
            what=grant.description or str(grant.get_purpose_display()),
            where=[grant.village.name],
            funders=by_grant.get(grant.pk, []),
            quantity=1,
            unit=str(grant.get_purpose_display()),
            value_vnd=grant.amount_vnd,
        )
        for grant in grants
    ]
    return {
        "year": year,
        "activities": activities,
        "support": support,
        "summary": year_summary(user=user, year=year),
    }


def _by_partner(summary: dict) -> dict:
    return {row["partner"]: row["value_vnd"] for row in summary["value_delivered_by_funder"]}


def dashboard(*, user, first_year: int, last_year: int) -> dict:
    """Return the partnership's figures year by year, assets by state, and reach by village.

    One ``year_summary`` per year (a handful of grouped queries each, not a scan per row), plus
    two grouped queries: the assets' current state and the households reached per village.
    """
    years = [year_summary(user=user, year=year) for year in range(first_year, last_year + 1)]
    funders = sorted({row["partner"] for y in years for row in y["value_delivered_by_funder"]})
    kinds = dict(Asset.Kind.choices)
    statuses = dict(Asset.Status.choices)
    assets = [
        {
            "kind": str(kinds[row["kind"]]),
            "status": str(statuses[row["status"]]),
            "count": row["count"],
        }
        for row in scoped(Asset.objects.all(), user)
        .values("kind", "status")
        .annotate(count=Count("pk"))
        .order_by("kind", "status")
    ]
    villages = [
        {"village": row["village__name"], "households": row["households"], "value": row["value"]}
        for row in scoped(Receipt.objects.all(), user)
        .filter(confirmed_at__isnull=False)
        .values("village__name")
        .annotate(households=Count("household_id", distinct=True), value=Sum("value_vnd"))
        .order_by("village__name")
    ]
    return {
        "years": years,
        "funders": funders,
        "funding_rows": [
            {
                "year": y["year"],
                "values": [
                    next(
                        (
                            r["value_vnd"]
                            for r in y["value_delivered_by_funder"]
                            if r["partner"] == f
                        ),
                        0,
                    )
                    for f in funders
                ],
            }
            for y in years
        ],
        "assets": assets,
        "villages": villages,
    }
