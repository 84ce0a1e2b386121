"""Read a household file (CSV or XLSX): refuse what cannot be imported, find the columns under
their headers, parse every row."""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.core.files import File
from django.utils.translation import gettext as _

from core.text import fold
from households.imports.columns import BY_KEY, COLUMNS, FileProblem, ParsedFile
from households.imports.decoding import decode_text
from households.imports.limits import MAX_ROWS, capped, check_workbook
from households.imports.parsing import _cell_text, parse_row

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


def _header_map(headers: Sequence) -> tuple[dict[int, str], list[str], dict[str, str]]:
    known = {}
    for column in COLUMNS:
        for name in (column.header, column.key, *column.aliases):
            known[fold(name)] = column.key
    positions, ignored, seen, mapping = {}, [], {}, {}
    for position, header in enumerate(headers):
        text = _cell_text(header)
        if not text:
            continue
        key = known.get(fold(text).replace("_", " ")) or known.get(fold(text))
        mapping.setdefault(text, key or "")
        if key is None:
            ignored.append(text)
            continue
        if key in seen:
            raise FileProblem(
                _("The column %(column)s appears twice (%(first)s and %(second)s).")
                % {"column": BY_KEY[key].header, "first": seen[key], "second": text}
            )
        seen[key] = text
        positions[position] = key
    missing = [column.header for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise FileProblem(
            _("Required columns are missing: %(columns)s. Download the template to see them.")
            % {"columns": ", ".join(missing)}
        )
    return positions, ignored, mapping


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


def read_file(data: bytes, filename: str) -> ParsedFile:
    """Read a household file (CSV or XLSX) and parse every row; raise ``FileProblem`` when the
    file as a whole is unusable."""
    check_file(filename, data)
    lines = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(data)
    try:
        positions, ignored, mapping = _header_map(next(lines, []))
        rows = []
        for number, cells in enumerate(lines, start=2):
            raw = {
                key: cells[position] for position, key in positions.items() if position < len(cells)
            }
            if not any(_cell_text(value) for value in raw.values()):
                continue  # an empty line between blocks, or Excel's trailing formatted rows
            if len(rows) >= MAX_ROWS:
                raise FileProblem(
                    _("The file has more than %(count)s rows: split it.") % {"count": MAX_ROWS}
                )
            rows.append(parse_row(number, raw))
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    finally:
        lines.close()
    if not rows:
        raise FileProblem(_("The file has no household rows under its headers."))
    return ParsedFile(rows=rows, columns=list(positions.values()), ignored=ignored, mapping=mapping)


def is_household_file(filename: str) -> bool:
    """Tell whether a file name has an extension the import reads."""
    return Path(filename or "").suffix.lower() in EXTENSIONS
