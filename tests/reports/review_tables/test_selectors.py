"""The yearly tables' figures, the year's decisions, the standard named, the province cache."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.models import Review
from reports.selectors.review_tables import (
    commune_review_tables,
    province_review_tables,
    rate,
)
from tests import factories as f
from tests.reports.review_tables.conftest import decide, household

pytestmark = pytest.mark.django_db


def _by_name(tables):
    return {row.name: row.figures for row in tables.rows}


def test_rates_are_to_one_decimal_half_up_in_integers():
    assert rate(1, 6) == Decimal("16.7")
    assert rate(1, 8) == Decimal("12.5")
    assert rate(1, 16) == Decimal("6.3")  # 6.25 half up, never a float's 6.2
    assert rate(3, 0) is None


def test_counts_rates_and_left_and_fell_by_village_and_for_the_commune(commune, year_2025):
    tables = commune_review_tables(commune=commune, year=2025)
    chang, ma = _by_name(tables)["Bản Chang"], _by_name(tables)["Nà Mạ"]
    assert (chang.households, chang.poor, chang.near_poor, chang.average) == (6, 3, 1, 1)
    assert (chang.poor_rate, chang.near_poor_rate) == (Decimal("50.0"), Decimal("16.7"))
    assert (chang.left_poverty, chang.left_near_poverty) == (2, 1)
    assert (chang.fell_into_poverty, chang.fell_into_near_poverty) == (2, 0)
    # The archived household is not counted.
    assert (ma.households, ma.poor, ma.near_poor, ma.fell_into_near_poverty) == (4, 1, 2, 1)
    total = tables.total
    assert (total.households, total.poor, total.near_poor, total.average) == (10, 4, 3, 1)
    assert (total.poor_rate, total.near_poor_rate) == (Decimal("40.0"), Decimal("30.0"))
    assert (total.left_poverty, total.left_near_poverty) == (2, 1)
    assert (total.fell_into_poverty, total.fell_into_near_poverty) == (2, 1)


def test_deprivation_counts_each_indicator_of_the_years_standard(commune, year_2025):
    tables = commune_review_tables(commune=commune, year=2025)
    lines = {line.code: line for line in tables.deprivation}
    assert {line.standard for line in tables.deprivation} == {"2022-2025"}
    # The 2022–2025 standard's twelve indicators, no waste (a 2027–2030 indicator).
    assert len(lines) == 12
    assert "waste" not in lines
    assert (lines["water"].poor, lines["water"].near_poor) == (4, 2)
    assert (lines["health_insurance"].poor, lines["housing_area"].poor) == (3, 3)
    assert (lines["toilet"].poor, lines["telecom"].poor, lines["telecom"].near_poor) == (1, 1, 1)
    assert (lines["employment"].poor, lines["employment"].near_poor) == (0, 0)


def test_ethnicity_causes_and_needs(commune, year_2025):
    tables = commune_review_tables(commune=commune, year=2025)
    ethnicity = {line.code: (line.poor, line.near_poor) for line in tables.ethnicity}
    assert ethnicity == {"dao": (1, 0), "tay": (3, 3)}
    causes = {line.code: (line.poor, line.near_poor) for line in tables.causes}
    assert causes["land"] == (2, 0)
    assert causes["capital"] == causes["illness"] == causes["labour"] == (1, 0)
    assert causes["disaster"] == (0, 0)
    needs = {line.code: (line.poor, line.near_poor) for line in tables.needs}
    assert needs["credit"] == (2, 0)
    assert needs["training"] == (0, 1)
    assert needs["housing"] == needs["health_insurance"] == needs["livelihood"] == (1, 0)


def test_each_year_names_the_standard_it_used(commune, villages):
    chang = villages[0]
    one = household(chang)
    decide(commune, 2025, [(one, "poor", "poor", ["water"])])
    decide(commune, 2027, [(one, "near_poor", "poor", ["waste"])], standard="2027-2030")
    first = commune_review_tables(commune=commune, year=2025)
    later = commune_review_tables(commune=commune, year=2027)
    assert [code for code, _name, _decree in first.standards] == ["2022-2025"]
    assert "07/2021" in first.standard_label
    assert [code for code, _name, _decree in later.standards] == ["2027-2030"]
    assert "351/2025" in later.standard_label
    codes = {line.code for line in later.deprivation}
    assert "waste" in codes
    assert "information_means" not in codes
    assert {line.code: line.near_poor for line in later.deprivation}["waste"] == 1


def test_an_adhoc_decision_after_the_periodic_one_counts_by_the_latest_review(commune, villages):
    chang = villages[0]
    one, two = household(chang), household(chang)
    decide(commune, 2025, [(one, "poor", "poor"), (two, "poor", "poor")])
    decide(
        commune,
        2025,
        [(one, "near_poor", "poor")],
        kind="adhoc",
        signed_on=datetime.date(2025, 12, 20),
    )
    # An ad-hoc decision before the periodic one is superseded by it: not counted.
    decide(
        commune,
        2025,
        [(two, "none", "poor")],
        kind="adhoc",
        signed_on=datetime.date(2025, 3, 1),
    )
    total = commune_review_tables(commune=commune, year=2025).total
    assert (total.poor, total.near_poor, total.left_poverty) == (1, 1, 1)
    assert len(commune_review_tables(commune=commune, year=2025).decisions) == 2


def test_a_year_without_a_decision_has_households_and_no_counts(commune, villages):
    household(villages[0])
    tables = commune_review_tables(commune=commune, year=2024)
    assert tables.total.households == 1
    assert not tables.total.any_counted
    assert tables.standards == []


def _commune_queries(commune) -> int:
    with CaptureQueriesContext(connection) as queries:
        commune_review_tables(commune=commune, year=2025)
    return len(queries)


def test_the_commune_tables_run_the_same_queries_with_few_and_many_rows(commune, villages):
    few = [household(villages[0]) for _n in range(2)]
    decide(commune, 2025, [(h, "poor", "poor", ["water"]) for h in few])
    decide(
        commune,
        2025,
        [(few[0], "near_poor", "poor")],
        kind="adhoc",
        signed_on=datetime.date(2025, 12, 20),
    )
    counted = _commune_queries(commune)
    assert counted == 5  # decisions, villages, indicators, counts, ethnicity
    other = f.VillageFactory(commune=commune)
    many = [household(v) for v in (*villages, other) for _n in range(8)]
    decide(
        commune,
        2025,
        [(h, "near_poor", "none", ["telecom"], ["land"], ["credit"]) for h in many],
        kind="adhoc",
        signed_on=datetime.date(2025, 12, 22),
    )
    assert _commune_queries(commune) == counted


def test_the_province_table_is_cached_until_a_new_decision(
    commune, year_2025, auditor_user, django_assert_num_queries
):
    other = f.CommuneFactory(province=commune.province, name="Xã Khác")
    village = f.VillageFactory(commune=other)
    decide(other, 2025, [(household(village), "poor", "near_poor", ["water"])])
    first = province_review_tables(user=auditor_user, province_pk=commune.province_id, year=2025)
    assert {row.name: row.figures.poor for row in first.rows} == {commune.name: 4, "Xã Khác": 1}
    assert first.total.poor == 5
    # Again: the scope's province, the fingerprint, no review read.
    with CaptureQueriesContext(connection) as queries:
        again = province_review_tables(
            user=auditor_user, province_pk=commune.province_id, year=2025
        )
    assert len(queries) == 2
    table = f'"{Review._meta.db_table}"'
    assert not any(table in q["sql"] for q in queries.captured_queries)
    assert again.total.poor == 5
    decide(
        other,
        2025,
        [(household(village), "poor", "none")],
        kind="adhoc",
        signed_on=datetime.date(2025, 12, 28),
    )
    fresh = province_review_tables(user=auditor_user, province_pk=commune.province_id, year=2025)
    assert fresh.total.poor == 6


def test_office_staff_see_the_province_rows_of_their_communes_only(commune, year_2025, staff_user):
    other = f.CommuneFactory(province=commune.province)
    decide(other, 2025, [(household(f.VillageFactory(commune=other)), "poor", "poor")])
    tables = province_review_tables(user=staff_user, province_pk=commune.province_id, year=2025)
    assert [row.name for row in tables.rows] == [commune.name]
    assert tables.total.poor == 4
