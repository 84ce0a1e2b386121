"""Pages of the connection channel.

Working pages (logged in): the feed of posts, a post, posting (office staff), one's e-mail
subscription, the queue of faults reported by the public. Public pages (no login): a post marked
public, the "verify it's us" page, and the fault report page an asset's QR label opens. The public
pages are rate-limited per client (channel.ratelimit) and show nothing about a person.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities.models import Asset
from activities.views.money import paginate
from channel import ratelimit, selectors, services
from channel.forms import (
    FaultHandleForm,
    FaultReportForm,
    PostForm,
    SubscriptionForm,
    VerifyForm,
)
from channel.models import ImageState, NotifyPreference, PublicFaultReport, Subscription
from channel.notify import log as notice_log
from core.forms import attach_error
from outreach.access import OFFICE_READERS, public, serves
from outreach.scope import Role

READERS = (Role.OFFICE_STAFF, Role.COMMUNE_CADRE, Role.DONOR, Role.AUDITOR)
GET_POST = require_http_methods(["GET", "POST"])


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _too_many(request: HttpRequest) -> HttpResponse:
    # A worried family locked out after many wrong codes still gets the office's number.
    response = render(
        request,
        "channel/rate_limited.html",
        {"profile": selectors.site_profile_get()},
        status=429,
    )
    response["Retry-After"] = str(ratelimit.LOOKUP_MISSES.seconds)
    add_never_cache_headers(response)
    return response


# --- The bulletin ------------------------------------------------------------------------------


@serves(*READERS)
def post_list(request: HttpRequest) -> HttpResponse:
    """Show the posts meant for the reader, newest first."""
    posts = selectors.post_list(user=request.user, filters=request.GET)
    return render(
        request,
        "channel/post_list.html",
        {"filter": posts, "page_obj": paginate(request, posts.qs, per_page=20)},
    )


@serves(Role.OFFICE_STAFF)
@GET_POST
def post_create(request: HttpRequest) -> HttpResponse:
    """Post an update, with photos, for the partnership, one village or one donor."""
    form = PostForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_publish(
                actor=request.user,
                post=form.instance,
                photos=data["photos"],
                photo_caption=data["photo_caption"],
                photo_consent=data["photo_consent"],
                site_url=_site_url(request),
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The update was posted."))
            return redirect("channel:post-detail", pk=post.pk)
    return render(request, "channel/post_form.html", {"form": form})


@serves(*READERS)
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a post with the photos the reader may see."""
    post = selectors.post_get(user=request.user, pk=pk)
    return render(
        request,
        "channel/post_detail.html",
        {"post": post, "pending_photos": selectors.pending_photo_count(post=post)},
    )


@public
def post_public(request: HttpRequest, code: str) -> HttpResponse:
    """Show a post marked public to anyone with its link: text, date, consented photos."""
    post = selectors.public_post_get(code=code)
    return render(request, "channel/post_public.html", {"post": post})


@public
def post_photo(request: HttpRequest, pk: int, size: str) -> HttpResponse:
    """Serve a post photo (``display`` or ``thumb``) to whoever may see it."""
    if size not in {"display", "thumb"}:
        raise Http404
    photo = selectors.photo_for(user=request.user, pk=pk)
    field = photo.display if size == "display" else photo.thumbnail
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"))
    if photo.post.is_public and photo.consent_to_publish:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, max_age=3600)
    return response


