"""Registering and editing households through the pages: duplicates, scope, archiving."""

import pytest
from django.urls import reverse

from households.models import Household, Poverty
from tests import factories as f
from tests.households.views.pages import _english

pytestmark = pytest.mark.django_db


# --- Registering and editing ----------------------------------------------------------------


def _household_data(village, **overrides):
    data = {
        "village": village.pk,
        "code": "LP-0200",
        "head_name": "Nông Văn Sáng",
        "address": "Xóm Trên",
        "phone": "0912345678",
        "housing_condition": Household.Housing.MAKESHIFT,
        "notes": "",
    }
    data.update(overrides)
    return data


def test_staff_register_a_household(client, staff_user, village):
    client.force_login(staff_user)
    response = client.post(reverse("households:household-create"), _household_data(village))
    household = Household.objects.get(code="LP-0200")
    assert response.status_code == 302
    assert response["Location"] == reverse("households:household-detail", args=[household.pk])
    assert household.commune_id == village.commune_id
    assert household.created_by == staff_user
    assert (household.poverty, household.policy_family, household.in_difficulty) == (
        "",
        False,
        False,
    )


def test_cadres_and_auditors_cannot_register_households(client, cadre_user, auditor_user, village):
    for user in (cadre_user, auditor_user):
        client.force_login(user)
        url = reverse("households:household-create")
        assert client.post(url, _household_data(village)).status_code == 403
    assert not Household.objects.exists()


def test_a_village_outside_the_scope_is_refused_on_the_form(client, staff_user):
    outside = f.VillageFactory()
    client.force_login(staff_user)
    response = client.post(reverse("households:household-create"), _household_data(outside))
    assert response.status_code == 200
    assert response.context["form"].errors["village"]
    assert not Household.objects.exists()


def test_a_duplicate_code_is_refused_by_the_service_and_the_input_kept(
    client, staff_user, household
):
    client.force_login(staff_user)
    _english(client)
    response = client.post(
        reverse("households:household-create"),
        _household_data(household.village, code="LP-0101"),
    )
    assert response.status_code == 200
    assert "already has a household with this code" in response.content.decode()
    assert 'value="Nông Văn Sáng"' in response.content.decode()
    assert Household.objects.count() == 1


def test_a_likely_duplicate_is_shown_and_nothing_saved_until_confirmed(
    client, staff_user, household
):
    client.force_login(staff_user)
    _english(client)
    url = reverse("households:household-create")
    data = _household_data(household.village, head_name="MA DINH LIEU")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "may already be registered" in html
    assert reverse("households:household-detail", args=[household.pk]) in html
    assert Household.objects.count() == 1

    response = client.post(url, {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_a_similar_head_name_in_the_same_village_is_a_likely_duplicate(
    client, staff_user, household
):
    client.force_login(staff_user)
    response = client.post(
        reverse("households:household-create"),
        _household_data(household.village, head_name="Ma Đinh Liêu"),
    )
    assert list(response.context["duplicates"]) == [household]
    assert Household.objects.count() == 1


def test_the_same_name_in_another_village_is_not_a_duplicate(client, staff_user, household):
    other = f.VillageFactory(commune=household.commune)
    client.force_login(staff_user)
    response = client.post(
        reverse("households:household-create"), _household_data(other, head_name="Ma Đình Liệu")
    )
    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_staff_edit_a_household_but_not_its_classification(client, staff_user, household):
    client.force_login(staff_user)
    url = reverse("households:household-update", args=[household.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _household_data(
            household.village, code=household.code, head_name="Ma Đình Liệu", phone="0987 654 321"
        )
        | {"poverty": Poverty.NEAR_POOR, "policy_family": "on", "in_difficulty": "on"},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.phone == "84987654321"
    assert (household.poverty, household.policy_family, household.in_difficulty) == (
        Poverty.POOR,
        False,
        False,
    )


def test_an_invalid_edit_changes_nothing(client, staff_user, household):
    client.force_login(staff_user)
    url = reverse("households:household-update", args=[household.pk])
    response = client.post(url, _household_data(household.village, code="", head_name="X"))
    assert response.status_code == 200
    household.refresh_from_db()
    assert household.head_name == "Ma Đình Liệu"


def test_a_household_outside_the_scope_is_404_like_a_missing_one(client, staff_user):
    elsewhere = f.HouseholdFactory()
    client.force_login(staff_user)
    for name in ["household-detail", "household-update", "household-print"]:
        assert client.get(reverse(f"households:{name}", args=[elsewhere.pk])).status_code == 404
        assert client.get(reverse(f"households:{name}", args=[999_999])).status_code == 404


def test_staff_archive_and_restore_a_household(client, staff_user, household):
    client.force_login(staff_user)
    url = reverse("households:household-archive", args=[household.pk])
    assert client.post(url).status_code == 302
    household.refresh_from_db()
    assert household.archived
    assert household.archived_at is not None
    client.post(url, {"archived": "0"})
    household.refresh_from_db()
    assert not household.archived
    assert Household.objects.filter(pk=household.pk).exists()


def test_cadres_cannot_archive(client, cadre_user, household):
    client.force_login(cadre_user)
    url = reverse("households:household-archive", args=[household.pk])
    assert client.post(url).status_code == 403
    household.refresh_from_db()
    assert not household.archived
