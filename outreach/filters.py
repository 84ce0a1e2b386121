"""A village filter that stays light for a province.

A select of the user's villages is the easiest choice for a commune's staff (eight or ten
villages); for an auditor of a province it would be thousands of options: hundreds of kilobytes
for a phone, and seconds to render. Past ``SELECT_LIMIT`` villages the filter becomes a text box
where the user types the village's name, accents optional. A village id (``?village=12``, as the
village page links) works in both forms.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.text import fold
from outreach.models import Village
from outreach.scope import scoped

SELECT_LIMIT = 300
ALL_VILLAGES = _("All villages")


class VillageFilter(django_filters.Filter):
    """Filter on a village of ``villages`` (set per user with ``set_villages``)."""

    field_class = forms.ChoiceField

    def __init__(self, *args, empty_label=ALL_VILLAGES, **kwargs):
        kwargs.setdefault("label", _("Village"))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.empty_label = empty_label
        self.villages: QuerySet = Village.objects.none()
        self.many = False

    def set_villages(self, villages: QuerySet) -> None:
        """Offer ``villages`` (already cut to the user's scope): a select, or a name box."""
        self.villages = villages
        # At most one more than the limit, in no order: a province's thousands of villages are
        # neither sorted nor loaded to learn that there are too many for a select (sorting them
        # by commune was most of an administrator's registry query time). Fewer are sorted here,
        # by their names' code points (the databases' C collation; SQLite's too).
        first = sorted(
            villages.order_by().values_list("commune__name", "name", "pk", "commune_id")[
                : SELECT_LIMIT + 1
            ]
        )
        self.many = len(first) > SELECT_LIMIT
        self.extra.pop("choices", None)
        self.extra.pop("widget", None)
        if self.many:
            self.field_class = forms.CharField
            self.extra["widget"] = forms.TextInput(
                attrs={"type": "search", "placeholder": _("Village name, accents optional")}
            )
        else:
            self.field_class = forms.ChoiceField
            several = len({commune_id for *_rest, commune_id in first}) > 1
            self.extra["choices"] = [("", self.empty_label)] + [
                (str(pk), f"{name} · {commune}" if several else name)
                for commune, name, pk, _commune_id in first
            ]
        # The form field is built once, lazily: build it again with these choices.
        self.__dict__.pop("_field", None)

    def scope_to(self, user) -> None:
        """Offer the villages of ``user``'s communes."""
        self.set_villages(scoped(Village.objects.all(), user))

    def village_ids(self, value: str) -> list[int]:
        """Return the ids of the villages ``value`` names (an id, or part of a name)."""
        value = value.strip()
        if value.isdigit():
            return list(self.villages.filter(pk=int(value)).values_list("pk", flat=True))
        wanted = fold(value)
        # The user's villages are a small table even for a province (thousands of rows).
        return [pk for pk, name in self.villages.values_list("pk", "name") if wanted in fold(name)]

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value in (None, ""):
            return qs
        qs = qs.filter(**{f"{self.field_name}__in": self.village_ids(str(value))})
        return qs.distinct() if self.distinct else qs
