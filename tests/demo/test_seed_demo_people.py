"""seed_demo: fictional Vietnamese households with their review history, and the demo accounts
with their roles and scope."""

import re
from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.utils import timezone

from core.text import fold
from demo import data
from households.models import Household, Member, Review
from tests.demo.helpers import N, _partnership

pytestmark = pytest.mark.django_db


# --- Households ----------------------------------------------------------------------------------


def test_households_are_fictional_vietnamese_families_with_a_review_history():
    households = Household.objects.all()
    assert households.count() == N
    assert households.values("village").distinct().count() == 8
    codes = list(households.values_list("code", flat=True))
    assert all(re.fullmatch(r"LP-\d{4}", code) for code in codes)

    members = Member.objects.filter(household__in=households)
    sizes = Counter(members.values_list("household", flat=True))
    assert min(sizes.values()) >= 1
    assert max(sizes.values()) <= 7
    heads = dict(members.filter(relation="head").values_list("household", "full_name"))
    assert len(heads) == N
    for household in households:
        assert heads[household.pk] == household.head_name
        assert household.search_text == fold(household.search_text)
    assert any(fold(name) != name.lower() for name in heads.values())  # diacritics kept
    ethnicities = Counter(members.values_list("ethnicity", flat=True))
    assert ethnicities.most_common(1)[0][0] == "tay"
    assert ethnicities["dao"] > 0
    assert ethnicities["kinh"] > 0
    assert members.filter(has_disability=True).exclude(disability_note="").exists()
    ids = list(members.exclude(national_id="").values_list("national_id", flat=True))
    assert ids
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"\d{12}", number) for number in ids)

    reviews = Review.objects.filter(household__in=households)
    assert not reviews.filter(reviewed_on__gt=timezone.localdate()).exists()
    assert set(reviews.values_list("reviewed_on__year", flat=True)) == {2022, 2023, 2024, 2025}
    # Reviews up to 2024 keep the single status of before; the 2025 ones are the campaign's.
    assert set(reviews.filter(reviewed_on__year__lte=2024).values_list("status", flat=True)) == {
        "poor",
        "near_poor",
        "policy",
        "difficulty",
        "none",
    }
    decided = reviews.filter(reviewed_on__year=2025)
    assert decided.exists()
    assert not decided.exclude(status="").exists()
    assert not decided.filter(decision__isnull=True).exists()
    left_poverty = reviews.filter(previous_classification="poor").exclude(classification="poor")
    assert left_poverty.values("household").distinct().count() >= 10
    # The statuses of before read as migration 0009 reads them (campaign reviews have none).
    legacy = reviews.exclude(status="")
    assert set(legacy.values_list("status", "classification").distinct()) == {
        ("poor", "poor"),
        ("near_poor", "near_poor"),
        ("policy", "none"),
        ("difficulty", "none"),
        ("none", "none"),
    }
    for household in households.filter(code__in=codes[:40]):
        latest = household.reviews.order_by("-reviewed_on", "-pk").first()
        assert household.poverty == latest.classification
        assert household.last_reviewed_on == latest.reviewed_on


def test_policy_families_have_a_member_of_merit_and_families_in_difficulty_a_reason():
    households = Household.objects.all()
    policy = households.filter(reviews__status="policy").distinct()
    assert policy.exists()
    assert set(households.filter(policy_family=True)) == set(policy)
    categories = set(
        Member.objects.filter(household__in=policy)
        .exclude(policy_category="")
        .values_list("policy_category", "policy_relation")
    )
    assert categories <= {("martyr", "child"), ("war_invalid", "self"), ("resistance", "self")}
    assert len(categories) >= 2
    assert not Member.objects.filter(policy_category="unrecorded").exists()
    in_difficulty = households.filter(in_difficulty=True)
    assert in_difficulty.exists()
    for household in in_difficulty:
        latest = household.reviews.exclude(status="").order_by("-reviewed_on", "-pk").first()
        assert latest.status == "difficulty"
        said = household.reviews.get(reviewed_on=household.difficulty_since)
        assert (said.status, said.reason) == ("difficulty", household.difficulty_reason)
    assert not households.filter(in_difficulty=False, difficulty_reason__gt="").exists()


def test_search_finds_a_household_without_diacritics():
    household = Household.objects.get(code="LP-0012")
    assert household.head_name == "Ma Văn Thịnh"
    assert Household.objects.filter(search_text__contains="ma van thinh").exists()


# --- Accounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "group"),
    [
        ("admin", "Administrator"),
        ("staff", "Office staff"),
        ("cadre", "Commune cadre"),
        ("donor", "Donor"),
        ("auditor", "Auditor"),
    ],
)
def test_demo_accounts_sign_in_with_the_demo_password(rf, username, group):
    # django-axes checks every login attempt against its request.
    user = authenticate(rf.post("/accounts/login/"), username=username, password="bacung-demo")
    assert user is not None
    assert user.groups.filter(name=group).exists()
    # The whole name in one field, family name first (core.admin.users).
    assert user.get_full_name() == next(a[4] for a in data.ACCOUNTS if a[0] == username)
    assert user.last_name == ""


def test_account_roles_and_permissions():
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["admin"].is_superuser
    assert users["staff"].is_staff
    assert not users["staff"].is_superuser
    assert users["staff"].has_perm("households.change_household")
    assert users["staff"].has_perm("activities.add_distribution")
    assert users["staff"].has_perm("outreach.add_donation")
    assert users["auditor"].is_staff
    assert users["auditor"].has_perm("households.view_household")
    assert not users["auditor"].has_perm("households.change_household")
    assert not users["donor"].is_staff
    assert users["cadre"].has_perm("households.add_review")
    assert not users["cadre"].has_perm("households.change_household")


def test_accounts_cover_the_demo_ground():
    from outreach.models import RoleAssignment

    scope = {
        a.user.username: a
        for a in RoleAssignment.objects.select_related("user", "commune", "partner")
    }
    assert scope["staff"].partnership == _partnership()
    assert scope["cadre"].commune.name == data.NEW_COMMUNE
    assert scope["donor"].partner.name == data.DEMO_DONOR_PARTNER
    assert scope["auditor"].role == "Auditor"
    assert scope["admin"].role == "Administrator"


def test_output_gives_the_figures_and_the_accounts(seeded):
    assert "32 trash bins" in seeded
    assert "100 gifts" in seeded
    assert "70.000.000\u00a0₫" in seeded
    for username, *_rest in data.ACCOUNTS:
        assert username in seeded
