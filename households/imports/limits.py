"""What a household file may expand to, and the checks that stop reading one that goes beyond.

A 60 MB upload is small; what it unpacks to need not be. An XLSX file is a zip of XML: a few
hundred kilobytes can hold a 400 MB text cell, and openpyxl reads a workbook's whole table of
texts into memory when it opens it (2 GB for that cell). So a workbook is first read as a
stream (``check_workbook``: its table of texts and its first sheet, a chunk at a time, keeping
nothing but counts), and refused at the first cap passed, before openpyxl opens it. Every row
read from a CSV file or a workbook then passes ``capped``, which holds CSV files to the same caps.
"""

import csv
import io
import posixpath
import xml.parsers.expat
import zipfile
from collections.abc import Iterator

from defusedxml import ElementTree
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string

from households.imports.columns import FileProblem

# A commune's list: tens of thousands of rows of a dozen columns, with short texts (a note is a
# sentence or two). The caps are far above that and far below what hurts a worker.
MAX_ROWS = 200_000  # households: rows with data under the header
MAX_COLUMNS = 100
MAX_CELLS = 4_000_000
MAX_CELL_CHARS = 1_000
# What a workbook's parts may unpack to, all together.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
# Parts other than the sheet and its texts (the workbook's list of sheets, its relationships).
_MAX_SMALL_PART_BYTES = 5 * 1024 * 1024
_CHUNK = 64 * 1024

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def too_many_rows() -> FileProblem:
    return FileProblem(
        _("The sheet has more than %(count)s rows: split it.") % {"count": _n(MAX_ROWS)}
    )


def too_many_columns() -> FileProblem:
    return FileProblem(
        _("The sheet has more than %(count)s columns: keep only the household columns.")
        % {"count": _n(MAX_COLUMNS)}
    )


def too_many_cells() -> FileProblem:
    return FileProblem(
        _("The sheet has more than %(count)s cells: split it.") % {"count": _n(MAX_CELLS)}
    )


def cell_too_long(cell: str) -> FileProblem:
    return FileProblem(
        _("Cell %(cell)s is longer than %(count)s characters.")
        % {"cell": cell, "count": _n(MAX_CELL_CHARS)}
    )


def capped(rows: Iterator[list]) -> Iterator[list]:
    """Yield ``rows`` (lists of cell values), raising ``FileProblem`` at the first cap passed:
    rows, columns, cells or the length of a cell's text. Empty rows and trailing empty cells
    (Excel's formatted but blank ones) count for nothing."""
    count = cells = 0
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            width = len(row)
            while width and (row[width - 1] is None or row[width - 1] == ""):
                width -= 1
            if width:
                count += 1
                if count > MAX_ROWS + 1:  # the header is not a household
                    raise too_many_rows()
                if width > MAX_COLUMNS:
                    raise too_many_columns()
                cells += width
                if cells > MAX_CELLS:
                    raise too_many_cells()
                for position, value in enumerate(row[:width], start=1):
                    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        raise cell_too_long(f"{get_column_letter(position)}{number}")
            yield row
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # The csv module's own cap (131,072 characters) stops a huge cell before we see it.
            raise FileProblem(
                _("A cell of row %(row)s is longer than %(count)s characters.")
                % {"row": _n(number + 1), "count": _n(MAX_CELL_CHARS)}
            ) from error
        raise


# --- Workbooks -----------------------------------------------------------------------------------


