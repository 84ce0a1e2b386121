"""Verification rounds: a sample of a closed distribution's confirmed receipts re-checked at the
door (see activities.views.distribution)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from activities import services
from activities.forms.distribution import (
    VerificationForm,
    VerificationRoundForm,
)
from activities.selectors import distribution as selectors
from activities.views.distribution_common import (
    RECEIPT_ROWS,
    STAFF,
    paged,
    posted,
)
from core.forms import attach_error
from outreach.access import RECORD_READERS, WORKERS, serves

# --- Verification rounds ------------------------------------------------------------------------


@serves(STAFF)
def verification_round_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a verification round on a closed distribution: draw the receipts to re-check."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    form = VerificationRoundForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            verification_round = services.verification_round_start(
                actor=request.user,
                distribution=distribution,
                sample_percent=form.cleaned_data["sample_percent"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The verification round was started."))
            return redirect("activities:verification-round-detail", pk=verification_round.pk)
    return render(
        request,
        "activities/distribution_verification_form.html",
        {
            "distribution": distribution,
            "form": form,
            "figures": selectors.distribution_figures(distribution=distribution),
        },
    )


@serves(*RECORD_READERS)
def verification_round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a verification round: its shares, and the sampled receipts to visit."""
    verification_round, can = selectors.verification_round_detail(user=request.user, pk=pk)
    filterset = selectors.verification_list(
        user=request.user, verification_round=verification_round, filters=request.GET
    )
    return render(
        request,
        "activities/distribution_verification_round.html",
        {
            "round": verification_round,
            "distribution": verification_round.distribution,
            "filter": filterset,
            "page_obj": paged(request, filterset.qs, RECEIPT_ROWS),
            "can": can,
        },
    )


@serves(*WORKERS)
def verification_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what the visit to a sampled household found."""
    verification = selectors.verification_get(user=request.user, pk=pk)
    initial = {}
    if verification.outcome != verification.Outcome.PENDING:
        initial = {"outcome": verification.outcome, "note": verification.note}
    form = VerificationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_record(
                actor=request.user,
                verification=verification,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                _("The visit to household %(code)s was recorded.")
                % {"code": verification.receipt.household.code},
            )
            url = reverse("activities:verification-round-detail", args=[verification.round_id])
            return redirect(f"{url}?outcome=pending")
    return render(
        request,
        "activities/distribution_verification_record.html",
        {
            "verification": verification,
            "receipt": verification.receipt,
            "distribution": verification.round.distribution,
            "form": form,
        },
    )
