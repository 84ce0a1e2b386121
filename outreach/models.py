"""The partnership and its ground: administrative units, partners, donations.

The map changes under the records (the 2025 reform abolished districts and merged provinces and
communes), so every unit keeps the dates it was valid and, once merged, the unit it became. Records
point at the unit they were made in; ``current`` follows the merge chain to today's unit.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import roles
from core.fields import EventDateField, MoneyField
from core.models import TimeStamped, audit_user, history_field


class UnitKind(models.TextChoices):
    """What the official lists call a unit (its name is written without it: "Tri Phú")."""

    PROVINCE = "tinh", _("Province")
    CITY = "thanh-pho", _("Centrally run city")
    RURAL_DISTRICT = "huyen", _("Rural district")
    URBAN_DISTRICT = "quan", _("Urban district")
    TOWN = "thi-xa", _("Town")
    PROVINCIAL_CITY = "thanh-pho-tinh", _("Provincial city")
    COMMUNE = "xa", _("Commune")
    WARD = "phuong", _("Ward")
    TOWNSHIP = "thi-tran", _("Township")
    SPECIAL_ZONE = "dac-khu", _("Special zone")
    VILLAGE = "thon", _("Village")


class CodeList(models.TextChoices):
    """The official list a unit's code comes from. The 2025 list reuses codes of the list
    before (the new Tri Phú has the old Tri Phú's 02359), so a code names a unit only within its
    list: ``load_admin_units`` matches on both."""

    BEFORE_2025 = "before-2025", _("Units until 30/06/2025")
    FROM_2025 = "2025", _("Units from 01/07/2025")


class AdministrativeUnit(TimeStamped):
    """Fields and behaviour shared by every level of the map."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, blank=True)
    code = models.CharField(
        _("official code"), max_length=20, blank=True, help_text=_("Statistics office code.")
    )
    code_list = models.CharField(
        _("code list"),
        max_length=20,
        choices=CodeList.choices,
        blank=True,
        help_text=_("The official list the code comes from; blank for a unit typed by hand."),
    )
    valid_from = EventDateField(_("valid from"), null=True, blank=True)
    valid_until = EventDateField(
        _("valid until"), null=True, blank=True, help_text=_("Last day the unit existed.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The end date cannot be before the start date.")}
            )
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("A unit cannot be merged into itself.")})
        if self.merged_into_id and not self.valid_until:
            raise ValidationError(
                {"valid_until": _("A merged unit needs the last day it existed.")}
            )

    def is_valid_on(self, day: datetime.date) -> bool:
        """Tell whether the unit existed on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    @property
    def current(self):
        """Today's unit: this one, or the unit it was (eventually) merged into."""
        unit, seen = self, set()
        while unit.merged_into_id and unit.pk not in seen:
            seen.add(unit.pk)
            unit = unit.merged_into
        return unit


def _official_code(prefix: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["code_list", "code"],
        condition=~Q(code_list="") & ~Q(code=""),
        name=f"{prefix}_official_code_unique",
        violation_error_message=_("Another unit of this level has this code in this list."),
    )


def _valid_dates(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_until__isnull=True)
        | Q(valid_from__isnull=True)
        | Q(valid_until__gte=models.F("valid_from")),
        name=f"{prefix}_valid_until_after_from",
        violation_error_message=_("The end date cannot be before the start date."),
    )


class Province(AdministrativeUnit):
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    level = "province"

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            _valid_dates("province"),
            _official_code("province"),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(valid_until__isnull=True),
                name="province_current_name_unique",
                violation_error_message=_("A current province with this name already exists."),
            ),
        ]

    @property
    def parent(self):
        return None


class District(AdministrativeUnit):
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="districts"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    level = "district"

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            _valid_dates("district"),
            _official_code("district"),
            models.UniqueConstraint(
                fields=["province", "name"],
                condition=Q(valid_until__isnull=True),
                name="district_current_name_unique",
                violation_error_message=_("This province already has a district of this name."),
            ),
        ]

    @property
    def parent(self):
        return self.province


class Commune(AdministrativeUnit):
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    # Optional: districts were abolished on 1 July 2025; communes made before keep theirs.
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communes",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    # A commune split over several new ones: ``merged_into`` is the successor the official
    # mapping names as the main one, these are the others that took part of it.
    also_merged_into = models.ManyToManyField(
        "self",
        verbose_name=_("also merged in part into"),
        symmetrical=False,
        blank=True,
        related_name="partly_merged_from",
    )

    level = "commune"

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            _valid_dates("commune"),
            _official_code("commune"),
            models.UniqueConstraint(
                fields=["province", "name"],
                condition=Q(valid_until__isnull=True),
                name="commune_current_name_unique",
                violation_error_message=_("This province already has a commune of this name."),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            raise ValidationError({"district": _("The district belongs to another province.")})

    @property
    def parent(self):
        return self.district or self.province

    @property
    def full_name(self) -> str:
        """The address as it stood when the commune existed: "Linh Phú, Chiêm Hóa, Tuyên Quang"."""
        parts = [self.name]
        if self.district_id:
            parts.append(self.district.name)
        parts.append(self.province.name)
        return ", ".join(parts)


class Village(AdministrativeUnit):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="villages"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    is_invented = models.BooleanField(
        _("invented for the demo"),
        default=False,
        help_text=_("Demo data only: the name is not from the published reports."),
    )

    level = "village"

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            _valid_dates("village"),
            _official_code("village"),
            models.UniqueConstraint(
                fields=["commune", "name"],
                condition=Q(valid_until__isnull=True),
                name="village_current_name_unique",
                violation_error_message=_("This commune already has a village of this name."),
            ),
        ]

    @property
    def parent(self):
        return self.commune

    @property
    def full_name(self) -> str:
        """The place as it was: "Pác Hợp, Linh Phú, Chiêm Hóa, Tuyên Quang"."""
        return f"{self.name}, {self.commune.full_name}"


