"""The import job: apply a confirmed file in chunks, each committed with the job's progress and
the import's counts, so a worker that dies mid-file leaves a job that the next worker resumes at
the first row not committed. Rows are applied by household code (unique in the commune), or, for
a row without one, by village, head's name and birth year: a row already applied is "unchanged"
when it comes again, so nothing is ever created twice. Households without a code get one in the
commune's pattern as they are written (``codes``)."""

import dataclasses

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.jobs import job_checkpoint, job_claim, job_heartbeat, job_lock, job_succeed
from core.models import Job
from core.services import actor_or_none, service
from households.imports import storage
from households.imports.checking import (
    Checked,
    Villages,
    check_in_batches,
    check_rows,
    counts,
    duplicated_codes,
)
from households.imports.codes import codes_make
from households.imports.columns import HEAD_KEYS, HOUSEHOLD_KEYS, Outcome, ParsedFile, Row
from households.imports.previewing import import_failed
from households.imports.reading import FileProblem, read_file
from households.imports.records import HEAD_FIELDS, MEMBER_FIELDS
from households.imports.summary import import_summary, row_label
from households.models import Household, HouseholdImport, Member
from households.search import household_search_text
from outreach.models import Commune

# A job lists at most this many skipped rows (the counts have them all).
LISTED_ERRORS = 500
_BULK_BATCH = 500


def _run_started(job_id: int) -> HouseholdImport:
    """Count one more run of an import's job (committed at once) and return the import."""
    with transaction.atomic():
        HouseholdImport.objects.filter(apply_job_id=job_id).update(runs=F("runs") + 1)
        return HouseholdImport.objects.select_related("commune", "apply_job").get(
            apply_job_id=job_id
        )


def _refuse_errors(household_import: HouseholdImport, job_id: int, parsed: ParsedFile) -> int:
    """Fail an all-or-nothing import whose file has an error now (the data may have changed
    since the preview, so it is checked again before the first row is written); return how
    many rows have one."""
    # A heartbeat per thousand rows checked: a long file's check is not taken for a dead worker.
    checked = check_in_batches(
        parsed, household_import.commune, progress=lambda _done, _total: job_heartbeat(job_id)
    )
    errors = [item for item in checked if item.has_errors]
    if not errors:
        return 0
    headers = household_import.headers()
    lines = [row_label(item.report(headers)) for item in errors]
    import_failed(
        household_import,
        job_id,
        _("%(count)s rows have errors: nothing was imported.") % {"count": len(errors)},
        lines[:LISTED_ERRORS],
    )
    return len(errors)


def household_import_run(*, job_id: int) -> dict:
    """Apply an import's file, resuming after the last committed chunk; an import whose job
    already finished is left alone (a second delivery of the task is a no-op)."""
    if job_claim(job_id) is None:
        return {"job": job_id, "state": "finished"}
    household_import = _run_started(job_id)
    job = household_import.apply_job
    try:
        parsed = read_file(*storage.source_read(household_import), **household_import.confirmed())
    except FileProblem as problem:
        import_failed(household_import, job_id, str(problem), [str(problem)])
        return {"job": job_id, "state": "failed"}
    if job.total != len(parsed.rows):
        Job.objects.filter(pk=job_id).update(total=len(parsed.rows))
    if household_import.rows != len(parsed.rows):
        HouseholdImport.objects.filter(pk=household_import.pk).update(rows=len(parsed.rows))
    if not household_import.valid_only and job.progress == 0:
        refused = _refuse_errors(household_import, job_id, parsed)
        if refused:
            return {"job": job_id, "state": "failed", "errors": refused}
    commune = household_import.commune
    villages, duplicates = Villages(commune), duplicated_codes(parsed.rows)
    while household_import_chunk(
        actor=job.created_by,
        job_id=job_id,
        rows=parsed.rows,
        commune=commune,
        villages=villages,
        duplicates=duplicates,
    ):
        pass
    return _finish(household_import.pk, job_id)


def _finish(import_id: int, job_id: int) -> dict:
    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.RUNNING:
        return {"job": job_id, "state": job.status}
    with transaction.atomic():
        household_import = HouseholdImport.objects.select_for_update().get(pk=import_id)
        household_import.status = HouseholdImport.Status.APPLIED
        household_import.save(update_fields=["status", "updated_at"])
        applied = household_import.applied_counts()
        job_succeed(
            job_id,
            result={"next": reverse("households:household-list")},
            message=import_summary(applied),
        )
    return {"job": job_id, "state": "succeeded", **applied}