def _small_xml(archive: zipfile.ZipFile, name: str):
    info = archive.getinfo(name)
    if info.file_size > _MAX_SMALL_PART_BYTES:
        raise FileProblem(_("The file is not a readable XLSX workbook."))
    return ElementTree.fromstring(archive.read(info))


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """Return ``(id, type, target part)`` of the relationships of ``part`` ("" for the package)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return []
    found = []
    for rel in _small_xml(archive, rels).iter(f"{{{_RELS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found.append((rel.get("Id", ""), rel.get("Type", ""), posixpath.normpath(path)))
    return found


def _parts(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """Return the first worksheet's part and the shared strings' part (None: there are none),
    as openpyxl finds them."""
    workbook = next(
        target
        for _id, kind, target in _relationships(archive, "")
        if kind.endswith("/officeDocument")
    )
    rels = _relationships(archive, workbook)
    by_id = {rel_id: (kind, target) for rel_id, kind, target in rels}
    strings = next((target for _id, kind, target in rels if kind.endswith("/sharedStrings")), None)
    for sheet in _small_xml(archive, workbook).iter(f"{{{_MAIN}}}sheet"):
        kind, target = by_id.get(sheet.get(f"{{{_DOC_RELS}}}id"), ("", ""))
        if kind.endswith("/worksheet"):
            return target, strings
    raise KeyError("no worksheet")


def _stream(archive: zipfile.ZipFile, name: str, parser) -> None:
    """Feed the part ``name`` to the expat ``parser`` a chunk at a time."""

    def refuse(*_args):
        # Spreadsheets declare no document types; entities are how XML bombs expand.
        raise FileProblem(_("The file is not a readable XLSX workbook."))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    with archive.open(name) as part:
        while chunk := part.read(_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


class _StopStrings(Exception):
    pass


def _long_string(archive: zipfile.ZipFile, name: str | None) -> int | None:
    """Return the index of the first shared string longer than a cell may be (None: none);
    reading stops at that string."""
    if name is None:
        return None
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    state = {"index": -1, "length": 0, "text": 0, "phonetic": 0}

    def start(tag, _attrs):
        local = _local(tag)
        if local == "si":
            state["index"] += 1
            state["length"] = 0
        elif local == "t":
            state["text"] += 1
        elif local == "rPh":
            state["phonetic"] += 1

    def end(tag):
        local = _local(tag)
        if local == "t":
            state["text"] -= 1
        elif local == "rPh":
            state["phonetic"] -= 1

    def data(text):
        if state["text"] and not state["phonetic"]:
            state["length"] += len(text)
            if state["length"] > MAX_CELL_CHARS:
                raise _StopStrings

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        _stream(archive, name, parser)
    except _StopStrings:
        return state["index"]
    return None


# A sheet's elements with and without their namespace (expat names them "namespace local").
_CELL = {"c", f"{_MAIN} c"}
_VALUE = {"v", "t", f"{_MAIN} v", f"{_MAIN} t"}
_ROW = {"row", f"{_MAIN} row"}


class _SheetScan:
    """The expat handlers of one sheet's scan: they count rows, cells and columns and measure
    each value, and raise at the first cap passed (a cell showing the shared string
    ``long_string`` is too long)."""

    def __init__(self, long_string: int | None):
        self.long_string = long_string
        self.rows = self.row = self.column = self.cells = self.length = self.in_value = 0
        self.row_has_value = self.shared = False
        self.reference = ""
        self.index_text: list[str] = []

    def cell_name(self) -> str:
        return self.reference or f"{get_column_letter(self.column)}{self.row}"

    def start(self, tag, attrs) -> None:
        if tag in _CELL:
            self._start_cell(attrs)
        elif tag in _VALUE:
            self.in_value += 1
        elif tag in _ROW:
            self.row = int(attrs.get("r") or self.row + 1)
            self.row_has_value = False
            self.column = 0

    def _start_cell(self, attrs) -> None:
        self.reference = attrs.get("r", "")
        if self.reference:
            self.column = column_index_from_string(self.reference.rstrip("0123456789"))
        else:
            self.column += 1
        self.shared = attrs.get("t") == "s"
        self.length = 0
        self.index_text.clear()

    def end(self, tag) -> None:
        if tag in _VALUE:
            self.in_value -= 1
        elif tag in _CELL and self.length:
            self._count_cell()

    def _count_cell(self) -> None:
        if not self.row_has_value:
            self.row_has_value = True
            self.rows += 1
            if self.rows > MAX_ROWS + 1:  # the header is not a household
                raise too_many_rows()
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise too_many_cells()
        if self.column > MAX_COLUMNS:
            raise too_many_columns()
        if self.shared and self.long_string is not None:
            index = "".join(self.index_text).strip()
            if index.isdigit() and int(index) == self.long_string:
                raise cell_too_long(self.cell_name())

    def data(self, text) -> None:
        if not self.in_value:
            return
        self.length += len(text)
        if self.shared:
            if self.length <= 20:
                self.index_text.append(text)
        elif self.length > MAX_CELL_CHARS:
            raise cell_too_long(self.cell_name())


def _scan_sheet(archive: zipfile.ZipFile, name: str, long_string: int | None) -> None:
    """Read the sheet's XML as a stream and raise at the first cap passed (a cell showing the
    shared string ``long_string`` is too long)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    # One call per text node rather than per chunk of it: a sheet is millions of small cells.
    parser.buffer_text = True
    scan = _SheetScan(long_string)
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.data
    _stream(archive, name, parser)


def check_workbook(data: bytes) -> None:
    """Refuse a workbook that unpacks to more than the caps allow, reading it as a stream.

    Raises ``FileProblem`` with the reason (the cell, the number of rows…), or the zip and XML
    errors of an unreadable file (the caller's "not a readable workbook").
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileProblem(
                    _("The workbook unpacks to more than %(size)s MB: split it.")
                    % {"size": _n(MAX_UNPACKED_BYTES // (1024 * 1024))}
                )
            sheet, strings = _parts(archive)
            long_string = _long_string(archive, strings)
            _scan_sheet(archive, sheet, long_string)
    except (StopIteration, xml.parsers.expat.ExpatError, ElementTree.ParseError) as error:
        raise KeyError("unreadable workbook") from error
    if long_string is not None:
        # The long text is in the table but no cell of the first sheet shows it: refuse all
        # the same, openpyxl would read it.
        raise FileProblem(
            _("The workbook holds a text longer than %(count)s characters.")
            % {"count": _n(MAX_CELL_CHARS)}
        )
