"""The dashboard: year by year and village by village, every chart with its table beneath."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Asset
from households.models import Poverty, Status
from reports.selectors import dashboard, improved_households
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("reports:dashboard")
D = datetime.date
REVIEW_DAY = D(2024, 12, 13)


@pytest.fixture
def ground(partnership):
    """Two villages of the partnership, with reviews, gifts, a grant, assets and activities."""
    pac_hop = f.VillageFactory(commune=partnership.commune, name="Pác Hợp")
    lung_lua = f.VillageFactory(commune=partnership.commune, name="Lũng Lừa")

    def review(village, before, after, day=REVIEW_DAY, approved=True):
        household = f.HouseholdFactory(village=village)
        return f.ReviewFactory(
            household=household,
            previous_classification=before,
            classification=after,
            status="",
            reviewed_on=day,
            approved=approved,
        )

    review(pac_hop, Poverty.POOR, Poverty.NEAR_POOR)  # left poverty
    review(pac_hop, Poverty.POOR, Poverty.NONE)  # left poverty
    review(lung_lua, Poverty.POOR, Poverty.AVERAGE)  # left poverty
    review(lung_lua, Poverty.NEAR_POOR, Poverty.NONE)  # left near-poverty
    review(lung_lua, Poverty.NEAR_POOR, Poverty.POOR)  # worse: not counted
    review(pac_hop, Poverty.POOR, Poverty.POOR)  # unchanged
    review(pac_hop, Poverty.POOR, Poverty.NONE, approved=False)  # not approved: not counted
    review(pac_hop, Poverty.NEAR_POOR, Poverty.NONE, day=D(2023, 12, 14))  # another year
    # A review of before the campaigns counts by the classification its status meant
    # (migration 0009): poor to "in difficulty" is poor to "none", so it left poverty.
    f.ReviewFactory(
        household=f.HouseholdFactory(village=lung_lua),
        previous_status=Status.POOR,
        status=Status.DIFFICULTY,
        previous_classification=Poverty.POOR,
        classification=Poverty.NONE,
        reviewed_on=REVIEW_DAY,
    )
    distribution = f.DistributionFactory(partnership=partnership, distributed_on=D(2024, 7, 24))
    confirmed = datetime.datetime(2024, 7, 24, 2, tzinfo=datetime.UTC)
    for village, count in ((pac_hop, 3), (lung_lua, 2)):
        for _ in range(count):
            f.ReceiptFactory(
                distribution=distribution,
                household=f.HouseholdFactory(village=village),
                confirmed_at=confirmed,
            )
    f.ReceiptFactory(distribution=distribution, household=f.HouseholdFactory(village=pac_hop))
    f.GrantFactory(
        partnership=partnership,
        household=f.HouseholdFactory(village=lung_lua),
        approved_on=D(2024, 8, 5),
    )
    for status in (Asset.Status.WORKING, Asset.Status.FAULTY, Asset.Status.REPAIRED):
        f.AssetFactory(
            partnership=partnership, village=pac_hop, installed_on=D(2023, 8, 28), status=status
        )
    f.AssetFactory(
        partnership=partnership,
        village=lung_lua,
        kind=Asset.Kind.TRASH_BIN,
        installed_on=D(2022, 10, 15),
        status=Asset.Status.REMOVED,
    )
    f.ActivityFactory(
        partnership=partnership,
        starts_on=D(2024, 5, 19),
        office_staff_count=10,
        cadre_count=14,
        resident_count=21,
        kind="study_trip",
    )
    f.ActivityFactory(partnership=partnership, starts_on=D(2024, 3, 23), resident_count=96)
    # Another partnership's rows never reach this dashboard's staff.
    elsewhere = f.HouseholdFactory()
    f.ReviewFactory(
        household=elsewhere,
        previous_classification=Poverty.POOR,
        classification=Poverty.NONE,
        reviewed_on=D(2024, 12, 1),
    )
    f.AssetFactory(installed_on=D(2023, 1, 1), status=Asset.Status.FAULTY)
    return {"pac_hop": pac_hop, "lung_lua": lung_lua}


def test_households_that_left_poverty_are_counted_by_year_and_village(staff_user, ground):
    improved = improved_households(user=staff_user, first_year=2023, last_year=2024)
    assert improved["years"] == [
        {"year": 2023, "left_poverty": 0, "left_near_poverty": 1},
        {"year": 2024, "left_poverty": 4, "left_near_poverty": 1},
    ]
    by_village = {
        (year, row["place_name"]): (row["left_poverty"], row["left_near_poverty"])
        for (year, _village), row in improved["villages"].items()
    }
    assert by_village == {
        (2023, "Pác Hợp"): (0, 1),
        (2024, "Pác Hợp"): (2, 0),
        (2024, "Lũng Lừa"): (2, 1),
    }


def test_each_village_row_adds_up_gifts_grants_assets_and_improvements(staff_user, ground):
    data = dashboard(user=staff_user, first_year=2022, last_year=2024)
    rows = {(row["year"], row["village"]): row for row in data["villages"]}
    assert rows[(2024, "Pác Hợp")]["households"] == 3  # the unconfirmed receipt is left out
    assert rows[(2024, "Pác Hợp")]["receipts_vnd"] == 1_500_000
    assert rows[(2024, "Lũng Lừa")]["grants"] == 1
    assert rows[(2024, "Lũng Lừa")]["grants_vnd"] == 70_000_000
    assert rows[(2024, "Lũng Lừa")]["left_near_poverty"] == 1
    poles = rows[(2023, "Pác Hợp")]
    assert (poles["assets"], poles["assets_in_service"], poles["assets_faulty"]) == (3, 2, 1)
    assert rows[(2022, "Lũng Lừa")]["assets_removed"] == 1
    assert list(rows) == sorted(rows)


def test_assets_are_counted_by_year_and_state_within_the_scope(staff_user, ground):
    data = dashboard(user=staff_user, first_year=2022, last_year=2024)
    assert [
        (r["year"], r["count"], r["in_service"], r["faulty"], r["removed"]) for r in data["assets"]
    ] == [(2022, 1, 0, 0, 1), (2023, 3, 2, 1, 0)]


def test_activities_are_counted_by_kind_with_their_participants(staff_user, ground):
    data = dashboard(user=staff_user, first_year=2024, last_year=2024)
    trips = next(row for row in data["activity_rows"] if row["count"] and row["office_staff"])
    assert (trips["office_staff"], trips["commune_cadres"], trips["residents"]) == (10, 14, 21)
    assert trips["participants"] == 45
    assert sum(row["count"] for row in data["activity_rows"]) == 2


def test_the_page_draws_each_chart_and_tables_carry_the_numbers(client, staff_user, ground):
    client.force_login(staff_user)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    charts = response.context["charts"]
    improved = {bar.label: bar for bar in charts["improved"].bars}
    assert [(part.name, part.value) for part in improved["2024"].segments] == [
        ("Thoát nghèo", 4),
        ("Thoát cận nghèo", 1),
    ]
    participants = {bar.label: bar.total for bar in charts["participants"].bars}
    assert participants["2024"] == 45 + 96
    # Drawn by the server: a bar per year, no script, no chart library.
    for chart in ("chart-funding", "chart-households", "chart-improved", "chart-participants"):
        assert f'id="{chart}" role="img"' in html
    assert 'class="bar-s0" x="0" width="100"' in html
    assert "chart.umd" not in html
    for table in ("table-improved", "table-activities", "table-assets", "table-villages"):
        assert f'id="{table}"' in html
    assert "70.000.000\u00a0₫" in html
    assert "<script>" not in html
    assert 'style="' not in html
    assert reverse("reports:dashboard-download", args=["pdf"]) in html


def test_the_dashboard_runs_the_same_queries_for_many_rows(
    client, staff_user, partnership, ground, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    village = ground["pac_hop"]
    distribution = f.DistributionFactory(partnership=partnership, distributed_on=D(2024, 9, 1))
    for _ in range(20):
        household = f.HouseholdFactory(village=f.VillageFactory(commune=partnership.commune))
        f.ReceiptFactory(
            distribution=distribution,
            household=household,
            confirmed_at=datetime.datetime(2024, 9, 1, tzinfo=datetime.UTC),
        )
        f.ReviewFactory(
            household=household,
            previous_classification=Poverty.POOR,
            classification=Poverty.NONE,
            reviewed_on=D(2024, 12, 13),
        )
        f.AssetFactory(partnership=partnership, village=village, installed_on=D(2024, 2, 2))
        f.ActivityFactory(partnership=partnership, starts_on=D(2024, 4, 4), kind="other")
    with django_assert_num_queries(len(few)):
        response = client.get(URL)
    assert response.status_code == 200


def test_cadres_and_donors_have_no_dashboard(client, cadre_user, donor_user):
    for user in (cadre_user, donor_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403
