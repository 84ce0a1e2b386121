"""Reads of the distribution pages: every one starts from ``outreach.scope.scoped``.

Lists carry their per-row figures as correlated subqueries (``related_total``), evaluated for the
rows of the page only, so a page costs the same few queries whatever the number of rows.
"""

import dataclasses
import datetime

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.shortcuts import get_object_or_404

from activities.filters.distribution import DistributionFilter, ReceiptFilter, VerificationFilter
from activities.models import (
    Allocation,
    Distribution,
    Receipt,
    Verification,
    VerificationRound,
    allocation_net,
)
from activities.selectors.delivered import DELIVERED_RECEIPT
from core.codes import normalise_code
from core.queries import folded_search, related_total
from households.models import Household, Member, Poverty, Status
from outreach.access import OFFICE_READERS, WORKERS, Allowed, may
from outreach.models import Donation, Partnership, Village
from outreach.scope import Role, scoped

# How many households the search of the manual add shows at most.
SEARCH_LIMIT = 20


def distribution_list(*, user, filters) -> DistributionFilter:
    """Return the filter set of the distributions ``user`` may see; its ``qs`` is the page's list.

    Each row carries its number of recipients, of confirmed receipts and the value listed.
    """
    receipts = Receipt.objects.all()
    queryset = (
        scoped(Distribution.objects.select_related("partnership"), user)
        .annotate(
            receipt_count=related_total(receipts, "distribution", Count("pk")),
            confirmed_count=related_total(
                receipts.filter(confirmed_at__isnull=False), "distribution", Count("pk")
            ),
            total_value_vnd=related_total(receipts, "distribution", Sum("value_vnd")),
        )
        .order_by("-distributed_on", "-pk")
    )
    return DistributionFilter(filters, queryset=queryset)


def distribution_get(*, user, pk: int) -> Distribution:
    """Return one distribution ``user`` may see, or raise 404 (missing and forbidden alike)."""
    queryset = scoped(
        Distribution.objects.select_related(
            "partnership", "partnership__commune", "activity", "created_by"
        ),
        user,
    )
    return get_object_or_404(queryset, pk=pk)


def distribution_allowed(*, user, distribution: Distribution) -> Allowed:
    """Return what ``user`` may do with ``distribution``: office staff edit and fund it while it
    is open and move it through its workflow; staff and cadres confirm receipts while it accepts
    confirmation; staff and auditors read its funding."""
    open_ = distribution.status != Distribution.Status.CLOSED
    staff = may(user, Role.OFFICE_STAFF)
    return Allowed(
        edit=staff and open_,
        manage=staff,
        allocate=staff and open_,
        confirm=distribution.accepts_confirmation and may(user, *WORKERS),
        see_money=may(user, *OFFICE_READERS),
    )


def distribution_detail(*, user, pk: int) -> tuple[Distribution, Allowed]:
    """Return one distribution ``user`` may see (or raise 404) and what they may do with it."""
    distribution = distribution_get(user=user, pk=pk)
    return distribution, distribution_allowed(user=user, distribution=distribution)


@dataclasses.dataclass(frozen=True)
class Figures:
    """What a distribution's receipts add up to."""

    receipts: int
    confirmed: int
    quantity: int
    value_vnd: int
    confirmed_value_vnd: int
    not_delivered: int = 0
    not_delivered_value_vnd: int = 0


def distribution_figures(*, distribution: Distribution) -> Figures:
    """Add up a distribution's receipts (one query): listed, confirmed (delivered), marked not
    delivered."""
    confirmed = DELIVERED_RECEIPT
    marked = ~Q(not_delivered_reason="")
    # Aggregates named apart from the model's fields (Django refuses "value_vnd" twice).
    totals = Receipt.objects.filter(distribution=distribution).aggregate(
        n_receipts=Count("pk"),
        n_confirmed=Count("pk", filter=confirmed),
        sum_quantity=Sum("quantity"),
        sum_value=Sum("value_vnd"),
        sum_confirmed_value=Sum("value_vnd", filter=confirmed),
        n_marked=Count("pk", filter=marked),
        sum_marked_value=Sum("value_vnd", filter=marked),
    )
    return Figures(
        receipts=totals["n_receipts"] or 0,
        confirmed=totals["n_confirmed"] or 0,
        quantity=totals["sum_quantity"] or 0,
        value_vnd=totals["sum_value"] or 0,
        confirmed_value_vnd=totals["sum_confirmed_value"] or 0,
        not_delivered=totals["n_marked"] or 0,
        not_delivered_value_vnd=totals["sum_marked_value"] or 0,
    )


