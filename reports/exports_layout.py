"""A commune's households written back in the layout of its own spreadsheet.

The layout is the one a person confirmed when importing the commune's file
(``households.models.ImportLayout``): its title lines, its header (one row, or two with merged
cells, stored joined "Top / Sub"), its columns in their order and whether it lists one row per
person. The export writes the same sheet back: the titles, the header, an STT numbering the
households, a row per household (or the head's row, then one per member), and a closing
"Tổng cộng: N hộ" row that the import skips. Columns the import does not read stay empty, so
the file imports back without changes.

The file is the commune's own, in Vietnamese whatever the user's language: relations, sexes,
ethnicities and housing conditions are written with their Vietnamese labels, birth years as
numbers. Whole ID numbers are written only for those who see them on the pages (staff and
cadres, ``households.scope.sees_national_ids``); for others the cell stays empty, which the
import reads as "keep what is recorded".

Queries: the commune with its layout, the households (one query per ``CHUNK_SIZE`` of them) and
their members (one per chunk, prefetched), whatever the number of households. The sheet is
written by openpyxl's write-only mode, a row at a time.
"""

import dataclasses
import re
from collections.abc import Iterator
from typing import BinaryIO

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from core.text import fold
from households.filters import household_search
from households.models import Household, ImportLayout, Member
from households.scope import sees_national_ids
from outreach.access import RECORD_READERS, may
from outreach.models import Commune
from outreach.scope import scoped
from reports.exports import Filters, xlsx_cell

CHUNK_SIZE = 2000
# The two header rows of a layout are stored joined with this (ImportLayout.columns).
HEADER_JOIN = " / "
# A column the layout does not map but whose header says it numbers the rows.
STT_HEADERS = {"stt", "tt", "so tt", "so thu tu"}
# Person fields: the member's own column, and the head's column that carries the same fact
# when the layout has no column of its own for the members (one name column for everyone).
PERSON_FIELDS = {
    "member_name": "head_name",
    "member_sex": "head_sex",
    "member_birth": "head_birth",
    "member_ethnicity": "head_ethnicity",
    "member_national_id": "head_national_id",
}
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# The file's own words, in Vietnamese whatever the user's language, as the commune writes them
# (as households.imports.columns writes the template's headers): the closing line that the
# import skips, and the spouse and parent named by their sex ("Vợ", not "Vợ/chồng").
TOTAL_LINE = "Tổng cộng: %(count)s hộ"
GENDERED_RELATIONS = {
    (Member.Relation.SPOUSE, Member.Sex.FEMALE): "Vợ",
    (Member.Relation.SPOUSE, Member.Sex.MALE): "Chồng",
    (Member.Relation.PARENT, Member.Sex.FEMALE): "Mẹ",
    (Member.Relation.PARENT, Member.Sex.MALE): "Bố",
}


@dataclasses.dataclass
class LayoutExport:
    """One commune's households, ready to write in the commune's layout."""

    commune: Commune
    layout: ImportLayout
    households: QuerySet
    national_ids: bool


def layout_export_get(*, user, commune_pk: int, filters: Filters) -> LayoutExport:
    """Return the commune's households (``user``'s scope, the list export's filters) with the
    commune's layout; 404 for a commune outside the scope or one without a layout."""
    commune = (
        scoped(Commune.objects.select_related("import_layout"), user).filter(pk=commune_pk).first()
    )
    layout = getattr(commune, "import_layout", None) if commune is not None else None
    if layout is None:
        raise Http404(_("There is no such export."))
    # Archived households are off the commune's list (and an import refuses them).
    queryset = scoped(Household.objects.filter(commune=commune, archived=False), user)
    queryset = household_search(queryset, filters.q)
    if filters.village_id is not None:
        queryset = queryset.filter(village_id=filters.village_id)
    queryset = (
        queryset.select_related("village")
        .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("pk")))
        .order_by("village__name", "code", "pk")
    )
    return LayoutExport(
        commune=commune,
        layout=layout,
        households=queryset,
        national_ids=sees_national_ids(user),
    )


# Beyond this many communes the home page would be a list of links: the office's staff cover a
# few communes, a province's auditors many; they reach the others by the URL of the commune.
MAX_LINKED_COMMUNES = 20


