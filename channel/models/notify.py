"""Models of the notices the office sends and the messages families send back.

A ``Notice`` is one message to one person (a user, or a household through its members' phones),
sent by one of four channels in order of preference with fallback (channel.notify.engine): a Zalo
template message (ZNS) to a phone, a Zalo OA message to a follower who wrote to the OA lately, an
SMS brandname, an e-mail. Each try of a channel is a ``NoticeAttempt`` (the delivery log). Every
notice carries a short code that the public verification page confirms.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Receipt
from core.codes import new_code
from core.models import TimeStamped, audit_user, history_field
from core.phones import MobilePhoneField
from households.models import Concern, Household, Member


class Channel(models.TextChoices):
    """The ways a notice can go, in the order they are tried when the person prefers none."""

    ZNS = "zns", _("Zalo template message")
    OA = "oa", _("Zalo Official Account message")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class NoticeKind(models.TextChoices):
    """What a notice is about: each kind has its text (templates/notify/) and may have a Zalo
    template approved for it (``ZaloTemplate.notice_kind``)."""

    POST = "post", _("New bulletin post")
    POST_DIGEST = "post_digest", _("Daily digest of bulletin posts")
    RECEIPT = "receipt", _("What a family received")
    REVIEWS_DUE = "reviews_due", _("Household reviews due")
    CAMPAIGN_STEP = "campaign_step", _("Review campaign step")
    ASSETS_DUE = "assets_due", _("Assets due for a check")
    DONOR_DIGEST = "donor_digest", _("Donor's weekly digest")
    ANSWER = "answer", _("The office's answer to a family")
    TEST = "test", _("Test message")
    ALERT = "alert", _("Alert to the administrators")


class NotifyPreference(TimeStamped):
    """How a user wants to be told: their mobile number and the channel they prefer."""

    class Preferred(models.TextChoices):
        AUTO = "", _("Whatever reaches me (Zalo first)")
        ZNS = Channel.ZNS.value, Channel.ZNS.label
        OA = Channel.OA.value, Channel.OA.label
        SMS = Channel.SMS.value, Channel.SMS.label
        EMAIL = Channel.EMAIL.value, Channel.EMAIL.label

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notify_preference",
    )
    phone = MobilePhoneField(_("mobile number"))
    channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Preferred.choices, blank=True
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user_id"]

    def __str__(self) -> str:
        return str(self.user)


class ZaloConnection(TimeStamped):
    """The office's Official Account tokens: one row (``PK``), written only under its row lock.

    The refresh token can be used once: the refresh stores both new tokens in the transaction
    that holds the lock (channel.notify.zalo). A connection that could not be refreshed is
    ``broken``: nothing goes by Zalo until an administrator connects the OA again.
    """

    PK = 1

    class State(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        BROKEN = "broken", _("Needs connecting again")

    # Secrets: never shown in the admin's lists or forms, never logged.
    access_token = models.TextField(_("access token"), blank=True, editable=False)
    refresh_token = models.TextField(_("refresh token"), blank=True, editable=False)
    access_expires_at = models.DateTimeField(
        _("access token valid until"), null=True, blank=True, editable=False
    )
    refresh_expires_at = models.DateTimeField(
        _("refresh token valid until"), null=True, blank=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.CONNECTED, editable=False
    )
    problem = models.CharField(_("problem"), max_length=255, blank=True, editable=False)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True, editable=False)
    connected_by = audit_user(_("connected by"), editable=False)

    class Meta:
        verbose_name = _("Zalo OA connection")
        verbose_name_plural = _("Zalo OA connection")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="zalo_connection_single_row"),
        ]

    def __str__(self) -> str:
        return str(self.get_state_display())

    def __repr__(self) -> str:
        # Never the tokens, whatever prints the row (a log line, a traceback, the shell).
        return f"<ZaloConnection {self.state}>"


class ZaloTemplate(TimeStamped):
    """A ZNS template of the office, as Zalo lists it, and the notice it is used for.

    Templates are registered and approved on Zalo's side; ``zalo_templates_fetch`` copies their
    state here. A notice goes by ZNS only through an approved (``ENABLE``) template.
    """

    class Status(models.TextChoices):
        ENABLE = "ENABLE", _("Approved")
        PENDING_REVIEW = "PENDING_REVIEW", _("Waiting for Zalo's approval")
        REJECT = "REJECT", _("Refused by Zalo")
        DISABLE = "DISABLE", _("Disabled")
        DELETE = "DELETE", _("Deleted")

    template_id = models.CharField(_("template id"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("Zalo's status"), max_length=20)
    params = models.JSONField(_("parameters"), default=list, blank=True)
    notice_kind = models.CharField(
        _("used for"),
        max_length=20,
        choices=NoticeKind.choices,
        blank=True,
        help_text=_("The notice this template carries; its parameters take the notice's data."),
    )
    fetched_at = models.DateTimeField(_("checked with Zalo at"), default=timezone.now)

    history = history_field()

    class Meta:
        verbose_name = _("Zalo template")
        verbose_name_plural = _("Zalo templates")
        ordering = ["name", "template_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice_kind"],
                condition=~Q(notice_kind=""),
                name="zalo_template_one_per_notice_kind",
                violation_error_message=_("Another template is already used for this notice."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.template_id})"

    @property
    def approved(self) -> bool:
        return self.status == self.Status.ENABLE


class ZaloFollower(TimeStamped):
    """A person who follows the office's OA or wrote to it, and who they are here once staff
    (or their own reply to a notice) linked them: a household member or a user."""

    zalo_user_id = models.CharField(_("Zalo user id"), max_length=40, unique=True)
    display_name = models.CharField(_("name on Zalo"), max_length=200, blank=True)
    member = models.ForeignKey(
        Member,
        verbose_name=_("household member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zalo_followers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zalo_followers",
    )
    following = models.BooleanField(_("follows the OA"), default=True)
    last_message_at = models.DateTimeField(_("last wrote at"), null=True, blank=True)
    linked_by = audit_user(_("linked by"))
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)

    history = history_field()

    class Meta:
        verbose_name = _("Zalo follower")
        verbose_name_plural = _("Zalo followers")
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "last_message_at"]),
            models.Index(fields=["user", "last_message_at"]),
        ]

    def __str__(self) -> str:
        return self.display_name or self.zalo_user_id


class Notice(TimeStamped):
    """One message to one person, whatever channel carried it; idempotent by ``key``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        HELD = "held", _("Held for the morning")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")

    kind = models.CharField(_("notice"), max_length=20, choices=NoticeKind.choices)
    # What makes a second notice the same one: e.g. "post:12:user:5", "receipt:301".
    key = models.CharField(_("key"), max_length=120, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    # Where it went, as it was when the notice was made (a later change of number or address
    # does not rewrite what was sent).
    phone = models.CharField(_("mobile number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred = models.CharField(_("preferred channel"), max_length=10, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # The short text (Zalo OA, SMS, the verification page) and the e-mail's longer body.
    text = models.TextField(_("text"))
    email_body = models.TextField(_("e-mail text"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )
    # Care messages wait for the morning (channel.notify.engine.QUIET_HOURS); tests and alerts
    # do not.
    quiet_hours = models.BooleanField(_("kept out of the night"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    channel = models.CharField(_("sent by"), max_length=10, choices=Channel.choices, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("why it was not sent"), max_length=500, blank=True)
    receipt = models.ForeignKey(
        Receipt,
        verbose_name=_("receipt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    concern = models.ForeignKey(
        Concern,
        verbose_name=_("concern"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    zalo_user_id = models.CharField(_("Zalo user id"), max_length=40, blank=True)
    created_by = audit_user(_("sent by"))

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "not_before"]),
            models.Index(fields=["household", "created_at"]),
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["receipt"]),
            models.Index(fields=["kind", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                # A test message from ``manage.py notify_test`` goes to a number, not a person.
                condition=Q(user__isnull=False) | Q(household__isnull=False) | Q(kind="test"),
                name="notice_has_a_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.short_code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("channel:notice-detail", args=[self.pk])


class NoticeAttempt(models.Model):
    """One channel tried for one notice: the delivery log. One row per notice and channel,
    whatever the retries, so that a channel never sends one notice twice."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="attempts"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    provider_message_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    # Set while a worker is calling the provider: another worker leaves the notice alone.
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery log")
        ordering = ["notice_id", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "channel"], name="notice_attempt_once_per_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.channel} · {self.status}"


class QuotaDay(models.Model):
    """How many messages a channel sent on one day (``NOTIFY_DAILY_QUOTA``)."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    day = models.DateField(_("day"))
    used = models.PositiveIntegerField(_("sent"), default=0)

    class Meta:
        verbose_name = _("daily quota")
        verbose_name_plural = _("daily quotas")
        ordering = ["-day", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "day"], name="quota_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} · {self.day:%d/%m/%Y} · {self.used}"


class InboundMessage(TimeStamped):
    """A message a person sent to the office (through the OA), kept once per provider's id."""

    class Status(models.TextChoices):
        NEW = "new", _("Not yet read")
        QUEUED = "queued", _("Waiting for staff to link the sender")
        CONCERN = "concern", _("Recorded as a concern")
        RECEIPT_REPLY = "receipt_reply", _("Answer to a receipt notice")
        IGNORED = "ignored", _("Nothing to do")

    provider = models.CharField(_("provider"), max_length=10, default="zalo")
    message_id = models.CharField(_("provider's message id"), max_length=100)
    event_name = models.CharField(_("event"), max_length=60, blank=True)
    sender_id = models.CharField(_("sender"), max_length=40, blank=True)
    follower = models.ForeignKey(
        ZaloFollower,
        verbose_name=_("follower"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    text = models.TextField(_("text"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    event = models.JSONField(_("event as received"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_messages",
    )
    concern = models.ForeignKey(
        Concern,
        verbose_name=_("concern"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("answers the notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    handled_by = audit_user(_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message received")
        verbose_name_plural = _("messages received")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "message_id"], name="inbound_once_per_message_id"
            ),
        ]
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.sender_id} · {self.sent_at:%d/%m/%Y %H:%M}"


class ReceiptCheck(TimeStamped):
    """A family's answer to the notice of what it received: a verification by message, beside
    the door-to-door rounds (activities.Verification)."""

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Confirmed by message")
        NOT_RECEIVED = "not_received", _("Disputed by message")

    receipt = models.ForeignKey(
        Receipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="message_checks"
    )
    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.PROTECT, related_name="checks"
    )
    message = models.OneToOneField(
        InboundMessage,
        verbose_name=_("message"),
        on_delete=models.PROTECT,
        related_name="receipt_check",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("receipt checked by message")
        verbose_name_plural = _("receipts checked by message")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["receipt", "created_at"])]

    def __str__(self) -> str:
        return f"{self.receipt_id} · {self.get_outcome_display()}"
