"""The review campaign, step by step (Decision 24/2021/QĐ-TTg; POVERTY-REVIEW.md).

list → survey → village meeting → public posting (complaints settled) → commune decision.
Each step is a service here with a state guard: a step out of order, or any step of a closed
campaign, is refused and changes nothing. The survey's own services are in
``households.services.survey``. Only ``decision_record`` changes households' classifications.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.services import actor_or_none, service
from households import poverty
from households.models import (
    CampaignHousehold,
    Complaint,
    Concern,
    Decision,
    Household,
    MeetingVote,
    Posting,
    PovertyStandard,
    Review,
    ReviewCampaign,
    VillageMeeting,
)
from households.reminders import campaign_step_notify
from households.services.campaign_listing import (
    adhoc_entry,
    check_household,
    one_line_note,
    periodic_entries,
)
from outreach.models import Commune, Village
from outreach.scope import require_in_scope

Kind = ReviewCampaign.Kind
State = CampaignHousehold.State
Why = CampaignHousehold.Why


def _future(day: datetime.date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("A date cannot be in the future.")})


def _locked_open(campaign: ReviewCampaign) -> ReviewCampaign:
    """Lock the campaign's row and refuse any step once the decision has closed it."""
    campaign = (
        ReviewCampaign.objects.select_for_update().select_related("commune").get(pk=campaign.pk)
    )
    if campaign.closed:
        raise ValidationError(_("This review is closed by its decision: it cannot change."))
    return campaign


def _standard(opened_on: datetime.date) -> PovertyStandard:
    try:
        return PovertyStandard.objects.get(code=poverty.standard_for(opened_on))
    except (ValueError, PovertyStandard.DoesNotExist) as error:
        raise ValidationError({"opened_on": _("No poverty standard covers this date.")}) from error


@service
def campaign_open(
    *,
    actor,
    commune: Commune,
    year: int,
    opened_on: datetime.date,
    kind: str = Kind.PERIODIC,
    household: Household | None = None,
    reason: str = "",
) -> ReviewCampaign:
    """Open a commune's review for ``year`` and list the households to review.

    Periodic: this year's poor and near-poor households, those with an open request, those
    flagged for review (archived households are not reviewed). Ad-hoc: ``household`` alone,
    for ``reason`` (or the request or flag on its file), any time of year.
    """
    require_in_scope(actor, commune, household=household)
    # The commune's row lock serialises two cadres opening the same year's review.
    commune = Commune.objects.select_for_update().get(pk=commune.pk)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind of review.")})
    _future(opened_on, "opened_on")
    if opened_on and opened_on.year != year:
        raise ValidationError({"opened_on": _("The review opens in its own year.")})
    campaign = ReviewCampaign(
        commune=commune,
        year=year,
        kind=kind,
        standard=_standard(opened_on) if opened_on else None,
        opened_on=opened_on,
        opened_by=actor_or_none(actor),
    )
    campaign.full_clean()
    if kind == Kind.ADHOC:
        entry = adhoc_entry(campaign, household, " ".join((reason or "").split()), actor)
        campaign.save()
        entry.campaign = campaign
        entry.full_clean()
        entry.save()
        campaign_step_notify(actor=actor, campaign=campaign, step="survey")
        return campaign
    if household is not None:
        raise ValidationError({"household": _("A periodic review lists the whole commune.")})
    campaign.save()
    bulk_create_with_history(
        periodic_entries(campaign, actor),
        CampaignHousehold,
        batch_size=500,
        default_user=actor_or_none(actor),
    )
    campaign_step_notify(actor=actor, campaign=campaign, step="survey")
    return campaign


