"""Filters of the activity list (applied inside activities.selectors.activity)."""

import datetime

import django_filters
from crispy_forms.bootstrap import StrictButton
from crispy_forms.layout import Column, Layout, Row
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from core.filters import FilterSet
from core.forms import SearchHelper
from outreach.filters import VillageFilter


class ActivityFilter(FilterSet):
    """Kind, year and village of an activity.

    The years and villages offered are given by the selector (those of the user's activities).
    """

    kind = django_filters.ChoiceFilter(
        choices=Activity.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), method="filter_year", empty_label=_("All years")
    )
    village = VillageFilter(field_name="villages", distinct=True)

    class Meta:
        model = Activity
        fields = ["kind", "year", "village"]

    def __init__(self, data=None, queryset=None, *, years=(), villages=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]
        if villages is not None:
            self.filters["village"].set_villages(villages)

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            helper = SearchHelper()
            helper.layout = Layout(
                Row(
                    Column("kind", css_class="col-sm"),
                    Column("year", css_class="col-sm"),
                    Column("village", css_class="col-sm"),
                    Column(
                        StrictButton(_("Filter"), type="submit", css_class="btn-secondary mb-3"),
                        css_class="col-sm-auto d-flex align-items-end",
                    ),
                    css_class="g-2",
                )
            )
            form.helper = helper
        return form

    def filter_year(self, queryset, name, value):
        # A range rather than __year, so that the (partnership, starts_on) index serves it.
        year = int(value)
        return queryset.filter(
            starts_on__gte=datetime.date(year, 1, 1), starts_on__lt=datetime.date(year + 1, 1, 1)
        )
