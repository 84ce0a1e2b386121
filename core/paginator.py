"""Pagination that does not count a million rows to draw page links."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Up to this many rows an exact count is cheap enough; beyond it the count is PostgreSQL's estimate.
EXACT_COUNT_LIMIT = 10_000


# Lists paged with CappedCountPaginator count this many rows at most and page no deeper.
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Count exactly up to ``COUNT_CAP`` rows, say "more than" beyond it, page no deeper.

    One query counts a LIMIT-ed subquery, so it stops reading at ``COUNT_CAP + 1`` rows however
    many match: the count is exact, or ``over_cap`` is true and the page says "more than
    10,000" (never a planner estimate shown as a count). Pages stop at the cap too: OFFSET reads
    and throws away every row before the page, so page 2,000 of a province would cost a hundred
    times page 2; at most ``COUNT_CAP`` rows in, every page costs about the same, and past the
    last one the list asks for a narrower search. A page number beyond it gives the last page
    (``get_page``), as for any list.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # Read when paginating, not at import, so that tests can patch COUNT_CAP.
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def counted(self) -> int:
        """How many rows match, counting no further than ``cap + 1``."""
        rows = self.object_list
        if hasattr(rows, "query"):
            return rows.order_by()[: self.cap + 1].count()
        return min(len(rows), self.cap + 1)

    @property
    def over_cap(self) -> bool:
        """More rows match than are counted and paged."""
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @cached_property
    def num_pages(self) -> int:
        if self.over_cap:
            # Whole pages only: the last one must not be cut short by the cap.
            return max(1, self.cap // self.per_page)
        return super().num_pages


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
