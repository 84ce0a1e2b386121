"""The rows of a commune's list that hold no household, skipped and named as skipped: empty
rows, the column numbers printed under a header ("(1) (2) (3)"), the header repeated on a new
page, the total at the bottom ("Tổng cộng: 25 hộ", "Cộng"), and rows that name no household or
person (a signature line under the table)."""

import itertools
import re

from django.utils.translation import gettext as _

from households.imports.header import Layout, header_key

SKIP_EMPTY = "empty"
# The fields that make a row a household's or a person's.
_NAMING = ("code", "village", "head_name", "member_name", "relation")
_TOTAL = re.compile(r"^(tong cong|tong so|tong|cong)( |$)")
_NUMBER = re.compile(r"^\(?(\d{1,3})\)?$")


def _reasons() -> dict[str, str]:
    return {
        SKIP_EMPTY: _("Empty row."),
        "numbers": _("The columns' numbers under the header."),
        "header": _("The header, repeated."),
        "total": _("A total row."),
        "nothing": _(
            "Nothing in it names a household or a person (no code, village, name or relation)."
        ),
    }


def _is_numbering(filled: list[str]) -> bool:
    numbers = [_NUMBER.match(text) for text in filled]
    if len(filled) < 3 or not all(numbers):
        return False
    values = [int(match[1]) for match in numbers]
    return all(b > a for a, b in itertools.pairwise(values))


def _header_names(layout: Layout) -> list[set[str]]:
    """Return, for each column, the texts (as compared) that repeat its header."""
    # Computed once per layout, not once per row: a row is compared with the same header.
    key = (tuple(layout.headers), tuple(layout.tops))
    names = _HEADER_NAMES.get(key)
    if names is None:
        names = []
        for position, header in enumerate(layout.headers):
            found = {header_key(header)}
            if position < len(layout.tops):
                found.add(header_key(layout.tops[position]))
                found.update(header_key(part) for part in header.split(" / "))
            names.append(found)
        if len(_HEADER_NAMES) > 100:
            _HEADER_NAMES.clear()
        _HEADER_NAMES[key] = names
    return names


_HEADER_NAMES: dict[tuple, list[set[str]]] = {}


def _is_header(texts: list[str], layout: Layout) -> bool:
    filled = [(position, text) for position, text in enumerate(texts) if text]
    if len(filled) < 2:
        return False
    columns = _header_names(layout)
    for position, text in filled:
        names = columns[position] if position < len(columns) else {""}
        if header_key(text) not in names:
            return False
    return True


def _is_total(text: str) -> bool:
    return bool(_TOTAL.match(header_key(text)))


def skip_reason(texts: list[str], positions: dict[int, str], layout: Layout) -> str | None:
    """Return why a data row is skipped (a key of ``reason_text``), or None for a row to read;
    ``positions`` maps the columns read to their fields."""
    filled = [text for text in texts if text]
    if not filled:
        return SKIP_EMPTY
    reason = None
    if _is_numbering(filled):
        reason = "numbers"
    elif _is_header(texts, layout):
        reason = "header"
    else:
        naming = [
            texts[position]
            for position, field in positions.items()
            if field in _NAMING and position < len(texts) and texts[position]
        ]
        # A total row: a cell says "Tổng cộng" and every cell naming a household says it too.
        # Only the naming cells are compared when there are some (most rows: one cell, which
        # is not a total), every cell when there are none.
        if naming:
            if all(_is_total(text) for text in naming):
                reason = "total"
        elif any(_is_total(text) for text in texts if text):
            reason = "total"
        else:
            reason = "nothing"
    return reason


def reason_text(reason: str) -> str:
    """Return a skipped row's reason as the page and the command say it."""
    return _reasons().get(reason, reason)
