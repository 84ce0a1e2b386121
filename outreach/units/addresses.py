"""Addresses typed under the old names: which ended commune they name, and today's commune.

"thôn Pác Hợp, xã Linh Phú, huyện Chiêm Hóa" names the old Linh Phú, which is today's Tri Phú.
A name counts only written whole, after its kind word ("xã Linh Phú", "x. Linh Phú") or as a
comma-separated part of its own ("Pác Hợp, Linh Phú, Chiêm Hóa"), folded (case, diacritics
and the placement of the tone mark, "Hóa"/"Hoá", do not matter): "Phú" alone names nothing.
"""

import dataclasses
import re
import threading
import time

from django.db.models import Q

from core.text import fold
from outreach.models import Commune, Province

# The words a commune-level name is written after, folded, and their usual abbreviations.
KIND_WORDS = ("xa ", "phuong ", "thi tran ", "dac khu ")
_KIND = r"(?:(?:xa|phuong|thi\s+tran|dac\s+khu|tt)\s+|(?:x|p|tt)\.\s*)"
# A province's ended communes are read once and kept for a few minutes per process: an import
# asks for every row of its file. ``load_admin_units`` clears them when it changes the map.
_TTL_SECONDS = 300


@dataclasses.dataclass(frozen=True)
class _Index:
    by_name: dict[str, list[Commune]]
    pattern: re.Pattern | None
    read_at: float


_cache: dict[int, _Index] = {}
_lock = threading.Lock()


def forget_addresses() -> None:
    """Drop what was read (the map changed)."""
    with _lock:
        _cache.clear()


def _pattern_for(name: str) -> str:
    return r"\s+".join(re.escape(word) for word in name.split())


def _index(province: Province) -> _Index:
    with _lock:
        index = _cache.get(province.pk)
    if index is not None and time.monotonic() - index.read_at < _TTL_SECONDS:
        return index
    # One query: the ended communes of the old units that became this province, and of the
    # province itself (a commune merged by hand), with today's commune and the old district.
    communes = (
        Commune.objects.filter(Q(province__merged_into=province) | Q(province=province))
        .filter(merged_into__isnull=False, valid_until__isnull=False)
        .select_related("merged_into", "district")
        .order_by("pk")
    )
    by_name: dict[str, list[Commune]] = {}
    for commune in communes:
        # Same name as today's commune: the address is not out of date, nothing to show.
        if fold(commune.name) != fold(commune.merged_into.name):
            by_name.setdefault(fold(commune.name), []).append(commune)
    names = sorted(by_name, key=len, reverse=True)
    pattern = None
    if names:
        alternatives = "|".join(_pattern_for(name) for name in names)
        # A numbered ward ("Phường 5") carries its kind word in its name already.
        pattern = re.compile(rf"(?<!\w){_KIND}?({alternatives})(?!\w)")
    index = _Index(by_name=by_name, pattern=pattern, read_at=time.monotonic())
    with _lock:
        _cache[province.pk] = index
    return index


def successors_named_in(text: str, *, province: Province) -> list[tuple[Commune, Commune]]:
    """Return (old ended commune, today's commune) for each ended commune of ``province``'s
    old units that ``text`` names (module docstring), in the order the text names them.

    Where two old communes of the same name are named, the one whose old district the text also
    names is kept, if the text names one.
    """
    folded = fold(text)
    index = _index(province)
    if not folded or index.pattern is None:
        return []
    found: list[str] = []
    for match in index.pattern.finditer(folded):
        name = " ".join(match.group(1).split())
        whole = match.group(0) != match.group(1) or name.startswith(KIND_WORDS)
        if not whole:
            # Without its kind word, a name must be a part of its own between commas.
            part_start = max(folded.rfind(sep, 0, match.start(1)) for sep in ",;\n") + 1
            part_end = min(
                [i for i in (folded.find(sep, match.end(1)) for sep in ",;\n") if i != -1]
                or [len(folded)]
            )
            whole = " ".join(folded[part_start:part_end].split()) == name
        if whole and name not in found:
            found.append(name)
    pairs = []
    for name in found:
        communes = index.by_name[name]
        if len(communes) > 1:
            named = [
                c
                for c in communes
                if c.district_id
                and re.search(rf"(?<!\w){_pattern_for(fold(c.district.name))}(?!\w)", folded)
            ]
            communes = named or communes
        pairs.extend((commune, commune.merged_into) for commune in communes)
    return pairs
