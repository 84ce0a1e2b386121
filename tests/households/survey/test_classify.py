"""``classify`` at the lines' exact values and around them, for both standards (read from the
rows migration 0009 loaded), and ``standard_for`` at the standards' edges."""

import datetime

import pytest

from households.poverty import classify, standard_for

pytestmark = pytest.mark.django_db

TWO = ["water", "toilet"]
THREE = ["water", "toilet", "telecom"]
LINES = {
    # standard, area: (income line, average line or None)
    ("2022-2025", "rural"): (1_500_000, 2_250_000),
    ("2022-2025", "urban"): (2_000_000, 3_000_000),
    ("2027-2030", "rural"): (2_200_000, None),
    ("2027-2030", "urban"): (2_800_000, None),
}
CASES = [(standard, area, *lines) for (standard, area), lines in LINES.items()]


@pytest.mark.parametrize(("standard", "area", "line", "average"), CASES)
def test_at_the_line_three_deprivations_make_a_household_poor(standard, area, line, average):
    assert classify(standard, area=area, income_vnd=line, deprived=THREE) == "poor"
    assert classify(standard, area=area, income_vnd=line - 1, deprived=THREE) == "poor"
    assert classify(standard, area=area, income_vnd=0, deprived=THREE) == "poor"


@pytest.mark.parametrize(("standard", "area", "line", "average"), CASES)
def test_at_the_line_two_deprivations_make_a_household_near_poor(standard, area, line, average):
    assert classify(standard, area=area, income_vnd=line, deprived=TWO) == "near_poor"
    assert classify(standard, area=area, income_vnd=line, deprived=[]) == "near_poor"


@pytest.mark.parametrize(("standard", "area", "line", "average"), CASES)
def test_one_dong_above_the_line_is_neither_poor_nor_near_poor(standard, area, line, average):
    expected = "average" if average else "none"
    assert classify(standard, area=area, income_vnd=line + 1, deprived=THREE) == expected
    assert classify(standard, area=area, income_vnd=line + 1, deprived=TWO) == expected


@pytest.mark.parametrize(
    ("standard", "area", "line", "average"), [case for case in CASES if case[3]]
)
def test_the_average_band_ends_at_its_line(standard, area, line, average):
    assert classify(standard, area=area, income_vnd=average, deprived=[]) == "average"
    assert classify(standard, area=area, income_vnd=average + 1, deprived=[]) == "none"


def test_2027_2030_has_no_average_band():
    assert classify("2027-2030", area="rural", income_vnd=2_200_001, deprived=[]) == "none"
    assert classify("2027-2030", area="urban", income_vnd=3_000_000, deprived=[]) == "none"


def test_an_unknown_standard_is_refused():
    with pytest.raises(ValueError, match="Unknown poverty standard"):
        classify("2016-2020", area="rural", income_vnd=1, deprived=[])


def test_an_unknown_area_is_refused():
    with pytest.raises(ValueError, match="Unknown area"):
        classify("2022-2025", area="mountain", income_vnd=1, deprived=[])


def test_an_unknown_indicator_is_refused():
    with pytest.raises(ValueError, match="'electricity'"):
        classify("2022-2025", area="rural", income_vnd=1, deprived=["electricity"])


def test_information_means_is_unknown_under_2027_2030():
    with pytest.raises(ValueError, match="'information_means'"):
        classify("2027-2030", area="rural", income_vnd=1, deprived=["information_means"])


def test_waste_is_unknown_under_2022_2025():
    with pytest.raises(ValueError, match="'waste'"):
        classify("2022-2025", area="rural", income_vnd=1, deprived=["waste"])


def test_each_standard_knows_its_own_new_indicator():
    assert classify("2027-2030", area="rural", income_vnd=1, deprived=["waste"]) == "near_poor"
    assert (
        classify("2022-2025", area="rural", income_vnd=1, deprived=["information_means"])
        == "near_poor"
    )


def test_the_standard_changes_on_the_first_of_january_2027():
    assert standard_for(datetime.date(2022, 1, 1)) == "2022-2025"
    assert standard_for(datetime.date(2026, 12, 31)) == "2022-2025"
    assert standard_for(datetime.date(2027, 1, 1)) == "2027-2030"


def test_no_standard_covers_a_day_before_2022():
    with pytest.raises(ValueError, match="No poverty standard covers 2021-12-31"):
        standard_for(datetime.date(2021, 12, 31))
