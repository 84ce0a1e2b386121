"""The sign-off sheet, confirmation by ticking it, and the receipt pages a sheet's QR codes open
(see activities.views.distribution)."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.forms.distribution import (
    ConfirmSheetForm,
    SignatureForm,
)
from activities.selectors import distribution as selectors
from activities.views.distribution_common import (
    SHEET_ROWS,
    TICK_ROWS,
    error_text,
    paged,
    posted,
)
from core.forms import attach_error
from outreach.access import RECORD_READERS, WORKERS, Allowed, serves

# --- The sign-off sheet and confirmation --------------------------------------------------------


@serves(*RECORD_READERS)
def distribution_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the sign-off sheet: A4 pages of SHEET_ROWS lines, a QR code per receipt."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    villages = selectors.commune_villages(distribution=distribution)
    village = None
    if request.GET.get("village", "").isdigit():
        village = villages.filter(pk=request.GET["village"]).first()
    page = paged(
        request,
        selectors.sheet_receipts(user=request.user, distribution=distribution, village=village),
        SHEET_ROWS,
    )
    lines = []
    for number, receipt in enumerate(page.object_list, start=page.start_index()):
        url = request.build_absolute_uri(
            reverse("activities:receipt-detail", args=[receipt.short_code])
        )
        qr = segno.make(url, error="m").svg_data_uri(scale=2, border=1)
        lines.append({"number": number, "receipt": receipt, "qr": qr})
    return render(
        request,
        "activities/distribution_sheet.html",
        {
            "distribution": distribution,
            "page_obj": page,
            "lines": lines,
            "villages": villages,
            "village": village,
        },
    )


@serves(*WORKERS)
def distribution_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm receipts by ticking the signed sheet: one box per unconfirmed receipt."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    form = ConfirmSheetForm(posted(request), distribution=distribution)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.receipts_confirm(
                actor=request.user,
                distribution=distribution,
                receipt_ids=[receipt.pk for receipt in form.cleaned_data["receipts"]],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Receipts confirmed: %(confirmed)d; confirmed before by someone else: "
                    "%(already)d."
                )
                % {"confirmed": result.confirmed, "already": result.already},
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "activities/distribution_confirm.html",
        {
            "distribution": distribution,
            "form": form,
            "page_obj": paged(
                request,
                selectors.unconfirmed_receipts(user=request.user, distribution=distribution),
                TICK_ROWS,
            ),
        },
    )


def _render_receipt(request, receipt, can: Allowed, *, signature_form=None) -> HttpResponse:
    return render(
        request,
        "activities/receipt_detail.html",
        {
            "receipt": receipt,
            "distribution": receipt.distribution,
            "verifications": selectors.receipt_verifications(receipt=receipt),
            "signature_form": signature_form or SignatureForm(),
            "can": can,
        },
    )


@serves(*RECORD_READERS)
def receipt_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show one receipt (opened from the QR code on the sheet): what, to whom, confirmed by."""
    receipt, can = selectors.receipt_detail(user=request.user, code=code)
    return _render_receipt(request, receipt, can)


@serves(*WORKERS)
@require_POST
def receipt_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm that the household received its items."""
    receipt = selectors.receipt_get(user=request.user, code=code)
    if receipt.confirmed_at:
        messages.info(request, _("This receipt was confirmed already."))
        return redirect("activities:receipt-detail", code=receipt.short_code)
    try:
        services.receipt_confirm(actor=request.user, receipt=receipt)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The receipt was confirmed."))
    return redirect("activities:receipt-detail", code=receipt.short_code)


@serves(*WORKERS)
@require_POST
def receipt_signature(request: HttpRequest, code: str) -> HttpResponse:
    """Keep a photo of the household's signature on the receipt."""
    receipt, can = selectors.receipt_detail(user=request.user, code=code)
    form = SignatureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.receipt_signature_attach(
                actor=request.user, receipt=receipt, image=form.cleaned_data["signature"]
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The signature photo was saved."))
            return redirect("activities:receipt-detail", code=receipt.short_code)
    return _render_receipt(request, receipt, can, signature_form=form)
