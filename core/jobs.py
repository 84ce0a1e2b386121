"""Background jobs the UI can follow: a ``core.Job`` row per piece of work (an import, a large
export), written by the task as it goes and polled by the job page.

A task claims its job before working (``job_claim``): a job that already succeeded or failed is
left alone, so a second delivery of the same task is a no-op; a job left "running" by a worker
that died is claimed again and resumed — the work itself must be idempotent. Each claim counts
an attempt; a job claimed ``JOB_MAX_ATTEMPTS`` times without finishing is stopped instead.

A job remembers the task that runs it (``job_create(task=…)``), and every claim and step of
progress is a heartbeat: ``core.recovery`` sends the task again for a job whose heartbeat is
older than ``JOB_STALE_AFTER`` (its worker died, or its message was lost with the broker).
"""

import functools
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Job
from core.services import actor_or_none

FINISHED = (Job.Status.SUCCEEDED, Job.Status.FAILED)
# Files made by jobs (exports) live here, under MEDIA_ROOT; only the job's owner downloads them.
FILES_DIR = "jobs"


def job_create(
    *,
    actor,
    kind: str,
    total: int = 0,
    message: str = "",
    task=None,
    args: tuple | list = (),
    kwargs: dict | None = None,
) -> Job:
    """Create a queued job for ``actor`` (the only user, besides administrators, who sees it).

    With ``task``, queue ``task(job.pk, *args, **kwargs)`` once the caller's transaction has
    committed (a worker never looks for a job that is not there yet), and remember it on the job
    so that ``core.recovery`` can send it again; ``args`` and ``kwargs`` must be JSON.
    """
    job = Job.objects.create(
        kind=kind,
        total=total,
        message=message[:255],
        created_by=actor_or_none(actor),
        task_name=task.name if task is not None else "",
        task_args=list(args),
        task_kwargs=dict(kwargs or {}),
    )
    if task is not None:
        transaction.on_commit(
            functools.partial(task.apply_async, args=[job.pk, *args], kwargs=kwargs or {})
        )
    return job


def attempts_exhausted(attempts: int) -> str:
    """Return why a job claimed ``attempts`` times without finishing was stopped."""
    return _(
        "Stopped: it was interrupted %(count)s times without finishing. Start it again; if it "
        "stops again, ask an administrator to look at it."
    ) % {"count": attempts}


def job_claim(job_id: int) -> Job | None:
    """Mark a job running (one more attempt, a fresh heartbeat) and return it, or None if it
    finished already, does not exist, or has used its ``JOB_MAX_ATTEMPTS`` (it is then stopped
    with the reason, so that a task that kills its worker every time does not loop for ever)."""
    now = timezone.now()
    unfinished = Job.objects.filter(pk=job_id).exclude(status__in=FINISHED)
    claimed = unfinished.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if claimed:
        return Job.objects.get(pk=job_id)
    exhausted = unfinished.values_list("attempts", flat=True).first()
    if exhausted is not None:
        job_stop(job_id, attempts_exhausted(exhausted))
    return None


def job_heartbeat(job_id: int) -> None:
    """Say that a job's worker is still at it, during a long step that makes no progress."""
    now = timezone.now()
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        heartbeat_at=now, updated_at=now
    )


def job_progress(
    job_id: int, progress: int, *, total: int | None = None, message: str = ""
) -> None:
    """Record how far a job got (one UPDATE; cheap enough to call every few hundred rows)."""
    now = timezone.now()
    fields = {"progress": progress, "heartbeat_at": now, "updated_at": now}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message[:255]
    # Never beyond the total, which the database checks.
    Job.objects.filter(pk=job_id).filter(Q(total=0) | Q(total__gte=progress)).update(**fields)


def job_succeed(job_id: int, *, result: dict | None = None, message: str = "") -> None:
    """Finish a job with its result (counts, a file to download)."""
    job = Job.objects.get(pk=job_id)
    job.status = Job.Status.SUCCEEDED
    job.result = result or {}
    job.message = message[:255]
    job.progress = job.total or job.progress
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "message", "progress", "finished_at", "updated_at"])


def job_fail(job_id: int, *, errors: list | None = None, message: str = "") -> None:
    """Finish a job as failed, with what went wrong (shown to its owner)."""
    job = Job.objects.get(pk=job_id)
    job.status = Job.Status.FAILED
    job.errors = errors or []
    job.message = message[:255]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "message", "finished_at", "updated_at"])


def job_stop(job_id: int, message: str) -> bool:
    """Finish an unfinished job as failed with the reason its page shows, keeping the problems
    it listed so far; return whether it was stopped (one that finished meanwhile is left)."""
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job_id)
        .exclude(status__in=FINISHED)
        .update(status=Job.Status.FAILED, message=message[:255], finished_at=now, updated_at=now)
    )


def job_file_path(job: Job, filename: str) -> Path:
    """Return where a job writes its file (MEDIA_ROOT/jobs/<id>/<filename>), creating the folder."""
    folder = Path(settings.MEDIA_ROOT) / FILES_DIR / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / Path(filename).name


def jobs_of(user):
    """Return the jobs ``user`` may follow: their own (administrators: all)."""
    if getattr(user, "is_superuser", False):
        return Job.objects.all()
    return Job.objects.filter(created_by=user)


def job_lock(job_id: int) -> Job | None:
    """Lock a running job's row for the caller's transaction and return it (None if it is not
    running): two workers handed the same task take turns, and each sees the other's progress."""
    return Job.objects.select_for_update().filter(pk=job_id, status=Job.Status.RUNNING).first()


def job_checkpoint(
    job: Job,
    *,
    progress: int,
    result: dict | None = None,
    errors: list | None = None,
    message: str = "",
) -> None:
    """Record a locked job's progress (and its partial result, the problems met so far) in the
    caller's transaction, so that they are committed with the work they describe: a job resumed
    after a crash starts exactly where the committed work ends."""
    job.progress = min(progress, job.total) if job.total else progress
    job.heartbeat_at = timezone.now()
    fields = ["progress", "heartbeat_at", "updated_at"]
    if result is not None:
        job.result = result
        fields.append("result")
    if errors is not None:
        job.errors = errors
        fields.append("errors")
    if message:
        job.message = message[:255]
        fields.append("message")
    job.save(update_fields=fields)
