"""``{% load places %}``: a place typed or recorded under the units of before the 2025 reform,
shown with today's unit beside it.

{% place_now household.village as now %}{% if now %}(now {{ now }}){% endif %}
{% address_now household.address household.commune as now %}
"""

from django import template
from django.utils import timezone

from core.text import fold
from outreach.units import successors_named_in

register = template.Library()

# Words that name a unit's kind in an address; without one the address names no unit to look up.
_KIND_WORDS = ("xa ", "phuong ", "thi tran ", "huyen ", "quan ", "thi xa ", "tinh ")


@register.simple_tag
def place_now(unit) -> str:
    """Return today's place of ``unit`` (a village or a commune) when it ended and became part
    of another, else "" (no query for a unit still in force)."""
    if unit is None or not unit.merged_into_id or unit.valid_until is None:
        return ""
    if unit.valid_until >= timezone.localdate():
        return ""
    current = unit.current
    return current.full_name if current.pk != unit.pk else ""


@register.simple_tag
def address_now(address: str, commune) -> str:
    """Return today's communes for the ended communes an address names ("xã Linh Phú" → "Tri
    Phú"), joined, else ""."""
    if not address or commune is None or not any(w in fold(address) for w in _KIND_WORDS):
        return ""
    province = commune.current.province
    found = successors_named_in(address, province=province)
    return "; ".join(f"{old.name} → {new.name}" for old, new in found if old.pk != new.pk)
