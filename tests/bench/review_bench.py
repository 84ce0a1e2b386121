"""The poverty review's pages in ``make bench``: each timed beside its SQL floor.

The SQL floor of a page is the time its own queries take when sent straight to the database
(captured from one request, run again on a cursor): what no Python code can go below. The issue
holds the campaign's household list and a commune's yearly tables to 3× their floor + 15 ms, and
the province-wide table to 300 ms (it is kept in the cache: a repeated request reads no review).
"""

import datetime
import statistics
import time

BATCH = 5000
YEAR = 2025


def fill_reviews() -> None:
    """Give every bench commune its periodic review of ``YEAR``, decided: a listed, surveyed and
    decided entry and a review for each poor and near-poor household (once; later runs reuse)."""
    from households.models import (
        CampaignHousehold,
        Decision,
        Household,
        PovertyStandard,
        Review,
        ReviewCampaign,
        Survey,
    )
    from outreach.models import Commune

    communes = Commune.objects.filter(name__startswith="Xã Bench").exclude(
        review_campaigns__year=YEAR
    )
    if not communes.exists():
        return
    print("filling the review campaigns…", flush=True)
    started = time.perf_counter()
    standard = PovertyStandard.objects.get(code="2022-2025")
    signed_on = datetime.date(YEAR, 12, 10)
    from django.db import connection

    tables = [
        model._meta.db_table
        for model in (ReviewCampaign, Decision, CampaignHousehold, Survey, Review)
    ]
    for number, commune in enumerate(communes.iterator()):
        if number in (1, 10, 100):
            # Statistics for the tables being filled: without them (autovacuum off), the foreign
            # key checks at each commit are planned for empty tables and scan them whole, each
            # commune slower than the last (the fill took an hour instead of two minutes).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(tables)}")
        campaign = ReviewCampaign.objects.create(
            commune=commune, year=YEAR, standard=standard, opened_on=datetime.date(YEAR, 9, 1)
        )
        decision = Decision.objects.create(
            campaign=campaign, number=f"{commune.pk}/QĐ-UBND", signed_on=signed_on, signer="Bench"
        )
        rows = Household.objects.filter(
            commune=commune, poverty__in=["poor", "near_poor"]
        ).values_list("pk", "village_id", "poverty")
        entries = CampaignHousehold.objects.bulk_create(
            (
                CampaignHousehold(
                    campaign=campaign,
                    household_id=pk,
                    village_id=village,
                    why=poverty,
                    state=CampaignHousehold.State.DECIDED,
                    proposed=poverty,
                )
                for pk, village, poverty in rows
            ),
            batch_size=BATCH,
        )
        deprived = [["water", "toilet", "telecom"], ["health_insurance"], []]
        Survey.objects.bulk_create(
            (
                Survey(
                    entry=entry,
                    causes=["land"] if n % 2 else ["capital", "illness"],
                    needs=["credit"] if n % 3 else ["housing"],
                    deprived=deprived[n % 3],
                    proposed=entry.proposed,
                )
                for n, entry in enumerate(entries)
            ),
            batch_size=BATCH,
        )
        Review.objects.bulk_create(
            (
                Review(
                    household_id=entry.household_id,
                    reviewed_on=signed_on,
                    classification=entry.proposed,
                    previous_classification="poor" if n % 4 else "none",
                    reason="Bench",
                    standard=standard,
                    decision=decision,
                    entry=entry,
                    deprived=deprived[n % 3],
                )
                for n, entry in enumerate(entries)
            ),
            batch_size=BATCH,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)


def _sql_floor(queries: list[dict], repeat: int) -> float:
    """Run a request's captured SQL again on a cursor: the median milliseconds it takes."""
    from django.db import connection

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for query in queries:
                cursor.execute(query["sql"])
                if cursor.description:
                    cursor.fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def measure_with_floor(client, url: str, repeat: int) -> tuple:
    """Time ``url`` (median, max ms, queries, status) and its SQL floor (median ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    floor = _sql_floor(queries.captured_queries, repeat)
    return statistics.median(timings), max(timings), len(queries), response.status_code, floor


def _campaign_list(commune) -> tuple[str, str] | None:
    """The campaign's household list for one commune: its page if it is routed yet, else None
    (with a note); another helper builds households:campaign-detail."""
    from django.urls import NoReverseMatch, reverse

    from households.models import ReviewCampaign

    campaign = ReviewCampaign.objects.filter(commune=commune, year=YEAR).first()
    if campaign is None:
        return None
    try:
        return "campaign: household list", reverse("households:campaign-detail", args=[campaign.pk])
    except NoReverseMatch:
        print("note: households:campaign-detail is not routed yet; not timed", flush=True)
        return None


def review_rows(client, commune, repeat: int) -> list[tuple]:
    """Time the review pages of ``commune`` (and its province) beside their SQL floors."""
    from django.core.cache import cache

    pages = []
    listed = _campaign_list(commune)
    if listed:
        pages.append(listed)
    pages.append(("review: commune tables", f"/reports/review/?commune={commune.pk}&year={YEAR}"))
    province = f"/reports/review/province/?province={commune.province_id}&year={YEAR}"
    rows = [(name, *measure_with_floor(client, url, repeat)) for name, url in pages]
    # The province: the first request summarises (a new decision's cost), the next read the cache.
    cache.clear()
    started = time.perf_counter()
    client.get(province)
    first = (time.perf_counter() - started) * 1000
    print(f"province-wide table, first request (summarised): {first:.0f} ms", flush=True)
    rows.append(("review: province table (cached)", *measure_with_floor(client, province, repeat)))
    return rows


def print_rows(rows: list[tuple]) -> None:
    print(
        f"\n| {'review page':<40} | {'median ms':>9} | {'max ms':>7} | {'queries':>7} "
        f"| status | {'SQL floor ms':>12} | {'limit ms':>8} |"
    )
    print(f"|{'-' * 42}|{'-' * 11}|{'-' * 9}|{'-' * 9}|--------|{'-' * 14}|{'-' * 10}|")
    for name, median, worst, queries, status, floor in rows:
        limit = 300 if "province" in name else 3 * floor + 15
        print(
            f"| {name:<40} | {median:>9.1f} | {worst:>7.1f} | {queries:>7} | {status:>6} "
            f"| {floor:>12.1f} | {limit:>8.1f} |"
        )
