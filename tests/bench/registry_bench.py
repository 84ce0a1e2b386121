"""Time the registry's reads alone (the selector, no rendering): search as office staff of one
commune and as an administrator, page 2 against the deepest page, and what count each shows.

    DATABASE_URL=postgres://…/bacung_bench BENCH_HOUSEHOLDS=100000 .venv/bin/python \
        tests/bench/registry_bench.py

Run tests/bench/run.py first (it fills the database and makes the bench users). Whole-page
timings (run.py) carry the session, the template and the machine's other work; these carry the
queries of the list and nothing else, and ``EXPLAIN ANALYZE`` gives the page query's own time.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bacung_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))


def _fresh(user):
    # Each request works out the user's scope afresh.
    for name in ("_bacung_assignments", "_bacung_communes"):
        user.__dict__.pop(name, None)
    return user


def _query(params: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(params)
    return query


def timed(user, params: dict) -> tuple[float, float, int, str, float | None]:
    """Median ms of the registry's reads and of their SQL alone (every query, as the database
    driver timed it), their number, the count shown and the page query's own execution time
    (EXPLAIN ANALYZE, ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from households import selectors

    timings, sql_times = [], []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            _filterset, page = selectors.household_page(
                user=_fresh(user), filters=_query(params), number=params.get("page")
            )
            list(page.object_list)
            timings.append((time.perf_counter() - started) * 1000)
        sql_times.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    paginator = page.paginator
    over = getattr(paginator, "over_cap", False)
    shown = f"> {paginator.cap:,}" if over else f"{paginator.count:,}"
    filterset = selectors.household_list(user=_fresh(user), filters=_query(params))
    start = (page.number - 1) * paginator.per_page
    plan = filterset.qs[start : start + paginator.per_page].explain(analyze=True)
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return (
        statistics.median(timings),
        statistics.median(sql_times),
        len(queries),
        f"{shown} (page {page.number})",
        float(found.group(1)) if found else None,
    )


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from households.models import Household

    users = get_user_model().objects
    admin, staff = users.get(username="bench"), users.get(username="bench-staff")
    total = Household.objects.count()
    cases = [
        ("page 2", {"page": "2"}),
        ("page 2,000", {"page": "2000"}),
        ("search 'ma van lieu'", {"q": "ma van lieu"}),
        ("search 'ma van lieu 1'", {"q": "ma van lieu 1"}),
        ("search 'ma van lieu', page 2", {"q": "ma van lieu", "page": "2"}),
        ("search 'ma van lieu', page 2,000", {"q": "ma van lieu", "page": "2000"}),
        ("search one code", {"q": "B-00001010"}),
    ]
    print(f"\nPostgreSQL, {total:,} households, registry reads, median of {REPEAT}\n")
    print(
        f"| {'who: list':<52} | {'median ms':>9} | {'all SQL ms':>10} | {'page SQL ms':>11} "
        "| queries | count shown |"
    )
    print(f"|{'-' * 54}|{'-' * 11}|{'-' * 12}|{'-' * 13}|---------|-------------|")
    for who, user in (("administrator", admin), ("staff (1 commune)", staff)):
        for name, params in cases:
            median, all_sql, queries, shown, page_sql = timed(user, params)
            sql = f"{page_sql:>11.2f}" if page_sql is not None else f"{'':>11}"
            print(
                f"| {who + ': ' + name:<52} | {median:>9.1f} | {all_sql:>10.1f} | {sql} "
                f"| {queries:>7} | {shown} |"
            )


if __name__ == "__main__":
    main()
