import logging
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import roles
from core.access import public
from core.jobs import FILES_DIR, jobs_of
from core.models import Job

logger = logging.getLogger(__name__)


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


# A load balancer waits a few seconds for the health check: a database or broker that does not
# answer within this many seconds counts as down.
HEALTH_TIMEOUT_SECONDS = 2


def _database_answers() -> bool:
    """Tell whether the database answers ``SELECT 1`` within the health timeout.

    A connection of its own, with short timeouts, rather than the request's: the request's would
    wait the system's TCP timeout (minutes) for an unreachable host.
    """
    wrapper = connections[DEFAULT_DB_ALIAS]
    settings_dict = {**wrapper.settings_dict}
    options = {**settings_dict.get("OPTIONS", {})}
    if wrapper.vendor == "postgresql":
        options["connect_timeout"] = HEALTH_TIMEOUT_SECONDS
        limit = f"-c statement_timeout={HEALTH_TIMEOUT_SECONDS * 1000}"
        options["options"] = f"{options.get('options', '')} {limit}".strip()
    elif wrapper.vendor == "sqlite":
        options["timeout"] = HEALTH_TIMEOUT_SECONDS
    settings_dict["OPTIONS"] = options
    probe = type(wrapper)(settings_dict, DEFAULT_DB_ALIAS)
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        logger.warning("Health check: the database does not answer.", exc_info=True)
        return False
    finally:
        probe.close()


def _broker_answers() -> bool | None:
    """Tell whether the Celery broker (Redis) answers a PING; None when none is configured (the
    demo runs its tasks in-process)."""
    if not settings.REDIS_URL:
        return None
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=HEALTH_TIMEOUT_SECONDS,
        socket_timeout=HEALTH_TIMEOUT_SECONDS,
    )
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        logger.warning("Health check: the broker does not answer.", exc_info=True)
        return False
    finally:
        client.close()


@public
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer a load balancer in JSON: 200 when the database (and the broker, if one is
    configured) answer, else 503 naming what is down."""
    database = _database_answers()
    broker = _broker_answers()
    body = {
        "status": "ok" if database and broker is not False else "unavailable",
        "database": "ok" if database else "unreachable",
        "broker": {None: "not configured", True: "ok", False: "unreachable"}[broker],
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@public
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a refused form in the user's language (settings.CSRF_FAILURE_VIEW).

    Django's own page is in English and speaks of cookies and referers; the usual cause here is a
    form left open past the session's end, or sent again from the browser's history.
    """
    return render(request, "403_csrf.html", status=403)


def job_explanation(job: Job) -> str:
    """Say why a job stopped, or that it resumes after an interruption (which attempt)."""
    if job.status == Job.Status.FAILED:
        return job.message or _("Stopped: no reason was recorded.")
    if job.status == Job.Status.SUCCEEDED:
        return ""
    attempt = job.attempts + (job.status == Job.Status.QUEUED)
    if attempt <= 1:
        return ""
    return _("Resuming after an interruption (attempt %(attempt)s of %(max)s)") % {
        "attempt": attempt,
        "max": settings.JOB_MAX_ATTEMPTS,
    }


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
        "explanation": job_explanation(job),
        "failed": job.status == Job.Status.FAILED,
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
