"""The asset pages: the registry, an asset's page and log, a village's assets, QR labels.

A label's QR code opens ``/a/<short code>/``: a cadre scanning a pole with a phone lands on its
page and can report a fault from there; anyone else gets the public fault report page.
"""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from activities import services
from activities.forms.asset import AssetForm, FaultForm, MaintenanceForm
from activities.models import Asset, MaintenanceLog
from activities.selectors import asset as selectors
from activities.views.money import paginate
from core.codes import normalise_code
from core.forms import attach_error
from outreach.access import RECORD_READERS, WORKERS, may, public, serves
from outreach.scope import Role

# A4 sheets of labels: this many per page of the list (the browser breaks them into sheets).
LABELS_PER_PAGE = 40


@serves(*RECORD_READERS)
def asset_list(request: HttpRequest) -> HttpResponse:
    """List the solar light poles, trash bins and other assets; filter by kind, village, state."""
    assets = selectors.asset_list(user=request.user, filters=request.GET)
    return render(
        request,
        "activities/asset_list.html",
        {"filter": assets, "page_obj": paginate(request, assets.qs, per_page=50)},
    )


@serves(Role.OFFICE_STAFF)
def asset_create(request: HttpRequest) -> HttpResponse:
    """Register an asset; its log opens with its installation."""
    form = AssetForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_register(actor=request.user, asset=form.instance)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The asset was registered."))
            return redirect("activities:asset-detail", pk=asset.pk)
    return render(request, "activities/asset_form.html", {"form": form})


@serves(*RECORD_READERS)
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an asset: where it stands, its state, its log, the money that paid for it."""
    asset, can = selectors.asset_detail(user=request.user, pk=pk)
    return render(
        request,
        "activities/asset_detail.html",
        {
            "asset": asset,
            "can": can,
            "logs": selectors.asset_logs(user=request.user, asset=asset),
            "allocations": selectors.asset_allocations(user=request.user, asset=asset),
            "log_form": (
                MaintenanceForm(kinds=selectors.log_kinds(request.user)) if can.record else None
            ),
            "removed": asset.status == Asset.Status.REMOVED,
        },
    )


def _record(request: HttpRequest, asset: Asset, form, **fields) -> bool:
    """Append to the asset's log through the service; put a refusal on the form."""
    try:
        services.maintenance_record(actor=request.user, asset=asset, **fields)
    except ValidationError as error:
        attach_error(form, error)
        return False
    return True


@serves(*WORKERS)
def asset_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Add to an asset's log what the person's role may record: a check, a fault, a repair or
    a removal for office staff, a check or a fault for a cadre."""
    asset = selectors.asset_get(user=request.user, pk=pk)
    form = MaintenanceForm(request.POST or None, kinds=selectors.log_kinds(request.user))
    if (
        request.method == "POST"
        and form.is_valid()
        and _record(request, asset, form, **form.cleaned_data)
    ):
        messages.success(request, _("The log entry was added."))
        return redirect("activities:asset-detail", pk=asset.pk)
    return render(
        request,
        "activities/asset_log_form.html",
        {"asset": asset, "form": form, "removed": asset.status == Asset.Status.REMOVED},
    )


@serves(*WORKERS)
def asset_fault(request: HttpRequest, pk: int) -> HttpResponse:
    """Report, from a phone, that an asset is broken."""
    asset = selectors.asset_get(user=request.user, pk=pk)
    form = FaultForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _record(request, asset, form, kind=MaintenanceLog.Kind.FAULT, **form.cleaned_data)
    ):
        messages.success(request, _("Thank you: the fault was reported."))
        return redirect("activities:asset-detail", pk=asset.pk)
    return render(
        request,
        "activities/asset_fault_form.html",
        {"asset": asset, "form": form, "removed": asset.status == Asset.Status.REMOVED},
    )


def _qr(request: HttpRequest, asset: Asset) -> str:
    """Return the QR code of the asset's short link as an SVG data URI (allowed by the CSP)."""
    url = request.build_absolute_uri(reverse("activities:asset-by-code", args=[asset.short_code]))
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


@serves(*RECORD_READERS)
def asset_label(request: HttpRequest, pk: int) -> HttpResponse:
    """Print an asset's label: its code, kind, village, partnership, short code and QR code."""
    asset = selectors.asset_get(user=request.user, pk=pk)
    return render(
        request,
        "activities/asset_labels.html",
        {"labels": [(asset, _qr(request, asset))], "asset": asset},
    )


@serves(*RECORD_READERS)
def asset_labels(request: HttpRequest) -> HttpResponse:
    """Print the labels of a village's assets, several to an A4 sheet (``?village=<id>``)."""
    raw = request.GET.get("village", "")
    if not raw.isdigit():
        raise Http404(_("Choose a village."))
    village = selectors.village_get(user=request.user, pk=int(raw))
    page = paginate(
        request, selectors.label_assets(user=request.user, village=village), LABELS_PER_PAGE
    )
    return render(
        request,
        "activities/asset_labels.html",
        {
            "labels": [(asset, _qr(request, asset)) for asset in page],
            "village": village,
            "page_obj": page,
        },
    )


@public
def asset_by_code(request: HttpRequest, code: str) -> HttpResponse:
    """Open the asset a label's QR code names: its page for a reader whose scope holds it, the
    public fault report page for anyone else (a villager, a logged-in user of another commune).

    Named by route, not imported: the public page belongs to the channel app, above this one.
    """
    if may(request.user, *RECORD_READERS):
        try:
            asset = selectors.asset_by_code(user=request.user, code=code)
        except Http404:
            pass
        else:
            return redirect("activities:asset-detail", pk=asset.pk)
    return redirect("channel:asset-report", code=normalise_code(code) or code)


@serves(*RECORD_READERS)
def village_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a village's assets by kind, with how many are in each state, and the list."""
    village = selectors.village_get(user=request.user, pk=pk)
    return render(
        request,
        "activities/village_detail.html",
        {
            "village": village,
            "summary": selectors.village_asset_summary(user=request.user, village=village),
            "page_obj": paginate(
                request, selectors.village_assets(user=request.user, village=village), 50
            ),
        },
    )
