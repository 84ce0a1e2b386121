"""The review campaign's pages: the list of campaigns, the campaign step by step, a form per
step, and the printed minutes and certificates.

Thin views: reads through ``households.selectors_campaign`` (scoped: outside the user's
communes is 404), writes through ``households.services`` (a step out of order is refused there
and shown on the form). Office staff and commune cadres move a campaign on; auditors read.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import attach_error
from households import selectors, services
from households import selectors_campaign as reads
from households.documents import certificate_pdf, meeting_minutes_pdf
from households.forms_campaign import (
    AdhocForm,
    CampaignForm,
    ComplaintForm,
    DecisionForm,
    EntryAddForm,
    MeetingForm,
    MeetingVillageForm,
    PostingForm,
    SettleForm,
)
from households.models import ReviewCampaign
from outreach.access import RECORD_READERS, WORKERS, serves

GET_POST = require_http_methods(["GET", "POST"])
TEMPLATE = "households/campaign/"


def _detail(campaign) -> HttpResponse:
    return redirect("households:campaign-detail", pk=campaign.pk)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _open_campaign(request: HttpRequest, pk: int) -> ReviewCampaign:
    """The campaign ``pk`` for a step's form: 404 outside scope; a closed one has no steps."""
    campaign = reads.campaign_get(user=request.user, pk=pk)
    if campaign.closed:
        raise Http404
    return campaign


def _step(request, form, campaign, *, title: str, call, done: str, extra=None) -> HttpResponse:
    """Show a step's form; on valid input call ``call(form)`` (a service) and go back to the
    campaign, or show the refusal on the form."""
    if form.is_bound and form.is_valid():
        try:
            call(form)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, done)
            return _detail(campaign)
    return render(
        request,
        f"{TEMPLATE}form.html",
        {"form": form, "campaign": campaign, "title": title, **(extra or {})},
    )


@serves(*RECORD_READERS)
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    """List the review campaigns of the user's communes, by commune and year."""
    commune, year = _int(request.GET.get("commune")), _int(request.GET.get("year"))
    page = reads.campaign_page(
        user=request.user, commune=commune, year=year, number=request.GET.get("page")
    )
    return render(
        request,
        f"{TEMPLATE}list.html",
        {"page_obj": page, "year": year, "may_open": reads.campaign_communes(user=request.user)},
    )


@serves(*WORKERS)
@GET_POST
def campaign_create(request: HttpRequest) -> HttpResponse:
    """Open a commune's periodic review for a year: the households to review are listed."""
    communes = reads.campaign_communes(user=request.user)
    form = CampaignForm(request.POST or None, communes=communes)
    if form.is_bound and form.is_valid():
        try:
            campaign = services.campaign_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The review was opened and its list drawn up."))
            return _detail(campaign)
    return render(
        request,
        f"{TEMPLATE}form.html",
        {"form": form, "campaign": None, "title": _("Open a review")},
    )


@serves(*WORKERS)
@GET_POST
def adhoc_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Open an ad-hoc review of one household (a request, a change of circumstance)."""
    household = selectors.household_get(user=request.user, pk=pk)
    form = AdhocForm(request.POST or None)
    if form.is_bound and form.is_valid():
        opened_on = form.cleaned_data["opened_on"]
        try:
            campaign = services.campaign_open(
                actor=request.user,
                commune=household.commune,
                year=opened_on.year,
                opened_on=opened_on,
                kind=ReviewCampaign.Kind.ADHOC,
                household=household,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("An ad-hoc review of this household was opened."))
            return _detail(campaign)
    return render(
        request,
        f"{TEMPLATE}form.html",
        {"form": form, "campaign": None, "household": household, "title": _("Ad-hoc review")},
    )


@serves(*RECORD_READERS)
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a campaign step by step: the list by village with each household's step, the
    meetings, postings, complaints, and the decision or why it cannot be taken yet."""
    campaign = reads.campaign_get(user=request.user, pk=pk)
    villages = reads.campaign_villages(campaign=campaign)
    village = _int(request.GET.get("village"))
    if village is None and villages:
        village = villages[0].village.pk
    steps = reads.campaign_steps(campaign=campaign)
    lists = None
    if steps["decision"] is not None:
        lists = reads.decision_lists(user=request.user, decision=steps["decision"])
    return render(
        request,
        f"{TEMPLATE}detail.html",
        {
            "campaign": campaign,
            "can": reads.campaign_allowed(user=request.user, campaign=campaign),
            "villages": villages,
            "village": village,
            "page_obj": reads.campaign_entries(
                campaign=campaign, village=village, number=request.GET.get("page")
            ),
            "lists": lists,
            **steps,
        },
    )


