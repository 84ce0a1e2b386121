"""Pagination that does not count a million rows to draw page links."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Up to this many rows an exact count is cheap enough; beyond it the count is PostgreSQL's estimate.
EXACT_COUNT_LIMIT = 10_000


class EstimatedCountPaginator(Paginator):
    """Count exactly up to ``EXACT_COUNT_LIMIT`` rows; beyond that, use PostgreSQL's estimate.

    ``SELECT count(*)`` reads every matching row on PostgreSQL; for a million households (or the
    200,000 poor among them) that alone takes longer than the page should. Past the limit the
    count is the planner's estimate: pg_class.reltuples (kept by ANALYZE) for a whole table, the
    query plan's row estimate for a filtered list. The figure shown, and so the number of the last
    page, may then be somewhat off; the rows on each page are exact. SQLite counts exactly.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or connections[queryset.db].vendor != "postgresql":
            return super().count
        if not (query.where or query.distinct or query.combinator):
            estimate = self._table_estimate(queryset)
            if estimate > EXACT_COUNT_LIMIT:
                return estimate
        # Counting a LIMIT-ed subquery stops reading at the limit.
        capped = queryset.order_by()[: EXACT_COUNT_LIMIT + 1].count()
        if capped <= EXACT_COUNT_LIMIT:
            return capped
        return max(self._plan_estimate(queryset), capped)

    @staticmethod
    def _table_estimate(queryset) -> int:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        return row[0] if row and row[0] is not None else -1

    @staticmethod
    def _plan_estimate(queryset) -> int:
        return planned_rows(queryset)


def planned_rows(queryset) -> int | None:
    """Return how many rows PostgreSQL's planner expects ``queryset`` to match (None elsewhere).

    An estimate from the statistics ANALYZE keeps, read in about a millisecond without running
    the query; good enough to choose between two plans, never shown as a count.
    """
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