@service
def campaign_entry_add(
    *, actor, campaign: ReviewCampaign, household: Household, reason: str
) -> CampaignHousehold:
    """Add a household to a periodic review's list by hand, with the reason."""
    require_in_scope(actor, campaign, household=household)
    campaign = _locked_open(campaign)
    if campaign.kind == Kind.ADHOC:
        raise ValidationError(_("An ad-hoc review is of one household only."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the household is added.")})
    household = Household.objects.select_for_update().get(pk=household.pk)
    check_household(campaign, household)
    if campaign.entries.filter(household=household).exists():
        raise ValidationError({"household": _("This household is already on the list.")})
    entry = CampaignHousehold(
        campaign=campaign,
        household=household,
        village_id=household.village_id,
        why=Why.ADDED,
        note=one_line_note(reason),
        added_by=actor_or_none(actor),
    )
    entry.full_clean()
    entry.save()
    return entry


def _meeting_votes(
    campaign: ReviewCampaign, village: Village, present: int, votes: dict[int, int]
) -> list[tuple[CampaignHousehold, int]]:
    """Check the votes of a meeting; return the locked entries with their votes for."""
    if not votes:
        raise ValidationError({"votes": _("Choose the households read out at the meeting.")})
    try:
        wanted = {int(pk): int(count) for pk, count in votes.items()}
    except (TypeError, ValueError) as error:
        raise ValidationError({"votes": _("Give the votes as whole numbers.")}) from error
    entries = {
        entry.pk: entry
        for entry in CampaignHousehold.objects.select_for_update()
        .select_related("household")
        .filter(campaign=campaign, pk__in=wanted)
    }
    found = []
    for pk, count in wanted.items():
        entry = entries.get(pk)
        if entry is None or entry.village_id != village.pk:
            raise ValidationError(
                {"votes": _("A household read out is not on this village's list.")}
            )
        if entry.state != State.SURVEYED or not entry.proposed:
            raise ValidationError(
                {
                    "votes": _(
                        "Household %(code)s has not been surveyed: only surveyed households "
                        "are read out at the meeting."
                    )
                    % {"code": entry.household.code}
                }
            )
        if count < 0 or count > present:
            raise ValidationError(
                {
                    "votes": _(
                        "Household %(code)s: the votes for cannot be more than the %(present)s "
                        "people present."
                    )
                    % {"code": entry.household.code, "present": present}
                }
            )
        found.append((entry, count))
    return found


@service
def meeting_record(
    *,
    actor,
    campaign: ReviewCampaign,
    village: Village,
    held_on: datetime.date,
    chair: str,
    present: int,
    votes: dict[int, int],
    supervisor: str = "",
    secretary: str = "",
    notes: str = "",
) -> VillageMeeting:
    """Record a village meeting and its votes.

    ``votes`` maps each surveyed household's entry read out to the number of those present who
    agreed: more than half of those present carries it (AGREED), otherwise it goes back to the
    survey (LISTED, to be surveyed again).
    """
    require_in_scope(actor, campaign, village=village)
    campaign = _locked_open(campaign)
    if village.commune_id != campaign.commune_id:
        raise ValidationError({"village": _("The village is not in this commune.")})
    if present is None or present < 1:
        raise ValidationError({"present": _("Say how many people were present.")})
    if held_on and held_on < campaign.opened_on:
        raise ValidationError({"held_on": _("The meeting cannot be before the review opened.")})
    found = _meeting_votes(campaign, village, present, votes)
    meeting = VillageMeeting(
        campaign=campaign,
        village=village,
        held_on=held_on,
        chair=" ".join((chair or "").split()),
        supervisor=" ".join((supervisor or "").split()),
        secretary=" ".join((secretary or "").split()),
        present=present,
        notes=(notes or "").strip(),
        recorded_by=actor_or_none(actor),
    )
    meeting.full_clean()
    meeting.save()
    rows = []
    for entry, count in found:
        agreed = count * 2 > present
        rows.append(
            MeetingVote(
                meeting=meeting,
                entry=entry,
                proposed=entry.proposed,
                votes_for=count,
                agreed=agreed,
            )
        )
        entry.state = State.AGREED if agreed else State.LISTED
        entry.resurvey = not agreed
        entry.save(update_fields=["state", "resurvey", "updated_at"])
    MeetingVote.objects.bulk_create(rows)
    campaign_step_notify(actor=actor, campaign=campaign, step="meeting")
    return meeting


@service
def posting_record(
    *,
    actor,
    campaign: ReviewCampaign,
    posted_from: datetime.date,
    posted_until: datetime.date,
    village: Village | None = None,
    place: str = "",
) -> Posting:
    """Record the public posting of the results (after a village meeting)."""
    require_in_scope(actor, campaign, village=village)
    campaign = _locked_open(campaign)
    if village is not None and village.commune_id != campaign.commune_id:
        raise ValidationError({"village": _("The village is not in this commune.")})
    meetings = campaign.meetings.all()
    if village is not None:
        meetings = meetings.filter(village=village)
    first = meetings.order_by("held_on").values_list("held_on", flat=True).first()
    if first is None:
        raise ValidationError(_("The results are posted after a village meeting: hold one first."))
    if posted_from and posted_until and posted_until < posted_from:
        raise ValidationError({"posted_until": _("The posting cannot end before it starts.")})
    if posted_from and posted_from < first:
        raise ValidationError(
            {"posted_from": _("The results cannot be posted before the village meeting.")}
        )
    posting = Posting(
        campaign=campaign,
        village=village,
        posted_from=posted_from,
        posted_until=posted_until,
        place=" ".join((place or "").split()),
        recorded_by=actor_or_none(actor),
    )
    posting.full_clean()
    posting.save()
    campaign_step_notify(actor=actor, campaign=campaign, step="posting")
    return posting


@service
def complaint_record(
    *,
    actor,
    campaign: ReviewCampaign,
    received_on: datetime.date,
    complainant: str,
    text: str,
    entry: CampaignHousehold | None = None,
) -> Complaint:
    """Record a complaint about the posted results (during or after a posting)."""
    require_in_scope(actor, campaign)
    campaign = _locked_open(campaign)
    if entry is not None and entry.campaign_id != campaign.pk:
        raise ValidationError({"entry": _("The household is not on this review's list.")})
    started = campaign.postings.filter(posted_from__lte=received_on) if received_on else None
    if not campaign.postings.exists() or (started is not None and not started.exists()):
        raise ValidationError(
            {"received_on": _("Complaints are received once the results are posted.")}
        )
    complaint = Complaint(
        campaign=campaign,
        entry=entry,
        received_on=received_on,
        complainant=" ".join((complainant or "").split()),
        text=(text or "").strip(),
        recorded_by=actor_or_none(actor),
    )
    complaint.full_clean()
    complaint.save()
    return complaint


@service
def complaint_settle(
    *, actor, complaint: Complaint, settled_on: datetime.date, resolution: str
) -> Complaint:
    """Settle a complaint: when, and how."""
    require_in_scope(actor, complaint)
    _locked_open(complaint.campaign)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.settled_on is not None:
        raise ValidationError(_("This complaint is already settled."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say how the complaint was settled.")})
    if not settled_on:
        raise ValidationError({"settled_on": _("Say when the complaint was settled.")})
    _future(settled_on, "settled_on")
    if settled_on < complaint.received_on:
        raise ValidationError(
            {"settled_on": _("A complaint cannot be settled before it was received.")}
        )
    complaint.settled_on = settled_on
    complaint.resolution = resolution
    complaint.full_clean()
    complaint.save(update_fields=["settled_on", "resolution", "updated_at"])
    return complaint


def decision_blockers(campaign: ReviewCampaign, signed_on: datetime.date | None = None) -> list:
    """Return why the commune decision cannot be taken yet (empty when it can).

    Every household on the list agreed at its village meeting, the results posted and the
    posting over (by ``signed_on``, when given), no complaint left unsettled.
    """
    reasons = []
    if campaign.closed:
        return [_("This review is closed by its decision: it cannot change.")]
    states = set(campaign.entries.order_by().values_list("state", flat=True).distinct())
    if not states:
        reasons.append(_("The list has no household."))
    if states - {State.AGREED}:
        reasons.append(
            _("Every household on the list must first be agreed at its village meeting.")
        )
    if not campaign.meetings.exists():
        reasons.append(_("No village meeting has been held."))
    postings = campaign.postings.aggregate(until=Max("posted_until"))
    if postings["until"] is None:
        reasons.append(_("The results have not been posted."))
    elif signed_on is not None and postings["until"] > signed_on:
        reasons.append(_("The public posting has not ended by the date of the decision."))
    if campaign.complaints.filter(settled_on__isnull=True).exists():
        reasons.append(_("A complaint is not settled yet."))
    return reasons


def _review_reason(decision: Decision) -> str:
    return _("Recognised by the commune's decision no. %(number)s of %(date)s.") % {
        "number": decision.number,
        "date": decision.signed_on.strftime("%d/%m/%Y"),
    }


def _check_signed_on(campaign: ReviewCampaign, signed_on: datetime.date) -> None:
    if not signed_on:
        raise ValidationError({"signed_on": _("Say when the decision was signed.")})
    _future(signed_on, "signed_on")
    last = max(
        day
        for day in (
            campaign.meetings.aggregate(day=Max("held_on"))["day"],
            campaign.postings.aggregate(day=Max("posted_until"))["day"],
            campaign.opened_on,
        )
        if day is not None
    )
    if signed_on < last:
        raise ValidationError(
            {
                "signed_on": _(
                    "The decision cannot be signed before the last meeting or posting (%(date)s)."
                )
                % {"date": last.strftime("%d/%m/%Y")}
            }
        )


@service
def decision_record(
    *,
    actor,
    campaign: ReviewCampaign,
    number: str,
    signed_on: datetime.date,
    signer: str,
    signer_title: str = "",
) -> Decision:
    """Record the commune's decision and close the review.

    The only code that changes households' classifications: in one transaction, under row
    locks on the campaign and its households, each household gets the classification agreed,
    a review row keeping the standard, the score and the decision, and its request is resolved.
    """
    require_in_scope(actor, campaign)
    campaign = _locked_open(campaign)
    blockers = decision_blockers(campaign, signed_on)
    if blockers:
        raise ValidationError(blockers)
    _check_signed_on(campaign, signed_on)
    decision = Decision(
        campaign=campaign,
        number=" ".join((number or "").split()),
        signed_on=signed_on,
        signer=" ".join((signer or "").split()),
        signer_title=" ".join((signer_title or "").split()),
        recorded_by=actor_or_none(actor),
    )
    decision.full_clean()
    decision.save()
    entries = list(
        campaign.entries.select_for_update(of=("self",))
        .select_related("survey", "request")
        .order_by("household_id")
    )
    households = {
        household.pk: household
        for household in Household.objects.select_for_update()
        .filter(pk__in=[entry.household_id for entry in entries])
        .order_by("pk")
    }
    reason = _review_reason(decision)
    for entry in entries:
        _decide(entry, households[entry.household_id], decision, actor, reason)
    campaign.closed = True
    campaign.save(update_fields=["closed", "updated_at"])
    campaign_step_notify(actor=actor, campaign=campaign, step="decision")
    return decision


def _decide(entry, household: Household, decision: Decision, actor, reason: str) -> None:
    survey = getattr(entry, "survey", None)
    review = Review(
        household=household,
        reviewer=actor_or_none(actor),
        reviewed_on=decision.signed_on,
        classification=entry.proposed,
        previous_classification=household.poverty,
        standard_id=decision.campaign.standard_id,
        decision=decision,
        entry=entry,
        income_per_person_vnd=survey.income_per_person_vnd if survey else None,
        deprived=list(survey.deprived) if survey else [],
        reason=reason,
    )
    review.full_clean()
    review.save()
    household.poverty = entry.proposed
    household.last_reviewed_on = decision.signed_on
    household.flagged_for_review = False
    household.flag_reason = ""
    household.save(
        update_fields=[
            "poverty",
            "last_reviewed_on",
            "flagged_for_review",
            "flag_reason",
            "updated_at",
        ]
    )
    if entry.request is not None and entry.request.status != Concern.Status.RESOLVED:
        concern = entry.request
        concern.status = Concern.Status.RESOLVED
        concern.resolution = reason
        concern.resolved_on = max(decision.signed_on, concern.raised_on)
        concern.save(update_fields=["status", "resolution", "resolved_on", "updated_at"])
    entry.state = State.DECIDED
    entry.save(update_fields=["state", "updated_at"])
