from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import roles
from core.access import public


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
