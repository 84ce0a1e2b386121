"""The rows an import writes, in bulk, and their history.

Why not ``bulk_create`` and simple-history's ``bulk_create_with_history``: for 50,000 new
households they were most of an import's time. Django's bulk insert prepares every column of
every row in Python, and the database driver then escapes each value into the statement's text
(Django binds values on the client), though most columns of an imported household hold the same
value on every row (its commune, blank fields, flags off, the author); the history builds a
model instance per row and sends its every value once more.

So, on PostgreSQL, ``rows_create`` sends a column whose value is the same on every row of a
statement once (each row's value still being the field's own ``pre_save`` and database value,
as ``bulk_create`` computes it), the others as one array each, as Django itself does; and the
history rows are copied by the database from the rows just written (``history_copy``): the
tracked columns as stored, the date, the type ("+" created, "~" changed), no change reason,
the author: the rows simple-history writes. Elsewhere (SQLite) ``bulk_create`` writes the rows.
"""

import operator
from collections.abc import Sequence

from django.conf import settings
from django.db import connections, models, router

# How many rows one statement writes or copies: well under every database's parameter limit.
BATCH = 500


def rows_create(model: type[models.Model], objs: Sequence[models.Model], *, now) -> None:
    """Insert ``objs``, new instances of ``model``, and set their ids, in statements of
    ``BATCH`` rows. On PostgreSQL the time of their creation and change (the ``auto_now``
    fields) is ``now``, the time of their history, not a new time for each row."""
    if not objs:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    opts = model._meta
    fields = [field for field in opts.concrete_fields if field is not opts.pk]
    if (
        connection.vendor != "postgresql"
        or opts.db_returning_fields != [opts.pk]
        or any(field.generated or hasattr(field, "get_placeholder") for field in fields)
        or any(obj.pk is not None for obj in objs)
    ):
        # Each row's own time there, as bulk_create gives it.
        model._default_manager.using(using).bulk_create(objs, batch_size=BATCH)
        return
    for start in range(0, len(objs), BATCH):
        _insert(connection, using, model, fields, objs[start : start + BATCH], now)


def _stamped(field) -> bool:
    return isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)


def _insert(connection, using: str, model, fields, batch, now) -> None:
    quote = connection.ops.quote_name
    for obj in batch:
        # What bulk_create checks first: no related object left unsaved, their ids copied.
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    selected, arrays, array_types, constants = [], [], [], []
    for field in fields:
        # As in Django's own bulk insert: varchar[], not varchar(120)[].
        db_type = field.db_type(connection).split("(")[0]
        if _stamped(field):
            for obj in batch:
                setattr(obj, field.attname, now)
            values = [now] * len(batch)
        elif type(field).pre_save is models.Field.pre_save:
            values = list(map(operator.attrgetter(field.attname), batch))
        else:
            values = [field.pre_save(obj, True) for obj in batch]
        first = values[0]
        if values.count(first) == len(values) and len({type(value) for value in values}) == 1:
            selected.append(f"%s::{db_type}")
            constants.append(field.get_db_prep_save(first, connection=connection))
        else:
            selected.append(quote(f"c{len(arrays)}"))
            array_types.append(f"%s::{db_type}[]")
            arrays.append(
                [field.get_db_prep_save(value, connection=connection) for value in values]
            )
    # Only the models' names are put in the text, quoted; every value is a parameter. Django's
    # bulk insert also relies on the ids coming back in the order of the arrays.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)}"
        f" ({', '.join(quote(field.column) for field in fields)})"
        f" SELECT {', '.join(selected)}"
    )
    if arrays:
        names = ", ".join(quote(f"c{index}") for index in range(len(arrays)))
        sql += f" FROM UNNEST({', '.join(array_types)}) AS {quote('rows')} ({names})"
    sql += f" RETURNING {quote(model._meta.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants, *arrays])
        ids = cursor.fetchall()
    for obj, (pk,) in zip(batch, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using


def history_copy(
    model: type[models.Model], pks: Sequence[int], *, history_type: str, user, date
) -> None:
    """Write a history row of ``history_type`` for each row ``pks`` of ``model``, as stored now,
    dated ``date`` and by ``user`` (or nobody)."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    connection = connections[router.db_for_write(history)]
    quote = connection.ops.quote_name
    tracked = history.tracked_fields
    target = [quote(history._meta.get_field(field.name).column) for field in tracked]
    source = [quote(field.column) for field in tracked]
    pk = quote(model._meta.pk.column)
    # The values of the history's own columns, prepared as Django prepares them (a date for
    # SQLite is text); a missing one is written NULL, which needs no type.
    values = {
        "history_date": history._meta.get_field("history_date").get_db_prep_value(date, connection),
        "history_change_reason": None,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }
    columns = [*target, *(quote(name) for name in values)]
    given = [value for value in values.values() if value is not None]
    select = [*source, *("NULL" if value is None else "%s" for value in values.values())]
    table, source_table = quote(history._meta.db_table), quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH):
            batch = list(pks[start : start + BATCH])
            # Only the models' names are put in the text, quoted; every value is a parameter.
            # Ordered by the primary key: the history ids follow the order of the writes.
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)})"  # noqa: S608
                f" SELECT {', '.join(select)} FROM {source_table}"
                f" WHERE {pk} IN ({', '.join(['%s'] * len(batch))}) ORDER BY {pk}"
            )
            cursor.execute(sql, [*given, *batch])
