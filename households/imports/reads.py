"""What a row's check reads from the database, and whether it is still what is stored.

A round of checks (``checking.check_rows``) looks up the commune's households that its rows name
(by code, or by the head's name as written), their members, and the national ID numbers taken;
the queries are written here, once, for the check and for the import's chunks alike. A row's
*reads* are the households it may be (each as stored, with its members as stored) and who holds
its ID numbers: its check is a function of them, of its own cells and of the commune's villages.

The import job checks the whole file before its first chunk (an all-or-nothing import must find
no error before anything is written); each chunk then locks the same rows again and, where every
row's reads are still the stored values (compared column by column, not by a timestamp: some
writes, such as a member's signal updating its household's search text, leave ``updated_at``
alone), reuses that check instead of running it a second time. A row that shares a household with
another row of its round has no reads of its own (``None``): its check also depends on the other
row (which one claims the household first, what the other changes), so its chunk is checked again.
"""

import operator
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from core.text import fold
from households.imports.columns import Row
from households.imports.places import Villages
from households.models import Household, Member
from outreach.models import Commune

# How many codes, names or ids one query looks up: well under every database's parameter limit.
LOOKUP_BATCH = 900


def _compared(model) -> list[str]:
    """Return the columns a row's reads compare: every stored one, whichever a check uses, but
    the times (created, updated, archived), which no check reads (``full_clean`` passes over a
    field that cannot be edited) and which cost a conversion in Python per value read back."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if not isinstance(field, models.DateTimeField)
    ]


_HOUSEHOLD_COLUMNS = _compared(Household)
_MEMBER_COLUMNS = _compared(Member)
_household_columns = operator.attrgetter(*_HOUSEHOLD_COLUMNS)
_member_columns = operator.attrgetter(*_MEMBER_COLUMNS)


def household_queries(rows: Sequence[Row], commune: Commune) -> tuple[list, list]:
    """Return the queries of the commune's households that the rows name: by code, and by the
    head's name as written for the rows without a code (candidates, in the order of their ids)."""
    codes = [row.values["code"] for row in rows if row.values.get("code")]
    by_code = [
        Household.objects.filter(commune=commune, code__in=codes[start : start + LOOKUP_BATCH])
        for start in range(0, len(codes), LOOKUP_BATCH)
    ]
    names = sorted(
        {
            row.values["head_name"]
            for row in rows
            if not row.values.get("code") and row.values.get("head_name")
        }
    )
    by_name = [
        Household.objects.filter(
            commune=commune, head_name__in=names[start : start + LOOKUP_BATCH]
        ).order_by("pk")
        for start in range(0, len(names), LOOKUP_BATCH)
    ]
    return by_code, by_name


def member_queries(household_ids: Sequence[int]) -> list[QuerySet]:
    """Return the queries of the households' members, in the order of their ids."""
    batches = [
        household_ids[start : start + LOOKUP_BATCH]
        for start in range(0, len(household_ids), LOOKUP_BATCH)
    ]
    return [Member.objects.filter(household_id__in=batch).order_by("pk") for batch in batches]


def _ids(row: Row) -> list[str]:
    ids = [row.values["head_national_id"]] if row.values.get("head_national_id") else []
    return ids + [p.values["national_id"] for p in row.members if p.values.get("national_id")]


def national_ids(rows: Sequence[Row]) -> dict[str, int]:
    """Return the members holding the rows' national ID numbers: number → member."""
    ids = [number for row in rows for number in _ids(row)]
    taken: dict[str, int] = {}
    for start in range(0, len(ids), LOOKUP_BATCH):
        taken.update(
            Member.objects.filter(national_id__in=ids[start : start + LOOKUP_BATCH]).values_list(
                "national_id", "pk"
            )
        )
    return taken


