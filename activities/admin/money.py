"""Grants and the money trail (allocations, and the donation admin with its allocations).

Records of what was paid for are never deleted here; allocations are removed by their service.
"""

from django.contrib import admin
from django.db.models import BigIntegerField, ExpressionWrapper, F, Sum
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Allocation,
    Asset,
    Distribution,
    Grant,
    GrantPayment,
    allocation_net,
)
from activities.services import (
    allocation_remove,
    allocation_update,
    donation_allocate,
    donation_update,
    grant_payment_record,
    grant_save,
)
from core.admin.display import YesNoNullFilter, money_column, year_filter
from core.admin.services import ServiceAdmin, ServiceInline, run_service_action
from core.queries import folded_search, related_total
from outreach.admin import DONATION_FIELDS
from outreach.admin import DonationAdmin as OutreachDonationAdmin
from outreach.models import Donation

# --- Activities --------------------------------------------------------------------------------


class CompletedFilter(YesNoNullFilter):
    title = _("completed")
    parameter_name = "completed"
    field = "completed_on"


GRANT_FIELDS = (
    "partnership",
    "household",
    "activity",
    "purpose",
    "description",
    "amount_vnd",
    "approved_on",
    "completed_on",
)


class GrantPaymentInline(ServiceInline, admin.TabularInline):
    """A grant's payments: recorded with grant_payment_record, never changed or deleted (a wrong
    one is answered by the history, not erased)."""

    model = GrantPayment
    fields = ["paid_on", "amount_vnd", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, parent, form):
        return grant_payment_record(
            actor=request.user,
            grant=parent,
            **self.cleaned(form, ["paid_on", "amount_vnd", "note"]),
        )


@admin.register(GrantPayment)
class GrantPaymentAdmin(ServiceAdmin):
    """Grant payments, recorded by grant_payment_record (here or on the grant's page); never
    changed or deleted: the history keeps what was paid."""

    list_display = ["grant", "paid_on", "amount", "recorded_by"]
    list_filter = [
        year_filter("paid_on", lambda: GrantPayment.objects.dates("paid_on", "year")),
        "grant__partnership",
    ]
    list_select_related = ["grant__household", "recorded_by"]
    search_fields = ["grant__household__code", "note"]
    autocomplete_fields = ["grant"]
    fields = ["grant", "paid_on", "amount_vnd", "note", "recorded_by", "created_at"]
    readonly_fields = ["recorded_by", "created_at"]
    date_hierarchy = "paid_on"

    amount = money_column("amount_vnd", _("amount"))

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return grant_payment_record(
            actor=request.user,
            **self.cleaned(form, ["grant", "paid_on", "amount_vnd", "note"]),
        )