def distribution_allocations(*, user, distribution: Distribution) -> list[Allocation]:
    """Return the allocations funding a distribution that ``user`` may see (none for cadres)."""
    return list(
        scoped(Allocation.objects.filter(distribution=distribution), user)
        .select_related("donation", "donation__partner", "created_by")
        .order_by("allocated_on", "pk")
    )


def donations_with_balance(*, user, distribution: Distribution) -> QuerySet:
    """Return the donations of the distribution's partnership that still have money to allocate.

    Each carries ``allocated_vnd`` and ``remaining_vnd``.
    """
    return (
        scoped(Donation.objects.filter(partnership_id=distribution.partnership_id), user)
        .select_related("partner")
        .annotate(
            allocated_vnd=related_total(Allocation.objects.all(), "donation", Sum(allocation_net()))
        )
        .annotate(
            remaining_vnd=ExpressionWrapper(
                F("value_vnd") - F("allocated_vnd"), output_field=BigIntegerField()
            )
        )
        .filter(remaining_vnd__gt=0)
        .order_by("-received_on", "-pk")
    )


def distribution_receipts(*, user, distribution: Distribution, filters) -> ReceiptFilter:
    """Return the filter set of a distribution's receipts (confirmed or not, by village)."""
    queryset = (
        scoped(Receipt.objects.filter(distribution=distribution), user)
        .select_related("household", "village", "confirmed_by")
        .order_by("distribution_id", "household_id")
    )
    return ReceiptFilter(
        filters, queryset=queryset, villages=commune_villages(distribution=distribution)
    )


def sheet_receipts(*, user, distribution: Distribution, village: Village | None = None) -> QuerySet:
    """Return the lines of a distribution's sign-off sheet, optionally of one village."""
    queryset = scoped(Receipt.objects.filter(distribution=distribution), user)
    if village is not None:
        queryset = queryset.filter(village=village)
    return queryset.select_related("household", "village").order_by(
        "distribution_id", "household_id"
    )


def unconfirmed_receipts(*, user, distribution: Distribution) -> QuerySet:
    """Return the receipts of a distribution still waiting for confirmation."""
    return sheet_receipts(user=user, distribution=distribution).filter(confirmed_at__isnull=True)


def unresolved_receipts(*, user, distribution: Distribution) -> QuerySet:
    """Return the receipts neither confirmed nor marked not delivered: closing waits for them."""
    return unconfirmed_receipts(user=user, distribution=distribution).filter(
        not_delivered_reason=""
    )


def commune_villages(*, distribution: Distribution) -> QuerySet:
    """Return the villages of the distribution's commune."""
    return Village.objects.filter(commune_id=distribution.partnership.commune_id).order_by("name")


def partnership_choices(*, user) -> QuerySet:
    """Return the partnerships ``user`` may create distributions for."""
    return scoped(Partnership.objects.select_related("commune"), user).order_by("name", "pk")


def receipt_get(*, user, code: str) -> Receipt:
    """Return the receipt with this short code that ``user`` may see, or raise 404."""
    queryset = scoped(
        Receipt.objects.select_related(
            "distribution",
            "distribution__partnership",
            "household",
            "village",
            "confirmed_by",
        ),
        user,
    )
    return get_object_or_404(queryset, short_code=normalise_code(code))


