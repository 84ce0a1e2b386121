"""The house options of every background task, and the errors worth another try.

Every task is acknowledged late and rejected when its worker is lost, so a task whose worker died
runs again on another worker (its service makes the second run harmless); an error that may pass
by itself is retried with exponential backoff and jitter; bad data and bugs are not retried.
"""

from smtplib import SMTPException

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError

# Transient: the database restarted or a connection dropped ("database is locked" on SQLite with
# two workers), the mail server was briefly away. Anything else is a bug or bad data.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError, SMTPException)
# Tasks that work on stored files or talk to a server also retry any OSError: a storage (a
# network share) briefly unreachable, a host name that did not resolve. A picture that cannot be
# decoded is not among them: its service marks it failed instead of raising.
IO_ERRORS = (*TRANSIENT_ERRORS, OSError)
# Never retried, even if a task widens what it retries: the service refused the data.
PERMANENT_ERRORS = (ValidationError,)

HOUSE_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "dont_autoretry_for": PERMANENT_ERRORS,
    # 10 s, 20 s, 40 s… (each drawn at random below it, so workers do not retry in step),
    # at most 10 minutes apart.
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def house_task(**overrides):
    """Declare a Celery task with the house options, ``overrides`` replacing any of them.

    Use it called, ``@house_task()`` or ``@house_task(autoretry_for=IO_ERRORS)``. The task is
    bound (its first argument is the task) and keeps the name Celery gives it from its module
    and function, unless ``name=`` is passed.
    """
    return shared_task(**{**HOUSE_OPTIONS, **overrides})
