"""The poverty standards and the B1 tables in the staff admin, with their history.

National data: every role that works with households reads them, administrators alone change
them (outreach.scope registers them as reference data without an owner, so the scoped admin
site gives nobody else the change pages). What is changed here is what the arithmetic reads
(``households.poverty`` loads the rows on each call). Surveys are shown to read: they are saved
on the survey pages, through ``households.services.survey``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin.display import ReadOnlyAdmin
from core.admin.services import HistoryAdmin
from core.paginator import CappedCountPaginator
from households.models import (
    IncomeTable,
    PovertyStandard,
    StandardIndicator,
    Survey,
    SurveyMember,
)


class StandardIndicatorInline(admin.TabularInline):
    model = StandardIndicator
    fields = ["position", "code", "service", "deprived_when", "params"]
    extra = 0
    ordering = ["position", "pk"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # An indicator in use by past reviews is corrected, never removed.
        return False


@admin.register(PovertyStandard)
class PovertyStandardAdmin(HistoryAdmin):
    list_display = [
        "code",
        "decree",
        "valid_from",
        "valid_until",
        "income_line_rural_vnd",
        "income_line_urban_vnd",
        "average_line_rural_vnd",
        "average_line_urban_vnd",
        "poor_min_deprived",
    ]
    search_fields = ["code", "name", "decree"]
    fieldsets = [
        (None, {"fields": ["code", "name", "decree", "valid_from", "valid_until"]}),
        (
            _("Income lines (₫ per person per month)"),
            {
                "fields": [
                    "income_line_rural_vnd",
                    "income_line_urban_vnd",
                    "average_line_rural_vnd",
                    "average_line_urban_vnd",
                    "poor_min_deprived",
                ]
            },
        ),
        (None, {"fields": ["notes"]}),
    ]
    inlines = [StandardIndicatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("indicators")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Campaigns and reviews name the standard they applied.
        return False


@admin.register(StandardIndicator)
class StandardIndicatorAdmin(HistoryAdmin, ReadOnlyAdmin):
    """The indicators of every standard, to read side by side; they are changed on their
    standard's page."""

    list_display = ["standard", "position", "code", "service", "params"]
    list_filter = ["standard", "service"]
    list_select_related = ["standard"]
    search_fields = ["code", "deprived_when"]
    fields = ["standard", "position", "code", "service", "deprived_when", "params"]
    readonly_fields = fields


@admin.register(IncomeTable)
class IncomeTableAdmin(HistoryAdmin):
    list_display = ["name", "region", "province", "standard", "is_example"]
    list_filter = ["is_example", "standard"]
    list_select_related = ["province", "standard"]
    search_fields = ["name", "region"]
    fields = ["name", "region", "province", "standard", "is_example", "items", "bands"]
    autocomplete_fields = ["province", "standard"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Surveys scored on a table keep it.
        return False


@admin.register(Survey)
class SurveyAdmin(HistoryAdmin, ReadOnlyAdmin):
    """Surveys, to read; they are saved section by section on the survey pages."""

    list_display = ["entry", "surveyed_on", "area", "proposed", "income_per_person_vnd"]
    list_filter = ["proposed", "area", "surveyed_on"]
    list_select_related = ["entry__campaign__commune", "entry__household"]
    search_fields = ["entry__household__code"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "entry",
        "surveyed_on",
        "area",
        "surveyor",
        "sections_done",
        "walls",
        "frame",
        "roof",
        "floor_area_m2",
        "water",
        "toilet",
        "uses_telecom",
        "information_means",
        "waste",
        "income_crops_vnd",
        "income_livestock_vnd",
        "income_forestry_vnd",
        "income_wages_vnd",
        "income_business_vnd",
        "income_allowances_vnd",
        "income_other_vnd",
        "costs_vnd",
        "income_table",
        "income_items",
        "income_points",
        "causes",
        "needs",
        "income_per_person_vnd",
        "deprived",
        "reasons",
        "proposed",
        "version",
        "client_id",
    ]
    readonly_fields = fields


@admin.register(SurveyMember)
class SurveyMemberAdmin(ReadOnlyAdmin):
    """What surveys found about each member, to read."""

    list_display = ["member", "survey", "birth_year", "school_level", "work", "health_insurance"]
    list_select_related = ["member", "survey__entry__campaign__commune", "survey__entry__household"]
    search_fields = ["member__full_name"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "survey",
        "member",
        "birth_year",
        "attending_school",
        "school_level",
        "health_insurance",
        "work",
        "able_to_work",
        "stunted",
        "underweight",
    ]
    readonly_fields = fields
