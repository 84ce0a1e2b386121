"""Reads for the dashboard: the partnership year by year (the year's summaries), the assets by
state, the households whose classification improved, and the table by village or by commune.

Every figure is computed from the records, grouped in the database: a fixed number of queries
whatever the number of rows.
"""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from activities.models import Activity, Asset, Grant, GrantPayment, Receipt
from activities.selectors import delivered as delivery
from households.models import Poverty, Review
from outreach.scope import scoped
from reports.selectors.figures import year_summary

# Asset states as the dashboard groups them: in service (installed and not yet checked,
# working, repaired), faulty, removed.
IN_SERVICE = (Asset.Status.INSTALLED, Asset.Status.WORKING, Asset.Status.REPAIRED)
# "Left poverty": a review classified a poor household as anything else; "left near-poverty": a
# near-poor household as neither poor nor near-poor (average living standard, or none). Reviews
# from before the campaigns carry the classification their status meant (migration 0009).
LEFT_POVERTY = Q(previous_classification=Poverty.POOR) & ~Q(classification=Poverty.POOR)
LEFT_NEAR_POVERTY = Q(previous_classification=Poverty.NEAR_POOR) & ~Q(
    classification__in=[Poverty.POOR, Poverty.NEAR_POOR]
)


def improved_households(*, user, first_year: int, last_year: int) -> dict:
    """Count the households whose classification improved at an approved review, by year and
    village.

    ``previous_classification`` is kept on each review, so this is one grouped query over the
    reviews of the years asked, not a walk through each household's history.
    """
    reviews = scoped(Review.objects.all(), user).filter(
        approved=True, reviewed_on__year__gte=first_year, reviewed_on__year__lte=last_year
    )
    rows = list(
        reviews.annotate(year=ExtractYear("reviewed_on"))
        .annotate(**_place_of("household__village"))
        .values("year", *PLACE)
        .annotate(
            left_poverty=Count("household_id", distinct=True, filter=LEFT_POVERTY),
            left_near_poverty=Count("household_id", distinct=True, filter=LEFT_NEAR_POVERTY),
        )
        .filter(Q(left_poverty__gt=0) | Q(left_near_poverty__gt=0))
        .order_by("year", "place_name", "place_id")
    )
    by_year = {
        year: {"year": year, "left_poverty": 0, "left_near_poverty": 0}
        for year in range(first_year, last_year + 1)
    }
    for row in rows:
        # A household lives in one village, so the villages' counts add up to the year's.
        by_year[row["year"]]["left_poverty"] += row["left_poverty"]
        by_year[row["year"]]["left_near_poverty"] += row["left_near_poverty"]
    return {
        "years": list(by_year.values()),
        # By village id: two communes may each have a "Thôn 1".
        "villages": {(row["year"], row["place_id"]): row for row in rows},
    }


def _place_of(village: str) -> dict:
    """The village a grouped row counts under (``village`` is the path to it): its successor if
    it carried on under a new commune in a reform (old records roll up under today's unit), and
    that village's name and commune."""
    moved = f"{village}__merged_into"
    return {
        "place_id": Coalesce(F(f"{moved}_id"), F(f"{village}_id")),
        "place_name": Coalesce(F(f"{moved}__name"), F(f"{village}__name")),
        "place_commune_id": Coalesce(F(f"{moved}__commune_id"), F(f"{village}__commune_id")),
        "place_commune": Coalesce(F(f"{moved}__commune__name"), F(f"{village}__commune__name")),
    }


PLACE = ("place_id", "place_name", "place_commune_id", "place_commune")


