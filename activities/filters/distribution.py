"""Filters of the distribution pages (applied inside activities.selectors.distribution)."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from activities.models import Distribution, Receipt, Verification
from core.filters import BooleanFilter, FilterSet


class DistributionFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Distribution.Status.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year", min_value=1945)

    class Meta:
        model = Distribution
        fields = ["status", "year"]

    def filter_year(self, queryset, name, value):
        # A date range rather than __year, so that the (partnership, distributed_on) index serves.
        year = int(value)
        if not 1945 <= year <= 2100:
            return queryset.none()
        return queryset.filter(
            distributed_on__gte=datetime.date(year, 1, 1),
            distributed_on__lt=datetime.date(year + 1, 1, 1),
        )


class ReceiptFilter(FilterSet):
    """The recipients of one distribution: confirmed or not, by village."""

    confirmed = BooleanFilter(
        label=_("Confirmed"),
        field_name="confirmed_at",
        lookup_expr="isnull",
        exclude=True,
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Village"), queryset=None, empty_label=_("All")
    )

    class Meta:
        model = Receipt
        fields = ["confirmed", "village"]

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["village"].queryset = villages


class VerificationFilter(FilterSet):
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Verification.Outcome.choices, empty_label=_("All")
    )

    class Meta:
        model = Verification
        fields = ["outcome"]
