"""Writes to households, members and reviews."""

import datetime
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
from core.text import fold
from households import imports
from households.models import Concern, Household, Member, Review
from outreach.models import Commune, Village

HOUSEHOLD_EDITABLE = (
    "village",
    "code",
    "head_name",
    "address",
    "phone",
    "housing_condition",
    "notes",
)
MEMBER_EDITABLE = (
    "full_name",
    "sex",
    "birth_year",
    "relation",
    "ethnicity",
    "has_disability",
    "disability_note",
    "national_id",
)


def household_search_text(household: Household, member_names: list[str] | None = None) -> str:
    """Build the folded text that search matches: code, head and member names."""
    if member_names is None:
        member_names = (
            list(household.members.values_list("full_name", flat=True)) if household.pk else []
        )
    return fold(" ".join([household.code, household.head_name, *member_names]))


@service
def household_create(
    *,
    actor,
    village: Village,
    code: str,
    head_name: str,
    address: str = "",
    phone: str = "",
    housing_condition: str = "",
    notes: str = "",
) -> Household:
    """Register a household in a village; its code must be new in the commune."""
    household = Household(
        commune_id=village.commune_id,
        village=village,
        code=code.strip(),
        head_name=" ".join(head_name.split()),
        address=address,
        phone=phone,
        housing_condition=housing_condition,
        notes=notes,
        created_by=actor,
    )
    household.full_clean()
    household.save()
    return household


@service
def household_update(*, actor, household: Household, **fields) -> Household:
    """Change a household's own fields (not its status: that comes from reviews)."""
    unknown = set(fields) - set(HOUSEHOLD_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    household = Household.objects.select_for_update().get(pk=household.pk)
    for name, value in fields.items():
        setattr(household, name, value)
    household.full_clean()
    household.save()
    return household


@service
def household_archive(*, actor, household: Household, archived: bool = True) -> Household:
    """Archive (or restore) a household: it leaves the lists but nothing about it is lost."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    household.archived = archived
    household.archived_at = timezone.now() if archived else None
    household.save(update_fields=["archived", "archived_at", "updated_at"])
    return household


@service
def member_add(*, actor, household: Household, **fields) -> Member:
    """Add a person to a household."""
    unknown = set(fields) - set(MEMBER_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    member = Member(household=household, **fields)
    member.full_clean()
    member.save()
    return member


@service
def member_update(*, actor, member: Member, **fields) -> Member:
    """Change a member's details."""
    unknown = set(fields) - set(MEMBER_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    member = Member.objects.select_for_update().get(pk=member.pk)
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    member.save()
    return member


def _refresh_status(household: Household) -> None:
    latest = household.reviews.filter(approved=True).order_by("-reviewed_on", "-pk").first()
    household.status = latest.status if latest else ""
    household.last_reviewed_on = latest.reviewed_on if latest else None
    household.save(update_fields=["status", "last_reviewed_on", "updated_at"])


@service
def review_record(
    *,
    actor,
    household: Household,
    reviewed_on: datetime.date,
    status: str,
    reason: str,
    approved: bool = True,
) -> Review:
    """Record a review's decision; the household's status becomes its latest approved review's."""
    # The row lock serialises two reviewers so the derived status matches the latest review.
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.archived:
        raise ValidationError(_("An archived household cannot be reviewed."))
    if reviewed_on and reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})
    before = (
        household.reviews.filter(approved=True, reviewed_on__lte=reviewed_on)
        .order_by("-reviewed_on", "-pk")
        .values_list("status", flat=True)
        .first()
    )
    review = Review(
        household=household,
        reviewer=actor,
        reviewed_on=reviewed_on,
        status=status,
        previous_status=before or "",
        reason=reason.strip() if reason else "",
        approved=approved,
    )
    review.full_clean()
    review.save()
    _refresh_status(household)
    if household.flagged_for_review:
        # The review asked for has been made.
        household.flagged_for_review = False
        household.flag_reason = ""
        household.save(update_fields=["flagged_for_review", "flag_reason", "updated_at"])
    return review


