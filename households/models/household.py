"""Households, their members, their reviews, concerns and who opened their files.

A household carries three separate facts (POVERTY-REVIEW.md): its poverty classification, set
only by a commune decision closing a review (``households.services.campaign``); policy family,
a lasting attribute of a member; in difficulty, a dated flag with a reason.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import BirthYearField, EventDateField
from core.models import TimeStamped, audit_user, history_field
from core.phones import MobilePhoneField
from outreach.models import Commune, Village


class Status(models.TextChoices):
    """The one status a review recorded before the three facts were separated (reviews made
    before then keep it, so that they read as they were written)."""

    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    POLICY = "policy", _("Policy family")
    DIFFICULTY = "difficulty", _("In difficulty")
    NONE = "none", _("None of these")


class Poverty(models.TextChoices):
    """A household's poverty classification under the national standard, as a commune decision
    recognised it."""

    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    AVERAGE = "average", _("Average living standard")
    NONE = "none", _("Not poor or near-poor")


class PolicyCategory(models.TextChoices):
    """The categories of people of meritorious service (Ordinance 02/2020/UBTVQH14)."""

    PRE_1945 = "pre_1945", _("Revolutionary activist before 1 January 1945")
    PRE_AUGUST_1945 = (
        "pre_august_1945",
        _("Revolutionary activist from 1 January 1945 to the August Revolution"),
    )
    MARTYR = "martyr", _("Martyr")
    HEROIC_MOTHER = "heroic_mother", _("Vietnamese Heroic Mother")
    ARMED_FORCES_HERO = "armed_forces_hero", _("Hero of the People's Armed Forces")
    LABOUR_HERO = "labour_hero", _("Labour Hero of the resistance period")
    WAR_INVALID = "war_invalid", _("War invalid, or treated as a war invalid")
    SICK_SOLDIER = "sick_soldier", _("Sick soldier")
    AGENT_ORANGE = "agent_orange", _("Resistance member exposed to toxic chemicals")
    IMPRISONED = "imprisoned", _("Revolutionary imprisoned by the enemy")
    RESISTANCE = (
        "resistance",
        _("Took part in the resistance, the defence of the Fatherland or international duty"),
    )
    HELPED = "helped", _("Helped the revolution")
    # Carried over from the single status of before, which did not say which category.
    UNRECORDED = "unrecorded", _("Category not recorded")


class PolicyRelation(models.TextChoices):
    """How a member relates to the person of meritorious service."""

    SELF = "self", _("The person of meritorious service")
    PARENT = "parent", _("Parent")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child (natural or adopted)")
    RAISED = "raised", _("Raised the martyr")
    UNRECORDED = "unrecorded", _("Relation not recorded")


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
    # The household's mobile number (the head's, usually): where the office's messages go.
    phone = MobilePhoneField(_("mobile number"))
    housing_condition = models.CharField(
        _("housing condition"), max_length=20, choices=Housing.choices, blank=True
    )
    # Set only by a commune decision closing a review (households.services.campaign); blank
    # until the household's first decision.
    poverty = models.CharField(
        _("poverty classification"),
        max_length=20,
        choices=Poverty.choices,
        blank=True,
        editable=False,
    )
    last_reviewed_on = models.DateField(
        _("last reviewed on"), null=True, blank=True, editable=False
    )
    # Derived: a member is a person of meritorious service or their relative (kept in sync by
    # households.signals from the members' policy fields).
    policy_family = models.BooleanField(_("policy family"), default=False, editable=False)
    # A local judgement used to choose gift recipients, not a legal status: set and cleared by
    # households.services.household_difficulty_set / _clear.
    in_difficulty = models.BooleanField(_("in difficulty"), default=False, editable=False)
    difficulty_reason = models.CharField(
        _("why the family is in difficulty"), max_length=255, blank=True, editable=False
    )
    difficulty_since = models.DateField(
        _("in difficulty since"), null=True, blank=True, editable=False
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
            models.Index(fields=["village", "poverty"]),
            models.Index(fields=["commune", "poverty"]),
            models.Index(fields=["commune", "policy_family"]),
            models.Index(fields=["commune", "in_difficulty"]),
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
    phone = MobilePhoneField(_("mobile number"))
    has_disability = models.BooleanField(_("has a disability"), default=False)
    disability_note = models.CharField(_("disability"), max_length=255, blank=True)
    national_id = models.CharField(
        _("national ID number"),
        max_length=12,
        blank=True,
        validators=[national_id_validator],
    )
    # Policy family: a lasting fact about a person, whatever the household's poverty.
    policy_category = models.CharField(
        _("meritorious service"), max_length=30, choices=PolicyCategory.choices, blank=True
    )
    policy_relation = models.CharField(
        _("relation to the person of merit"),
        max_length=20,
        choices=PolicyRelation.choices,
        blank=True,
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
            models.CheckConstraint(
                condition=Q(policy_category="", policy_relation="")
                | (~Q(policy_category="") & ~Q(policy_relation="")),
                name="member_policy_category_with_relation",
                violation_error_message=_(
                    "Give both the category of meritorious service and the relation to the "
                    "person of merit, or neither."
                ),
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
    """A household's review: since the campaigns, the commune decision's classification of it
    with the facts and the score it was based on; before them, the one status a cadre chose."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = audit_user(_("reviewer"))
    reviewed_on = EventDateField(_("reviewed on"))
    # Reviews recorded before the campaigns keep the single status they chose.
    status = models.CharField(
        _("status recorded (before 2026)"), max_length=20, choices=Status.choices, blank=True
    )
    previous_status = models.CharField(
        _("previous status (before 2026)"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        editable=False,
    )
    # The classification decided, and the one before it, so that "left poverty" needs no scan
    # of history.
    classification = models.CharField(
        _("classification decided"), max_length=20, choices=Poverty.choices, blank=True
    )
    previous_classification = models.CharField(
        _("classification before"),
        max_length=20,
        choices=Poverty.choices,
        blank=True,
        editable=False,
    )
    reason = models.TextField(_("reason"))
    approved = models.BooleanField(_("approved"), default=True)
    # What the decision rests on (campaign reviews only).
    standard = models.ForeignKey(
        "households.PovertyStandard",
        verbose_name=_("poverty standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decision = models.ForeignKey(
        "households.Decision",
        verbose_name=_("commune decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        editable=False,
    )
    entry = models.OneToOneField(
        "households.CampaignHousehold",
        verbose_name=_("reviewed in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review",
        editable=False,
    )
    income_per_person_vnd = models.PositiveBigIntegerField(
        _("income per person per month (₫)"), null=True, blank=True, editable=False
    )
    deprived = models.JSONField(
        _("indicators deprived on"), default=list, blank=True, editable=False
    )

    history = history_field()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-reviewed_on", "-pk"]
        indexes = [
            models.Index(fields=["household", "reviewed_on"]),
            models.Index(fields=["reviewed_on", "classification"]),
        ]

    def __str__(self) -> str:
        decided = self.get_classification_display() or self.get_status_display()
        return f"{self.household.code} · {self.reviewed_on:%d/%m/%Y} · {decided}"


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
