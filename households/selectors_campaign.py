"""Reads of the review campaigns, always cut to the user's scope (outreach.scope).

The campaign's page runs a fixed number of queries whatever the number of households: the list
is shown one village at a time, a page of it at a time, and the counts by village and step are
one grouped query.
"""

import dataclasses

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.paginator import CappedCountPaginator
from core.queries import related_total
from households.models import (
    CampaignHousehold,
    Complaint,
    Decision,
    Household,
    MeetingVote,
    Posting,
    Poverty,
    Review,
    ReviewCampaign,
    VillageMeeting,
)
from households.services.campaign import decision_blockers
from outreach.access import WORKERS, Allowed, may
from outreach.models import Commune, Village
from outreach.scope import scoped, writable

PAGE_SIZE = 100
State = CampaignHousehold.State


def campaign_list(*, user, commune: int | None = None, year: int | None = None) -> QuerySet:
    """Return the review campaigns of ``user``'s communes (of one commune, one year, if given),
    the latest first."""
    rows = scoped(ReviewCampaign.objects.all(), user).select_related("commune", "standard")
    if commune:
        rows = rows.filter(commune_id=commune)
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "commune__name", "-pk")


def campaign_page(*, user, commune=None, year=None, number=None) -> Page:
    """Return page ``number`` of ``campaign_list``, each campaign with ``households`` (how many
    are listed), counted for the page's campaigns only: a JOIN with GROUP BY would count the
    entries of every campaign of a province before the page is cut."""
    page = CappedCountPaginator(
        campaign_list(user=user, commune=commune, year=year), PAGE_SIZE
    ).get_page(number)
    page.object_list = page.object_list.annotate(
        households=related_total(CampaignHousehold.objects.all(), "campaign", Count("pk"))
    )
    return page


def campaign_communes(*, user) -> QuerySet:
    """Return the communes where ``user`` may open a review (their own, as staff or cadre)."""
    if not may(user, *WORKERS):
        return Commune.objects.none()
    return writable(Commune.objects.all(), user).order_by("name")


def campaign_get(*, user, pk: int) -> ReviewCampaign:
    """Return the campaign ``pk`` if ``user`` may see it, else raise Http404."""
    return get_object_or_404(
        scoped(ReviewCampaign.objects.all(), user).select_related("commune", "standard"), pk=pk
    )


def campaign_allowed(*, user, campaign: ReviewCampaign) -> Allowed:
    """Say what ``user`` may do with ``campaign``: staff and cadres move an open one on."""
    return Allowed(manage=may(user, *WORKERS) and not campaign.closed)


@dataclasses.dataclass
class VillageRow:
    village: Village
    total: int = 0
    by_state: dict = dataclasses.field(default_factory=dict)


def campaign_villages(*, campaign: ReviewCampaign) -> list[VillageRow]:
    """Return the villages with households on the list, with how many are at each step."""
    rows: dict[int, VillageRow] = {}
    counts = (
        CampaignHousehold.objects.filter(campaign=campaign)
        .order_by()
        .values("village_id", "village__name", "state")
        .annotate(n=Count("pk"))
    )
    for row in counts:
        village = rows.setdefault(
            row["village_id"],
            VillageRow(village=Village(pk=row["village_id"], name=row["village__name"])),
        )
        village.total += row["n"]
        village.by_state[row["state"]] = row["n"]
    return sorted(rows.values(), key=lambda row: row.village.name)


def campaign_entries(*, campaign: ReviewCampaign, village: int | None, number=None) -> Page:
    """Return page ``number`` of the households listed in ``village``, by household code."""
    rows = (
        CampaignHousehold.objects.filter(campaign=campaign)
        .select_related("household")
        .order_by("household__code", "pk")
    )
    if village:
        rows = rows.filter(village_id=village)
    return CappedCountPaginator(rows, PAGE_SIZE).get_page(number)


def campaign_steps(*, campaign: ReviewCampaign) -> dict:
    """Return the campaign's meetings, postings, complaints and decision (small lists)."""
    try:
        decision = campaign.decision
    except Decision.DoesNotExist:
        decision = None
    return {
        "meetings": list(
            VillageMeeting.objects.filter(campaign=campaign)
            .select_related("village")
            .annotate(read_out=Count("votes"), carried=Count("votes", filter=Q(votes__agreed=True)))
            .order_by("held_on", "pk")
        ),
        "postings": list(
            Posting.objects.filter(campaign=campaign)
            .select_related("village")
            .order_by("posted_from", "pk")
        ),
        "complaints": list(
            Complaint.objects.filter(campaign=campaign)
            .select_related("entry__household")
            .order_by("received_on", "pk")
        ),
        "decision": decision,
        "blockers": [] if campaign.closed else decision_blockers(campaign),
    }


