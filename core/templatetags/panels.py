"""``{% panels "slot" obj %}``: draw what other apps registered for this place of the page
(core.panels)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, obj):
    """Render the panels of ``slot`` for ``obj``, each with the context its function gives."""
    request = context.get("request")
    parts = []
    for panel in panels_for(slot):
        extra = panel.context(obj=obj, request=request)
        if extra is None:
            continue
        parts.append(render_to_string(panel.template, {**extra, "object": obj}, request=request))
    return mark_safe("".join(parts))  # noqa: S308  (each part is a template's escaped output)
