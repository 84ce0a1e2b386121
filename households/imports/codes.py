"""Household codes for the households a commune's list gives without one, in the commune's own
pattern: the prefix and zero-padded number of its codes ("LP-0042" → "LP-0043"), or, for a
commune with no numbered code yet, the initials of its name ("Tri Phú" → "TP-0001").

Made when the import writes the households, under a lock on the commune's row, so that two
imports of one commune never make the same code (the unique constraint is the last guard)."""

import re
from collections import Counter

from django.db.models.functions import Length

from core.text import fold
from households.models import Household
from outreach.models import Commune

_NUMBERED = re.compile(r"^(.*?)(\d+)$")
# How many of the commune's latest codes show its pattern.
_SAMPLE = 50
_WIDTH = 4


def code_pattern(commune: Commune) -> tuple[str, int]:
    """Return the prefix and the number's width of the commune's codes."""
    latest = Household.objects.filter(commune=commune).order_by("-pk")
    found = Counter()
    for code in latest.values_list("code", flat=True)[:_SAMPLE]:
        match = _NUMBERED.match(code)
        if match:
            found[(match[1], len(match[2]))] += 1
    if found:
        return found.most_common(1)[0][0]
    initials = "".join(word[0] for word in fold(commune.name).split() if word[0].isalnum())
    return f"{initials.upper() or 'HO'}-", _WIDTH


def codes_make(commune: Commune, count: int) -> list[str]:
    """Return ``count`` codes free in the commune, after the highest of its pattern; the caller
    holds the commune's row locked until the households are written."""
    if count <= 0:
        return []
    Commune.objects.select_for_update().filter(pk=commune.pk).values_list("pk").first()
    prefix, width = code_pattern(commune)
    highest = (
        Household.objects.filter(commune=commune, code__regex=rf"^{re.escape(prefix)}[0-9]+$")
        .annotate(length=Length("code"))
        .order_by("-length", "-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(highest[len(prefix) :]) if highest else 0
    codes: list[str] = []
    while len(codes) < count:
        wanted = [f"{prefix}{n:0{width}d}" for n in range(number + 1, number + 1 + count)]
        number += count
        taken = set(
            Household.objects.filter(commune=commune, code__in=wanted).values_list(
                "code", flat=True
            )
        )
        codes += [code for code in wanted if code not in taken][: count - len(codes)]
    return codes
