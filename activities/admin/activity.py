"""Activities, their participants and photos in the staff admin."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    Participation,
    Photo,
)
from activities.services import (
    activity_photos_add,
    activity_save,
    photo_remove,
    photo_update,
)
from core.admin.services import ServiceAdmin, ServiceInline
from core.paginator import CappedCountPaginator

# --- Activities --------------------------------------------------------------------------------


class PhotoPreview:
    """Admin photos go through the same pipeline as the pages' (``activity_photos_add``): checked,
    stored under a random name, turned upright and stripped of EXIF (GPS included) by the task."""

    @admin.display(description=_("preview"))
    def preview(self, obj: Photo) -> str:
        if obj is None or not obj.image:
            return "-"
        if obj.state != Photo.State.READY:
            # The raw upload is never served (activities.media): there is nothing to show yet.
            return obj.get_state_display()
        # A height attribute, not a style: the Content-Security-Policy refuses inline styles.
        return format_html('<img src="{}" alt="" height="64">', obj.thumbnail.url)

    def photo_create(self, request, activity, form) -> Photo:
        data = form.cleaned_data
        [photo] = activity_photos_add(
            actor=request.user,
            activity=activity,
            files=[data["image"]],
            caption=data.get("caption", ""),
            credit=data.get("credit", ""),
            consent=data.get("consent_to_publish", False),
            taken_on=data.get("taken_on"),
        )
        return photo

    def photo_change(self, request, photo, form) -> Photo:
        if "image" in form.changed_data:
            raise ValidationError(
                {"image": _("A photo's picture cannot be replaced: delete it and add the new one.")}
            )
        data = form.cleaned_data
        return photo_update(
            actor=request.user,
            photo=photo,
            caption=data["caption"],
            credit=data["credit"],
            consent_to_publish=data["consent_to_publish"],
            taken_on=data["taken_on"],
        )


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["name", "group", "role"]
    extra = 0


class PhotoInline(PhotoPreview, ServiceInline, admin.TabularInline):
    model = Photo
    fields = ["preview", "image", "caption", "credit", "consent_to_publish", "taken_on"]
    readonly_fields = ["preview"]
    extra = 0

    def service_create(self, request, parent, form):
        return self.photo_create(request, parent, form)

    def service_update(self, request, obj, form):
        return self.photo_change(request, obj, form)

    def service_delete(self, request, obj):
        photo_remove(actor=request.user, photo=obj)


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
    # Every participant of every activity: a table that grows with the years, counted up to a cap.
    paginator = CappedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["activity"]


@admin.register(Photo)
class PhotoAdmin(PhotoPreview, ServiceAdmin):
    list_display = ["preview", "caption", "activity", "consent_to_publish", "taken_on", "credit"]
    list_filter = ["consent_to_publish"]
    list_select_related = ["activity"]
    search_fields = ["caption", "credit", "activity__title"]
    date_hierarchy = "taken_on"
    autocomplete_fields = ["activity"]
    fields = ["activity", "preview", "image", "caption", "credit", "consent_to_publish", "taken_on"]
    readonly_fields = ["preview"]
    # Deleting stays allowed: a photo must go when the people in it withdraw their consent.

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A new picture is a new photo (through the pipeline), not a changed one.
        return [*readonly, "image"] if obj is not None else readonly

    def service_create(self, request, form):
        return self.photo_create(request, form.cleaned_data["activity"], form)

    def service_update(self, request, obj, form):
        return self.photo_change(request, obj, form)

    def delete_model(self, request, obj):
        photo_remove(actor=request.user, photo=obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            photo_remove(actor=request.user, photo=photo)


# --- Distributions and receipts ----------------------------------------------------------------
