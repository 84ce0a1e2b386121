"""Find a commune list's header and propose the field of each of its columns.

A commune's own list has title lines above its table, a header that may span two rows (merged
cells: "Năm sinh" over "Nam" and "Nữ"), and headers that vary from commune to commune. The
header is the first row, within the first ``SCAN_ROWS``, whose cells name the required fields
(the village and the head's name) by folded synonyms (``columns.FIELDS``), or the row the person
names; the row under it is read with it when it continues it (sub-headers under merged or empty
cells), each column's header then "Top / Sub". A person's choice of fields (the preview page's
selects, the command's ``--map``) and the commune's remembered layout come before the proposal.
"""

import dataclasses
import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from core.text import fold
from households.imports.columns import BY_KEY, FIELDS, FileProblem
from households.imports.parsing import _cell_text

SCAN_ROWS = 30
_SEX_WORDS = {
    "nam": "birth_male",
    "male": "birth_male",
    "nu": "birth_female",
    "female": "birth_female",
}
_BIRTH_KEYS = {"head_birth", "member_birth"}
_NOT_WORDS = re.compile(r"[^0-9a-z]+")


def header_key(text) -> str:
    """Return a header as it is compared: folded, punctuation and line breaks as spaces."""
    return " ".join(_NOT_WORDS.sub(" ", fold(_cell_text(text))).split())


def _synonyms() -> dict[str, str]:
    known: dict[str, str] = {}
    for column in FIELDS:
        for name in (column.header, column.key, *column.aliases):
            known.setdefault(header_key(name), column.key)
            known.setdefault(header_key(name.replace("_", " ")), column.key)
    return known


SYNONYMS = _synonyms()


@dataclasses.dataclass
class Layout:
    """Where a file's header is and what each column holds."""

    header_row: int  # 1-based, as a spreadsheet shows it
    depth: int  # 1 or 2 rows
    titles: list[str]
    headers: list[str]  # every column's header, "Top / Sub" under a two-row header
    tops: list[str]  # the first header row's text of each column
    fields: list[str]  # every column's field key, "" when not read

    @property
    def person_rows(self) -> bool:
        return "relation" in self.fields

    def as_dict(self) -> dict:
        return {
            "header_row": self.header_row,
            "header_depth": self.depth,
            "title_lines": self.titles,
            "columns": [
                {"header": header, "field": field}
                for header, field in zip(self.headers, self.fields, strict=True)
                if header or field
            ],
            "person_rows": self.person_rows,
        }


class MappingProblem(FileProblem):
    """The file's columns cannot be read as they are mapped: the layout found, to correct."""

    def __init__(self, message: str, layout: Layout):
        super().__init__(message)
        self.layout = layout


def _texts(cells: Sequence) -> list[str]:
    return [_cell_text(cell) for cell in cells]


def _is_continuation(top: list[str], sub: list[str]) -> bool:
    """Tell whether ``sub`` continues the header ``top``: sub-headers under merged or empty cells,
    the names of a sex, or other headers; never a number, which is data."""
    filled = [(position, text) for position, text in enumerate(sub) if text]
    if not filled:
        return False
    under_gap = False
    for position, text in filled:
        key = header_key(text)
        if not key or key.isdigit():
            return False
        empty_above = position >= len(top) or not top[position]
        if empty_above or key in _SEX_WORDS:
            under_gap = True
        elif key not in SYNONYMS:
            return False
    return under_gap


def _joined(top: list[str], sub: list[str] | None) -> tuple[list[str], list[str]]:
    """Return every column's header (two rows joined "Top / Sub") and its top text (a merged
    cell's text carried over the columns it spans)."""
    width = max(len(top), len(sub or []))
    headers, tops, carried = [], [], ""
    for position in range(width):
        upper = top[position] if position < len(top) else ""
        lower = sub[position] if sub and position < len(sub) else ""
        if upper:
            carried = upper
        elif lower:
            upper = carried  # merged across: the text is in the range's first cell
        tops.append(upper)
        headers.append(f"{upper} / {lower}" if upper and lower else upper or lower)
    return headers, tops


def _field_of(header: str, top: str) -> str:
    key = header_key(header)
    if " / " in header:
        upper, lower = (header_key(part) for part in header.split(" / ", 1))
        if lower in _SEX_WORDS and SYNONYMS.get(upper) in _BIRTH_KEYS:
            return _SEX_WORDS[lower]
        return SYNONYMS.get(key) or SYNONYMS.get(lower) or SYNONYMS.get(upper, "")
    return SYNONYMS.get(key, "")


