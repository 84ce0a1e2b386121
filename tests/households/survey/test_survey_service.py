"""survey_start and survey_save: the good path to "surveyed", each impossible fact refused
with its field and nothing changed, the version check, and the states that freeze a survey."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from households.models import CampaignHousehold, IncomeTable, Survey, SurveyMember
from households.services import survey_save, survey_start
from tests import factories as f
from tests.households.survey.conftest import (
    HOUSING,
    INCOME,
    SERVICES,
    members_data,
    people_data,
    save_all,
)

pytestmark = pytest.mark.django_db
State = CampaignHousehold.State


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def snapshot(survey):
    survey = Survey.objects.get(pk=survey.pk)
    people = list(SurveyMember.objects.filter(survey=survey).order_by("pk").values())
    entry = CampaignHousehold.objects.filter(pk=survey.entry_id).values("state", "proposed").get()
    fields = {
        field.attname: getattr(survey, field.attname)
        for field in Survey._meta.concrete_fields
        if field.attname != "updated_at"
    }
    return fields, people, entry


def refused(survey, section, data, field, match, actor=None):
    before = snapshot(survey)
    with pytest.raises(ValidationError, match=match) as caught:
        survey_save(actor=actor, survey=survey, section=section, data=data, version=survey.version)
    assert field in caught.value.message_dict
    assert snapshot(survey) == before


# --- Starting -------------------------------------------------------------------------------


def test_starting_copies_the_members_and_their_birth_years(entry, cadre_user):
    survey = survey_start(actor=cadre_user, entry=entry)
    rows = {row.member.full_name: row.birth_year for row in survey.people.select_related("member")}
    assert rows == {"Nông Văn Hùng": 1980, "Hoàng Thị Mai": 1982, "Nông Văn An": 2008}
    assert survey.version == 1


def test_starting_twice_returns_the_same_survey(entry, cadre_user):
    first = survey_start(actor=cadre_user, entry=entry)
    assert survey_start(actor=cadre_user, entry=entry).pk == first.pk
    assert Survey.objects.count() == 1
    assert SurveyMember.objects.count() == 3


def test_a_replay_of_the_same_client_id_returns_the_same_survey(entry, cadre_user):
    client_id = uuid.uuid4()
    first = survey_start(actor=cadre_user, entry=entry, client_id=client_id)
    again = survey_start(actor=cadre_user, entry=entry, client_id=str(client_id))
    assert again.pk == first.pk
    assert again.client_id == client_id
    assert Survey.objects.count() == 1


def test_a_cadre_of_another_commune_cannot_start_a_survey(entry):
    other = f.UserFactory()
    f.RoleAssignmentFactory(user=other)
    with pytest.raises(ValidationError, match="outside your communes"):
        survey_start(actor=other, entry=entry)
    assert not Survey.objects.exists()


def test_an_auditor_cannot_start_a_survey(entry, auditor_user):
    with pytest.raises(ValidationError, match="outside your communes"):
        survey_start(actor=auditor_user, entry=entry)
    assert not Survey.objects.exists()


# --- The good path ----------------------------------------------------------------------------


def test_four_sections_saved_make_the_household_surveyed_with_a_proposal(survey, cadre_user):
    survey = save_all(survey, actor=cadre_user)
    assert survey.complete
    assert survey.income_per_person_vnd == 1_500_000
    assert survey.deprived == []
    assert survey.proposed == "near_poor"
    assert survey.version == 5
    entry = CampaignHousehold.objects.get(pk=survey.entry_id)
    assert (entry.state, entry.proposed, entry.resurvey) == (State.SURVEYED, "near_poor", False)


def test_three_sections_do_not_yet_make_the_household_surveyed(survey, cadre_user):
    for section, data in (("members", members_data(survey)), ("housing", HOUSING)):
        survey = survey_save(
            actor=cadre_user, survey=survey, section=section, data=data, version=survey.version
        )
    survey = survey_save(
        actor=cadre_user, survey=survey, section="income", data=INCOME, version=survey.version
    )
    assert survey.proposed == ""
    assert CampaignHousehold.objects.get(pk=survey.entry_id).state == State.LISTED


def test_deprivations_with_reasons_make_the_household_poor(survey, cadre_user):
    members = members_data(
        survey, **{"Nông Văn An": {"attending_school": False, "school_level": "primary"}}
    )
    survey = save_all(
        survey,
        actor=cadre_user,
        members=members,
        services={**SERVICES, "water": "surface", "toilet": "pit"},
    )
    assert survey.deprived == ["adult_education", "water", "toilet"]
    assert survey.reasons[0] == {
        "code": "adult_education",
        "reason": "Nông Văn An, 17 years old, is not in school; highest level: primary school",
    }
    assert survey.proposed == "poor"
    assert CampaignHousehold.objects.get(pk=survey.entry_id).proposed == "poor"


def test_saving_a_section_again_computes_again(survey, cadre_user):
    survey = save_all(survey, actor=cadre_user)
    survey = survey_save(
        actor=cadre_user,
        survey=survey,
        section="income",
        data={**INCOME, "income_wages_vnd": 24_000_036},
        version=survey.version,
    )
    assert survey.income_per_person_vnd == 1_500_001
    assert survey.proposed == "average"
    assert CampaignHousehold.objects.get(pk=survey.entry_id).proposed == "average"


def test_the_income_can_come_from_the_example_b1_table(survey, cadre_user):
    table = IncomeTable.objects.get(is_example=True)
    survey = save_all(
        survey,
        actor=cadre_user,
        income={"income_table": table, "income_items": ["motorbike", "television", "fridge"]},
    )
    assert survey.income_points == 30
    assert survey.income_per_person_vnd == 1_300_000
    assert survey.proposed == "near_poor"


def test_a_resurvey_entry_can_be_surveyed_and_is_surveyed_after(survey, cadre_user):
    CampaignHousehold.objects.filter(pk=survey.entry_id).update(resurvey=True)
    save_all(survey, actor=cadre_user)
    entry = CampaignHousehold.objects.get(pk=survey.entry_id)
    assert (entry.state, entry.resurvey) == (State.SURVEYED, False)


# --- Impossible facts -------------------------------------------------------------------------


def test_a_birth_year_in_the_future_is_refused(survey):
    data = members_data(survey, **{"Nông Văn An": {"birth_year": 2026}})
    pk = data["people"][2]["member"]
    refused(survey, "members", data, f"people.{pk}.birth_year", "cannot be after")


def test_a_birth_year_before_1900_is_refused(survey):
    data = members_data(survey, **{"Nông Văn Hùng": {"birth_year": 1899}})
    pk = data["people"][0]["member"]
    refused(survey, "members", data, f"people.{pk}.birth_year", "before 1900")


def test_a_child_of_12_at_university_is_refused(survey):
    data = members_data(
        survey, **{"Nông Văn An": {"birth_year": 2013, "school_level": "university"}}
    )
    pk = data["people"][2]["member"]
    refused(survey, "members", data, f"people.{pk}.school_level", "At 12 years old")


def test_a_child_of_14_in_vocational_training_is_refused(survey):
    data = members_data(
        survey, **{"Nông Văn An": {"birth_year": 2011, "school_level": "vocational"}}
    )
    pk = data["people"][2]["member"]
    refused(survey, "members", data, f"people.{pk}.school_level", "vocational training")


def test_a_child_of_10_past_primary_school_is_refused(survey):
    data = members_data(
        survey, **{"Nông Văn An": {"birth_year": 2015, "school_level": "lower_secondary"}}
    )
    pk = data["people"][2]["member"]
    refused(survey, "members", data, f"people.{pk}.school_level", "from 11 years")


def test_a_child_of_11_in_lower_secondary_is_accepted(survey):
    data = members_data(
        survey, **{"Nông Văn An": {"birth_year": 2014, "school_level": "lower_secondary"}}
    )
    survey = survey_save(
        actor=None, survey=survey, section="members", data=data, version=survey.version
    )
    assert survey.people.get(birth_year=2014).school_level == "lower_secondary"


def test_a_member_of_another_household_is_refused(survey):
    stranger = f.MemberFactory()
    data = members_data(survey)
    data["people"].append({**data["people"][0], "member": stranger.pk})
    refused(survey, "members", data, f"people.{stranger.pk}.member", "not a member")


def test_a_survey_dated_in_the_future_is_refused(survey):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {**members_data(survey), "surveyed_on": tomorrow}
    refused(survey, "members", data, "surveyed_on", "in the future")


def test_a_survey_dated_before_the_campaigns_year_is_refused(survey):
    data = {**members_data(survey), "surveyed_on": datetime.date(2024, 12, 31)}
    refused(survey, "members", data, "surveyed_on", "before the campaign's year")


def test_an_unknown_area_is_refused(survey):
    refused(survey, "members", {**members_data(survey), "area": "forest"}, "area", "not one of")


def test_an_unknown_work_is_refused(survey):
    data = members_data(survey, **{"Nông Văn Hùng": {"work": "astronaut"}})
    pk = data["people"][0]["member"]
    refused(survey, "members", data, f"people.{pk}.work", "astronaut is not one of the choices")


@pytest.mark.parametrize(
    ("area", "match"), [(0, "more than 0"), (-5, "more than 0"), (2001, "not plausible")]
)
def test_an_impossible_floor_area_is_refused(survey, area, match):
    refused(survey, "housing", {**HOUSING, "floor_area_m2": area}, "floor_area_m2", match)


def test_a_floor_area_of_2000_is_accepted(survey):
    survey = survey_save(
        actor=None,
        survey=survey,
        section="housing",
        data={**HOUSING, "floor_area_m2": 2000},
        version=survey.version,
    )
    assert survey.floor_area_m2 == 2000


def test_an_unknown_wall_is_refused(survey):
    refused(survey, "housing", {**HOUSING, "walls": "glass"}, "walls", "glass is not one of")


def test_an_unknown_means_of_information_is_refused(survey):
    data = {**SERVICES, "information_means": ["television", "pigeon"]}
    refused(survey, "services", data, "information_means", "pigeon")


def test_a_negative_income_is_refused(survey):
    data = {**INCOME, "income_livestock_vnd": -1}
    refused(survey, "income", data, "income_livestock_vnd", "cannot be negative")


def test_an_income_with_a_fraction_of_a_dong_is_refused(survey):
    refused(survey, "income", {**INCOME, "costs_vnd": 10.5}, "costs_vnd", "whole number of đồng")


def test_an_item_not_in_the_b1_table_is_refused(survey):
    table = IncomeTable.objects.get(is_example=True)
    data = {"income_table": table.pk, "income_items": ["tractor"]}
    refused(survey, "income", data, "income_items", "from the table")


def test_an_unknown_section_is_refused(survey):
    refused(survey, "garden", {}, "section", "no such section")


# --- States that freeze the survey --------------------------------------------------------------


@pytest.mark.parametrize("state", [State.AGREED, State.DECIDED])
def test_a_household_agreed_or_decided_cannot_be_surveyed_again(survey, state):
    CampaignHousehold.objects.filter(pk=survey.entry_id).update(state=state)
    before = snapshot(survey)
    with pytest.raises(ValidationError, match="cannot change"):
        survey_save(actor=None, survey=survey, section="housing", data=HOUSING, version=1)
    assert snapshot(survey) == before


def test_a_closed_campaigns_survey_cannot_change(survey):
    CampaignHousehold.objects.get(pk=survey.entry_id).campaign.__class__.objects.update(closed=True)
    before = snapshot(survey)
    with pytest.raises(ValidationError, match="campaign is closed"):
        survey_save(actor=None, survey=survey, section="housing", data=HOUSING, version=1)
    assert snapshot(survey) == before


# --- Two cadres at once -----------------------------------------------------------------------


def test_the_second_of_two_cadres_is_told_what_the_first_changed(survey, cadre_user, staff_user):
    opened = survey.version
    survey_save(
        actor=cadre_user,
        survey=survey,
        section="housing",
        data={**HOUSING, "walls": "bamboo"},
        version=opened,
    )
    before = snapshot(survey)
    with pytest.raises(ValidationError, match="Someone else saved this survey") as caught:
        survey_save(
            actor=staff_user,
            survey=survey,
            section="housing",
            data={**HOUSING, "walls": "metal", "floor_area_m2": 80},
            version=opened,
        )
    assert caught.value.code == "stale"
    message = caught.value.messages[0]
    assert "walls: — → Bamboo, wattle or plywood" in message
    assert "sections saved: Housing" in message
    assert snapshot(survey) == before
    assert Survey.objects.get(pk=survey.pk).walls == "bamboo"


def test_a_stale_members_save_names_the_members_as_saved(survey, cadre_user, staff_user):
    opened = survey.version
    first = members_data(survey, **{"Nông Văn An": {"health_insurance": False}})
    survey_save(actor=cadre_user, survey=survey, section="members", data=first, version=opened)
    with pytest.raises(ValidationError, match="Nông Văn An \\(has health insurance: no\\)"):
        survey_save(
            actor=staff_user,
            survey=survey,
            section="members",
            data=members_data(survey),
            version=opened,
        )
    assert not SurveyMember.objects.get(survey=survey, birth_year=2008).health_insurance


def test_people_data_helper_covers_every_member(survey):
    assert len(people_data(survey)) == 3
