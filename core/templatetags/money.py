from django import template

from core.money import format_vnd

register = template.Library()


@register.filter
def vnd(value):
    """Render whole đồng as ``70.000.000 ₫``, joined by a no-break space (core.money)."""
    if value in (None, ""):
        return ""
    return format_vnd(int(value))
