"""Pagination that does not count a million rows to draw page links."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap enough.
EXACT_COUNT_LIMIT = 100_000


class EstimatedCountPaginator(Paginator):
    """Use PostgreSQL's planner estimate for an unfiltered table's size, an exact count otherwise.

    ``SELECT count(*)`` scans the whole table on PostgreSQL; on a million households that alone
    takes longer than the page should. The estimate (pg_class.reltuples, kept by ANALYZE) is what
    PostgreSQL's own tools show for table sizes; the last page link may be slightly off.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.distinct or query.combinator:
            return super().count
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return super().count
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        estimate = row[0] if row and row[0] is not None else -1
        if estimate < EXACT_COUNT_LIMIT:
            return super().count
        return estimate
