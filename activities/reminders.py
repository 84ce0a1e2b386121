"""Asset reminders for office staff and the weekly digest for donors.

- Assets not inspected for six months (no installation, check or repair logged since), or
  reported faulty fourteen days ago and not repaired: a list for the partnership's office staff,
  at most once per person per day.
- Each donor user gets, once per ISO week, what their partner's money did in the week before:
  allocations, receipts confirmed, assets installed, grants — counts and amounts only, never a
  name — and nothing when nothing happened.

The record of what was sent (``core.Reminder``) makes a second run of a job send nothing.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, DateField, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from activities.models import Allocation, Asset, Grant, GrantPayment, MaintenanceLog, Receipt
from activities.selectors import delivered as delivery
from core import notices
from households.reminders import in_force, send_once
from outreach.models import RoleAssignment

ASSETS_DUE = "assets_due"
DONOR_DIGEST = "donor_digest"
INSPECTION_INTERVAL = datetime.timedelta(days=183)
FAULT_WAIT = datetime.timedelta(days=14)
LISTED = 200


def assets_due(*, partnership_ids, today: datetime.date):
    """Return the assets of these partnerships due for an inspection or waiting for a repair,
    each with ``last_checked`` and ``faulty_since``."""
    seen = [MaintenanceLog.Kind.INSTALLATION, MaintenanceLog.Kind.CHECK, MaintenanceLog.Kind.REPAIR]
    return (
        Asset.objects.filter(partnership_id__in=partnership_ids)
        .exclude(status=Asset.Status.REMOVED)
        .annotate(
            last_checked=Coalesce(
                Max("logs__happened_on", filter=Q(logs__kind__in=seen)),
                "installed_on",
                output_field=DateField(),
            ),
            faulty_since=Max("logs__happened_on", filter=Q(logs__kind=MaintenanceLog.Kind.FAULT)),
        )
        .filter(
            Q(last_checked__lt=today - INSPECTION_INTERVAL)
            | Q(status=Asset.Status.FAULTY, faulty_since__lte=today - FAULT_WAIT)
        )
        .select_related("village", "partnership")
        .order_by("partnership_id", "village__name", "code")
    )


def assets_due_remind(*, today: datetime.date | None = None) -> dict:
    """E-mail each office staff member the assets of their partnerships that need a visit."""
    today = today or timezone.localdate()
    staff = RoleAssignment.objects.filter(
        in_force(today), role=RoleAssignment.Role.OFFICE_STAFF, partnership__isnull=False
    ).values_list("user_id", "partnership_id")
    partnerships_of: dict[int, set[int]] = {}
    for user_id, partnership_id in staff:
        partnerships_of.setdefault(user_id, set()).add(partnership_id)
    users = get_user_model().objects.filter(pk__in=partnerships_of, is_active=True)
    sent = 0
    assets_url = settings.SITE_URL + reverse("activities:asset-list")
    for user in notices.reachable(users).order_by("pk"):
        due = assets_due(partnership_ids=partnerships_of[user.pk], today=today)
        total = due.count()
        if not total:
            continue
        assets = list(due[:LISTED])
        for asset in assets:
            asset.is_waiting_repair = asset.status == Asset.Status.FAULTY and (
                asset.faulty_since is not None and asset.faulty_since <= today - FAULT_WAIT
            )
        sent += send_once(
            kind=ASSETS_DUE,
            recipient=user,
            period=today.isoformat(),
            summary={"assets": total},
            template="email/assets_due",
            context={
                "user": user,
                "assets": assets,
                "total": total,
                "assets_url": assets_url,
                "today": today,
            },
            data={"count": total, "date": today.strftime("%d/%m/%Y")},
            link=assets_url,
        )
    return {"sent": sent}


def week_before(today: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """Return the Monday and Sunday of the ISO week before ``today``'s, and its name."""
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    sunday = monday + datetime.timedelta(days=6)
    year, week, _day = monday.isocalendar()
    return monday, sunday, f"{year}-W{week:02d}"


