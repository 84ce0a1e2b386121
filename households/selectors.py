"""Reads of households, members, reviews and concerns, always cut to the user's scope.

Lists run a fixed number of queries whatever the number of rows (annotations are correlated
subqueries evaluated for the rows of the page only) and order by indexed columns.
"""

import difflib

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Aggregate, CharField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.paginator import CappedCountPaginator
from core.queries import related_total
from core.text import fold
from households.filters import (
    OPEN_CONCERN_STATUSES,
    ORDER,
    HouseholdFilter,
    ReviewQueueFilter,
    has_open_concern,
    review_due_condition,
)
from households.models import CampaignHousehold, Concern, Household, Member, Review
from outreach.access import WORKERS, Allowed, may
from outreach.models import RoleAssignment, Village
from outreach.scope import Role, scoped

# Head names at least this similar (difflib's ratio over the folded names) are likely the same.
DUPLICATE_RATIO = 0.85
PAGE_SIZE = 50


def _households(user) -> QuerySet:
    return scoped(Household.objects.all(), user)


def household_list(*, user, filters: QueryDict | None) -> HouseholdFilter:
    """Return the registry's filter set for ``user``: ``.qs`` is the filtered list, ``.form``
    the filters as the page shows them. Archived households are left out unless asked for."""
    queryset = _households(user).select_related("village").order_by(*ORDER)
    return HouseholdFilter(
        filters if filters is not None else QueryDict(), queryset=queryset, user=user
    )


def _page(queryset: QuerySet, number, **annotations) -> Page:
    """Cut one page of ``queryset``; ``annotations`` are computed for the page's rows only.

    The count is exact up to ``core.paginator.COUNT_CAP`` rows, or "more than" that; pages stop
    there (see ``CappedCountPaginator``). Counting must not evaluate a correlated subquery per
    row, so the rows are annotated after the page is cut.
    """
    page = CappedCountPaginator(queryset, PAGE_SIZE).get_page(number)
    if annotations:
        page.object_list = page.object_list.annotate(**annotations)
    return page


# Separators of the members' names and relations joined into one column (control characters no
# name holds).
_NAME_END, _MEMBER_END = "\x1f", "\x1e"
_RELATIONS = dict(Member.Relation.choices)


class _Joined(Aggregate):
    """Join a group's strings with a separator: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def __init__(self, expression, separator: str, **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def _other_members() -> Subquery:
    """Each household's members other than its head, as one string "name␟relation␞…"."""
    joined = (
        Member.objects.filter(household=OuterRef("pk"))
        .exclude(relation=Member.Relation.HEAD)
        .order_by()
        .values("household")
        .annotate(names=_Joined(Concat("full_name", Value(_NAME_END), "relation"), _MEMBER_END))
        .values("names")
    )
    return Subquery(joined, output_field=CharField())


def matched_members(household: Household, term: str) -> list[dict]:
    """Return the members (not the head) whose name holds the folded ``term``, each as
    ``{"name", "relation"}``; none when the household's code or head already hold it.

    The registry says which member a household was found by ("matches: Đàm Thị Anh, child").
    ``household.other_members`` is the annotation of ``household_page``.
    """
    wanted = fold(term)
    if not wanted or wanted in fold(f"{household.code} {household.head_name}"):
        return []
    found = []
    for member in filter(None, (household.other_members or "").split(_MEMBER_END)):
        name, _, relation = member.partition(_NAME_END)
        if wanted in fold(name):
            found.append({"name": name, "relation": _RELATIONS.get(relation, relation)})
    return found


def household_page(*, user, filters: QueryDict | None, number=None) -> tuple[HouseholdFilter, Page]:
    """Return the registry's filter set and its page ``number``; each row has ``member_count``
    and, when the search found it by a member's name, ``matched_members`` (see
    ``matched_members``) read in the same query."""
    filterset = household_list(user=user, filters=filters)
    members = related_total(Member.objects.all(), "household", Count("pk"))
    page = _page(filterset.qs, number, member_count=members)
    term = filterset.form.cleaned_data.get("q") if filterset.form.is_valid() else ""
    if term:
        page.object_list = list(page.object_list.annotate(other_members=_other_members()))
        for household in page.object_list:
            household.matched_members = matched_members(household, term)
    return filterset, page


def household_get(*, user, pk: int) -> Household:
    """Return the household ``pk`` if ``user`` may see it, else raise Http404."""
    return get_object_or_404(_households(user).select_related("village", "commune"), pk=pk)


def household_detail(*, user, pk: int) -> tuple[Household, Allowed]:
    """Return the household ``pk`` (as ``household_get``) and what ``user`` may do with it:
    office staff edit it; staff and cadres record reviews (not of an archived household) and
    concerns."""
    household = household_get(user=user, pk=pk)
    return household, Allowed(
        edit=may(user, Role.OFFICE_STAFF),
        review=may(user, *WORKERS) and not household.archived,
        record=may(user, *WORKERS),
    )


def member_get(*, user, pk: int) -> Member:
    """Return the member ``pk`` if ``user`` may see them, else raise Http404."""
    return get_object_or_404(
        scoped(Member.objects.select_related("household__village"), user), pk=pk
    )


