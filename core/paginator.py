"""Pagination that does not count a million rows to draw page links."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

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

    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        # The admin's get_paginator passes orphans and allow_empty_first_page by position.
        super().__init__(object_list, per_page, *args, **kwargs)
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


def planned_rows(queryset) -> int | None:
    """Return how many rows PostgreSQL's planner expects ``queryset`` to match (None elsewhere).

    An estimate from the statistics ANALYZE keeps, read in about a millisecond without running
    the query; good enough to choose between two plans, never shown as a count.
    """
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
