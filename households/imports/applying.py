"""The import job: apply a confirmed file in chunks, each committed with the job's progress and
the import's counts, so a worker that dies mid-file leaves a job that the next worker resumes at
the first row not committed. Rows are applied by household code (unique in the commune), or, for
a row without one, by village, head's name and birth year: a row already applied is "unchanged"
when it comes again, so nothing is ever created twice. Households without a code get one in the
commune's pattern as they are written (``codes``).

Each chunk checks its rows under the lock of the households they name, for the data may have
changed since the file was checked: where what each row's check read is still what is stored
(``reads``), the check of the whole file made before the first chunk is reused; otherwise the
chunk's rows are checked again, as they are in a resumed import or one of the valid rows only."""

import contextlib
import dataclasses
import gc

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
from households.imports.reads import reads_locked
from households.imports.records import HEAD_FIELDS, MEMBER_FIELDS
from households.imports.summary import import_summary, row_label
from households.imports.writing import BATCH, history_copy, rows_create
from households.models import Household, HouseholdImport, Member
from households.search import household_search_text
from outreach.models import Commune

# A job lists at most this many skipped rows (the counts have them all).
LISTED_ERRORS = 500


def _run_started(job_id: int) -> HouseholdImport:
    """Count one more run of an import's job (committed at once) and return the import."""
    with transaction.atomic():
        HouseholdImport.objects.filter(apply_job_id=job_id).update(runs=F("runs") + 1)
        return HouseholdImport.objects.select_related("commune", "apply_job").get(
            apply_job_id=job_id
        )


def _refuse_errors(
    household_import: HouseholdImport, job_id: int, parsed: ParsedFile, villages: Villages
) -> tuple[int, dict[int, Checked]]:
    """Fail an all-or-nothing import whose file has an error now (the data may have changed
    since the preview, so it is checked again before the first row is written); return how
    many rows have one, and each row's check by its index (with what it read: a chunk whose
    rows' reads are still what is stored reuses it)."""
    # A heartbeat per thousand rows checked: a long file's check is not taken for a dead worker.
    checked = check_in_batches(
        parsed,
        household_import.commune,
        progress=lambda _done, _total: job_heartbeat(job_id),
        villages=villages,
        reads=True,
    )
    errors = [item for item in checked if item.has_errors]
    if not errors:
        return 0, dict(enumerate(checked))
    headers = household_import.headers()
    lines = [row_label(item.report(headers)) for item in errors]
    import_failed(
        household_import,
        job_id,
        _("%(count)s rows have errors: nothing was imported.") % {"count": len(errors)},
        lines[:LISTED_ERRORS],
    )
    return len(errors), {}


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's collector of reference cycles while an import runs.

    Reading and checking a file make some twenty objects a row (the row, its check, the
    household and head to write) that live until their chunk is written; with the collector on,
    every quarter the heap grows it walks all of them again (1 to 3 s of a 50,000-row file, for
    nothing: they hold no cycles). Objects are freed as ever when no longer used; only cycles
    (a few hundred objects for a 10,000-row file) wait for the end of the import. A collector
    that was off stays off.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def household_import_run(*, job_id: int) -> dict:
    """Apply an import's file, resuming after the last committed chunk; an import whose job
    already finished is left alone (a second delivery of the task is a no-op)."""
    if job_claim(job_id) is None:
        return {"job": job_id, "state": "finished"}
    with _collector_paused():
        return _run(job_id)


def _run(job_id: int) -> dict:
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
    commune = household_import.commune
    villages, duplicates = Villages(commune), duplicated_codes(parsed.rows)
    prechecked: dict[int, Checked] = {}
    if not household_import.valid_only and job.progress == 0:
        refused, prechecked = _refuse_errors(household_import, job_id, parsed, villages)
        if refused:
            return {"job": job_id, "state": "failed", "errors": refused}
    while household_import_chunk(
        actor=job.created_by,
        job_id=job_id,
        rows=parsed.rows,
        commune=commune,
        villages=villages,
        duplicates=duplicates,
        prechecked=prechecked,
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
    prechecked: dict[int, Checked] | None = None,
) -> bool:
    """Apply the next chunk of an import's rows and record the progress and the counts with
    it; return whether there may be more to do. ``prechecked`` holds the file's check before
    the first chunk, by row index (``_refuse_errors``): a chunk reuses it where every row's
    reads are still what is stored, and checks its rows again otherwise."""
    job = job_lock(job_id)
    if job is None or job.progress >= len(rows):
        return False
    household_import = HouseholdImport.objects.select_for_update().get(apply_job_id=job_id)
    end = min(len(rows), job.progress + household_import.chunk_size)
    # Taken out, not read: an attempt rolled back after a lost race (core.services.run_atomic
    # runs it again) has changed the checked records as it wrote them, so it checks again.
    earlier = [(prechecked or {}).pop(index, None) for index in range(job.progress, end)]
    checked = _still_current(earlier, rows[job.progress : end], commune, villages)
    if checked is None:
        # Copies: the check writes each row's errors on it, and an attempt rolled back must
        # leave the rows as they were read.
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


def _still_current(
    earlier: list[Checked | None], rows: list[Row], commune: Commune, villages: Villages
) -> list[Checked] | None:
    """Return the earlier check of a chunk's rows if what each row's check read is still what
    is stored, the rows now locked as a check under the lock locks them; else None (the data
    changed since: the chunk is checked again under the lock)."""
    if not earlier or any(item is None or item.reads is None for item in earlier):
        return None
    if reads_locked(rows, commune, villages) != [item.reads for item in earlier]:
        return None
    return earlier


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
    for item in changed:
        item.household.updated_at = now
    _write(
        user,
        now,
        Household,
        [item.household for item in new],
        [item.household for item in changed],
        [*HOUSEHOLD_KEYS, "search_text"],
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
    _write(user, now, Member, members_new, members_changed, MEMBER_FIELDS)


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
    _write(user, now, Member, heads_new, heads_changed, HEAD_FIELDS)


def _write(user, now, model, new: list, changed: list, fields) -> None:
    """Create ``new`` and update ``fields`` of ``changed`` in bulk, each with a history row
    (``writing``: copied by the database from the rows written)."""
    if new:
        rows_create(model, new, now=now)
        history_copy(model, [obj.pk for obj in new], history_type="+", user=user, date=now)
    if changed:
        model.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=BATCH)
        history_copy(model, [obj.pk for obj in changed], history_type="~", user=user, date=now)
