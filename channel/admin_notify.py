"""Notices, their delivery log and the Zalo Official Account in the staff admin.

The OA's connection is read here, never edited: it is made by "Connect the Zalo OA"
(channel.notify.admin_views) or ``manage.py zalo_tokens``, and its tokens are shown nowhere
(not in the list, the page or its history: the admin never loads them). The templates come from
Zalo ("Fetch templates from Zalo"); an administrator chooses the notice each one carries,
through ``zalo_template_use``. Notices and the delivery log are the record of what was sent:
read, never changed or deleted.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from channel.models import (
    InboundMessage,
    Notice,
    NoticeAttempt,
    NotifyPreference,
    QuotaDay,
    ReceiptCheck,
    ZaloConnection,
    ZaloFollower,
    ZaloTemplate,
)
from channel.notify import zalo
from core.admin.display import ReadOnlyAdmin, ReadOnlyInline
from core.admin.services import HistoryAdmin, ServiceAdmin
from core.paginator import CappedCountPaginator
from core.phones import masked_phone
from outreach.access import may
from outreach.scope import Role

# Every column but the two tokens: the admin's querysets never load them.
TOKENS = ("access_token", "refresh_token")


def _administers(request: HttpRequest) -> bool:
    return may(request.user, Role.ADMINISTRATOR)


@admin.register(ZaloConnection)
class ZaloConnectionAdmin(ReadOnlyAdmin):
    """The OA's connection: whether Zalo can be used, until when, and who connected it."""

    list_display = [
        "state",
        "problem",
        "access_expires_at",
        "refresh_expires_at",
        "refreshed_at",
        "connected_by",
    ]
    list_select_related = ["connected_by"]
    fields = [
        "state",
        "problem",
        "access_expires_at",
        "refresh_expires_at",
        "refreshed_at",
        "connected_by",
        "connect",
    ]
    readonly_fields = fields
    change_list_template = "channel/zalo/admin_connection_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*TOKENS)

    @admin.display(description=_("connect again"))
    def connect(self, obj: ZaloConnection) -> str:
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("channel:zalo-connect"),
            gettext("Connect the Zalo OA"),
        )

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if _administers(request) else [f for f in fields if f != "connect"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_connect": _administers(request)}
        return super().changelist_view(request, extra_context)


@admin.register(ZaloTemplate)
class ZaloTemplateAdmin(ServiceAdmin):
    """The office's ZNS templates as Zalo lists them; only the notice each carries is chosen
    here (one template per notice)."""

    list_display = ["name", "template_id", "status_label", "notice_kind", "fetched_at"]
    list_filter = ["status", "notice_kind"]
    search_fields = ["name", "template_id"]
    fields = ["name", "template_id", "status_label", "parameters", "notice_kind", "fetched_at"]
    readonly_fields = ["name", "template_id", "status_label", "parameters", "fetched_at"]
    change_list_template = "channel/zalo/admin_template_list.html"

    @admin.display(description=_("Zalo's status"), ordering="status")
    def status_label(self, obj: ZaloTemplate) -> str:
        try:
            return str(ZaloTemplate.Status(obj.status).label)
        except ValueError:
            return obj.status or "—"

    @admin.display(description=_("parameters"))
    def parameters(self, obj: ZaloTemplate) -> str:
        names = [p.get("name", "") if isinstance(p, dict) else str(p) for p in obj.params]
        return ", ".join(name for name in names if name) or "—"

    def has_add_permission(self, request) -> bool:
        return False  # templates are registered on Zalo and fetched from there

    def has_change_permission(self, request, obj=None) -> bool:
        return _administers(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a template Zalo no longer lists is marked deleted, not removed

    def service_update(self, request, obj, form):
        return zalo.zalo_template_use(
            actor=request.user, template=obj, notice_kind=form.cleaned_data["notice_kind"]
        )

    def get_urls(self):
        fetch = path(
            "fetch/",
            self.admin_site.admin_view(self.fetch_view),
            name="channel_zalotemplate_fetch",
        )
        return [fetch, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_fetch": _administers(request)}
        return super().changelist_view(request, extra_context)

    def fetch_view(self, request: HttpRequest):
        """Copy the templates and their approval state from Zalo (POST, administrators)."""
        if request.method != "POST" or not _administers(request):
            raise PermissionDenied
        try:
            templates = zalo.zalo_templates_fetch(actor=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                gettext("Nothing was fetched: %(error)s") % {"error": " ".join(error.messages)},
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                ngettext(
                    "%(count)d template fetched from Zalo.",
                    "%(count)d templates fetched from Zalo.",
                    len(templates),
                )
                % {"count": len(templates)},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:channel_zalotemplate_changelist"))


class NoticeAttemptInline(ReadOnlyInline):
    model = NoticeAttempt
    fields = [
        "channel",
        "status",
        "tries",
        "provider_message_id",
        "error",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """What was sent to whom, by which channel: the record, never changed or deleted."""

    list_display = ["kind", "status", "channel", "phone_masked", "short_code", "created_at"]
    list_filter = ["kind", "status", "channel"]
    search_fields = ["=short_code"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "kind",
        "status",
        "channel",
        "short_code",
        "user",
        "household",
        "member",
        "phone_masked",
        "email",
        "preferred",
        "subject",
        "text",
        "link",
        "quiet_hours",
        "not_before",
        "sent_at",
        "error",
        "receipt",
        "concern",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [NoticeAttemptInline]

    @admin.display(description=_("mobile number"))
    def phone_masked(self, obj: Notice) -> str:
        return masked_phone(obj.phone) if obj.phone else "—"


@admin.register(NotifyPreference)
class NotifyPreferenceAdmin(ReadOnlyAdmin):
    """How each user wants to be told; set by the user, read here."""

    list_display = ["user", "phone_masked", "channel", "updated_at"]
    list_filter = ["channel"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "phone_masked", "channel", "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("mobile number"))
    def phone_masked(self, obj: NotifyPreference) -> str:
        return masked_phone(obj.phone) if obj.phone else "—"


@admin.register(ZaloFollower)
class ZaloFollowerAdmin(HistoryAdmin, ReadOnlyAdmin):
    """Who follows the OA or wrote to it; linked to a member or a user in the office's queue."""

    list_display = [
        "display_name",
        "zalo_user_id",
        "member",
        "user",
        "following",
        "last_message_at",
    ]
    list_filter = ["following"]
    list_select_related = ["member", "user"]
    search_fields = ["=zalo_user_id", "display_name"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "zalo_user_id",
        "display_name",
        "member",
        "user",
        "following",
        "last_message_at",
        "linked_by",
        "linked_at",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(NoticeAttempt)
class NoticeAttemptAdmin(ReadOnlyAdmin):
    """The delivery log: each channel tried for each notice, with the provider's answer."""

    list_display = ["notice", "channel", "status", "tries", "provider_message_id", "started_at"]
    list_filter = ["channel", "status"]
    list_select_related = ["notice"]
    search_fields = ["=provider_message_id", "=notice__short_code"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "notice",
        "channel",
        "status",
        "tries",
        "provider_message_id",
        "error",
        "started_at",
        "claimed_at",
        "finished_at",
    ]
    readonly_fields = fields


@admin.register(QuotaDay)
class QuotaDayAdmin(ReadOnlyAdmin):
    """How many messages each channel sent on each day (NOTIFY_DAILY_QUOTA)."""

    list_display = ["day", "channel", "used"]
    list_filter = ["channel"]
    fields = ["day", "channel", "used"]
    readonly_fields = fields


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    """What families wrote to the OA, as received; handled in the office's queue."""

    list_display = ["sent_at", "event_name", "status", "follower", "household"]
    list_filter = ["status", "event_name"]
    list_select_related = ["follower", "household"]
    search_fields = ["=message_id", "=sender_id"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = [
        "provider",
        "message_id",
        "event_name",
        "sender_id",
        "follower",
        "text",
        "sent_at",
        "status",
        "household",
        "concern",
        "notice",
        "handled_by",
        "handled_at",
    ]
    readonly_fields = fields


@admin.register(ReceiptCheck)
class ReceiptCheckAdmin(ReadOnlyAdmin):
    """Receipts a family confirmed or disputed by answering the notice of what it received."""

    list_display = ["receipt", "outcome", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["receipt", "receipt__household", "receipt__distribution"]
    fields = ["receipt", "notice", "message", "outcome", "created_at"]
    readonly_fields = fields
