"""Activities: what the partnership ran in its villages, who took part, its photos."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import EventDateField
from core.models import ProcessedImage, TimeStamped, audit_user, history_field
from outreach.models import Partnership, Village


class Activity(TimeStamped):
    class Kind(models.TextChoices):
        COMMUNITY_WORK = "community_work", _("Community work")
        DIGITAL_SKILLS = "digital_skills", _("Digital skills coaching")
        RECORDS_GUIDANCE = "records_guidance", _("Records and archives guidance")
        STUDY_TRIP = "study_trip", _("Study trip")
        VISIT_WITH_GIFTS = "visit_with_gifts", _("Visit with gifts")
        CONSTRUCTION = "construction", _("Construction support")
        OTHER = "other", _("Other")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    starts_on = EventDateField(_("starts on"))
    ends_on = EventDateField(_("ends on"), null=True, blank=True)
    villages = models.ManyToManyField(
        Village, verbose_name=_("villages"), blank=True, related_name="activities"
    )
    location = models.CharField(
        _("location"), max_length=255, blank=True, help_text=_("Where, if outside the villages.")
    )
    description = models.TextField(_("description"), blank=True)
    office_staff_count = models.PositiveIntegerField(_("office staff taking part"), default=0)
    cadre_count = models.PositiveIntegerField(_("commune cadres taking part"), default=0)
    resident_count = models.PositiveIntegerField(_("residents taking part"), default=0)
    created_by = audit_user(_("created by"))

    history = history_field()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def participant_count(self) -> int:
        return self.office_staff_count + self.cadre_count + self.resident_count


class Participation(TimeStamped):
    """A named participant of an activity, where the name is known."""

    class Group(models.TextChoices):
        OFFICE_STAFF = "office_staff", _("Office staff")
        COMMUNE_CADRE = "commune_cadre", _("Commune cadre")
        RESIDENT = "resident", _("Resident")

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    name = models.CharField(_("name"), max_length=120)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    role = models.CharField(_("role"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["activity_id", "group", "name"]

    def __str__(self) -> str:
        return self.name


class Photo(ProcessedImage):
    """A photo of an activity: the upload is checked, turned upright, stripped of EXIF (GPS
    included) and copied in two sizes by core.images (in a background task), under photos/."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    credit = models.CharField(_("credit"), max_length=120, blank=True)
    taken_on = EventDateField(_("taken on"), null=True, blank=True, past=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["activity_id", "pk"]
        # Uploaded files are served after finding their photo by name (activities.media).
        indexes = [
            models.Index(fields=["image"], name="photo_image_idx"),
            models.Index(fields=["display"], name="photo_display_idx"),
            models.Index(fields=["thumbnail"], name="photo_thumbnail_idx"),
        ]

    def keep_processed(self, result) -> list[str]:
        """Keep the upright size and the day the camera recorded (unless one was typed in)."""
        self.width, self.height = result.width, result.height
        self.taken_on = self.taken_on or result.taken_on
        return ["width", "height", "taken_on"]
