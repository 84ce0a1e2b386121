"""The grant pages through the client: creating a grant for a household found by code, editing
and funding it, the list, for each role."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Allocation, Grant
from tests.activities.pages import english
from tests.factories import ActivityFactory, AllocationFactory, GrantFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


# --- Grants ------------------------------------------------------------------------------------


def _grant_data(partnership, code, **overrides):
    data = {
        "partnership": partnership.pk,
        "household_code": code,
        "purpose": Grant.Purpose.HOUSE_BUILDING,
        "description": "Nhà tình nghĩa",
        "amount_vnd": "70.000.000",
        "approved_on": "2024-06-01",
        "completed_on": "",
        "activity": "",
    }
    data.update(overrides)
    return data


def test_staff_create_a_grant_for_a_household_found_by_code(staff, partnership):
    household = HouseholdFactory(village__commune=partnership.commune, code="LL-0042")
    response = staff.post(reverse("activities:grant-create"), _grant_data(partnership, " LL-0042 "))
    grant = Grant.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:grant-detail", args=[grant.pk])
    assert (grant.household, grant.village, grant.amount_vnd) == (
        household,
        household.village,
        70_000_000,
    )


def test_a_grant_form_takes_a_household_code_not_a_list_of_households(staff, partnership):
    HouseholdFactory(village__commune=partnership.commune, code="LL-0001")
    html = staff.get(reverse("activities:grant-create")).content.decode()
    assert 'name="household_code"' in html
    assert "LL-0001" not in html


def test_a_household_code_outside_the_commune_is_refused(staff, partnership):
    HouseholdFactory(code="XA-0001")  # another commune
    response = staff.post(reverse("activities:grant-create"), _grant_data(partnership, "XA-0001"))
    assert response.status_code == 200
    assert "has the code XA-0001" in response.content.decode()
    assert not Grant.objects.exists()


def test_an_activity_of_another_partnership_is_refused(staff, partnership):
    HouseholdFactory(village__commune=partnership.commune, code="LL-0042")
    foreign = ActivityFactory()
    response = staff.post(
        reverse("activities:grant-create"),
        _grant_data(partnership, "LL-0042", activity=foreign.pk),
    )
    assert response.status_code == 200
    assert not Grant.objects.exists()


def test_a_grant_cannot_drop_below_what_funds_it(staff, partnership):
    grant = GrantFactory(partnership=partnership, amount_vnd=70_000_000)
    AllocationFactory(
        donation__partnership=partnership, distribution=None, grant=grant, amount_vnd=40_000_000
    )
    data = _grant_data(partnership, "", amount_vnd="30.000.000")
    response = staff.post(reverse("activities:grant-update", args=[grant.pk]), data)
    assert response.status_code == 200
    assert "40.000.000\u00a0₫ is already allocated to this grant." in response.content.decode()
    grant.refresh_from_db()
    assert grant.amount_vnd == 70_000_000


def test_staff_edit_a_grant_and_mark_it_completed(staff, partnership):
    grant = GrantFactory(partnership=partnership)
    data = _grant_data(partnership, "", completed_on="2024-10-01")
    assert staff.post(reverse("activities:grant-update", args=[grant.pk]), data).status_code == 302
    grant.refresh_from_db()
    assert grant.completed_on == datetime.date(2024, 10, 1)


def test_staff_fund_a_grant_from_its_page(staff, donation, partnership):
    grant = GrantFactory(partnership=partnership, amount_vnd=70_000_000)
    url = reverse("activities:grant-allocate", args=[grant.pk])
    response = staff.post(
        url,
        {"donation": donation.pk, "amount_vnd": "35.000.000", "allocated_on": "2024-06-02"},
    )
    assert response.status_code == 302
    assert Allocation.objects.get().grant == grant
    page = staff.get(reverse("activities:grant-detail", args=[grant.pk])).content.decode()
    assert "Funded: 35.000.000\u00a0₫ of 70.000.000\u00a0₫." in page


def test_funding_a_grant_beyond_its_donation_is_refused(staff, donation, partnership):
    grant = GrantFactory(partnership=partnership, amount_vnd=70_000_000)
    response = staff.post(
        reverse("activities:grant-allocate", args=[grant.pk]),
        {"donation": donation.pk, "amount_vnd": "60.000.000", "allocated_on": "2024-06-02"},
    )
    assert response.status_code == 200
    assert "left to allocate" in response.content.decode()
    assert not Allocation.objects.exists()


def test_a_cadre_reads_grants_without_the_money_trail(client, cadre_user, partnership):
    grant = GrantFactory(partnership=partnership)
    AllocationFactory(donation__partnership=partnership, distribution=None, grant=grant)
    english(client)
    client.force_login(cadre_user)
    listing = client.get(reverse("activities:grant-list"))
    assert listing.status_code == 200
    assert grant.household.code in listing.content.decode()
    assert "Funded" not in listing.content.decode()
    page = client.get(reverse("activities:grant-detail", args=[grant.pk])).content.decode()
    assert "Money that funds it" not in page
    assert reverse("activities:grant-update", args=[grant.pk]) not in page
    assert client.post(reverse("activities:grant-create"), {}).status_code == 403


def test_grant_list_runs_a_fixed_number_of_queries(
    staff, partnership, django_assert_max_num_queries
):
    url = reverse("activities:grant-list")
    GrantFactory.create_batch(2, partnership=partnership)
    with django_assert_max_num_queries(12) as few:
        assert staff.get(url).status_code == 200
    GrantFactory.create_batch(30, partnership=partnership)
    with django_assert_max_num_queries(12) as many:
        response = staff.get(url)
    assert len(response.context["page_obj"]) == 25
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_grant_list_filters_by_purpose_and_completion(staff, partnership):
    house = GrantFactory(partnership=partnership, completed_on=datetime.date(2024, 9, 1))
    GrantFactory(partnership=partnership, purpose=Grant.Purpose.EDUCATION)
    url = reverse("activities:grant-list")
    assert list(staff.get(url, {"purpose": "house_building"}).context["page_obj"]) == [house]
    assert list(staff.get(url, {"completed": "yes"}).context["page_obj"]) == [house]