def layout_communes(*, user) -> list[tuple[int, str]]:
    """Return ``(pk, name)`` of the communes in ``user``'s scope whose layout is known (at most
    ``MAX_LINKED_COMMUNES``), for the download links; none for who may not download lists."""
    # Most offices have no layout yet: one look at the small layout table spares them the
    # scope's queries on every home page.
    if not may(user, *RECORD_READERS) or not ImportLayout.objects.exists():
        return []
    communes = scoped(Commune.objects.filter(import_layout__isnull=False), user)
    return list(communes.order_by("name", "pk").values_list("pk", "name")[:MAX_LINKED_COMMUNES])


def layout_filename(export: LayoutExport) -> str:
    """Return the download's name: ``ho-gia-dinh-tri-phu-2026-11-23.xlsx``."""
    name = slugify(fold(export.commune.name)) or str(export.commune.pk)
    return f"ho-gia-dinh-{name}-{timezone.localdate().isoformat()}.xlsx"


# What goes in the cells ----------------------------------------------------------------------


def _national_phone(value: str) -> str:
    # Stored as 84…; a commune's list writes 09…
    if value and value.startswith("84") and len(value) == 11:
        return "0" + value[2:]
    return value or ""


class _Labels:
    """The choices' Vietnamese labels, read once before the rows are written."""

    def __init__(self):
        with translation.override("vi"):
            self.relation = {key: str(label) for key, label in Member.Relation.choices}
            self.sex = {key: str(label) for key, label in Member.Sex.choices}
            self.ethnicity = {key: str(label) for key, label in Member.Ethnicity.choices}
            self.housing = {key: str(label) for key, label in Household.Housing.choices}
            self.yes, self.no = _("Yes"), _("No")


def _person(member: Member | None, labels: _Labels, national_ids: bool) -> dict:
    if member is None:
        return {}
    return {
        "name": member.full_name,
        "relation": GENDERED_RELATIONS.get(
            (member.relation, member.sex), labels.relation.get(member.relation, member.relation)
        ),
        "sex": labels.sex.get(member.sex, member.sex),
        "birth": member.birth_year,
        "ethnicity": labels.ethnicity.get(member.ethnicity, member.ethnicity),
        "national_id": member.national_id if national_ids else "",
        "disability": labels.yes if member.has_disability else labels.no,
    }


def _household_values(household: Household, head: Member | None, labels, export) -> dict:
    """Return the head's row: the household's fields, the head's, and the head as a person."""
    person = _person(head, labels, export.national_ids)
    return {
        "code": household.code,
        "village": household.village.name,
        "commune": export.commune.name,
        "head_name": household.head_name,
        "address": household.address,
        "phone": _national_phone(household.phone),
        "housing_condition": labels.housing.get(
            household.housing_condition, household.housing_condition
        ),
        "notes": household.notes,
        "head_sex": person.get("sex", ""),
        "head_birth": person.get("birth", ""),
        "head_ethnicity": person.get("ethnicity", ""),
        "head_national_id": person.get("national_id", ""),
        "head_disability": person.get("disability", ""),
        "member_name": person.get("name", household.head_name),
        "relation": labels.relation[Member.Relation.HEAD],
        "member_sex": person.get("sex", ""),
        "member_birth": person.get("birth", ""),
        "member_ethnicity": person.get("ethnicity", ""),
        "member_national_id": person.get("national_id", ""),
    }


def _member_values(member: Member, labels, export, fields: set[str]) -> dict:
    """Return a member's row: the member's own columns (or the head's where the layout has
    one column for everyone), nothing of the household's."""
    person = _person(member, labels, export.national_ids)
    values = {"relation": person["relation"]}
    for field, head_field in PERSON_FIELDS.items():
        value = person[field.removeprefix("member_")]
        values[field if field in fields else head_field] = value
    return values


# The sheet ----------------------------------------------------------------------------------


def _split(header: str, depth: int) -> tuple[str, str | None]:
    if depth == 2 and HEADER_JOIN in header:
        top, sub = header.split(HEADER_JOIN, 1)
        return top, sub
    return header, None


def _is_stt(column: dict) -> bool:
    return column.get("field") == "stt" or fold(str(column.get("header", ""))) in STT_HEADERS


