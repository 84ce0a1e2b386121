"""Activities, their participants and photos in the staff admin."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    Participation,
    Photo,
)
from activities.services import (
    activity_save,
)
from core.admin.services import ServiceAdmin

# --- Activities --------------------------------------------------------------------------------


class PhotoPreview:
    @admin.display(description=_("preview"))
    def preview(self, obj: Photo) -> str:
        if obj is None or not obj.image:
            return "-"
        # A height attribute, not a style: the Content-Security-Policy refuses inline styles.
        return format_html('<img src="{}" alt="" height="64">', obj.image.url)


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["name", "group", "role"]
    extra = 0


class PhotoInline(PhotoPreview, admin.TabularInline):
    model = Photo
    fields = ["preview", "image", "caption", "credit", "consent_to_publish", "taken_on"]
    readonly_fields = ["preview"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(ServiceAdmin):
    list_display = [
        "title",
        "kind",
        "partnership",
        "starts_on",
        "ends_on",
        "village_names",
        "participant_total",
    ]
    list_filter = ["kind", "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["title", "location"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["partnership", "villages"]
    fields = [
        "partnership",
        "kind",
        "title",
        "starts_on",
        "ends_on",
        "villages",
        "location",
        "description",
        "office_staff_count",
        "cadre_count",
        "resident_count",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ParticipationInline, PhotoInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("villages")

    @admin.display(description=_("villages"))
    def village_names(self, obj: Activity) -> str:
        return ", ".join(village.name for village in obj.villages.all())

    @admin.display(description=_("participants"))
    def participant_total(self, obj: Activity) -> int:
        return obj.participant_count

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _save(self, request, activity, form):
        return activity_save(
            actor=request.user, activity=activity, villages=list(form.cleaned_data["villages"])
        )

    def service_create(self, request, form):
        return self._save(request, form.instance, form)

    def service_update(self, request, obj, form):
        return self._save(request, obj, form)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "role", "activity"]
    list_filter = ["group"]
    list_select_related = ["activity"]
    search_fields = ["name", "role", "activity__title"]
    autocomplete_fields = ["activity"]


@admin.register(Photo)
class PhotoAdmin(PhotoPreview, admin.ModelAdmin):
    list_display = ["preview", "caption", "activity", "consent_to_publish", "taken_on", "credit"]
    list_filter = ["consent_to_publish"]
    list_select_related = ["activity"]
    search_fields = ["caption", "credit", "activity__title"]
    date_hierarchy = "taken_on"
    autocomplete_fields = ["activity"]
    fields = ["activity", "preview", "image", "caption", "credit", "consent_to_publish", "taken_on"]
    readonly_fields = ["preview"]
    # Deleting stays allowed: a photo must go when the people in it withdraw their consent.


# --- Distributions and receipts ----------------------------------------------------------------