def receipt_detail(*, user, code: str) -> tuple[Receipt, Allowed]:
    """Return the receipt with this short code (as ``receipt_get``) and what ``user`` may do
    with it: staff and cadres confirm it while unconfirmed and its distribution accepts
    confirmation, and keep a signature photo until it closes; office staff take an unconfirmed
    receipt off an open distribution."""
    receipt = receipt_get(user=user, code=code)
    open_ = receipt.distribution.status != Distribution.Status.CLOSED
    unconfirmed = not receipt.confirmed_at
    return receipt, Allowed(
        confirm=unconfirmed and receipt.distribution.accepts_confirmation and may(user, *WORKERS),
        sign=open_ and may(user, *WORKERS),
        remove=unconfirmed and open_ and may(user, Role.OFFICE_STAFF),
    )


def receipt_verifications(*, receipt: Receipt) -> list[Verification]:
    """Return the visits that re-checked a receipt, newest round first."""
    return list(
        receipt.verifications.select_related("round", "verified_by").order_by("-round__created_at")
    )


# --- Choosing recipients -----------------------------------------------------------------------


# What each value of ``Criteria.statuses`` matches. The values are those of the single status
# households had before their three facts were separated (POVERTY-REVIEW.md), so a link or a
# form saved with "policy" or "difficulty" still chooses the same families.
STATUS_CONDITIONS = {
    Poverty.POOR: Q(poverty=Poverty.POOR),
    Poverty.NEAR_POOR: Q(poverty=Poverty.NEAR_POOR),
    Poverty.AVERAGE: Q(poverty=Poverty.AVERAGE),
    Status.POLICY: Q(policy_family=True),
    Status.DIFFICULTY: Q(in_difficulty=True),
}


def status_condition(statuses) -> Q:
    """Match the households with any of ``statuses`` (keys of ``STATUS_CONDITIONS``)."""
    condition = Q()
    for status in statuses:
        condition |= STATUS_CONDITIONS[status]
    return condition


@dataclasses.dataclass(frozen=True)
class Criteria:
    """Who a distribution is for: any of the statuses (``STATUS_CONDITIONS``: a poverty
    classification, policy family, in difficulty) and villages given (all when empty), with any
    of the vulnerabilities ticked, optionally only those given nothing this year."""

    statuses: list[str] = dataclasses.field(default_factory=list)
    villages: list[Village] = dataclasses.field(default_factory=list)
    disability: bool = False
    poor_housing: bool = False
    nothing_this_year: bool = False


def recipient_matches(*, user, distribution: Distribution, criteria: Criteria) -> QuerySet:
    """Return the households matching ``criteria``, listed already or not.

    Only households of the partnership's commune that are not archived qualify. "This year" is
    the distribution's year.
    """
    households = scoped(
        Household.objects.filter(commune_id=distribution.partnership.commune_id, archived=False),
        user,
    )
    if criteria.statuses:
        households = households.filter(status_condition(criteria.statuses))
    if criteria.villages:
        households = households.filter(village__in=criteria.villages)
    vulnerable = Q()
    if criteria.disability:
        vulnerable |= Q(
            Exists(Member.objects.filter(household=OuterRef("pk"), has_disability=True))
        )
    if criteria.poor_housing:
        vulnerable |= Q(
            housing_condition__in=[Household.Housing.DILAPIDATED, Household.Housing.MAKESHIFT]
        )
    if vulnerable:
        households = households.filter(vulnerable)
    if criteria.nothing_this_year:
        year = distribution.distributed_on.year
        households = households.exclude(
            Exists(
                Receipt.objects.filter(
                    household=OuterRef("pk"),
                    distribution__distributed_on__gte=datetime.date(year, 1, 1),
                    distribution__distributed_on__lt=datetime.date(year + 1, 1, 1),
                ).exclude(distribution=distribution)
            )
        )
    return households.select_related("village").order_by("commune_id", "code")


def recipient_candidates(
    *, user, distribution: Distribution, criteria: Criteria
) -> tuple[QuerySet, QuerySet]:
    """Return the households matching ``criteria``: those to add, and those already listed."""
    households = recipient_matches(user=user, distribution=distribution, criteria=criteria)
    listed = Exists(Receipt.objects.filter(distribution=distribution, household=OuterRef("pk")))
    return households.exclude(listed), households.filter(listed)


