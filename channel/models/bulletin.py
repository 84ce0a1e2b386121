"""Models of the connection channel: the bulletin (posts, their photos, who is told by e-mail),
faults reported by the public from an asset's label, the codes that make donor report links
checkable on the public verification page, and the office's public profile that page shows.

Concerns a family raises live on the household's file (households.Concern), not here.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Asset, Distribution, MaintenanceLog
from core.codes import new_code
from core.models import (
    ImageState,
    ProcessedImage,
    TimeStamped,
    audit_user,
    history_field,
    processed_image_files,
)
from outreach.models import Partner, Partnership, ReportLink, Village


class Post(TimeStamped):
    """An update the office posts about its work, for the partnership, a village or a donor."""

    class Audience(models.TextChoices):
        PARTNERSHIP = "partnership", _("The whole partnership")
        VILLAGE = "village", _("One village")
        PARTNER = "partner", _("One donor's funded work")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.PROTECT, related_name="posts"
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PARTNERSHIP
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
        help_text=_("For a post meant for one village."),
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("donor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
        help_text=_("For a post about what one donor's money paid for: only that donor sees it."),
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    is_public = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_("Anyone with the link may read it (only photos with consent are shown)."),
    )
    # Names the public page: random, so that public posts cannot be listed by counting ids.
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    created_by = audit_user(_("posted by"))

    history = history_field()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "published_at"]),
            models.Index(fields=["partner", "published_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="partnership", village__isnull=True, partner__isnull=True)
                    | Q(audience="village", village__isnull=False, partner__isnull=True)
                    | Q(audience="partner", village__isnull=True, partner__isnull=False)
                ),
                name="post_audience_matches_target",
                violation_error_message=_(
                    "A post for one village names the village; a post for a donor names the donor."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PostPhoto(ProcessedImage):
    """A photo of a post, processed like an activity's (upright, EXIF and GPS stripped)."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="photos"
    )
    image, display, thumbnail = processed_image_files("channel")

    class Meta:
        verbose_name = _("post photo")
        verbose_name_plural = _("post photos")
        ordering = ["post_id", "pk"]


class Subscription(TimeStamped):
    """A user's wish to be told by e-mail of the posts they may read: each one, or once a day."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("A message for each post")
        DAILY = "daily", _("One message a day with the new posts")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="channel_subscription",
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["user_id"]
        indexes = [models.Index(fields=["frequency"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_frequency_display()}"


class Delivery(models.Model):
    """One post told to one user by e-mail. The unique constraint is what makes the notification
    exactly-once: a second worker (or a retry) cannot record the same post for the same user."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="channel_deliveries",
    )
    digest = models.BooleanField(_("in a daily digest"), default=False)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"],
                name="delivery_once_per_post_per_user",
                violation_error_message=_("This post was already sent to this user."),
            ),
        ]
        indexes = [models.Index(fields=["user", "post"])]

    def __str__(self) -> str:
        return f"{self.post} → {self.user}"


class PublicFaultReport(TimeStamped):
    """A villager's report, from the QR label, that an asset is broken; staff confirm or dismiss.

    The report is in the asset's log at once (``reported_by_public``) without changing its state:
    anyone can open the page, so only staff's confirmation makes the asset faulty.
    """

    class Status(models.TextChoices):
        NEW = "new", _("To check")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        related_name="public_reports",
    )
    what = models.TextField(_("what is wrong"), max_length=1000)
    photo = models.ImageField(_("photo"), upload_to="channel/faults/%Y/%m/", blank=True)
    photo_state = models.CharField(
        _("photo processing"),
        max_length=10,
        choices=ImageState.choices,
        blank=True,
        editable=False,
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    log = models.ForeignKey(
        MaintenanceLog,
        verbose_name=_("log entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_by = audit_user(_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    staff_note = models.CharField(_("office note"), max_length=255, blank=True)

    history = history_field()

    class Meta:
        verbose_name = _("fault reported by the public")
        verbose_name_plural = _("faults reported by the public")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["asset", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.asset.code} · {self.created_at:%d/%m/%Y}"


class ReportLinkCode(TimeStamped):
    """The short code of a shared donor report link, checkable on the verification page.

    Kept beside the link (outreach knows nothing of this app); issued when the report is shown.
    """

    link = models.OneToOneField(
        ReportLink,
        verbose_name=_("shared report link"),
        on_delete=models.CASCADE,
        related_name="verify_code",
    )
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )

    class Meta:
        verbose_name = _("report link code")
        verbose_name_plural = _("report link codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.short_code


# The site profile is one row, always this one (a check constraint holds it to it).
SITE_PROFILE_PK = 1
# How a phone number may be written: digits, with spaces, dots or dashes between groups.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9][0-9 .\-]*")
# What it must be once the separators are gone: a number with its leading 0 (10 or 11 digits),
# a 1800/1900 hotline, or +84 and the number without its 0.
_PHONE_DIGITS = re.compile(r"0[0-9]{9,10}|1[89]00[0-9]{4,6}|\+84[0-9]{9,10}")


def dialable(phone: str) -> str:
    """Return ``phone`` as a ``tel:`` link dials it: without spaces, dots or dashes."""
    return re.sub(r"[ .\-]", "", phone)


def validate_official_phone(value: str) -> None:
    """Refuse a phone number that people could not dial as written."""
    if not (_PHONE_CHARACTERS.fullmatch(value) and _PHONE_DIGITS.fullmatch(dialable(value))):
        raise ValidationError(
            _(
                "Enter a phone number people can dial, such as 0207 3822 111: 10 or 11 digits "
                "starting with 0, a 1800 or 1900 hotline, or +84 followed by the number without "
                "its first 0. Spaces, dots and dashes may separate the digits."
            ),
            code="phone",
        )


class SiteProfile(TimeStamped):
    """Who the office is, as the public verification page tells people to recognise it.

    One row (``PK``), changed by administrators through channel.services.site_profile_update: a
    scammer's first wish is a page that shows their number, so every change is in the history.
    """

    PK = SITE_PROFILE_PK

    office_name = models.CharField(
        _("office name"),
        max_length=200,
        help_text=_("As people know it, e.g. Văn phòng Tỉnh ủy Tuyên Quang."),
    )
    phone = models.CharField(
        _("official phone number"),
        max_length=20,
        blank=True,
        validators=[validate_official_phone],
        help_text=_("The number people should call to check a request, e.g. 0207 3822 111."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    zalo_oa_name = models.CharField(
        _("Zalo Official Account name"),
        max_length=100,
        blank=True,
        help_text=_("The name of the office's verified Zalo Official Account, as Zalo shows it."),
    )
    verify_note = models.CharField(
        _("note on the verification page"),
        max_length=500,
        blank=True,
        help_text=_("Optional: shown under the office's contacts on the public page."),
    )

    history = history_field()

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profile")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=SITE_PROFILE_PK),
                name="site_profile_single_row",
                violation_error_message=_("There is only one site profile: change it instead."),
            ),
        ]

    def __str__(self) -> str:
        return self.office_name or str(_("site profile"))

    @property
    def phone_dial(self) -> str:
        """Return the phone number as a ``tel:`` link dials it."""
        return dialable(self.phone)
