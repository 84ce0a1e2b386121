"""Background tasks of households: checking and importing household files, review reminders.

Thin wrappers around services: each takes ids, calls one service and returns a small dict. They
are acknowledged late and rejected when their worker is lost, so a task whose worker died runs
again on another worker; the services make that second run harmless (a finished job is left
alone, an import resumes after its last committed chunk, a reminder already sent is not sent
again). Database or broker hiccups are retried with backoff; a bug is not retried.
"""

from django.utils.translation import gettext_lazy as _

from core.tasks import house_task, job_task
from households import reminders
from households.imports import applying, previewing


# A check or an import that fails for good (a bug, a value the database refuses) ends its job
# and its import as failed, with the reason on the job's page.
@job_task(
    stopped=_("The check of the file stopped: %(reason)s"), on_stopped=previewing.import_stopped
)
def household_import_check_task(self, job_id: int) -> dict:
    """Check every row of an uploaded household file (the dry run behind the preview)."""
    return previewing.household_import_check(job_id=job_id)


@job_task(stopped=_("The import stopped: %(reason)s"), on_stopped=previewing.import_stopped)
def household_import_task(self, job_id: int) -> dict:
    """Apply a confirmed household file, resuming where an earlier run stopped."""
    return applying.household_import_run(job_id=job_id)


@house_task()
def reviews_due_remind_task(self) -> dict:
    """E-mail each commune's cadres the households whose yearly review is due."""
    return reminders.reviews_due_remind()
