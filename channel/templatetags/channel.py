"""Template tags of the channel, for pages of other apps that print a code to verify.

{% load channel %}{% report_link_code link as code %}… {% url 'verify' %}?code={{ code }}
"""

from django import template

from channel.services import report_link_code_issue

register = template.Library()


@register.simple_tag
def report_link_code(link) -> str:
    """Return the short code of a shared donor report link (issued the first time it is shown)."""
    if link is None or link.pk is None:
        return ""
    return report_link_code_issue(actor=None, link=link).short_code
