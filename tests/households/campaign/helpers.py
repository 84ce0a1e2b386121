"""Campaign rows built directly for the tests (no services), and a household made SURVEYED
without the survey's own services: the entry's state and proposal set, a Survey row with what
the survey would have computed."""

import datetime

from households import poverty
from households.models import (
    CampaignHousehold,
    Decision,
    Household,
    Poverty,
    PovertyStandard,
    Review,
    ReviewCampaign,
    Survey,
)
from tests import factories as f

OPENED = datetime.date(2025, 9, 1)
MET = datetime.date(2025, 10, 1)
POSTED_FROM = datetime.date(2025, 10, 5)
POSTED_UNTIL = datetime.date(2025, 10, 15)
SIGNED = datetime.date(2025, 11, 3)
State = CampaignHousehold.State


def campaign(commune, *, year=2025, opened_on=OPENED, kind=ReviewCampaign.Kind.PERIODIC):
    return ReviewCampaign.objects.create(
        commune=commune,
        year=year,
        kind=kind,
        opened_on=opened_on,
        standard=PovertyStandard.objects.get(code=poverty.standard_for(opened_on)),
    )


def entry(campaign, household=None, *, village=None, **fields) -> CampaignHousehold:
    if household is None:
        village = village or f.VillageFactory(commune=campaign.commune)
        household = f.HouseholdFactory(village=village, poverty=Poverty.POOR)
    return CampaignHousehold.objects.create(
        campaign=campaign,
        household=household,
        village_id=household.village_id,
        why=fields.pop("why", CampaignHousehold.Why.POOR),
        **fields,
    )


def surveyed(entry, proposed=Poverty.NEAR_POOR, *, income=1_350_000, deprived=("water",)):
    """Make ``entry`` SURVEYED as the survey would, with its Survey row."""
    Survey.objects.create(
        entry=entry,
        surveyed_on=entry.campaign.opened_on,
        sections_done=list(Survey.SECTIONS),
        income_per_person_vnd=income,
        deprived=list(deprived),
        proposed=proposed,
    )
    entry.state = State.SURVEYED
    entry.proposed = proposed
    entry.resurvey = False
    entry.save(update_fields=["state", "proposed", "resurvey"])
    return entry


def agreed(entry):
    entry.state = State.AGREED
    entry.save(update_fields=["state"])
    return entry


def snapshot(campaign) -> dict:
    """Everything a refused step must leave as it was."""
    campaign.refresh_from_db()
    return {
        "closed": campaign.closed,
        "entries": sorted(
            campaign.entries.values_list("pk", "state", "resurvey", "proposed", "note")
        ),
        "meetings": campaign.meetings.count(),
        "votes": sum(meeting.votes.count() for meeting in campaign.meetings.all()),
        "postings": campaign.postings.count(),
        "complaints": sorted(campaign.complaints.values_list("pk", "settled_on", "resolution")),
        "decision": Decision.objects.filter(campaign=campaign).exists(),
        "households": sorted(
            Household.objects.filter(commune=campaign.commune).values_list(
                "pk", "poverty", "last_reviewed_on", "flagged_for_review"
            )
        ),
        "reviews": Review.objects.count(),
    }


def decided(commune) -> ReviewCampaign:
    """A campaign of ``commune`` run to its decision: one household surveyed, agreed at its
    village's meeting, posted, a complaint settled, decided."""
    from households.models import Complaint
    from households.services import decision_record, meeting_record, posting_record

    review = campaign(commune)
    one = surveyed(entry(review))
    meeting_record(
        actor=None,
        campaign=review,
        village=one.village,
        held_on=MET,
        chair="Hoàng Văn Sáu",
        present=9,
        votes={one.pk: 9},
    )
    posting_record(actor=None, campaign=review, posted_from=POSTED_FROM, posted_until=POSTED_UNTIL)
    Complaint.objects.create(
        campaign=review,
        received_on=POSTED_FROM,
        complainant="Lý Văn Tư",
        text="x",
        settled_on=POSTED_UNTIL,
        resolution="Đã giải thích",
    )
    decision_record(
        actor=None, campaign=review, number="1/QĐ", signed_on=SIGNED, signer="Nông Văn Bảy"
    )
    return review
