"""Report pages. Aggregates only: no page here shows a person's name or ID number."""

import mimetypes

from django.db.models import Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.access import public
from core.text import fold
from outreach.access import OFFICE_READERS, serves
from outreach.models import Partner, Partnership, RoleAssignment
from outreach.scope import Role, scoped
from outreach.services import report_link_open
from reports.charts import dashboard_charts
from reports.documents import Document, annual_report_document, dashboard_document
from reports.documents import donor_report_document as donor_document
from reports.pdf import document_pdf
from reports.review_documents import donor_review_table
from reports.selectors import (
    PHOTO_SIZES,
    annual_report,
    dashboard,
    donation_totals,
    donor_partners,
    donor_timeline,
    funded_photo_get,
    funded_photo_list,
    money_trail,
    year_summary,
)
from reports.selectors.review_lists import donor_review_counts
from reports.workbook import document_xlsx

# The years a report may cover (the same bounds as a partnership's start year).
_REPORT_YEARS = (1945, 2100)
DOWNLOADS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _check_year(year: int) -> None:
    if not _REPORT_YEARS[0] <= year <= _REPORT_YEARS[1]:
        raise Http404(_("No report for this year."))


def _download(document: Document, fmt: str, *, stem: str | None = None) -> HttpResponse:
    """Answer ``document`` as a PDF or XLSX attachment."""
    if fmt not in DOWNLOADS:
        raise Http404(_("There is no such download."))
    content = document_pdf(document) if fmt == "pdf" else document_xlsx(document)
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{stem or document.filename_stem}.{fmt}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The donor's report ---------------------------------------------------------------------------


def _chosen_partner(request: HttpRequest) -> tuple[Partner, list[Partner]]:
    """Return the partner asked for (``?partner=<id>``) among those the user may read, and them.

    A donor reads their own partner only; staff and auditors choose.
    """
    partners = donor_partners(user=request.user)
    if not partners:
        raise Http404(_("No donations to report on."))
    chosen = request.GET.get("partner")
    if not chosen:
        return partners[0], partners
    partner = next((p for p in partners if str(p.pk) == chosen), None)
    if partner is None:
        raise Http404(_("No donations to report on."))
    return partner, partners


def _donor_context(user, partner: Partner) -> dict:
    trails = money_trail(user=user, partner=partner)
    return {
        "partner": partner,
        "trails": trails,
        "totals": donation_totals(user=user, partner=partner),
        "timeline": donor_timeline(trails),
        "photos": funded_photo_list(user=user, partner=partner),
    }


def _with_review(document: Document, user, partner: Partner) -> Document:
    # The year's review counts for the partnership's communes: counts only, "< 5" below five.
    review = donor_review_counts(user=user, partner=partner)
    if review is not None and review.rows:
        document.tables.append(donor_review_table(review))
    return document


def _donor_stem(partner: Partner) -> str:
    return f"bao-cao-tai-tro-{slugify(fold(partner.short_name or partner.name)) or partner.pk}"


def _photo_response(photo, size: str) -> FileResponse:
    if size not in PHOTO_SIZES:
        raise Http404
    field = getattr(photo, size)
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, content_type=mimetypes.guess_type(field.name)[0] or "image/jpeg"
    )
    # Pictures of people: never kept by a shared proxy.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Robots-Tag"] = "noindex"
    return response


@serves(Role.DONOR, *OFFICE_READERS)
def donor_report(request: HttpRequest) -> HttpResponse:
    """Show a partner's money trail: donations → allocations → what, where, how many households,
    with the timeline and the consented photos of the activities it paid for.

    A donor sees their own partner only; staff and auditors choose among the partners whose
    donations they may read (``?partner=<id>``).
    """
    partner, partners = _chosen_partner(request)
    context = _donor_context(request.user, partner)
    context["partners"] = partners
    context["review"] = donor_review_counts(user=request.user, partner=partner)
    context["photo_urls"] = [
        (
            photo,
            reverse("reports:donor-photo", args=[photo.pk, "thumbnail"]),
            reverse("reports:donor-photo", args=[photo.pk, "display"]),
        )
        for photo in context["photos"]
    ]
    query = f"?partner={partner.pk}" if request.GET.get("partner") else ""
    context["downloads"] = [
        (label, reverse("reports:donor-report-download", args=[fmt]) + query)
        for fmt, label in (("pdf", "PDF"), ("xlsx", "XLSX"))
    ]
    return render(request, "reports/donor_report.html", context)


@serves(Role.DONOR, *OFFICE_READERS)
def donor_report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download a partner's money trail as PDF (with the photos) or XLSX."""
    partner, _partners = _chosen_partner(request)
    context = _donor_context(request.user, partner)
    document = _with_review(donor_document(**context), request.user, partner)
    return _download(document, fmt, stem=_donor_stem(partner))


