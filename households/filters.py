"""Filters of the household registry and of the review queue (django-filter).

Every condition is one the database answers from an index: the household's (village, poverty),
(commune, policy_family), (commune, in_difficulty), (commune, last_reviewed_on), the folded
search column (pg_trgm on PostgreSQL; for a user of a few communes, their rows through the
(commune, code) index), and EXISTS
subqueries on the members' (household, has_disability) index. Nothing is filtered in Python.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.queries import expects_at_most, folded_search
from households import case_file
from households.models import Concern, Household, Member, Poverty
from outreach.filters import VillageFilter
from outreach.scope import Role, communes_for, roles_of

# A household is due for its review once its last one is older than this.
REVIEW_INTERVAL = datetime.timedelta(days=365)
OPEN_CONCERN_STATUSES = (Concern.Status.OPEN, Concern.Status.IN_PROGRESS)
# The registry's choice for households no decision has classified yet (poverty blank).
NOT_DECIDED = "undecided"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# The registry's order, which the (commune, code) unique index follows.
ORDER = ("commune_id", "code")
# Up to this many expected matches, a search sorts its matches rather than walk the (commune,
# code) index (see household_search).
SEARCH_RARE_LIMIT = 5_000
# A user scoped to at most this many communes searches their communes' rows first.
SEARCH_COMMUNES_FIRST = 20


def review_due_before() -> datetime.date:
    """Return the date before which a last review makes a household due for a new one."""
    return timezone.localdate() - REVIEW_INTERVAL


def review_due_condition() -> Q:
    """Match households never reviewed or last reviewed more than a year ago."""
    return Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=review_due_before())


def household_search(queryset: QuerySet, term: str, *, communes_first: bool = False) -> QuerySet:
    """Narrow ``queryset`` to the households whose code or names contain ``term``, accents optional.

    The registry and the household export both search through this, so they find the same
    households. How PostgreSQL is steered, the rows being the same either way:

    - ``communes_first`` (a user scoped to a few communes): the communes' rows are read through
      the (commune, code) index and each folded text tested; no trigram index.
    - otherwise, a rare term (the planner expects at most ``SEARCH_RARE_LIMIT`` matches) is
      ordered by ``commune_id + 0``: the same order, but one the (commune, code) index cannot
      give, so the matches come from the trigram index and are sorted (asked for the first page
      in index order, PostgreSQL walks that index expecting a match soon, and for one household
      code reads 700,000 rows first). A common term walks the index and meets its matches soon.
      No id list is fetched and sent back as a big ``IN`` (once for the count, once for the
      page: 310 ms for 4,600 ids).
    """
    if communes_first:
        return folded_search(queryset, term, "search_text", indexed=False)
    found = folded_search(queryset, term, "search_text")
    if found is not queryset and expects_at_most(found, SEARCH_RARE_LIMIT):
        first, *rest = ORDER
        return found.order_by(F(first) + 0, *rest)
    return found


def searches_communes_first(user) -> bool:
    """Tell whether ``user``'s searches should read their communes' rows first: scoped to a few
    communes (administrators and auditors see the province)."""
    if roles_of(user) & {Role.ADMINISTRATOR, Role.AUDITOR}:
        return False
    return len(communes_for(user)) <= SEARCH_COMMUNES_FIRST


def has_open_concern() -> Exists:
    """Match households with a concern still open or in progress."""
    return Exists(
        Concern.objects.filter(household=OuterRef("pk"), status__in=OPEN_CONCERN_STATUSES)
    )


class CheckFilter(django_filters.Filter):
    """A checkbox: ticked, the filter's method narrows the list; unticked, nothing happens."""

    field_class = forms.BooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)


class _ScopedVillages:
    """Offer only the villages of the user's communes (set once the user is known)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["village"].scope_to(user)


class HouseholdFilter(_ScopedVillages, FilterSet):
    """The registry's search and filters; archived households are hidden unless asked for."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Code or name, accents optional")}
        ),
    )
    village = VillageFilter()
    poverty = django_filters.ChoiceFilter(
        label=_("Poverty classification"),
        choices=[*Poverty.choices, (NOT_DECIDED, _("Not decided yet"))],
        empty_label=_("Any classification"),
        method="by_poverty",
    )
    policy_family = django_filters.ChoiceFilter(
        label=_("Policy family"), choices=YES_NO, empty_label=_("Either"), method="by_flag"
    )
    in_difficulty = django_filters.ChoiceFilter(
        label=_("In difficulty"), choices=YES_NO, empty_label=_("Either"), method="by_flag"
    )
    disability = CheckFilter(label=_("Someone with a disability"), method="with_disability")
    review_due = CheckFilter(label=_("Not reviewed for 12 months"), method="due")
    archived = CheckFilter(label=_("Show archived households"), method="keep")

    class Meta:
        model = Household
        fields = ["q", "village", "poverty", "policy_family", "in_difficulty"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # Filters that other apps add (activities: received nothing this year).
        for extra in case_file.list_filters():
            added = CheckFilter(
                field_name=extra.name, label=extra.label, method=self._registered(extra)
            )
            added.model = self.queryset.model
            added.parent = self
            self.filters[extra.name] = added

    def _registered(self, extra: case_file.ListFilter):
        def narrow(queryset: QuerySet, name: str, value) -> QuerySet:
            return extra.apply(queryset, user=self.user) if value else queryset

        return narrow

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return household_search(queryset, value, communes_first=searches_communes_first(self.user))

    def by_poverty(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(poverty="" if value == NOT_DECIDED else value)

    def by_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{name: value == "yes"})

    def with_disability(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            Exists(Member.objects.filter(household=OuterRef("pk"), has_disability=True))
        )

    def due(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(review_due_condition()) if value else queryset

    def keep(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # Applied in filter_queryset, which also runs when the box is not ticked.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived=False)
        return queryset


class ReviewQueueFilter(_ScopedVillages, FilterSet):
    """Narrow the review queue to a village or to one reason for being in it."""

    REASONS = [
        ("due", _("Review due")),
        ("flagged", _("Review asked for")),
        ("concerns", _("Open concerns")),
    ]

    village = VillageFilter()
    reason = django_filters.ChoiceFilter(
        label=_("Why"), choices=REASONS, empty_label=_("Any reason"), method="by_reason"
    )

    class Meta:
        model = Household
        fields = ["village", "reason"]

    def by_reason(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        conditions = {
            "due": review_due_condition(),
            "flagged": Q(flagged_for_review=True),
            "concerns": has_open_concern(),
        }
        return queryset.filter(conditions[value])
