"""What every service shares: one transaction, the actor on record in the history, and the
update of an existing row."""

import contextvars
import functools
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

# Who is acting in the service running now: the history of the rows it writes names them, also
# when no request is behind the call (commands, tasks).
_actor: contextvars.ContextVar = contextvars.ContextVar("bacung_actor", default=None)


def actor_or_none(actor):
    """Return the user to record as the author of a row: ``actor`` if signed in, else None.

    Services are also called by the system (commands, tasks: ``actor=None``) and, through the
    public pages, by anonymous users, neither of whom a foreign key to the user can hold.
    """
    return actor if getattr(actor, "is_authenticated", False) else None


def service(function):
    """Run a service in one transaction, with its ``actor=`` as the author of the changes."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        actor = kwargs.get("actor")
        token = _actor.set(actor_or_none(actor))
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        finally:
            _actor.reset(token)

    return run


def history_user(instance=None, request=None, **kwargs):
    """Name the author of a history row: the service's actor, else the request's user."""
    actor = _actor.get()
    if actor is not None:
        return actor
    return actor_or_none(getattr(request, "user", None))


def set_changed(instance: models.Model, data: dict) -> list[str]:
    """Set the values of ``data`` that differ from ``instance``'s; return the names set, in order.

    A foreign key is compared by its id, so that an unchanged one loads nothing.
    """
    changed = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.is_relation:
            old = getattr(instance, field.attname)
            new = value.pk if isinstance(value, models.Model) else value
        else:
            old = getattr(instance, name)
            new = value
        if old != new:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def model_update(
    instance: models.Model, data: dict, *, fields: Iterable[str], also_save: Iterable[str] = ()
) -> bool:
    """Change ``instance`` to ``data``, validate it and save the changed columns only.

    ``fields`` are the names a caller may change; any other name in ``data`` is a mistake in the
    code (not in the user's input) and raises ``ValueError``. Nothing is written, and nothing
    is queried, when no value changes; else the changed columns are saved with the model's
    ``auto_now`` timestamp (``updated_at``) and ``also_save``: columns that the model's save
    derives from others (a search column kept by a ``pre_save`` signal), which ``update_fields``
    would otherwise leave unwritten. A row not yet in the database is saved whole. Return
    whether anything was written. Run it inside the service's transaction, on a locked row.
    """
    allowed = set(fields)
    unknown = [name for name in data if name not in allowed]
    if unknown:
        raise ValueError(
            f"model_update: {type(instance).__name__} may not change {', '.join(unknown)} here "
            f"(allowed: {', '.join(sorted(allowed))})."
        )
    not_columns = [name for name in data if not _is_column(instance, name)]
    if not_columns:
        raise ValueError(
            f"model_update: {', '.join(not_columns)} is not a column of {type(instance).__name__}."
        )
    changed = set_changed(instance, data)
    adding = instance._state.adding
    if not (changed or adding):
        return False
    instance.full_clean()
    if adding:
        instance.save()
        return True
    timestamps = [
        field.name
        for field in instance._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.name not in changed
    ]
    instance.save(update_fields=[*changed, *timestamps, *also_save])
    return True


def _is_column(instance: models.Model, name: str) -> bool:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and not field.many_to_many and not field.primary_key