@serves(*READERS)
@GET_POST
def subscription(request: HttpRequest) -> HttpResponse:
    """Choose whether, and how often, to be told of new posts, on which number and how; see
    the messages the office sent you."""
    current = Subscription.objects.filter(user=request.user).first()
    preference = NotifyPreference.objects.filter(user=request.user).first()
    initial = {
        "frequency": current.frequency if current else SubscriptionForm.OFF,
        "phone": preference.phone if preference else "",
        "channel": preference.channel if preference else "",
    }
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscription_choose(
                actor=request.user,
                user=request.user,
                frequency=None if data["frequency"] == SubscriptionForm.OFF else data["frequency"],
                phone=data["phone"],
                channel=data["channel"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Your choice was saved."))
            return redirect("channel:post-list")
    return render(
        request,
        "channel/subscription_form.html",
        {"form": form, "notices": notice_log.own_notices(user=request.user)},
    )


# --- Verify it's us ----------------------------------------------------------------------------


@public
def verify(request: HttpRequest) -> HttpResponse:
    """Check a printed code, and say how to recognise the office (``?code=``).

    An unknown code answers 200 with "not found", like any other; a client that guessed too many
    unknown codes gets 429 for a while, so the codes cannot be enumerated.
    """
    checked, result = "code" in request.GET, None
    form = VerifyForm(request.GET if checked else None)
    if checked:
        if ratelimit.exceeded(ratelimit.LOOKUP_MISSES, request):
            return _too_many(request)
        if form.is_valid():
            result = selectors.verify_code(form.cleaned_data["code"])
        if result is None:
            ratelimit.hit(ratelimit.LOOKUP_MISSES, request)
    response = render(
        request,
        "channel/verify.html",
        {
            "form": form,
            "checked": checked,
            "result": result,
            "campaigns": selectors.active_campaigns(today=timezone.localdate()),
            "contacts": selectors.official_contacts(),
            # On every answer, the empty form included: how to reach the office for real.
            "profile": selectors.site_profile_get(),
        },
    )
    add_never_cache_headers(response)
    return response


# --- Faults reported by the public -------------------------------------------------------------


@public
@GET_POST
def asset_report(request: HttpRequest, code: str) -> HttpResponse:
    """Let anyone who scanned an asset's label report it broken (what, a photo, a phone)."""
    if ratelimit.exceeded(ratelimit.LOOKUP_MISSES, request):
        return _too_many(request)
    asset = selectors.public_asset_get(code=code)
    if asset is None:
        ratelimit.hit(ratelimit.LOOKUP_MISSES, request)
        raise Http404(_("No asset carries this code."))
    form = FaultReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if ratelimit.exceeded(ratelimit.FAULT_REPORTS, request):
            return _too_many(request)
        if form.is_valid():
            ratelimit.hit(ratelimit.FAULT_REPORTS, request)
            try:
                services.fault_report_submit(actor=request.user, asset=asset, **form.cleaned_data)
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(
                    request, _("Thank you: the office was told and will check the asset.")
                )
                return redirect("channel:asset-report", code=asset.short_code)
    response = render(
        request,
        "channel/asset_report.html",
        {"asset": asset, "form": form, "removed": asset.status == Asset.Status.REMOVED},
    )
    add_never_cache_headers(response)
    return response


@serves(*OFFICE_READERS)
def fault_report_list(request: HttpRequest) -> HttpResponse:
    """List the faults reported by the public, those still to check first by default."""
    filters = request.GET if "status" in request.GET else {"status": PublicFaultReport.Status.NEW}
    reports = selectors.fault_report_list(user=request.user, filters=filters)
    return render(
        request,
        "channel/fault_report_list.html",
        {"filter": reports, "page_obj": paginate(request, reports.qs, per_page=50)},
    )


@serves(*OFFICE_READERS)
def fault_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a public fault report, with the form to confirm or dismiss it (office staff)."""
    report, can = selectors.fault_report_detail(user=request.user, pk=pk)
    return render(
        request,
        "channel/fault_report_detail.html",
        {"report": report, "can": can, "form": FaultHandleForm() if can.handle else None},
    )


@serves(Role.OFFICE_STAFF)
@require_POST
def fault_report_handle(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a public fault report (the asset becomes faulty) or dismiss it."""
    report = selectors.fault_report_get(user=request.user, pk=pk)
    form = FaultHandleForm(request.POST)
    if form.is_valid():
        handle = (
            services.fault_report_confirm
            if form.cleaned_data["decision"] == FaultHandleForm.CONFIRM
            else services.fault_report_dismiss
        )
        try:
            handle(actor=request.user, report=report, note=form.cleaned_data["note"])
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The report was handled."))
            return redirect("channel:fault-report-list")
    return render(request, "channel/fault_report_detail.html", {"report": report, "form": form})


@serves(*OFFICE_READERS)
def fault_report_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve the photo sent with a public fault report (once its metadata is stripped)."""
    report = selectors.fault_report_get(user=request.user, pk=pk)
    if not report.photo or report.photo_state != ImageState.READY:
        raise Http404
    response = FileResponse(report.photo.open("rb"))
    patch_cache_control(response, private=True, max_age=3600)
    return response
