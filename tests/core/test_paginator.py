import pytest
from django.db import connection

from core import paginator as paginator_module
from core.paginator import EstimatedCountPaginator
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
