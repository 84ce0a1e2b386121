"""The check job: read an import's stored file (by the person's choices, else by the commune's
remembered layout, else as proposed), check every row against the database and write the
outcome of each, and the rows skipped, beside the file, for the preview page. A dry run: only
the import row and its job change."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from core.jobs import job_claim, job_fail, job_progress, job_succeed
from households.imports import storage
from households.imports.checking import Checked, check_in_batches, counts
from households.imports.columns import BY_KEY, ParsedFile
from households.imports.header import MappingProblem
from households.imports.reading import FileProblem, read_file
from households.imports.summary import import_summary
from households.models import HouseholdImport, ImportLayout
from outreach.models import Commune


def household_import_dry_run(*, commune: Commune, parsed: ParsedFile) -> list[Checked]:
    """Check every row of a parsed file against the commune's households; change nothing."""
    return check_in_batches(parsed, commune)


def import_failed(household_import: HouseholdImport, job_id: int, message: str, errors) -> None:
    """Record that an import's check or apply failed, on the import and on its job at once."""
    with transaction.atomic():
        HouseholdImport.objects.filter(pk=household_import.pk).update(
            status=HouseholdImport.Status.FAILED, failure=message[:255]
        )
        job_fail(job_id, errors=errors, message=message)


def import_stopped(job_id: int, message: str) -> None:
    """Record on its import that the check or apply job ``job_id`` stopped with ``message``."""
    HouseholdImport.objects.filter(Q(check_job_id=job_id) | Q(apply_job_id=job_id)).update(
        status=HouseholdImport.Status.FAILED, failure=message[:255]
    )


def household_import_check(*, job_id: int) -> dict:
    """Check every row of an import's file and write the outcomes beside it (a dry run:
    nothing but the import and its job changes); a check already finished is left alone."""
    if job_claim(job_id) is None:
        return {"job": job_id, "state": "finished"}
    household_import = HouseholdImport.objects.select_related("commune").get(check_job_id=job_id)
    remembered = ImportLayout.objects.filter(commune=household_import.commune).first()
    try:
        parsed = read_file(
            *storage.source_read(household_import),
            **household_import.reading(),
            remembered=remembered.as_layout() if remembered else None,
        )
    except MappingProblem as problem:
        # The page shows the columns found, for the person to choose their fields.
        HouseholdImport.objects.filter(pk=household_import.pk).update(
            layout=problem.layout.as_dict()
        )
        import_failed(household_import, job_id, str(problem), [str(problem)])
        return {"job": job_id, "state": "failed"}
    except FileProblem as problem:
        import_failed(household_import, job_id, str(problem), [str(problem)])
        return {"job": job_id, "state": "failed"}
    checked = check_in_batches(
        parsed,
        household_import.commune,
        progress=lambda done, total: job_progress(job_id, done, total=total),
    )
    found = counts(checked)
    household_import.layout = parsed.layout
    headers = household_import.headers()
    report = {
        "columns": [headers.get(key) or BY_KEY[key].header for key in parsed.columns],
        "ignored": parsed.ignored,
        "counts": found,
        "skipped": parsed.skipped,
        "rows": [item.report(headers) for item in checked],
    }
    household_import.preview = storage.preview_store(household_import, report)
    household_import.status = HouseholdImport.Status.CHECKED
    household_import.rows = len(checked)
    household_import.mapping = parsed.mapping
    for outcome, field in HouseholdImport.FOUND_FIELDS.items():
        setattr(household_import, field, found[outcome])
    with transaction.atomic():
        household_import.save(
            update_fields=[
                "preview",
                "status",
                "rows",
                "mapping",
                "layout",
                *HouseholdImport.FOUND_FIELDS.values(),
                "updated_at",
            ]
        )
        job_succeed(
            job_id,
            result={"next": reverse("households:import-preview", args=[job_id])},
            message=import_summary(found, preview=True),
        )
    return {"job": job_id, "state": "succeeded", **found}


def import_preview_report(household_import: HouseholdImport) -> dict:
    """Return what an import's check found: columns, counts and every row's outcome."""
    return storage.preview_read(household_import)