def row_reads(
    rows: Sequence[Row],
    villages: Villages,
    *,
    by_code: dict[str, int],
    by_name: dict[tuple, list[int]],
    households: dict[int, tuple],
    members: dict[int, list[tuple]],
    taken: dict[str, int],
) -> list[tuple | None]:
    """Return each row's reads: the households it may be (id, stored columns, members' stored
    columns) and the holders of its ID numbers; ``None`` for a row that shares a household with
    another of ``rows``, or whose village is not the commune's (its check has an error)."""
    found: list[list[int] | None] = []
    for row in rows:
        values = row.values
        if values.get("code"):
            found.append([by_code[values["code"]]] if values["code"] in by_code else [])
            continue
        if "village" not in values or not values.get("head_name"):
            found.append(None)
            continue
        try:
            village = villages.find(values["village"])
        except ValidationError:
            found.append(None)
            continue
        found.append(list(by_name.get((village.pk, fold(values["head_name"])), [])))
    named: dict[int, int] = {}
    for pks in found:
        for pk in pks or ():
            named[pk] = named.get(pk, 0) + 1
    reads: list[tuple | None] = []
    for row, pks in zip(rows, found, strict=True):
        if pks is None or any(named[pk] > 1 for pk in pks):
            reads.append(None)
            continue
        reads.append(
            (
                tuple((pk, households[pk], tuple(members.get(pk, ()))) for pk in pks),
                tuple(taken.get(number) for number in _ids(row)),
            )
        )
    return reads


def reads_of_instances(
    rows: Sequence[Row],
    villages: Villages,
    *,
    by_code: dict[str, Household],
    by_name: dict[tuple, list[Household]],
    members: dict[int, list[Member]],
    taken: dict[str, int],
) -> list[tuple | None]:
    """Return each row's reads from the households and members a round of checks loaded (before
    its checks change them)."""
    households = {h.pk: _household_columns(h) for h in by_code.values()}
    households.update((h.pk, _household_columns(h)) for found in by_name.values() for h in found)
    return row_reads(
        rows,
        villages,
        by_code={code: h.pk for code, h in by_code.items()},
        by_name={key: [h.pk for h in found] for key, found in by_name.items()},
        households=households,
        members={pk: [_member_columns(m) for m in found] for pk, found in members.items()},
        taken=taken,
    )


def reads_locked(rows: Sequence[Row], commune: Commune, villages: Villages) -> list[tuple | None]:
    """Lock the households the rows name and their members, as a round of checks with ``lock``
    does (the same queries), and return each row's reads as stored now."""
    code_at = _HOUSEHOLD_COLUMNS.index("code")
    village_at = _HOUSEHOLD_COLUMNS.index("village_id")
    name_at = _HOUSEHOLD_COLUMNS.index("head_name")
    pk_at = _HOUSEHOLD_COLUMNS.index(Household._meta.pk.attname)
    by_code_queries, by_name_queries = household_queries(rows, commune)
    households: dict[int, tuple] = {}
    by_code: dict[str, int] = {}
    for query in by_code_queries:
        for values in _locked(query, _HOUSEHOLD_COLUMNS):
            households[values[pk_at]] = values
            by_code[values[code_at]] = values[pk_at]
    by_name: dict[tuple, list[int]] = {}
    for query in by_name_queries:
        for values in _locked(query, _HOUSEHOLD_COLUMNS):
            households[values[pk_at]] = values
            key = (values[village_at], fold(values[name_at]))
            by_name.setdefault(key, []).append(values[pk_at])
    household_at = _MEMBER_COLUMNS.index("household_id")
    members: dict[int, list[tuple]] = {}
    for query in member_queries(list(households)):
        for values in _locked(query, _MEMBER_COLUMNS):
            members.setdefault(values[household_at], []).append(values)
    return row_reads(
        rows,
        villages,
        by_code=by_code,
        by_name=by_name,
        households=households,
        members=members,
        taken=national_ids(rows),
    )


def _locked(query: QuerySet, columns: list[str]) -> QuerySet:
    # Tuples, not model instances: the same rows locked, without building a model per row.
    return query.select_for_update().values_list(*columns)
