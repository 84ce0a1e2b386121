"""``{% load access %}``: the buttons of a page ask ``outreach.access.may``, as its views do.

{% if user|may:"Office staff" %}…{% endif %}
{% if user|may:"WORKERS" %}…{% endif %}                  (a group named in outreach.access)
{% if user|may:"Office staff,Auditor" %}…{% endif %}     (any of several)
"""

from django import template

from outreach import access

register = template.Library()


@register.filter(name="may")
def may(user, roles: str) -> bool:
    """Tell whether ``user`` may act as one of ``roles`` (role names or group names, separated
    by commas; administrators always may)."""
    names = []
    for name in (part.strip() for part in roles.split(",")):
        names.extend(access.ROLE_SETS.get(name, (name,)))
    return access.may(user, *names)
