"""The household's facts besides its classification: in difficulty (a dated flag with a reason,
set and cleared by its services and page) and policy family (a member's category of merit)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from households.models import Household, Member, PolicyCategory, PolicyRelation
from households.services import (
    household_difficulty_clear,
    household_difficulty_set,
    member_add,
    member_update,
)
from tests import factories as f
from tests.households.views.pages import _english

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def village(partnership):
    return f.VillageFactory(commune=partnership.commune, name="Pác Hợp")


@pytest.fixture
def household(village):
    return f.HouseholdFactory(village=village, code="LP-0101", head_name="Ma Đình Liệu")


def _difficulty(household) -> tuple:
    household.refresh_from_db()
    return (household.in_difficulty, household.difficulty_reason, household.difficulty_since)


# --- In difficulty: the services ------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user"])
def test_staff_and_cadres_set_and_clear_the_flag(request, fixture, household):
    actor = request.getfixturevalue(fixture)
    household_difficulty_set(
        actor=actor, household=household, reason="  Chủ hộ   ốm nặng ", since=D(2024, 3, 1)
    )
    assert _difficulty(household) == (True, "Chủ hộ ốm nặng", D(2024, 3, 1))
    household_difficulty_set(
        actor=actor, household=household, reason="Nhà bị lũ cuốn", since=D(2024, 9, 10)
    )
    assert _difficulty(household) == (True, "Nhà bị lũ cuốn", D(2024, 9, 10))
    household_difficulty_clear(actor=actor, household=household)
    assert _difficulty(household) == (False, "", None)
    # The history keeps when and why the family was in difficulty.
    reasons = set(household.history.values_list("difficulty_reason", flat=True))
    assert {"Chủ hộ ốm nặng", "Nhà bị lũ cuốn"} <= reasons


@pytest.mark.parametrize(
    ("reason", "since", "field", "message"),
    [
        ("", D(2024, 3, 1), "reason", "Say why the family is in difficulty."),
        ("   ", D(2024, 3, 1), "reason", "Say why the family is in difficulty."),
        ("x" * 256, D(2024, 3, 1), "reason", "at most 255 characters"),
        ("Ốm", None, "since", "Say since when the family is in difficulty."),
        ("Ốm", D(2999, 1, 1), "since", "The date cannot be in the future."),
    ],
)
def test_a_bad_flag_is_refused_and_nothing_changes(
    staff_user, household, reason, since, field, message
):
    with translation.override("en"), pytest.raises(ValidationError, match=message) as caught:
        household_difficulty_set(actor=staff_user, household=household, reason=reason, since=since)
    assert field in caught.value.message_dict
    assert _difficulty(household) == (False, "", None)


def test_tomorrow_is_refused_today_is_not(staff_user, household):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("en"), pytest.raises(ValidationError, match="in the future"):
        household_difficulty_set(actor=staff_user, household=household, reason="Ốm", since=tomorrow)
    assert _difficulty(household) == (False, "", None)
    household_difficulty_set(
        actor=staff_user, household=household, reason="Ốm", since=timezone.localdate()
    )
    assert _difficulty(household) == (True, "Ốm", timezone.localdate())


def test_an_archived_household_is_refused_both_ways(staff_user, household):
    Household.objects.filter(pk=household.pk).update(
        archived=True, in_difficulty=True, difficulty_reason="Ốm", difficulty_since=D(2024, 1, 1)
    )
    with translation.override("en"), pytest.raises(ValidationError, match="archived household"):
        household_difficulty_set(
            actor=staff_user, household=household, reason="Lũ", since=D(2024, 2, 1)
        )
    with translation.override("en"), pytest.raises(ValidationError, match="archived household"):
        household_difficulty_clear(actor=staff_user, household=household)
    assert _difficulty(household) == (True, "Ốm", D(2024, 1, 1))


def test_clearing_a_family_not_in_difficulty_is_refused(staff_user, household):
    with translation.override("en"), pytest.raises(ValidationError, match="not recorded as in"):
        household_difficulty_clear(actor=staff_user, household=household)
    assert _difficulty(household) == (False, "", None)


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user", "auditor_user", "donor_user"])
def test_a_household_outside_the_scope_is_refused(request, fixture):
    elsewhere = f.HouseholdFactory()
    Household.objects.filter(pk=elsewhere.pk).update(
        in_difficulty=True, difficulty_reason="Ốm", difficulty_since=D(2024, 1, 1)
    )
    actor = request.getfixturevalue(fixture)
    with translation.override("en"), pytest.raises(ValidationError, match="outside your"):
        household_difficulty_set(actor=actor, household=elsewhere, reason="Lũ", since=D(2024, 2, 1))
    with translation.override("en"), pytest.raises(ValidationError, match="outside your"):
        household_difficulty_clear(actor=actor, household=elsewhere)
    assert _difficulty(elsewhere) == (True, "Ốm", D(2024, 1, 1))


# --- In difficulty: the page ----------------------------------------------------------------


def _url(household) -> str:
    return reverse("households:household-difficulty", args=[household.pk])


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user"])
def test_the_page_sets_the_flag_and_the_case_file_shows_it(client, request, fixture, household):
    client.force_login(request.getfixturevalue(fixture))
    _english(client)
    detail = client.get(reverse("households:household-detail", args=[household.pk])).content
    assert _url(household) in detail.decode()
    assert client.get(_url(household)).status_code == 200
    response = client.post(_url(household), {"reason": "Chủ hộ ốm nặng", "since": "2024-03-01"})
    assert response.status_code == 302
    assert _difficulty(household) == (True, "Chủ hộ ốm nặng", D(2024, 3, 1))
    html = client.get(reverse("households:household-detail", args=[household.pk])).content
    assert "In difficulty since 01/03/2024: Chủ hộ ốm nặng" in html.decode()
    html = client.get(reverse("households:household-print", args=[household.pk])).content
    assert "In difficulty since 01/03/2024: Chủ hộ ốm nặng" in html.decode()


def test_the_page_clears_the_flag(client, cadre_user, household):
    Household.objects.filter(pk=household.pk).update(
        in_difficulty=True, difficulty_reason="Ốm", difficulty_since=D(2024, 1, 1)
    )
    client.force_login(cadre_user)
    response = client.post(_url(household), {"clear": "1"})
    assert response.status_code == 302
    assert _difficulty(household) == (False, "", None)


def test_a_bad_date_is_shown_on_the_page_and_nothing_changes(client, staff_user, household):
    client.force_login(staff_user)
    _english(client)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(_url(household), {"reason": "Ốm", "since": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "The date cannot be after today" in response.content.decode()
    assert _difficulty(household) == (False, "", None)


def test_clearing_an_archived_household_on_the_page_is_refused(client, staff_user, household):
    Household.objects.filter(pk=household.pk).update(
        archived=True, in_difficulty=True, difficulty_reason="Ốm", difficulty_since=D(2024, 1, 1)
    )
    client.force_login(staff_user)
    _english(client)
    response = client.post(_url(household), {"clear": "1"})
    assert response.status_code == 200
    assert "archived household" in response.content.decode()
    assert _difficulty(household) == (True, "Ốm", D(2024, 1, 1))


@pytest.mark.parametrize(("fixture", "code"), [("auditor_user", 403), ("donor_user", 403)])
def test_readers_cannot_open_the_page(client, request, fixture, code, household):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(_url(household)).status_code == code
    assert client.post(_url(household), {"reason": "Ốm", "since": "2024-03-01"}).status_code == code
    assert _difficulty(household) == (False, "", None)


def test_a_household_outside_the_scope_is_404(client, staff_user):
    elsewhere = f.HouseholdFactory()
    client.force_login(staff_user)
    assert client.get(_url(elsewhere)).status_code == 404
    response = client.post(_url(elsewhere), {"reason": "Ốm", "since": "2024-03-01"})
    assert response.status_code == 404
    assert _difficulty(elsewhere) == (False, "", None)


# --- Policy family --------------------------------------------------------------------------


def test_a_member_of_merit_makes_the_household_a_policy_family(staff_user, household):
    member = member_add(
        actor=staff_user,
        household=household,
        full_name="Ma Văn Pằn",
        sex="male",
        birth_year=1952,
        relation="parent",
        policy_category=PolicyCategory.WAR_INVALID,
        policy_relation=PolicyRelation.SELF,
    )
    household.refresh_from_db()
    assert household.policy_family is True
    member_update(actor=staff_user, member=member, policy_category="", policy_relation="")
    household.refresh_from_db()
    assert household.policy_family is False


@pytest.mark.parametrize(
    ("category", "relation"), [(PolicyCategory.MARTYR, ""), ("", PolicyRelation.CHILD)]
)
def test_a_category_without_a_relation_is_refused_and_nothing_changes(
    staff_user, household, category, relation
):
    with translation.override("en"), pytest.raises(ValidationError, match="or neither"):
        member_add(
            actor=staff_user,
            household=household,
            full_name="Ma Thị Hoa",
            sex="female",
            birth_year=1970,
            relation="spouse",
            policy_category=category,
            policy_relation=relation,
        )
    assert not Member.objects.filter(household=household).exists()
    household.refresh_from_db()
    assert household.policy_family is False


def _member_post(**extra) -> dict:
    return {
        "full_name": "Ma Văn Pằn",
        "sex": "male",
        "birth_year": "1952",
        "relation": "parent",
        "ethnicity": "tay",
        "national_id": "",
        "disability_note": "",
        **extra,
    }


def test_the_member_form_takes_the_category_and_the_case_file_shows_it(
    client, staff_user, household
):
    client.force_login(staff_user)
    _english(client)
    url = reverse("households:member-create", args=[household.pk])
    response = client.post(url, _member_post(policy_category="martyr", policy_relation="child"))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.policy_family is True
    html = client.get(reverse("households:household-detail", args=[household.pk])).content
    html = html.decode()
    assert "Ma Văn Pằn (Martyr, Child (natural or adopted))" in html
    html = client.get(reverse("households:household-print", args=[household.pk])).content
    assert "Ma Văn Pằn (Martyr, Child (natural or adopted))" in html.decode()


def test_the_member_form_refuses_a_category_without_a_relation(client, staff_user, household):
    client.force_login(staff_user)
    _english(client)
    url = reverse("households:member-create", args=[household.pk])
    response = client.post(url, _member_post(policy_category="martyr"))
    assert response.status_code == 200
    assert "or neither" in response.content.decode()
    assert not Member.objects.filter(household=household).exists()
