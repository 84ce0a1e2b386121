"""Filters of the money pages: donations and grants.

Each filter set takes the user's scoped queryset and the user, and offers in its selects only what
that queryset holds (partners who gave, years with donations), read with one small query each.
"""

import datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from activities.models import Grant
from core.filters import FilterSet
from outreach.filters import VillageFilter
from outreach.models import Donation, Partner, Village


def _year_choices(queryset: QuerySet, field: str) -> list[tuple[int, str]]:
    """Offer the years in which ``queryset`` has rows (one query on a small table)."""
    years = sorted({day.year for day in queryset.order_by().dates(field, "year")}, reverse=True)
    return [(year, str(year)) for year in years]


def _in_year(queryset: QuerySet, field: str, year: int) -> QuerySet:
    # A range rather than __year, so that an index on the date column serves it.
    return queryset.filter(
        **{
            f"{field}__gte": datetime.date(year, 1, 1),
            f"{field}__lt": datetime.date(year + 1, 1, 1),
        }
    )


class VillageField(forms.ModelChoiceField):
    """A select of villages that names each one's commune (auditors see many communes)."""

    def label_from_instance(self, obj: Village) -> str:
        return f"{obj.name} · {obj.commune.name}"


class DonationFilter(FilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.none(), label=_("Partner"), empty_label=_("All partners")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), method="filter_year", empty_label=_("All years")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Donation.Kind.choices, empty_label=_("Cash and goods")
    )

    class Meta:
        model = Donation
        fields = ["partner", "year", "kind"]

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["partner"].queryset = Partner.objects.filter(
            pk__in=queryset.order_by().values("partner_id")
        ).order_by("name")
        self.filters["year"].extra["choices"] = _year_choices(queryset, "received_on")

    def filter_year(self, queryset, name, value):
        return _in_year(queryset, "received_on", int(value)) if value else queryset


class GrantFilter(FilterSet):
    purpose = django_filters.ChoiceFilter(
        label=_("Purpose"), choices=Grant.Purpose.choices, empty_label=_("All purposes")
    )
    village = VillageFilter()
    year = django_filters.ChoiceFilter(
        label=_("Year"), method="filter_year", empty_label=_("All years")
    )
    completed = django_filters.ChoiceFilter(
        label=_("Completed"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        method="filter_completed",
        empty_label=_("All"),
    )

    class Meta:
        model = Grant
        fields = ["purpose", "village", "year", "completed"]

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["village"].scope_to(user)
        self.filters["year"].extra["choices"] = _year_choices(queryset, "approved_on")

    def filter_year(self, queryset, name, value):
        return _in_year(queryset, "approved_on", int(value)) if value else queryset

    def filter_completed(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(completed_on__isnull=False)
        if value == "no":
            return queryset.filter(completed_on__isnull=True)
        return queryset
