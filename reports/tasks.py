"""Background tasks of the reports: large list exports, written to a file the user downloads
from the job page (``core.jobs``)."""

import os
import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from core.jobs import job_claim, job_fail, job_file_path, job_progress, job_succeed
from core.tasks import job_task
from reports import exports

# Progress is written every so many rows: one UPDATE, not one per row.
PROGRESS_EVERY = 1000


def _counted(rows, job_id: int, total: int):
    """Yield ``rows``, recording the job's progress every ``PROGRESS_EVERY`` rows."""
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            job_progress(job_id, min(done, total))


# An export that fails for good (a bug, the database refusing a query) ends its job as failed,
# with the reason on the job's page.
@job_task(stopped=gettext_lazy("The export stopped: %(reason)s"))
def list_export_task(
    self,
    job_id: int,
    kind: str,
    fmt: str,
    q: str = "",
    village_id: int | None = None,
    language: str = "vi",
) -> dict:
    """Write the list ``kind`` as ``fmt`` for the job's owner, within their scope, to the job's
    file; a job that already finished is left alone (a second delivery changes nothing)."""
    job = job_claim(job_id)
    if job is None:
        return {"job": job_id, "changed": False}
    user = job.created_by
    if user is None or kind not in exports.KINDS or fmt not in ("csv", "xlsx"):
        job_fail(job_id, errors=[_("There is no such export.")])
        return {"job": job_id, "changed": False}
    # Headers and labels in the language the user asked in, whatever the worker's default.
    with override(language):
        export = exports.list_export(
            kind=kind, user=user, filters=exports.Filters(q=q, village_id=village_id)
        )
        total = export.source.count() if export.source is not None else 0
        job_progress(job_id, 0, total=total, message=_("Writing the file…"))
        export.rows = _counted(export.rows, job_id, total)
        name = exports.filename(export, fmt)
        # Written again from the start if a worker died half-way: the result is the same file.
        # Written aside and then renamed, so that two deliveries running at once (a task sent
        # again while a slow worker was still at it) never mix their rows in one file.
        path = job_file_path(job, name)
        partial = path.with_name(f".{uuid.uuid4().hex}.part")
        try:
            with partial.open("wb") as target:
                if fmt == "csv":
                    exports.write_csv(export, target)
                else:
                    exports.write_xlsx(export, target)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        job_succeed(
            job_id,
            result={"file": name, "filename": name, "rows": total},
            message=_("%(rows)s rows written.") % {"rows": total},
        )
    return {"job": job_id, "changed": True, "rows": total}
