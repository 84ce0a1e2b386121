"""List exports (households, receipts, assets) as CSV and XLSX, within the user's scope.

Why not django-import-export (or tablib, its dataset layer): it is the field's library for moving
records in and out through the admin, with resources, import previews and dry runs. These
exports are read-only lists built from one scoped ``.values()`` query each: openpyxl writes the
XLSX sheet of a download (``xlsx_bytes``) and XlsxWriter that of a background job
(``write_xlsx``, with the number formats and column widths a dataset layer would leave to it
anyway), and the standard ``csv`` module the CSV, both row by row where the file is large,
because a commune's receipts may run to hundreds of thousands of rows.

Every export starts from ``outreach.scope.scoped``, runs one query (plus the scope's own), and
reads rows with ``.iterator(chunk_size=2000)``. No personal ID numbers and no member names are
exported. Text cells that a spreadsheet would run as a formula get a leading apostrophe.
"""

import csv
import dataclasses
import datetime
import decimal
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

import xlsxwriter
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from activities.models import Asset, Distribution, Receipt
from core.queries import folded_search, related_total
from households.filters import household_search, searches_communes_first
from households.models import Household, Member, Poverty
from outreach.scope import scoped

CHUNK_SIZE = 2000
CSV_LINES_PER_CHUNK = 500
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and
# Google Sheets: "=HYPERLINK(…)", "+1+cmd|…", "-2+…", "@SUM(…)"; tab and CR hide the lead.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def neutralise(value):
    """Return ``value`` with a leading apostrophe if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


@dataclasses.dataclass(frozen=True)
class Filters:
    """The list filters an export accepts: ``?q=`` (folded search) and ``?village=<id>``."""

    q: str = ""
    village_id: int | None = None


@dataclasses.dataclass
class Export:
    """A list ready to write: translated headers and rows of Python values (dates as dates)."""

    filename_stem: str
    headers: list[str]
    rows: Iterable[tuple]
    # The filtered rows before they are read, to count them (``capped_count``).
    source: QuerySet | None = None


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    # Spreadsheets know no time zones: write the wall-clock time in Vietnam.
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None)


def _rows(queryset: QuerySet, fields: list[str], convert: Callable[[dict], tuple]) -> Iterator:
    for row in queryset.values(*fields).iterator(chunk_size=CHUNK_SIZE):
        yield convert(row)


def _labels(model, *names: str) -> list[str]:
    # The fields' own translated names, so that the columns read as the forms and admin do.
    return [str(capfirst(model._meta.get_field(name).verbose_name)) for name in names]


def _filter_village(queryset: QuerySet, filters: Filters) -> QuerySet:
    if filters.village_id is not None:
        return queryset.filter(village_id=filters.village_id)
    return queryset


def households_export(*, user, filters: Filters) -> Export:
    """Build the household list of ``user``'s scope: no member names, no ID numbers."""
    queryset = scoped(Household.objects.all(), user)
    # The registry's own search, so that the export lists the households the page found.
    queryset = household_search(queryset, filters.q, communes_first=searches_communes_first(user))
    source = _filter_village(queryset, filters)
    queryset = source.annotate(
        members_count=related_total(Member.objects.all(), "household", Count("pk"))
    )
    # Labels are translated now, in the request's language, not later while streaming.
    housing = {key: str(label) for key, label in Household.Housing.choices}
    poverty = {key: str(label) for key, label in Poverty.choices}
    yes, no = _("Yes"), _("No")

    def convert(row: dict) -> tuple:
        return (
            row["code"],
            row["village__name"],
            row["commune__name"],
            row["head_name"],
            row["address"],
            housing.get(row["housing_condition"], row["housing_condition"]),
            poverty.get(row["poverty"], row["poverty"]),
            yes if row["policy_family"] else no,
            yes if row["in_difficulty"] else no,
            row["last_reviewed_on"],
            row["members_count"],
            yes if row["archived"] else no,
        )

    fields = [
        "code",
        "village__name",
        "commune__name",
        "head_name",
        "address",
        "housing_condition",
        "poverty",
        "policy_family",
        "in_difficulty",
        "last_reviewed_on",
        "members_count",
        "archived",
    ]
    return Export(
        filename_stem="ho-gia-dinh",
        headers=[
            *_labels(
                Household,
                "code",
                "village",
                "commune",
                "head_name",
                "address",
                "housing_condition",
                "poverty",
                "policy_family",
                "in_difficulty",
                "last_reviewed_on",
            ),
            str(capfirst(Member._meta.verbose_name_plural)),
            *_labels(Household, "archived"),
        ],
        rows=_rows(queryset.order_by("commune_id", "code"), fields, convert),
        source=source,
    )


