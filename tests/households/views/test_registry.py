"""The household registry for each role: scope, search without diacritics, filters, queries."""

import datetime

import pytest
from django.urls import reverse

from households.models import Household, Poverty
from tests import factories as f
from tests.households.views.pages import _english

pytestmark = pytest.mark.django_db


# --- The registry ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user", "auditor_user", "admin_user"])
def test_each_reading_role_sees_the_registry(client, request, fixture, household):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("households:household-list"))
    assert response.status_code == 200
    assert "LP-0101" in response.content.decode()


def test_donors_get_no_registry(client, donor_user, household):
    client.force_login(donor_user)
    assert client.get(reverse("households:household-list")).status_code == 403


def test_the_registry_lists_only_households_of_the_users_communes(client, cadre_user, household):
    elsewhere = f.HouseholdFactory(code="XX-9999")
    client.force_login(cadre_user)
    html = client.get(reverse("households:household-list")).content.decode()
    assert household.code in html
    assert elsewhere.code not in html


def test_the_registry_shows_village_classification_last_review_and_member_count(
    client, staff_user, household
):
    f.MemberFactory.create_batch(3, household=household)
    Household.objects.filter(pk=household.pk).update(
        poverty=Poverty.NEAR_POOR,
        policy_family=True,
        in_difficulty=True,
        last_reviewed_on=datetime.date(2024, 1, 10),
    )
    client.force_login(staff_user)
    _english(client)
    html = client.get(reverse("households:household-list")).content.decode()
    assert "Pác Hợp" in html
    assert "Near-poor" in html
    assert ">Policy family</span>" in html
    assert ">In difficulty</span>" in html
    assert "10/01/2024" in html
    assert '<td class="text-end tc-hide">3</td>' in html


@pytest.mark.parametrize("term", ["ma dinh lieu", "MA ĐÌNH LIỆU", "Ma Đình Liệu", "dinh lieu"])
def test_search_ignores_case_and_diacritics(client, staff_user, household, term):
    other = f.HouseholdFactory(village=household.village, code="LP-0102", head_name="Lý Văn Tư")
    client.force_login(staff_user)
    html = client.get(reverse("households:household-list"), {"q": term}).content.decode()
    assert household.code in html
    assert other.code not in html


def test_search_finds_a_household_by_a_members_name(client, staff_user, household):
    f.MemberFactory(household=household, full_name="Hoàng Thị Duyên")
    client.force_login(staff_user)
    html = client.get(reverse("households:household-list"), {"q": "hoang thi duyen"}).content
    assert household.code in html.decode()


def test_archived_households_are_hidden_unless_asked_for(client, staff_user, household):
    gone = f.HouseholdFactory(village=household.village, code="LP-0999", archived=True)
    client.force_login(staff_user)
    url = reverse("households:household-list")
    assert gone.code not in client.get(url).content.decode()
    assert gone.code in client.get(url, {"archived": "on"}).content.decode()


def test_the_village_filter_offers_only_villages_in_scope(client, staff_user, village):
    outside = f.VillageFactory(name="Thôn Ngoài Phạm Vi")
    client.force_login(staff_user)
    html = client.get(reverse("households:household-list")).content.decode()
    assert "Pác Hợp" in html
    assert outside.name not in html


def test_a_village_outside_the_scope_cannot_be_chosen(client, staff_user, household):
    outside = f.HouseholdFactory(code="XX-0001")
    client.force_login(staff_user)
    response = client.get(reverse("households:household-list"), {"village": outside.village_id})
    assert response.status_code == 200
    assert outside.code not in response.content.decode()
    assert response.context["filter"].form.errors["village"]


@pytest.mark.parametrize("count", [3, 60])
def test_the_registry_runs_the_same_queries_for_few_and_many_rows(
    client, staff_user, village, count, django_assert_num_queries
):
    client.force_login(staff_user)
    client.get(reverse("households:household-list"))  # session and language settle
    f.HouseholdFactory.create_batch(count, village=village)
    for household in Household.objects.filter(village=village):
        f.MemberFactory(household=household, has_disability=True)
    # Exactly 7 for 3 rows and for 60, on SQLite and PostgreSQL: staff of one commune search
    # its rows first, with no planner estimate to ask (see test_registry_paging.py).
    with django_assert_num_queries(7):
        response = client.get(
            reverse("households:household-list"),
            {"q": "hh", "disability": "on", "review_due": "on", "received_nothing": "on"},
        )
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 50)
