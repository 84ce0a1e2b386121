"""Background work lost on the way, found and sent again (``core.tasks.jobs_recover_task``, run
by celery beat every minute).

What is lost: a job whose worker was killed (it stays "running", its heartbeat stops), a job
whose message never reached the broker or was lost with it (it stays "queued"), and work that
has no job row, such as a photo left "being processed". A job carries the task that runs it
(``core.jobs.job_create(task=…)``), so core sends it again by name without importing any app;
for the rest, each app registers a *recoverer* at start-up (``register_recoverer``), a function
returning the Celery signatures of what it has lost. Everything sent again must be idempotent:
an import resumes after its last committed chunk, an export is written again from the start, a
photo already processed is left alone, an e-mail already recorded is not sent twice.
"""

import datetime
import logging
from collections.abc import Callable, Iterable

from celery import signature
from celery.canvas import Signature
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import attempts_exhausted, job_stop
from core.models import Job

logger = logging.getLogger(__name__)

# Work lost longer ago than this is left for an administrator: a photo that fails again and
# again is not queued for ever, and a weekend's broker outage is still covered.
RECOVER_WITHIN = datetime.timedelta(days=3)
# At most this many jobs, and this many items of each recoverer, are sent again per run (one a
# minute): a backlog after a long outage is worked off over a few minutes.
RECOVER_BATCH = 200

Recoverer = Callable[..., Iterable[Signature]]
_recoverers: list[Recoverer] = []


def register_recoverer(recoverer: Recoverer) -> Recoverer:
    """Add a function ``recoverer(*, stale_before, since, limit)`` that returns the signatures
    of the tasks (at most ``limit``) to send again for work still pending, last touched between
    ``since`` and ``stale_before``; usable as a decorator, registering a function once however
    often it is called. A recoverer that can marks what it returns as touched now
    (``pending_since``), so that it is sent again only after another ``JOB_STALE_AFTER``."""
    if recoverer not in _recoverers:
        _recoverers.append(recoverer)
    return recoverer


def pending_since(queryset, *, stale_before, since, limit: int, field: str = "updated_at"):
    """Return the ids of the rows of ``queryset`` (already narrowed to pending ones) whose
    ``field`` lies between ``since`` and ``stale_before``, at most ``limit``, touching
    ``updated_at`` so that the next recovery leaves them for another ``JOB_STALE_AFTER``."""
    ids = list(
        queryset.filter(**{f"{field}__gte": since, f"{field}__lt": stale_before})
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if ids and field == "updated_at":
        queryset.model.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    return ids


def _send(task: Signature) -> bool:
    try:
        task.apply_async()
    except Exception:
        # One task that cannot be sent (or, run in-process, fails) stops none of the others;
        # a failing job records its own reason (core.tasks.JobTask).
        logger.exception("Could not send %s again", task)
        return False
    return True


def _lost_jobs(stale_before: datetime.datetime):
    return Job.objects.filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING)).filter(
        Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, created_at__lt=stale_before)
    )


def _job_recover(job: Job, now: datetime.datetime) -> str:
    """Send a lost job's task again, or stop it with its reason; return what was done."""
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        job_stop(job.pk, attempts_exhausted(job.attempts))
        return "failed"
    if not job.task_name:
        # Run in the foreground (the import command) by a process that is gone.
        job_stop(
            job.pk, _("Stopped: it was interrupted and cannot resume by itself. Start it again.")
        )
        return "failed"
    # Compare and set: of two recoveries at once (a beat tick run twice), one sends it. The
    # fresh heartbeat gives the new message JOB_STALE_AFTER to be taken by a worker; a worker
    # still at it (only slow) finds its job no longer running and stops at its next chunk.
    queued = Job.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
        status=Job.Status.QUEUED, heartbeat_at=now, updated_at=now
    )
    if not queued:
        return "skipped"
    sent = _send(signature(job.task_name, args=[job.pk, *job.task_args], kwargs=job.task_kwargs))
    return "requeued" if sent else "skipped"


def jobs_recover(*, now: datetime.datetime | None = None) -> dict:
    """Send again the jobs and the work lost by dead workers or an absent broker, and stop with
    its reason each job that used its attempts; return how many of each."""
    now = now or timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.JOB_STALE_AFTER)
    done = {"requeued": 0, "failed": 0, "skipped": 0, "pending": 0}
    for job in _lost_jobs(stale_before).order_by("pk")[:RECOVER_BATCH]:
        done[_job_recover(job, now)] += 1
    for recoverer in list(_recoverers):
        lost = recoverer(stale_before=stale_before, since=now - RECOVER_WITHIN, limit=RECOVER_BATCH)
        for task in list(lost)[:RECOVER_BATCH]:
            done["pending"] += _send(task)
    if done["requeued"] or done["failed"] or done["pending"]:
        logger.warning("Recovered background work: %s", done)
    return done
