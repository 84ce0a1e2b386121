"""``make bench``: every page at a province's scale, beside its SQL floor and a stock Django admin.

    make bench                                   # 1,000,000 households (first run fills ~10 min)
    BENCH_HOUSEHOLDS=100000 make bench           # a quick run
    BENCH_LOAD_SECONDS=0 make bench              # without the load run

Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bacung_bench),
created, migrated and filled once (tests/bench/data.py: households, members, reviews, receipts,
donations, assets, grants); later runs reuse it and a larger scale adds to it.

For each scenario, in this one process: the median and 95th percentile of ``BENCH_REPEAT``
requests (after one unmeasured), the number of queries, the SQL floor (the same queries sent
straight to the database: what no Python code can go below), the goal of issue 19 for that page
and whether it is met, how many results the page says it found, and the same page of a stock
Django admin over the same rows (tests/bench/stock.py) with its time and its count. The table is
printed and written to ``var/bench/results.json``; then a bounded load run against gunicorn
(tests/bench/load.py). Not part of the test suite: timings depend on the machine; query counts
are asserted in tests.
"""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# The production settings (DEBUG=0: cached templates, hashed static files), served over plain
# HTTP to the test client; one process, so the cache in memory and tasks in-process.
STATIC = ROOT / "var" / "bench" / "static"
os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "0123456789abcdef" * 4,
        "ALLOWED_HOSTS": "testserver",
        "BEHIND_TLS_PROXY": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(STATIC),
        "EMAIL_URL": "console://",
        "LOG_LEVEL": "ERROR",
    }
)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bacung_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.pop("REDIS_URL", None)

import psycopg  # noqa: E402

