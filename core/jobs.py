"""Background jobs the UI can follow: a ``core.Job`` row per piece of work (an import, a large
export), written by the task as it goes and polled by the job page.

A task claims its job before working (``job_claim``): a job that already succeeded or failed is
left alone, so a second delivery of the same task is a no-op; a job left "running" by a worker
that died is claimed again and resumed — the work itself must be idempotent.
"""

from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.models import Job
from core.services import actor_or_none

FINISHED = (Job.Status.SUCCEEDED, Job.Status.FAILED)
# Files made by jobs (exports) live here, under MEDIA_ROOT; only the job's owner downloads them.
FILES_DIR = "jobs"


def job_create(*, actor, kind: str, total: int = 0, message: str = "") -> Job:
    """Create a queued job for ``actor`` (the only user, besides administrators, who sees it)."""
    return Job.objects.create(
        kind=kind,
        total=total,
        message=message[:255],
        created_by=actor_or_none(actor),
    )


def job_claim(job_id: int) -> Job | None:
    """Mark a job running and return it, or None if it finished already (or does not exist)."""
    claimed = (
        Job.objects.filter(pk=job_id)
        .exclude(status__in=FINISHED)
        .update(status=Job.Status.RUNNING, started_at=timezone.now(), updated_at=timezone.now())
    )
    return Job.objects.get(pk=job_id) if claimed else None


def job_progress(
    job_id: int, progress: int, *, total: int | None = None, message: str = ""
) -> None:
    """Record how far a job got (one UPDATE; cheap enough to call every few hundred rows)."""
    fields = {"progress": progress, "updated_at": timezone.now()}
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
    fields = ["progress", "updated_at"]
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
