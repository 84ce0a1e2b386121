"""The house options of every background task, and the errors worth another try.

Every task is acknowledged late and rejected when its worker is lost, so a task whose worker died
runs again on another worker (its service makes the second run harmless); an error that may pass
by itself is retried with exponential backoff and jitter; bad data and bugs are not retried.
A task that runs a job (``job_task``) ends its job as failed, with the reason, when it fails for
good; ``jobs_recover_task`` sends again what a dead worker or an absent broker lost.
"""

import logging
from smtplib import SMTPException

from celery import Task, shared_task
from celery.exceptions import Retry
from django.core.exceptions import ValidationError
from django.db import DataError, InterfaceError, OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import recovery
from core.jobs import job_stop
from core.services import Busy

logger = logging.getLogger(__name__)

# Transient: the database restarted or a connection dropped ("database is locked" on SQLite with
# two workers), a service kept losing a race for its rows (Busy; a deadlock, a serialisation
# failure or a lock timeout are OperationalErrors, as psycopg's own errors are once Django
# wrapped them), the mail server was briefly away. Anything else is a bug or bad data.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    Busy,
    ConnectionError,
    TimeoutError,
    SMTPException,
)
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


def _job_id(args, kwargs) -> int | None:
    job_id = kwargs.get("job_id", args[0] if args else None)
    return job_id if isinstance(job_id, int) else None


def stop_reason(exc: BaseException) -> str:
    """Say in a few words, without a traceback, what stopped a job."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, DataError):
        # The database refused a value (a NUL character, a number out of range): its first line
        # says which kind, without the data.
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:150]
        return _("a value could not be stored (%(error)s)") % {"error": detail}
    return _("an unexpected error (%(error)s); the details are in the worker's log") % {
        "error": type(exc).__name__
    }


class JobTask(Task):
    """A task whose first argument is a ``core.Job`` id: when it fails for good (bad data, a
    bug, a transient error that outlasted its retries), its job is marked failed with the
    reason, instead of being left "running" or "queued" for ever.

    Done around the run rather than in ``on_failure``, which eager tasks that propagate their
    errors (the demo, the tests) never call; a ``Retry`` is not the end of the job."""

    # "The import stopped: %(reason)s": what the job's page says, per kind of task.
    stopped_message = gettext_lazy("The job stopped: %(reason)s")
    # A function(job_id, message) that records the failure on the job's own rows too.
    on_job_stopped = None

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except Retry:
            raise
        except Exception as exc:
            self.job_stopped(_job_id(args, kwargs), exc)
            raise

    def job_stopped(self, job_id: int | None, exc: Exception) -> None:
        """Mark the job failed with the reason ``exc`` gives (and its own rows, if told how)."""
        if job_id is None:
            return
        message = str(self.stopped_message) % {"reason": stop_reason(exc)}
        logger.error("Job %s stopped by %r in %s", job_id, exc, self.name)
        try:
            if job_stop(job_id, message) and self.on_job_stopped is not None:
                self.on_job_stopped(job_id, message)
        except TRANSIENT_ERRORS:
            # The database is away: the job stays unfinished and core.recovery comes back to it.
            logger.exception("Could not record that job %s stopped", job_id)


def job_task(*, stopped=None, on_stopped=None, **overrides):
    """Declare a task that runs a ``core.Job`` (its first argument is the job's id), with the
    house options: a failure ends the job as failed with ``stopped`` (a translatable
    "The import stopped: %(reason)s") and calls ``on_stopped(job_id, message)`` if given."""
    attributes = {"base": JobTask}
    if stopped is not None:
        attributes["stopped_message"] = stopped
    if on_stopped is not None:
        attributes["on_job_stopped"] = staticmethod(on_stopped)
    return house_task(**attributes, **overrides)


@house_task()
def jobs_recover_task(self) -> dict:
    """Send again the jobs and photos lost by a dead worker or an absent broker (every minute,
    from celery beat) and stop the jobs that used their attempts."""
    return recovery.jobs_recover()
