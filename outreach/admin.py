"""The map, partners, partnerships and donations in the staff admin.

Administrative units are never deleted: a unit that ends or merges keeps its rows so that old
records still name the place they were made in (outreach.models).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.display import YesNoNullFilter, money_column
from core.admin.services import ServiceAdmin, run_service_action
from outreach.models import (
    Commune,
    District,
    Donation,
    Partner,
    Partnership,
    Province,
    ReportLink,
    RoleAssignment,
    Village,
)
from outreach.scope import writable
from outreach.services import (
    DONATION_FIELDS,
    donation_record,
    report_link_create,
    report_link_revoke,
    report_link_token,
)


class EndedFilter(YesNoNullFilter):
    title = _("ended")
    parameter_name = "ended"
    field = "valid_until"


class UnitAdmin(admin.ModelAdmin):
    """What every level of the map shares."""

    list_display = ["name", "kind", "code", "code_list", "valid_from", "valid_until", "merged_into"]
    list_filter = [EndedFilter, "kind", "code_list"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["merged_into"]
    list_select_related = ["merged_into"]
    readonly_fields = ["created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Records point at the unit they were made in; end or merge it instead.
        return False


@admin.register(Province)
class ProvinceAdmin(UnitAdmin):
    pass


@admin.register(District)
class DistrictAdmin(UnitAdmin):
    list_display = [
        "name",
        "kind",
        "province",
        "code",
        "code_list",
        "valid_from",
        "valid_until",
        "merged_into",
    ]
    list_filter = [EndedFilter, "kind", "code_list", "province"]
    search_fields = ["name", "code", "province__name"]
    autocomplete_fields = ["province", "merged_into"]
    list_select_related = ["province", "merged_into"]


@admin.register(Commune)
class CommuneAdmin(UnitAdmin):
    list_display = [
        "name",
        "kind",
        "district",
        "province",
        "code",
        "code_list",
        "valid_from",
        "valid_until",
        "merged_into",
        "also_merged_into_names",
    ]
    list_filter = [EndedFilter, "kind", "code_list", "province"]
    search_fields = ["name", "code", "district__name", "province__name"]
    autocomplete_fields = ["province", "district", "merged_into", "also_merged_into"]
    list_select_related = ["province", "district", "merged_into"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("also_merged_into")

    @admin.display(description=_("also merged in part into"))
    def also_merged_into_names(self, obj) -> str:
        return ", ".join(unit.name for unit in obj.also_merged_into.all())


@admin.register(Village)
class VillageAdmin(UnitAdmin):
    list_display = [
        "name",
        "commune",
        "code",
        "is_invented",
        "valid_from",
        "valid_until",
        "merged_into",
    ]
    list_filter = [EndedFilter, "is_invented"]
    search_fields = ["name", "code", "commune__name"]
    autocomplete_fields = ["commune", "merged_into"]
    list_select_related = ["commune", "merged_into"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    readonly_fields = ["created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Donors' records (donations, reports) hang off the partner.
        return False


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "commune", "start_year"]
    search_fields = ["name", "office__name", "commune__name"]
    autocomplete_fields = ["office", "commune"]
    list_select_related = ["office", "commune"]
    readonly_fields = ["created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Everything the partnership did and delivered points at it.
        return False


@admin.register(Donation)
class DonationAdmin(ServiceAdmin):
    """Donations are recorded through donation_record.

    Changing one is a matter for the app that knows its allocations (a donation may not drop
    below what is allocated): activities.admin registers a subclass that allows it.
    """

    allows_change = False

    list_display = [
        "received_on",
        "partner",
        "partnership",
        "kind",
        "value_display",
        "goods_description",
        "reference",
    ]
    list_filter = ["kind", "partnership"]
    list_select_related = ["partner", "partnership"]
    search_fields = ["partner__name", "partner__short_name", "reference", "goods_description"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["partnership", "partner"]
    fields = [*DONATION_FIELDS, "created_by", "created_at", "updated_at"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    value_display = money_column("value_vnd", _("value"))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Its allocations were checked against this partnership.
            readonly.append("partnership")
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        return self.allows_change and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def service_create(self, request, form):
        return donation_record(actor=request.user, **self.cleaned(form, DONATION_FIELDS))


class ExpiredFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("In force")), ("no", _("Expired"))]

    def queryset(self, request, queryset):
        from django.db.models import Q
        from django.utils import timezone

        today = timezone.localdate()
        in_force = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        if self.value() == "yes":
            return queryset.filter(in_force)
        if self.value() == "no":
            return queryset.exclude(in_force)
        return queryset


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Who covers what: administrators give staff a partnership, cadres a commune, donors a
    partner, with an end date for donors' and auditors' temporary access."""

    list_display = ["user", "role", "partnership", "commune", "partner", "valid_until"]
    list_filter = ["role", ExpiredFilter]
    list_select_related = ["user", "partnership", "commune", "partner"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    autocomplete_fields = ["user", "partnership", "commune", "partner"]
    fields = ["user", "role", "partnership", "commune", "partner", "valid_until"]


@admin.register(ReportLink)
class ReportLinkAdmin(ServiceAdmin):
    """Links that show one partner's money trail to someone without an account."""

    list_display = ["partner", "expires_on", "revoked_at", "note", "created_by"]
    list_filter = ["expires_on"]
    list_select_related = ["partner", "created_by"]
    search_fields = ["partner__name", "note"]
    autocomplete_fields = ["partner"]
    fields = ["partner", "expires_on", "note", "shared_url", "revoked_at", "created_by"]
    readonly_fields = ["shared_url", "revoked_at", "created_by"]
    actions = ["revoke"]

    @admin.display(description=_("link to send"))
    def shared_url(self, obj: ReportLink) -> str:
        if obj.pk is None:
            return ""
        return self.request_host + reverse(
            "reports:shared-donor-report", args=[report_link_token(obj)]
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The link shown must be absolute: it is sent by e-mail or Zalo.
        self.request_host = request.build_absolute_uri("/")[:-1]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def has_change_permission(self, request, obj=None) -> bool:
        # A link is made, shown and revoked; never edited.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "partner":
            # A link shows all of a partner's money: only partners that are the user's alone.
            kwargs["queryset"] = writable(Partner.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_create(self, request, form):
        return report_link_create(
            actor=request.user, **self.cleaned(form, ["partner", "expires_on", "note"])
        )

    @admin.action(description=_("Revoke the selected links"), permissions=["change"])
    def revoke(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda link: report_link_revoke(actor=request.user, link=link),
            done=gettext("Links revoked: %(count)d."),
        )
