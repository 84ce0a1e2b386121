"""Time the XLSX export of ``BENCH_EXPORT_ROWS`` households (200,000) and its peak memory.

    .venv/bin/python tests/bench/export_bench.py       # after tests/bench/run.py filled the data

Writes what the background export writes (reports.exports.write_xlsx of the household list as an
administrator sees it), cut at ``BENCH_EXPORT_ROWS`` rows, to a temporary file, in this process
alone, so that the process's peak resident memory is the export's. Goal (issue 19): 200,000 rows
in ≤ 30 s and ≤ 150 MB.
"""

import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bacung_bench")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "200000"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import reset_queries

    from reports import exports

    admin = get_user_model().objects.get(username="bench")
    before = peak_mb()
    started = time.perf_counter()
    export = exports.list_export(kind="households", user=admin, filters=exports.Filters())
    export.rows = itertools.islice(export.rows, ROWS)
    with tempfile.TemporaryFile() as target:
        exports.write_xlsx(export, target)
        size = target.tell()
    seconds = time.perf_counter() - started
    reset_queries()
    peak = peak_mb()
    met = seconds <= 30 and peak <= 150
    print(
        f"\n| XLSX export | {ROWS:,} rows | {seconds:.1f} s | {size / 1e6:.1f} MB file "
        f"| peak memory {peak:.0f} MB (before {before:.0f} MB) | goal ≤ 30 s, ≤ 150 MB: "
        f"{'met' if met else 'NOT met'} |"
    )


if __name__ == "__main__":
    main()