def receipts_export(*, user, filters: Filters) -> Export:
    """Build the receipt list of ``user``'s scope: what each household received, and who
    confirmed it."""
    queryset = scoped(Receipt.objects.all(), user)
    queryset = folded_search(queryset, filters.q, "household__search_text", ["distribution__title"])
    queryset = _filter_village(queryset, filters)

    def convert(row: dict) -> tuple:
        return (
            row["distribution__title"],
            row["distribution__distributed_on"],
            row["household__code"],
            row["household__head_name"],
            row["village__name"],
            row["quantity"],
            row["value_vnd"],
            _local(row["confirmed_at"]),
            row["confirmed_by__username"] or "",
        )

    fields = [
        "distribution__title",
        "distribution__distributed_on",
        "household__code",
        "household__head_name",
        "village__name",
        "quantity",
        "value_vnd",
        "confirmed_at",
        "confirmed_by__username",
    ]
    return Export(
        filename_stem="nhan-qua",
        headers=[
            *_labels(Receipt, "distribution"),
            *_labels(Distribution, "distributed_on"),
            *_labels(Household, "code", "head_name"),
            *_labels(Receipt, "village", "quantity", "value_vnd", "confirmed_at", "confirmed_by"),
        ],
        rows=_rows(
            queryset.order_by("-distribution__distributed_on", "distribution_id", "pk"),
            fields,
            convert,
        ),
        source=queryset,
    )


def assets_export(*, user, filters: Filters) -> Export:
    """Build the asset list of ``user``'s scope: where each item stands and its state."""
    queryset = scoped(Asset.objects.all(), user)
    queryset = folded_search(queryset, filters.q, "household__search_text", ["code"])
    queryset = _filter_village(queryset, filters)
    kinds = {key: str(label) for key, label in Asset.Kind.choices}
    statuses = {key: str(label) for key, label in Asset.Status.choices}

    def convert(row: dict) -> tuple:
        return (
            row["code"],
            kinds.get(row["kind"], row["kind"]),
            row["village__name"],
            row["household__code"] or "",
            row["installed_on"],
            row["value_vnd"],
            statuses.get(row["status"], row["status"]),
        )

    fields = ["code", "kind", "village__name", "household__code", "installed_on", "value_vnd"]
    return Export(
        filename_stem="tai-san",
        headers=[
            *_labels(Asset, "code", "kind", "village"),
            *_labels(Household, "code"),
            *_labels(Asset, "installed_on", "value_vnd", "status"),
        ],
        rows=_rows(queryset.order_by("code"), [*fields, "status"], convert),
        source=queryset,
    )


KINDS: dict[str, Callable[..., Export]] = {
    "households": households_export,
    "receipts": receipts_export,
    "assets": assets_export,
}


def list_export(*, kind: str, user, filters: Filters) -> Export:
    """Build the export ``kind`` ("households", "receipts", "assets") for ``user``."""
    return KINDS[kind](user=user, filters=filters)


def capped_count(export: Export, cap: int) -> int:
    """Count the export's rows up to ``cap + 1``: enough to tell a small list from a large one
    without counting a million rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``)."""
    if export.source is None:
        return 0
    return export.source.order_by().values("pk")[: cap + 1].count()


def filename(export: Export, fmt: str) -> str:
    """Return the download's name, dated today in Vietnam: ``ho-gia-dinh-2026-11-23.csv``."""
    return f"{export.filename_stem}-{timezone.localdate().isoformat()}.{fmt}"


# CSV ------------------------------------------------------------------------------------------


def _csv_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return neutralise(value)


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(export: Export) -> Iterator[bytes]:
    """Yield the export as UTF-8 CSV with a byte-order mark, so that Excel reads Vietnamese.

    Rows are written one at a time as they come from the database cursor.
    """
    writer = csv.writer(_Echo())
    lines = ["\ufeff" + writer.writerow([neutralise(h) for h in export.headers])]
    for row in export.rows:
        lines.append(writer.writerow([_csv_cell(value) for value in row]))
        # A few hundred rows per write: not a network packet per row, not the file in memory.
        if len(lines) >= CSV_LINES_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    yield "".join(lines).encode()


def write_csv(export: Export, target: BinaryIO) -> None:
    """Write the export as CSV (the same bytes as ``csv_chunks``) to an open binary file."""
    for chunk in csv_chunks(export):
        target.write(chunk)


# XLSX -----------------------------------------------------------------------------------------


