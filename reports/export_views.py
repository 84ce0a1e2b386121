"""Downloads of the lists (households, receipts, assets) as CSV or XLSX, within the user's scope.

Donors are not served: the lists name households, and donors see aggregates only.
"""

import tempfile

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from outreach.access import RECORD_READERS, serves
from reports import exports, exports_layout
from reports.services import list_export_start

# Lists longer than this are written by a background task (a setting, 5,000 rows by default);
# shorter ones are sent at once.
DEFAULT_TASK_ROWS = 5000


def task_threshold() -> int:
    """Return the number of rows above which an export runs as a background task."""
    return int(getattr(settings, "REPORTS_EXPORT_TASK_ROWS", DEFAULT_TASK_ROWS))


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters(request: HttpRequest) -> exports.Filters | None:
    """Return the list filters ``?q=`` and ``?village=<id>``; None when the village is not an
    id."""
    village = request.GET.get("village", "").strip()
    if village and not village.isdigit():
        return None
    return exports.Filters(
        q=request.GET.get("q", "").strip(), village_id=int(village) if village else None
    )


def _bad_village() -> HttpResponse:
    return HttpResponseBadRequest(
        _("Choose the village from the list (its id is a number)."),
        content_type="text/plain; charset=utf-8",
    )


@serves(*RECORD_READERS)
def list_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """Send the list ``kind`` as ``fmt``, filtered by ``?q=`` and ``?village=<id>``.

    A small list is sent at once: CSV streamed row by row, XLSX built in memory. A list longer
    than ``task_threshold()`` rows is written by a background task: the user goes to the job's
    page, which shows a progress bar and the download link when the file is ready.
    """
    if kind not in exports.KINDS or fmt not in FORMATS:
        raise Http404(_("There is no such export."))
    filters = _filters(request)
    if filters is None:
        return _bad_village()
    export = exports.list_export(kind=kind, user=request.user, filters=filters)
    threshold = task_threshold()
    if exports.capped_count(export, threshold) > threshold:
        job = list_export_start(actor=request.user, kind=kind, fmt=fmt, filters=filters)
        messages.info(request, _("The list is long: it is being written in the background."))
        return redirect("job-detail", pk=job.pk)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(export), content_type=FORMATS[fmt])
    else:
        response = HttpResponse(exports.xlsx_bytes(export), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(export, fmt)}"'
    # Personal data: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@serves(*RECORD_READERS)
def layout_export(request: HttpRequest, commune: int) -> HttpResponse:
    """Send a commune's households as XLSX in the layout of the commune's own spreadsheet (the
    one last confirmed on its import), filtered by ``?q=`` and ``?village=<id>``; 404 for a
    commune outside the user's scope or without a layout.

    The sheet is written row by row (openpyxl's write-only mode) to a temporary file that is
    then streamed, so a commune's whole list is never held in memory.
    """
    filters = _filters(request)
    if filters is None:
        return _bad_village()
    export = exports_layout.layout_export_get(
        user=request.user, commune_pk=commune, filters=filters
    )
    target = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        exports_layout.write_layout_xlsx(export, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    response = FileResponse(
        target,
        as_attachment=True,
        filename=exports_layout.layout_filename(export),
        content_type=FORMATS["xlsx"],
    )
    # Personal data: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
