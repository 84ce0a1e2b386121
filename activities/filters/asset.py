"""Filters of the asset registry: kind, village, status and the asset code."""

import django_filters
from django.utils.translation import gettext_lazy as _

from activities.models import Asset
from core.filters import FilterSet
from outreach.filters import VillageFilter


class AssetFilter(FilterSet):
    code = django_filters.CharFilter(label=_("Asset code"), method="filter_code")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Asset.Kind.choices, empty_label=_("All kinds")
    )
    village = VillageFilter()
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Asset.Status.choices, empty_label=_("All states")
    )

    class Meta:
        model = Asset
        fields = ["code", "kind", "village", "status"]

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["village"].scope_to(user)

    def filter_code(self, queryset, name, value):
        # A prefix, so that the unique index on the code serves it ("DEN-" finds every pole).
        value = (value or "").strip()
        return queryset.filter(code__startswith=value) if value else queryset
