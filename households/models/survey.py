"""The survey at the door: facts about a household and its members, not verdicts.

Which facts make a household deprived on an indicator is the standard's rule
(``households.poverty``); the survey stores the facts, and what the rules computed from them
(deprivations with their reasons, income per person, the proposed classification), so a
decision keeps what it was based on.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import EventDateField
from core.models import TimeStamped, audit_user, history_field
from households.models.campaign import CampaignHousehold
from households.models.household import Member, Poverty
from households.models.standard import Area, IncomeTable


class Wall(models.TextChoices):
    CONCRETE_BRICK = "concrete_brick", _("Concrete, brick or stone")
    HARDWOOD = "hardwood", _("Hardwood")
    METAL = "metal", _("Metal sheet")
    EARTH = "earth", _("Rammed earth")
    BAMBOO = "bamboo", _("Bamboo, wattle or plywood")
    LEAVES = "leaves", _("Leaves, tarpaulin or scraps")


class Frame(models.TextChoices):
    CONCRETE = "concrete", _("Reinforced concrete or brick")
    STEEL = "steel", _("Steel")
    HARDWOOD = "hardwood", _("Hardwood")
    BAMBOO = "bamboo", _("Bamboo or softwood")
    NONE = "none", _("No frame")


class Roof(models.TextChoices):
    CONCRETE = "concrete", _("Reinforced concrete")
    TILES = "tiles", _("Tiles")
    METAL = "metal", _("Metal or fibre-cement sheets")
    LEAVES = "leaves", _("Leaves, straw or tarpaulin")


class Water(models.TextChoices):
    TAP = "tap", _("Piped (tap) water")
    BOREHOLE = "borehole", _("Borehole")
    PROTECTED_WELL = "protected_well", _("Protected dug well")
    PROTECTED_SPRING = "protected_spring", _("Protected spring or gravity-fed water")
    RAIN = "rain", _("Rain water")
    BOTTLED = "bottled", _("Bottled or can water")
    UNPROTECTED_WELL = "unprotected_well", _("Unprotected well")
    UNPROTECTED_SPRING = "unprotected_spring", _("Unprotected spring or stream")
    SURFACE = "surface", _("River, lake or pond")


class Toilet(models.TextChoices):
    FLUSH_SEPTIC = "flush_septic", _("Flush toilet to a septic tank or sewer")
    POUR_FLUSH = "pour_flush", _("Pour-flush toilet")
    DOUBLE_VAULT = "double_vault", _("Double-vault composting latrine")
    VENTILATED_PIT = "ventilated_pit", _("Ventilated improved pit latrine")
    PIT = "pit", _("Simple pit latrine")
    HANGING = "hanging", _("Latrine over a pond or stream")
    NONE = "none", _("No latrine")


class Waste(models.TextChoices):
    COLLECTED = "collected", _("Collected by a waste service")
    SORTED_TREATED = "sorted_treated", _("Sorted and treated at home (composted, buried)")
    BURNED = "burned", _("Burned in the open")
    DUMPED = "dumped", _("Dumped in the open")


class InformationMeans(models.TextChoices):
    TELEVISION = "television", _("Television")
    RADIO = "radio", _("Radio")
    COMPUTER = "computer", _("Computer")
    TELEPHONE = "telephone", _("Telephone")
    LOUDSPEAKER = "loudspeaker", _("Village loudspeaker")


class Cause(models.TextChoices):
    """Why a household is poor (the survey's causes of poverty)."""

    LAND = "land", _("Lack of land for production")
    CAPITAL = "capital", _("Lack of capital")
    LABOUR = "labour", _("Lack of labour")
    SKILLS = "skills", _("Lack of skills or know-how")
    ILLNESS = "illness", _("Illness or serious disease")
    DEPENDANTS = "dependants", _("Many dependants")
    DISABILITY = "disability", _("Disability")
    DISASTER = "disaster", _("Natural disaster or crop loss")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    """What support the household needs (what the partners can act on)."""

    CREDIT = "credit", _("Preferential credit")
    TRAINING = "training", _("Job training")
    LIVELIHOOD = "livelihood", _("Livelihood (seeds, livestock)")
    HOUSING = "housing", _("Housing")
    WATER = "water", _("Clean water and sanitation")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance")
    EDUCATION = "education", _("School fees and learning")
    INFORMATION = "information", _("Access to information")
    OTHER = "other", _("Other")


class SchoolLevel(models.TextChoices):
    NONE = "none", _("None")
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    UNIVERSITY = "university", _("College or university")


class Work(models.TextChoices):
    NOT_WORKING = "not_working", _("Not working (studying, retired, at home)")
    UNEMPLOYED = "unemployed", _("Unemployed, looking for work")
    OWN_ACCOUNT = "own_account", _("Own farm or business")
    WAGE_CONTRACT = "wage_contract", _("Wage work with a contract")
    WAGE_NO_CONTRACT = "wage_no_contract", _("Wage work without a contract")


class Survey(TimeStamped):
    """The facts surveyed at a household's door for one review, saved section by section."""

    SECTIONS = ("members", "housing", "services", "income")

    entry = models.OneToOneField(
        CampaignHousehold,
        verbose_name=_("household under review"),
        on_delete=models.PROTECT,
        related_name="survey",
    )
    area = models.CharField(_("area"), max_length=10, choices=Area.choices, default=Area.RURAL)
    surveyed_on = EventDateField(_("surveyed on"), past=True, null=True, blank=True)
    surveyor = audit_user(_("surveyed by"))
    # Which sections have been saved (the survey is complete when all have).
    sections_done = models.JSONField(_("sections saved"), default=list, blank=True)
    # Housing
    walls = models.CharField(_("walls"), max_length=20, choices=Wall.choices, blank=True)
    frame = models.CharField(_("frame"), max_length=20, choices=Frame.choices, blank=True)
    roof = models.CharField(_("roof"), max_length=20, choices=Roof.choices, blank=True)
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    # Services
    water = models.CharField(_("domestic water"), max_length=20, choices=Water.choices, blank=True)
    toilet = models.CharField(_("latrine"), max_length=20, choices=Toilet.choices, blank=True)
    uses_telecom = models.BooleanField(_("a member uses telephone or internet"), null=True)
    information_means = models.JSONField(_("means of information"), default=list, blank=True)
    waste = models.CharField(_("waste"), max_length=20, choices=Waste.choices, blank=True)
    # Income over the last 12 months, by source (đồng), or points on the B1 table.
    income_crops_vnd = models.PositiveBigIntegerField(_("crops"), default=0)
    income_livestock_vnd = models.PositiveBigIntegerField(_("livestock"), default=0)
    income_forestry_vnd = models.PositiveBigIntegerField(_("forestry and fishing"), default=0)
    income_wages_vnd = models.PositiveBigIntegerField(_("wages and salaries"), default=0)
    income_business_vnd = models.PositiveBigIntegerField(_("trade and services"), default=0)
    income_allowances_vnd = models.PositiveBigIntegerField(
        _("pensions, allowances and remittances"), default=0
    )
    income_other_vnd = models.PositiveBigIntegerField(_("other income"), default=0)
    costs_vnd = models.PositiveBigIntegerField(_("production costs"), default=0)
    income_table = models.ForeignKey(
        IncomeTable,
        verbose_name=_("B1 table"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    income_items = models.JSONField(_("B1 characteristics"), default=list, blank=True)
    income_points = models.PositiveIntegerField(_("B1 points"), null=True, blank=True)
    causes = models.JSONField(_("causes of poverty"), default=list, blank=True)
    needs = models.JSONField(_("support needed"), default=list, blank=True)
    # Computed by households.poverty from the facts above and the campaign's standard.
    income_per_person_vnd = models.PositiveBigIntegerField(
        _("income per person per month (₫)"), null=True, blank=True, editable=False
    )
    deprived = models.JSONField(
        _("indicators deprived on"), default=list, blank=True, editable=False
    )
    # [{"code": "child_schooling", "reason": "Nông Văn A, 17 tuổi, không đi học"}, …]
    reasons = models.JSONField(_("why"), default=list, blank=True, editable=False)
    proposed = models.CharField(
        _("proposed classification"),
        max_length=20,
        choices=Poverty.choices,
        blank=True,
        editable=False,
    )
    # Bumped by every save: a save based on an older version is refused (two cadres at once).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The id a phone gave the record offline: a replay stores nothing new.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, default=None)

    history = history_field()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-surveyed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_proposed_display() or '—'}"

    @property
    def complete(self) -> bool:
        return all(section in self.sections_done for section in self.SECTIONS)

    @staticmethod
    def new_client_id() -> uuid.UUID:
        return uuid.uuid4()


class SurveyMember(models.Model):
    """What the survey found about one member."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="people"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    attending_school = models.BooleanField(_("attending school or training"), default=False)
    school_level = models.CharField(
        _("highest level reached"),
        max_length=20,
        choices=SchoolLevel.choices,
        default=SchoolLevel.NONE,
    )
    health_insurance = models.BooleanField(_("has health insurance"), default=False)
    work = models.CharField(
        _("work"), max_length=20, choices=Work.choices, default=Work.NOT_WORKING
    )
    able_to_work = models.BooleanField(_("able to work"), default=True)
    # For children under 16, as the health station recorded it.
    stunted = models.BooleanField(_("stunted"), default=False)
    underweight = models.BooleanField(_("underweight"), default=False)

    class Meta:
        verbose_name = _("surveyed member")
        verbose_name_plural = _("surveyed members")
        ordering = ["survey_id", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "member"],
                name="survey_member_once",
                violation_error_message=_("This member is already in the survey."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.birth_year}"
