"""Reads for the review's named lists (for the commune only) and for the donors' counts.

The named lists (poor, near-poor, average living standard, left poverty, fell into poverty)
name households: office staff and cadres of the commune, auditors and administrators read them;
donors and shared links never (404, as anything outside a scope). Donors read the year's counts
of their partnership's communes, any count from 1 to 4 shown as "< 5".
"""

import dataclasses

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q
from django.http import Http404
from django.utils.translation import gettext as _

from households.models import Decision, Poverty
from outreach.access import RECORD_READERS, may
from outreach.models import Commune, Donation, Partner, Partnership
from outreach.scope import scoped
from reports.selectors.donor import household_count_label
from reports.selectors.review_tables import (
    FELL_INTO_POVERTY,
    LEFT_POVERTY,
    Figures,
    Summary,
    _latest_reviews,
    _summarise,
    _year_decisions,
)


@dataclasses.dataclass
class NamedList:
    key: str
    title: str
    # (household code, head of household, village), by village and code.
    rows: list[tuple[str, str, str]]


def review_named_lists(*, user, commune: Commune, year: int) -> list[NamedList]:
    """Return the year's named lists of ``commune`` (two queries: the decisions, the reviews).

    Refused (404) to anyone but those who read households' records in the commune: a donor, or a
    shared link, never reaches a name.
    """
    if not may(user, *RECORD_READERS) or not scoped(Commune.objects.filter(pk=commune.pk), user):
        raise Http404(_("No such commune in your scope."))
    decisions = _year_decisions(
        Decision.objects.filter(campaign__commune=commune, campaign__year=year)
    )
    lists = {
        "poor": NamedList("poor", _("Poor households"), []),
        "near_poor": NamedList("near_poor", _("Near-poor households"), []),
        "average": NamedList("average", _("Households of average living standard"), []),
        "left_poverty": NamedList("left_poverty", _("Households that left poverty"), []),
        "fell_into_poverty": NamedList(
            "fell_into_poverty", _("Households that fell into poverty"), []
        ),
    }
    if not decisions:
        return list(lists.values())
    rows = (
        _latest_reviews(decisions)
        .filter(
            Q(classification__in=[Poverty.POOR, Poverty.NEAR_POOR, Poverty.AVERAGE]) | LEFT_POVERTY
        )
        .annotate(
            left=ExpressionWrapper(LEFT_POVERTY, output_field=BooleanField()),
            fell=ExpressionWrapper(FELL_INTO_POVERTY, output_field=BooleanField()),
        )
        .values_list(
            "household__code",
            "household__head_name",
            "entry__village__name",
            "classification",
            "left",
            "fell",
        )
        .order_by("entry__village__name", "household__code")
    )
    for code, head, village, classification, left, fell in rows:
        line = (code, head, village)
        if classification in lists:
            lists[classification].rows.append(line)
        if left:
            lists["left_poverty"].rows.append(line)
        if fell:
            lists["fell_into_poverty"].rows.append(line)
    return list(lists.values())


@dataclasses.dataclass
class DonorReviewRow:
    commune: str
    # Each count of ``Figures.COUNTS`` and the households, as donors may see it ("< 5").
    shown: dict


@dataclasses.dataclass
class DonorReview:
    year: int
    standards: list[tuple[str, str, str]]
    rows: list[DonorReviewRow]

    @property
    def standard_label(self) -> str:
        return "; ".join(f"{code} ({decree})" for code, _name, decree in self.standards) or "—"


def _shown(figures: Figures) -> dict:
    names = ("households", *Figures.COUNTS)
    return {name: household_count_label(getattr(figures, name)) for name in names}


def donor_review_counts(*, user, partner: Partner) -> DonorReview | None:
    """Return the latest decided year's counts for the communes of ``partner``'s partnerships
    (those whose donations ``user`` may read), a row per commune, small counts as "< 5".

    Counts only, never a name or a household code. Four queries (one where nothing was decided).
    """
    donations = scoped(Donation.objects.filter(partner=partner), user)
    partnerships = Partnership.objects.filter(pk__in=donations.values("partnership_id"))
    communes = partnerships.values("commune_id")
    year = Decision.objects.filter(campaign__commune__in=communes).aggregate(
        year=Max("campaign__year")
    )["year"]
    if year is None:
        return None
    decisions = _year_decisions(
        Decision.objects.filter(campaign__commune__in=communes, campaign__year=year)
    )
    places = (
        Commune.objects.filter(pk__in=communes)
        .annotate(n=Count("households", filter=Q(households__archived=False)))
        .order_by("name", "pk")
        .values_list("pk", "name", "n")
    )
    summary: Summary = _summarise(
        decisions=decisions,
        group="entry__campaign__commune_id",
        places=list(places),
        breakdowns=False,
        year=year,
        place="",
    )
    return DonorReview(
        year=year,
        standards=summary.standards,
        rows=[DonorReviewRow(commune=g.name, shown=_shown(g.figures)) for g in summary.groups],
    )
