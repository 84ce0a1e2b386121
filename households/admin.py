"""Households, members and reviews in the staff admin; every write goes through the services.

A household's poverty classification comes only from commune decisions closing a review, and
reviews are history: nothing here adds, changes or deletes them, nor the classification (or the
policy-family and in-difficulty facts, which have their own services). Households are archived,
never deleted.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.display import ReadOnlyAdmin, ReadOnlyInline
from core.admin.services import ServiceAdmin, ServiceInline, run_service_action
from core.paginator import CappedCountPaginator
from core.queries import folded_search, related_total
from households.imports import import_summary
from households.models import (
    CaseFileView,
    Concern,
    Household,
    HouseholdImport,
    ImportLayout,
    Member,
    Review,
)
from households.scope import sees_national_ids
from households.services import (
    HOUSEHOLD_EDITABLE,
    MEMBER_EDITABLE,
    case_file_viewed,
    household_archive,
    household_create,
    household_update,
    member_add,
    member_update,
)

# ID numbers are shown whole only on the member's own page (MemberAdmin), never in lists.
INLINE_MEMBER_FIELDS = tuple(name for name in MEMBER_EDITABLE if name != "national_id")


class MemberInline(ServiceInline, admin.TabularInline):
    model = Member
    fields = [*INLINE_MEMBER_FIELDS, "national_id_masked"]
    readonly_fields = ["national_id_masked"]
    extra = 0

    @admin.display(description=_("national ID number"))
    def national_id_masked(self, obj: Member) -> str:
        return obj.masked_national_id

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, parent, form):
        return member_add(
            actor=request.user, household=parent, **self.cleaned(form, INLINE_MEMBER_FIELDS)
        )

    def service_update(self, request, obj, form):
        return member_update(
            actor=request.user, member=obj, **self.changed(form, INLINE_MEMBER_FIELDS)
        )


class ReviewInline(ReadOnlyInline):
    """The household's review history, to read; reviews are recorded on their own page."""

    model = Review
    fields = [
        "reviewed_on",
        "classification",
        "previous_classification",
        "status",
        "approved",
        "reason",
        "reviewer",
    ]
    readonly_fields = fields
    ordering = ["-reviewed_on", "-pk"]

    def get_queryset(self, request):
        # The row's title is str(review), which names the household.
        return super().get_queryset(request).select_related("household", "reviewer")


@admin.register(Household)
class HouseholdAdmin(ServiceAdmin):
    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Reading a case file is logged; config.admin_site has already checked the scope.
        if request.method == "GET":
            household = self.get_queryset(request).filter(pk=object_id).first()
            if household is not None:
                case_file_viewed(actor=request.user, household=household, path=request.path)
        return super().change_view(request, object_id, form_url, extra_context)

    list_display = [
        "code",
        "head_name",
        "village",
        "commune",
        "poverty",
        "policy_family",
        "in_difficulty",
        "last_reviewed_on",
        "member_count",
        "archived",
    ]
    list_filter = ["poverty", "policy_family", "in_difficulty", "archived", "housing_condition"]
    list_select_related = ["village", "commune"]
    # Searched through the folded column (get_search_results); declared for autocomplete.
    search_fields = ["search_text"]
    search_help_text = _("Code or name of anyone in the household; accents and case do not matter.")
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["village"]
    fieldsets = [
        (None, {"fields": HOUSEHOLD_EDITABLE}),
        (
            _("Classification, from commune decisions"),
            {
                "fields": [
                    "poverty",
                    "last_reviewed_on",
                    "policy_family",
                    "in_difficulty",
                    "difficulty_reason",
                    "difficulty_since",
                ]
            },
        ),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": [
                    "commune",
                    "archived",
                    "archived_at",
                    "search_text",
                    "created_by",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]
    readonly_fields = [
        "commune",
        "poverty",
        "last_reviewed_on",
        "policy_family",
        "in_difficulty",
        "difficulty_reason",
        "difficulty_since",
        "archived",
        "archived_at",
        "search_text",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [MemberInline, ReviewInline]
    actions = ["archive", "restore"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=related_total(Member.objects.all(), "household", Count("pk")))
        )

    def get_inlines(self, request, obj):
        # A new household has no history to show.
        return self.inlines if obj is not None else [MemberInline]

    def get_search_results(self, request, queryset, search_term):
        # Also serves the household autocomplete of receipts, grants and assets.
        return folded_search(queryset, search_term, "search_text"), False

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Household) -> int:
        return obj.member_count

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return household_create(actor=request.user, **self.cleaned(form, HOUSEHOLD_EDITABLE))

    def service_update(self, request, obj, form):
        return household_update(
            actor=request.user, household=obj, **self.changed(form, HOUSEHOLD_EDITABLE)
        )

    @admin.action(description=_("Archive the selected households"), permissions=["change"])
    def archive(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda household: household_archive(actor=request.user, household=household),
            done=gettext("Households archived: %(count)d."),
        )

    @admin.action(description=_("Restore the selected households"), permissions=["change"])
    def restore(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda household: household_archive(
                actor=request.user, household=household, archived=False
            ),
            done=gettext("Households restored: %(count)d."),
        )