@serves(*WORKERS)
@GET_POST
def campaign_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a household to the list by hand, with the reason."""
    campaign = _open_campaign(request, pk)
    form = EntryAddForm(request.POST or None)

    def call(form):
        household = reads.campaign_household(campaign=campaign, code=form.cleaned_data["code"])
        if household is None:
            raise ValidationError({"code": _("No household of this commune has this code.")})
        services.campaign_entry_add(
            actor=request.user,
            campaign=campaign,
            household=household,
            reason=form.cleaned_data["reason"],
        )

    return _step(
        request,
        form,
        campaign,
        title=_("Add a household to the list"),
        call=call,
        done=_("The household was added to the list."),
    )


@serves(*WORKERS)
@GET_POST
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a village meeting: choose the village, then the votes for each surveyed
    household of it."""
    campaign = _open_campaign(request, pk)
    villages = reads.campaign_village_choices(campaign=campaign)
    chosen = MeetingVillageForm(request.GET or request.POST or None, villages=villages)
    if not (chosen.is_bound and chosen.is_valid()):
        return render(
            request,
            f"{TEMPLATE}meeting_form.html",
            {"campaign": campaign, "village_form": chosen, "form": None},
        )
    village = chosen.cleaned_data["village"]
    entries = reads.meeting_choices(campaign=campaign, village=village)
    form = MeetingForm(request.POST or None, entries=entries)
    if form.is_bound and form.is_valid():
        try:
            meeting = services.meeting_record(
                actor=request.user, campaign=campaign, village=village, **form.service_fields()
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                _("The meeting was recorded: %(carried)s of %(read)s households carried.")
                % {
                    "carried": meeting.votes.filter(agreed=True).count(),
                    "read": len(form.cleaned_data["votes"]),
                },
            )
            return _detail(campaign)
    return render(
        request,
        f"{TEMPLATE}meeting_form.html",
        {"campaign": campaign, "village": village, "village_form": chosen, "form": form},
    )


@serves(*WORKERS)
@GET_POST
def posting_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the public posting of the results."""
    campaign = _open_campaign(request, pk)
    form = PostingForm(
        request.POST or None, villages=reads.campaign_village_choices(campaign=campaign)
    )
    return _step(
        request,
        form,
        campaign,
        title=_("Post the results"),
        call=lambda form: services.posting_record(
            actor=request.user, campaign=campaign, **form.cleaned_data
        ),
        done=_("The posting was recorded."),
    )


@serves(*WORKERS)
@GET_POST
def complaint_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a complaint about the posted results."""
    campaign = _open_campaign(request, pk)
    form = ComplaintForm(request.POST or None)

    def call(form):
        data = dict(form.cleaned_data)
        code = data.pop("code")
        entry = None
        if code:
            entry = reads.campaign_entry_by_code(campaign=campaign, code=code)
            if entry is None:
                raise ValidationError({"code": _("No household on this list has this code.")})
        services.complaint_record(actor=request.user, campaign=campaign, entry=entry, **data)

    return _step(
        request,
        form,
        campaign,
        title=_("Record a complaint"),
        call=call,
        done=_("The complaint was recorded; settle it before the decision."),
    )


@serves(*WORKERS)
@GET_POST
def complaint_settle(request: HttpRequest, pk: int) -> HttpResponse:
    """Settle a complaint."""
    complaint = reads.complaint_get(user=request.user, pk=pk)
    campaign = complaint.campaign
    if campaign.closed or complaint.settled_on is not None:
        raise Http404
    form = SettleForm(request.POST or None)
    return _step(
        request,
        form,
        campaign,
        title=_("Settle a complaint"),
        call=lambda form: services.complaint_settle(
            actor=request.user, complaint=complaint, **form.cleaned_data
        ),
        done=_("The complaint was settled."),
        extra={"complaint": complaint},
    )


@serves(*WORKERS)
@GET_POST
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the commune's decision: it classifies the households and closes the review.
    The form is disabled, with the reasons, while the decision cannot be taken."""
    campaign = _open_campaign(request, pk)
    blockers = reads.campaign_steps(campaign=campaign)["blockers"]
    form = DecisionForm(request.POST or None, disabled=bool(blockers))
    if form.is_bound and not blockers and form.is_valid():
        try:
            decision = services.decision_record(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                _("Decision %(number)s was recorded; the households' classifications changed.")
                % {"number": decision.number},
            )
            return _detail(campaign)
    return render(
        request,
        f"{TEMPLATE}decision_form.html",
        {"campaign": campaign, "form": form, "blockers": blockers},
    )


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@serves(*RECORD_READERS)
@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve a village meeting's minutes as an A4 PDF."""
    meeting, votes = reads.meeting_get(user=request.user, pk=pk)
    return _pdf(meeting_minutes_pdf(meeting, votes), f"bien-ban-hop-dan-{meeting.pk}.pdf")


@serves(*RECORD_READERS)
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve a household's certificate of the decision's classification as an A4 PDF."""
    review = reads.certificate_get(user=request.user, pk=pk)
    return _pdf(certificate_pdf(review), f"giay-chung-nhan-{review.pk}.pdf")
