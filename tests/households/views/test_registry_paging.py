"""The registry's count and pages at a province's scale: an exact count or "more than N", never
an estimate; pages no deeper than the count; the same queries for few and many rows."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from core import paginator as paginator_module
from households import filters as household_filters
from households import selectors
from tests import factories as f

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are PostgreSQL's"
)


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 2 rows, counted up to 4: a few rows behave as a province would."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 4)


def _registry(client, **params):
    return client.get(reverse("households:household-list"), params)


def _codes(response) -> list[str]:
    return [household.code for household in response.context["page_obj"].object_list]


def test_a_count_below_the_cap_is_exact(client, staff_user, village, small_pages):
    f.HouseholdFactory.create_batch(3, village=village)
    client.force_login(staff_user)
    response = _registry(client)
    text = response.content.decode()
    assert gettext("Households found: %(count)s") % {"count": 3} in text
    assert gettext("Page %(number)s of %(total)s") % {"number": 1, "total": 2} in text


def test_more_rows_than_the_cap_read_more_than_n_and_page_no_deeper(
    client, staff_user, village, small_pages
):
    f.HouseholdFactory.create_batch(7, village=village)
    client.force_login(staff_user)
    first = _registry(client)
    text = first.content.decode()
    assert gettext("Households found: more than %(count)s") % {"count": 4} in text
    assert gettext("Households found: %(count)s") % {"count": 4} not in text
    # The number of pages is not known: no "of N", no last page to jump to.
    assert gettext("Page %(number)s") % {"number": 1} in text
    assert gettext("Page %(number)s of %(total)s") % {"number": 1, "total": 2} not in text
    assert first.context["page_obj"].has_next()

    # The second page is the deepest (4 rows counted); asking for a deeper one gives it too.
    for number in ("2", "3", "2000"):
        last = _registry(client, page=number)
        assert last.context["page_obj"].number == 2
        assert not last.context["page_obj"].has_next()
        assert f">{gettext('Next')}</a>" not in last.content.decode()
        assert (
            gettext(
                "Only the first %(count)s are listed page by page: narrow the search or the "
                "filters to see the others."
            )
            % {"count": 4}
            in last.content.decode()
        )


def test_past_the_real_cap_the_page_reads_more_than_10_000(
    client, staff_user, village, monkeypatch
):
    # As if 10,001 rows had been counted: the figure is the cap, written the Vietnamese way.
    monkeypatch.setattr(
        paginator_module.CappedCountPaginator, "counted", property(lambda self: self.cap + 1)
    )
    f.HouseholdFactory.create_batch(2, village=village)
    client.force_login(staff_user)
    response = _registry(client)
    page = response.context["page_obj"]
    assert (page.paginator.count, page.paginator.num_pages) == (10_000, 10_000 // 50)
    text = response.content.decode()
    assert gettext("Households found: more than %(count)s") % {"count": "10.000"} in text


@pytest.mark.parametrize("q", ["", "ma van"])
@pytest.mark.parametrize("communes_first", [0, 20])
def test_paging_through_the_list_skips_and_repeats_no_household(
    client, staff_user, village, small_pages, monkeypatch, q, communes_first
):
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 100)
    monkeypatch.setattr(household_filters, "SEARCH_COMMUNES_FIRST", communes_first)
    other = f.VillageFactory(commune=village.commune)
    for number in range(9):
        f.HouseholdFactory(
            village=other if number % 2 else village,
            code=f"P-{(number * 7) % 10}",
            head_name=f"Ma Văn {number}" if number % 3 else f"Lý Thị {number}",
        )
    f.HouseholdFactory(village=village, code="P-ARCH", head_name="Ma Văn Cũ", archived=True)
    client.force_login(staff_user)
    seen, number = [], 1
    while True:
        response = _registry(client, q=q, page=number)
        seen += _codes(response)
        if not response.context["page_obj"].has_next():
            break
        number += 1
    query = QueryDict(mutable=True)
    query["q"] = q
    expected = list(
        selectors.household_list(user=staff_user, filters=query)
        .qs.order_by("commune_id", "code")
        .values_list("code", flat=True)
    )
    assert seen == expected
    assert len(seen) == len(set(seen)) == (6 if q else 9)


def _queries(client, village, count: int, params) -> list[str]:
    for number in range(count):
        f.HouseholdFactory(village=village, head_name=f"Ma Văn {number}")
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("households:household-list"), params)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


def _households_queries(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if "households_household" in sql]


@pytest.mark.parametrize("params", [{}, {"q": "ma van"}, {"q": "ma van", "page": "2"}])
@pytest.mark.parametrize("role", ["staff_user", "admin_user"])
def test_the_registry_runs_the_same_queries_for_few_and_ten_times_more_rows(
    client, request, village, role, params, monkeypatch
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 5)
    client.force_login(request.getfixturevalue(role))
    client.get(reverse("households:household-list"))  # session and language settle
    few = _queries(client, village, 6, params)
    many = _queries(client, village, 54, params)  # 60 in all
    assert len(few) == len(many)
    # Of the households: the capped count and the page; and, for the administrator's search on
    # PostgreSQL, the planner's estimate that tells a rare term (staff search their communes).
    asks_planner = role == "admin_user" and "q" in params and connection.vendor == "postgresql"
    assert len(_households_queries(few)) == len(_households_queries(many)) == 2 + asks_planner


def test_the_count_reads_at_most_one_row_past_the_cap(staff_user, village, small_pages):
    f.HouseholdFactory.create_batch(7, village=village)
    page = selectors.household_page(user=staff_user, filters=None)[1]
    assert page.paginator.counted == 5
    assert page.paginator.count == 4


def _plan(user, term: str) -> str:
    query = QueryDict(mutable=True)
    query["q"] = term
    queryset = selectors.household_list(user=user, filters=query).qs
    with connection.cursor() as cursor:
        # A test table is small enough to read whole; forbid that to see which index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset[:50].explain()


@postgresql_only
def test_staff_search_their_communes_rows_not_the_trigram_index(staff_user, village):
    f.HouseholdFactory(village=village, code="LP-0101", head_name="Ma Đình Liệu")
    f.HouseholdFactory(code="OUT-1", head_name="Ma Đình Liệu")
    plan = _plan(staff_user, "ma dinh lieu")
    assert "household_search_trgm" not in plan
    assert "commune" in plan
    query = QueryDict(mutable=True)
    query["q"] = "MA ĐÌNH LIỆU"
    found = selectors.household_list(user=staff_user, filters=query).qs
    assert list(found.values_list("code", flat=True)) == ["LP-0101"]


@postgresql_only
def test_an_administrators_rare_term_sorts_its_matches_and_sends_no_id_list(admin_user, village):
    f.HouseholdFactory(village=village, code="LP-0101", head_name="Ma Đình Liệu")
    query = QueryDict(mutable=True)
    query["q"] = "lp-0101"
    queryset = selectors.household_list(user=admin_user, filters=query).qs
    sql = str(queryset.query)
    assert re.search(r"commune_id\" \+ 0\)? ASC", sql)
    assert " IN (" not in sql
    assert list(queryset.values_list("code", flat=True)) == ["LP-0101"]