def meeting_choices(*, campaign: ReviewCampaign, village: Village) -> list[CampaignHousehold]:
    """Return the surveyed households of ``village`` that a meeting can read out."""
    return list(
        CampaignHousehold.objects.filter(campaign=campaign, village=village, state=State.SURVEYED)
        .select_related("household")
        .order_by("household__code", "pk")
    )


def campaign_village_choices(*, campaign: ReviewCampaign) -> QuerySet:
    """Return the villages of the campaign's commune."""
    return Village.objects.filter(commune_id=campaign.commune_id).order_by("name", "pk")


def campaign_household(*, campaign: ReviewCampaign, code: str) -> Household | None:
    """Return the household of the campaign's commune with this code, if there is one."""
    return (
        Household.objects.filter(commune_id=campaign.commune_id, code=(code or "").strip())
        .select_related("village")
        .first()
    )


def campaign_entry_by_code(*, campaign: ReviewCampaign, code: str) -> CampaignHousehold | None:
    """Return the campaign's entry of the household with this code, if it is on the list."""
    return (
        CampaignHousehold.objects.filter(campaign=campaign, household__code=(code or "").strip())
        .select_related("household")
        .first()
    )


def meeting_get(*, user, pk: int) -> tuple[VillageMeeting, list[MeetingVote]]:
    """Return the meeting ``pk`` (404 outside ``user``'s scope) and its votes."""
    meeting = get_object_or_404(
        scoped(VillageMeeting.objects.all(), user).select_related("village", "campaign__commune"),
        pk=pk,
    )
    votes = list(
        meeting.votes.select_related("entry__household").order_by("entry__household__code", "pk")
    )
    return meeting, votes


def complaint_get(*, user, pk: int) -> Complaint:
    """Return the complaint ``pk`` if ``user`` may see it, else raise Http404."""
    return get_object_or_404(
        scoped(Complaint.objects.all(), user).select_related(
            "campaign__commune", "entry__household"
        ),
        pk=pk,
    )


def certificate_get(*, user, pk: int) -> Review:
    """Return the decided review ``pk`` (with its household, decision and standard) for its
    certificate; a review without a decision, or outside ``user``'s scope, is 404."""
    return get_object_or_404(
        scoped(Review.objects.filter(decision__isnull=False), user).select_related(
            "household__village", "household__commune", "decision", "standard"
        ),
        pk=pk,
    )


# The lists a decision recognises (POVERTY-REVIEW.md step 6): a condition on its reviews each.
DECISION_LISTS = {
    "poor": Q(classification=Poverty.POOR),
    "near_poor": Q(classification=Poverty.NEAR_POOR),
    "average": Q(classification=Poverty.AVERAGE),
    "left_poverty": Q(previous_classification=Poverty.POOR) & ~Q(classification=Poverty.POOR),
    "left_near_poverty": Q(previous_classification=Poverty.NEAR_POOR)
    & ~Q(classification__in=[Poverty.POOR, Poverty.NEAR_POOR]),
    "fell_into_poverty": ~Q(previous_classification=Poverty.POOR) & Q(classification=Poverty.POOR),
}


def decision_list(*, user, decision: Decision, name: str) -> QuerySet:
    """Return the reviews of ``decision`` on its list ``name`` (a key of ``DECISION_LISTS``),
    with their households, by household code."""
    return (
        scoped(Review.objects.filter(decision=decision), user)
        .filter(DECISION_LISTS[name])
        .select_related("household__village")
        .order_by("household__code", "pk")
    )


def decision_lists(*, user, decision: Decision) -> dict[str, list[Review]]:
    """Return every list ``decision`` recognises, by name (one query in all)."""
    reviews = list(
        scoped(Review.objects.filter(decision=decision), user)
        .select_related("household__village")
        .order_by("household__code", "pk")
    )
    found: dict[str, list[Review]] = {name: [] for name in DECISION_LISTS}
    for review in reviews:
        for name in _lists_of(review):
            found[name].append(review)
    return found


def _lists_of(review: Review) -> list[str]:
    now, before = review.classification, review.previous_classification
    names = [now] if now in (Poverty.POOR, Poverty.NEAR_POOR, Poverty.AVERAGE) else []
    if before == Poverty.POOR and now != Poverty.POOR:
        names.append("left_poverty")
    if before == Poverty.NEAR_POOR and now not in (Poverty.POOR, Poverty.NEAR_POOR):
        names.append("left_near_poverty")
    if before != Poverty.POOR and now == Poverty.POOR:
        names.append("fell_into_poverty")
    return names
