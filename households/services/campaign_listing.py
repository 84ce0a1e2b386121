"""Who a review campaign lists (households.services.campaign): the periodic list of a commune,
an ad-hoc review's one household, and the checks on a household added to a list."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from core.services import actor_or_none
from households.models import CampaignHousehold, Concern, Household, Poverty, ReviewCampaign

Kind = ReviewCampaign.Kind
Why = CampaignHousehold.Why
OPEN_CONCERN = (Concern.Status.OPEN, Concern.Status.IN_PROGRESS)
_NOTE_LENGTH = CampaignHousehold._meta.get_field("note").max_length


def one_line_note(text: str) -> str:
    """Return ``text`` on one line, cut to the entry's note column."""
    text = " ".join((text or "").split())
    return text if len(text) <= _NOTE_LENGTH else text[: _NOTE_LENGTH - 1] + "…"


def open_requests(households) -> dict[int, Concern]:
    """Return the oldest open request of each household (its written request, Mẫu số 01)."""
    requests = {}
    for concern in Concern.objects.filter(
        household__in=households, kind=Concern.Kind.REQUEST, status__in=OPEN_CONCERN
    ).order_by("raised_on", "pk"):
        requests.setdefault(concern.household_id, concern)
    return requests


def periodic_entries(campaign: ReviewCampaign, actor) -> list[CampaignHousehold]:
    """List this year's poor and near-poor, every household that asked, and those flagged."""
    asked = Concern.objects.filter(kind=Concern.Kind.REQUEST, status__in=OPEN_CONCERN).values(
        "household_id"
    )
    households = list(
        Household.objects.filter(commune=campaign.commune, archived=False)
        .filter(
            Q(poverty__in=[Poverty.POOR, Poverty.NEAR_POOR])
            | Q(flagged_for_review=True)
            | Q(pk__in=asked)
        )
        .only("pk", "village_id", "poverty", "flagged_for_review", "flag_reason")
        .order_by("pk")
    )
    requests = open_requests([household.pk for household in households])
    entries = []
    for household in households:
        request = requests.get(household.pk)
        if household.poverty == Poverty.POOR:
            why, note = Why.POOR, ""
        elif household.poverty == Poverty.NEAR_POOR:
            why, note = Why.NEAR_POOR, ""
        else:
            why = Why.REQUESTED
            note = household.flag_reason if household.flagged_for_review else request.text
        entries.append(
            CampaignHousehold(
                campaign=campaign,
                household_id=household.pk,
                village_id=household.village_id,
                why=why,
                note=one_line_note(note),
                request=request,
                added_by=actor_or_none(actor),
            )
        )
    return entries


def adhoc_entry(campaign: ReviewCampaign, household: Household | None, reason: str, actor):
    if household is None:
        raise ValidationError({"household": _("Choose the household to review.")})
    household = Household.objects.select_for_update().get(pk=household.pk)
    check_household(campaign, household)
    request = open_requests([household.pk]).get(household.pk)
    note = reason or (household.flag_reason if household.flagged_for_review else "")
    if not note and request is not None:
        note = request.text
    if not note:
        raise ValidationError({"reason": _("Say why this household is reviewed now.")})
    asked = request is not None or household.flagged_for_review
    return CampaignHousehold(
        campaign=campaign,
        household=household,
        village_id=household.village_id,
        why=Why.REQUESTED if asked else Why.ADDED,
        note=one_line_note(note),
        request=request,
        added_by=actor_or_none(actor),
    )


def check_household(campaign: ReviewCampaign, household: Household) -> None:
    """Refuse a household of another commune, an archived one, or one under review already."""
    if household.commune_id != campaign.commune_id:
        raise ValidationError({"household": _("The household is not in this commune.")})
    if household.archived:
        raise ValidationError({"household": _("An archived household cannot be reviewed.")})
    under_review = CampaignHousehold.objects.filter(household=household, campaign__closed=False)
    if campaign.pk:
        under_review = under_review.exclude(campaign_id=campaign.pk)
    if campaign.kind == Kind.ADHOC and under_review.exists():
        raise ValidationError(
            {"household": _("This household is already under review in an open review.")}
        )
