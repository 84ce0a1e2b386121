import pytest
from django.db import connection

from core import paginator as paginator_module
from core.paginator import CappedCountPaginator
from households.models import Household
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

# --- CappedCountPaginator: exact up to the cap, "more than" past it, never an estimate -------


def test_small_tables_are_counted_exactly():
    HouseholdFactory.create_batch(3)
    paginator = CappedCountPaginator(Household.objects.order_by("pk"), 2)
    assert (paginator.count, paginator.over_cap, paginator.num_pages) == (3, False, 2)


def test_filtered_lists_are_counted_exactly_below_the_cap():
    first = HouseholdFactory()
    HouseholdFactory.create_batch(2)
    paginator = CappedCountPaginator(Household.objects.filter(village=first.village), 10)
    assert (paginator.count, paginator.over_cap) == (1, False)


def test_the_capped_count_is_exact_up_to_the_cap(django_assert_num_queries):
    HouseholdFactory.create_batch(4)
    paginator = CappedCountPaginator(Household.objects.order_by("pk"), 2, cap=4)
    with django_assert_num_queries(1):
        assert (paginator.count, paginator.over_cap, paginator.num_pages) == (4, False, 2)


def test_past_the_cap_the_count_stops_and_pages_end_at_the_cap(django_assert_num_queries):
    HouseholdFactory.create_batch(7)
    paginator = CappedCountPaginator(Household.objects.order_by("pk"), 2, cap=5)
    with django_assert_num_queries(1):
        assert (paginator.counted, paginator.count, paginator.over_cap) == (6, 5, True)
    # Whole pages only: 5 rows counted make 2 full pages, not a third of one row.
    assert paginator.num_pages == 2
    assert paginator.get_page(99).number == 2
    assert not paginator.get_page(2).has_next()


def test_the_count_reads_a_limited_subquery_and_no_estimate(django_assert_num_queries):
    village = HouseholdFactory().village
    HouseholdFactory.create_batch(5, village=village)
    paginator = CappedCountPaginator(Household.objects.filter(village=village), 2, cap=3)
    with django_assert_num_queries(1) as captured:
        assert paginator.count == 3
    (query,) = captured.captured_queries
    # Nothing asks the planner (EXPLAIN) or its statistics (pg_class): the figure is counted.
    assert "LIMIT 4" in query["sql"].upper()
    assert "EXPLAIN" not in query["sql"].upper()
    assert "pg_class" not in query["sql"]
    assert paginator.over_cap


def test_a_list_is_counted_without_a_query():
    paginator = CappedCountPaginator(list(range(7)), 2, cap=5)
    assert (paginator.counted, paginator.count, paginator.over_cap) == (6, 5, True)


def test_the_cap_is_read_when_paginating(monkeypatch):
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 1)
    HouseholdFactory.create_batch(2)
    assert CappedCountPaginator(Household.objects.order_by("pk"), 1).over_cap


def test_no_estimate_remains_to_be_shown_as_a_count():
    assert not hasattr(paginator_module, "EstimatedCountPaginator")
    assert not hasattr(paginator_module, "EXACT_COUNT_LIMIT")


def test_planned_rows_is_none_off_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL it returns the planner's figure, for choosing a plan")
    assert paginator_module.planned_rows(Household.objects.all()) is None


def test_the_admin_can_build_it_as_it_builds_django_s(rf, admin_user):
    # ModelAdmin.get_paginator passes orphans and allow_empty_first_page by position.
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    paginator = admin.site._registry[Household].get_paginator(
        request, Household.objects.order_by("pk"), 2
    )
    assert isinstance(paginator, CappedCountPaginator)
    assert (paginator.orphans, paginator.allow_empty_first_page) == (0, True)
