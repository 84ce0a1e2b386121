"""Each deprivation rule at its cut-off and around it, with the reason it gives (pure functions:
no database; the cut-offs are the shipped standards')."""

import dataclasses

import pytest
from django.utils import translation

from households import poverty
from households.deprivation import Facts, Person, deprivations

YEAR = 2025
STANDARDS = {found.code: found for found in poverty._shipped()}
OLD, NEW = STANDARDS["2022-2025"], STANDARDS["2027-2030"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def adult(name="Nông Văn Hùng", age=40, **facts):
    base = {
        "attending_school": False,
        "school_level": "upper_secondary",
        "health_insurance": True,
        "work": "own_account",
    }
    return Person(name=name, birth_year=YEAR - age, **{**base, **facts})


def child(name="Nông Văn An", age=10, **facts):
    base = {"attending_school": True, "school_level": "primary", "health_insurance": True}
    return Person(name=name, birth_year=YEAR - age, **{**base, **facts})


GOOD = Facts(
    year=YEAR,
    people=(adult(), adult("Hoàng Thị Mai", 38)),
    walls="concrete_brick",
    frame="concrete",
    roof="tiles",
    floor_area_m2=40,
    water="tap",
    toilet="flush_septic",
    uses_telecom=True,
    information_means=("television",),
    waste="collected",
)


def found(facts, standard=OLD):
    return {item.code: item.reason for item in deprivations(facts, standard)}


def with_people(*people, **facts):
    return dataclasses.replace(GOOD, people=people, **facts)


def test_a_household_with_good_facts_is_deprived_on_nothing():
    assert found(GOOD) == {}
    assert found(GOOD, NEW) == {}


def test_facts_not_surveyed_yet_make_no_deprivation():
    assert found(Facts(year=YEAR)) == {}


# --- employment ---------------------------------------------------------------------------


def test_an_unemployed_working_age_member_is_deprived_on_employment():
    facts = with_people(adult(work="unemployed", age=25), adult("Hoàng Thị Mai"))
    assert found(facts) == {"employment": "Nông Văn Hùng, 25 years old, is unemployed"}


def test_wage_work_without_a_contract_is_deprived_on_employment():
    facts = with_people(adult(work="wage_no_contract", age=15))
    assert found(facts)["employment"] == (
        "Nông Văn Hùng, 15 years old, works for a wage without a contract"
    )


@pytest.mark.parametrize("age", [14, 60])
def test_outside_the_working_age_employment_does_not_count(age):
    facts = with_people(adult(work="unemployed", age=age), adult("Hoàng Thị Mai"), adult("B"))
    assert "employment" not in found(facts)


def test_at_59_employment_still_counts():
    facts = with_people(adult(work="unemployed", age=59))
    assert "employment" in found(facts)


def test_a_member_unable_to_work_is_not_deprived_on_employment():
    facts = with_people(adult(work="unemployed", able_to_work=False), adult("B"), adult("C"))
    assert "employment" not in found(facts)


# --- dependants ---------------------------------------------------------------------------


def test_more_than_half_dependants_is_deprived():
    facts = with_people(adult(), child(), child("Nông Thị Bé", 5))
    assert found(facts) == {"dependents": "2 of the 3 members are dependants"}


def test_exactly_half_dependants_is_not_deprived():
    facts = with_people(adult(), child())
    assert "dependents" not in found(facts)


def test_age_16_is_not_a_child_and_60_is_elderly():
    assert "dependents" not in found(with_people(adult(), adult("B", 16), child()))
    assert found(with_people(adult(), adult("Bà Lương", 60), child()))["dependents"] == (
        "2 of the 3 members are dependants"
    )


def test_a_member_unable_to_work_is_a_dependant():
    facts = with_people(adult(), adult("B", able_to_work=False), child())
    assert "dependents" in found(facts)


# --- nutrition ----------------------------------------------------------------------------


def test_a_stunted_child_is_deprived_on_nutrition():
    facts = with_people(adult(), adult("B"), child(age=15, stunted=True))
    assert found(facts) == {"nutrition": "Nông Văn An, 15 years old, is stunted"}


def test_an_underweight_child_is_deprived_on_nutrition():
    facts = with_people(adult(), adult("B"), child(age=2, underweight=True, attending_school=False))
    assert found(facts)["nutrition"] == "Nông Văn An, 2 years old, is underweight"


def test_at_16_stunting_is_not_counted():
    facts = with_people(adult(), adult("B"), adult("Nông Văn An", 16, stunted=True))
    assert "nutrition" not in found(facts)


# --- health insurance ---------------------------------------------------------------------


def test_a_member_of_6_without_insurance_is_deprived():
    facts = with_people(adult(), adult("B"), child(age=6, health_insurance=False))
    assert found(facts) == {"health_insurance": "Nông Văn An, 6 years old, has no health insurance"}


def test_a_child_of_5_without_insurance_is_not_counted():
    facts = with_people(adult(), adult("B"), child(age=5, health_insurance=False))
    assert "health_insurance" not in found(facts)


def test_every_member_without_insurance_is_named():
    facts = with_people(
        adult(health_insurance=False), adult("Hoàng Thị Mai", 38, health_insurance=False)
    )
    assert found(facts)["health_insurance"] == (
        "Nông Văn Hùng, 40 years old, has no health insurance; "
        "Hoàng Thị Mai, 38 years old, has no health insurance"
    )


# --- adult education ----------------------------------------------------------------------


@pytest.mark.parametrize("age", [16, 30])
def test_a_member_of_16_to_30_out_of_school_below_lower_secondary_is_deprived(age):
    facts = with_people(adult(), adult("Nông Văn A", age, school_level="primary"))
    assert found(facts) == {
        "adult_education": (
            f"Nông Văn A, {age} years old, is not in school; highest level: primary school"
        )
    }


@pytest.mark.parametrize("age", [15, 31])
def test_outside_16_to_30_adult_education_does_not_count(age):
    facts = with_people(adult(), adult("B"), adult("Nông Văn A", age, school_level="primary"))
    assert "adult_education" not in found(facts)


def test_lower_secondary_is_enough_and_attending_is_enough():
    facts = with_people(adult(), adult("A", 20, school_level="lower_secondary"))
    assert "adult_education" not in found(facts)
    facts = with_people(adult(), adult("A", 20, school_level="primary", attending_school=True))
    assert "adult_education" not in found(facts)


# --- child schooling ----------------------------------------------------------------------


@pytest.mark.parametrize("age", [3, 15])
def test_a_child_of_3_to_15_not_in_school_is_deprived(age):
    facts = with_people(adult(), adult("B"), child(age=age, attending_school=False))
    assert found(facts) == {"child_schooling": f"Nông Văn An, {age} years old, is not in school"}


@pytest.mark.parametrize("age", [2, 16])
def test_outside_3_to_under_16_child_schooling_does_not_count(age):
    person = child(age=age, attending_school=False, school_level="lower_secondary")
    assert "child_schooling" not in found(with_people(adult(), adult("B"), person))


# --- housing ------------------------------------------------------------------------------


def test_two_of_three_parts_not_durable_is_deprived_on_housing_quality():
    facts = dataclasses.replace(GOOD, walls="bamboo", roof="leaves")
    assert found(facts) == {
        "housing_quality": (
            "Not durable: walls: Bamboo, wattle or plywood, roof: Leaves, straw or tarpaulin"
        )
    }


def test_one_part_not_durable_is_not_deprived():
    assert found(dataclasses.replace(GOOD, walls="bamboo")) == {}


def test_under_8_m2_a_person_is_deprived_on_housing_area():
    facts = dataclasses.replace(GOOD, floor_area_m2=15)
    assert found(facts) == {"housing_area": "15 m² for 2 people (7.5 m² each)"}


def test_exactly_8_m2_a_person_is_not_deprived():
    assert found(dataclasses.replace(GOOD, floor_area_m2=16)) == {}


# --- water, sanitation, information, waste ------------------------------------------------


def test_unclean_water_is_deprived():
    facts = dataclasses.replace(GOOD, water="surface")
    assert found(facts) == {"water": "Domestic water: River, lake or pond"}


def test_every_clean_source_is_clean():
    for source in ("tap", "borehole", "protected_well", "protected_spring", "rain", "bottled"):
        assert found(dataclasses.replace(GOOD, water=source)) == {}


def test_an_unhygienic_latrine_is_deprived():
    facts = dataclasses.replace(GOOD, toilet="pit")
    assert found(facts) == {"toilet": "Latrine: Simple pit latrine"}


def test_no_telecom_use_is_deprived():
    facts = dataclasses.replace(GOOD, uses_telecom=False)
    assert found(facts) == {"telecom": "No member uses a telephone or the internet"}


def test_no_means_of_information_is_deprived_under_2022_2025_only():
    facts = dataclasses.replace(GOOD, information_means=())
    assert found(facts) == {
        "information_means": "No television, radio, computer, telephone or village loudspeaker"
    }
    assert found(facts, NEW) == {}


def test_one_means_of_information_is_enough():
    assert found(dataclasses.replace(GOOD, information_means=("loudspeaker",))) == {}


def test_untreated_waste_is_deprived_under_2027_2030_only():
    facts = dataclasses.replace(GOOD, waste="dumped")
    assert found(facts, NEW) == {"waste": "Household waste: Dumped in the open"}
    assert found(facts) == {}


def test_the_cut_offs_come_from_the_standard():
    stricter = dataclasses.replace(
        OLD, indicators={**OLD.indicators, "housing_area": {"min_m2_per_person": 25}}
    )
    assert "housing_area" in found(GOOD, stricter)


def test_the_reason_is_in_the_active_language():
    facts = with_people(adult(age=25, work="unemployed"))
    with translation.override("vi"):
        reason = found(facts)["employment"]
    assert reason.startswith("Nông Văn Hùng, 25")
