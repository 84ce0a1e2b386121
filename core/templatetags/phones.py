"""``{{ household.phone|phone }}``: a stored mobile number as people read it, 0912 345 678."""

from django import template

from core.phones import display_phone

register = template.Library()


@register.filter
def phone(value) -> str:
    """Show a stored ``84…`` number as ``0912 345 678`` (anything else as it was typed)."""
    return display_phone(value or "")
