"""The money pages: donations, what they were allocated to, grants.

Thin views: selectors read (every object through ``scoped``, so an id outside the user's scope is
404 like a missing one), services write, a service's refusal goes back onto the form.
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities import services
from activities.forms.money import (
    AllocationForm,
    DonationForm,
    GrantAllocationForm,
    GrantForm,
    GrantPaymentForm,
)
from activities.selectors import money as selectors
from core.forms import attach_error
from core.paginator import CappedCountPaginator
from outreach.access import OFFICE_READERS, RECORD_READERS, Allowed, may, serves
from outreach.scope import Role

PAGE_SIZE = 25


def paginate(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    """Cut a list into pages without counting a million rows (CappedCountPaginator)."""
    return CappedCountPaginator(queryset, per_page).get_page(request.GET.get("page"))


# --- Donations ---------------------------------------------------------------------------------


@serves(*OFFICE_READERS)
def donation_list(request: HttpRequest) -> HttpResponse:
    """List donations with what each received, allocated and has left; filter by partner,
    year and kind."""
    donations = selectors.donation_list(user=request.user, filters=request.GET)
    return render(
        request,
        "activities/donation_list.html",
        {"filter": donations, "page_obj": paginate(request, donations.qs)},
    )


@serves(Role.OFFICE_STAFF)
def donation_create(request: HttpRequest) -> HttpResponse:
    """Record money or goods a partner gave to the user's partnership."""
    form = DonationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            donation = services.donation_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The donation was recorded."))
            return redirect("activities:donation-detail", pk=donation.pk)
    return render(request, "activities/donation_form.html", {"form": form})


@serves(Role.OFFICE_STAFF)
def donation_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a donation; its value may not drop below what is already allocated."""
    donation = selectors.donation_get(user=request.user, pk=pk)
    # The form writes the input onto its instance; the page keeps showing the stored donation.
    form = DonationForm(request.POST or None, instance=copy.copy(donation), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.donation_update(actor=request.user, donation=donation, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The donation was saved."))
            return redirect("activities:donation-detail", pk=donation.pk)
    return render(request, "activities/donation_form.html", {"form": form, "donation": donation})


def _donation_page(request: HttpRequest, donation, can: Allowed, form=None) -> HttpResponse:
    if form is None and can.allocate:
        form = AllocationForm(user=request.user, donation=donation)
    return render(
        request,
        "activities/donation_detail.html",
        {
            "donation": donation,
            "can": can,
            "allocations": selectors.donation_allocations(user=request.user, donation=donation),
            "form": form,
        },
    )


@serves(*OFFICE_READERS)
def donation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a donation: received, allocated, remaining, what each allocation paid for."""
    donation, can = selectors.donation_detail(user=request.user, pk=pk)
    return _donation_page(request, donation, can)


@serves(Role.OFFICE_STAFF)
def donation_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign part of a donation to a distribution, an asset or a grant of its partnership."""
    donation, can = selectors.donation_detail(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect(reverse("activities:donation-detail", args=[pk]) + "#allocate")
    form = AllocationForm(request.POST, user=request.user, donation=donation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.donation_allocate(
                actor=request.user,
                donation=donation,
                amount_vnd=data["amount_vnd"],
                allocated_on=data["allocated_on"],
                note=data["note"],
                **form.targets(),
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The allocation was recorded."))
            return redirect("activities:donation-detail", pk=donation.pk)
    return _donation_page(request, donation, can, form)


@serves(Role.OFFICE_STAFF)
@require_http_methods(["GET", "POST"])
def allocation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then give an allocation's money back to its donation."""
    allocation = selectors.allocation_get(user=request.user, pk=pk)
    back = reverse("activities:donation-detail", args=[allocation.donation_id])
    if request.method == "POST":
        try:
            services.allocation_remove(actor=request.user, allocation=allocation)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The allocation was removed."))
        return redirect(back)
    return render(
        request,
        "activities/donation_allocation_remove.html",
        {"allocation": allocation, "back": back},
    )


# --- Grants ------------------------------------------------------------------------------------


@serves(*RECORD_READERS)
def grant_list(request: HttpRequest) -> HttpResponse:
    """List grants (a house for a poor family…), filtered by purpose, village, year."""
    grants = selectors.grant_list(user=request.user, filters=request.GET)
    return render(
        request,
        "activities/grant_list.html",
        {
            "filter": grants,
            "page_obj": paginate(request, grants.qs),
            "sees_money": may(request.user, *OFFICE_READERS),
        },
    )


@serves(Role.OFFICE_STAFF)
def grant_create(request: HttpRequest) -> HttpResponse:
    """Create a grant to a household, found by its code."""
    form = GrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_save(actor=request.user, grant=form.instance)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The grant was saved."))
            return redirect("activities:grant-detail", pk=grant.pk)
    return render(request, "activities/grant_form.html", {"form": form})


@serves(Role.OFFICE_STAFF)
def grant_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a grant's purpose, amount, dates; never below what is allocated to it."""
    grant = selectors.grant_get(user=request.user, pk=pk)
    form = GrantForm(request.POST or None, instance=copy.copy(grant), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_save(actor=request.user, grant=form.instance)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The grant was saved."))
            return redirect("activities:grant-detail", pk=grant.pk)
    return render(request, "activities/grant_form.html", {"form": form, "grant": grant})


def _grant_page(
    request: HttpRequest, grant, can: Allowed, form=None, payment_form=None
) -> HttpResponse:
    if form is None and can.allocate:
        form = GrantAllocationForm(user=request.user, grant=grant)
    if payment_form is None and can.pay:
        payment_form = GrantPaymentForm()
    return render(
        request,
        "activities/grant_detail.html",
        {
            "grant": grant,
            "can": can,
            "allocations": (
                selectors.grant_allocations(user=request.user, grant=grant) if can.see_money else []
            ),
            "form": form,
            "payments": selectors.grant_payments(user=request.user, grant=grant),
            "payment_form": payment_form,
        },
    )


@serves(*RECORD_READERS)
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a grant: the household, what it is for, the money that funds it."""
    grant, can = selectors.grant_detail(user=request.user, pk=pk)
    return _grant_page(request, grant, can)


@serves(Role.OFFICE_STAFF)
def grant_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Fund a grant from one of its partnership's donations."""
    grant, can = selectors.grant_detail(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect(reverse("activities:grant-detail", args=[pk]) + "#allocate")
    form = GrantAllocationForm(request.POST, user=request.user, grant=grant)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.donation_allocate(
                actor=request.user,
                donation=data["donation"],
                amount_vnd=data["amount_vnd"],
                allocated_on=data["allocated_on"],
                note=data["note"],
                grant=grant,
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The allocation was recorded."))
            return redirect("activities:grant-detail", pk=grant.pk)
    return _grant_page(request, grant, can, form)


@serves(Role.OFFICE_STAFF)
@require_POST
def grant_payment(request: HttpRequest, pk: int) -> HttpResponse:
    """Record money of a grant paid out to its household: the grant counts as delivered so far."""
    grant, can = selectors.grant_detail(user=request.user, pk=pk)
    form = GrantPaymentForm(request.POST)
    if form.is_valid():
        try:
            services.grant_payment_record(actor=request.user, grant=grant, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The payment was recorded."))
            return redirect(reverse("activities:grant-detail", args=[grant.pk]) + "#payments")
    return _grant_page(request, grant, can, payment_form=form)
