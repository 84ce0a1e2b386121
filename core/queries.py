"""Query helpers shared by every app: folded search (in one or two steps) and per-row totals."""

from collections.abc import Iterable

from django.db.models import BigIntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.paginator import planned_rows
from core.text import fold


def related_total(related: QuerySet, link: str, aggregate) -> Coalesce:
    """Annotate each row with ``aggregate`` over its related rows, as a correlated subquery.

    ``related_total(Member.objects.all(), "household", Count("pk"))`` counts a household's
    members. A JOIN with GROUP BY would aggregate the whole related table before the page is
    cut; the subquery is evaluated for the rows on the page only.
    """
    totals = (
        related.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=aggregate)
        .values("total")
    )
    return Coalesce(Subquery(totals), 0, output_field=BigIntegerField())


def folded_search(
    queryset: QuerySet, term: str, folded_field: str, plain_fields: Iterable[str] = ()
) -> QuerySet:
    """Filter on a folded search column, ignoring case and diacritics ("ma dinh lieu").

    Both sides are folded (lower case, no diacritics), so ``contains`` is already
    case-insensitive; unlike ``icontains`` (``UPPER(col) LIKE …`` on PostgreSQL) it lets a
    pg_trgm index on the column itself serve the search. ``plain_fields`` match the raw term.
    """
    folded = fold(term)
    if not folded:
        return queryset
    condition = Q(**{f"{folded_field}__contains": folded})
    for name in plain_fields:
        condition |= Q(**{f"{name}__icontains": term.strip()})
    return queryset.filter(condition)


def two_step_search(
    queryset: QuerySet,
    term: str,
    folded_field: str,
    plain_fields: Iterable[str] = (),
    *,
    ids_limit: int,
) -> QuerySet:
    """Filter like ``folded_search``; when few rows match, fetch their ids first.

    Why two steps: asked for the first page in (commune, code) order, PostgreSQL walks that index
    and tests every row against the search, expecting a match soon; for a rare term (one
    household code) it reads 700,000 rows first. Fetching the matches' ids through the trigram
    index first (at most ``ids_limit``) and ordering only those keeps a rare term fast; a common
    term has more matches than the cap, and then the index walk finds them quickly. PostgreSQL's
    estimate tells a common term (tens of thousands of matches, where the first step would only
    cost time) without running anything. Either way the rows are the same.
    """
    found = folded_search(queryset, term, folded_field, plain_fields)
    if found is queryset:
        return queryset
    expected = planned_rows(found)
    if expected is not None and expected > ids_limit:
        return found
    ids = list(found.order_by().values_list("pk", flat=True)[: ids_limit + 1])
    if len(ids) <= ids_limit:
        return queryset.filter(pk__in=ids)
    return found