def concern_get(*, user, pk: int) -> Concern:
    """Return the concern ``pk`` if ``user`` may see it, else raise Http404."""
    return get_object_or_404(
        scoped(
            Concern.objects.select_related("household__village", "handled_by", "recorded_by"),
            user,
        ),
        pk=pk,
    )


def household_members(*, user, household: Household) -> list[Member]:
    """Return the household's members, the head first."""
    members = list(scoped(Member.objects.filter(household=household), user).order_by("pk"))
    members.sort(key=lambda member: member.relation != Member.Relation.HEAD)
    return members


def household_policy_members(*, user, household: Household) -> list[Member]:
    """Return the members who make the household a policy family (none when it is not one)."""
    if not household.policy_family:
        return []
    return list(
        scoped(Member.objects.filter(household=household), user)
        .exclude(policy_category="")
        .order_by("pk")
    )


def household_reviews(*, user, household: Household) -> list[Review]:
    """Return the household's reviews, the latest first, with their reviewers."""
    return list(
        scoped(Review.objects.filter(household=household), user)
        .select_related("reviewer")
        .order_by("-reviewed_on", "-pk")
    )


def household_concerns(*, user, household: Household) -> list[Concern]:
    """Return what the family raised, the open ones first, then the latest first."""
    concerns = list(
        scoped(Concern.objects.filter(household=household), user)
        .select_related("handled_by", "recorded_by")
        .order_by("-raised_on", "-pk")
    )
    concerns.sort(key=lambda concern: concern.status == Concern.Status.RESOLVED)
    return concerns


def village_choices(*, user, keep_pk: int | None = None) -> QuerySet:
    """Return the villages ``user`` may register households in: in scope and still existing
    (and the village ``keep_pk``, where a household still is after its village merged)."""
    today = timezone.localdate()
    current = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    if keep_pk is not None:
        current |= Q(pk=keep_pk)
    return (
        scoped(Village.objects.select_related("commune"), user)
        .filter(current)
        .order_by("commune__name", "name", "pk")
    )


def duplicate_candidates(
    *, user, village: Village, head_name: str, exclude_pk: int | None = None
) -> list[Household]:
    """Return the households of ``village`` whose head is likely the same person.

    Same head name once folded ("Ma Đình Liệu" = "MA DINH LIEU"), or a very similar one
    (difflib's ratio ≥ 0.85: a typo, a missing tone mark, a middle name). The database hands over
    the village's households whose folded search text holds the typed head's family name or given
    name (served by the search column's index), however many the village has; only those are
    compared here. A name mistyped in both its family and its given name is not looked for.
    """
    wanted = fold(head_name)
    if not wanted:
        return []
    tokens = wanted.split()
    # Family name first, given name last: a typo rarely hits both.
    could_match = Q(search_text__contains=tokens[0]) | Q(search_text__contains=tokens[-1])
    rows = (
        _households(user)
        .filter(village=village)
        .filter(could_match)
        .only("pk", "code", "head_name", "archived", "village_id", "commune_id")
        .order_by("pk")
    )
    found = []
    matcher = difflib.SequenceMatcher(b=wanted, autojunk=False)
    for household in rows:
        if household.pk == exclude_pk:
            continue
        folded = fold(household.head_name)
        matcher.set_seq1(folded)
        if folded == wanted or matcher.ratio() >= DUPLICATE_RATIO:
            found.append(household)
    return found


def review_queue(*, user, filters: QueryDict | None) -> ReviewQueueFilter:
    """Return the filter set of the households waiting for a review in ``user``'s communes.

    A household is in the queue when its review is due (never reviewed, or not for a year), when
    someone asked for a review, or when the family has an open concern; archived households are
    not.
    """
    queryset = (
        _households(user)
        .filter(archived=False)
        .filter(review_due_condition() | Q(flagged_for_review=True) | Q(has_open_concern()))
        .select_related("village")
        .order_by(*ORDER)
    )
    return ReviewQueueFilter(
        filters if filters is not None else QueryDict(), queryset=queryset, user=user
    )


def review_queue_page(
    *, user, filters: QueryDict | None, number=None
) -> tuple[ReviewQueueFilter, Page]:
    """Return the review queue's filter set and its page ``number``; each row has
    ``open_concerns``."""
    filterset = review_queue(user=user, filters=filters)
    concerns = related_total(
        Concern.objects.filter(status__in=OPEN_CONCERN_STATUSES), "household", Count("pk")
    )
    # The household's entry in a review still open: its "Review" button leads there.
    open_entry = Subquery(
        CampaignHousehold.objects.filter(household=OuterRef("pk"), campaign__closed=False)
        .order_by("-campaign_id")
        .values("pk")[:1]
    )
    return filterset, _page(filterset.qs, number, open_concerns=concerns, open_entry=open_entry)


def concern_handlers(*, household: Household) -> QuerySet:
    """Return the people who may follow up a concern of ``household``: office staff of a
    partnership with its commune and cadres of its commune, with a role in force today."""
    today = timezone.localdate()
    Role = RoleAssignment.Role
    in_force = RoleAssignment.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    ).filter(
        Q(role=Role.OFFICE_STAFF, partnership__commune_id=household.commune_id)
        | Q(role=Role.COMMUNE_CADRE, commune_id=household.commune_id)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=in_force.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )
