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


def _is_header(texts: list[str], layout: Layout) -> bool:
    filled = [(position, text) for position, text in enumerate(texts) if text]
    if len(filled) < 2:
        return False
    for position, text in filled:
        names = {header_key(layout.headers[position]) if position < len(layout.headers) else ""}
        if position < len(layout.tops):
            names.add(header_key(layout.tops[position]))
            names.update(header_key(part) for part in layout.headers[position].split(" / "))
        if header_key(text) not in names:
            return False
    return True


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
        naming = {
            position: texts[position]
            for position, field in positions.items()
            if field in _NAMING and position < len(texts) and texts[position]
        }
        totals = [p for p, text in enumerate(texts) if text and _TOTAL.match(header_key(text))]
        if totals and not set(naming) - set(totals):
            reason = "total"
        elif not naming:
            reason = "nothing"
    return reason


def reason_text(reason: str) -> str:
    """Return a skipped row's reason as the page and the command say it."""
    return _reasons().get(reason, reason)
