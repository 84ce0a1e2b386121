"""Reads for the partnership's figures: the year's summary and the annual report (the dashboard's
year-by-year and village-by-village tables: reports.selectors.dashboard_tables).

Every figure is computed from the records (receipts, assets, grants, allocations, reviews,
activities), grouped in the database: a fixed number of queries whatever the number of rows.
"""

import dataclasses

from django.db.models import Count, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import ngettext

from activities.models import Activity, Allocation, Asset, Grant, Receipt
from activities.selectors import delivered as delivery
from outreach.scope import scoped


def year_summary(*, user, year: int) -> dict:
    """Return the year's figures within ``user``'s scope, computed from the records.

    Everything counts as delivered only (activities.selectors.delivered): households served are
    those with a confirmed receipt, a grant paid, or an asset installed for them, of the year's
    distributions, grants and assets. Value delivered by funder: each partner's share of what
    those delivered; what is allocated to them and not yet delivered is ``pending_by_funder``. A
    fixed number of grouped queries.
    """
    receipts = delivery.delivered_receipts(
        scoped(Receipt.objects.all(), user).filter(distribution__distributed_on__year=year)
    )
    grants = (
        scoped(Grant.objects.all(), user)
        .filter(approved_on__year=year)
        .annotate(paid=delivery.grant_paid())
    )
    paid_grants = delivery.paid_grants(grants)
    assets = delivery.installed_assets(
        scoped(Asset.objects.all(), user).filter(installed_on__year=year)
    )
    # One UNION of three id lists: each side reads its own index, never the households table.
    served = (
        receipts.order_by()
        .values("household_id")
        .union(
            paid_grants.order_by().values("household_id"),
            assets.filter(household__isnull=False).order_by().values("household_id"),
        )
        .count()
    )
    receipt_totals = receipts.aggregate(count=Count("pk"), value=Sum("value_vnd"))
    grant_totals = grants.aggregate(
        count=Count("pk", filter=Q(paid__gt=0)),
        approved=Count("pk"),
        amount=Sum("amount_vnd"),
        paid_total=Sum("paid"),
    )
    allocations = scoped(Allocation.objects.all(), user).filter(
        Q(distribution__distributed_on__year=year)
        | Q(asset__installed_on__year=year)
        | Q(grant__approved_on__year=year)
    )
    by_funder = delivery.delivered_by_partner(delivery.allocation_shares(allocations).values())
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
            {"partner": partner, "value_vnd": delivered}
            for partner, delivered, _pending in by_funder
            if delivered
        ],
        # Allocated to the year's distributions, assets and grants, not yet delivered.
        "pending_by_funder": [
            {"partner": partner, "value_vnd": pending}
            for partner, _delivered, pending in by_funder
            if pending
        ],
        "assets": [
            {"kind": row["kind"], "status": row["status"], "count": row["count"]}
            for row in assets.values("kind", "status")
            .annotate(count=Count("pk"))
            .order_by("kind", "status")
        ],
        # The year's grants: ``count`` and ``amount_vnd`` are those paid and what was paid of
        # them (delivered); ``approved`` and ``granted_vnd`` all approved and their amounts.
        "grants": {
            "count": grant_totals["count"],
            "amount_vnd": grant_totals["paid_total"] or 0,
            "approved": grant_totals["approved"],
            "granted_vnd": grant_totals["amount"] or 0,
            "by_purpose": [
                {
                    "purpose": row["purpose"],
                    "count": row["paid_count"],
                    "approved": row["count"],
                    "amount_vnd": row["paid_total"] or 0,
                    "granted_vnd": row["amount"] or 0,
                }
                for row in grants.values("purpose")
                .annotate(
                    count=Count("pk"),
                    paid_count=Count("pk", filter=Q(paid__gt=0)),
                    amount=Sum("amount_vnd"),
                    paid_total=Sum("paid"),
                )
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


# A "where" cell names this many villages at most; past it, the first ones and how many more (a
# province's solar lights stand in thousands of villages: a cell cannot list them all).
PLACES_NAMED = 10


def _named_places(names: list[str]) -> list[str]:
    """Return ``names``, or its first ``PLACES_NAMED`` and a last item saying how many more."""
    if len(names) <= PLACES_NAMED + 1:
        return names
    rest = len(names) - PLACES_NAMED
    more = ngettext("and %(count)s other village", "and %(count)s other villages", rest) % {
        "count": number_format(rest, force_grouping=True)
    }
    return [*names[:PLACES_NAMED], more]


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

    Only what was delivered (activities.selectors.delivered): distributions count their confirmed
    receipts; assets installed are grouped by kind (one row per kind, with the villages they stand
    in); grants are listed for what was paid of them. Funders come from the allocations. A fixed
    number of queries.
    """
    activities = list(
        scoped(Activity.objects.all(), user)
        .filter(starts_on__year=year)
        .prefetch_related("villages")
        .order_by("starts_on", "pk")
    )
    distributions = list(
        delivery.delivered_receipts(scoped(Receipt.objects.all(), user))
        .filter(distribution__distributed_on__year=year)
        .values("distribution_id", "distribution__title", "distribution__item_description")
        .annotate(count=Count("pk"), value=Sum("value_vnd"))
        .order_by("distribution__distributed_on", "distribution_id")
    )
    distribution_villages: dict = {}
    for row in (
        delivery.delivered_receipts(scoped(Receipt.objects.all(), user))
        .filter(distribution__distributed_on__year=year)
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
    assets = delivery.installed_assets(
        scoped(Asset.objects.all(), user).filter(installed_on__year=year)
    )
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
        delivery.paid_grants(scoped(Grant.objects.all(), user))
        .filter(approved_on__year=year)
        .annotate(paid_vnd=delivery.grant_paid())
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
            where=_named_places(distribution_villages.get(row["distribution_id"], [])),
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
            where=_named_places(asset_villages.get(row["kind"], [])),
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
            value_vnd=grant.paid_vnd,
        )
        for grant in grants
    ]
    return {
        "year": year,
        "activities": activities,
        "support": support,
        "summary": year_summary(user=user, year=year),
    }
