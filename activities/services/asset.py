"""Assets: registered once installed, and an append-only log that sets their state."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import (
    Asset,
    MaintenanceLog,
)
from core.services import service
from outreach.scope import require_in_scope

__all__ = [
    "asset_register",
    "maintenance_record",
]


# --- Assets ------------------------------------------------------------------------------------

_STATUS_AFTER = {
    MaintenanceLog.Kind.INSTALLATION: Asset.Status.INSTALLED,
    MaintenanceLog.Kind.CHECK: Asset.Status.WORKING,
    MaintenanceLog.Kind.FAULT: Asset.Status.FAULTY,
    MaintenanceLog.Kind.REPAIR: Asset.Status.REPAIRED,
    MaintenanceLog.Kind.REMOVAL: Asset.Status.REMOVED,
}


@service
def asset_register(*, actor, asset: Asset) -> Asset:
    """Register one physical item and open its log with its installation.

    An asset is registered once it stands (reports count it as delivered from that day on), so
    its installation cannot be dated in the future.
    """
    require_in_scope(actor, asset)
    if asset.installed_on and asset.installed_on > timezone.localdate():
        raise ValidationError(
            {"installed_on": _("An asset is registered once installed: not in the future.")}
        )
    if asset.household_id and asset.household.village.commune_id != asset.village.commune_id:
        raise ValidationError({"household": _("The household is not in the asset's commune.")})
    if asset.village.commune_id != asset.partnership.commune_id:
        raise ValidationError({"village": _("The village is not in the partnership's commune.")})
    asset.status = Asset.Status.INSTALLED
    asset.full_clean()
    asset.save()
    MaintenanceLog.objects.create(
        asset=asset,
        kind=MaintenanceLog.Kind.INSTALLATION,
        happened_on=asset.installed_on,
        status_after=Asset.Status.INSTALLED,
        recorded_by=actor,
    )
    return asset


@service
def maintenance_record(
    *,
    actor,
    asset: Asset,
    kind: str,
    happened_on: datetime.date,
    note: str = "",
    status_after: str | None = None,
    reported_by_public: bool = False,
) -> MaintenanceLog:
    """Append to an asset's log; the asset's state becomes its latest entry's."""
    require_in_scope(actor, asset)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status == Asset.Status.REMOVED:
        raise ValidationError(_("A removed asset takes no more log entries."))
    if happened_on < asset.installed_on:
        raise ValidationError({"happened_on": _("This is before the asset was installed.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("A log entry cannot be dated in the future.")})
    log = MaintenanceLog(
        asset=asset,
        kind=kind,
        happened_on=happened_on,
        status_after=status_after or _STATUS_AFTER[MaintenanceLog.Kind(kind)],
        note=note,
        recorded_by=actor,
        reported_by_public=reported_by_public,
    )
    log.full_clean()
    log.save()
    latest = asset.logs.order_by("-happened_on", "-pk").first()
    if latest.status_after != asset.status:
        asset.status = latest.status_after
        asset.save(update_fields=["status", "updated_at"])
    return log
