"""Time a report PDF's rendering (the fonts, the page, the output) and print the median.

    DEBUG=1 .venv/bin/python tests/bench/pdf_bench.py

No database: the document is built in memory, shaped like the annual report (a title, lines
and tables with Vietnamese text and money). Not part of the test suite: timings depend on the
machine. The first render of a process includes parsing the two DejaVu fonts; later renders
reuse them (core.pdf), so both are printed.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

import django  # noqa: E402

django.setup()

from reports.documents import MONEY, NUMBER, Column, Document, Table  # noqa: E402
from reports.pdf import document_pdf  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))


def sample() -> Document:
    columns = [
        Column("Xã", width=2),
        Column("Hộ nghèo", kind=NUMBER),
        Column("Hộ cận nghèo", kind=NUMBER),
        Column("Đã nhận (₫)", kind=MONEY, width=1.5),
    ]
    rows = [[f"Xã Đắk Pơ {i} — Thôn Ngọc Hồi", 120 + i, 45 + i, 12_500_000 * i] for i in range(40)]
    return Document(
        title="Báo cáo năm 2026 — Ba Cùng",
        filename_stem="bao-cao-2026",
        lines=["Tổng số hộ được hỗ trợ: 1.234", "Số tiền đã phân bổ: 2.345.000.000 ₫"],
        tables=[Table("Theo xã", columns, rows), Table("Theo đợt cấp phát", columns, rows[:10])],
    )


def main() -> None:
    document = sample()
    started = time.perf_counter()
    size = len(document_pdf(document))
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        document_pdf(document)
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    print(f"PDF {size:,} bytes: first {first:.0f} ms, then median {median:.0f} ms")


if __name__ == "__main__":
    main()
