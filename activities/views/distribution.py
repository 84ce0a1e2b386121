"""The distribution pages: list, create and edit, funding, recipients, sign-off sheet,
confirmation, closing and verification rounds.

Thin views: reads through activities.selectors.distribution, writes through activities.services,
a service's refusal shown on the form (nothing saved, input kept) or as a message.
"""

import copy

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.forms.distribution import (
    AllocationForm,
    CloseForm,
    ConfirmSheetForm,
    CriteriaForm,
    DistributionForm,
    HouseholdSearchForm,
    ReceiptAddForm,
    SignatureForm,
    VerificationForm,
    VerificationRoundForm,
)
from activities.models import Allocation, Distribution
from activities.selectors import distribution as selectors
from core.admin_utils import attach_error
from core.paginator import EstimatedCountPaginator
from outreach.access import serves
from outreach.scope import Role, roles_of, scoped

STAFF, CADRE, AUDITOR = Role.OFFICE_STAFF, Role.COMMUNE_CADRE, Role.AUDITOR
LIST_ROWS = 25
RECEIPT_ROWS = 50
# Lines per printed A4 page of the sign-off sheet (each line carries a QR code).
SHEET_ROWS = 15
TICK_ROWS = 100
PREVIEW_ROWS = 50
SKIPPED_SHOWN = 20


def _page(request: HttpRequest, queryset, per_page: int):
    return EstimatedCountPaginator(queryset, per_page).get_page(request.GET.get("page"))


def _posted(request: HttpRequest):
    """Return the POST data to bind a form to (also when empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _detail_url(distribution: Distribution) -> str:
    return reverse("activities:distribution-detail", args=[distribution.pk])


def _may(request: HttpRequest, *roles: str) -> bool:
    return bool(roles_of(request.user) & {*roles, Role.ADMINISTRATOR})


# --- List, create, edit --------------------------------------------------------------------------


@serves(STAFF, CADRE, AUDITOR)
def distribution_list(request: HttpRequest) -> HttpResponse:
    """List the distributions in scope, with recipients, confirmations and value per row."""
    filterset = selectors.distribution_list(user=request.user, filters=request.GET)
    return render(
        request,
        "activities/distribution_list.html",
        {"filter": filterset, "page_obj": _page(request, filterset.qs, LIST_ROWS)},
    )


def _distribution_form(request, distribution=None):
    partnerships = selectors.partnership_choices(user=request.user)
    activities = selectors.activity_choices(
        user=request.user, partnership=distribution.partnership if distribution else None
    )
    return DistributionForm(
        _posted(request),
        instance=distribution,
        partnerships=partnerships,
        activities=activities,
    )


@serves(STAFF)
def distribution_create(request: HttpRequest) -> HttpResponse:
    """Create a distribution (a draft)."""
    form = _distribution_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            distribution = services.distribution_save(
                actor=request.user, distribution=form.instance
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The distribution was created as a draft."))
            return redirect(_detail_url(distribution))
    return render(request, "activities/distribution_form.html", {"form": form})


@serves(STAFF)
def distribution_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a distribution's details (a closed one cannot change)."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    # The form changes its own copy: a refused save leaves the page's heading as it was.
    form = _distribution_form(request, copy.copy(distribution))
    if request.method == "POST" and form.is_valid():
        try:
            services.distribution_save(actor=request.user, distribution=form.instance)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The distribution was saved."))
            return redirect(_detail_url(distribution))
    return render(
        request,
        "activities/distribution_form.html",
        {"form": form, "distribution": distribution},
    )


# --- The distribution's page and its funding ----------------------------------------------------


def _render_detail(request, distribution, *, allocation_form=None) -> HttpResponse:
    user = request.user
    receipts = selectors.distribution_receipts(
        user=user, distribution=distribution, filters=request.GET
    )
    figures = selectors.distribution_figures(distribution=distribution)
    allocations = selectors.distribution_allocations(user=user, distribution=distribution)
    funded = sum(allocation.net_vnd for allocation in allocations)
    open_ = distribution.status != Distribution.Status.CLOSED
    if allocation_form is None and open_ and _may(request, STAFF):
        allocation_form = AllocationForm(
            donations=selectors.donations_with_balance(user=user, distribution=distribution)
        )
    context = {
        "distribution": distribution,
        "receipts_filter": receipts,
        "page_obj": _page(request, receipts.qs, RECEIPT_ROWS),
        "figures": figures,
        "allocations": allocations,
        "funded_vnd": funded,
        "unfunded_vnd": max(figures.value_vnd - funded, 0),
        # Staff on an open distribution get an empty form; a refused one comes back bound.
        "allocation_form": allocation_form,
        "rounds": selectors.verification_rounds(user=user, distribution=distribution),
        "is_open": open_,
        "returned_vnd": sum(allocation.returned_vnd for allocation in allocations),
        "sees_money": _may(request, STAFF, AUDITOR),
    }
    return render(request, "activities/distribution_detail.html", context)


@serves(STAFF, CADRE, AUDITOR)
def distribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a distribution: details, figures, funding, recipients, verification rounds."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    return _render_detail(request, distribution)


@serves(STAFF)
@require_POST
def distribution_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Fund a distribution with part of a donation of its partnership."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    form = AllocationForm(
        request.POST,
        donations=selectors.donations_with_balance(user=request.user, distribution=distribution),
    )
    if form.is_valid():
        try:
            services.distribution_allocate(
                actor=request.user,
                distribution=distribution,
                donation=form.cleaned_data["donation"],
                amount_vnd=form.cleaned_data["amount_vnd"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The allocation was recorded."))
            return redirect(_detail_url(distribution) + "#funding")
    return _render_detail(request, distribution, allocation_form=form)


@serves(STAFF)
@require_POST
def allocation_remove(request: HttpRequest, pk: int, allocation_pk: int) -> HttpResponse:
    """Give an allocation's money back to its donation (not once the distribution is closed)."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    allocation = get_object_or_404(
        scoped(Allocation.objects.select_related("distribution"), request.user),
        pk=allocation_pk,
        distribution=distribution,
    )
    try:
        services.distribution_allocation_remove(actor=request.user, allocation=allocation)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The allocation was removed."))
    return redirect(_detail_url(distribution) + "#funding")


