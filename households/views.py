"""The household pages: registry, case file, members, reviews and concerns.

Views are thin: they fetch through ``households.selectors`` (scoped: an id outside the user's
communes is 404, like a missing one), bind a form, call a ``households.services`` function and
turn its refusal into form errors.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import attach_error
from households import selectors, services
from households.case_file import build_sections
from households.filters import review_due_before
from households.forms import (
    ConcernFollowUpForm,
    ConcernForm,
    ConcernReopenForm,
    FlagForm,
    HouseholdForm,
    MemberForm,
)
from households.models import Concern
from households.scope import sees_national_ids
from outreach.access import RECORD_READERS, WORKERS, may, serves
from outreach.scope import Role

STAFF = Role.OFFICE_STAFF
GET_POST = require_http_methods(["GET", "POST"])


def _detail(household) -> HttpResponse:
    return redirect("households:household-detail", pk=household.pk)


@serves(*RECORD_READERS)
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    """List the households of the user's communes, with search and filters."""
    filterset, page = selectors.household_page(
        user=request.user, filters=request.GET, number=request.GET.get("page")
    )
    return render(
        request,
        "households/household_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "may_create": may(request.user, STAFF),
            # On a phone the filters other than the search fold away, unless one is in use.
            "filters_open": any(v for k, v in request.GET.items() if k not in ("q", "page")),
        },
    )


@serves(STAFF)
@GET_POST
def household_create(request: HttpRequest) -> HttpResponse:
    """Register a household, after a warning about households that look like the same one."""
    form = HouseholdForm(request.POST or None, user=request.user)
    duplicates = []
    if form.is_bound and form.is_valid():
        duplicates = selectors.duplicate_candidates(
            user=request.user,
            village=form.cleaned_data["village"],
            head_name=form.cleaned_data["head_name"],
        )
        if not duplicates or form.cleaned_data["not_a_duplicate"]:
            try:
                household = services.household_create(actor=request.user, **form.service_fields())
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(
                    request, _("Household %(code)s registered.") % {"code": household.code}
                )
                return _detail(household)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "duplicates": duplicates, "household": None},
    )


@serves(STAFF)
@GET_POST
def household_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a household's own fields (its classification comes from commune decisions)."""
    household = selectors.household_get(user=request.user, pk=pk)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if form.is_bound and form.is_valid():
        changed = form.changed_service_fields()
        try:
            if changed:
                services.household_update(actor=request.user, household=household, **changed)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The household's details were saved."))
            return _detail(household)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "duplicates": [], "household": household},
    )


@serves(STAFF)
@require_POST
def household_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive a household (``archived=1``, the default) or restore it (``archived=0``)."""
    household = selectors.household_get(user=request.user, pk=pk)
    archived = request.POST.get("archived", "1") != "0"
    services.household_archive(actor=request.user, household=household, archived=archived)
    if archived:
        messages.success(request, _("The household was archived; nothing about it is lost."))
    else:
        messages.success(request, _("The household was restored."))
    return _detail(household)


@serves(*WORKERS)
@GET_POST
def household_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a household to be reviewed before its yearly review falls due."""
    household = selectors.household_get(user=request.user, pk=pk)
    form = FlagForm(request.POST or None, initial={"reason": household.flag_reason})
    if form.is_bound and form.is_valid():
        try:
            services.household_flag(
                actor=request.user, household=household, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("A review of this household was asked for."))
            return _detail(household)
    return render(request, "households/household_flag.html", {"form": form, "household": household})


def _case_file(request: HttpRequest, pk: int, *, for_print: bool) -> HttpResponse:
    household, can = selectors.household_detail(user=request.user, pk=pk)
    services.case_file_viewed(actor=request.user, household=household, path=request.path)
    return render(
        request,
        "households/household_print.html" if for_print else "households/household_detail.html",
        {
            "household": household,
            "policy_members": selectors.household_policy_members(
                user=request.user, household=household
            ),
            "sections": build_sections(household=household, user=request.user, for_print=for_print),
            "can": can,
        },
    )


@serves(*RECORD_READERS)
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a household's case file: members, reviews, what it received, its concerns."""
    return _case_file(request, pk, for_print=False)


@serves(*RECORD_READERS)
@require_GET
def household_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the case file on one A4 page, for printing."""
    return _case_file(request, pk, for_print=True)


@serves(STAFF)
@GET_POST
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person to a household."""
    household = selectors.household_get(user=request.user, pk=pk)
    form = MemberForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            member = services.member_add(
                actor=request.user, household=household, **form.service_fields()
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": member.full_name})
            return _detail(household)
    return render(
        request,
        "households/member_form.html",
        {"form": form, "household": household, "member": None},
    )


@serves(*RECORD_READERS)
@GET_POST
def member_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a member's page; office staff change the details there.

    The whole ID number is shown here only, and only to those who may see it
    (``households.scope.sees_national_ids``); cadres and auditors read, they do not change.
    """
    member = selectors.member_get(user=request.user, pk=pk)
    household = member.household
    may_edit = may(request.user, STAFF)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = None
    if may_edit:
        form = MemberForm(request.POST or None, instance=member)
        if form.is_bound and form.is_valid():
            changed = form.changed_service_fields()
            try:
                if changed:
                    services.member_update(actor=request.user, member=member, **changed)
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("The member's details were saved."))
                return _detail(household)
    return render(
        request,
        "households/member_form.html",
        {
            "form": form,
            "household": household,
            "member": member,
            "sees_id": sees_national_ids(request.user),
        },
    )


@serves(*WORKERS)
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """List the households waiting for a review: due, asked for, or with open concerns."""
    filterset, page = selectors.review_queue_page(
        user=request.user, filters=request.GET, number=request.GET.get("page")
    )
    return render(
        request,
        "households/review_queue.html",
        {
            "filter": filterset,
            "page_obj": page,
            "due_before": review_due_before(),
        },
    )


@serves(*WORKERS)
@GET_POST
def concern_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what a family said: a concern, a request, or a change of circumstance."""
    household = selectors.household_get(user=request.user, pk=pk)
    form = ConcernForm(request.POST or None, household=household)
    if form.is_bound and form.is_valid():
        try:
            concern = services.concern_record(
                actor=request.user, household=household, **form.cleaned_data
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            if concern.kind == Concern.Kind.CHANGE:
                messages.success(
                    request,
                    _("The change of circumstance was recorded and a review was asked for."),
                )
            else:
                messages.success(request, _("What the family said was recorded."))
            return _detail(household)
    return render(
        request,
        "households/concern_form.html",
        {"form": form, "household": household, "concern": None},
    )


@serves(*WORKERS)
@GET_POST
def concern_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Update a concern's follow-up; a resolved concern can only be reopened."""
    concern = selectors.concern_get(user=request.user, pk=pk)
    household = concern.household
    resolved = concern.status == Concern.Status.RESOLVED
    data = request.POST or None
    if resolved:
        form = ConcernReopenForm(data, concern=concern)
    else:
        form = ConcernFollowUpForm(data, concern=concern)
    if form.is_bound and form.is_valid():
        if resolved:
            follow_up = {
                "status": form.cleaned_data["status"],
                "handled_by": concern.handled_by,
                "resolution": concern.resolution,
            }
        else:
            follow_up = form.cleaned_data
        try:
            services.concern_update(actor=request.user, concern=concern, **follow_up)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return _detail(household)
    return render(
        request,
        "households/concern_form.html",
        {"form": form, "household": household, "concern": concern},
    )
