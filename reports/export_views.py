"""Downloads of the lists (households, receipts, assets) as CSV or XLSX, within the user's scope.

Donors are not served: the lists name households, and donors see aggregates only.
"""

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.utils.translation import gettext as _

from outreach.access import serves
from outreach.scope import Role
from reports import exports

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@serves(Role.OFFICE_STAFF, Role.COMMUNE_CADRE, Role.AUDITOR)
def list_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """Send the list ``kind`` as ``fmt``, filtered by ``?q=`` and ``?village=<id>``.

    CSV is streamed row by row; XLSX is built in memory (large exports belong to a task).
    """
    if kind not in exports.KINDS or fmt not in FORMATS:
        raise Http404(_("There is no such export."))
    village = request.GET.get("village", "").strip()
    if village and not village.isdigit():
        return HttpResponseBadRequest(
            _("Choose the village from the list (its id is a number)."),
            content_type="text/plain; charset=utf-8",
        )
    filters = exports.Filters(
        q=request.GET.get("q", "").strip(), village_id=int(village) if village else None
    )
    export = exports.list_export(kind=kind, user=request.user, filters=filters)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(export), content_type=FORMATS[fmt])
    else:
        response = HttpResponse(exports.xlsx_bytes(export), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(export, fmt)}"'
    # Personal data: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