HOUSEHOLDS = int(os.environ.get("BENCH_HOUSEHOLDS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
BUDGET_MS = 10_000
YEAR = 2025
RESULTS = ROOT / "var" / "bench" / "results.json"
KEYS = ("scenario", "rows", "p50_ms", "p95_ms", "queries", "floor_ms")
EXTRA = ("goal_ms", "met", "status", "found", "stock_p50_ms", "stock_found")


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _statement(sql: str) -> str | None:
    """The statement to run again for a captured one: a server-side cursor's own query once
    (its FETCH and CLOSE read what that query returns), anything else as it was."""
    declared = re.match(r"DECLARE \S+ .*?CURSOR (?:WITH(?:OUT)? HOLD )?FOR (.*)$", sql, re.S)
    if declared:
        return declared.group(1)
    if sql.startswith(("FETCH ", "CLOSE ")):
        return None
    return sql


def sql_floor(queries: list[dict], repeat: int = 5) -> float:
    """Run a request's captured SQL again on a cursor: the median milliseconds it takes."""
    from django.db import connection

    statements = [sql for sql in (_statement(query["sql"]) for query in queries) if sql]
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` of 1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def timed(client, url: str) -> dict:
    """p50, p95, queries and SQL floor of ``url`` for ``client``'s user, and its status."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # unmeasured: the first request of a page fills caches the others share
    timings = []
    # ``REPEAT`` requests, or fewer (at least 3) for a page that takes seconds.
    while len(timings) < REPEAT and (len(timings) < 3 or sum(timings) < BUDGET_MS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "queries": len(queries),
        "floor_ms": sql_floor(queries.captured_queries),
        "status": response.status_code,
    }


def registry_count(user, url: str) -> str:
    """What the registry says it found for ``url`` (exact, or "> 10,000" past the cap)."""
    from django.http import QueryDict

    from households import selectors

    for name in ("_bacung_assignments", "_bacung_communes"):
        user.__dict__.pop(name, None)
    query = QueryDict(url.partition("?")[2])
    _filterset, page = selectors.household_page(user=user, filters=query, number=query.get("page"))
    paginator = page.paginator
    return f"> {paginator.cap:,}" if paginator.over_cap else f"{paginator.count:,}"


def stock_count(user, url: str) -> str:
    """How many rows the stock admin's changelist at ``url`` says it found."""
    from django.contrib.admin.options import IncorrectLookupParameters
    from django.test import RequestFactory

    from households.models import Household
    from tests.bench.stock import StockHouseholdAdmin, site

    request = RequestFactory().get(url)
    request.user = user
    try:
        changelist = StockHouseholdAdmin(Household, site).get_changelist_instance(request)
    except IncorrectLookupParameters:  # a page past the last: the admin redirects to page 1
        return "no page"
    return f"{changelist.result_count:,}"


def goal(name: str, row: dict, html_p50: dict) -> float:
    """Issue 19's limit for this scenario, in ms."""
    if name.endswith(".pdf"):
        return html_p50.get(name.removesuffix(".pdf"), 0) + 100
    if name.removeprefix("staff: ").startswith(("dashboard", "annual report", "summary.json")):
        return 60.0
    if "province table" in name:
        return 300.0
    return 3 * row["floor_ms"] + 15


def scenarios(admin, staff) -> list[tuple]:
    """(who, name, url, count: 'registry' | None, stock URL or None) for every scenario."""
    from activities.models import Distribution
    from households.models import Household, ReviewCampaign
    from outreach.models import Partner, Village

    village = Village.objects.filter(name__startswith="Thôn").order_by("pk").first()
    commune = village.commune
    anyone = Household.objects.order_by("-pk").first()
    theirs = Household.objects.filter(commune=commune).order_by("pk").first()
    distribution = Distribution.objects.filter(partnership__commune=commune).first()
    campaign = ReviewCampaign.objects.filter(commune=commune, year=YEAR).first()
    bank = Partner.objects.get(name="Ngân hàng Bench")
    stock = "/stock-admin/households/household/"
    code = anyone.code
    rows = [
        ("admin", "registry: first page", "/households/", "registry", stock),
        ("admin", "registry: page 2", "/households/?page=2", "registry", f"{stock}?p=2"),
        ("admin", "registry: page 2,000", "/households/?page=2000", "registry", f"{stock}?p=2000"),
        (
            "admin",
            "search 'ma van lieu'",
            "/households/?q=ma+van+lieu",
            "registry",
            f"{stock}?q=ma+van+lieu",
        ),
        (
            "admin",
            "search 'Ma Văn Liệu'",
            "/households/?q=Ma+V%C4%83n+Li%E1%BB%87u",
            "registry",
            f"{stock}?q=Ma+V%C4%83n+Li%E1%BB%87u",
        ),
        (
            "admin",
            "search 'ma van lieu 1'",
            "/households/?q=ma+van+lieu+1",
            "registry",
            f"{stock}?q=ma+van+lieu+1",
        ),
        ("admin", "search one code", f"/households/?q={code}", "registry", f"{stock}?q={code}"),
        (
            "admin",
            "registry: one village",
            f"/households/?village={village.pk}",
            "registry",
            f"{stock}?village__id__exact={village.pk}",
        ),
        (
            "admin",
            "registry: poor",
            "/households/?status=poor",
            "registry",
            f"{stock}?poverty__exact=poor",
        ),
        (
            "admin",
            "registry: poor, review due",
            "/households/?status=poor&review_due=on",
            "registry",
            None,
        ),
        ("admin", "registry: with a disability", "/households/?disability=on", "registry", None),
        (
            "admin",
            "registry: received nothing",
            "/households/?received_nothing=on",
            "registry",
            None,
        ),
        ("admin", "case file", f"/households/{anyone.pk}/", None, f"{stock}{anyone.pk}/change/"),
        ("admin", "case file: print", f"/households/{anyone.pk}/print/", None, None),
        ("admin", "review queue", "/households/reviews/", None, None),
        ("admin", "campaigns", "/households/campaigns/", None, None),
        ("admin", "campaign: household list", f"/households/campaigns/{campaign.pk}/", None, None),
        (
            "admin",
            "review: commune tables",
            f"/reports/review/?commune={commune.pk}&year={YEAR}",
            None,
            None,
        ),
        (
            "admin",
            "review: province table",
            f"/reports/review/province/?province={commune.province_id}&year={YEAR}",
            None,
            None,
        ),
        ("admin", "activities", "/activities/", None, None),
        ("admin", "distributions", "/distributions/", None, None),
        ("admin", "distribution", f"/distributions/{distribution.pk}/", None, None),
        ("admin", "donations", "/donations/", None, None),
        ("admin", "assets", "/assets/", None, None),
        ("admin", "admin: households", "/admin/households/household/", None, stock),
        (
            "admin",
            "admin: search 'ma van lieu'",
            "/admin/households/household/?q=ma+van+lieu",
            None,
            f"{stock}?q=ma+van+lieu",
        ),
        ("admin", "dashboard", "/reports/dashboard/", None, None),
        ("admin", "dashboard.pdf", "/reports/dashboard.pdf", None, None),
        ("admin", f"annual report {YEAR}", f"/reports/annual/{YEAR}/", None, None),
        ("admin", f"annual report {YEAR}.pdf", f"/reports/annual/{YEAR}.pdf", None, None),
        ("admin", "summary.json", f"/reports/summary.json?year={YEAR}", None, None),
        ("admin", "donor report", f"/reports/donor/?partner={bank.pk}", None, None),
        ("admin", "donor report.pdf", f"/reports/donor/report.pdf?partner={bank.pk}", None, None),
        ("staff", "staff: registry", "/households/", "registry", stock),
        (
            "staff",
            "staff: search 'ma van lieu'",
            "/households/?q=ma+van+lieu",
            "registry",
            f"{stock}?q=ma+van+lieu",
        ),
        (
            "staff",
            "staff: search 'ma van lieu 1'",
            "/households/?q=ma+van+lieu+1",
            "registry",
            f"{stock}?q=ma+van+lieu+1",
        ),
        (
            "staff",
            "staff: search one code",
            f"/households/?q={theirs.code}",
            "registry",
            f"{stock}?q={theirs.code}",
        ),
        ("staff", "staff: case file", f"/households/{theirs.pk}/", None, None),
        ("staff", "staff: someone else's case file", f"/households/{anyone.pk}/", None, None),
        ("staff", "staff: review queue", "/households/reviews/", None, None),
        ("staff", "staff: dashboard", "/reports/dashboard/", None, None),
        ("staff", "staff: summary.json", f"/reports/summary.json?year={YEAR}", None, None),
    ]
    return rows


def bench_users():
    from django.contrib.auth import get_user_model

    from outreach.models import Partnership, RoleAssignment, Village
    from outreach.services import role_assign

    users = get_user_model().objects
    admin, _ = users.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    staff, created = users.get_or_create(username="bench-staff", defaults={"is_staff": True})
    if created:
        village = Village.objects.filter(name__startswith="Thôn").order_by("pk").first()
        partnership = Partnership.objects.get(commune=village.commune)
        role_assign(
            actor=None, user=staff, role=RoleAssignment.Role.OFFICE_STAFF, partnership=partnership
        )
    return admin, staff


def print_table(total: int, rows: list[dict]) -> None:
    print(
        f"\nPostgreSQL, {total:,} households; p50 and p95 of {REPEAT} requests (at least 3 "
        f"for a page past {BUDGET_MS / 1000:.0f} s in all), in ms\n"
    )
    header = (
        f"| {'scenario':<34} | {'p50':>7} | {'p95':>7} | {'queries':>7} | {'floor':>6} "
        f"| {'p50/floor':>9} | {'goal':>7} | met | {'found':>9} | {'stock p50':>9} "
        f"| {'stock found':>11} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for row in rows:
        ratio = row["p50_ms"] / row["floor_ms"] if row["floor_ms"] else 0
        stock = f"{row['stock_p50_ms']:>9.1f}" if row.get("stock_p50_ms") is not None else ""
        met = "yes" if row["met"] else "NO"
        print(
            f"| {row['scenario']:<34} | {row['p50_ms']:>7.1f} | {row['p95_ms']:>7.1f} "
            f"| {row['queries']:>7} | {row['floor_ms']:>6.1f} | {ratio:>9.1f} "
            f"| {row['goal_ms']:>7.1f} | {met:<3} | {row.get('found', ''):>9} | {stock:>9} "
            f"| {row.get('stock_found', ''):>11} |"
        )
    missed = [row["scenario"] for row in rows if not row["met"]]
    print(
        f"\ngoals met: {len(rows) - len(missed)} of {len(rows)}"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import clear_url_caches

    from households.models import Household
    from tests.bench import data

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    data.fill(HOUSEHOLDS)
    settings.ROOT_URLCONF = "tests.bench.urls"
    clear_url_caches()
    admin, staff = bench_users()
    clients = {}
    for who, user in (("admin", admin), ("staff", staff)):
        clients[who] = Client()
        clients[who].force_login(user)
    stock_client = Client()
    stock_client.force_login(admin)
    total = Household.objects.count()

    rows, html_p50 = [], {}
    for who, name, url, count, stock_url in scenarios(admin, staff):
        user = admin if who == "admin" else staff
        row = {"scenario": name, "rows": total, **timed(clients[who], url)}
        html_p50[name] = row["p50_ms"]
        row["goal_ms"] = goal(name, row, html_p50)
        expected = 404 if "someone else's" in name else 200
        row["met"] = row["p50_ms"] <= row["goal_ms"] and row["status"] == expected
        if count == "registry":
            row["found"] = registry_count(user, url)
        if stock_url:
            # The stock admin serves administrators only: it is timed as one.
            stock = timed(stock_client, stock_url)
            row["stock_p50_ms"] = stock["p50_ms"]
            if "change" not in stock_url:
                row["stock_found"] = stock_count(admin, stock_url)
        rows.append(row)
        print(f"  {name}: {row['p50_ms']:.1f} ms", flush=True)

    print_table(total, rows)
    records = [
        {
            **{key: round(row[key], 2) if "ms" in key else row[key] for key in KEYS},
            **{key: row[key] for key in EXTRA if key in row},
        }
        for row in rows
    ]
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    if seconds > 0:
        from tests.bench import load

        result = load.run(seconds=seconds, admin=admin, staff=staff, static=STATIC)
        records.append(
            {
                "scenario": f"load: {result['users']} users, {result['workers']} workers",
                "rows": total,
                "p50_ms": result["p50_ms"],
                "p95_ms": result["p95_ms"],
                "queries": None,
                "floor_ms": None,
                **result,
            }
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(records, ensure_ascii=False, indent=1))
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