@service
def household_import_chunk(
    *,
    actor,
    job_id: int,
    rows: list[Row],
    commune: Commune,
    villages: Villages,
    duplicates: dict,
) -> bool:
    """Apply the next chunk of an import's rows and record the progress and the counts with
    it; return whether there may be more to do."""
    job = job_lock(job_id)
    if job is None or job.progress >= len(rows):
        return False
    household_import = HouseholdImport.objects.select_for_update().get(apply_job_id=job_id)
    end = min(len(rows), job.progress + household_import.chunk_size)
    # Copies: the check writes each row's errors on it, and an attempt rolled back after a lost
    # race (core.services.run_atomic runs it again) must leave the rows as they were read.
    chunk = [_copy(row) for row in rows[job.progress : end]]
    checked = check_rows(
        chunk,
        commune=commune,
        villages=villages,
        duplicates=duplicates,
        lock=True,
    )
    _apply_checked(actor, checked, commune)
    for outcome, number in counts(checked).items():
        field = HouseholdImport.APPLIED_FIELDS[outcome]
        setattr(household_import, field, getattr(household_import, field) + number)
    household_import.save(update_fields=[*HouseholdImport.APPLIED_FIELDS.values(), "updated_at"])
    errors = list(job.errors)
    if len(errors) < LISTED_ERRORS:
        headers = household_import.headers()
        skipped = [row_label(item.report(headers)) for item in checked if item.has_errors]
        errors += skipped[: LISTED_ERRORS - len(errors)]
    job_checkpoint(
        job,
        progress=end,
        errors=errors,
        message=_("Importing rows: %(done)s of %(total)s")
        % {"done": f"{end:,}".replace(",", "."), "total": f"{len(rows):,}".replace(",", ".")},
    )
    return end < len(rows)


def _copy(row: Row) -> Row:
    return dataclasses.replace(
        row,
        errors=dict(row.errors),
        notes=list(row.notes),
        members=[dataclasses.replace(p, errors=dict(p.errors)) for p in row.members],
    )


def _apply_checked(actor, checked: list[Checked], commune: Commune) -> None:
    """Write the checked rows in bulk, with their history (the models' signals do not run for
    bulk writes, so the search column was computed by the check)."""
    user = actor_or_none(actor)
    now = timezone.now()
    new = [item for item in checked if item.outcome == Outcome.NEW]
    changed = [item for item in checked if item.outcome == Outcome.UPDATE]
    uncoded = [item for item in new if not item.household.code]
    for item, code in zip(uncoded, codes_make(commune, len(uncoded)), strict=True):
        item.household.code = code
        item.household.search_text = household_search_text(item.household, item.member_names)
    for item in new:
        item.household.created_by = user
    if new:
        bulk_create_with_history(
            [item.household for item in new], Household, batch_size=_BULK_BATCH, default_user=user
        )
    for item in changed:
        item.household.updated_at = now
    if changed:
        bulk_update_with_history(
            [item.household for item in changed],
            Household,
            [*HOUSEHOLD_KEYS, "search_text", "updated_at"],
            batch_size=_BULK_BATCH,
            default_user=user,
        )
    _apply_heads(user, [*new, *changed], now)
    _apply_members(user, [*new, *changed], now)


def _apply_members(user, checked: list[Checked], now) -> None:
    """Write the members listed under their heads: new ones, and changed details."""
    members_new, members_changed = [], []
    for item in checked:
        for member in item.members_new:
            member.household = item.household
            members_new.append(member)
        for member in item.members_changed:
            member.updated_at = now
            members_changed.append(member)
    _write_members(user, members_new, members_changed, MEMBER_FIELDS)


def _apply_heads(user, checked: list[Checked], now) -> None:
    """Write the heads of the households just written: new members, or changed details."""
    heads_new, heads_changed = [], []
    for item in checked:
        if item.head is None:
            continue
        if item.head_is_new:
            item.head.household = item.household
            heads_new.append(item.head)
        elif any(key in HEAD_KEYS or key == "head_name" for key in item.changes):
            item.head.updated_at = now
            heads_changed.append(item.head)
    _write_members(user, heads_new, heads_changed, HEAD_FIELDS)


def _write_members(user, new: list[Member], changed: list[Member], fields) -> None:
    """Create ``new`` and update ``fields`` of ``changed`` in bulk, with their history."""
    if new:
        bulk_create_with_history(new, Member, batch_size=_BULK_BATCH, default_user=user)
    if changed:
        bulk_update_with_history(
            changed, Member, [*fields, "updated_at"], batch_size=_BULK_BATCH, default_user=user
        )
