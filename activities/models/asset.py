"""Assets (solar light poles, trash bins) and their append-only logs."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.codes import new_code
from core.fields import EventDateField, MoneyField
from core.models import TimeStamped, audit_user, history_field
from households.models import Household
from outreach.models import Partnership, Village


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
    installed_on = EventDateField(_("installed on"))
    value_vnd = MoneyField(_("value (VND)"))
    # Set by maintenance logs through activities.services.maintenance_record only.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INSTALLED
    )
    # Printed with a QR code on the asset's label.
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_code, editable=False
    )

    history = history_field()

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
    happened_on = EventDateField(_("date"))
    status_after = models.CharField(_("status after"), max_length=20, choices=Asset.Status.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = audit_user(_("recorded by"))
    reported_by_public = models.BooleanField(_("reported by the public"), default=False)

    history = history_field()

    class Meta:
        verbose_name = _("maintenance log entry")
        verbose_name_plural = _("maintenance log")
        ordering = ["asset_id", "-happened_on", "-pk"]
        indexes = [models.Index(fields=["asset", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.asset.code} · {self.get_kind_display()} · {self.happened_on:%d/%m/%Y}"
