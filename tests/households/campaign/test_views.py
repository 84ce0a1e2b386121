"""The campaign's pages for each role: staff and cadres of the commune move it on, auditors
read, donors get nothing, and another commune's campaign is 404. The page's queries do not
grow with its households; the PDFs render."""

import subprocess

import pytest
from django.urls import reverse

from households.models import CampaignHousehold, Poverty, Review, ReviewCampaign
from households.services import decision_record, meeting_record, posting_record
from tests import factories as f
from tests.households.campaign import helpers as h

pytestmark = pytest.mark.django_db
State = CampaignHousehold.State


@pytest.fixture
def village(partnership):
    return f.VillageFactory(commune=partnership.commune, name="Bản Chang")


@pytest.fixture
def campaign(partnership):
    return h.campaign(partnership.commune)


def _english(client):
    client.cookies["django_language"] = "en"


def _decided(campaign, village):
    entry = h.surveyed(h.entry(campaign, village=village), Poverty.NEAR_POOR)
    meeting = meeting_record(
        actor=None,
        campaign=campaign,
        village=village,
        held_on=h.MET,
        chair="Hoàng Văn Sáu",
        secretary="Lục Thị Mai",
        present=20,
        votes={entry.pk: 15},
    )
    posting_record(
        actor=None, campaign=campaign, posted_from=h.POSTED_FROM, posted_until=h.POSTED_UNTIL
    )
    decision_record(
        actor=None,
        campaign=campaign,
        number="125/QĐ-UBND",
        signed_on=h.SIGNED,
        signer="Nông Văn Bảy",
    )
    return entry, meeting


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user", "auditor_user"])
def test_staff_cadres_and_auditors_read_the_campaign(client, request, fixture, campaign, village):
    h.entry(campaign, f.HouseholdFactory(village=village, code="BC-001"))
    client.force_login(request.getfixturevalue(fixture))
    assert (
        "BC-001"
        in client.get(reverse("households:campaign-detail", args=[campaign.pk])).content.decode()
    )
    assert client.get(reverse("households:campaign-list")).status_code == 200


def test_donors_get_nothing(client, donor_user, campaign):
    client.force_login(donor_user)
    for url in (
        reverse("households:campaign-list"),
        reverse("households:campaign-detail", args=[campaign.pk]),
    ):
        assert client.get(url).status_code == 403


def test_another_communes_campaign_is_404(client, cadre_user, staff_user):
    theirs = h.campaign(f.CommuneFactory())
    for user in (cadre_user, staff_user):
        client.force_login(user)
        assert (
            client.get(reverse("households:campaign-detail", args=[theirs.pk])).status_code == 404
        )
        assert client.get(reverse("households:meeting-create", args=[theirs.pk])).status_code == 404
        html = client.get(reverse("households:campaign-list")).content.decode()
        assert reverse("households:campaign-detail", args=[theirs.pk]) not in html


def test_auditors_cannot_move_a_campaign_on(client, auditor_user, campaign):
    client.force_login(auditor_user)
    for name in ("campaign-entry-add", "meeting-create", "posting-create", "decision-create"):
        assert client.get(reverse(f"households:{name}", args=[campaign.pk])).status_code == 403
    assert client.post(reverse("households:campaign-create")).status_code == 403


def test_a_cadre_opens_the_periodic_review_of_their_commune(
    client, cadre_user, partnership, village
):
    f.HouseholdFactory(village=village, poverty=Poverty.POOR, code="BC-007")
    client.force_login(cadre_user)
    response = client.post(
        reverse("households:campaign-create"),
        {"commune": partnership.commune.pk, "year": 2025, "opened_on": "2025-09-01"},
    )
    campaign = ReviewCampaign.objects.get()
    assert response["Location"] == reverse("households:campaign-detail", args=[campaign.pk])
    assert campaign.entries.get().household.code == "BC-007"


def test_a_household_is_added_by_code(client, cadre_user, campaign, village):
    household = f.HouseholdFactory(village=village, code="BC-010")
    client.force_login(cadre_user)
    _english(client)
    url = reverse("households:campaign-entry-add", args=[campaign.pk])
    response = client.post(url, {"code": "NOPE", "reason": "Tách hộ"})
    assert "No household of this commune has this code." in response.content.decode()
    assert not campaign.entries.exists()
    client.post(url, {"code": "BC-010", "reason": "Tách hộ"})
    assert campaign.entries.get().household == household


def test_the_meeting_form_lists_the_villages_surveyed_households(
    client, cadre_user, campaign, village
):
    surveyed = h.surveyed(h.entry(campaign, f.HouseholdFactory(village=village, code="BC-020")))
    h.entry(campaign, f.HouseholdFactory(village=village, code="BC-021"))  # not surveyed
    client.force_login(cadre_user)
    url = reverse("households:meeting-create", args=[campaign.pk])
    html = client.get(url, {"village": village.pk}).content.decode()
    assert "BC-020" in html
    assert "BC-021" not in html
    response = client.post(
        url,
        {
            "village": village.pk,
            "held_on": h.MET.isoformat(),
            "chair": "Hoàng Văn Sáu",
            "present": 20,
            f"votes_{surveyed.pk}": 15,
        },
    )
    assert response.status_code == 302
    surveyed.refresh_from_db()
    assert surveyed.state == State.AGREED


