"""The channel in the staff admin: for data fixes only.

Posts are published on their page (which sends the e-mails) and public fault reports handled in
the office's queue; here a post's text, public flag and photo consent can be corrected, the
office's public profile is kept by the administrators, and the rest is read.
"""

from django import forms
from django.contrib import admin

from channel.models import (
    Delivery,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    SiteProfile,
    Subscription,
)
from channel.services import SITE_PROFILE_FIELDS, site_profile_update
from core.admin.display import ReadOnlyAdmin, ReadOnlyInline
from core.admin.services import HistoryAdmin, ServiceAdmin
from core.paginator import CappedCountPaginator
from outreach.access import may
from outreach.scope import Role


class PostPhotoInline(ReadOnlyInline):
    model = PostPhoto
    fields = ["caption", "consent_to_publish", "state", "uploaded_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post", "uploaded_by")


@admin.register(Post)
class PostAdmin(HistoryAdmin):
    """A post's text and public flag can be corrected; whom it is for cannot (e-mails went)."""

    list_display = ["title", "partnership", "audience", "village", "partner", "is_public"]
    list_filter = ["audience", "is_public"]
    list_select_related = ["partnership", "village", "partner"]
    search_fields = ["title"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "partnership",
        "audience",
        "village",
        "partner",
        "activity",
        "distribution",
        "title",
        "body",
        "is_public",
        "short_code",
        "published_at",
        "created_by",
    ]
    readonly_fields = [
        "partnership",
        "audience",
        "village",
        "partner",
        "activity",
        "distribution",
        "short_code",
        "published_at",
        "created_by",
    ]
    inlines = [PostPhotoInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PostPhoto)
class PostPhotoAdmin(admin.ModelAdmin):
    """A photo's caption and consent can be corrected (consent withdrawn, say)."""

    list_display = ["__str__", "post", "consent_to_publish", "state"]
    list_filter = ["consent_to_publish", "state"]
    list_select_related = ["post"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = ["post", "image", "caption", "consent_to_publish", "state", "uploaded_by"]
    readonly_fields = ["post", "image", "state", "uploaded_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["user", "frequency", "created_at"]
    list_filter = ["frequency"]
    list_select_related = ["user"]
    fields = ["user", "frequency", "created_at"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["post", "user", "digest", "sent_at"]
    list_filter = ["digest"]
    list_select_related = ["post", "user"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = ["post", "user", "digest", "sent_at"]
    readonly_fields = fields


@admin.register(PublicFaultReport)
class PublicFaultReportAdmin(HistoryAdmin, ReadOnlyAdmin):
    """Handled in the office's queue (channel:fault-report-list), through the services."""

    list_display = ["asset", "status", "created_at", "handled_by"]
    list_filter = ["status"]
    list_select_related = ["asset", "handled_by"]
    search_fields = ["asset__code"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "asset",
        "what",
        "photo",
        "photo_state",
        "phone",
        "status",
        "log",
        "handled_by",
        "handled_at",
        "staff_note",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(ReportLinkCode)
class ReportLinkCodeAdmin(ReadOnlyAdmin):
    list_display = ["short_code", "link", "created_at"]
    list_select_related = ["link", "link__partner"]
    fields = ["short_code", "link", "created_at"]
    readonly_fields = fields


@admin.register(SiteProfile)
class SiteProfileAdmin(ServiceAdmin):
    """The office's name and contacts that /verify/ shows: one row, kept by administrators.

    The page exists to tell people which number is really the office's, so only administrators
    change it (office staff hold the model permissions of the whole app), through
    site_profile_update, with every change in the history; it is never deleted.
    """

    list_display = ["office_name", "phone", "zalo_oa_name", "updated_at"]
    fields = [*SITE_PROFILE_FIELDS, "updated_at"]
    readonly_fields = ["updated_at"]

    def _administers(self, request) -> bool:
        return may(request.user, Role.ADMINISTRATOR)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "verify_note":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request) -> bool:
        # One row: once it exists it is changed, never added again.
        return (
            self._administers(request)
            and super().has_add_permission(request)
            and not SiteProfile.objects.exists()
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return self._administers(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return site_profile_update(actor=request.user, **self.cleaned(form, SITE_PROFILE_FIELDS))

    def service_update(self, request, obj, form):
        return site_profile_update(actor=request.user, **self.changed(form, SITE_PROFILE_FIELDS))


from channel import admin_notify  # noqa: E402, F401  (notices and Zalo: their own module)
