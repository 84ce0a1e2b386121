"""A household of the partnership's commune on its 2025 review, with three members, and the
survey data that passes every check."""

import datetime

import pytest

from households.models import Member
from tests import factories as f

SURVEYED_ON = datetime.date(2025, 10, 2)


@pytest.fixture
def village(partnership):
    return f.VillageFactory(commune=partnership.commune, name="Pác Hợp")


@pytest.fixture
def entry(village):
    household = f.HouseholdFactory(village=village, code="LP-0201", head_name="Nông Văn Hùng")
    f.MemberFactory(
        household=household,
        full_name="Nông Văn Hùng",
        relation=Member.Relation.HEAD,
        birth_year=1980,
        sex=Member.Sex.MALE,
    )
    f.MemberFactory(
        household=household, full_name="Hoàng Thị Mai", relation="spouse", birth_year=1982
    )
    f.MemberFactory(household=household, full_name="Nông Văn An", birth_year=2008)
    campaign = f.ReviewCampaignFactory(commune=village.commune)
    return f.CampaignHouseholdFactory(campaign=campaign, household=household)


@pytest.fixture
def survey(entry):
    from households.services import survey_start

    return survey_start(actor=None, entry=entry)


def people_data(survey, **overrides):
    """Every member with facts that make no deprivation; ``overrides`` by full name."""
    rows = []
    for row in survey.people.select_related("member").order_by("member_id"):
        person = {
            "member": row.member_id,
            "birth_year": row.birth_year,
            "attending_school": row.birth_year > 2000,
            "school_level": "upper_secondary",
            "health_insurance": True,
            "work": "own_account",
            "able_to_work": True,
            "stunted": False,
            "underweight": False,
        }
        person.update(overrides.get(row.member.full_name, {}))
        rows.append(person)
    return rows


def members_data(survey, **overrides):
    return {"surveyed_on": SURVEYED_ON, "area": "rural", "people": people_data(survey, **overrides)}


HOUSING = {"walls": "concrete_brick", "frame": "concrete", "roof": "tiles", "floor_area_m2": 60}
SERVICES = {
    "water": "tap",
    "toilet": "flush_septic",
    "uses_telecom": True,
    "information_means": ["television", "telephone"],
    "waste": "",
}
# 3 members: 54,000,000 less 0 over 36 months = 1,500,000 a person a month: at the rural line.
INCOME = {"income_crops_vnd": 30_000_000, "income_wages_vnd": 24_000_000, "costs_vnd": 0}


def save_all(survey, actor=None, **sections):
    """Save the four sections (``sections`` replace the data of some); return the survey."""
    from households.services import survey_save

    data = {
        "members": members_data(survey),
        "housing": HOUSING,
        "services": SERVICES,
        "income": INCOME,
        **sections,
    }
    for name in ("members", "housing", "services", "income"):
        survey = survey_save(
            actor=actor, survey=survey, section=name, data=data[name], version=survey.version
        )
    return survey