def household_search(*, user, distribution: Distribution, term: str) -> list[Household]:
    """Find households of the distribution's commune by code or name (accents do not matter).

    Each carries ``listed``: whether it is already a recipient of the distribution.
    """
    if not term.strip():
        return []
    households = scoped(
        Household.objects.filter(commune_id=distribution.partnership.commune_id, archived=False),
        user,
    )
    found = folded_search(households, term, "search_text")
    return list(
        found.select_related("village")
        .annotate(
            listed=Exists(
                Receipt.objects.filter(distribution=distribution, household=OuterRef("pk"))
            )
        )
        .order_by("commune_id", "code")[:SEARCH_LIMIT]
    )


def household_get(*, user, distribution: Distribution, pk) -> Household:
    """Return a household of the distribution's commune that ``user`` may see, or raise 404."""
    households = scoped(
        Household.objects.filter(commune_id=distribution.partnership.commune_id), user
    )
    return get_object_or_404(households, pk=pk)


# --- Verification rounds -----------------------------------------------------------------------


def _with_round_figures(queryset: QuerySet) -> QuerySet:
    outcome = Verification.Outcome
    return queryset.annotate(
        sampled=Count("verifications"),
        checked=Count("verifications", filter=~Q(verifications__outcome=outcome.PENDING)),
        received=Count("verifications", filter=Q(verifications__outcome=outcome.RECEIVED)),
        not_received=Count("verifications", filter=Q(verifications__outcome=outcome.NOT_RECEIVED)),
        problems=Count("verifications", filter=Q(verifications__outcome=outcome.PROBLEM)),
    )


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _add_shares(verification_round: VerificationRound) -> VerificationRound:
    verification_round.checked_percent = _percent(
        verification_round.checked, verification_round.sampled
    )
    verification_round.received_percent = _percent(
        verification_round.received, verification_round.checked
    )
    return verification_round


def verification_rounds(*, user, distribution: Distribution) -> list[VerificationRound]:
    """Return a distribution's verification rounds with their figures and shares.

    Each round carries ``sampled``, ``checked``, ``received``, ``not_received``, ``problems``,
    ``checked_percent`` (checked / sampled) and ``received_percent`` (received / checked).
    """
    rounds = _with_round_figures(
        scoped(VerificationRound.objects.filter(distribution=distribution), user)
        .select_related("started_by")
        .order_by("-created_at", "-pk")
    )
    return [_add_shares(verification_round) for verification_round in rounds]


def verification_round_get(*, user, pk: int) -> VerificationRound:
    """Return one verification round (with its figures) ``user`` may see, or raise 404."""
    queryset = _with_round_figures(
        scoped(
            VerificationRound.objects.select_related(
                "distribution", "distribution__partnership", "started_by"
            ),
            user,
        )
    )
    return _add_shares(get_object_or_404(queryset, pk=pk))


def verification_round_detail(*, user, pk: int) -> tuple[VerificationRound, Allowed]:
    """Return one verification round (as ``verification_round_get``) and what ``user`` may do
    with it: staff and cadres record the visits."""
    verification_round = verification_round_get(user=user, pk=pk)
    return verification_round, Allowed(record=may(user, *WORKERS))


def verification_list(
    *, user, verification_round: VerificationRound, filters
) -> VerificationFilter:
    """Return the filter set of a round's sampled receipts (by outcome)."""
    queryset = (
        scoped(Verification.objects.filter(round=verification_round), user)
        .select_related("receipt", "receipt__household", "receipt__village", "verified_by")
        .order_by("round_id", "receipt_id")
    )
    return VerificationFilter(filters, queryset=queryset)


def verification_get(*, user, pk: int) -> Verification:
    """Return one sampled receipt of a round ``user`` may see, or raise 404."""
    queryset = scoped(
        Verification.objects.select_related(
            "round",
            "round__distribution",
            "receipt",
            "receipt__household",
            "receipt__village",
            "verified_by",
        ),
        user,
    )
    return get_object_or_404(queryset, pk=pk)