# --- Workflow ------------------------------------------------------------------------------------


def _transition(request, pk: int, to: str, done: str) -> HttpResponse:
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    try:
        services.distribution_transition(actor=request.user, distribution=distribution, to=to)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect(_detail_url(distribution))


@serves(STAFF)
@require_POST
def distribution_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a draft distribution: its sheet can be printed and receipts confirmed."""
    return _transition(
        request, pk, Distribution.Status.APPROVED, _("The distribution was approved.")
    )


@serves(STAFF)
def distribution_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a distribution in one explicit step: the receipts neither confirmed nor marked are
    listed, each given its reason for not being delivered (or one reason for all the rest), and
    the distribution closes with them; from then on it is read-only."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    if distribution.status == Distribution.Status.CLOSED:
        messages.info(request, _("This distribution is closed already."))
        return redirect(_detail_url(distribution))
    unresolved = selectors.unresolved_receipts(user=request.user, distribution=distribution)
    page = _page(request, unresolved, TICK_ROWS)
    form = CloseForm(_posted(request), receipts=page.object_list)
    if request.method == "POST" and form.is_valid():
        reasons = form.reasons(
            rest=unresolved.values_list("pk", flat=True) if form.cleaned_data["rest_reason"] else []
        )
        try:
            services.distribution_close(
                actor=request.user, distribution=distribution, not_delivered=reasons
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The distribution was closed; it is now read-only."))
            return redirect(_detail_url(distribution))
    return render(
        request,
        "activities/distribution_close.html",
        {
            "distribution": distribution,
            "form": form,
            "page_obj": page,
            "rows": form.rows(),
            "figures": selectors.distribution_figures(distribution=distribution),
        },
    )


# --- Recipients ----------------------------------------------------------------------------------


def _criteria(form: CriteriaForm) -> selectors.Criteria:
    data = form.cleaned_data
    return selectors.Criteria(
        statuses=list(data["statuses"]),
        villages=list(data["villages"]),
        disability=data["disability"],
        poor_housing=data["poor_housing"],
        nothing_this_year=data["nothing_this_year"],
    )


@serves(STAFF)
def distribution_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose recipients by criteria: the form, a preview of who would be added, the adding."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    villages = selectors.commune_villages(distribution=distribution)
    if request.method == "POST":
        form = CriteriaForm(request.POST, villages=villages)
        if form.is_valid():
            # All the matching households: the service skips those listed meanwhile.
            matching = selectors.recipient_matches(
                user=request.user, distribution=distribution, criteria=_criteria(form)
            )
            try:
                result = services.distribution_recipients_add(
                    actor=request.user,
                    distribution=distribution,
                    households_queryset_or_ids=matching,
                    quantity=form.cleaned_data["quantity"],
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(
                    request,
                    _("Households added: %(added)d; already listed: %(skipped)d.")
                    % {"added": result.added, "skipped": result.skipped},
                )
                return redirect(_detail_url(distribution))
    elif "preview" in request.GET:
        form = CriteriaForm(request.GET, villages=villages)
        if form.is_valid():
            to_add, listed = selectors.recipient_candidates(
                user=request.user, distribution=distribution, criteria=_criteria(form)
            )
            page = _page(request, to_add, PREVIEW_ROWS)
            return render(
                request,
                "activities/distribution_recipients_preview.html",
                {
                    "distribution": distribution,
                    "form": form,
                    "page_obj": page,
                    "to_add_count": page.paginator.count,
                    "skipped": list(listed[:SKIPPED_SHOWN]),
                    "skipped_count": listed.count(),
                    "criteria_items": [
                        (name, value)
                        for name, values in request.GET.lists()
                        if name not in {"page", "preview"}
                        for value in values
                    ],
                },
            )
    else:
        form = CriteriaForm(villages=villages)
    return render(
        request,
        "activities/distribution_recipients.html",
        {"distribution": distribution, "form": form},
    )


@serves(STAFF)
def distribution_recipient_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a household by code or name and list it as a recipient."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    search = HouseholdSearchForm(request.GET or None)
    add_form = ReceiptAddForm(_posted(request))
    if request.method == "POST" and add_form.is_valid():
        household = selectors.household_get(
            user=request.user, distribution=distribution, pk=add_form.cleaned_data["household"]
        )
        try:
            services.receipt_add(
                actor=request.user,
                distribution=distribution,
                household=household,
                quantity=add_form.cleaned_data["quantity"],
                note=add_form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_error(add_form, error)
        else:
            messages.success(
                request,
                _("Household %(code)s was added.") % {"code": household.code},
            )
            query = request.GET.urlencode()
            url = reverse("activities:distribution-recipient-add", args=[distribution.pk])
            return redirect(f"{url}?{query}" if query else url)
    found = []
    if search.is_valid():
        found = selectors.household_search(
            user=request.user, distribution=distribution, term=search.cleaned_data["q"]
        )
    return render(
        request,
        "activities/distribution_recipient_add.html",
        {
            "distribution": distribution,
            "search": search,
            "add_form": add_form,
            "found": found,
            "searched": bool(search.is_bound and search.is_valid() and search.cleaned_data["q"]),
        },
    )


@serves(STAFF)
@require_POST
def receipt_remove(request: HttpRequest, code: str) -> HttpResponse:
    """Take an unconfirmed household off a distribution that is not closed."""
    receipt = selectors.receipt_get(user=request.user, code=code)
    try:
        services.receipt_remove(actor=request.user, receipt=receipt)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("activities:receipt-detail", code=receipt.short_code)
    messages.success(
        request,
        _("Household %(code)s was taken off the distribution.") % {"code": receipt.household.code},
    )
    return redirect(_detail_url(receipt.distribution))


# --- The sign-off sheet and confirmation --------------------------------------------------------


@serves(STAFF, CADRE, AUDITOR)
def distribution_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Print the sign-off sheet: A4 pages of SHEET_ROWS lines, a QR code per receipt."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    villages = selectors.commune_villages(distribution=distribution)
    village = None
    if request.GET.get("village", "").isdigit():
        village = villages.filter(pk=request.GET["village"]).first()
    page = _page(
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


@serves(STAFF, CADRE)
def distribution_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm receipts by ticking the signed sheet: one box per unconfirmed receipt."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    form = ConfirmSheetForm(_posted(request), distribution=distribution)
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
            "page_obj": _page(
                request,
                selectors.unconfirmed_receipts(user=request.user, distribution=distribution),
                TICK_ROWS,
            ),
        },
    )


def _render_receipt(request, receipt, *, signature_form=None) -> HttpResponse:
    status_ = receipt.distribution.status
    return render(
        request,
        "activities/receipt_detail.html",
        {
            "receipt": receipt,
            "distribution": receipt.distribution,
            "verifications": selectors.receipt_verifications(receipt=receipt),
            "signature_form": signature_form or SignatureForm(),
            "may_confirm": not receipt.confirmed_at
            and receipt.distribution.accepts_confirmation
            and _may(request, STAFF, CADRE),
            "may_sign": status_ != Distribution.Status.CLOSED and _may(request, STAFF, CADRE),
            "may_remove": not receipt.confirmed_at
            and status_ != Distribution.Status.CLOSED
            and _may(request, STAFF),
        },
    )


@serves(STAFF, CADRE, AUDITOR)
def receipt_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show one receipt (opened from the QR code on the sheet): what, to whom, confirmed by."""
    return _render_receipt(request, selectors.receipt_get(user=request.user, code=code))