@admin.register(Member)
class MemberAdmin(ServiceAdmin):
    list_display = [
        "full_name",
        "household",
        "relation",
        "sex",
        "birth_year",
        "ethnicity",
        "has_disability",
        "national_id_display",
    ]
    list_filter = ["relation", "sex", "ethnicity", "has_disability", "policy_category"]
    list_select_related = ["household"]
    search_fields = ["full_name"]
    search_help_text = _("Name, or code or name in the household; accents do not matter.")
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["household"]
    fields = ["household", *MEMBER_EDITABLE, "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # member_update changes a person's details, not the household they belong to.
            readonly.append("household")
        if not sees_national_ids(request.user):
            readonly.append("national_id_display")
        return readonly

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not sees_national_ids(request.user):
            fields = ["national_id_display" if name == "national_id" else name for name in fields]
        return fields

    def get_search_results(self, request, queryset, search_term):
        return folded_search(queryset, search_term, "household__search_text", ["full_name"]), False

    @admin.display(description=_("national ID number"))
    def national_id_display(self, obj: Member) -> str:
        return obj.masked_national_id

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """List what changed between versions, without ID numbers for those who may not see them."""
        excluded = [] if sees_national_ids(request.user) else ["national_id"]
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is shown as a whole form, ID number included.
        if not sees_national_ids(request.user):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return member_add(
            actor=request.user,
            household=form.cleaned_data["household"],
            **self.cleaned(form, MEMBER_EDITABLE),
        )

    def service_update(self, request, obj, form):
        return member_update(actor=request.user, member=obj, **self.changed(form, MEMBER_EDITABLE))


@admin.register(Review)
class ReviewAdmin(ServiceAdmin):
    """Reviews are history: made only by a commune decision closing a campaign, never added,
    changed or deleted here."""

    list_display = [
        "household",
        "reviewed_on",
        "classification",
        "previous_classification",
        "status",
        "decision",
        "reviewer",
    ]
    # A date filter rather than date_hierarchy: listing the distinct dates scans every review.
    list_filter = ["classification", "status", "reviewed_on"]
    list_select_related = ["household", "reviewer"]
    search_fields = ["household__code"]
    search_help_text = _("Code or name in the household; accents do not matter.")
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["household"]
    fields = [
        "household",
        "reviewed_on",
        "classification",
        "previous_classification",
        "standard",
        "decision",
        "income_per_person_vnd",
        "deprived",
        "status",
        "previous_status",
        "reason",
        "approved",
        "reviewer",
        "created_at",
    ]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        return folded_search(queryset, search_term, "household__search_text"), False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CaseFileView)
class CaseFileViewAdmin(ReadOnlyAdmin):
    """Who opened which household's case file, when: for administrators and auditors."""

    list_display = ["viewed_at", "user", "household", "path"]
    list_filter = ["viewed_at"]
    list_select_related = ["user", "household"]
    search_fields = ["household__code", "user__username"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = ["viewed_at", "user", "household", "path"]
    readonly_fields = fields


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin):
    """What families told the office, to read here; they are recorded and followed up on the
    household's page, through the services."""

    list_display = ["household", "kind", "raised_on", "status", "handled_by"]
    list_filter = ["status", "kind", "raised_on"]
    list_select_related = ["household", "handled_by"]
    search_fields = ["household__code"]
    search_help_text = _("Code or name in the household; accents do not matter.")
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "household",
        "kind",
        "raised_on",
        "text",
        "status",
        "handled_by",
        "resolution",
        "resolved_on",
        "recorded_by",
    ]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        return folded_search(queryset, search_term, "household__search_text"), False


@admin.register(HouseholdImport)
class HouseholdImportAdmin(ReadOnlyAdmin):
    """Household files uploaded for import, to read: they are checked and imported on the import
    pages (households.views_import), through the services."""

    list_display = ["created_at", "commune", "file_name", "status", "counts", "created_by"]
    list_filter = ["status", "created_at"]
    list_select_related = ["commune", "created_by"]
    search_fields = ["file_name"]
    fields = [
        "commune",
        "file_name",
        "status",
        "failure",
        "rows",
        "found_new",
        "found_update",
        "found_unchanged",
        "found_error",
        "valid_only",
        "chunk_size",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "runs",
        "mapping",
        "source",
        "preview",
        "check_job",
        "apply_job",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("counts"))
    def counts(self, obj: HouseholdImport) -> str:
        if obj.apply_job_id is not None:
            return import_summary(obj.applied_counts())
        return import_summary(obj.found_counts(), preview=True)


@admin.register(ImportLayout)
class ImportLayoutAdmin(ReadOnlyAdmin):
    """How each commune's own household list is laid out, as last confirmed on the import's
    preview page, to read: the import proposes it for the commune's next file."""

    list_display = ["commune", "header_row", "header_depth", "person_rows", "updated_at"]
    list_select_related = ["commune"]
    search_fields = ["commune__name"]
    fields = [
        "commune",
        "header_row",
        "header_depth",
        "person_rows",
        "title_lines",
        "columns",
        "updated_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields


# The standards, the B1 tables and the surveys (households.admin_standards).
# The review campaigns, to read (every step goes through the campaign's pages).
import households.admin_campaign  # noqa: E402, F401

# The partnership admin's action carrying a partnership over to its merged commune.
from households import (  # noqa: E402
    admin_continuation,  # noqa: F401
    admin_standards,  # noqa: F401
)
