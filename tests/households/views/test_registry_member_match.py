"""The registry's row found by a member's name says which member matched, and how they are
related to the head ("matches: Đàm Thị Anh, child"), read in the list's own query."""

import pytest
from django.urls import reverse
from django.utils import translation

from households.models import Household, Member
from households.selectors import household_page, matched_members
from tests import factories as f
from tests.households.views.pages import _english

pytestmark = pytest.mark.django_db

URL = reverse("households:household-list")


@pytest.fixture
def dam_family(village):
    household = f.HouseholdFactory(village=village, code="LP-0201", head_name="Đàm Văn Lìu")
    f.MemberFactory(household=household, full_name="Đàm Văn Lìu", relation=Member.Relation.HEAD)
    f.MemberFactory(household=household, full_name="Đàm Thị Anh", relation=Member.Relation.CHILD)
    f.MemberFactory(household=household, full_name="Nông Thị Hoa", relation=Member.Relation.SPOUSE)
    return household


def _matches(client, term: str) -> list[str]:
    import re

    html = client.get(URL, {"q": term}).content.decode()
    return re.findall(r'<div class="hh-match">([^<]*)</div>', html)


@pytest.mark.parametrize("term", ["dam thi anh", "ĐÀM THỊ ANH", "thi anh", "Anh"])
def test_a_household_found_by_a_members_name_says_which_member_and_relation(
    client, staff_user, dam_family, term
):
    client.force_login(staff_user)
    _english(client)
    assert _matches(client, term) == ["matches: Đàm Thị Anh, child"]


def test_the_match_reads_in_vietnamese(client, staff_user, dam_family):
    client.force_login(staff_user)
    [line] = _matches(client, "nong thi hoa")
    assert "Nông Thị Hoa" in line
    assert "vợ/chồng" in line  # the relation's Vietnamese label, lower case


@pytest.mark.parametrize("term", ["dam van liu", "LP-0201", "lp-02", "liu"])
def test_a_household_found_by_its_head_or_code_names_no_member(
    client, staff_user, dam_family, term
):
    client.force_login(staff_user)
    html = client.get(URL, {"q": term}).content.decode()
    assert "LP-0201" in html
    assert "hh-match" not in html


def test_a_term_shared_by_head_and_members_is_the_heads(client, staff_user, dam_family):
    """ "Đàm" is the family name of the head and of a child: the head was found, nobody else."""
    client.force_login(staff_user)
    assert _matches(client, "dam") == []


def test_every_matching_member_is_named(client, staff_user, dam_family):
    f.MemberFactory(
        household=dam_family, full_name="Triệu Thị Hoa", relation=Member.Relation.GRANDCHILD
    )
    client.force_login(staff_user)
    _english(client)
    assert sorted(_matches(client, "thi hoa")) == [
        "matches: Nông Thị Hoa, spouse",
        "matches: Triệu Thị Hoa, grandchild",
    ]


def test_a_member_of_another_household_is_not_named_on_this_one(
    client, staff_user, village, dam_family
):
    other = f.HouseholdFactory(village=village, code="LP-0202", head_name="Lý Văn Tư")
    f.MemberFactory(household=other, full_name="Lý Thị Anh", relation=Member.Relation.CHILD)
    client.force_login(staff_user)
    _english(client)
    assert sorted(_matches(client, "thi anh")) == [
        "matches: Lý Thị Anh, child",
        "matches: Đàm Thị Anh, child",
    ]


def test_without_a_search_the_list_names_no_member(client, staff_user, dam_family):
    client.force_login(staff_user)
    response = client.get(URL)
    assert "hh-match" not in response.content.decode()
    assert not hasattr(response.context["page_obj"].object_list[0], "matched_members")


def test_a_household_outside_the_scope_is_not_found_by_its_members(client, cadre_user, dam_family):
    elsewhere = f.HouseholdFactory(code="XX-0001", head_name="Hà Văn Sáu")
    f.MemberFactory(household=elsewhere, full_name="Hà Thị Anh", relation=Member.Relation.CHILD)
    client.force_login(cadre_user)
    _english(client)
    assert _matches(client, "thi anh") == ["matches: Đàm Thị Anh, child"]


def test_matched_members_folds_the_term_and_skips_the_head(dam_family, staff_user):
    _, page = household_page(user=staff_user, filters=_query("anh"))
    [household] = page.object_list
    with translation.override("en"):
        assert household.matched_members == [{"name": "Đàm Thị Anh", "relation": "Child"}]
        assert matched_members(household, "LIU") == []
        assert matched_members(household, "") == []
        assert matched_members(household, "NÔNG") == [
            {"name": "Nông Thị Hoa", "relation": "Spouse"}
        ]


def _query(term: str):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query["q"] = term
    return query


@pytest.mark.parametrize("count", [3, 60])
def test_naming_the_member_adds_no_query_for_few_and_many_rows(
    client, staff_user, village, count, django_assert_num_queries
):
    client.force_login(staff_user)
    client.get(URL)  # session and language settle
    f.HouseholdFactory.create_batch(count, village=village)
    for n, household in enumerate(Household.objects.filter(village=village)):
        f.MemberFactory(household=household, full_name=f"Đàm Thị Anh {n}")
    # The registry's count of test_registry (8, staff asking no planner estimate): the
    # members' names come in the page's own query.
    with django_assert_num_queries(7):
        response = client.get(URL, {"q": "dam thi anh"})
    rows = response.context["page_obj"].object_list
    assert len(rows) == min(count, 50)
    assert all(len(row.matched_members) == 1 for row in rows)
