"""What the partnership did and delivered, and the money trail that paid for it.

Allocation lives here rather than beside Donation in outreach: it points at distributions, assets
and grants, and outreach must not know this app (DESIGN.md's dependency direction).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.codes import new_code
from core.models import TimeStamped
from core.services import history_user
from households.models import Household
from outreach.models import Donation, Partnership, Village


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
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(get_user=history_user)

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


class Photo(TimeStamped):
    """A photo of an activity: the upload is checked, turned upright, stripped of EXIF (GPS
    included) and copied in two sizes by activities.images (in a background task)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being processed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be processed")

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to="photos/%Y/%m/")
    # Resized copy for pages (at most 1600 px) and a thumbnail for lists (at most 320 px).
    display = models.ImageField(
        _("resized copy"), upload_to="photos/display/%Y/%m/", blank=True, editable=False
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="photos/thumbs/%Y/%m/", blank=True, editable=False
    )
    state = models.CharField(
        _("processing"),
        max_length=10,
        choices=State.choices,
        default=State.PENDING,
        editable=False,
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    credit = models.CharField(_("credit"), max_length=120, blank=True)
    consent_to_publish = models.BooleanField(
        _("consent to publish"),
        default=False,
        help_text=_("The people shown agreed that donors and the public may see this photo."),
    )
    taken_on = models.DateField(_("taken on"), null=True, blank=True)

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

    def __str__(self) -> str:
        return self.caption or self.image.name


class Distribution(TimeStamped):
    """A handing-out of items (gifts, goods) to households, signed off one receipt at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        DISTRIBUTING = "distributing", _("Distributing")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="distributions",
    )
    title = models.CharField(_("title"), max_length=255)
    distributed_on = models.DateField(_("date"))
    item_description = models.CharField(_("items"), max_length=255)
    value_per_item_vnd = models.PositiveBigIntegerField(_("value per item (VND)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Printed on the sign-off sheet; anyone can check it on the public verification page.
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-distributed_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "distributed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_per_item_vnd__gte=0),
                name="distribution_value_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.distributed_on:%d/%m/%Y})"

    @property
    def accepts_confirmation(self) -> bool:
        """Whether receipts of this distribution may be confirmed now (see ``CONFIRMABLE``)."""
        return self.status in CONFIRMABLE

    @property
    def accepts_recipients(self) -> bool:
        """Whether recipients may still be chosen by criteria (see ``CHOOSING``)."""
        return self.status in CHOOSING


# The statuses in which a distribution's receipts are confirmed (the sheet is out, not closed):
# one list for the services, the views and the templates (``accepts_confirmation``).
CONFIRMABLE = (Distribution.Status.APPROVED, Distribution.Status.DISTRIBUTING)
# The statuses in which recipients are chosen by criteria (the sheet is printed once approved).
CHOOSING = (Distribution.Status.DRAFT, Distribution.Status.APPROVED)


class Receipt(TimeStamped):
    """What one household received in one distribution.

    Delivered when, and only when, ``confirmed_at`` is set. A receipt that will not be delivered
    (the household was not at home, moved away…) is marked so, with a reason, before the
    distribution closes: its value then goes back to the donations that funded it.
    """

    class NotDelivered(models.TextChoices):
        NOT_HOME = "not_home", _("Not at home")
        MOVED = "moved", _("Moved away")
        REFUSED = "refused", _("Refused")
        DIED = "died", _("Died")
        OTHER = "other", _("Other")

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="receipts"
    )
    # Where the household lived when it received: the record keeps the place it was made in.
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="receipts"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    value_vnd = models.PositiveBigIntegerField(_("value (VND)"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    signature = models.ImageField(_("signature photo"), upload_to="signatures/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    not_delivered_reason = models.CharField(
        _("not delivered because"), max_length=20, choices=NotDelivered.choices, blank=True
    )
    not_delivered_note = models.CharField(_("what happened"), max_length=255, blank=True)
    not_delivered_at = models.DateTimeField(_("marked not delivered at"), null=True, blank=True)
    not_delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked not delivered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Printed (with a QR code) on the sign-off sheet's line; opens this receipt.
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["distribution_id", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "household"],
                name="receipt_one_per_household_per_distribution",
                violation_error_message=_("This household is already listed in this distribution."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="receipt_quantity_positive",
                violation_error_message=_("The quantity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(value_vnd__gte=0),
                name="receipt_value_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(not_delivered_reason=""),
                name="receipt_confirmed_or_not_delivered",
                violation_error_message=_(
                    "A receipt cannot be both confirmed and marked not delivered."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["household", "distribution"]),
            models.Index(fields=["village", "distribution"]),
            # Few receipts have a signature photo; it is found by name when served.
            models.Index(
                fields=["signature"], name="receipt_signature_idx", condition=~Q(signature="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.distribution.title} → {self.household.code}"

    @property
    def delivered(self) -> bool:
        return self.confirmed_at is not None


class Asset(TimeStamped):
    """One physical item (a solar light pole, a trash bin) and where it stands."""

    class Kind(models.TextChoices):
        SOLAR_LIGHT = "solar_light", _("Solar light pole")
        TRASH_BIN = "trash_bin", _("Trash bin")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        INSTALLED = "installed", _("Installed")
        WORKING = "working", _("Working")
        FAULTY = "faulty", _("Faulty")
        REPAIRED = "repaired", _("Repaired")
        REMOVED = "removed", _("Removed")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.PROTECT, related_name="assets"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("asset code"), max_length=40, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="assets"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        help_text=_("The household it serves, if it serves one."),
    )
    installed_on = models.DateField(_("installed on"))
    value_vnd = models.PositiveBigIntegerField(_("value (VND)"))
    # Set by maintenance logs through activities.services.maintenance_record only.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INSTALLED
    )
    # Printed with a QR code on the asset's label.
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["village", "kind", "status"]),
            models.Index(fields=["partnership", "installed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_vnd__gte=0),
                name="asset_value_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.get_kind_display()}"


class MaintenanceLog(TimeStamped):
    """An append-only entry in an asset's life: checked, reported faulty, repaired, removed."""

    class Kind(models.TextChoices):
        INSTALLATION = "installation", _("Installation")
        CHECK = "check", _("Check")
        FAULT = "fault", _("Fault reported")
        REPAIR = "repair", _("Repair")
        REMOVAL = "removal", _("Removal")

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="logs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    status_after = models.CharField(_("status after"), max_length=20, choices=Asset.Status.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_by_public = models.BooleanField(_("reported by the public"), default=False)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("maintenance log entry")
        verbose_name_plural = _("maintenance log")
        ordering = ["asset_id", "-happened_on", "-pk"]
        indexes = [models.Index(fields=["asset", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.asset.code} · {self.get_kind_display()} · {self.happened_on:%d/%m/%Y}"


class Grant(TimeStamped):
    """Money given for one household's purpose, such as building a house."""

    class Purpose(models.TextChoices):
        HOUSE_BUILDING = "house_building", _("House building")
        HOUSE_REPAIR = "house_repair", _("House repair")
        LIVELIHOOD = "livelihood", _("Livelihood")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        OTHER = "other", _("Other")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.PROTECT, related_name="grants"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="grants"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="grants"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grants",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    approved_on = models.DateField(_("approved on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-approved_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "approved_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gte=0),
                name="grant_amount_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=models.F("approved_on")),
                name="grant_completed_after_approved",
                violation_error_message=_("A grant cannot be completed before it was approved."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.household.code}"


class Allocation(TimeStamped):
    """Part of a donation assigned to a distribution, an asset purchase or a grant.

    The allocations of a donation never add up to more than it: activities.services checks this
    with the donation row locked.
    """

    donation = models.ForeignKey(
        Donation, verbose_name=_("donation"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    # What went back to the donation when the distribution closed without delivering it all:
    # the donation's balance counts ``amount_vnd - returned_vnd`` (``NET``) as spent.
    returned_vnd = models.PositiveBigIntegerField(_("returned to the donation (VND)"), default=0)
    allocated_on = models.DateField(_("allocated on"))
    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["donation_id", "allocated_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0),
                name="allocation_amount_positive",
                violation_error_message=_("An allocation must be more than 0 ₫."),
            ),
            models.CheckConstraint(
                condition=Q(returned_vnd__lte=models.F("amount_vnd")),
                name="allocation_returned_within_amount",
                violation_error_message=_("An allocation cannot return more than it was."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(distribution__isnull=False, asset__isnull=True, grant__isnull=True)
                    | Q(distribution__isnull=True, asset__isnull=False, grant__isnull=True)
                    | Q(distribution__isnull=True, asset__isnull=True, grant__isnull=False)
                ),
                name="allocation_exactly_one_target",
                violation_error_message=_(
                    "An allocation goes to exactly one distribution, asset or grant."
                ),
            ),
        ]

    def __str__(self) -> str:
        from core.money import format_vnd

        return f"{self.donation.partner} → {self.target} · {format_vnd(self.amount_vnd)}"

    @property
    def target(self):
        return self.distribution or self.asset or self.grant

    @property
    def net_vnd(self) -> int:
        """What the allocation still holds of its donation (its amount less what was returned)."""
        return self.amount_vnd - self.returned_vnd


def allocation_net(prefix: str = "") -> models.Expression:
    """What allocations hold of their donations, as an expression: ``Sum(allocation_net())``;
    ``prefix`` reaches them through a relation (``"allocations__"``)."""
    return models.F(f"{prefix}amount_vnd") - models.F(f"{prefix}returned_vnd")


class GrantPayment(TimeStamped):
    """Money of a grant paid out to its household: a grant is delivered as far as it is paid."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("paid on"))
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("grant payment")
        verbose_name_plural = _("grant payments")
        ordering = ["grant_id", "paid_on", "pk"]
        indexes = [models.Index(fields=["grant", "paid_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0),
                name="grant_payment_amount_positive",
                violation_error_message=_("A payment must be more than 0 ₫."),
            ),
        ]

    def __str__(self) -> str:
        from core.money import format_vnd

        return f"{self.grant} · {self.paid_on:%d/%m/%Y} · {format_vnd(self.amount_vnd)}"


class VerificationRound(TimeStamped):
    """After a distribution closes, a sample (or all) of its receipts re-checked at the door."""

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        on_delete=models.PROTECT,
        related_name="verification_rounds",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Percentage of the receipts drawn at random (100: every receipt).
    sample_percent = models.PositiveSmallIntegerField(_("share checked (%)"), default=100)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("verification round")
        verbose_name_plural = _("verification rounds")
        ordering = ["distribution_id", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_percent__gte=1) & Q(sample_percent__lte=100),
                name="verification_sample_percent_range",
                violation_error_message=_("The share to check is between 1 and 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.distribution.title} · {self.created_at:%d/%m/%Y}"


class Verification(TimeStamped):
    """One receipt of a round, re-checked by a cadre visiting the household."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet checked")
        RECEIVED = "received", _("Received")
        NOT_RECEIVED = "not_received", _("Not received")
        PROBLEM = "problem", _("Received, with a problem")

    round = models.ForeignKey(
        VerificationRound,
        verbose_name=_("verification round"),
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    receipt = models.ForeignKey(
        Receipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="verifications"
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["round_id", "receipt_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "receipt"],
                name="verification_one_per_receipt_per_round",
                violation_error_message=_("This receipt is already in this round."),
            ),
        ]
        indexes = [models.Index(fields=["round", "outcome"])]

    def __str__(self) -> str:
        return f"{self.receipt} · {self.get_outcome_display()}"
