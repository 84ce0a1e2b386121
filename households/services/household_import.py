"""Household files: a preview job checks an uploaded file, an import job applies it.

``households.imports`` reads and checks the rows; these services write them.
"""

import functools
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import (
    job_checkpoint,
    job_claim,
    job_create,
    job_fail,
    job_file_path,
    job_lock,
    job_progress,
    job_succeed,
)
from core.models import Job
from core.services import service
from households import imports
from households.models import Household, Member
from households.services.household import HOUSEHOLD_EDITABLE, MEMBER_EDITABLE
from outreach.models import Commune

# A preview job checks an uploaded file and writes every row's outcome beside it; once the user
# confirms, an import job applies it in chunks, each committed with the job's progress, so a
# worker that dies mid-file leaves a job that the next worker resumes at the first row not
# committed. Rows are applied by household code (unique in the commune): a row already applied
# is "unchanged" when it comes again, so nothing is ever created twice.
IMPORT_PREVIEW = "household_import_preview"
IMPORT_APPLY = "household_import"
IMPORT_CHUNK = 500
_PREVIEW_FILE = "preview.json"


def _import_source(job) -> tuple[bytes, str]:
    from django.conf import settings

    path = Path(settings.MEDIA_ROOT) / job.result["source"]
    # The stored name ("source.csv") keeps the extension that was checked; the upload's name is
    # cut to 200 characters and may have lost it.
    return path.read_bytes(), path.name


def _check_file(content: bytes | File, filename: str) -> bytes:
    """Return the file's bytes, or refuse (as an error on the file) what
    ``imports.check_file`` refuses."""
    try:
        return imports.check_file(filename, content)
    except imports.FileProblem as problem:
        raise ValidationError({"file": str(problem)}) from problem


def _enqueue(task_name: str, job_id: int) -> None:
    # Imported here: households.tasks imports these services.
    from households import tasks

    getattr(tasks, task_name).delay(job_id)


@service
def household_import_start(*, actor, commune: Commune, content: bytes | File, filename: str) -> Job:
    """Store an uploaded household file and queue its check (a preview job for ``actor``);
    ``content`` may be the uploaded file itself, measured before it is read."""
    from django.conf import settings

    content = _check_file(content, filename)
    job = job_create(actor=actor, kind=IMPORT_PREVIEW, message=Path(filename).name)
    path = job_file_path(job, "source" + Path(filename).suffix.lower())
    path.write_bytes(content)
    job.result = {
        "commune": commune.pk,
        "source": str(path.relative_to(Path(settings.MEDIA_ROOT))),
        "upload_name": Path(filename).name[:200],
    }
    job.save(update_fields=["result", "updated_at"])
    transaction.on_commit(functools.partial(_enqueue, "household_import_check_task", job.pk))
    return job


def household_import_dry_run(*, commune: Commune, parsed) -> list:
    """Check every row of a parsed file against the commune's households; change nothing."""
    return _checked_in_batches(parsed, commune)


def _checked_in_batches(parsed, commune, *, progress_of: int | None = None):
    villages = imports.Villages(commune)
    duplicates = imports.duplicated_codes(parsed.rows)
    checked = []
    for start in range(0, len(parsed.rows), 1000):
        checked += imports.check_rows(
            parsed.rows[start : start + 1000],
            commune=commune,
            villages=villages,
            duplicates=duplicates,
        )
        if progress_of is not None:
            job_progress(progress_of, len(checked), total=len(parsed.rows))
    return checked


def household_import_check(*, job_id: int) -> dict:
    """Check every row of a preview job's file and write the outcomes beside it (a dry run:
    nothing but the job changes)."""
    from django.conf import settings
    from django.urls import reverse

    job = job_claim(job_id)
    if job is None:
        return {"job": job_id, "state": "finished"}
    commune = Commune.objects.get(pk=job.result["commune"])
    content, filename = _import_source(job)
    try:
        parsed = imports.read_file(content, filename)
    except imports.FileProblem as problem:
        job_fail(job_id, errors=[str(problem)], message=str(problem))
        return {"job": job_id, "state": "failed"}
    checked = _checked_in_batches(parsed, commune, progress_of=job_id)
    counts = imports.counts(checked)
    report = {
        "columns": [imports.BY_KEY[key].header for key in parsed.columns],
        "ignored": parsed.ignored,
        "counts": counts,
        "rows": [item.report() for item in checked],
    }
    path = Path(settings.MEDIA_ROOT) / Path(job.result["source"]).parent / _PREVIEW_FILE
    path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    job_succeed(
        job_id,
        result={
            **job.result,
            "counts": counts,
            "rows": len(checked),
            "next": reverse("households:import-preview", args=[job_id]),
        },
        message=import_summary(counts, preview=True),
    )
    return {"job": job_id, "state": "succeeded", **counts}


