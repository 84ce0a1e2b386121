"""Assets and their append-only maintenance log in the staff admin."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Asset,
    MaintenanceLog,
)
from activities.services import (
    asset_register,
    maintenance_record,
)
from core.admin.display import ReadOnlyInline, money_column, year_filter
from core.admin.services import ServiceAdmin
from core.paginator import CappedCountPaginator


class MaintenanceLogInline(ReadOnlyInline):
    """The asset's log, to read; entries are added on the maintenance log page."""

    model = MaintenanceLog
    fields = ["happened_on", "kind", "status_after", "note", "reported_by_public", "recorded_by"]
    readonly_fields = fields
    ordering = ["-happened_on", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("asset", "recorded_by")


ASSET_FIELDS = (
    "partnership",
    "kind",
    "code",
    "description",
    "village",
    "household",
    "installed_on",
    "value_vnd",
)


@admin.register(Asset)
class AssetAdmin(ServiceAdmin):
    """Assets are registered through asset_register; their state comes from the log."""

    list_display = [
        "code",
        "kind",
        "village",
        "household",
        "partnership",
        "installed_on",
        "status",
        "value",
    ]
    # A year filter rather than date_hierarchy: one trash bin per household makes a big table.
    list_filter = [
        "kind",
        "status",
        year_filter("installed_on", lambda: Asset.objects.dates("installed_on", "year")),
    ]
    list_select_related = ["village", "household", "partnership"]
    search_fields = ["code", "description", "village__name"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["partnership", "village", "household"]
    fields = [*ASSET_FIELDS, "status", "created_at", "updated_at"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [MaintenanceLogInline]

    value = money_column("value_vnd", _("value"))

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None) -> bool:
        # There is no service to change a registered asset (its value caps its allocations).
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return asset_register(actor=request.user, asset=form.instance)


class MaintenanceLogForm(forms.ModelForm):
    class Meta:
        model = MaintenanceLog
        fields = ["asset", "kind", "happened_on", "status_after", "note", "reported_by_public"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status_after" in self.fields:
            self.fields["status_after"].required = False
            self.fields["status_after"].help_text = _("Leave empty to follow from the kind.")


@admin.register(MaintenanceLog)
class MaintenanceLogAdmin(ServiceAdmin):
    """The log is append-only: entries are added through maintenance_record, never changed."""

    form = MaintenanceLogForm
    list_display = [
        "asset",
        "kind",
        "happened_on",
        "status_after",
        "reported_by_public",
        "recorded_by",
    ]
    list_filter = ["kind", "status_after", "reported_by_public", "happened_on"]
    list_select_related = ["asset", "recorded_by"]
    search_fields = ["asset__code", "note"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["asset"]
    fields = [
        "asset",
        "kind",
        "happened_on",
        "status_after",
        "note",
        "reported_by_public",
        "recorded_by",
        "created_at",
    ]
    readonly_fields = ["recorded_by", "created_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        data = self.cleaned(
            form, ["asset", "kind", "happened_on", "status_after", "note", "reported_by_public"]
        )
        data["status_after"] = data.get("status_after") or None
        return maintenance_record(actor=request.user, **data)


# --- Grants ------------------------------------------------------------------------------------
