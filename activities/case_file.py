"""The parts of a household's case file that need this app's models, and a registry filter.

households/ offers the registry (``households.case_file``) and never imports this app; this module
registers, when the app is ready (``ActivitiesConfig.ready``):

* "What the household received": receipts (distribution, date, quantity, value), grants and the
  assets serving it, each with its funders (the partners whose donations paid for it, through the
  allocations);
* the activities run in the household's village, and their photos;
* the registry's "received nothing this year" checkbox.

Each section runs a fixed number of queries whatever the household has received.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Allocation, Asset, Grant, Photo, Receipt
from activities.selectors import delivered as delivery
from households.case_file import register_list_filter, register_section
from households.models import Household
from outreach.scope import scoped

# The case file shows the latest activities and photos of the village, not years of them.
VILLAGE_ACTIVITIES_SHOWN = 10
VILLAGE_PHOTOS_SHOWN = 12


def _funders(*, receipts, grants, assets) -> dict[tuple[str, int], list[str]]:
    """Map ("distribution" | "grant" | "asset", id) to the names of the partners who paid."""
    distribution_ids = {receipt.distribution_id for receipt in receipts}
    grant_ids = [grant.pk for grant in grants]
    asset_ids = [asset.pk for asset in assets]
    if not (distribution_ids or grant_ids or asset_ids):
        return {}
    # Partner names only, never amounts; the rows they belong to are already in scope.
    rows = (
        Allocation.objects.filter(
            Q(distribution_id__in=distribution_ids)
            | Q(grant_id__in=grant_ids)
            | Q(asset_id__in=asset_ids)
        )
        .order_by("pk")
        .values_list("distribution_id", "grant_id", "asset_id", "donation__partner__name")
    )
    found: dict[tuple[str, int], list[str]] = {}
    for distribution_id, grant_id, asset_id, partner in rows:
        if distribution_id:
            key = ("distribution", distribution_id)
        elif grant_id:
            key = ("grant", grant_id)
        else:
            key = ("asset", asset_id)
        names = found.setdefault(key, [])
        if partner not in names:
            names.append(partner)
    return found


def received(*, household: Household, user) -> dict:
    """Gather everything ``household`` received: receipts, grants, assets, with their funders."""
    receipts = list(
        scoped(Receipt.objects.filter(household=household), user)
        .select_related("distribution", "village")
        .order_by("-distribution__distributed_on", "-pk")
    )
    grants = list(
        scoped(Grant.objects.filter(household=household), user)
        .annotate(paid_vnd=delivery.grant_paid())
        .select_related("village")
        .order_by("-approved_on", "-pk")
    )
    assets = list(
        scoped(Asset.objects.filter(household=household), user)
        .select_related("village")
        .order_by("-installed_on", "-pk")
    )
    funders = _funders(receipts=receipts, grants=grants, assets=assets)
    today = timezone.localdate()
    for receipt in receipts:
        receipt.funders = funders.get(("distribution", receipt.distribution_id), [])
    for grant in grants:
        grant.funders = funders.get(("grant", grant.pk), [])
    for asset in assets:
        asset.funders = funders.get(("asset", asset.pk), [])
    # What was delivered only (activities.selectors.delivered): confirmed receipts, what was
    # paid of the grants, assets installed.
    confirmed = sum(r.value_vnd for r in receipts if r.delivered)
    paid = sum(grant.paid_vnd for grant in grants)
    installed = sum(
        asset.value_vnd for asset in assets if delivery.asset_delivered(asset, today=today)
    )
    return {
        "receipts": receipts,
        "grants": grants,
        "assets": assets,
        "receipts_vnd": confirmed,
        "grants_vnd": paid,
        "assets_vnd": installed,
        "total_vnd": confirmed + paid + installed,
    }


def village_activities(*, household: Household, user) -> dict:
    """Gather the latest activities run in the household's village, and their photos."""
    activities = list(
        scoped(Activity.objects.filter(villages=household.village_id), user).order_by(
            "-starts_on", "-pk"
        )[:VILLAGE_ACTIVITIES_SHOWN]
    )
    photos = list(
        scoped(
            Photo.objects.filter(activity__villages=household.village_id).exclude(
                state=Photo.State.FAILED
            ),
            user,
        )
        .select_related("activity")
        .order_by("-pk")[:VILLAGE_PHOTOS_SHOWN]
    )
    return {"activities": activities, "photos": photos, "village": household.village}


def received_nothing_this_year(queryset: QuerySet, *, user) -> QuerySet:
    """Keep the households that received nothing this year: no confirmed receipt of a
    distribution this year, nothing paid of a grant approved this year, no asset installed for
    them this year (the same "served" as the reports')."""
    year = timezone.localdate().year
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    return queryset.filter(
        ~Exists(
            Receipt.objects.filter(
                household=OuterRef("pk"),
                confirmed_at__isnull=False,
                distribution__distributed_on__gte=start,
                distribution__distributed_on__lt=end,
            )
        ),
        ~Exists(
            delivery.paid_grants(Grant.objects.all()).filter(
                household=OuterRef("pk"), approved_on__gte=start, approved_on__lt=end
            )
        ),
        ~Exists(
            Asset.objects.filter(
                household=OuterRef("pk"), installed_on__gte=start, installed_on__lt=end
            )
        ),
    )


register_section(
    "received",
    order=40,
    template="households/sections/received.html",
    context=received,
    print_template="households/sections/received_print.html",
)
register_section(
    "village_activities",
    order=50,
    template="households/sections/village_activities.html",
    context=village_activities,
)
register_list_filter(
    "received_nothing",
    label=_("Received nothing this year"),
    apply=received_nothing_this_year,
)