def import_preview_report(job: Job) -> dict:
    """Return what a finished preview job found: columns, counts and every row's outcome."""
    from django.conf import settings

    path = Path(settings.MEDIA_ROOT) / Path(job.result["source"]).parent / _PREVIEW_FILE
    return json.loads(path.read_text(encoding="utf-8"))


def import_summary(counts: dict, *, preview: bool = False) -> str:
    """Say how many rows are (or were) new, updated, unchanged and in error."""
    values = {key: f"{counts.get(key, 0):,}".replace(",", ".") for key in imports.Outcome.ALL}
    if preview:
        return (
            _("New %(new)s · to update %(update)s · unchanged %(unchanged)s · errors %(error)s")
            % values
        )
    return (
        _("Created %(new)s · updated %(update)s · unchanged %(unchanged)s · skipped %(error)s")
        % values
    )


@service
def household_import_confirm(
    *, actor, preview: Job, valid_only: bool = False, chunk_size: int = IMPORT_CHUNK
) -> Job:
    """Queue the import of a checked file; a file with errors is imported only when the user
    chose to import its valid rows alone. Confirming twice queues it once."""
    preview = Job.objects.select_for_update().get(pk=preview.pk)
    if preview.kind != IMPORT_PREVIEW or preview.status != Job.Status.SUCCEEDED:
        raise ValidationError(_("This file has not been checked yet."))
    if preview.result.get("apply_job"):
        return Job.objects.get(pk=preview.result["apply_job"])
    counts = preview.result.get("counts", {})
    if counts.get(imports.Outcome.ERROR) and not valid_only:
        raise ValidationError(
            _(
                "%(count)s rows have errors: correct the file and upload it again, or choose to "
                "import only the valid rows."
            )
            % {"count": counts[imports.Outcome.ERROR]}
        )
    job = job_create(actor=actor, kind=IMPORT_APPLY, total=preview.result.get("rows", 0))
    job.result = _import_params(
        commune_id=preview.result["commune"],
        source=preview.result["source"],
        upload_name=preview.result.get("upload_name", ""),
        valid_only=valid_only,
        chunk_size=chunk_size,
        preview=preview.pk,
    )
    job.message = _("Waiting for a worker…")
    job.save(update_fields=["result", "message", "updated_at"])
    preview.result = {**preview.result, "apply_job": job.pk}
    preview.save(update_fields=["result", "updated_at"])
    transaction.on_commit(functools.partial(_enqueue, "household_import_task", job.pk))
    return job


def _import_params(*, commune_id, source, upload_name, valid_only, chunk_size, preview=None):
    return {
        "commune": commune_id,
        "source": source,
        "upload_name": upload_name,
        "valid_only": bool(valid_only),
        "chunk": max(1, int(chunk_size)),
        "preview": preview,
        "counts": dict.fromkeys(imports.Outcome.ALL, 0),
        "skipped": [],
        "runs": 0,
    }


@service
def household_import_file(
    *, actor, commune: Commune, content: bytes, filename: str, valid_only: bool = False
) -> Job:
    """Create an import job for a file given directly (the administrators' command); run it
    with ``household_import_run`` — the code path the worker runs."""
    from django.conf import settings

    content = _check_file(content, filename)
    job = job_create(actor=actor, kind=IMPORT_APPLY, message=Path(filename).name)
    path = job_file_path(job, "source" + Path(filename).suffix.lower())
    path.write_bytes(content)
    job.result = _import_params(
        commune_id=commune.pk,
        source=str(path.relative_to(Path(settings.MEDIA_ROOT))),
        upload_name=Path(filename).name[:200],
        valid_only=valid_only,
        chunk_size=IMPORT_CHUNK,
    )
    job.save(update_fields=["result", "updated_at"])
    return job


@service
def _import_runs(*, actor, job_id: int) -> Job | None:
    job = job_lock(job_id)
    if job is not None:
        job_checkpoint(
            job, progress=job.progress, result={**job.result, "runs": job.result.get("runs", 0) + 1}
        )
    return job


