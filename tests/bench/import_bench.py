"""Time the household import of a 50,000-row file on PostgreSQL and print the figures.

    .venv/bin/python tests/bench/import_bench.py                 # 50,000 rows
    BENCH_IMPORT_ROWS=10000 .venv/bin/python tests/bench/import_bench.py

Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bacung_import_bench),
created and migrated if missing. Each run imports into a new commune, then imports the same file
again (every row unchanged). Runs the code the worker runs, in this process. Not part of the test
suite: timings depend on the machine; tests/background checks the outcomes.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bacung_import_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.pop("REDIS_URL", None)  # tasks in-process

import psycopg  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from core.models import Job
    from households import services
    from households.models import Household, HouseholdImport
    from outreach.models import Commune, Partner, Partnership, Province, Village
    from tests.background.helpers import household_file, many_rows

    run = Commune.objects.count() + 1
    province, _ = Province.objects.get_or_create(name="Tỉnh Bench nhập")
    office, _ = Partner.objects.get_or_create(
        name="Văn phòng Bench nhập", defaults={"kind": "agency"}
    )
    commune = Commune.objects.create(province=province, name=f"Xã nhập {run}")
    Partnership.objects.create(name=f"Nhập {run}", office=office, commune=commune, start_year=2022)
    names = [f"Thôn {v}" for v in range(12)]
    Village.objects.bulk_create(Village(commune=commune, name=name) for name in names)
    content = household_file(many_rows(ROWS, names))
    print(f"{ROWS:,} rows, {len(content) / 1e6:.1f} MB")

    rows = []
    for attempt in ("first import", "same file again"):
        started = time.perf_counter()
        preview = services.household_import_start(
            actor=None, commune=commune, content=content, filename="ho.csv"
        )
        services.household_import_check(job_id=preview.pk)
        checked = time.perf_counter()
        preview.refresh_from_db()
        job = services.household_import_confirm(actor=None, preview=preview)
        services.household_import_run(job_id=job.pk)
        done = time.perf_counter()
        job = Job.objects.get(pk=job.pk)
        applied = HouseholdImport.objects.get(apply_job=job).applied_counts()
        counts = ", ".join(f"{k} {v:,}" for k, v in applied.items())
        rows.append((attempt, checked - started, done - checked, counts, job.status))
        # What autovacuum does after 50,000 new rows on a production server (this machine's
        # PostgreSQL runs without it): the statistics of the tables the import reads.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"\n| {'import':<16} | {'check s':>7} | {'apply s':>7} | {'rows':<44} | status |")
    print(f"|{'-' * 18}|{'-' * 9}|{'-' * 9}|{'-' * 46}|--------|")
    for attempt, check, apply, counts, status in rows:
        print(f"| {attempt:<16} | {check:>7.1f} | {apply:>7.1f} | {counts:<44} | {status} |")
    print(f"households in the commune: {Household.objects.filter(commune=commune).count():,}")


if __name__ == "__main__":
    main()
