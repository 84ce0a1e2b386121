"""Writes of the reports: only the start of a background export (a ``core.Job`` row)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.jobs import job_create
from core.models import Job
from core.services import service
from reports import exports
from reports.tasks import list_export_task

EXPORT_JOB_KIND = "export"


@service
def list_export_start(*, actor, kind: str, fmt: str, filters: exports.Filters) -> Job:
    """Queue the export of the list ``kind`` as ``fmt`` for ``actor``; the task starts once the
    job row is committed, so a worker never looks for a job that is not there yet."""
    return job_create(
        actor=actor,
        kind=EXPORT_JOB_KIND,
        message=_("Waiting for a worker…"),
        task=list_export_task,
        args=[kind, fmt],
        kwargs={
            "q": filters.q,
            "village_id": filters.village_id,
            "language": get_language() or "vi",
        },
    )