@serves(Role.DONOR, *OFFICE_READERS)
def donor_photo(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """Send a consented photo's resized copy to a user whose readable money paid for its
    activity (a donor: their own partner's); any other photo is 404."""
    photo = funded_photo_get(user=request.user, pk=pk)
    if photo is None:
        raise Http404(_("No such photo."))
    return _photo_response(photo, size)


# Shared read-only links -------------------------------------------------------------------------


class _LinkViewer:
    """Who a shared link speaks for: the donor of its partner, with a donor's scope."""

    is_authenticated = True
    is_active = True
    is_superuser = False

    def __init__(self, partner):
        self._bacung_assignments = [RoleAssignment(role=Role.DONOR, partner=partner)]
        self._bacung_communes = []


def _open_link(token: str):
    link = report_link_open(token, today=timezone.localdate())
    if link is None:
        raise Http404(_("This link does not work: it is wrong, expired or revoked."))
    return link, _LinkViewer(link.partner)


def _shared(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public
def shared_donor_report(request: HttpRequest, token: str) -> HttpResponse:
    """Show a partner's money trail to whoever holds a valid shared link (no account needed)."""
    link, viewer = _open_link(token)
    context = _donor_context(viewer, link.partner)
    context["partners"] = [link.partner]
    context["shared_until"] = link.expires_on
    context["link"] = link
    context["review"] = donor_review_counts(user=viewer, partner=link.partner)
    context["photo_urls"] = [
        (
            photo,
            reverse("reports:shared-donor-photo", args=[token, photo.pk, "thumbnail"]),
            reverse("reports:shared-donor-photo", args=[token, photo.pk, "display"]),
        )
        for photo in context["photos"]
    ]
    context["downloads"] = [
        (label, reverse("reports:shared-donor-report-download", args=[token, fmt]))
        for fmt, label in (("pdf", "PDF"), ("xlsx", "XLSX"))
    ]
    return _shared(render(request, "reports/donor_report.html", context))


@public
def shared_donor_report_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """Download the shared money trail as PDF or XLSX (the same link, the same scope)."""
    link, viewer = _open_link(token)
    context = _donor_context(viewer, link.partner)
    document = donor_document(**context, shared_until=link.expires_on)
    document = _with_review(document, viewer, link.partner)
    return _shared(_download(document, fmt, stem=_donor_stem(link.partner)))


@public
def shared_donor_photo(request: HttpRequest, token: str, pk: int, size: str) -> FileResponse:
    """Send a consented photo of an activity the shared partner's money paid for."""
    link, viewer = _open_link(token)
    photo = funded_photo_get(user=viewer, pk=pk, partner=link.partner)
    if photo is None:
        raise Http404(_("No such photo."))
    return _shared(_photo_response(photo, size))


# The partnership's figures ----------------------------------------------------------------------


@serves(*OFFICE_READERS)
def summary_json(request: HttpRequest) -> JsonResponse:
    """Answer the year's figures as JSON (``?year=YYYY``), for other systems and for tests."""
    raw = request.GET.get("year", "")
    if not raw.isdigit() or not _REPORT_YEARS[0] <= int(raw) <= _REPORT_YEARS[1]:
        return JsonResponse(
            {"error": _("Give the year as four digits, e.g. ?year=2024.")}, status=400
        )
    return JsonResponse(
        year_summary(user=request.user, year=int(raw)),
        json_dumps_params={"ensure_ascii": False},
    )


@serves(*OFFICE_READERS)
def annual_report_view(request: HttpRequest, year: int) -> HttpResponse:
    """Show the partnership's year: activities, support delivered, funders, figures."""
    _check_year(year)
    return render(
        request, "reports/annual_report.html", annual_report(user=request.user, year=year)
    )


@serves(*OFFICE_READERS)
def annual_report_pdf_view(request: HttpRequest, year: int) -> HttpResponse:
    """Download the annual report as an A4 PDF."""
    _check_year(year)
    return _download(annual_report_document(annual_report(user=request.user, year=year)), "pdf")


@serves(*OFFICE_READERS)
def annual_report_xlsx_view(request: HttpRequest, year: int) -> HttpResponse:
    """Download the annual report as an XLSX workbook, a sheet per table."""
    _check_year(year)
    return _download(annual_report_document(annual_report(user=request.user, year=year)), "xlsx")


def _dashboard_years(user) -> tuple[int, int]:
    this_year = timezone.localdate().year
    starts = scoped(Partnership.objects.all(), user).aggregate(first=Min("start_year"))
    return min(starts["first"] or this_year, this_year), this_year


@serves(*OFFICE_READERS)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Show the partnership year by year and village by village, each chart with its table."""
    first_year, last_year = _dashboard_years(request.user)
    data = dashboard(user=request.user, first_year=first_year, last_year=last_year)
    return render(request, "reports/dashboard.html", {**data, "charts": dashboard_charts(data)})


@serves(*OFFICE_READERS)
def dashboard_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download the dashboard's tables as PDF (A4 landscape) or XLSX."""
    first_year, last_year = _dashboard_years(request.user)
    data = dashboard(user=request.user, first_year=first_year, last_year=last_year)
    return _download(dashboard_document(data), fmt)