@admin.register(Grant)
class GrantAdmin(ServiceAdmin):
    list_display = [
        "household",
        "purpose",
        "partnership",
        "village",
        "amount",
        "funded",
        "paid",
        "approved_on",
        "completed_on",
    ]
    list_filter = [
        year_filter("approved_on", lambda: Grant.objects.dates("approved_on", "year")),
        "purpose",
        CompletedFilter,
        "partnership",
    ]
    list_select_related = ["household", "village", "partnership"]
    search_fields = ["household__code", "description"]
    search_help_text = _("Household code or name (accents do not matter), or description.")
    date_hierarchy = "approved_on"
    autocomplete_fields = ["partnership", "household", "activity"]
    fields = [*GRANT_FIELDS, "village", "created_at", "updated_at"]
    readonly_fields = ["village", "created_at", "updated_at"]

    inlines = [GrantPaymentInline]

    amount = money_column("amount_vnd", _("amount"))
    funded = money_column("funded_vnd", _("funded"))
    paid = money_column("paid_vnd", _("paid"))

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                funded_vnd=related_total(Allocation.objects.all(), "grant", Sum(allocation_net())),
                paid_vnd=related_total(GrantPayment.objects.all(), "grant", Sum("amount_vnd")),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # grant_save keeps the village the household lived in when the grant was made, and
            # the allocations were checked against the partnership.
            readonly += ["partnership", "household"]
        return readonly

    def get_search_results(self, request, queryset, search_term):
        return (
            folded_search(queryset, search_term, "household__search_text", ["description"]),
            False,
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return grant_save(actor=request.user, grant=form.instance)

    def service_update(self, request, obj, form):
        return grant_save(actor=request.user, grant=obj)


# --- The money trail ---------------------------------------------------------------------------


class TargetFilter(admin.SimpleListFilter):
    title = _("paid for")
    parameter_name = "target"

    def lookups(self, request, model_admin):
        return [
            (model._meta.model_name, capfirst(model._meta.verbose_name))
            for model in (Distribution, Asset, Grant)
        ]

    def queryset(self, request, queryset):
        if self.value() in {"distribution", "asset", "grant"}:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


ALLOCATION_FIELDS = (
    "donation",
    "amount_vnd",
    "allocated_on",
    "distribution",
    "asset",
    "grant",
    "note",
)
ALLOCATION_RELATED = ["donation__partner", "distribution", "asset", "grant__household"]


@admin.register(Allocation)
class AllocationAdmin(ServiceAdmin):
    """Allocations are made by donation_allocate, changed by allocation_update and removed by
    allocation_remove (the "remove" action), which keep a donation from being overdrawn."""

    list_display = ["donation", "target_display", "amount", "allocated_on", "created_by"]
    list_filter = [TargetFilter, "donation__partnership"]
    list_select_related = [*ALLOCATION_RELATED, "created_by"]
    search_fields = [
        "donation__partner__name",
        "distribution__title",
        "asset__code",
        "grant__household__code",
        "note",
    ]
    date_hierarchy = "allocated_on"
    autocomplete_fields = ["donation", "distribution", "asset", "grant"]
    fields = [*ALLOCATION_FIELDS, "created_by", "created_at", "updated_at"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    actions = ["remove_allocations"]

    amount = money_column("amount_vnd", _("amount"))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # allocation_update changes the amount and the note only.
            readonly += ["donation", "allocated_on", "distribution", "asset", "grant"]
        return readonly

    @admin.display(description=_("paid for"))
    def target_display(self, obj: Allocation) -> str:
        return str(obj.target)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return donation_allocate(actor=request.user, **self.cleaned(form, ALLOCATION_FIELDS))

    def service_update(self, request, obj, form):
        return allocation_update(
            actor=request.user,
            allocation=obj,
            amount_vnd=form.cleaned_data["amount_vnd"],
            note=form.cleaned_data["note"],
        )

    @admin.action(description=_("Remove the selected allocations"), permissions=["change"])
    def remove_allocations(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda allocation: allocation_remove(actor=request.user, allocation=allocation),
            done=gettext("Allocations removed: %(count)d."),
        )


class AllocationInline(ServiceInline, admin.TabularInline):
    """A donation's allocations: added with donation_allocate, removed with allocation_remove.

    Listed rows are read-only here; an amount is changed on the allocation's own page.
    """

    model = Allocation
    fields = ["amount_vnd", "allocated_on", "distribution", "asset", "grant", "note", "created_by"]
    readonly_fields = ["created_by"]
    autocomplete_fields = ["distribution", "asset", "grant"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*ALLOCATION_RELATED, "created_by")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, parent, form):
        return donation_allocate(
            actor=request.user,
            donation=parent,
            **self.cleaned(form, [name for name in ALLOCATION_FIELDS if name != "donation"]),
        )

    def service_delete(self, request, obj):
        allocation_remove(actor=request.user, allocation=obj)


class DonationAdmin(OutreachDonationAdmin):
    """The donation admin with its allocations, and changes checked against them."""

    allows_change = True
    list_display = [*OutreachDonationAdmin.list_display, "allocated", "left"]
    inlines = [*OutreachDonationAdmin.inlines, AllocationInline]

    allocated = money_column("allocated_vnd", _("allocated"))
    left = money_column("left_vnd", _("left to allocate"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                allocated_vnd=related_total(
                    Allocation.objects.all(), "donation", Sum(allocation_net())
                )
            )
            .annotate(
                left_vnd=ExpressionWrapper(
                    F("value_vnd") - F("allocated_vnd"), output_field=BigIntegerField()
                )
            )
        )

    def service_update(self, request, obj, form):
        return donation_update(
            actor=request.user, donation=obj, **self.changed(form, DONATION_FIELDS)
        )


# Donation's admin is registered by outreach, which must not import this app (DESIGN.md:
# core ← outreach ← households ← activities). Allocations and donation_update live here, so this
# app replaces that registration with a subclass that adds the allocation inline, the allocated
# columns and changing a donation. Importing outreach.admin above makes sure it registered first.
admin.site.unregister(Donation)
admin.site.register(Donation, DonationAdmin)
