"""Members through the pages: adding and editing, one head, who sees the whole ID number."""

import pytest
from django.urls import reverse

from households.models import Member
from tests import factories as f
from tests.households.views.pages import NATIONAL_ID, _english

pytestmark = pytest.mark.django_db


# --- Members --------------------------------------------------------------------------------


def _member_data(**overrides):
    data = {
        "full_name": "Ma Thị Hoa",
        "sex": Member.Sex.FEMALE,
        "birth_year": 1985,
        "relation": Member.Relation.SPOUSE,
        "ethnicity": Member.Ethnicity.TAY,
        "has_disability": "",
        "disability_note": "",
        "national_id": NATIONAL_ID,
    }
    data.update(overrides)
    return data


def test_staff_add_a_member_and_the_search_finds_them(client, staff_user, household):
    client.force_login(staff_user)
    response = client.post(reverse("households:member-create", args=[household.pk]), _member_data())
    assert response.status_code == 302
    member = household.members.get()
    assert member.full_name == "Ma Thị Hoa"
    html = client.get(reverse("households:household-list"), {"q": "ma thi hoa"}).content
    assert household.code in html.decode()


def test_a_bad_national_id_is_refused_by_the_service_and_nothing_saved(
    client, staff_user, household
):
    client.force_login(staff_user)
    _english(client)
    response = client.post(
        reverse("households:member-create", args=[household.pk]),
        _member_data(national_id="12345"),
    )
    assert response.status_code == 200
    assert "12 digits" in response.content.decode()
    assert not household.members.exists()


def test_a_second_head_is_refused(client, staff_user, household):
    f.MemberFactory(household=household, relation=Member.Relation.HEAD)
    client.force_login(staff_user)
    response = client.post(
        reverse("households:member-create", args=[household.pk]),
        _member_data(relation=Member.Relation.HEAD, national_id=""),
    )
    assert response.status_code == 200
    assert household.members.count() == 1


def test_staff_edit_a_member_and_see_the_whole_id_there(client, staff_user, household):
    member = f.MemberFactory(household=household, national_id=NATIONAL_ID)
    client.force_login(staff_user)
    url = reverse("households:member-update", args=[member.pk])
    assert NATIONAL_ID in client.get(url).content.decode()
    response = client.post(url, _member_data(full_name="Ma Thị Hoà"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Ma Thị Hoà"


def test_cadres_see_the_whole_id_on_the_members_page_but_cannot_change_it(
    client, cadre_user, household
):
    member = f.MemberFactory(household=household, national_id=NATIONAL_ID, full_name="Lý A")
    client.force_login(cadre_user)
    url = reverse("households:member-update", args=[member.pk])
    page = client.get(url)
    assert NATIONAL_ID in page.content.decode()
    assert '<form method="post" class="hh-form"' not in page.content.decode()
    assert client.post(url, _member_data(full_name="Đổi tên")).status_code == 403
    member.refresh_from_db()
    assert member.full_name == "Lý A"


def test_auditors_see_only_the_last_three_digits(client, auditor_user, household):
    member = f.MemberFactory(household=household, national_id=NATIONAL_ID)
    client.force_login(auditor_user)
    html = client.get(reverse("households:member-update", args=[member.pk])).content.decode()
    assert NATIONAL_ID not in html
    assert "•••••••••789" in html


def test_the_case_file_masks_id_numbers_even_for_staff(client, staff_user, household):
    f.MemberFactory(household=household, national_id=NATIONAL_ID)
    client.force_login(staff_user)
    for name in ["household-detail", "household-print"]:
        html = client.get(reverse(f"households:{name}", args=[household.pk])).content.decode()
        assert NATIONAL_ID not in html
        assert "•••••••••789" in html