def donor_week(*, partner_id: int, monday: datetime.date, sunday: datetime.date) -> dict:
    """Return what a partner's donations did in a week, in figures only (no names)."""
    allocations = Allocation.objects.filter(
        donation__partner_id=partner_id, allocated_on__range=(monday, sunday)
    ).aggregate(count=Count("pk"), total=Coalesce(Sum("amount_vnd"), 0))
    funded = Allocation.objects.filter(donation__partner_id=partner_id)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        sunday + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    # Delivered means confirmed (activities.selectors.delivered): the receipts confirmed in the
    # week, the grant payments made in it, and what the partner's money delivered so far.
    receipts = (
        delivery.delivered_receipts(Receipt.objects.all())
        .filter(
            confirmed_at__gte=start,
            confirmed_at__lt=end,
            distribution_id__in=funded.filter(distribution__isnull=False).values("distribution_id"),
        )
        .aggregate(
            count=Count("pk"),
            households=Count("household_id", distinct=True),
            villages=Count("village_id", distinct=True),
            total=Coalesce(Sum("value_vnd"), 0),
        )
    )
    assets = Asset.objects.filter(
        installed_on__range=(monday, sunday),
        pk__in=funded.filter(asset__isnull=False).values("asset_id"),
    ).aggregate(count=Count("pk"), villages=Count("village_id", distinct=True))
    grant_ids = funded.filter(grant__isnull=False).values("grant_id")
    payments = GrantPayment.objects.filter(
        paid_on__range=(monday, sunday), grant_id__in=grant_ids
    ).aggregate(count=Count("pk"), total=Coalesce(Sum("amount_vnd"), 0))
    grants = {
        "approved": Grant.objects.filter(
            approved_on__range=(monday, sunday), pk__in=grant_ids
        ).count(),
        "completed": Grant.objects.filter(
            completed_on__range=(monday, sunday), pk__in=grant_ids
        ).count(),
    }
    return {
        "allocations": allocations,
        "receipts": receipts,
        "assets": assets,
        "grants": grants,
        "payments": payments,
        "happened": bool(
            allocations["count"]
            or receipts["count"]
            or payments["count"]
            or assets["count"]
            or grants["approved"]
            or grants["completed"]
        ),
    }


def donor_digest_send(*, today: datetime.date | None = None) -> dict:
    """E-mail each donor user what their partner's money did in the week before this one,
    once per week, and only if something happened."""
    today = today or timezone.localdate()
    monday, sunday, period = week_before(today)
    donors = RoleAssignment.objects.filter(
        in_force(today), role=RoleAssignment.Role.DONOR, partner__isnull=False
    ).select_related("user", "partner")
    report_url = settings.SITE_URL + reverse("reports:donor-report")
    reachable = set(
        notices.reachable(
            get_user_model().objects.filter(pk__in=donors.values("user_id"), is_active=True)
        ).values_list("pk", flat=True)
    )
    weeks: dict[int, dict] = {}
    sent = 0
    for assignment in donors.order_by("user_id", "partner_id"):
        user = assignment.user
        if user.pk not in reachable:
            continue
        if assignment.partner_id not in weeks:
            weeks[assignment.partner_id] = donor_week(
                partner_id=assignment.partner_id, monday=monday, sunday=sunday
            )
        week = weeks[assignment.partner_id]
        if not week["happened"]:
            continue
        if "to_date" not in week:
            # What the partner's money delivered so far, read once per partner that is written to.
            week["to_date"] = delivery.totals(
                delivery.allocation_shares(
                    Allocation.objects.filter(donation__partner_id=assignment.partner_id)
                ).values()
            )
        sent += send_once(
            kind=DONOR_DIGEST,
            recipient=user,
            period=period,
            summary={
                "partner": assignment.partner_id,
                "allocated_vnd": week["allocations"]["total"],
                "receipts": week["receipts"]["count"],
            },
            template="email/donor_digest",
            context={
                "user": user,
                "partner": assignment.partner,
                "week": week,
                "monday": monday,
                "sunday": sunday,
                "report_url": report_url,
            },
            data={
                "partner": assignment.partner.name,
                "week": f"{monday:%d/%m}–{sunday:%d/%m/%Y}",
                "allocated_vnd": week["allocations"]["total"],
                "receipts": week["receipts"]["count"],
            },
            link=report_url,
        )
    return {"sent": sent, "period": period}