class Partner(TimeStamped):
    """An organisation or a person that gives money or goods (or runs the partnership)."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        AGENCY = "agency", _("State agency")
        BUSINESS = "business", _("Business")
        INDIVIDUAL = "individual", _("Individual")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
        help_text=_("For a branch: the organisation it belongs to."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(TimeStamped):
    """The office paired with a commune ("three together")."""

    name = models.CharField(_("name"), max_length=200)
    office = models.ForeignKey(
        Partner,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="partnerships"
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-start_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "commune"],
                name="partnership_office_commune_unique",
                violation_error_message=_("This office is already paired with this commune."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=1945) & Q(start_year__lte=2100),
                name="partnership_start_year_range",
                violation_error_message=_("The start year must be between 1945 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Donation(TimeStamped):
    """Money or goods a partner gave to the partnership."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        GOODS = "goods", _("Goods")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.PROTECT,
        related_name="donations",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="donations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CASH)
    received_on = EventDateField(_("received on"), past=True)
    # Cash: the amount. Goods: their estimated value. Either way whole đồng, so sums add up.
    value_vnd = MoneyField(
        _("value (VND)"), help_text=_("Cash amount, or estimated value of the goods, in đồng.")
    )
    goods_description = models.CharField(_("goods"), max_length=255, blank=True)
    goods_quantity = models.PositiveIntegerField(_("quantity of goods"), null=True, blank=True)
    goods_unit = models.CharField(_("unit"), max_length=30, blank=True)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("Document or transfer number.")
    )
    note = models.TextField(_("note"), blank=True)
    created_by = audit_user(_("recorded by"))

    history = history_field()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["partner", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_vnd__gte=0),
                name="donation_value_not_negative",
                violation_error_message=_("An amount of money cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(kind="cash", goods_description="", goods_quantity__isnull=True)
                | Q(kind="goods", goods_quantity__gt=0) & ~Q(goods_description=""),
                name="donation_goods_fields_match_kind",
                violation_error_message=_(
                    "Goods need a description and a quantity; cash has neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        from core.money import format_vnd

        return f"{self.partner} · {self.received_on:%d/%m/%Y} · {format_vnd(self.value_vnd)}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.kind == self.Kind.GOODS:
            if not self.goods_description:
                errors["goods_description"] = _("Describe the goods.")
            if not self.goods_quantity:
                errors["goods_quantity"] = _("Give the quantity of goods.")
        elif self.kind == self.Kind.CASH:
            if self.goods_description or self.goods_quantity:
                errors["goods_description"] = _("A cash donation has no goods.")
            if self.value_vnd == 0:
                errors["value_vnd"] = _("A cash donation needs an amount above zero.")
        if errors:
            raise ValidationError(errors)


class RoleAssignment(TimeStamped):
    """A user's role and the ground it covers: staff a partnership, a cadre a commune, a donor a
    partner. Groups carry the model permissions; assignments carry the scope and its expiry."""

    class Role(models.TextChoices):
        # Values are the names of the Django groups created by core's data migration.
        OFFICE_STAFF = roles.OFFICE_STAFF, roles.LABELS[roles.OFFICE_STAFF]
        COMMUNE_CADRE = roles.COMMUNE_CADRE, roles.LABELS[roles.COMMUNE_CADRE]
        DONOR = roles.DONOR, roles.LABELS[roles.DONOR]
        AUDITOR = roles.AUDITOR, roles.LABELS[roles.AUDITOR]
        ADMINISTRATOR = roles.ADMINISTRATOR, roles.LABELS[roles.ADMINISTRATOR]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    valid_until = EventDateField(
        _("valid until"), null=True, blank=True, help_text=_("Last day the role applies.")
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        indexes = [models.Index(fields=["user", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=roles.OFFICE_STAFF, partnership__isnull=False)
                    | Q(role=roles.COMMUNE_CADRE, commune__isnull=False)
                    | Q(role=roles.DONOR, partner__isnull=False)
                    | Q(role__in=[roles.AUDITOR, roles.ADMINISTRATOR])
                ),
                name="role_assignment_scope_matches_role",
                violation_error_message=_(
                    "Office staff need a partnership, a commune cadre a commune, a donor a partner."
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.partnership or self.commune or self.partner
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")


class ReportLink(TimeStamped):
    """A read-only link to one partner's money trail, for a donor without an account.

    The URL carries this row's id signed with the site's secret; the row says until when it
    works and whether it was revoked.
    """

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="report_links"
    )
    expires_on = EventDateField(_("works until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=255, blank=True, help_text=_("Who it is for."))
    created_by = audit_user(_("created by"))

    history = history_field()

    class Meta:
        verbose_name = _("shared report link")
        verbose_name_plural = _("shared report links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.partner} · {self.expires_on:%d/%m/%Y}"

    def works_on(self, day) -> bool:
        return self.revoked_at is None and day <= self.expires_on
