"""How the admin lists rows, for every app: money columns, list filters, read-only inlines."""

import datetime
from collections.abc import Callable, Iterable

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.money import format_vnd


def money_column(field: str, description, *, ordering: str | None = None):
    """Build a list_display column that shows a whole-đồng field as ``70.000.000 ₫``."""

    @admin.display(description=description, ordering=ordering or field)
    def column(modeladmin, obj):
        return format_vnd(getattr(obj, field))

    column.__name__ = f"{field}_formatted"
    return column


class YesNoNullFilter(admin.SimpleListFilter):
    """A yes/no filter on whether a nullable field is set ("confirmed", "ended")."""

    field: str = ""
    yes_label = _("Yes")
    no_label = _("No")

    def lookups(self, request, model_admin):
        return [("yes", self.yes_label), ("no", self.no_label)]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.field}__isnull": False})
        if self.value() == "no":
            return queryset.filter(**{f"{self.field}__isnull": True})
        return queryset


def year_filter(field: str, years: Callable[[], Iterable[datetime.date]]):
    """Build a list filter on the year of the date ``field`` ("2024").

    ``years`` gives the dates whose years are offered; read them from a small table (the
    distributions, not their million receipts), since the filter runs on every page load.
    """

    class YearFilter(admin.SimpleListFilter):
        title = _("year")
        parameter_name = f"{field.replace('__', '_')}_year"

        def lookups(self, request, model_admin):
            found = sorted({day.year for day in years()}, reverse=True)
            return [(str(year), str(year)) for year in found]

        def queryset(self, request, queryset):
            value = self.value()
            if not value or not value.isdigit():
                return queryset
            year = int(value)
            # A range, not __year, so that an index on the column serves it.
            return queryset.filter(
                **{
                    f"{field}__gte": datetime.date(year, 1, 1),
                    f"{field}__lt": datetime.date(year + 1, 1, 1),
                }
            )

    return YearFilter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept by the working pages' workflows (or appended by the system): read here,
    never added, changed or deleted around them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows a record's history (reviews, log entries) and changes nothing.

    The rows are written on their own admin page, through their service.
    """

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