def propose(headers: list[str], tops: list[str]) -> list[str]:
    """Propose every column's field from its header; in a file of one row per person (it has a
    relation column) a header not naming the head is the person's of the row."""
    fields = [_field_of(header, top) for header, top in zip(headers, tops, strict=True)]
    if "relation" in fields:
        fields = [
            BY_KEY[field].person_key
            if field and BY_KEY[field].person_key and "chu ho" not in header_key(header)
            else field
            for header, field in zip(headers, fields, strict=True)
        ]
    return fields


def _has_required(fields: list[str]) -> bool:
    return "village" in fields and ("head_name" in fields or "member_name" in fields)


def _layout_at(lines: list[list], index: int, depth: int | None = None) -> Layout:
    top = _texts(lines[index])
    sub = _texts(lines[index + 1]) if index + 1 < len(lines) else []
    if depth is None:
        depth = 2 if _is_continuation(top, sub) else 1
    headers, tops = _joined(top, sub if depth == 2 else None)
    titles = [" ".join(t for t in _texts(line) if t) for line in lines[:index]]
    return Layout(
        header_row=index + 1,
        depth=depth,
        titles=[title for title in titles if title],
        headers=headers,
        tops=tops,
        fields=propose(headers, tops),
    )


def _remembered(lines: list[list], remembered: dict | None) -> Layout | None:
    """Return the commune's remembered layout when this file's headers are the ones it was made
    for, else None."""
    if not remembered or not remembered.get("columns"):
        return None
    index = int(remembered.get("header_row") or 1) - 1
    if index >= len(lines):
        return None
    layout = _layout_at(lines, index, depth=int(remembered.get("header_depth") or 1))
    wanted = [header_key(column["header"]) for column in remembered["columns"]]
    if [header_key(header) for header in layout.headers if header] != wanted:
        return None
    by_header = {header_key(c["header"]): c.get("field", "") for c in remembered["columns"]}
    layout.fields = [by_header.get(header_key(header), "") for header in layout.headers]
    return layout


def find_layout(
    lines: list[list],
    *,
    header_row: int | None = None,
    choice: dict[str, str] | None = None,
    remembered: dict | None = None,
) -> Layout:
    """Return the file's layout from its first lines: the header row named by the person, else
    the commune's remembered layout when the headers match it, else the first row naming the
    required fields (the first non-empty row when none does); ``choice`` (a header, compared
    folded → a field, "" for "not read") then overrides the proposal. Raise ``MappingProblem``
    when the fields cannot be read as mapped (a required field unmapped, two columns read as one
    field)."""
    if header_row is not None:
        if not 1 <= header_row <= len(lines):
            raise FileProblem(
                _("The file has no row %(row)s to read the header from.") % {"row": header_row}
            )
        layout = _layout_at(lines, header_row - 1)
    else:
        layout = _remembered(lines, remembered) or _detected(lines)
    if choice:
        choice = {header_key(header): field for header, field in choice.items()}
        layout.fields = [
            choice.get(header_key(header), field) if header else field
            for header, field in zip(layout.headers, layout.fields, strict=True)
        ]
    check_fields(layout)
    return layout


def _detected(lines: list[list]) -> Layout:
    """Return the first row naming the required fields; when none does, the row naming the most
    fields (the first non-empty row when none names any), for the person to map."""
    best, best_count = None, -1
    for index, line in enumerate(lines[:SCAN_ROWS]):
        if not any(_texts(line)):
            continue
        layout = _layout_at(lines, index)
        if _has_required(layout.fields):
            return layout
        count = sum(1 for field in layout.fields if field)
        if count > best_count:
            best, best_count = layout, count
    if best is None:
        raise FileProblem(_("The file has no household rows under its headers."))
    return best


def check_fields(layout: Layout) -> None:
    """Refuse a mapping that reads two columns as one field or leaves a required one unread."""
    seen: dict[str, str] = {}
    for header, field in zip(layout.headers, layout.fields, strict=True):
        if not field:
            continue
        if field not in BY_KEY:
            raise MappingProblem(
                _("“%(field)s” is not a field of the import (column %(column)s).")
                % {"field": field, "column": header},
                layout,
            )
        if field in seen:
            raise MappingProblem(
                _("The column %(column)s appears twice (%(first)s and %(second)s).")
                % {"column": BY_KEY[field].header, "first": seen[field], "second": header},
                layout,
            )
        seen[field] = header
    missing = []
    if "village" not in seen:
        missing.append(BY_KEY["village"].header)
    if "head_name" not in seen and "member_name" not in seen:
        missing.append(BY_KEY["head_name"].header)
    if missing:
        raise MappingProblem(
            _(
                "Required columns are missing: %(columns)s. The file's columns are: %(found)s. "
                "Choose the field of each column, or download the template to see them."
            )
            % {
                "columns": ", ".join(missing),
                "found": ", ".join(header for header in layout.headers if header) or "—",
            },
            layout,
        )
