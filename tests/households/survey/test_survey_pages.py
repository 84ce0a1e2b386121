"""The survey pages per role: staff and cadres of the commune edit, auditors read, cadres of
another commune get 404; a stale save shows the saved values and keeps the user's input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import CampaignHousehold, Survey
from tests import factories as f
from tests.households.survey.conftest import save_all

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"


def page(entry):
    return reverse("households:survey", args=[entry.pk])


def section(entry, name):
    return reverse("households:survey-section", args=[entry.pk, name])


def housing_post(version, **overrides):
    data = {
        "version": version,
        "walls": "concrete_brick",
        "frame": "concrete",
        "roof": "tiles",
        "floor_area_m2": "60",
    }
    data.update(overrides)
    return data


def members_post(survey, **overrides):
    data = {"version": survey.version, "surveyed_on": "2025-10-02", "area": "rural"}
    for row in survey.people.all():
        prefix = f"p{row.member_id}-"
        data.update(
            {
                f"{prefix}birth_year": str(row.birth_year),
                f"{prefix}school_level": "upper_secondary",
                f"{prefix}work": "own_account",
                f"{prefix}health_insurance": "on",
                f"{prefix}able_to_work": "on",
                f"{prefix}attending_school": "on",
            }
        )
    data.update(overrides)
    return data


def test_a_cadre_starts_the_survey_from_the_survey_page(client, cadre_user, entry):
    client.force_login(cadre_user)
    _english(client)
    html = client.get(page(entry)).content.decode()
    assert "Start the survey" in html
    response = client.post(page(entry))
    assert response.status_code == 302
    assert Survey.objects.filter(entry=entry).exists()


def test_the_survey_page_shows_the_sections_and_the_provisional_result(client, staff_user, survey):
    save_all(survey)
    client.force_login(staff_user)
    _english(client)
    html = client.get(page(survey.entry)).content.decode()
    assert "provisional until the commune decision" in html
    assert 'data-proposed="near_poor"' in html
    assert "1.500.000" in html
    assert html.count("Done") == 4
    assert section(survey.entry, "housing") in html


def test_the_result_so_far_names_who_is_deprived(client, cadre_user, survey):
    client.force_login(cadre_user)
    _english(client)
    an = survey.people.get(birth_year=2008)
    data = members_post(survey)
    data.pop(f"p{an.member_id}-attending_school")
    data[f"p{an.member_id}-school_level"] = "primary"
    assert client.post(section(survey.entry, "members"), data).status_code == 302
    html = client.get(page(survey.entry)).content.decode()
    assert "Nông Văn An, 17 years old, is not in school; highest level: primary school" in html
    assert "Not done" in html


def test_a_cadre_saves_the_housing_section(client, cadre_user, survey):
    client.force_login(cadre_user)
    response = client.post(section(survey.entry, "housing"), housing_post(survey.version))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.walls, survey.floor_area_m2, survey.version) == ("concrete_brick", 60, 2)


def test_the_section_page_has_a_label_for_every_member_control(client, cadre_user, survey):
    client.force_login(cadre_user)
    html = client.get(section(survey.entry, "members")).content.decode()
    for row in survey.people.all():
        assert f'for="id_p{row.member_id}-birth_year"' in html
    assert 'type="hidden" name="version" value="1"' in html


def test_a_future_birth_year_is_shown_on_the_members_block(client, cadre_user, survey):
    client.force_login(cadre_user)
    _english(client)
    an = survey.people.get(birth_year=2008)
    data = members_post(survey, **{f"p{an.member_id}-birth_year": "2030"})
    response = client.post(section(survey.entry, "members"), data)
    assert response.status_code == 200
    assert "cannot be after the survey" in response.content.decode()
    survey.refresh_from_db()
    assert survey.version == 1
    assert survey.people.get(pk=an.pk).birth_year == 2008


def test_a_stale_save_shows_the_saved_values_and_keeps_the_input(client, cadre_user, survey):
    other = f.UserFactory()
    f.RoleAssignmentFactory(user=other, commune=survey.entry.campaign.commune)
    client.force_login(other)
    client.post(section(survey.entry, "housing"), housing_post(1, walls="bamboo"))
    client.force_login(cadre_user)
    _english(client)
    response = client.post(
        section(survey.entry, "housing"), housing_post(1, walls="metal", floor_area_m2="77")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this survey" in html
    assert "walls: — → Bamboo, wattle or plywood" in html
    assert 'value="77"' in html
    assert '<option value="metal" selected>' in html
    assert 'name="version" value="2"' in html
    survey.refresh_from_db()
    assert (survey.walls, survey.floor_area_m2, survey.version) == ("bamboo", 60, 2)


def test_an_auditor_reads_the_survey_but_cannot_edit(client, auditor_user, survey):
    client.force_login(auditor_user)
    _english(client)
    html = client.get(page(survey.entry)).content.decode()
    assert "Result so far" in html
    assert section(survey.entry, "housing") not in html
    assert client.get(section(survey.entry, "housing")).status_code == 403
    assert client.post(section(survey.entry, "housing"), housing_post(1)).status_code == 403
    survey.refresh_from_db()
    assert survey.version == 1


def test_an_auditor_cannot_start_a_survey(client, auditor_user, entry):
    client.force_login(auditor_user)
    assert client.post(page(entry)).status_code == 403
    assert not Survey.objects.exists()


def test_a_cadre_of_another_commune_gets_404(client, survey):
    other = f.UserFactory()
    f.RoleAssignmentFactory(user=other)
    client.force_login(other)
    assert client.get(page(survey.entry)).status_code == 404
    assert client.get(section(survey.entry, "housing")).status_code == 404
    assert client.post(section(survey.entry, "housing"), housing_post(1)).status_code == 404
    survey.refresh_from_db()
    assert survey.version == 1


def test_a_donor_is_refused(client, donor_user, survey):
    client.force_login(donor_user)
    assert client.get(page(survey.entry)).status_code == 403


def test_an_unknown_section_is_404(client, cadre_user, survey):
    client.force_login(cadre_user)
    assert client.get(section(survey.entry, "garden")).status_code == 404


def test_an_agreed_household_is_read_only(client, cadre_user, survey):
    CampaignHousehold.objects.filter(pk=survey.entry_id).update(state="agreed")
    client.force_login(cadre_user)
    assert client.get(section(survey.entry, "housing")).status_code == 302
    assert client.post(section(survey.entry, "housing"), housing_post(1)).status_code == 302
    survey.refresh_from_db()
    assert survey.version == 1


def test_the_income_section_offers_the_example_b1_table(client, cadre_user, survey):
    client.force_login(cadre_user)
    html = client.get(section(survey.entry, "income")).content.decode()
    assert "Bảng B1 mẫu — chỉ để minh hoạ" in html
    assert 'value="motorbike"' in html


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_survey_page_runs_the_same_queries_with_more_members(client, cadre_user, survey):
    client.force_login(cadre_user)
    save_all(survey)
    few = _count(client, page(survey.entry))
    household = survey.entry.household
    for year in range(2000, 2006):
        member = f.MemberFactory(household=household, birth_year=year)
        survey.people.create(member=member, birth_year=year)
    assert _count(client, page(survey.entry)) == few
