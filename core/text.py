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


_SMS_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ð": "d"})


def fold_for_sms(text: str | None) -> str:
    """Return ``text`` without tone marks or diacritics (đ as d), keeping case and line breaks:
    what an SMS without Unicode carries. ``fold_for_sms("Đã nhận") == "Da nhan"``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SMS_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # What is left outside ASCII (₫, …, typographic quotes) is not in the GSM alphabet either.
    replacements = {"₫": "d", "…": "...", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-"}
    return "".join(replacements.get(ch, ch) for ch in stripped).encode("ascii", "ignore").decode()