def household_import_run(*, job_id: int) -> dict:
    """Apply an import job's file, resuming after the last committed chunk; a job already
    finished is left alone (a second delivery of the task is a no-op)."""
    from django.urls import reverse

    if job_claim(job_id) is None:
        return {"job": job_id, "state": "finished"}
    job = _import_runs(actor=None, job_id=job_id)
    commune = Commune.objects.get(pk=job.result["commune"])
    actor = job.created_by
    content, filename = _import_source(job)
    try:
        parsed = imports.read_file(content, filename)
    except imports.FileProblem as problem:
        job_fail(job_id, errors=[str(problem)], message=str(problem))
        return {"job": job_id, "state": "failed"}
    if job.total != len(parsed.rows):
        Job.objects.filter(pk=job_id).update(total=len(parsed.rows))
    duplicates = imports.duplicated_codes(parsed.rows)
    if not job.result["valid_only"] and job.progress == 0:
        # All or nothing: a file with an error changes nothing (the data may have changed
        # since the preview, so it is checked again before the first row is written).
        errors = [item for item in _checked_in_batches(parsed, commune) if item.row.errors]
        if errors:
            lines = [imports.row_label(item.report()) for item in errors]
            job_fail(
                job_id,
                errors=lines[:500],
                message=_("%(count)s rows have errors: nothing was imported.")
                % {"count": len(errors)},
            )
            return {"job": job_id, "state": "failed", "errors": len(errors)}
    villages = imports.Villages(commune)
    while household_import_chunk(
        actor=actor,
        job_id=job_id,
        rows=parsed.rows,
        commune=commune,
        villages=villages,
        duplicates=duplicates,
    ):
        pass
    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.RUNNING:
        return {"job": job_id, "state": job.status}
    counts = job.result["counts"]
    job_succeed(
        job_id,
        result={
            **job.result,
            "next": reverse("households:household-list"),
        },
        message=import_summary(counts),
    )
    if job.result["skipped"]:
        Job.objects.filter(pk=job_id).update(errors=job.result["skipped"][:500])
    return {"job": job_id, "state": "succeeded", **counts}


@service
def household_import_chunk(
    *, actor, job_id: int, rows: list, commune: Commune, villages, duplicates: dict
) -> bool:
    """Apply the next chunk of an import job's rows and record the progress with it; return
    whether there may be more to do."""
    job = job_lock(job_id)
    if job is None or job.progress >= len(rows):
        return False
    end = min(len(rows), job.progress + job.result["chunk"])
    checked = imports.check_rows(
        rows[job.progress : end],
        commune=commune,
        villages=villages,
        duplicates=duplicates,
        lock=True,
    )
    _apply_checked(actor, checked)
    counts = dict(job.result["counts"])
    for outcome, number in imports.counts(checked).items():
        counts[outcome] += number
    skipped = job.result["skipped"]
    if len(skipped) < 500:
        skipped = (
            skipped
            + [imports.row_label(item.report()) for item in checked if item.row.errors][
                : 500 - len(skipped)
            ]
        )
    job_checkpoint(
        job,
        progress=end,
        result={**job.result, "counts": counts, "skipped": skipped},
        message=_("Importing rows: %(done)s of %(total)s")
        % {"done": f"{end:,}".replace(",", "."), "total": f"{len(rows):,}".replace(",", ".")},
    )
    return end < len(rows)


def _apply_checked(actor, checked) -> None:
    """Write the checked rows in bulk, with their history (the models' signals do not run for
    bulk writes, so the search column was computed by the check)."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    new = [item for item in checked if item.outcome == imports.Outcome.NEW]
    changed = [item for item in checked if item.outcome == imports.Outcome.UPDATE]
    for item in new:
        item.household.created_by = user
    if new:
        bulk_create_with_history(
            [item.household for item in new], Household, batch_size=500, default_user=user
        )
    if changed:
        for item in changed:
            item.household.updated_at = now
        bulk_update_with_history(
            [item.household for item in changed],
            Household,
            [*(f for f in HOUSEHOLD_EDITABLE if f != "code"), "search_text", "updated_at"],
            batch_size=500,
            default_user=user,
        )
    heads_new, heads_changed = [], []
    for item in [*new, *changed]:
        if item.head is None:
            continue
        if item.head_is_new:
            item.head.household = item.household
            heads_new.append(item.head)
        elif any(key in imports.HEAD_KEYS or key == "head_name" for key in item.changes):
            item.head.updated_at = now
            heads_changed.append(item.head)
    if heads_new:
        bulk_create_with_history(heads_new, Member, batch_size=500, default_user=user)
    if heads_changed:
        bulk_update_with_history(
            heads_changed,
            Member,
            [*MEMBER_EDITABLE, "updated_at"],
            batch_size=500,
            default_user=user,
        )
