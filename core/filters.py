"""The base of every list's filters (django-filter), so that each filter reads the same way.

- A choice that narrows nothing says "All" (django-filter's yes/no select said "Unknown", which
  Django's Vietnamese reads "Chưa xác định": as if the value were not known). Choice filters get
  it from ``FILTERS_EMPTY_CHOICE_LABEL`` in the settings; yes/no filters from ``BooleanFilter``.
- A date is typed day/month/year (``core.fields.PlausibleDateField``), never in the browser's
  date picker.

A filter set derives from ``FilterSet`` here; filters it builds from model fields (``Meta.fields``)
take these defaults too.
"""

import django_filters
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from core.fields import PlausibleDateField


class AllYesNoSelect(BooleanWidget):
    """A yes/no select whose empty choice says "All"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


class BooleanFilter(django_filters.BooleanFilter):
    """Yes, no, or all of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AllYesNoSelect)
        super().__init__(*args, **kwargs)


class DateFilter(django_filters.DateFilter):
    """A date typed day/month/year."""

    field_class = PlausibleDateField


class FilterSet(django_filters.FilterSet):
    """A list's filters, with the house defaults for filters built from model fields."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateField: {"filter_class": DateFilter},
        models.BooleanField: {"filter_class": BooleanFilter},
        models.NullBooleanField: {"filter_class": BooleanFilter},
    }
