"""Distributions and their receipts in the staff admin; writes go through activities.services."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Distribution,
    Receipt,
    Verification,
    VerificationRound,
)
from activities.services import (
    distribution_save,
    distribution_transition,
    receipt_add,
    receipt_confirm,
    receipt_remove,
)
from core.admin.display import ReadOnlyAdmin, YesNoNullFilter, money_column, year_filter
from core.admin.services import ServiceAdmin, ServiceInline, run_service_action
from core.paginator import CappedCountPaginator
from core.queries import folded_search, related_total

# --- Activities --------------------------------------------------------------------------------


class ConfirmedFilter(YesNoNullFilter):
    title = _("confirmed")
    parameter_name = "confirmed"
    field = "confirmed_at"


class ReceiptInline(ServiceInline, admin.TabularInline):
    """Recipients are added through receipt_add; listed ones are read-only here."""

    model = Receipt
    fields = ["household", "quantity", "note", "village", "value", "confirmed_at", "confirmed_by"]
    readonly_fields = ["village", "value", "confirmed_at", "confirmed_by"]
    autocomplete_fields = ["household"]
    extra = 0

    value = money_column("value_vnd", _("value"))

    def get_queryset(self, request):
        # The row's title is str(receipt), which names the distribution.
        related = ["distribution", "household", "village", "confirmed_by"]
        return super().get_queryset(request).select_related(*related)

    def has_add_permission(self, request, obj=None) -> bool:
        closed = obj is not None and obj.status == Distribution.Status.CLOSED
        return not closed and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, parent, form):
        return receipt_add(
            actor=request.user,
            distribution=parent,
            **self.cleaned(form, ["household", "quantity", "note"]),
        )


DISTRIBUTION_FIELDS = (
    "partnership",
    "activity",
    "title",
    "distributed_on",
    "item_description",
    "value_per_item_vnd",
    "note",
)


@admin.register(Distribution)
class DistributionAdmin(ServiceAdmin):
    list_display = [
        "title",
        "distributed_on",
        "partnership",
        "status",
        "item_description",
        "value_per_item",
        "receipts_link",
        "confirmed_count",
    ]
    list_filter = ["status", "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["title", "item_description"]
    date_hierarchy = "distributed_on"
    autocomplete_fields = ["partnership", "activity"]
    fields = [*DISTRIBUTION_FIELDS, "status", "created_by", "created_at", "updated_at"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    inlines = [ReceiptInline]
    actions = ["approve", "start_distributing", "close"]

    value_per_item = money_column("value_per_item_vnd", _("value per item"))

    def get_queryset(self, request):
        receipts = Receipt.objects.all()
        return (
            super()
            .get_queryset(request)
            .annotate(
                receipt_count=related_total(receipts, "distribution", Count("pk")),
                confirmed_count=related_total(
                    receipts.filter(confirmed_at__isnull=False), "distribution", Count("pk")
                ),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Its receipts and allocations were checked against this partnership.
            readonly.append("partnership")
            if obj.status != Distribution.Status.DRAFT:
                readonly.append("value_per_item_vnd")
        return readonly

    @admin.display(description=_("receipts"), ordering="receipt_count")
    def receipts_link(self, obj: Distribution) -> str:
        # A distribution can list many households: their receipts page is paginated.
        url = reverse(f"{self.admin_site.name}:activities_receipt_changelist")
        return format_html(
            '<a href="{}?distribution__id__exact={}">{}</a>', url, obj.pk, obj.receipt_count
        )

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed_count(self, obj: Distribution) -> int:
        return obj.confirmed_count

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status == Distribution.Status.CLOSED:
            return False  # a closed distribution is read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return distribution_save(actor=request.user, distribution=form.instance)

    def service_update(self, request, obj, form):
        return distribution_save(actor=request.user, distribution=obj)

    def _transition(self, request, queryset, to: str, done: str) -> None:
        run_service_action(
            self,
            request,
            queryset,
            lambda distribution: distribution_transition(
                actor=request.user, distribution=distribution, to=to
            ),
            done=done,
        )

    @admin.action(description=_("Approve the selected distributions"), permissions=["change"])
    def approve(self, request, queryset):
        self._transition(
            request,
            queryset,
            Distribution.Status.APPROVED,
            gettext("Distributions approved: %(count)d."),
        )

    @admin.action(
        description=_("Start distributing the selected distributions"), permissions=["change"]
    )
    def start_distributing(self, request, queryset):
        self._transition(
            request,
            queryset,
            Distribution.Status.DISTRIBUTING,
            gettext("Distributions started: %(count)d."),
        )

    @admin.action(description=_("Close the selected distributions"), permissions=["change"])
    def close(self, request, queryset):
        self._transition(
            request,
            queryset,
            Distribution.Status.CLOSED,
            gettext("Distributions closed: %(count)d."),
        )


@admin.register(Receipt)
class ReceiptAdmin(ServiceAdmin):
    """Receipts are added through receipt_add and confirmed by the "confirm" action."""

    list_display = [
        "household",
        "distribution",
        "village",
        "quantity",
        "value",
        "confirmed_at",
        "confirmed_by",
    ]
    list_filter = [
        year_filter(
            "distribution__distributed_on",
            lambda: Distribution.objects.dates("distributed_on", "year"),
        ),
        ConfirmedFilter,
        "distribution__status",
    ]
    list_select_related = ["household", "distribution", "village", "confirmed_by"]
    search_fields = ["distribution__title"]
    search_help_text = _("Household code or name (accents do not matter), or distribution title.")
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["distribution", "household"]
    fields = [
        "distribution",
        "household",
        "quantity",
        "note",
        "village",
        "value_vnd",
        "confirmed_by",
        "confirmed_at",
        "created_at",
    ]
    readonly_fields = ["village", "value_vnd", "confirmed_by", "confirmed_at", "created_at"]
    actions = ["confirm_receipts", "remove_receipts"]

    value = money_column("value_vnd", _("value"))

    def get_search_results(self, request, queryset, search_term):
        return (
            folded_search(queryset, search_term, "household__search_text", ["distribution__title"]),
            False,
        )

    def has_change_permission(self, request, obj=None) -> bool:
        # A receipt is not edited (there is no service for it); the actions below need the
        # permission on the list.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return receipt_add(
            actor=request.user,
            **self.cleaned(form, ["distribution", "household", "quantity", "note"]),
        )

    @admin.action(description=_("Confirm the selected receipts"), permissions=["change"])
    def confirm_receipts(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda receipt: receipt_confirm(actor=request.user, receipt=receipt),
            done=gettext("Receipts confirmed: %(count)d."),
        )

    @admin.action(
        description=_("Take the selected unconfirmed receipts off their distribution"),
        # Choosing recipients is the office's work: cadres confirm receipts, they do not unlist.
        permissions=["add"],
    )
    def remove_receipts(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda receipt: receipt_remove(actor=request.user, receipt=receipt),
            done=gettext("Receipts removed: %(count)d."),
        )


# --- Assets ------------------------------------------------------------------------------------


@admin.register(VerificationRound)
class VerificationRoundAdmin(ReadOnlyAdmin):
    list_display = ["distribution", "created_at", "sample_percent", "started_by"]
    list_select_related = ["distribution", "started_by"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = ["distribution", "sample_percent", "note", "started_by", "created_at"]
    readonly_fields = fields


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "outcome", "verified_by", "verified_at"]
    list_filter = ["outcome"]
    list_select_related = [
        "receipt__distribution",
        "receipt__household",
        "verified_by",
    ]
    paginator = CappedCountPaginator
    show_full_result_count = False
    fields = ["round", "receipt", "outcome", "note", "verified_by", "verified_at"]
    readonly_fields = fields
