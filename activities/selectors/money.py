"""Reads of the money pages: donations with what is left of them, allocations, grants.

Every read starts from ``outreach.scope.scoped``. Totals per row are correlated subqueries
(``related_total``), evaluated for the rows of the page only: no query per row, no GROUP BY over
the whole allocation table.
"""

from django.db.models import BigIntegerField, ExpressionWrapper, F, QuerySet, Sum
from django.shortcuts import get_object_or_404

from activities.filters.money import DonationFilter, GrantFilter
from activities.models import (
    Allocation,
    Distribution,
    Grant,
    GrantPayment,
    allocation_net,
)
from core.queries import related_total
from households.models import Household
from outreach.access import OFFICE_READERS, Allowed, may
from outreach.models import Commune, Donation, Partnership
from outreach.scope import Role, scoped


def _allocated(link: str):
    # What allocations still hold: what a closed distribution returned may be allocated again.
    return related_total(Allocation.objects.all(), link, Sum(allocation_net()))


def _with_money_left(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(allocated_vnd=_allocated("donation")).annotate(
        remaining_vnd=ExpressionWrapper(
            F("value_vnd") - F("allocated_vnd"), output_field=BigIntegerField()
        )
    )


# --- Donations ---------------------------------------------------------------------------------


def donation_list(*, user, filters) -> DonationFilter:
    """Filter the donations ``user`` may read; ``.qs`` carries received, allocated, remaining.

    The filter set is returned (not only its rows) so that the page can show its form.
    """
    queryset = _with_money_left(
        scoped(Donation.objects.all(), user).select_related("partner", "partnership")
    ).order_by("-received_on", "-pk")
    return DonationFilter(filters or None, queryset=queryset, user=user)


def donation_get(*, user, pk: int) -> Donation:
    """Return one donation in ``user``'s scope with its allocated and remaining money (or 404)."""
    queryset = _with_money_left(
        scoped(Donation.objects.all(), user).select_related(
            "partner", "partnership", "partnership__commune", "created_by"
        )
    )
    return get_object_or_404(queryset, pk=pk)


def donation_detail(*, user, pk: int) -> tuple[Donation, Allowed]:
    """Return one donation (as ``donation_get``) and what ``user`` may do with it: office staff
    edit it and allocate it; auditors only read."""
    staff = may(user, Role.OFFICE_STAFF)
    return donation_get(user=user, pk=pk), Allowed(edit=staff, allocate=staff)


def donation_allocations(*, user, donation: Donation) -> QuerySet:
    """Return a donation's allocations with what each paid for, in the order they were made."""
    return (
        scoped(Allocation.objects.filter(donation=donation), user)
        .select_related(
            "distribution", "asset", "asset__village", "grant", "grant__household", "created_by"
        )
        .order_by("allocated_on", "pk")
    )


def allocation_get(*, user, pk: int) -> Allocation:
    """Return one allocation in ``user``'s scope (or 404)."""
    queryset = scoped(Allocation.objects.all(), user).select_related(
        "donation",
        "donation__partner",
        "distribution",
        "asset",
        "grant",
        "grant__household",
    )
    return get_object_or_404(queryset, pk=pk)


def distribution_choices(*, user, partnership: Partnership) -> QuerySet:
    """Return the distributions of a partnership that money may be allocated to."""
    return scoped(Distribution.objects.filter(partnership=partnership), user).order_by(
        "-distributed_on", "-pk"
    )


def grant_choices(*, user, partnership: Partnership) -> QuerySet:
    """Return the grants of a partnership that money may be allocated to."""
    return (
        scoped(Grant.objects.filter(partnership=partnership), user)
        .select_related("household")
        .order_by("-approved_on", "-pk")
    )


def donations_with_money_left(*, user, partnership: Partnership) -> QuerySet:
    """Return the partnership's donations that still have money to allocate, newest first."""
    return (
        _with_money_left(
            scoped(Donation.objects.filter(partnership=partnership), user).select_related("partner")
        )
        .filter(remaining_vnd__gt=0)
        .order_by("-received_on", "-pk")
    )


# --- Grants ------------------------------------------------------------------------------------


def _grants(user) -> QuerySet:
    queryset = scoped(Grant.objects.all(), user).select_related(
        "household", "village", "partnership", "activity"
    )
    queryset = queryset.annotate(
        paid_vnd=related_total(GrantPayment.objects.all(), "grant", Sum("amount_vnd"))
    )
    # The money trail is for office staff and auditors; cadres read the grant without it.
    if may(user, *OFFICE_READERS):
        queryset = queryset.annotate(funded_vnd=_allocated("grant"))
    return queryset


def grant_list(*, user, filters) -> GrantFilter:
    """Filter the grants ``user`` may read; staff and auditors also get each one's funding."""
    queryset = _grants(user).order_by("-approved_on", "-pk")
    return GrantFilter(filters or None, queryset=queryset, user=user)


def grant_get(*, user, pk: int) -> Grant:
    """Return one grant in ``user``'s scope (or 404)."""
    return get_object_or_404(_grants(user), pk=pk)


def grant_detail(*, user, pk: int) -> tuple[Grant, Allowed]:
    """Return one grant (as ``grant_get``) and what ``user`` may do with it: office staff edit,
    fund and pay it; staff and auditors read the money that funds it; cadres read the rest."""
    staff = may(user, Role.OFFICE_STAFF)
    return grant_get(user=user, pk=pk), Allowed(
        edit=staff, allocate=staff, pay=staff, see_money=may(user, *OFFICE_READERS)
    )


def grant_allocations(*, user, grant: Grant) -> QuerySet:
    """Return the allocations that fund a grant, with their donations' partners."""
    return (
        scoped(Allocation.objects.filter(grant=grant), user)
        .select_related("donation", "donation__partner")
        .order_by("allocated_on", "pk")
    )


def grant_payments(*, user, grant: Grant) -> QuerySet:
    """Return what was paid of a grant, oldest first, with who recorded it."""
    return (
        scoped(GrantPayment.objects.filter(grant=grant), user)
        .select_related("recorded_by")
        .order_by("paid_on", "pk")
    )


# --- Households by code ------------------------------------------------------------------------


def household_by_code(*, user, commune: Commune, code: str) -> Household | None:
    """Find the household of ``commune`` with this code, among those ``user`` may see.

    The exact code is looked up first (the (commune, code) unique index serves it); a second try
    ignores case, within the one commune.
    """
    code = (code or "").strip()
    if not code:
        return None
    households = scoped(Household.objects.filter(commune=commune), user).select_related(
        "village", "commune"
    )
    return (
        households.filter(code=code).first()
        or households.filter(code__iexact=code).order_by("pk").first()
    )
