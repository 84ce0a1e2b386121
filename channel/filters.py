"""Filters of the channel's lists (applied inside channel.selectors)."""

import django_filters
from crispy_forms.bootstrap import StrictButton
from crispy_forms.layout import Column, Layout, Row
from django.utils.translation import gettext_lazy as _

from channel.models import Post, PublicFaultReport
from core.filters import FilterSet
from core.forms import SearchHelper


def _helper(*names) -> SearchHelper:
    helper = SearchHelper()
    helper.layout = Layout(
        Row(
            *[Column(name, css_class="col-sm") for name in names],
            Column(
                StrictButton(_("Filter"), type="submit", css_class="btn-secondary mb-3"),
                css_class="col-sm-auto d-flex align-items-end",
            ),
            css_class="g-2",
        )
    )
    return helper


class PostFilter(FilterSet):
    """Whom a post is meant for."""

    audience = django_filters.ChoiceFilter(
        choices=Post.Audience.choices, label=_("Audience"), empty_label=_("All audiences")
    )

    class Meta:
        model = Post
        fields = ["audience"]

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = _helper("audience")
        return form


class FaultReportFilter(FilterSet):
    """Where a public fault report stands (the queue shows those to check first)."""

    status = django_filters.ChoiceFilter(
        choices=PublicFaultReport.Status.choices,
        label=_("Status"),
        empty_label=_("All statuses"),
    )

    class Meta:
        model = PublicFaultReport
        fields = ["status"]

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = _helper("status")
        return form
