"""Text folding for search: case, diacritics and đ do not matter."""

import unicodedata

# đ/Đ are letters of their own, not d plus a combining mark, so NFD leaves them alone.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold(text: str | None) -> str:
    """Return ``text`` lower-cased, without diacritics, đ as d, whitespace collapsed.

    ``fold("Ma Đình Liệu") == fold("MA DINH LIEU") == "ma dinh lieu"``.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
