from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import roles
from core.access import public
from core.jobs import FILES_DIR, jobs_of
from core.models import Job


def home(request: HttpRequest) -> HttpResponse:
    """Greet the user with their roles and the places they may go."""
    groups = [group.name for group in request.user.groups.all()]
    return render(
        request,
        "core/home.html",
        {
            "roles": [roles.label(name) for name in groups],
            "show_money_trail": roles.DONOR in groups,
            "show_reports": bool({roles.OFFICE_STAFF, roles.AUDITOR} & set(groups)),
            "show_exports": bool(
                {roles.OFFICE_STAFF, roles.COMMUNE_CADRE, roles.AUDITOR} & set(groups)
            ),
            "report_year": timezone.localdate().year - 1,
        },
    )


@public
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer a load balancer: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _job_status(job: Job) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "finished": job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED),
        "errors": job.errors[:50] if isinstance(job.errors, list) else [],
        "result": {k: v for k, v in job.result.items() if k != "file"},
        "download": reverse("job-download", args=[job.pk]) if job.result.get("file") else "",
        "next": job.result.get("next", ""),
    }


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one of the user's background jobs with a progress bar that follows it."""
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    return render(request, "core/job_detail.html", {"job": job, "state": _job_status(job)})


@never_cache
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Answer the job page's polling: status, progress, errors, the download when done."""
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    return JsonResponse(_job_status(job))


@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """Hand the file a job made (an export) to the user who asked for it."""
    job = get_object_or_404(jobs_of(request.user), pk=pk, status=Job.Status.SUCCEEDED)
    name = job.result.get("file", "")
    root = (Path(settings.MEDIA_ROOT) / FILES_DIR / str(job.pk)).resolve()
    path = (root / Path(name).name).resolve() if name else None
    if path is None or path.parent != root or not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=job.result.get("filename") or path.name
    )
