"""Decode a CSV file's bytes, or refuse them: text in none of the encodings the import reads is
not imported as garbage.

Tried in turn: UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text"),
UTF-8 with or without its BOM (Excel's "CSV UTF-8"), then Windows-1258 (Vietnamese Excel on
Windows). Windows-1258 decodes nearly any bytes, so its result is kept only if it reads as
Vietnamese: a file in another encoding (Shift-JIS, say) turns into symbols and letters
Vietnamese does not use ("ƒxƒgƒiƒ€"). Text holding U+FFFD (a character already lost by an
earlier conversion) is refused in every encoding.
"""

import codecs
import unicodedata

from django.utils.translation import gettext as _

from households.imports.columns import FileProblem

TRIED = ("UTF-8", "UTF-16", "Windows-1258")

# Every letter of Vietnamese, precomposed (NFC), in both cases: the vowels with each of the five
# tone marks, and đ.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_LETTERS = {unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in _TONES} | {
    "đ"
}
_LETTERS |= {letter.upper() for letter in _LETTERS}
# Punctuation Vietnamese text in Windows-1258 does use.
_PUNCTUATION = set("\u00a0“”‘’–—…•°·«»₫№")
_VIETNAMESE = _LETTERS | _PUNCTUATION
# More than this share of a Windows-1258 text's non-ASCII characters outside Vietnamese is
# another encoding read wrongly (Shift-JIS katakana come out as "ƒ" and a letter, all of them
# foreign), not a stray symbol in a notes column ("30 m²").
_FOREIGN_SHARE = 0.25


def _reads_as_vietnamese(text: str) -> bool:
    foreign = total = 0
    for char in text:
        if char < "\x80":
            continue
        total += 1
        foreign += char not in _VIETNAMESE
    return total == 0 or foreign <= _FOREIGN_SHARE * total


def decode_text(data: bytes) -> str:
    """Return a CSV file's text, composed (NFC), or raise ``FileProblem`` naming the encodings
    tried.

    Composed in every case: Windows-1258 and macOS write tone marks as separate combining
    characters.
    """
    text = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is None or "\ufffd" in text:
            try:
                text = unicodedata.normalize("NFC", data.decode("cp1258"))
            except UnicodeDecodeError:
                text = None
            if text is not None and not _reads_as_vietnamese(text):
                text = None
    if text is None or "\ufffd" in text:
        raise FileProblem(
            _("The file's encoding is not recognised (tried %(encodings)s): save it as CSV UTF-8.")
            % {"encodings": ", ".join(TRIED)}
        )
    return unicodedata.normalize("NFC", text)