def test_votes_over_the_number_present_are_refused_on_the_form(
    client, cadre_user, campaign, village
):
    surveyed = h.surveyed(h.entry(campaign, village=village))
    client.force_login(cadre_user)
    _english(client)
    response = client.post(
        reverse("households:meeting-create", args=[campaign.pk]),
        {
            "village": village.pk,
            "held_on": h.MET.isoformat(),
            "chair": "Hoàng Văn Sáu",
            "present": 10,
            f"votes_{surveyed.pk}": 11,
        },
    )
    assert response.status_code == 200
    assert "cannot be more than the 10 people present" in response.content.decode()
    surveyed.refresh_from_db()
    assert surveyed.state == State.SURVEYED
    assert not campaign.meetings.exists()


def test_the_decision_form_is_disabled_with_the_reasons(client, cadre_user, campaign, village):
    h.entry(campaign, village=village)
    client.force_login(cadre_user)
    _english(client)
    url = reverse("households:decision-create", args=[campaign.pk])
    html = client.get(url).content.decode()
    assert "<fieldset disabled>" in html
    assert "No village meeting has been held." in html
    client.post(url, {"number": "1/QĐ", "signed_on": h.SIGNED.isoformat(), "signer": "A"})
    campaign.refresh_from_db()
    assert not campaign.closed


def test_after_the_decision_the_page_shows_its_lists_and_the_pdfs_render(
    client, cadre_user, campaign, village, tmp_path
):
    entry, meeting = _decided(campaign, village)
    client.force_login(cadre_user)
    _english(client)
    html = client.get(reverse("households:campaign-detail", args=[campaign.pk])).content.decode()
    assert "Near-poor households" in html
    assert "Households that left poverty" in html
    review = Review.objects.get(entry=entry)
    assert reverse("households:certificate", args=[review.pk]) in html
    # A closed campaign's forms are gone.
    assert client.get(reverse("households:posting-create", args=[campaign.pk])).status_code == 404

    minutes = client.get(reverse("households:meeting-minutes", args=[meeting.pk]))
    assert minutes["Content-Type"] == "application/pdf"
    assert minutes["Content-Disposition"].startswith("inline")
    text = _text(minutes.content, tmp_path)
    for expected in (
        "Bản Chang",
        "Hoàng Văn Sáu",
        "Lục Thị Mai",
        entry.household.code,
        "Near-poor",
        "15",
    ):
        assert expected in text, expected
    certificate = client.get(reverse("households:certificate", args=[review.pk]))
    text = _text(certificate.content, tmp_path)
    for expected in (
        "125/QĐ-UBND",
        "03/11/2025",
        "Nông Văn Bảy",
        entry.household.head_name,
        "Near-poor",
        "2022-2025",
    ):
        assert expected in text, expected


def test_the_pdfs_of_another_commune_are_404(client, cadre_user, tmp_path):
    theirs = h.campaign(f.CommuneFactory())
    entry, meeting = _decided(theirs, f.VillageFactory(commune=theirs.commune))
    client.force_login(cadre_user)
    review = Review.objects.get(entry=entry)
    assert client.get(reverse("households:meeting-minutes", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("households:certificate", args=[review.pk])).status_code == 404


def test_an_adhoc_review_is_opened_from_the_household(client, cadre_user, village):
    household = f.HouseholdFactory(village=village)
    client.force_login(cadre_user)
    detail = client.get(reverse("households:household-detail", args=[household.pk]))
    url = reverse("households:adhoc-create", args=[household.pk])
    assert url in detail.content.decode()
    response = client.post(url, {"opened_on": "2026-03-02", "reason": "Nhà bị sạt lở"})
    campaign = ReviewCampaign.objects.get()
    assert response["Location"] == reverse("households:campaign-detail", args=[campaign.pk])
    assert (campaign.kind, campaign.year) == (ReviewCampaign.Kind.ADHOC, 2026)


@pytest.mark.parametrize("count", [3, 40])
def test_the_campaign_page_runs_the_same_queries_for_few_and_many_households(
    client, cadre_user, campaign, village, count, django_assert_num_queries
):
    other = f.VillageFactory(commune=campaign.commune)
    for index in range(count):
        entry = h.entry(campaign, village=village if index % 2 else other)
        if index % 3 == 0:
            h.surveyed(entry)
    client.force_login(cadre_user)
    url = reverse("households:campaign-detail", args=[campaign.pk])
    client.get(url)
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_the_survey_button_is_for_staff_and_cadres(
    client, cadre_user, auditor_user, campaign, village
):
    entry = h.entry(campaign, village=village)
    url = reverse("households:campaign-detail", args=[campaign.pk])
    survey = reverse("households:survey", args=[entry.pk])
    client.force_login(cadre_user)
    assert survey in client.get(url).content.decode()
    client.force_login(auditor_user)
    assert survey not in client.get(url).content.decode()
