"""The case file page: everything the household received with its funders, the review history,
the log of who opened it, the print view, queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Photo
from households.models import CaseFileView, Status
from tests import factories as f
from tests.households.views.pages import _english

pytestmark = pytest.mark.django_db


# --- The case file --------------------------------------------------------------------------


@pytest.fixture
def full_file(partnership, household):
    """A household that received a gift, a grant and an asset, paid by named partners."""
    agribank = f.PartnerFactory(name="Agribank Tuyên Quang")
    bidv = f.PartnerFactory(name="BIDV Tuyên Quang")
    distribution = f.DistributionFactory(
        partnership=partnership,
        title="Trao quà Tết 2024",
        distributed_on=datetime.date(2024, 1, 30),
        value_per_item_vnd=500_000,
    )
    f.ReceiptFactory(
        distribution=distribution,
        household=household,
        quantity=2,
        value_vnd=1_000_000,
        confirmed_at=timezone.now(),
    )
    f.AllocationFactory(
        donation=f.DonationFactory(partnership=partnership, partner=bidv),
        distribution=distribution,
    )
    grant = f.GrantFactory(partnership=partnership, household=household, amount_vnd=70_000_000)
    f.AllocationFactory(
        donation=f.DonationFactory(partnership=partnership, partner=agribank, value_vnd=80_000_000),
        distribution=None,
        grant=grant,
        amount_vnd=70_000_000,
    )
    f.AssetFactory(
        partnership=partnership,
        village=household.village,
        household=household,
        kind="trash_bin",
        code="THUNG-0001",
        value_vnd=250_000,
    )
    activity = f.ActivityFactory(partnership=partnership, title="Ra quân vệ sinh Pác Hợp")
    activity.villages.add(household.village)
    f.PhotoFactory(activity=activity, caption="Dọn đường làng", state=Photo.State.READY)
    f.ReviewFactory(
        household=household,
        reviewed_on=datetime.date(2024, 1, 10),
        status=Status.POOR,
        previous_status=Status.NEAR_POOR,
    )
    f.ConcernFactory(household=household, text="Mái nhà bị dột khi mưa to")
    return household


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user", "auditor_user"])
def test_the_case_file_shows_everything_the_household_received_with_funders(
    client, request, fixture, full_file
):
    client.force_login(request.getfixturevalue(fixture))
    html = client.get(reverse("households:household-detail", args=[full_file.pk])).content
    html = html.decode()
    for expected in [
        "Trao quà Tết 2024",
        "30/01/2024",
        "1.000.000\u00a0₫",
        "70.000.000\u00a0₫",
        "BIDV Tuyên Quang",
        "Agribank Tuyên Quang",
        "THUNG-0001",
        "Ra quân vệ sinh Pác Hợp",
        "Mái nhà bị dột khi mưa to",
        "/media/photos/",
    ]:
        assert expected in html, expected


def test_the_case_file_shows_the_review_history_from_previous_to_new(client, staff_user, full_file):
    client.force_login(staff_user)
    _english(client)
    html = client.get(reverse("households:household-detail", args=[full_file.pk])).content
    assert "Near-poor → <strong>Poor</strong>" in html.decode()


def test_opening_the_case_file_is_logged_for_detail_and_print(client, cadre_user, household):
    client.force_login(cadre_user)
    client.get(reverse("households:household-detail", args=[household.pk]))
    client.get(reverse("households:household-print", args=[household.pk]))
    views = list(CaseFileView.objects.order_by("pk"))
    assert [(v.user, v.household) for v in views] == [(cadre_user, household)] * 2
    assert views[1].path.endswith("/print/")


def test_a_refused_case_file_is_not_logged(client, staff_user):
    elsewhere = f.HouseholdFactory()
    client.force_login(staff_user)
    assert client.get(reverse("households:household-detail", args=[elsewhere.pk])).status_code
    assert not CaseFileView.objects.exists()


def test_the_print_view_is_one_sheet_with_print_rules_and_no_inline_script(
    client, staff_user, full_file
):
    client.force_login(staff_user)
    html = client.get(reverse("households:household-print", args=[full_file.pk])).content
    html = html.decode()
    assert "hh-sheet" in html
    assert "css/households.css" in html
    assert "js/households.js" in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "70.000.000\u00a0₫" in html


def _case_file_queries(client, household, django_assert_num_queries, count):
    with django_assert_num_queries(count):
        response = client.get(reverse("households:household-detail", args=[household.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("items", [1, 15])
def test_the_case_file_runs_the_same_queries_however_much_it_holds(
    client, staff_user, partnership, household, items, django_assert_num_queries
):
    partner = f.PartnerFactory()
    for number in range(items):
        distribution = f.DistributionFactory(partnership=partnership)
        f.ReceiptFactory(distribution=distribution, household=household)
        f.AllocationFactory(
            donation__partnership=partnership, donation__partner=partner, distribution=distribution
        )
        f.GrantFactory(partnership=partnership, household=household)
        f.AssetFactory(partnership=partnership, village=household.village, household=household)
        f.MemberFactory(household=household)
        f.ReviewFactory(household=household, reviewed_on=datetime.date(2020 + number % 5, 1, 1))
        f.ConcernFactory(household=household)
        activity = f.ActivityFactory(partnership=partnership)
        activity.villages.add(household.village)
        f.PhotoFactory(activity=activity)
    client.force_login(staff_user)
    client.get(reverse("households:household-list"))
    # Exactly as many for one item of each kind as for 15 (3 of them: the channel's "Messages").
    _case_file_queries(client, household, django_assert_num_queries, 18)
