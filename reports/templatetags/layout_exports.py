"""``{% load layout_exports %}``: the download links of the communes whose own spreadsheet
layout is known, beside the list exports.

{% layout_exports user as layouts %}{% for name, url in layouts %}…{% endfor %}
"""

from django import template
from django.urls import reverse

from reports.exports_layout import layout_communes

register = template.Library()


@register.simple_tag
def layout_exports(user) -> list[tuple[str, str]]:
    """Return ``(commune name, download URL)`` for each commune of ``user``'s scope that has a
    layout, when the user may download lists; else nothing."""
    return [
        (name, reverse("reports:layout-export", args=[pk]))
        for pk, name in layout_communes(user=user)
    ]
