"""Households, members and reviews in the staff admin; every write goes through the services.

A household's status comes only from reviews, and reviews are history: they are added, never
changed or deleted. Households are archived, never deleted.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_utils import (
    ReadOnlyInline,
    ServiceAdmin,
    ServiceInline,
    folded_search,
    related_total,
    run_service_action,
)
from core.paginator import EstimatedCountPaginator
from households.models import Household, Member, Review
from households.services import (
    HOUSEHOLD_EDITABLE,
    MEMBER_EDITABLE,
    household_archive,
    household_create,
    household_update,
    member_add,
    member_update,
    review_record,
)


class MemberInline(ServiceInline, admin.TabularInline):
    model = Member
    fields = MEMBER_EDITABLE
    extra = 0

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, parent, form):
        return member_add(
            actor=request.user, household=parent, **self.cleaned(form, MEMBER_EDITABLE)
        )

    def service_update(self, request, obj, form):
        return member_update(actor=request.user, member=obj, **self.changed(form, MEMBER_EDITABLE))


class ReviewInline(ReadOnlyInline):
    """The household's review history, to read; reviews are recorded on their own page."""

    model = Review
    fields = ["reviewed_on", "status", "previous_status", "approved", "reason", "reviewer"]
    readonly_fields = fields
    ordering = ["-reviewed_on", "-pk"]

    def get_queryset(self, request):
        # The row's title is str(review), which names the household.
        return super().get_queryset(request).select_related("household", "reviewer")


@admin.register(Household)
class HouseholdAdmin(ServiceAdmin):
    list_display = [
        "code",
        "head_name",
        "village",
        "commune",
        "status",
        "last_reviewed_on",
        "member_count",
        "archived",
    ]
    list_filter = ["status", "archived", "housing_condition"]
    list_select_related = ["village", "commune"]
    # Searched through the folded column (get_search_results); declared for autocomplete.
    search_fields = ["search_text"]
    search_help_text = _("Code or name of anyone in the household; accents and case do not matter.")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["village"]
    fieldsets = [
        (None, {"fields": HOUSEHOLD_EDITABLE}),
        (_("Status, from reviews"), {"fields": ["status", "last_reviewed_on"]}),
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
        "status",
        "last_reviewed_on",
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
    list_filter = ["relation", "sex", "ethnicity", "has_disability"]
    list_select_related = ["household"]
    search_fields = ["full_name"]
    search_help_text = _("Name, or code or name in the household; accents do not matter.")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["household"]
    fields = ["household", *MEMBER_EDITABLE, "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # member_update changes a person's details, not the household they belong to.
            readonly.append("household")
        return readonly

    def get_search_results(self, request, queryset, search_term):
        return folded_search(queryset, search_term, "household__search_text", ["full_name"]), False

    @admin.display(description=_("national ID number"))
    def national_id_display(self, obj: Member) -> str:
        return obj.masked_national_id

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
    """Reviews are history: recorded through review_record, never changed or deleted."""

    list_display = [
        "household",
        "reviewed_on",
        "status",
        "previous_status",
        "approved",
        "reviewer",
    ]
    # A date filter rather than date_hierarchy: listing the distinct dates scans every review.
    list_filter = ["status", "approved", "reviewed_on"]
    list_select_related = ["household", "reviewer"]
    search_fields = ["household__code"]
    search_help_text = _("Code or name in the household; accents do not matter.")
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["household"]
    fields = [
        "household",
        "reviewed_on",
        "status",
        "reason",
        "approved",
        "previous_status",
        "reviewer",
        "created_at",
    ]
    readonly_fields = ["previous_status", "reviewer", "created_at"]

    def get_search_results(self, request, queryset, search_term):
        return folded_search(queryset, search_term, "household__search_text"), False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return review_record(
            actor=request.user,
            **self.cleaned(form, ["household", "reviewed_on", "status", "reason", "approved"]),
        )
