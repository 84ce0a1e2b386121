import pytest
from django.db import connection

from core import paginator as paginator_module
from core.paginator import CappedCountPaginator, EstimatedCountPaginator
from households.models import Household
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's"
)


def test_small_tables_are_counted_exactly():
    HouseholdFactory.create_batch(3)
    paginator = EstimatedCountPaginator(Household.objects.order_by("pk"), 2)
    assert paginator.count == 3
    assert paginator.num_pages == 2


def test_filtered_lists_are_counted_exactly_below_the_limit():
    first = HouseholdFactory()
    HouseholdFactory.create_batch(2)
    paginator = EstimatedCountPaginator(Household.objects.filter(village=first.village), 10)
    assert paginator.count == 1


@postgresql_only
def test_big_unfiltered_table_uses_the_table_estimate():
    HouseholdFactory()
    with connection.cursor() as cursor:
        # Pretend ANALYZE saw a province's worth of rows.
        cursor.execute(
            "UPDATE pg_class SET reltuples = %s WHERE oid = to_regclass(%s)",
            [1_000_000, Household._meta.db_table],
        )
    paginator = EstimatedCountPaginator(Household.objects.order_by("pk"), 100)
    assert paginator.count == 1_000_000


@postgresql_only
def test_big_filtered_list_stops_counting_at_the_limit(monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(paginator_module, "EXACT_COUNT_LIMIT", 3)
    village = HouseholdFactory().village
    HouseholdFactory.create_batch(5, village=village)
    paginator = EstimatedCountPaginator(Household.objects.filter(village=village), 2)
    with django_assert_max_num_queries(2):
        count = paginator.count
    # More than the limit: an estimate, never less than what was counted.
    assert count >= 4


# --- CappedCountPaginator: exact up to the cap, "more than" past it, never an estimate -------


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


def test_the_cap_is_read_when_paginating(monkeypatch):
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 1)
    HouseholdFactory.create_batch(2)
    assert CappedCountPaginator(Household.objects.order_by("pk"), 1).over_cap
