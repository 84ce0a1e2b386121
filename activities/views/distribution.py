"""The distribution pages: list, create and edit, funding, recipients, approval and closing.

Thin views: reads through activities.selectors.distribution, writes through activities.services,
a service's refusal shown on the form (nothing saved, input kept) or as a message. The sheet,
confirmation and receipt pages are in ``activities.views.receipt``, verification rounds in
``activities.views.verification``.
"""

import copy

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
    CriteriaForm,
    DistributionForm,
    HouseholdSearchForm,
    ReceiptAddForm,
)
from activities.models import Allocation, Distribution
from activities.selectors import distribution as selectors
from activities.selectors.activity import activity_choices
from activities.views.distribution_common import (
    LIST_ROWS,
    PREVIEW_ROWS,
    RECEIPT_ROWS,
    SKIPPED_SHOWN,
    STAFF,
    TICK_ROWS,
    detail_url,
    error_text,
    paged,
    posted,
)
from core.forms import attach_error
from outreach.access import RECORD_READERS, Allowed, serves
from outreach.scope import scoped

# --- List, create, edit --------------------------------------------------------------------------


@serves(*RECORD_READERS)
def distribution_list(request: HttpRequest) -> HttpResponse:
    """List the distributions in scope, with recipients, confirmations and value per row."""
    filterset = selectors.distribution_list(user=request.user, filters=request.GET)
    return render(
        request,
        "activities/distribution_list.html",
        {"filter": filterset, "page_obj": paged(request, filterset.qs, LIST_ROWS)},
    )


def _distribution_form(request, distribution=None):
    partnerships = selectors.partnership_choices(user=request.user)
    activities = activity_choices(
        user=request.user, partnerships=[distribution.partnership] if distribution else None
    )
    return DistributionForm(
        posted(request),
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
            return redirect(detail_url(distribution))
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
            return redirect(detail_url(distribution))
    return render(
        request,
        "activities/distribution_form.html",
        {"form": form, "distribution": distribution},
    )


# --- The distribution's page and its funding ----------------------------------------------------


def _render_detail(request, distribution, can: Allowed, *, allocation_form=None) -> HttpResponse:
    user = request.user
    receipts = selectors.distribution_receipts(
        user=user, distribution=distribution, filters=request.GET
    )
    figures = selectors.distribution_figures(distribution=distribution)
    allocations = selectors.distribution_allocations(user=user, distribution=distribution)
    funded = sum(allocation.net_vnd for allocation in allocations)
    open_ = distribution.status != Distribution.Status.CLOSED
    if allocation_form is None and can.allocate:
        allocation_form = AllocationForm(
            donations=selectors.donations_with_balance(user=user, distribution=distribution)
        )
    context = {
        "distribution": distribution,
        "can": can,
        "receipts_filter": receipts,
        "page_obj": paged(request, receipts.qs, RECEIPT_ROWS),
        "figures": figures,
        "allocations": allocations,
        "funded_vnd": funded,
        # What is to be delivered and not funded: receipts marked not delivered need no money
        # (at close their share went back to the donations).
        "unfunded_vnd": max(figures.value_vnd - figures.not_delivered_value_vnd - funded, 0),
        # Staff on an open distribution get an empty form; a refused one comes back bound.
        "allocation_form": allocation_form,
        "rounds": selectors.verification_rounds(user=user, distribution=distribution),
        "is_open": open_,
        "returned_vnd": sum(allocation.returned_vnd for allocation in allocations),
    }
    return render(request, "activities/distribution_detail.html", context)


@serves(*RECORD_READERS)
def distribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a distribution: details, figures, funding, recipients, verification rounds."""
    distribution, can = selectors.distribution_detail(user=request.user, pk=pk)
    return _render_detail(request, distribution, can)


@serves(STAFF)
@require_POST
def distribution_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Fund a distribution with part of a donation of its partnership."""
    distribution, can = selectors.distribution_detail(user=request.user, pk=pk)
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
            return redirect(detail_url(distribution) + "#funding")
    return _render_detail(request, distribution, can, allocation_form=form)


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
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The allocation was removed."))
    return redirect(detail_url(distribution) + "#funding")


# --- Workflow ------------------------------------------------------------------------------------


def _transition(request, pk: int, to: str, done: str) -> HttpResponse:
    distribution = selectors.distribution_get(user=request.user, pk=pk)
    try:
        services.distribution_transition(actor=request.user, distribution=distribution, to=to)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect(detail_url(distribution))


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
        return redirect(detail_url(distribution))
    unresolved = selectors.unresolved_receipts(user=request.user, distribution=distribution)
    page = paged(request, unresolved, TICK_ROWS)
    form = CloseForm(posted(request), receipts=page.object_list)
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
            return redirect(detail_url(distribution))
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
                return redirect(detail_url(distribution))
    elif "preview" in request.GET:
        form = CriteriaForm(request.GET, villages=villages)
        if form.is_valid():
            to_add, listed = selectors.recipient_candidates(
                user=request.user, distribution=distribution, criteria=_criteria(form)
            )
            page = paged(request, to_add, PREVIEW_ROWS)
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
    add_form = ReceiptAddForm(posted(request))
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
        messages.error(request, error_text(error))
        return redirect("activities:receipt-detail", code=receipt.short_code)
    messages.success(
        request,
        _("Household %(code)s was taken off the distribution.") % {"code": receipt.household.code},
    )
    return redirect(detail_url(receipt.distribution))
