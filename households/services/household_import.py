"""The services that start a household import: store an uploaded file and queue its check,
queue the import of a checked file, or prepare the import of a file given directly (the
administrators' command). The jobs' own work is ``households.imports.previewing`` and
``households.imports.applying``, run by ``households.tasks``.

An import is a ``HouseholdImport`` row; its check and its apply are each a ``core.Job`` that the
job page follows. The pages know an import by its check job's id.

These services live here, not in ``households.imports``: they queue the tasks, and the tasks
run the package's jobs, so a module of the package importing the tasks would close a cycle.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from core.jobs import job_create
from core.models import Job
from core.services import actor_or_none, service
from households import tasks
from households.imports import storage
from households.imports.columns import BY_KEY, Outcome
from households.imports.reading import FileProblem, check_file
from households.models import HouseholdImport, ImportLayout
from outreach.models import Commune
from outreach.scope import require_in_scope

IMPORT_PREVIEW = "household_import_preview"
IMPORT_APPLY = "household_import"
IMPORT_CHUNK = HouseholdImport.DEFAULT_CHUNK


def _checked_file(content: bytes | File, filename: str) -> bytes:
    """Return the file's bytes, or refuse (as an error on the file) what ``check_file``
    refuses."""
    try:
        return check_file(filename, content)
    except FileProblem as problem:
        raise ValidationError({"file": str(problem)}) from problem


def _import_create(*, actor, commune: Commune, content: bytes, filename: str, **fields):
    require_in_scope(actor, commune=commune)
    household_import = HouseholdImport.objects.create(
        commune=commune,
        file_name=Path(filename).name[:200],
        created_by=actor_or_none(actor),
        **fields,
    )
    household_import.source = storage.source_store(household_import, content, filename)
    household_import.save(update_fields=["source", "updated_at"])
    return household_import


def _reading(header_row: int | None, choice: dict | None) -> dict:
    """Return the person's way of reading the file, or refuse a field that is not one."""
    choice = dict(choice or {})
    unknown = sorted({field for field in choice.values() if field and field not in BY_KEY})
    if unknown:
        raise ValidationError(
            _("Not a field of the import: %(fields)s. The fields are: %(keys)s.")
            % {"fields": ", ".join(unknown), "keys": ", ".join(BY_KEY)}
        )
    if header_row is not None and header_row < 1:
        raise ValidationError({"header_row": _("The header row is a row number, from 1.")})
    return {"header_row": header_row, "choice": choice}


@service
def household_import_start(
    *,
    actor,
    commune: Commune,
    content: bytes | File,
    filename: str,
    header_row: int | None = None,
    choice: dict[str, str] | None = None,
) -> Job:
    """Store an uploaded household file as an import of ``commune`` and queue its check (a
    preview job for ``actor``); ``content`` may be the uploaded file itself, measured before it
    is read. ``header_row`` and ``choice`` (header → field key, "" for a column not read) are
    the person's way of reading it, where the proposal is wrong. Return the check job."""
    reading = _reading(header_row, choice)
    content = _checked_file(content, filename)
    job = job_create(
        actor=actor,
        kind=IMPORT_PREVIEW,
        message=Path(filename).name,
        task=tasks.household_import_check_task,
    )
    _import_create(
        actor=actor,
        commune=commune,
        content=content,
        filename=filename,
        status=HouseholdImport.Status.CHECKING,
        check_job=job,
        **reading,
    )
    return job


@service
def household_import_recheck(
    *, actor, preview: Job, header_row: int | None, choice: dict[str, str]
) -> Job:
    """Check an uploaded file again, read with the fields the person chose on its preview page
    (a new import of the same file: the first stays unconfirmed); return the new check job."""
    household_import = HouseholdImport.objects.filter(check_job_id=preview.pk).first()
    if household_import is None or household_import.apply_job_id:
        raise ValidationError(_("This file was imported already: upload it again to re-read it."))
    content, name = storage.source_read(household_import)
    return household_import_start(
        actor=actor,
        commune=household_import.commune,
        content=content,
        filename=household_import.file_name or name,
        header_row=header_row,
        choice=choice,
    )


def _remember_layout(household_import: HouseholdImport, actor) -> None:
    """Remember how the commune's confirmed file is laid out, for its next file and exports."""
    layout = household_import.layout
    if not layout.get("columns"):
        return
    ImportLayout.objects.update_or_create(
        commune=household_import.commune,
        defaults={
            "header_row": layout["header_row"],
            "header_depth": layout["header_depth"],
            "title_lines": layout["title_lines"],
            "columns": layout["columns"],
            "person_rows": layout["person_rows"],
            "updated_by": actor_or_none(actor),
        },
    )


@service
def household_import_confirm(
    *, actor, preview: Job, valid_only: bool = False, chunk_size: int = IMPORT_CHUNK
) -> Job:
    """Queue the import of a checked file (``preview`` is its check job); a file with errors is
    imported only when the user chose to import its valid rows alone. Confirming twice queues
    it once. Return the import job."""
    household_import = (
        HouseholdImport.objects.select_for_update().filter(check_job_id=preview.pk).first()
    )
    if household_import is not None and household_import.apply_job_id:
        return Job.objects.get(pk=household_import.apply_job_id)
    if household_import is None or household_import.status != HouseholdImport.Status.CHECKED:
        raise ValidationError(_("This file has not been checked yet."))
    errors = household_import.found_counts()[Outcome.ERROR]
    if errors and not valid_only:
        raise ValidationError(
            _(
                "%(count)s rows have errors: correct the file and upload it again, or choose to "
                "import only the valid rows."
            )
            % {"count": errors}
        )
    job = job_create(
        actor=actor,
        kind=IMPORT_APPLY,
        total=household_import.rows,
        message=_("Waiting for a worker…"),
        task=tasks.household_import_task,
    )
    household_import.apply_job = job
    household_import.status = HouseholdImport.Status.APPLYING
    household_import.valid_only = bool(valid_only)
    household_import.chunk_size = max(1, int(chunk_size))
    household_import.save(
        update_fields=["apply_job", "status", "valid_only", "chunk_size", "updated_at"]
    )
    _remember_layout(household_import, actor)
    return job


@service
def household_import_file(
    *,
    actor,
    commune: Commune,
    content: bytes,
    filename: str,
    valid_only: bool = False,
    layout: dict | None = None,
) -> Job:
    """Create an import, and its job, for a file given directly (the administrators' command,
    which checked it in the foreground and passes the ``layout`` it read it by); run it with
    ``household_import_run`` — the code path the worker runs. Return the import job."""
    content = _checked_file(content, filename)
    job = job_create(actor=actor, kind=IMPORT_APPLY, message=Path(filename).name)
    _import_create(
        actor=actor,
        commune=commune,
        content=content,
        filename=filename,
        status=HouseholdImport.Status.APPLYING,
        valid_only=bool(valid_only),
        apply_job=job,
        layout=layout or {},
    )
    return job
