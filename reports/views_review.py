"""The yearly review tables: what the commune sends up and keeps (page, XLSX, PDF), the named
lists (XLSX, for the commune only) and the province-wide table."""

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from households.models import ReviewCampaign
from outreach.access import OFFICE_READERS, RECORD_READERS, may, serves
from outreach.models import Commune
from outreach.scope import Role, scoped
from reports.review_documents import (
    decision_lines,
    named_lists_document,
    review_tables_document,
    standard_line,
)
from reports.selectors.review_lists import review_named_lists
from reports.selectors.review_tables import (
    ProvinceTableScope,
    commune_review_tables,
    province_review_tables,
    province_table_scope,
    province_tables_of,
    review_commune_get,
    review_years,
)
from reports.views import _check_year, _download


def _number(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(_("There is no such report."))
    return int(raw)


def _year(request: HttpRequest, years: list[int]) -> int:
    year = _number(request, "year")
    if year is None:
        year = years[0] if years else timezone.localdate().year
    _check_year(year)
    return year


def _commune_tables(request: HttpRequest):
    commune = review_commune_get(user=request.user, pk=_number(request, "commune"))
    years = review_years(commune=commune)
    year = _year(request, years)
    return commune, years, year, commune_review_tables(commune=commune, year=year)


def _province_years(request: HttpRequest) -> tuple[list[int], int]:
    communes = scoped(Commune.objects.all(), request.user)
    years = sorted(
        set(
            ReviewCampaign.objects.filter(commune__in=communes, decision__isnull=False)
            .values_list("year", flat=True)
            .distinct()
        ),
        reverse=True,
    )
    return years, _year(request, years)


def _province_tables(request: HttpRequest):
    years, year = _province_years(request)
    tables = province_review_tables(
        user=request.user, province_pk=_number(request, "province"), year=year
    )
    return years, year, tables


def _breakdowns(tables) -> list[tuple]:
    return [
        (_("By ethnicity of the head of household"), _("Ethnicity"), tables.ethnicity, "ethnicity"),
        (_("Causes of poverty"), _("Cause"), tables.causes, "causes"),
        (_("Support needed"), _("Support"), tables.needs, "needs"),
    ]


@serves(*RECORD_READERS)
def review_tables_view(request: HttpRequest) -> HttpResponse:
    """Show a commune's yearly review tables (``?commune=<id>&year=YYYY``), by village."""
    commune, years, year, tables = _commune_tables(request)
    query = urlencode({"commune": commune.pk, "year": year})
    communes = scoped(Commune.objects.all(), request.user).order_by("name", "pk")
    return render(
        request,
        "reports/review_tables.html",
        {
            "tables": tables,
            "by": "village",
            "commune": commune,
            "communes": communes.values_list("pk", "name"),
            "years": years,
            "year": year,
            "standard_line": standard_line(tables),
            "decision_lines": decision_lines(tables),
            "breakdowns": _breakdowns(tables),
            "downloads": [
                (label, f"{reverse('reports:review-tables-download', args=[fmt])}?{query}")
                for fmt, label in (("pdf", "PDF"), ("xlsx", "XLSX"))
            ],
            "lists_url": f"{reverse('reports:review-lists-download')}?{query}",
        },
    )


@serves(*RECORD_READERS)
def review_tables_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download a commune's tables (or, with ``?province=<id>``, the province's) as PDF/XLSX."""
    if "province" in request.GET:
        if not may(request.user, *OFFICE_READERS):
            raise Http404(_("There is no such report."))
        tables = _province_tables(request)[2]
        return _download(review_tables_document(tables, by="commune"), fmt)
    tables = _commune_tables(request)[3]
    return _download(review_tables_document(tables, by="village"), fmt)


# Donors are served only to be refused like anyone outside the commune's scope (404), so that a
# donor learns nothing from the answer; the selector refuses them.
@serves(*RECORD_READERS, Role.DONOR)
def review_lists_download(request: HttpRequest) -> HttpResponse:
    """Download the year's named lists of a commune as XLSX (for the commune only)."""
    commune = review_commune_get(user=request.user, pk=_number(request, "commune"))
    year = _year(request, review_years(commune=commune))
    lists = review_named_lists(user=request.user, commune=commune, year=year)
    return _download(named_lists_document(commune=commune, year=year, lists=lists), "xlsx")


# The province's tables as HTML are kept this long in the cache, under the key of what they show
# (a new decision anywhere in the province changes it): rendering a thousand communes' rows
# costs ~0.5 s, reading them back ~1 ms.
BODY_SECONDS = 15 * 60


def _province_body(scope: ProvinceTableScope) -> str:
    key = f"reports:review-province-body:{scope.shown_key}:{get_language()}"
    body = cache.get(key)
    if body is None:
        tables = province_tables_of(scope)
        body = render_to_string(
            "reports/includes/review_province_body.html",
            {
                "tables": tables,
                "by": "commune",
                "standard_line": standard_line(tables),
                "breakdowns": _breakdowns(tables),
            },
        )
        cache.set(key, body, BODY_SECONDS)
    return body


@serves(*OFFICE_READERS)
def review_tables_province(request: HttpRequest) -> HttpResponse:
    """Show the province-wide yearly table (``?province=<id>&year=YYYY``), a row per commune."""
    years, year = _province_years(request)
    scope = province_table_scope(
        user=request.user, province_pk=_number(request, "province"), year=year
    )
    query = urlencode({"province": scope.province.pk, "year": year})
    return render(
        request,
        "reports/review_tables_province.html",
        {
            "province": scope.province,
            "body": _province_body(scope),
            "years": years,
            "year": year,
            "downloads": [
                (label, f"{reverse('reports:review-tables-download', args=[fmt])}?{query}")
                for fmt, label in (("pdf", "PDF"), ("xlsx", "XLSX"))
            ],
        },
    )
