import pytest
from django.db import connection

from core.paginator import EXACT_COUNT_LIMIT, EstimatedCountPaginator
from households.models import Household
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_small_tables_are_counted_exactly():
    HouseholdFactory.create_batch(3)
    paginator = EstimatedCountPaginator(Household.objects.order_by("pk"), 2)
    assert paginator.count == 3
    assert paginator.num_pages == 2


def test_filtered_lists_are_counted_exactly():
    first = HouseholdFactory()
    HouseholdFactory.create_batch(2)
    paginator = EstimatedCountPaginator(Household.objects.filter(village=first.village), 10)
    assert paginator.count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_big_unfiltered_table_uses_the_planner_estimate():
    HouseholdFactory()
    with connection.cursor() as cursor:
        # Pretend ANALYZE saw a province's worth of rows.
        cursor.execute(
            "UPDATE pg_class SET reltuples = %s WHERE oid = to_regclass(%s)",
            [1_000_000, Household._meta.db_table],
        )
    paginator = EstimatedCountPaginator(Household.objects.order_by("pk"), 100)
    assert paginator.count == 1_000_000 > EXACT_COUNT_LIMIT
