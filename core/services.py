"""What every service shares: one transaction, the actor on record in the history, and the
update of an existing row."""

import contextvars
import copy
import functools
import random
import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import OperationalError, models, transaction
from django.utils.translation import gettext_lazy

# Who is acting in the service running now: the history of the rows it writes names them, also
# when no request is behind the call (commands, tasks).
_actor: contextvars.ContextVar = contextvars.ContextVar("bacung_actor", default=None)


def actor_or_none(actor):
    """Return the user to record as the author of a row: ``actor`` if signed in, else None.

    Services are also called by the system (commands, tasks: ``actor=None``) and, through the
    public pages, by anonymous users, neither of whom a foreign key to the user can hold.
    """
    return actor if getattr(actor, "is_authenticated", False) else None


BUSY_MESSAGE = gettext_lazy(
    "Someone else is changing the same records right now; nothing was saved. Please try again."
)
# What PostgreSQL answers when a transaction lost a race and may simply run again: could not
# serialize access (40001), deadlock detected (40P01), lock not available (55P03: a lock
# timeout, or NOWAIT's "could not obtain lock").
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
# SQLite's word for the same: another connection holds the write lock past the timeout, or a
# read transaction could not become a write one while another wrote.
_SQLITE_BUSY = ("database is locked", "database table is locked")
# First pause before another attempt, in seconds; it doubles with each attempt, and each pause
# is drawn at random below it so that the racing requests do not collide again in step.
_BACKOFF = 0.05

T = TypeVar("T")


class Busy(Exception):
    """The database kept answering a concurrency error; the service's work was rolled back.

    Not a ``ValidationError``: the input is fine and another try may pass, so tasks retry it
    (core.tasks.TRANSIENT_ERRORS) while they never retry a refusal; a request answers it with
    HTTP 409 and ``BUSY_MESSAGE`` (core.middleware.BusyMiddleware), the admin with a message.
    """

    def __init__(self, message: str | None = None):
        super().__init__(str(message or BUSY_MESSAGE))

    @property
    def message(self) -> str:
        return self.args[0]


def is_transient(error: BaseException | None) -> bool:
    """Return whether ``error`` (or what caused it) is a concurrency error worth another try.

    Django wraps the driver's error in its own (``OperationalError``, the driver's error as
    its ``__cause__``), so the chain of causes is followed; psycopg's errors carry the SQLSTATE.
    """
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, Busy):
            return True
        # psycopg 3 calls it sqlstate, psycopg2 pgcode.
        code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if code in _TRANSIENT_SQLSTATES:
            return True
        sqlite_error = isinstance(error, OperationalError | sqlite3.OperationalError)
        if sqlite_error and str(error).startswith(_SQLITE_BUSY):
            return True
        error = error.__cause__
    return False


def run_atomic(
    call: Callable[[], T], *, using: str | None = None, instances: Iterable[models.Model] = ()
) -> T:
    """Run ``call`` in a transaction; run it again if the database answers a concurrency error.

    Only the outermost transaction retries, up to ``SERVICE_RETRIES`` attempts in all, after a
    short random pause: inside another transaction the error goes up to the one that began it
    (the locks its earlier statements took are still held, and PostgreSQL's snapshot is the
    whole transaction's, so running the inner part again would meet the same error). When the
    attempts run out, ``Busy`` is raised. A failed attempt keeps nothing: its transaction is
    rolled back, Django drops the ``on_commit`` callbacks registered in it, and ``instances``
    (the model instances the caller passed in) get back the values they came with.
    """
    if transaction.get_connection(using).in_atomic_block:
        with transaction.atomic(using=using):
            return call()
    attempts = max(1, int(settings.SERVICE_RETRIES))
    instances = list(instances)
    saved = [_snapshot(instance) for instance in instances]
    attempt = 1
    while True:
        committed = []
        try:
            with transaction.atomic(using=using):
                # Runs first once committed: an error from a later on_commit callback (a task
                # run in-process) comes after the work was saved, and must not do it twice.
                transaction.on_commit(functools.partial(committed.append, True), using=using)
                return call()
        except Exception as error:
            if committed or not is_transient(error):
                raise
            if attempt >= attempts:
                raise Busy() from error
        for instance, state in zip(instances, saved, strict=True):
            _restore(instance, state)
        # Jitter, not a secret: the standard generator is what is wanted.
        time.sleep(random.uniform(0, _BACKOFF * 2 ** (attempt - 1)))  # noqa: S311
        attempt += 1


def _snapshot(instance: models.Model) -> dict:
    # The instance's state (adding, its database, the cached relations) is an object of its own.
    return {**instance.__dict__, "_state": copy.copy(instance._state)}


def _restore(instance: models.Model, state: dict) -> None:
    instance.__dict__.clear()
    instance.__dict__.update({**state, "_state": copy.copy(state["_state"])})


def service(function):
    """Run a service in one transaction, with its ``actor=`` as the author of the changes.

    A transaction that lost a race with another runs again (``run_atomic``); when it keeps
    losing, ``Busy`` tells the caller that nothing was saved.
    """

    @functools.wraps(function)
    def run(*args, **kwargs):
        actor = kwargs.get("actor")
        token = _actor.set(actor_or_none(actor))
        # type(), not isinstance(): a lazy request.user passes for a User, and the actor is
        # not among what a service writes.
        given = (*args, *(value for name, value in kwargs.items() if name != "actor"))
        instances = [value for value in given if issubclass(type(value), models.Model)]
        try:
            return run_atomic(lambda: function(*args, **kwargs), instances=instances)
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