@serves(STAFF, CADRE)
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
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The receipt was confirmed."))
    return redirect("activities:receipt-detail", code=receipt.short_code)


@serves(STAFF, CADRE)
@require_POST
def receipt_signature(request: HttpRequest, code: str) -> HttpResponse:
    """Keep a photo of the household's signature on the receipt."""
    receipt = selectors.receipt_get(user=request.user, code=code)
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
    return _render_receipt(request, receipt, signature_form=form)


# --- Verification rounds ------------------------------------------------------------------------


@serves(STAFF)
def verification_round_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a verification round on a closed distribution: draw the receipts to re-check."""
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    form = VerificationRoundForm(_posted(request))
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


@serves(STAFF, CADRE, AUDITOR)
def verification_round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a verification round: its shares, and the sampled receipts to visit."""
    verification_round = selectors.verification_round_get(user=request.user, pk=pk)
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
            "page_obj": _page(request, filterset.qs, RECEIPT_ROWS),
            "may_record": _may(request, STAFF, CADRE),
        },
    )


@serves(STAFF, CADRE)
def verification_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what the visit to a sampled household found."""
    verification = selectors.verification_get(user=request.user, pk=pk)
    initial = {}
    if verification.outcome != verification.Outcome.PENDING:
        initial = {"outcome": verification.outcome, "note": verification.note}
    form = VerificationForm(_posted(request), initial=initial)
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