def _flag(household: Household, reason: str) -> None:
    """Set the flag on a household already locked by the caller."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the household should be reviewed.")})
    if household.archived:
        raise ValidationError(_("An archived household cannot be reviewed."))
    limit = Household._meta.get_field("flag_reason").max_length
    household.flagged_for_review = True
    household.flag_reason = reason if len(reason) <= limit else reason[: limit - 1] + "…"
    household.save(update_fields=["flagged_for_review", "flag_reason", "updated_at"])


@service
def household_flag(*, actor, household: Household, reason: str) -> Household:
    """Ask for a household to be reviewed before its yearly review falls due."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _flag(household, reason)
    return household


def case_file_viewed(*, actor, household: Household, path: str = "") -> None:
    """Record that ``actor`` opened ``household``'s case file (DESIGN.md principle 3)."""
    from households.models import CaseFileView

    CaseFileView.objects.create(household=household, user=actor, path=path[:255])


def _check_handler(household: Household, handled_by) -> None:
    """Refuse a follow-up by someone without a role in the household's commune."""
    from households.selectors import concern_handlers

    if (
        handled_by is not None
        and not concern_handlers(household=household).filter(pk=handled_by.pk).exists()
    ):
        raise ValidationError(
            {"handled_by": _("This person has no role in the household's commune.")}
        )


@service
def concern_record(
    *,
    actor,
    household: Household,
    kind: str,
    raised_on: datetime.date,
    text: str,
    handled_by=None,
) -> Concern:
    """Record what a family said on its case file; a change of circumstance asks for a review."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if raised_on and raised_on > timezone.localdate():
        raise ValidationError({"raised_on": _("A concern cannot be dated in the future.")})
    _check_handler(household, handled_by)
    concern = Concern(
        household=household,
        kind=kind,
        raised_on=raised_on,
        text=(text or "").strip(),
        handled_by=handled_by,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    concern.full_clean()
    concern.save()
    if kind == Concern.Kind.CHANGE and not household.archived:
        _flag(household, _("Change of circumstance: %(text)s") % {"text": concern.text})
    return concern


@service
def concern_update(
    *,
    actor,
    concern: Concern,
    status: str,
    resolution: str = "",
    handled_by=None,
    resolved_on: datetime.date | None = None,
) -> Concern:
    """Update the follow-up of a concern: who handles it, where it stands, how it was resolved.

    A resolved concern needs a resolution and gets a resolution date (today unless given). Once
    resolved it is closed: the only change allowed is reopening it (a new status, the same
    handler and resolution, which stay on record).
    """
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    resolution = (resolution or "").strip()
    if concern.status == Concern.Status.RESOLVED:
        # Closed: reopening (the status alone) is the only change allowed.
        handler_id = handled_by.pk if handled_by is not None else None
        if (
            status == Concern.Status.RESOLVED
            or resolution != concern.resolution
            or handler_id != concern.handled_by_id
        ):
            raise ValidationError(_("A resolved concern cannot be changed; reopen it first."))
    if status == Concern.Status.RESOLVED:
        if not resolution:
            raise ValidationError({"resolution": _("Say how the concern was resolved.")})
        resolved_on = resolved_on or timezone.localdate()
        if resolved_on > timezone.localdate():
            raise ValidationError({"resolved_on": _("A date cannot be in the future.")})
        if resolved_on < concern.raised_on:
            raise ValidationError(
                {"resolved_on": _("A concern cannot be resolved before it was raised.")}
            )
    else:
        resolved_on = None
    if (handled_by.pk if handled_by is not None else None) != concern.handled_by_id:
        _check_handler(concern.household, handled_by)
    concern.status = status
    concern.resolution = resolution
    concern.handled_by = handled_by
    concern.resolved_on = resolved_on
    concern.full_clean()
    concern.save()
    return concern


# --- Household files (households.imports reads and checks them; these services write) ---------
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
