"""The campaign's services: each step's good path, and each step out of order refused with
nothing changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from households.models import (
    CampaignHousehold,
    Concern,
    Household,
    MeetingVote,
    Poverty,
    Review,
    ReviewCampaign,
)
from households.services import (
    campaign_entry_add,
    campaign_open,
    complaint_record,
    complaint_settle,
    decision_record,
    meeting_record,
    posting_record,
)
from tests import factories as f
from tests.households.campaign import helpers as h

pytestmark = pytest.mark.django_db
State = CampaignHousehold.State
Why = CampaignHousehold.Why


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def commune(partnership):
    return partnership.commune


@pytest.fixture
def village(commune):
    return f.VillageFactory(commune=commune, name="Nà Lạn")


def _refused(call, campaign, match):
    before = h.snapshot(campaign)
    with pytest.raises(ValidationError, match=match):
        call()
    assert h.snapshot(campaign) == before


# --- Opening and listing --------------------------------------------------------------------


def test_a_periodic_review_lists_the_poor_near_poor_those_who_asked_and_the_flagged(
    cadre_user, commune, village
):
    poor = f.HouseholdFactory(village=village, poverty=Poverty.POOR)
    near = f.HouseholdFactory(village=village, poverty=Poverty.NEAR_POOR)
    asked = f.HouseholdFactory(village=village, poverty=Poverty.NONE)
    request = f.ConcernFactory(household=asked, kind=Concern.Kind.REQUEST, text="Xin rà soát")
    flagged = f.HouseholdFactory(
        village=village, poverty=Poverty.AVERAGE, flagged_for_review=True, flag_reason="Ốm nặng"
    )
    f.HouseholdFactory(village=village, poverty=Poverty.NONE)  # not listed
    f.HouseholdFactory(village=village, poverty=Poverty.POOR, archived=True)
    f.HouseholdFactory(poverty=Poverty.POOR)  # another commune
    resolved = f.HouseholdFactory(village=village, poverty=Poverty.NONE)
    f.ConcernFactory(household=resolved, kind=Concern.Kind.REQUEST, status=Concern.Status.RESOLVED)

    campaign = campaign_open(actor=cadre_user, commune=commune, year=2025, opened_on=h.OPENED)

    assert (campaign.kind, campaign.standard.code, campaign.opened_by) == (
        ReviewCampaign.Kind.PERIODIC,
        "2022-2025",
        cadre_user,
    )
    rows = {e.household_id: e for e in campaign.entries.all()}
    assert set(rows) == {poor.pk, near.pk, asked.pk, flagged.pk}
    assert rows[poor.pk].why == Why.POOR
    assert rows[near.pk].why == Why.NEAR_POOR
    assert (rows[asked.pk].why, rows[asked.pk].request) == (Why.REQUESTED, request)
    assert (rows[flagged.pk].why, rows[flagged.pk].note) == (Why.REQUESTED, "Ốm nặng")
    assert all(e.state == State.LISTED and e.village_id == village.pk for e in rows.values())


def test_a_second_periodic_review_of_the_year_is_refused(cadre_user, commune, village):
    f.HouseholdFactory(village=village, poverty=Poverty.POOR)
    campaign_open(actor=cadre_user, commune=commune, year=2025, opened_on=h.OPENED)
    with pytest.raises(ValidationError, match="already open"):
        campaign_open(actor=cadre_user, commune=commune, year=2025, opened_on=h.OPENED)
    assert ReviewCampaign.objects.count() == 1
    assert CampaignHousehold.objects.count() == 1


def test_a_review_outside_the_actors_communes_is_refused(cadre_user):
    elsewhere = f.CommuneFactory()
    f.HouseholdFactory(village__commune=elsewhere, poverty=Poverty.POOR)
    with pytest.raises(ValidationError, match="outside your communes"):
        campaign_open(actor=cadre_user, commune=elsewhere, year=2025, opened_on=h.OPENED)
    assert not ReviewCampaign.objects.exists()


def test_auditors_open_no_review(auditor_user, commune):
    with pytest.raises(ValidationError, match="outside your communes"):
        campaign_open(actor=auditor_user, commune=commune, year=2025, opened_on=h.OPENED)
    assert not ReviewCampaign.objects.exists()


def test_a_review_opened_in_another_year_is_refused(cadre_user, commune):
    with pytest.raises(ValidationError, match="opens in its own year"):
        campaign_open(actor=cadre_user, commune=commune, year=2024, opened_on=h.OPENED)
    assert not ReviewCampaign.objects.exists()


def test_adhoc_reviews_are_one_household_at_any_time_and_several_a_year(
    cadre_user, commune, village
):
    household = f.HouseholdFactory(village=village, poverty=Poverty.NONE)
    other = f.HouseholdFactory(village=village, poverty=Poverty.POOR)
    first = campaign_open(
        actor=cadre_user,
        commune=commune,
        year=2026,
        opened_on=datetime.date(2026, 3, 2),
        kind=ReviewCampaign.Kind.ADHOC,
        household=household,
        reason="Nhà bị lũ cuốn",
    )
    second = campaign_open(
        actor=cadre_user,
        commune=commune,
        year=2026,
        opened_on=datetime.date(2026, 4, 2),
        kind=ReviewCampaign.Kind.ADHOC,
        household=other,
        reason="Chủ hộ mất",
    )
    entry = first.entries.get()
    assert (entry.household, entry.why, entry.note) == (household, Why.ADDED, "Nhà bị lũ cuốn")
    assert second.entries.get().household == other


def test_an_adhoc_review_needs_a_reason_and_a_household_not_already_under_review(
    cadre_user, commune, village
):
    household = f.HouseholdFactory(village=village)
    data = {
        "actor": cadre_user,
        "commune": commune,
        "year": 2026,
        "opened_on": datetime.date(2026, 3, 2),
        "kind": ReviewCampaign.Kind.ADHOC,
        "household": household,
    }
    with pytest.raises(ValidationError, match="Say why this household is reviewed now"):
        campaign_open(**data)
    campaign_open(**data, reason="Xin rà soát")
    with pytest.raises(ValidationError, match="already under review"):
        campaign_open(**data, reason="Lần nữa")
    assert ReviewCampaign.objects.count() == 1


def test_an_adhoc_review_takes_the_households_request(cadre_user, commune, village):
    household = f.HouseholdFactory(village=village)
    request = f.ConcernFactory(household=household, kind=Concern.Kind.REQUEST, text="Mẫu số 01")
    campaign = campaign_open(
        actor=cadre_user,
        commune=commune,
        year=2026,
        opened_on=datetime.date(2026, 3, 2),
        kind=ReviewCampaign.Kind.ADHOC,
        household=household,
    )
    entry = campaign.entries.get()
    assert (entry.why, entry.request, entry.note) == (Why.REQUESTED, request, "Mẫu số 01")


# --- Adding by hand -------------------------------------------------------------------------


def test_a_household_is_added_by_hand_with_a_reason(cadre_user, commune, village):
    campaign = h.campaign(commune)
    household = f.HouseholdFactory(village=village, poverty=Poverty.NONE)
    entry = campaign_entry_add(
        actor=cadre_user, campaign=campaign, household=household, reason="Mới tách hộ"
    )
    assert (entry.why, entry.note, entry.state, entry.added_by) == (
        Why.ADDED,
        "Mới tách hộ",
        State.LISTED,
        cadre_user,
    )


@pytest.mark.parametrize(
    ("case", "match"),
    [
        ("no_reason", "Say why the household is added"),
        ("elsewhere", "outside your communes"),
        ("archived", "archived household"),
        ("listed", "already on the list"),
    ],
)
def test_adding_a_household_wrongly_is_refused(cadre_user, commune, village, case, match):
    campaign = h.campaign(commune)
    household = f.HouseholdFactory(village=village)
    reason = "Lý do"
    if case == "no_reason":
        reason = "  "
    elif case == "elsewhere":
        household = f.HouseholdFactory()
    elif case == "archived":
        Household.objects.filter(pk=household.pk).update(archived=True)
        household.refresh_from_db()
    elif case == "listed":
        h.entry(campaign, household)
    _refused(
        lambda: campaign_entry_add(
            actor=cadre_user, campaign=campaign, household=household, reason=reason
        ),
        campaign,
        match,
    )


# --- Village meeting ------------------------------------------------------------------------


def _meeting(actor, campaign, village, votes, present=20, **extra):
    return meeting_record(
        actor=actor,
        campaign=campaign,
        village=village,
        held_on=h.MET,
        chair="Hoàng Văn Sáu",
        present=present,
        votes=votes,
        **extra,
    )


def test_the_meeting_carries_more_than_half_and_sends_the_rest_back(cadre_user, commune, village):
    campaign = h.campaign(commune)
    carried = h.surveyed(h.entry(campaign, village=village), Poverty.NEAR_POOR)
    half = h.surveyed(h.entry(campaign, village=village), Poverty.POOR)
    meeting = _meeting(
        cadre_user, campaign, village, {carried.pk: 11, half.pk: 10}, supervisor="Ma Thị Hoa"
    )
    carried.refresh_from_db()
    half.refresh_from_db()
    assert (carried.state, carried.resurvey) == (State.AGREED, False)
    # Exactly half is not more than half: surveyed again.
    assert (half.state, half.resurvey) == (State.LISTED, True)
    votes = {vote.entry_id: vote for vote in MeetingVote.objects.filter(meeting=meeting)}
    assert (votes[carried.pk].proposed, votes[carried.pk].votes_for, votes[carried.pk].agreed) == (
        Poverty.NEAR_POOR,
        11,
        True,
    )
    assert (votes[half.pk].proposed, votes[half.pk].agreed) == (Poverty.POOR, False)
    assert (meeting.supervisor, meeting.recorded_by) == ("Ma Thị Hoa", cadre_user)


@pytest.mark.parametrize(
    ("case", "match"),
    [
        ("not_surveyed", "has not been surveyed"),
        ("too_many_votes", "cannot be more than the 20 people present"),
        ("nobody_present", "how many people were present"),
        ("other_village", "not on this village's list"),
        ("village_elsewhere", "outside your communes"),
        ("no_votes", "Choose the households read out"),
    ],
)
def test_a_meeting_out_of_order_or_miscounted_is_refused(cadre_user, commune, village, case, match):
    campaign = h.campaign(commune)
    entry = h.surveyed(h.entry(campaign, village=village))
    votes, present, where = {entry.pk: 15}, 20, village
    if case == "not_surveyed":
        votes = {h.entry(campaign, village=village).pk: 15}
    elif case == "too_many_votes":
        votes = {entry.pk: 21}
    elif case == "nobody_present":
        present = 0
    elif case == "other_village":
        where = f.VillageFactory(commune=commune)
    elif case == "village_elsewhere":
        where = f.VillageFactory()
    elif case == "no_votes":
        votes = {}
    _refused(lambda: _meeting(cadre_user, campaign, where, votes, present), campaign, match)


# --- Posting and complaints -----------------------------------------------------------------


def _posting(actor, campaign, **dates):
    return posting_record(
        actor=actor,
        campaign=campaign,
        posted_from=dates.get("posted_from", h.POSTED_FROM),
        posted_until=dates.get("posted_until", h.POSTED_UNTIL),
        place="Nhà văn hoá thôn",
    )


def test_a_posting_before_any_meeting_is_refused(cadre_user, commune, village):
    campaign = h.campaign(commune)
    h.surveyed(h.entry(campaign, village=village))
    _refused(lambda: _posting(cadre_user, campaign), campaign, "after a village meeting")


def test_a_posting_that_ends_before_it_starts_is_refused(cadre_user, commune, village):
    campaign = h.campaign(commune)
    entry = h.surveyed(h.entry(campaign, village=village))
    _meeting(cadre_user, campaign, village, {entry.pk: 15})
    _refused(
        lambda: _posting(cadre_user, campaign, posted_until=h.POSTED_FROM - datetime.timedelta(1)),
        campaign,
        "cannot end before it starts",
    )
    posting = _posting(cadre_user, campaign)
    assert (posting.posted_from, posting.place) == (h.POSTED_FROM, "Nhà văn hoá thôn")


def test_complaints_come_during_or_after_a_posting_and_are_settled(cadre_user, commune, village):
    campaign = h.campaign(commune)
    entry = h.surveyed(h.entry(campaign, village=village))
    _meeting(cadre_user, campaign, village, {entry.pk: 15})
    complain = lambda day: complaint_record(  # noqa: E731
        actor=cadre_user,
        campaign=campaign,
        received_on=day,
        complainant="Lý Văn Tư",
        text="Hộ này có xe máy mới",
        entry=entry,
    )
    _refused(lambda: complain(h.POSTED_FROM), campaign, "once the results are posted")
    _posting(cadre_user, campaign)
    _refused(
        lambda: complain(h.POSTED_FROM - datetime.timedelta(days=1)),
        campaign,
        "once the results are posted",
    )
    complaint = complain(h.POSTED_FROM + datetime.timedelta(days=2))
    assert (complaint.entry, complaint.settled_on) == (entry, None)

    settle = lambda text: complaint_settle(  # noqa: E731
        actor=cadre_user,
        complaint=complaint,
        settled_on=h.POSTED_UNTIL,
        resolution=text,
    )
    _refused(lambda: settle(" "), campaign, "Say how the complaint was settled")
    settle("Đã xác minh: xe mượn")
    complaint.refresh_from_db()
    assert (complaint.settled_on, complaint.resolution) == (h.POSTED_UNTIL, "Đã xác minh: xe mượn")
    _refused(lambda: settle("Lần nữa"), campaign, "already settled")


# --- Decision -------------------------------------------------------------------------------


def _ready(actor, commune, village, count=2):
    """A campaign whose households all agreed, posted and the posting over."""
    campaign = h.campaign(commune)
    entries = [h.surveyed(h.entry(campaign, village=village)) for _ in range(count)]
    _meeting(actor, campaign, village, {entry.pk: 15 for entry in entries})
    _posting(actor, campaign)
    return campaign, entries


def _decide(actor, campaign, signed_on=h.SIGNED):
    return decision_record(
        actor=actor,
        campaign=campaign,
        number="125/QĐ-UBND",
        signed_on=signed_on,
        signer="Nông Văn Bảy",
        signer_title="Chủ tịch UBND xã",
    )


def test_the_decision_classifies_every_household_and_closes_the_review(
    cadre_user, commune, village
):
    campaign = h.campaign(commune)
    left = h.surveyed(h.entry(campaign, village=village), Poverty.NEAR_POOR, income=1_400_000)
    fell_household = f.HouseholdFactory(
        village=village,
        poverty=Poverty.NONE,
        flagged_for_review=True,
        flag_reason="Mất mùa",
    )
    request = f.ConcernFactory(household=fell_household, kind=Concern.Kind.REQUEST)
    fell = h.surveyed(
        h.entry(campaign, fell_household, why=Why.REQUESTED, request=request),
        Poverty.POOR,
        income=900_000,
        deprived=("water", "toilet", "telecom"),
    )
    _meeting(cadre_user, campaign, village, {left.pk: 15, fell.pk: 12})
    _posting(cadre_user, campaign)

    decision = _decide(cadre_user, campaign)

    campaign.refresh_from_db()
    assert campaign.closed
    left.household.refresh_from_db()
    fell_household.refresh_from_db()
    assert (left.household.poverty, left.household.last_reviewed_on) == (
        Poverty.NEAR_POOR,
        h.SIGNED,
    )
    assert (fell_household.poverty, fell_household.flagged_for_review) == (Poverty.POOR, False)
    assert fell_household.flag_reason == ""
    review = Review.objects.get(entry=fell)
    assert (
        review.household,
        review.reviewer,
        review.reviewed_on,
        review.classification,
        review.previous_classification,
        review.standard,
        review.decision,
        review.income_per_person_vnd,
        review.deprived,
    ) == (
        fell_household,
        cadre_user,
        h.SIGNED,
        Poverty.POOR,
        Poverty.NONE,
        campaign.standard,
        decision,
        900_000,
        ["water", "toilet", "telecom"],
    )
    assert "125/QĐ-UBND" in review.reason
    assert Review.objects.get(entry=left).previous_classification == Poverty.POOR
    request.refresh_from_db()
    assert (request.status, request.resolved_on) == (Concern.Status.RESOLVED, h.SIGNED)
    assert set(campaign.entries.values_list("state", flat=True)) == {State.DECIDED}


@pytest.mark.parametrize(
    ("case", "match"),
    [
        ("before_meeting", "agreed at its village meeting"),
        ("surveyed_left", "agreed at its village meeting"),
        ("not_posted", "have not been posted"),
        ("posting_not_over", "posting has not ended"),
        ("unsettled_complaint", "complaint is not settled"),
        ("before_last_meeting", "before the last meeting or posting"),
        ("closed", "closed by its decision"),
    ],
)
def test_a_decision_out_of_order_is_refused_and_nothing_changes(
    cadre_user, commune, village, case, match
):
    signed_on = h.SIGNED
    if case == "before_meeting":
        campaign = h.campaign(commune)
        h.surveyed(h.entry(campaign, village=village))
    else:
        campaign, _entries = _ready(cadre_user, commune, village)
    if case == "surveyed_left":
        h.surveyed(h.entry(campaign, village=village))
    elif case == "not_posted":
        campaign.postings.all().delete()
    elif case == "posting_not_over":
        signed_on = h.POSTED_UNTIL - datetime.timedelta(days=1)
    elif case == "unsettled_complaint":
        complaint_record(
            actor=cadre_user,
            campaign=campaign,
            received_on=h.POSTED_FROM,
            complainant="Lý Văn Tư",
            text="Không đúng",
        )
    elif case == "before_last_meeting":
        second = f.VillageFactory(commune=commune)
        late = h.surveyed(h.entry(campaign, village=second))
        meeting_record(
            actor=cadre_user,
            campaign=campaign,
            village=second,
            held_on=h.SIGNED + datetime.timedelta(days=5),
            chair="Hoàng Văn Sáu",
            present=10,
            votes={late.pk: 9},
        )
    elif case == "closed":
        _decide(cadre_user, campaign)
    _refused(lambda: _decide(cadre_user, campaign, signed_on), campaign, match)


def test_a_closed_review_refuses_every_step(cadre_user, commune, village):
    campaign, entries = _ready(cadre_user, commune, village)
    complaint = complaint_record(
        actor=cadre_user,
        campaign=campaign,
        received_on=h.POSTED_FROM,
        complainant="Lý Văn Tư",
        text="Không đúng",
    )
    complaint_settle(
        actor=cadre_user, complaint=complaint, settled_on=h.POSTED_UNTIL, resolution="Đã giải thích"
    )
    _decide(cadre_user, campaign)
    household = f.HouseholdFactory(village=village)
    for call in (
        lambda: campaign_entry_add(
            actor=cadre_user, campaign=campaign, household=household, reason="x"
        ),
        lambda: _meeting(cadre_user, campaign, village, {entries[0].pk: 15}),
        lambda: _posting(cadre_user, campaign),
        lambda: complaint_record(
            actor=cadre_user,
            campaign=campaign,
            received_on=h.POSTED_UNTIL,
            complainant="A",
            text="B",
        ),
        lambda: complaint_settle(
            actor=cadre_user, complaint=complaint, settled_on=h.SIGNED, resolution="x"
        ),
    ):
        _refused(call, campaign, "closed by its decision")


def test_a_failure_midway_through_the_decision_changes_no_household(
    cadre_user, commune, village, monkeypatch
):
    campaign, entries = _ready(cadre_user, commune, village, count=3)
    saved = Review.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return saved(self, *args, **kwargs)

    monkeypatch.setattr(Review, "save", failing_save)
    before = h.snapshot(campaign)
    with pytest.raises(RuntimeError, match="disk full"):
        _decide(cadre_user, campaign)
    assert len(calls) == 2  # the first household had been decided when it failed
    assert h.snapshot(campaign) == before
    assert set(
        Household.objects.filter(pk__in=[e.household_id for e in entries]).values_list(
            "poverty", flat=True
        )
    ) == {Poverty.POOR}
