"""Income per person per month: by source over 12 months, or by points on a B1 table."""

import pytest

from households.deprivation import income_by_points, income_by_sources

ITEMS = [
    {"code": "motorbike", "label": "Xe máy", "points": 15},
    {"code": "fridge", "label": "Tủ lạnh", "points": 10},
    {"code": "house_solid", "label": "Nhà kiên cố", "points": 25},
]
BANDS = [
    {"min_points": 30, "income_vnd": 1_300_000},
    {"min_points": 0, "income_vnd": 900_000},
    {"min_points": 50, "income_vnd": 1_700_000},
]


def test_the_income_is_the_net_shared_by_members_over_twelve_months():
    assert income_by_sources(sources=[30_000_000, 24_000_000], costs=0, members=3) == 1_500_000


def test_costs_are_taken_off_and_the_result_rounded_down():
    # 54,000,001 - 1 = 54,000,000 → 1,500,000; one more đồng does not make a whole đồng more.
    assert income_by_sources(sources=[54_000_001], costs=1, members=3) == 1_500_000
    assert income_by_sources(sources=[54_000_035], costs=0, members=3) == 1_500_000
    assert income_by_sources(sources=[54_000_036], costs=0, members=3) == 1_500_001


def test_costs_above_the_income_give_zero_not_a_negative_income():
    assert income_by_sources(sources=[1_000_000], costs=5_000_000, members=2) == 0


def test_a_negative_income_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        income_by_sources(sources=[-1], costs=0, members=1)


def test_a_fraction_of_a_dong_is_refused():
    with pytest.raises(ValueError, match="whole number of đồng"):
        income_by_sources(sources=[1000.5], costs=0, members=1)


def test_a_household_without_members_is_refused():
    with pytest.raises(ValueError, match="at least one member"):
        income_by_sources(sources=[1], costs=0, members=0)


def test_points_give_the_income_of_the_highest_band_reached():
    assert income_by_points(items=ITEMS, bands=BANDS, chosen=[]) == (0, 900_000)
    assert income_by_points(items=ITEMS, bands=BANDS, chosen=["motorbike", "fridge"]) == (
        25,
        900_000,
    )
    assert income_by_points(items=ITEMS, bands=BANDS, chosen=["motorbike", "house_solid"]) == (
        40,
        1_300_000,
    )
    assert income_by_points(
        items=ITEMS, bands=BANDS, chosen=["motorbike", "fridge", "house_solid"]
    ) == (50, 1_700_000)


def test_an_item_ticked_twice_counts_once():
    assert income_by_points(items=ITEMS, bands=BANDS, chosen=["fridge", "fridge"])[0] == 10


def test_an_item_not_in_the_table_is_refused():
    with pytest.raises(ValueError, match="Items not in the table: tractor"):
        income_by_points(items=ITEMS, bands=BANDS, chosen=["tractor"])
