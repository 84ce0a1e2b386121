"""Household files for the background tests."""

import codecs
import csv
import io
import unicodedata

from households.imports import COLUMNS

HEADERS = [column.header for column in COLUMNS]


def household_file(rows: list[dict], *, headers=None, encoding="utf-8-sig", delimiter=",") -> bytes:
    """Return a CSV file with ``headers`` (default: every column) and ``rows`` (by header)."""
    headers = headers or HEADERS
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    text = buffer.getvalue()
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding == "cp1258":
        return windows_1258(text)
    return text.encode(encoding)


_SHAPES = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn: precomposed in Windows-1258


def windows_1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: letters with their shape, tone marks combining."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _SHAPES))
        tones = "".join(m for m in marks if m not in _SHAPES)
        out.append((shaped + tones).encode("cp1258"))
    return b"".join(out)


def many_rows(count: int, villages: list[str], *, prefix: str = "NK") -> list[dict]:
    """Return ``count`` valid rows over ``villages``, each with the head as a member."""
    return [
        {
            "Mã hộ": f"{prefix}-{n:06d}",
            "Thôn": villages[n % len(villages)],
            "Họ tên chủ hộ": f"Hoàng Văn Thử {n}",
            "Địa chỉ": f"Số {n}",
            "Tình trạng nhà ở": "Bán kiên cố",
            "Giới tính chủ hộ": "Nam" if n % 2 else "Nữ",
            "Ngày sinh chủ hộ": f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1950 + n % 50}",
        }
        for n in range(count)
    ]
