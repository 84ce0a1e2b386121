"""Reads of the asset pages: the registry, an asset's log and funding, a village's assets."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from activities.filters.asset import AssetFilter
from activities.models import Allocation, Asset, MaintenanceLog
from core.codes import normalise_code
from outreach.access import OFFICE_READERS, WORKERS, Allowed, may
from outreach.models import Village
from outreach.scope import Role, scoped


def _assets(user) -> QuerySet:
    return scoped(Asset.objects.all(), user).select_related(
        "village", "village__commune", "partnership", "household"
    )


def asset_list(*, user, filters) -> AssetFilter:
    """Filter the assets ``user`` may see, by code, kind, village and status; ordered by code."""
    return AssetFilter(filters or None, queryset=_assets(user).order_by("code"), user=user)


def asset_get(*, user, pk: int) -> Asset:
    """Return one asset in ``user``'s scope (or 404)."""
    return get_object_or_404(_assets(user), pk=pk)


# What each role may add to an asset's log, on its page and from the field app: office staff
# every kind but the installation (recorded with the asset); a commune cadre, at the pole, a
# check or a fault (DESIGN.md: the cadre's field records).
_STAFF_LOG_KINDS = (
    MaintenanceLog.Kind.CHECK,
    MaintenanceLog.Kind.FAULT,
    MaintenanceLog.Kind.REPAIR,
    MaintenanceLog.Kind.REMOVAL,
)
_CADRE_LOG_KINDS = (MaintenanceLog.Kind.CHECK, MaintenanceLog.Kind.FAULT)


def log_kinds(user) -> tuple[MaintenanceLog.Kind, ...]:
    """Return the kinds of log entry ``user`` may add to an asset in their scope (none for
    the readers)."""
    if may(user, Role.OFFICE_STAFF):
        return _STAFF_LOG_KINDS
    if may(user, Role.COMMUNE_CADRE):
        return _CADRE_LOG_KINDS
    return ()


def asset_detail(*, user, pk: int) -> tuple[Asset, Allowed]:
    """Return one asset (as ``asset_get``) and what ``user`` may do with it: office staff and
    cadres add to its log (``log_kinds``); staff and cadres report a fault unless it was
    removed; staff and auditors read the money that paid for it."""
    asset = asset_get(user=user, pk=pk)
    return asset, Allowed(
        record=bool(log_kinds(user)),
        report_fault=asset.status != Asset.Status.REMOVED and may(user, *WORKERS),
        see_money=may(user, *OFFICE_READERS),
    )


def asset_by_code(*, user, code: str) -> Asset:
    """Return the asset whose label carries ``code`` (its short code), if in scope (or 404)."""
    return get_object_or_404(_assets(user), short_code=normalise_code(code))


def asset_logs(*, user, asset: Asset) -> QuerySet:
    """Return an asset's log, latest first, with who recorded each entry."""
    return (
        scoped(MaintenanceLog.objects.filter(asset=asset), user)
        .select_related("recorded_by")
        .order_by("-happened_on", "-pk")
    )


def asset_allocations(*, user, asset: Asset) -> QuerySet:
    """Return the allocations that paid for an asset (none for users who do not see money)."""
    return (
        scoped(Allocation.objects.filter(asset=asset), user)
        .select_related("donation", "donation__partner")
        .order_by("allocated_on", "pk")
    )


def village_get(*, user, pk: int) -> Village:
    """Return one village in ``user``'s scope, with its commune's address (or 404)."""
    queryset = scoped(Village.objects.all(), user).select_related(
        "commune", "commune__district", "commune__province"
    )
    return get_object_or_404(queryset, pk=pk)


def village_asset_summary(*, user, village: Village) -> list[dict]:
    """Count a village's assets by kind and state, in one grouped query.

    Returns one row per kind: ``{"kind", "label", "total", "states": [(label, status, n)]}``.
    """
    rows = (
        scoped(Asset.objects.filter(village=village), user)
        .order_by()
        .values("kind", "status")
        .annotate(count=Count("pk"))
    )
    kinds: dict[str, dict] = {}
    for row in rows:
        entry = kinds.setdefault(
            row["kind"],
            {"kind": row["kind"], "label": Asset.Kind(row["kind"]).label, "total": 0, "states": {}},
        )
        entry["total"] += row["count"]
        entry["states"][row["status"]] = row["count"]
    summary = []
    for kind in Asset.Kind:
        if kind.value not in kinds:
            continue
        entry = kinds[kind.value]
        entry["states"] = [
            (status.label, status.value, entry["states"][status.value])
            for status in Asset.Status
            if status.value in entry["states"]
        ]
        summary.append(entry)
    return summary


def village_assets(*, user, village: Village) -> QuerySet:
    """Return a village's assets, by kind then code."""
    return (
        scoped(Asset.objects.filter(village=village), user)
        .select_related("household")
        .order_by("kind", "code")
    )


def label_assets(*, user, village: Village) -> QuerySet:
    """Return the assets of a village whose labels are printed together, by code."""
    return (
        scoped(Asset.objects.filter(village=village), user)
        .select_related("village", "village__commune", "partnership")
        .order_by("code")
    )
