"""Read a household file (CSV or XLSX): refuse what cannot be imported, find its header and the
field of each column, skip the rows that hold no household (listing them), parse every row."""

import csv
import io
import itertools
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.utils.translation import gettext as _

from households.imports.columns import UNREAD_KEYS, FileProblem, ParsedFile, Row
from households.imports.decoding import decode_text
from households.imports.header import SCAN_ROWS, Layout, find_layout
from households.imports.limits import MAX_ROWS, capped, check_workbook
from households.imports.parsing import _cell_text, parse_row
from households.imports.persons import group_persons
from households.imports.skipping import SKIP_EMPTY, reason_text, skip_reason

# A province's biggest commune has tens of thousands of households; anything far beyond is a
# mistake (the wrong file), refused before it is read. What the file may unpack to (rows,
# columns, cells, a cell's length): households.imports.limits.
MAX_BYTES = 60 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")


def _csv_rows(data: bytes) -> Iterator[list]:
    # UTF-8, UTF-16 or Windows-1258, else refused (households.imports.decoding).
    text = decode_text(data)
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from capped(csv.reader(io.StringIO(text, newline=""), dialect))


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        # Before openpyxl, which reads the workbook's whole table of texts when it opens it.
        check_workbook(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblem(_("The file is not a readable XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        for values in capped(sheet.iter_rows(values_only=True)):
            yield [
                unicodedata.normalize("NFC", value) if isinstance(value, str) else value
                for value in values
            ]
    finally:
        workbook.close()


def _is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def check_file(filename: str, content: bytes | File) -> bytes:
    """Refuse a file the import cannot take (not CSV or XLSX, too big, empty, unreadable) and
    return its bytes.

    The one check of every path: the services behind the upload page and the command, and the
    worker's jobs (through ``read_file``) call it, so each refuses the same files with the same
    message. An uploaded file is measured before it is read into memory; its position is left
    where it was."""
    if not is_household_file(filename):
        raise FileProblem(_("Choose a CSV or XLSX file."))
    size = len(content) if isinstance(content, bytes) else content.size
    if size > MAX_BYTES:
        raise FileProblem(_("The file is too big (more than 60 MB)."))
    if isinstance(content, bytes):
        data = content
    else:
        position = content.tell()
        content.seek(0)
        data = content.read()
        content.seek(position)
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    # Decoding a CSV file (every byte of it) or opening a workbook finds an unreadable file now,
    # not in the middle of the import.
    lines = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(data)
    try:
        if next(lines, None) is None:
            raise FileProblem(_("The file is empty."))
        if not _is_xlsx(data, filename):
            # Every row of a CSV file is cheap to go through: its caps are checked now. A
            # workbook's were, as a stream, when it was opened.
            for _cells in lines:
                pass
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    finally:
        lines.close()
    return data


def read_file(
    data: bytes,
    filename: str,
    *,
    header_row: int | None = None,
    choice: dict[str, str] | None = None,
    remembered: dict | None = None,
) -> ParsedFile:
    """Read a household file (CSV or XLSX): find its header and the field of each column
    (``households.imports.header.find_layout``: ``header_row`` and ``choice`` are the person's,
    ``remembered`` the commune's last confirmed layout), skip and list the rows that hold no
    household, parse every other row, and group a file of one row per person into households.
    Raise ``FileProblem`` when the file as a whole is unusable."""
    check_file(filename, data)
    lines = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(data)
    try:
        first = list(itertools.islice(lines, SCAN_ROWS + 1))
        layout = find_layout(first, header_row=header_row, choice=choice, remembered=remembered)
        start = layout.header_row + layout.depth  # the first data row's number
        rest = itertools.chain(first[start - 1 :], lines)
        rows, skipped = _data_rows(rest, start, layout)
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    finally:
        lines.close()
    if layout.person_rows:
        rows = group_persons(rows)
    if not rows:
        raise FileProblem(_("The file has no household rows under its headers."))
    mapping: dict[str, str] = {}
    for header, field in zip(layout.headers, layout.fields, strict=True):
        if header:
            mapping.setdefault(header, "" if field in UNREAD_KEYS else field)
    read = [f for f in layout.fields if f and f not in UNREAD_KEYS]
    return ParsedFile(
        rows=rows,
        columns=read,
        ignored=[
            h for h, f in zip(layout.headers, layout.fields, strict=True) if h and mapping[h] == ""
        ],
        mapping=mapping,
        layout=layout.as_dict(),
        skipped=skipped,
    )


def _data_rows(lines: Iterator[list], start: int, layout: Layout) -> tuple[list[Row], list[dict]]:
    """Parse the rows under the header; return them and the rows skipped, each with why. Empty
    rows are listed only when a non-empty row follows them (Excel's formatted rows below a table
    are nobody's)."""
    positions = {
        position: field
        for position, field in enumerate(layout.fields)
        if field and field not in UNREAD_KEYS
    }
    rows: list[Row] = []
    skipped: list[dict] = []
    empty: list[dict] = []
    for number, cells in enumerate(lines, start=start):
        texts = [_cell_text(cell) for cell in cells]
        reason = skip_reason(texts, positions, layout)
        if reason == SKIP_EMPTY:
            empty.append({"row": number, "reason": reason})
            continue
        skipped += empty
        empty = []
        if reason is not None:
            skipped.append({"row": number, "reason": reason})
            continue
        if len(rows) >= MAX_ROWS:
            raise FileProblem(
                _("The file has more than %(count)s rows: split it.") % {"count": MAX_ROWS}
            )
        raw = {key: cells[position] for position, key in positions.items() if position < len(cells)}
        rows.append(parse_row(number, raw, person_rows=layout.person_rows))
    skipped.sort(key=lambda item: item["row"])
    return rows, [{**item, "reason": reason_text(item["reason"])} for item in skipped]


def is_household_file(filename: str) -> bool:
    """Tell whether a file name has an extension the import reads."""
    return Path(filename or "").suffix.lower() in EXTENSIONS