def xlsx_cell(value) -> object:
    """Return ``value`` as a spreadsheet cell may hold it (the list exports and the reports)."""
    if isinstance(value, str):
        # openpyxl refuses control characters; a stray one must not break the whole file.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _date_format(value) -> str:
    return XLSX_DATETIME_FORMAT if isinstance(value, datetime.datetime) else XLSX_DATE_FORMAT


def xlsx_bytes(export: Export) -> bytes:
    """Return the export as an XLSX workbook: real dates shown dd/mm/yyyy, numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = export.filename_stem
    sheet.append([xlsx_cell(h) for h in export.headers])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True)
    # A column holding a date is formatted as dates throughout (as dates and times if any has a
    # time).
    date_columns: dict[int, str] = {}
    for row_number, row in enumerate(export.rows, start=2):
        for index, value in enumerate(row, start=1):
            value = xlsx_cell(value)
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, datetime.datetime):
                date_columns[index] = XLSX_DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                date_columns.setdefault(index, XLSX_DATE_FORMAT)
            if "\n" in str(value):
                cell.alignment = wrap
    for index, number_format in date_columns.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = number_format
    for index, header in enumerate(export.headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 2)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheet_name(stem: str) -> str:
    # Excel refuses a sheet name over 31 UTF-16 units (openpyxl only warned and wrote a file
    # Excel may not open; XlsxWriter raises): cut it, never in the middle of a character.
    return stem.encode("utf-16-le")[:62].decode("utf-16-le", "ignore")


# Rows of a sheet, its header included (Excel's limit).
SHEET_ROWS = 1_048_576


def _column_pixels(width: int) -> int:
    # XlsxWriter's ``set_column`` adds Excel's 5-pixel cell padding to the width it stores;
    # these pixels (7 a character) store exactly ``width``, as openpyxl did.
    return width * 7


def write_xlsx(export: Export, target: BinaryIO) -> None:
    """Write the export as XLSX to an open binary file, row by row.

    XlsxWriter's ``constant_memory`` mode writes each row out to a temporary file as the next
    begins, so a background export of hundreds of thousands of rows does not hold the sheet in
    memory as ``xlsx_bytes`` does, at about half the time a cell of openpyxl's write-only mode.
    """
    # Temporary files beside the target when it has a path (the job's directory, sized for
    # exports; /tmp may be small or held in memory), removed with the directory if it fails.
    name = getattr(target, "name", None)
    near = os.path.dirname(os.path.abspath(name)) if isinstance(name, str) else None
    with tempfile.TemporaryDirectory(dir=near) as tmpdir:
        # Not ``with Workbook(…)``: its exit would still write a half-finished file on failure.
        workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "tmpdir": tmpdir,
                # Text stays text: never read as a formula, a link or a number.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        formats = {
            number_format: workbook.add_format({"num_format": number_format})
            for number_format in (XLSX_DATE_FORMAT, XLSX_DATETIME_FORMAT)
        }

        def new_sheet(number: int):
            # Past a sheet's rows the export goes on in "<name> (2)", its header repeated:
            # XlsxWriter would drop the rows beyond Excel's limit without a word.
            suffix = "" if number == 1 else f" ({number})"
            sheet = workbook.add_worksheet(
                _sheet_name(export.filename_stem)[: 31 - len(suffix)] + suffix
            )
            sheet.freeze_panes(1, 0)
            for index, header in enumerate(export.headers):
                sheet.set_column_pixels(index, index, _column_pixels(max(12, len(header) + 2)))
                write(sheet, 0, index, header)
            return sheet

        def write(sheet, row_number: int, column: int, value) -> None:
            value = xlsx_cell(value)
            if value is None or value == "":
                return  # an empty cell, as openpyxl left it
            if isinstance(value, str):
                if "\r" in value:
                    # XML reads a bare CR as a line feed, so openpyxl's files held one;
                    # XlsxWriter would escape it as "_x000D_", which openpyxl reads as is.
                    value = value.replace("\r\n", "\n").replace("\r", "\n")
                sheet.write_string(row_number, column, value)
            elif isinstance(value, bool):
                sheet.write_boolean(row_number, column, value)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row_number, column, value, formats[_date_format(value)])
            elif isinstance(value, int | float | decimal.Decimal):
                sheet.write_number(row_number, column, value)
            else:
                raise TypeError(f"Cannot write {type(value).__name__} to a spreadsheet")

        sheets = 1
        sheet, row_number = new_sheet(sheets), 0
        # Rows must be written in order in constant_memory mode: the header, then each row.
        for row in export.rows:
            if row_number == SHEET_ROWS - 1:
                sheets += 1
                sheet, row_number = new_sheet(sheets), 0
            row_number += 1
            for column, value in enumerate(row):
                write(sheet, row_number, column, value)
        workbook.close()
