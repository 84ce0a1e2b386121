"""Report pages. Aggregates only: no page here shows a person's name or ID number."""

from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import public
from outreach.access import serves
from outreach.models import Partnership, RoleAssignment
from outreach.scope import Role, scoped
from outreach.services import report_link_open
from reports.pdf import annual_report_pdf
from reports.selectors import (
    annual_report,
    dashboard,
    donation_totals,
    donor_partners,
    money_trail,
    year_summary,
)

# The years a report may cover (the same bounds as a partnership's start year).
_REPORT_YEARS = (1945, 2100)


def _check_year(year: int) -> None:
    if not _REPORT_YEARS[0] <= year <= _REPORT_YEARS[1]:
        raise Http404(_("No report for this year."))


@serves(Role.DONOR, Role.OFFICE_STAFF, Role.AUDITOR)
def donor_report(request: HttpRequest) -> HttpResponse:
    """Show a partner's money trail: donations → allocations → what, where, how many households.

    A donor sees their own partner only; staff and auditors choose among the partners whose
    donations they may read (``?partner=<id>``).
    """
    partners = donor_partners(user=request.user)
    if not partners:
        raise Http404(_("No donations to report on."))
    chosen = request.GET.get("partner")
    partner = partners[0]
    if chosen:
        partner = next((p for p in partners if str(p.pk) == chosen), None)
        if partner is None:
            raise Http404(_("No donations to report on."))
    return render(
        request,
        "reports/donor_report.html",
        {
            "partner": partner,
            "partners": partners,
            "trails": money_trail(user=request.user, partner=partner),
            "totals": donation_totals(user=request.user, partner=partner),
        },
    )


@serves(Role.OFFICE_STAFF, Role.AUDITOR)
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


@serves(Role.OFFICE_STAFF, Role.AUDITOR)
def annual_report_view(request: HttpRequest, year: int) -> HttpResponse:
    """Show the partnership's year: activities, support delivered, funders, figures."""
    _check_year(year)
    return render(
        request, "reports/annual_report.html", annual_report(user=request.user, year=year)
    )


@serves(Role.OFFICE_STAFF, Role.AUDITOR)
def annual_report_pdf_view(request: HttpRequest, year: int) -> HttpResponse:
    """Download the annual report as an A4 PDF."""
    _check_year(year)
    content = annual_report_pdf(annual_report(user=request.user, year=year))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-nam-{year}.pdf"'
    return response


class _LinkViewer:
    """Who a shared link speaks for: the donor of its partner, with a donor's scope."""

    is_authenticated = True
    is_active = True
    is_superuser = False

    def __init__(self, partner):
        self._bacung_assignments = [RoleAssignment(role=Role.DONOR, partner=partner)]
        self._bacung_communes = []


@public
def shared_donor_report(request: HttpRequest, token: str) -> HttpResponse:
    """Show a partner's money trail to whoever holds a valid shared link (no account needed)."""
    link = report_link_open(token, today=timezone.localdate())
    if link is None:
        raise Http404(_("This link does not work: it is wrong, expired or revoked."))
    viewer = _LinkViewer(link.partner)
    response = render(
        request,
        "reports/donor_report.html",
        {
            "partner": link.partner,
            "partners": [link.partner],
            "trails": money_trail(user=viewer, partner=link.partner),
            "totals": donation_totals(user=viewer, partner=link.partner),
            "shared_until": link.expires_on,
        },
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@serves(Role.OFFICE_STAFF, Role.AUDITOR)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Show the partnership year by year: money by funder, households, assets, villages."""
    this_year = timezone.localdate().year
    starts = scoped(Partnership.objects.all(), request.user).aggregate(first=Min("start_year"))
    first_year = min(starts["first"] or this_year, this_year)
    data = dashboard(user=request.user, first_year=first_year, last_year=this_year)
    chart = {
        "years": [str(y["year"]) for y in data["years"]],
        "funders": data["funders"],
        "funding": [row["values"] for row in data["funding_rows"]],
        "households": [y["households_served"] for y in data["years"]],
        "labels": {
            "value": _("Value delivered (đồng)"),
            "households": _("Households served"),
        },
    }
    return render(request, "reports/dashboard.html", {**data, "chart": chart})
