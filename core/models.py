"""Domain-free building blocks shared by every app."""

from django.conf import settings
from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.services import history_user


def audit_user(
    verbose_name,
    *,
    null: bool = True,
    blank: bool = True,
    on_delete=models.SET_NULL,
    related_name: str = "+",
    **kwargs,
) -> models.ForeignKey:
    """Return a foreign key to the user who did something to a row (created, confirmed it…).

    Optional, kept when the user account goes (``SET_NULL``), and without a reverse accessor on
    the user; pass whatever differs for one field.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=null,
        blank=blank,
        on_delete=on_delete,
        related_name=related_name,
        **kwargs,
    )


def history_field(**kwargs) -> HistoricalRecords:
    """Return the history of a model's rows, each change naming its author (``history_user``)."""
    return HistoricalRecords(get_user=history_user, **kwargs)


class TimeStamped(models.Model):
    """When a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        """``get_<field>_display()`` with the field's value → label map made once per field.

        Django makes the map again at each call, hashing every (value, label) pair, which
        translates every label: a campaign's page of a few hundred households spent a fifth of
        its time there. The labels stay lazy, so each call still answers in the active language;
        choices given as a callable are read each time, as Django does.
        """
        labels = field.__dict__.get("_display_labels")
        if labels is None:
            labels = dict(make_hashable(field.flatchoices))
            if not isinstance(field.choices, CallableChoiceIterator):
                field.__dict__["_display_labels"] = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class Job(TimeStamped):
    """The status of one piece of background work, for the UI to poll."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = audit_user(_("created by"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The last sign of life: written when a worker claims the job, at each step of progress and
    # when the job is queued again. A job queued or running whose heartbeat is older than
    # JOB_STALE_AFTER was lost (a killed worker, a broker that was away): core.recovery sends it
    # again, with the task and arguments below.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_name = models.CharField(_("task"), max_length=200, blank=True)
    task_args = models.JSONField(_("task arguments"), default=list, blank=True)
    task_kwargs = models.JSONField(_("task keyword arguments"), default=dict, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=models.F("total")) | models.Q(total=0),
                name="job_progress_within_total",
            )
        ]
        # The recovery looks for unfinished jobs every minute, among every job ever run.
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else 0
        return min(100, self.progress * 100 // self.total)


class Reminder(models.Model):
    """A reminder or digest e-mail sent to one person for one period, recorded so that a job run
    twice (a retry, a beat tick repeated, a worker killed after sending) sends it once."""

    kind = models.CharField(_("kind"), max_length=50)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The day (2026-02-02) or ISO week (2026-W05) the reminder is for.
    period = models.CharField(_("period"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # What it said, in figures (households due, assets listed…), for whoever checks later.
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "period"], name="reminder_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} · {self.period}"


class ImageState(models.TextChoices):
    PENDING = "pending", _("Being processed")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be processed")


def processed_image_files(folder: str) -> tuple[models.ImageField, ...]:
    """Return the upload, resized copy and thumbnail fields of a photo kept under ``folder``/."""
    return (
        models.ImageField(_("image"), upload_to=f"{folder}/%Y/%m/"),
        # Resized copy for pages (at most 1600 px) and a thumbnail for lists (at most 320 px).
        models.ImageField(
            _("resized copy"), upload_to=f"{folder}/display/%Y/%m/", blank=True, editable=False
        ),
        models.ImageField(
            _("thumbnail"), upload_to=f"{folder}/thumbs/%Y/%m/", blank=True, editable=False
        ),
    )


class ProcessedImage(TimeStamped):
    """An uploaded photo, stored *pending* and then processed once in the background by
    ``core.images.photo_process``: turned upright, stripped of EXIF (GPS included), copied in
    two sizes. A subclass names its folder with ``processed_image_files`` and keeps what else it
    wants of the picture in ``keep_processed``."""

    State = ImageState

    image, display, thumbnail = processed_image_files("photos")
    state = models.CharField(
        _("processing"),
        max_length=10,
        choices=ImageState.choices,
        default=ImageState.PENDING,
        editable=False,
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    consent_to_publish = models.BooleanField(
        _("consent to publish"),
        default=False,
        help_text=_("The people shown agreed that donors and the public may see this photo."),
    )
    uploaded_by = audit_user(_("uploaded by"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.caption or self.image.name

    def keep_processed(self, result) -> list[str]:
        """Copy what this kind keeps of a processed picture (``core.images.Processed``) and
        return the names of the fields set; by default nothing more than the files."""
        return []
