"""The reports as XLSX workbooks: one sheet per table, numbers as numbers, dates as dates.

Cells are cleaned as in the list exports (``reports.exports.xlsx_cell``): text that a
spreadsheet would run as a formula is neutralised.
"""

import datetime
import io
import re

from openpyxl.styles import Font
from openpyxl.workbook import Workbook

from reports.documents import DATE, MONEY, Document
from reports.exports import xlsx_cell

# Excel refuses these in a sheet's name, and names longer than 31 characters.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:28] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        name = f"{base[:25]} ({number})"
        number += 1
    taken.add(name.lower())
    return name


def document_xlsx(document: Document) -> bytes:
    """Return ``document`` as an XLSX workbook: a cover sheet, then a sheet per table."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = _sheet_name(document.title, taken := set())
    cover.append([xlsx_cell(document.title)])
    cover["A1"].font = Font(bold=True, size=14)
    for line in document.lines:
        cover.append([xlsx_cell(line)])
    cover.column_dimensions["A"].width = 80
    bold = Font(bold=True)
    for table in document.tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, taken))
        sheet.append([xlsx_cell(column.title) for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([xlsx_cell(value) for value in row])
        for index, column in enumerate(table.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, min(60, len(column.title) + 2))
            number_format = {MONEY: MONEY_FORMAT, DATE: DATE_FORMAT}.get(column.kind)
            if number_format is None:
                continue
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, int | datetime.date):
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
