"""Households, their members, and the reviews that decide their status."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import BirthYearField, EventDateField
from core.models import Job, TimeStamped, audit_user, history_field
from outreach.models import Commune, Village


class Status(models.TextChoices):
    """A household's status as decided by a review."""

    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    POLICY = "policy", _("Policy family")
    DIFFICULTY = "difficulty", _("In difficulty")
    NONE = "none", _("None of these")


class Household(TimeStamped):
    class Housing(models.TextChoices):
        SOLID = "solid", _("Solid")
        SEMI_SOLID = "semi_solid", _("Semi-solid")
        MAKESHIFT = "makeshift", _("Makeshift")
        DILAPIDATED = "dilapidated", _("Dilapidated")

    # The commune is kept beside the village so that the code is unique per commune in the database.
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="households"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="households"
    )
    code = models.CharField(_("household code"), max_length=32)
    head_name = models.CharField(_("head of household"), max_length=120)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    housing_condition = models.CharField(
        _("housing condition"), max_length=20, choices=Housing.choices, blank=True
    )
    # Derived from the latest approved review by households.services.review_record only.
    status = models.CharField(
        _("current status"), max_length=20, choices=Status.choices, blank=True, editable=False
    )
    last_reviewed_on = models.DateField(
        _("last reviewed on"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    # Set when someone asks for the household to be reviewed before its yearly review falls due
    # (a change of circumstance); a review clears it (households.services).
    flagged_for_review = models.BooleanField(_("flagged for review"), default=False, editable=False)
    flag_reason = models.CharField(_("why a review is asked for"), max_length=255, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    # Code, head and member names folded (no case, no diacritics), kept in sync by signals.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_by = audit_user(_("created by"))

    # The search column is derived from other fields and rewritten with every member; it
    # would only bloat the history.
    history = history_field(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["commune_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"],
                name="household_code_unique_in_commune",
                violation_error_message=_("This commune already has a household with this code."),
            ),
        ]
        indexes = [
            models.Index(fields=["village", "status"]),
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["commune", "last_reviewed_on"]),
            models.Index(fields=["commune", "flagged_for_review"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.head_name}"

    def clean(self) -> None:
        super().clean()
        if self.village_id and self.commune_id and self.village.commune_id != self.commune_id:
            raise ValidationError({"village": _("The village is not in this household's commune.")})


national_id_validator = RegexValidator(
    r"^(\d{9}|\d{12})$", _("A national ID number has 12 digits (or 9 on an old card).")
)


class Member(TimeStamped):
    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    class Ethnicity(models.TextChoices):
        KINH = "kinh", _("Kinh")
        TAY = "tay", _("Tày")
        DAO = "dao", _("Dao")
        NUNG = "nung", _("Nùng")
        MONG = "mong", _("Mông")
        SAN_CHAY = "san_chay", _("Sán Chay")
        SAN_DIU = "san_diu", _("Sán Dìu")
        OTHER = "other", _("Other")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    birth_year = BirthYearField(
        _("birth year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    relation = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=20, choices=Ethnicity.choices, default=Ethnicity.TAY
    )
    has_disability = models.BooleanField(_("has a disability"), default=False)
    disability_note = models.CharField(_("disability"), max_length=255, blank=True)
    national_id = models.CharField(
        _("national ID number"),
        max_length=12,
        blank=True,
        validators=[national_id_validator],
    )

    history = history_field()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation="head"),
                name="member_one_head_per_household",
                violation_error_message=_("This household already has a head."),
            ),
            models.UniqueConstraint(
                fields=["national_id"],
                condition=~Q(national_id=""),
                name="member_national_id_unique",
                violation_error_message=_("Another person already has this national ID number."),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900) & Q(birth_year__lte=2100),
                name="member_birth_year_range",
                violation_error_message=_("The birth year must be between 1900 and 2100."),
            ),
        ]
        indexes = [models.Index(fields=["household", "has_disability"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_national_id(self) -> str:
        """The ID number with all but its last three digits hidden."""
        if not self.national_id:
            return ""
        return "•" * (len(self.national_id) - 3) + self.national_id[-3:]


class Review(TimeStamped):
    """A cadre's decision on a household's status, on a date, with the reason."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = audit_user(_("reviewer"))
    reviewed_on = EventDateField(_("reviewed on"))
    status = models.CharField(_("status decided"), max_length=20, choices=Status.choices)
    # The household's status before this review, so that "left poverty" needs no scan of history.
    previous_status = models.CharField(
        _("previous status"), max_length=20, choices=Status.choices, blank=True, editable=False
    )
    reason = models.TextField(_("reason"))
    approved = models.BooleanField(_("approved"), default=True)

    history = history_field()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-reviewed_on", "-pk"]
        indexes = [
            models.Index(fields=["household", "reviewed_on"]),
            models.Index(fields=["reviewed_on", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.reviewed_on:%d/%m/%Y} · {self.get_status_display()}"


class CaseFileView(models.Model):
    """Someone opened a household's case file: who, when, which household (append-only)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    user = audit_user(_("user"), blank=False)
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True, db_index=True)
    path = models.CharField(_("page"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("case file view")
        verbose_name_plural = _("case file views")
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["household", "viewed_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.household_id} · {self.viewed_at:%d/%m/%Y %H:%M}"


class Concern(TimeStamped):
    """What a family told the office or the commune: a concern, a request, a change of
    circumstance, with who follows it up and where it stands."""

    class Kind(models.TextChoices):
        CONCERN = "concern", _("Concern")
        REQUEST = "request", _("Request")
        CHANGE = "change", _("Change of circumstance")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="concerns"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONCERN)
    raised_on = EventDateField(_("raised on"))
    text = models.TextField(_("what the family said"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    handled_by = audit_user(_("handled by"))
    resolution = models.TextField(_("follow-up"), blank=True)
    resolved_on = EventDateField(_("resolved on"), null=True, blank=True)
    recorded_by = audit_user(_("recorded by"))

    history = history_field()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-raised_on", "-pk"]
        indexes = [
            models.Index(fields=["household", "status"]),
            models.Index(fields=["status", "raised_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.get_kind_display()} · {self.raised_on:%d/%m/%Y}"


class HouseholdImport(TimeStamped):
    """A household file uploaded for one commune, from its check (the preview) to its import.

    The background jobs that check and apply it (``core.Job``) carry only what the job page
    polls: status, progress, message and problems. What was uploaded, what the check found and
    what the import did live here (``households.imports``).
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked")
        APPLYING = "applying", _("Being imported")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    # A row's outcome (households.imports.Outcome) → the field counting it, as the check found
    # it and as the import did it.
    FOUND_FIELDS = {
        "new": "found_new",
        "update": "found_update",
        "unchanged": "found_unchanged",
        "error": "found_error",
    }
    APPLIED_FIELDS = {
        "new": "created",
        "update": "updated",
        "unchanged": "unchanged",
        "error": "skipped",
    }
    DEFAULT_CHUNK = 500

    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="household_imports",
    )
    # Relative to MEDIA_ROOT; no URL serves it (the file lists people).
    source = models.CharField(_("stored file"), max_length=255, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKING
    )
    failure = models.CharField(_("why it failed"), max_length=255, blank=True)
    # The file's headers, in its order → the column each was read as ("" when not used).
    mapping = models.JSONField(_("columns of the file"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    found_new = models.PositiveIntegerField(_("new households found"), default=0)
    found_update = models.PositiveIntegerField(_("households to update found"), default=0)
    found_unchanged = models.PositiveIntegerField(_("unchanged rows found"), default=0)
    found_error = models.PositiveIntegerField(_("rows with errors found"), default=0)
    created = models.PositiveIntegerField(_("households created"), default=0)
    updated = models.PositiveIntegerField(_("households updated"), default=0)
    unchanged = models.PositiveIntegerField(_("rows left unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    valid_only = models.BooleanField(_("only the valid rows"), default=False)
    chunk_size = models.PositiveIntegerField(_("rows per chunk"), default=DEFAULT_CHUNK)
    # How many times a worker started applying it: more than one after a worker died.
    runs = models.PositiveIntegerField(_("import runs"), default=0)
    # The check's outcome of every row (JSON beside the stored file), shown by the preview page.
    preview = models.CharField(_("preview file"), max_length=255, blank=True, editable=False)
    check_job = models.OneToOneField(
        Job,
        verbose_name=_("check job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    apply_job = models.OneToOneField(
        Job,
        verbose_name=_("import job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = audit_user(_("created by"))

    class Meta:
        verbose_name = _("household import")
        verbose_name_plural = _("household imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chunk_size__gte=1), name="household_import_chunk_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} #{self.pk}"

    def found_counts(self) -> dict[str, int]:
        """Return what the check found: the rows of each outcome."""
        return {outcome: getattr(self, field) for outcome, field in self.FOUND_FIELDS.items()}

    def applied_counts(self) -> dict[str, int]:
        """Return what the import did, by outcome (an error row is a skipped one)."""
        return {outcome: getattr(self, field) for outcome, field in self.APPLIED_FIELDS.items()}
