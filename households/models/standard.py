"""The national poverty standards as data: one row per period, its indicators and cut-offs.

The figures come from the decrees (POVERTY-REVIEW.md); some are to be confirmed, so they are
rows an office corrects in the admin (with history), never constants in code. The arithmetic
that reads them is ``households.poverty``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import EventDateField
from core.models import TimeStamped, history_field
from outreach.models import Province


class Area(models.TextChoices):
    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


class Indicator(models.TextChoices):
    """The indicators of deprivation of basic social services (codes of POVERTY-REVIEW.md)."""

    EMPLOYMENT = "employment", _("Employment")
    DEPENDENTS = "dependents", _("Dependants in the household")
    NUTRITION = "nutrition", _("Nutrition")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance")
    ADULT_EDUCATION = "adult_education", _("Adult education")
    CHILD_SCHOOLING = "child_schooling", _("Children's schooling")
    HOUSING_QUALITY = "housing_quality", _("Quality of housing")
    HOUSING_AREA = "housing_area", _("Housing area per person")
    WATER = "water", _("Clean domestic water")
    TOILET = "toilet", _("Hygienic latrine")
    TELECOM = "telecom", _("Use of telecommunication services")
    INFORMATION_MEANS = "information_means", _("Means of access to information")
    WASTE = "waste", _("Waste treatment")


class Service(models.TextChoices):
    """The basic social services the indicators belong to."""

    EMPLOYMENT = "employment", _("Employment")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    WATER = "water", _("Water, sanitation and environment")
    INFORMATION = "information", _("Information")


class PovertyStandard(TimeStamped):
    """A period's poverty standard: its income lines and the indicators it scores."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    decree = models.CharField(_("decree"), max_length=200)
    valid_from = EventDateField(_("used for reviews from"))
    valid_until = EventDateField(_("used for reviews until"), null=True, blank=True)
    income_line_rural_vnd = models.PositiveBigIntegerField(
        _("income line, rural (₫ per person per month)")
    )
    income_line_urban_vnd = models.PositiveBigIntegerField(
        _("income line, urban (₫ per person per month)")
    )
    # The average-living-standard band above the line, where the standard has one.
    average_line_rural_vnd = models.PositiveBigIntegerField(
        _("average living standard up to, rural (₫)"), null=True, blank=True
    )
    average_line_urban_vnd = models.PositiveBigIntegerField(
        _("average living standard up to, urban (₫)"), null=True, blank=True
    )
    poor_min_deprived = models.PositiveSmallIntegerField(
        _("deprivations that make a household poor"), default=3
    )
    notes = models.TextField(_("notes"), blank=True)

    history = history_field()

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="poverty_standard_dates_in_order",
                violation_error_message=_("A standard cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(poor_min_deprived__gte=1),
                name="poverty_standard_poor_min_positive",
                violation_error_message=_("At least one deprivation makes a household poor."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.decree}"

    def clean(self) -> None:
        super().clean()
        for area in ("rural", "urban"):
            line = getattr(self, f"income_line_{area}_vnd")
            band = getattr(self, f"average_line_{area}_vnd")
            if band is not None and line is not None and band <= line:
                raise ValidationError(
                    {
                        f"average_line_{area}_vnd": _(
                            "The average living standard's upper line must be above the "
                            "income line."
                        )
                    }
                )
        overlapping = PovertyStandard.objects.exclude(pk=self.pk).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)
        )
        if self.valid_until:
            overlapping = overlapping.filter(valid_from__lte=self.valid_until)
        if self.valid_from and overlapping.exists():
            raise ValidationError(
                {"valid_from": _("Another standard is already in use for some of these dates.")}
            )


class StandardIndicator(TimeStamped):
    """One indicator a standard scores, with its cut-offs (``params``, read by
    ``households.poverty``) and the cut-off as the decree words it."""

    standard = models.ForeignKey(
        PovertyStandard,
        verbose_name=_("poverty standard"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    service = models.CharField(_("basic service"), max_length=20, choices=Service.choices)
    deprived_when = models.TextField(_("deprived when"))
    params = models.JSONField(_("cut-offs"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = history_field()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["standard_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "code"],
                name="standard_indicator_unique",
                violation_error_message=_("This standard already has this indicator."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} · {self.get_code_display()}"


class IncomeTable(TimeStamped):
    """A province's B1 table: points for a household's characteristics and assets, and the
    income per person per month that a score stands for, per region (Circular 07/2021)."""

    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.CharField(_("region"), max_length=120, blank=True)
    standard = models.ForeignKey(
        PovertyStandard,
        verbose_name=_("poverty standard"),
        on_delete=models.PROTECT,
        related_name="income_tables",
    )
    # An example shipped with the software, not a province's official table.
    is_example = models.BooleanField(_("example only"), default=False)
    # [{"code": "motorbike", "label": "Xe máy", "points": 20}, …]
    items = models.JSONField(_("characteristics and their points"), default=list)
    # [{"min_points": 0, "income_vnd": 900000}, …]: a score from min_points up stands for that
    # income per person per month.
    bands = models.JSONField(_("scores and the income they stand for"), default=list)

    history = history_field()

    class Meta:
        verbose_name = _("income points table (B1)")
        verbose_name_plural = _("income points tables (B1)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
