"""The donor's money trail: their donations only, down to villages and household counts."""

import datetime

import pytest
from django.urls import reverse

from activities.services import donation_allocate
from reports.selectors import household_count_label
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("reports:donor-report")


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (100, "100")]
)
def test_small_groups_of_households_are_not_counted_exactly(count, shown):
    assert household_count_label(count) == shown


@pytest.fixture
def trail(partnership, donor_partner):
    """The donor's 6.000.000 ₫ paid for 12 gifts: 7 in one village, 3 in another, 2 unconfirmed."""
    donation = f.DonationFactory(
        partnership=partnership, partner=donor_partner, value_vnd=6_000_000
    )
    distribution = f.DistributionFactory(
        partnership=partnership, title="Quà Tết 2024", status="distributing"
    )
    big = f.VillageFactory(commune=partnership.commune, name="Pác Hợp")
    small = f.VillageFactory(commune=partnership.commune, name="Lũng Lừa")
    now = datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)
    for village, count, confirmed in ((big, 7, now), (small, 3, now), (big, 2, None)):
        for _ in range(count):
            f.ReceiptFactory(
                distribution=distribution,
                household=f.HouseholdFactory(village=village),
                confirmed_at=confirmed,
            )
    donation_allocate(
        actor=None, donation=donation, amount_vnd=6_000_000, distribution=distribution
    )
    other = f.DonationFactory(partnership=partnership, value_vnd=99_000_000)
    return {"donation": donation, "distribution": distribution, "other": other}


def test_donor_sees_their_money_down_to_villages_without_names(
    client, donor_user, trail, django_assert_max_num_queries
):
    client.force_login(donor_user)
    # 14, and the poverty review's counts: the year (one), then the decisions, communes, counts.
    with django_assert_max_num_queries(18):
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "6.000.000\u00a0₫" in html
    assert "Quà Tết 2024" in html
    assert "Pác Hợp: 7" in html
    assert "Lũng Lừa: &lt; 5" in html
    assert "99.000.000\u00a0₫" not in html  # someone else's donation
    for receipt in trail["distribution"].receipts.select_related("household"):
        assert receipt.household.head_name not in html
        assert receipt.household.code not in html


def test_query_count_does_not_grow_with_donations(client, donor_user, partnership, donor_partner):
    client.force_login(donor_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(URL)
        return len(captured)

    f.DonationFactory(partnership=partnership, partner=donor_partner)
    first = queries()
    for _ in range(5):
        donation = f.DonationFactory(partnership=partnership, partner=donor_partner)
        asset = f.AssetFactory(partnership=partnership)
        donation_allocate(actor=None, donation=donation, amount_vnd=1_000, asset=asset)
    assert queries() == first


def test_staff_choose_a_partner_and_a_donor_cannot(client, staff_user, donor_user, trail):
    other_partner = trail["other"].partner
    client.force_login(staff_user)
    page = client.get(URL, {"partner": other_partner.pk})
    assert page.status_code == 200
    assert "99.000.000\u00a0₫" in page.content.decode()
    client.force_login(donor_user)
    assert client.get(URL, {"partner": other_partner.pk}).status_code == 404


def test_cadres_have_no_money_trail_page(client, cadre_user):
    client.force_login(cadre_user)
    assert client.get(URL).status_code == 403


SUMMARY = reverse("reports:summary-json")


@pytest.mark.parametrize("year", ["", "20x4", "24", "99999", "1800"])
def test_summary_needs_a_year_and_says_so(client, staff_user, year):
    client.force_login(staff_user)
    response = client.get(SUMMARY, {"year": year})
    assert response.status_code == 400
    assert "2024" in response.json()["error"]


def test_summary_counts_only_what_the_user_may_see(client, staff_user, trail):
    elsewhere = f.DistributionFactory(distributed_on=datetime.date(2024, 3, 1))
    f.ReceiptFactory(
        distribution=elsewhere, confirmed_at=datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)
    )
    client.force_login(staff_user)
    figures = client.get(SUMMARY, {"year": 2024}).json()
    assert figures["receipts"] == {"count": 10, "value_vnd": 5_000_000}
    assert figures["households_served"] == 10
    # 6,000,000 ₫ allocated, 5,000,000 ₫ signed for: only the signed part is delivered.
    assert figures["value_delivered_by_funder"] == [
        {"partner": trail["donation"].partner.name, "value_vnd": 5_000_000}
    ]
    assert figures["pending_by_funder"] == [
        {"partner": trail["donation"].partner.name, "value_vnd": 1_000_000}
    ]
