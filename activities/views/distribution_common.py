"""What the distribution, receipt and verification pages share: roles, page sizes, paging, the
bound form, a refusal as a message. Who may act is outreach.access's (``may``, and the buttons
each detail selector returns)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from activities.models import Distribution
from core.paginator import CappedCountPaginator
from outreach.scope import Role

STAFF = Role.OFFICE_STAFF
LIST_ROWS = 25
RECEIPT_ROWS = 50
# Lines per printed A4 page of the sign-off sheet (each line carries a QR code).
SHEET_ROWS = 15
TICK_ROWS = 100
PREVIEW_ROWS = 50
SKIPPED_SHOWN = 20


def paged(request: HttpRequest, queryset, per_page: int):
    return CappedCountPaginator(queryset, per_page).get_page(request.GET.get("page"))


def posted(request: HttpRequest):
    """Return the POST data to bind a form to (also when empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def detail_url(distribution: Distribution) -> str:
    return reverse("activities:distribution-detail", args=[distribution.pk])