def village_figures(*, user, first_year: int, last_year: int, improved: dict) -> dict:
    """Return, for each year and village, the households reached by gifts, the grants, the assets
    installed (in service, faulty, removed today) and the households that improved.

    Rows are by village id (two communes may each have a "Thôn 1"). Past ``VILLAGE_ROWS``
    villages (a province's view), they are added up by commune: a household lives in one village,
    so the villages' counts add up to the commune's, and a province's table stays a row per
    commune rather than thousands. Three grouped queries (receipts, grants, assets), whatever the
    number of rows. Returns ``{"by": "village" | "commune", "rows": [...], "several_communes"}``.
    """
    years = {"gte": first_year, "lte": last_year}
    rows: dict[tuple, dict] = {}

    def row(year: int, found: dict) -> dict:
        return rows.setdefault(
            (year, found["place_id"]),
            {
                "year": year,
                "village": found["place_name"],
                "commune_id": found["place_commune_id"],
                "commune": found["place_commune"],
                "households": 0,
                "receipts_vnd": 0,
                "grants": 0,
                "grants_vnd": 0,
                "assets": 0,
                "assets_in_service": 0,
                "assets_faulty": 0,
                "assets_removed": 0,
                "left_poverty": 0,
                "left_near_poverty": 0,
            },
        )

    for found in (
        delivery.delivered_receipts(scoped(Receipt.objects.all(), user))
        .filter(
            distribution__distributed_on__year__gte=years["gte"],
            distribution__distributed_on__year__lte=years["lte"],
        )
        .annotate(year=ExtractYear("distribution__distributed_on"))
        .annotate(**_place_of("village"))
        .values("year", *PLACE)
        .annotate(households=Count("household_id", distinct=True), value=Sum("value_vnd"))
        .order_by()
    ):
        entry = row(found["year"], found)
        entry["households"] = found["households"]
        entry["receipts_vnd"] = found["value"] or 0
    for found in (
        GrantPayment.objects.filter(
            grant__in=scoped(Grant.objects.all(), user).filter(
                approved_on__year__gte=years["gte"], approved_on__year__lte=years["lte"]
            )
        )
        .annotate(year=ExtractYear("grant__approved_on"))
        .annotate(**_place_of("grant__village"))
        .values("year", *PLACE)
        .annotate(count=Count("grant_id", distinct=True), amount=Sum("amount_vnd"))
        .order_by()
    ):
        entry = row(found["year"], found)
        entry["grants"] = found["count"]
        entry["grants_vnd"] = found["amount"] or 0
    for found in (
        delivery.installed_assets(scoped(Asset.objects.all(), user))
        .filter(installed_on__year__gte=years["gte"], installed_on__year__lte=years["lte"])
        .annotate(year=ExtractYear("installed_on"))
        .annotate(**_place_of("village"))
        .values("year", *PLACE)
        .annotate(
            count=Count("pk"),
            in_service=Count("pk", filter=Q(status__in=IN_SERVICE)),
            faulty=Count("pk", filter=Q(status=Asset.Status.FAULTY)),
            removed=Count("pk", filter=Q(status=Asset.Status.REMOVED)),
        )
        .order_by()
    ):
        entry = row(found["year"], found)
        entry["assets"] = found["count"]
        entry["assets_in_service"] = found["in_service"]
        entry["assets_faulty"] = found["faulty"]
        entry["assets_removed"] = found["removed"]
    for (year, _village), found in improved["villages"].items():
        entry = row(year, found)
        entry["left_poverty"] = found["left_poverty"]
        entry["left_near_poverty"] = found["left_near_poverty"]
    if len({key[1] for key in rows}) <= VILLAGE_ROWS:
        ordered = sorted(rows.values(), key=lambda e: (e["year"], e["village"], e["commune"]))
        several = len({entry["commune_id"] for entry in rows.values()}) > 1
        return {"by": "village", "rows": ordered, "several_communes": several}
    communes: dict[tuple, dict] = {}
    for entry in rows.values():
        total = communes.setdefault(
            (entry["year"], entry["commune_id"]),
            {**entry, "village": entry["commune"], **dict.fromkeys(FIGURES, 0)},
        )
        for key in FIGURES:
            total[key] += entry[key]
    ordered = sorted(communes.values(), key=lambda e: (e["year"], e["commune"], e["commune_id"]))
    return {"by": "commune", "rows": ordered, "several_communes": True}


# Up to this many villages the dashboard's table has a row per village; past it, per commune.
VILLAGE_ROWS = 300

# The figures of a village row, which add up to its commune's.
FIGURES = (
    "households",
    "receipts_vnd",
    "grants",
    "grants_vnd",
    "assets",
    "assets_in_service",
    "assets_faulty",
    "assets_removed",
    "left_poverty",
    "left_near_poverty",
)


def asset_figures(*, user, first_year: int, last_year: int) -> list[dict]:
    """Return the assets installed each year, by kind, with how many are in service, faulty or
    removed today (one grouped query)."""
    kinds = dict(Asset.Kind.choices)
    return [
        {
            "year": row["year"],
            "kind": str(kinds.get(row["kind"], row["kind"])),
            "count": row["count"],
            "in_service": row["in_service"],
            "faulty": row["faulty"],
            "removed": row["removed"],
        }
        for row in delivery.installed_assets(scoped(Asset.objects.all(), user))
        .filter(installed_on__year__gte=first_year, installed_on__year__lte=last_year)
        .annotate(year=ExtractYear("installed_on"))
        .values("year", "kind")
        .annotate(
            count=Count("pk"),
            in_service=Count("pk", filter=Q(status__in=IN_SERVICE)),
            faulty=Count("pk", filter=Q(status=Asset.Status.FAULTY)),
            removed=Count("pk", filter=Q(status=Asset.Status.REMOVED)),
        )
        .order_by("year", "kind")
    ]


def _places(figures: dict) -> dict:
    return {
        "villages": figures["rows"],
        "villages_by": figures["by"],
        "villages_communes": figures["several_communes"],
    }


def dashboard(*, user, first_year: int, last_year: int) -> dict:
    """Return the partnership's figures year by year and village by village.

    One ``year_summary`` per year (a handful of grouped queries each, not a scan per row), plus
    a few grouped queries: assets by year and state, reviews that improved a household's
    classification, and the year-by-village table.
    """
    years = [year_summary(user=user, year=year) for year in range(first_year, last_year + 1)]
    funders = sorted({row["partner"] for y in years for row in y["value_delivered_by_funder"]})
    activity_kinds = dict(Activity.Kind.choices)
    improved = improved_households(user=user, first_year=first_year, last_year=last_year)
    for summary, change in zip(years, improved["years"], strict=True):
        summary["improved"] = change
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
        "activity_rows": [
            {
                "year": y["year"],
                "kind": str(activity_kinds.get(row["kind"], row["kind"])),
                "count": row["count"],
                **row["participants"],
                "participants": sum(row["participants"].values()),
            }
            for y in years
            for row in y["activities"]
        ],
        "assets": asset_figures(user=user, first_year=first_year, last_year=last_year),
        **_places(
            village_figures(
                user=user, first_year=first_year, last_year=last_year, improved=improved
            )
        ),
    }