def _sheet_title(name: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"


def _styled(sheet, value, font=None, alignment=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=xlsx_cell(value))
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _write_titles(sheet, layout: ImportLayout, width: int) -> None:
    """Write the title lines as stored, each centred over the table, and blank rows down to
    the header's row."""
    bold, centre = Font(bold=True), Alignment(horizontal="center")
    row_number = 0
    for line in layout.title_lines or []:
        row_number += 1
        if isinstance(line, list | tuple):
            sheet.append([_styled(sheet, value, bold) for value in line])
            continue
        sheet.append([_styled(sheet, line, bold, centre)])
        if line and width > 1:
            sheet.merged_cells.add(f"A{row_number}:{get_column_letter(width)}{row_number}")
    # Blank rows down to the header's row, as in the commune's file.
    while row_number < layout.header_row - 1:
        row_number += 1
        sheet.append([])


def _write_header(sheet, columns: list[dict], depth: int, first_row: int) -> None:
    """Write the header: one row, or two where a top cell spanning several columns is merged
    across them and a top cell without sub-headers is merged down over both rows."""
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    parts = [_split(str(column.get("header", "")), depth) for column in columns]
    sheet.append([_styled(sheet, top, bold, centre) for top, _sub in parts])
    if depth < 2:
        return
    sheet.append([_styled(sheet, sub or "", bold, centre) for _top, sub in parts])
    second = first_row + 1
    index = 0
    while index < len(parts):
        top, sub = parts[index]
        start = get_column_letter(index + 1)
        if sub is None:
            sheet.merged_cells.add(f"{start}{first_row}:{start}{second}")
            index += 1
            continue
        end = index
        while end + 1 < len(parts) and parts[end + 1][1] is not None and parts[end + 1][0] == top:
            end += 1
        if end > index:
            sheet.merged_cells.add(f"{start}{first_row}:{get_column_letter(end + 1)}{first_row}")
        index = end + 1


def _rows(export: LayoutExport, columns: list[dict], counter: list[int]) -> Iterator[list]:
    """Yield the table's rows as cell values in the layout's column order."""
    labels = _Labels()
    fields = {column.get("field", "") for column in columns}
    stt = [_is_stt(column) for column in columns]
    keys = [column.get("field", "") for column in columns]
    person_rows = export.layout.person_rows

    def cells(values: dict, number: int | None) -> list:
        row = []
        for key, is_stt in zip(keys, stt, strict=True):
            if is_stt:
                row.append(number)
            else:
                value = values.get(key) if key else None
                row.append(None if value in ("", None) else xlsx_cell(value))
        return row

    for household in export.households.iterator(chunk_size=CHUNK_SIZE):
        counter[0] += 1
        members = list(household.members.all())
        head = next((m for m in members if m.relation == Member.Relation.HEAD), None)
        yield cells(_household_values(household, head, labels, export), counter[0])
        if not person_rows:
            continue
        for member in members:
            if member is not head:
                yield cells(_member_values(member, labels, export, fields), None)


def write_layout_xlsx(export: LayoutExport, target: BinaryIO) -> int:
    """Write the households to ``target`` as an XLSX sheet in the commune's layout, a row at a
    time; return the number of households written."""
    layout = export.layout
    columns = [column for column in layout.columns or [] if isinstance(column, dict)]
    depth = 2 if layout.header_depth == 2 else 1
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(export.commune.name))
    for index, column in enumerate(columns, start=1):
        longest = max(
            (len(part or "") for part in _split(str(column.get("header", "")), depth)), default=0
        )
        sheet.column_dimensions[get_column_letter(index)].width = max(8, min(40, longest + 2))
    # Before the first row: a write-only sheet writes its view (the frozen rows) with it.
    header_row = max(len(layout.title_lines or []), layout.header_row - 1) + 1
    sheet.freeze_panes = f"A{header_row + depth}"
    _write_titles(sheet, layout, len(columns))
    _write_header(sheet, columns, depth, header_row)
    counter = [0]
    for row in _rows(export, columns, counter):
        sheet.append(row)
    total = TOTAL_LINE % {"count": counter[0]}
    sheet.append([_styled(sheet, total, Font(bold=True))])
    workbook.save(target)
    return counter[0]
