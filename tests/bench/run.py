"""Time the staff pages on PostgreSQL at a province's scale and print a table.

    make bench                                   # 1,000,000 households (first run fills ~1 min)
    BENCH_HOUSEHOLDS=100000 make bench           # smaller

Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bacung_bench). The
database is created, migrated and filled once with SQL (generate_series); later runs reuse it.
Not part of the test suite: timings depend on the machine, query counts are asserted in tests.
tests/bench/registry_bench.py then times the registry's reads alone (search as staff and as an
administrator, page 2 against the deepest page) with EXPLAIN ANALYZE of the page query.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bacung_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

import psycopg  # noqa: E402

HOUSEHOLDS = int(os.environ.get("BENCH_HOUSEHOLDS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
VILLAGES_PER_COMMUNE = 10


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def fill(households: int) -> None:
    from django.db import connection

    from households.models import Household
    from outreach.models import Commune, Partner, Partnership, Province, Village

    have = Household.objects.count()
    if have >= households:
        return
    print(f"filling {households - have:,} households…", flush=True)
    started = time.perf_counter()
    province, _ = Province.objects.get_or_create(name="Tỉnh Bench")
    office, _ = Partner.objects.get_or_create(name="Văn phòng Bench", defaults={"kind": "agency"})
    communes = households // 1000 + 1
    for c in range(Commune.objects.filter(province=province).count(), communes):
        commune = Commune.objects.create(province=province, name=f"Xã Bench {c}")
        Partnership.objects.create(
            name=f"Bench {c}", office=office, commune=commune, start_year=2022
        )
        Village.objects.bulk_create(
            Village(commune=commune, name=f"Thôn {c}-{v}") for v in range(VILLAGES_PER_COMMUNE)
        )
    with connection.cursor() as cursor:
        # Households spread over the villages; names repeat so that searches find many.
        cursor.execute(
            """
            WITH v AS (SELECT id, commune_id, row_number() OVER (ORDER BY id) - 1 AS n
                       FROM outreach_village WHERE commune_id IN (
                           SELECT id FROM outreach_commune WHERE province_id = %(province)s)),
                 nv AS (SELECT count(*) AS c FROM v)
            INSERT INTO households_household
                (created_at, updated_at, commune_id, village_id, code, head_name, address, phone,
                 housing_condition, poverty, last_reviewed_on, notes, archived, search_text,
                 flagged_for_review, flag_reason, policy_family, in_difficulty,
                 difficulty_reason)
            SELECT now(), now(), v.commune_id, v.id, 'B-' || lpad(g::text, 8, '0'),
                   (ARRAY['Ma','Hoàng','Nông','Lý','Triệu','Bàn','Quan','Chẩu'])[g %% 8 + 1]
                     || ' Văn ' || (ARRAY['Liệu','Sơn','Đức','Hùng','Lợi','Tài'])[g %% 6 + 1]
                     || ' ' || g,
                   '', '', 'semi_solid',
                   (ARRAY['poor','near_poor','average','none','none'])[g %% 5 + 1],
                   DATE '2024-12-01' - (g %% 900), '', false,
                   lower('b-' || lpad(g::text, 8, '0') || ' ' ||
                     (ARRAY['ma','hoang','nong','ly','trieu','ban','quan','chau'])[g %% 8 + 1]
                     || ' van ' || (ARRAY['lieu','son','duc','hung','loi','tai'])[g %% 6 + 1]
                     || ' ' || g),
                   g %% 500 = 0, '', g %% 20 = 0, g %% 50 = 0, ''
            FROM generate_series(%(start)s, %(stop)s) AS g
            CROSS JOIN nv
            JOIN v ON v.n = g %% nv.c
            """,
            {"province": province.pk, "start": have + 1, "stop": households},
        )
        cursor.execute("ANALYZE")
    print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)


def measure(client, url: str) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings), len(queries), response.status_code


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from households.models import Household
    from outreach.models import Village

    call_command("migrate", verbosity=0)
    fill(HOUSEHOLDS)
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    village = Village.objects.filter(name__startswith="Thôn").order_by("pk").first()
    household = Household.objects.order_by("-pk").first()
    pages = [
        ("households: first page", "/admin/households/household/"),
        ("households: page 200", "/admin/households/household/?p=200"),
        ("households: search 'ma van lieu' (4%)", "/admin/households/household/?q=ma+van+lieu"),
        ("households: search one code", "/admin/households/household/?q=B-00777777"),
        (
            "households: one village",
            f"/admin/households/household/?village__id__exact={village.pk}",
        ),
        ("households: status poor", "/admin/households/household/?status__exact=poor"),
        ("household: change page", f"/admin/households/household/{household.pk}/change/"),
        ("villages", "/admin/outreach/village/"),
        # The working pages (the admin is for data fixes).
        ("registry: first page", "/households/"),
        ("registry: page 2", "/households/?page=2"),
        ("registry: page 200", "/households/?page=200"),
        ("registry: page 2,000", "/households/?page=2000"),
        ("registry: search 'ma van lieu'", "/households/?q=ma+van+lieu"),
        ("registry: search 'ma van lieu 1'", "/households/?q=ma+van+lieu+1"),
        ("registry: search one code", "/households/?q=B-00777777"),
        ("registry: one village", f"/households/?village={village.pk}"),
        ("registry: poor, review due", "/households/?status=poor&review_due=on"),
        ("registry: with a disability", "/households/?disability=on"),
        ("registry: received nothing this year", "/households/?received_nothing=on"),
        ("case file", f"/households/{household.pk}/"),
        ("case file: print", f"/households/{household.pk}/print/"),
        ("review queue", "/households/reviews/"),
        ("activities", "/activities/"),
        ("distributions", "/distributions/"),
        ("donations", "/donations/"),
        ("assets", "/assets/"),
    ]
    rows = [(name, *measure(client, url)) for name, url in pages]

    # The same pages for office staff of one partnership: every query carries their scope.
    from outreach.models import Partnership, RoleAssignment
    from outreach.services import role_assign

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True}
    )
    partnership = Partnership.objects.get(commune=village.commune)
    role_assign(
        actor=None, user=staff, role=RoleAssignment.Role.OFFICE_STAFF, partnership=partnership
    )
    client.force_login(staff)
    scoped_household = Household.objects.filter(commune=village.commune).order_by("pk").first()
    staff_pages = [
        ("staff: households", "/admin/households/household/"),
        ("staff: search 'ma van lieu'", "/admin/households/household/?q=ma+van+lieu"),
        (
            "staff: household change page",
            f"/admin/households/household/{scoped_household.pk}/change/",
        ),
        ("staff: someone else's household", f"/admin/households/household/{household.pk}/change/"),
        ("staff: registry", "/households/"),
        ("staff: registry search 'ma van lieu'", "/households/?q=ma+van+lieu"),
        ("staff: registry search 'ma van lieu 1'", "/households/?q=ma+van+lieu+1"),
        ("staff: registry search one code", "/households/?q=B-00001010"),
        ("staff: review queue", "/households/reviews/"),
        ("staff: case file", f"/households/{scoped_household.pk}/"),
        ("staff: someone else's case file", f"/households/{household.pk}/"),
    ]
    rows += [(name, *measure(client, url)) for name, url in staff_pages]
    # The poverty review's pages, each beside its SQL floor (tests/bench/review_bench.py).
    from tests.bench import review_bench

    review_bench.fill_reviews()
    client.force_login(user)
    review = review_bench.review_rows(client, village.commune, REPEAT)
    total = Household.objects.count()
    print(f"\nPostgreSQL, {total:,} households, median of {REPEAT} requests\n")
    print(f"| {'page':<40} | {'median ms':>9} | {'max ms':>7} | {'queries':>7} | status |")
    print(f"|{'-' * 42}|{'-' * 11}|{'-' * 9}|{'-' * 9}|--------|")
    for name, median, worst, queries, status in rows:
        print(f"| {name:<40} | {median:>9.1f} | {worst:>7.1f} | {queries:>7} | {status:>6} |")
    review_bench.print_rows(review)


if __name__ == "__main__":
    main()
