"""What every service shares: one transaction, and the actor on record in the history."""

import contextvars
import functools

from django.db import transaction

# Who is acting in the service running now: the history of the rows it writes names them, also
# when no request is behind the call (commands, tasks).
_actor: contextvars.ContextVar = contextvars.ContextVar("bacung_actor", default=None)


def service(function):
    """Run a service in one transaction, with its ``actor=`` as the author of the changes."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        actor = kwargs.get("actor")
        token = _actor.set(actor if getattr(actor, "is_authenticated", False) else None)
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
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None
