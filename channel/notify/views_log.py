"""Pages of the delivery log (office staff, auditors, administrators): the notices sent, one
notice with each channel tried, and the button that tells a distribution's families what they
received (office staff)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from activities.models import Distribution
from activities.views.money import paginate
from channel.notify import log, uses
from core.phones import display_phone
from outreach.access import OFFICE_READERS, serves
from outreach.scope import Role, scoped


@serves(*OFFICE_READERS)
def notice_list(request: HttpRequest) -> HttpResponse:
    """List the notices the reader may see, newest first, by kind, status, channel and date."""
    notices = log.notice_list(user=request.user, filters=request.GET)
    return render(
        request,
        "channel/notices/notice_list.html",
        {"filter": notices, "page_obj": paginate(request, notices.qs, per_page=50)},
    )


@serves(*OFFICE_READERS)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one notice: to whom, its text, and each channel tried (the delivery log)."""
    notice = log.notice_get(user=request.user, pk=pk)
    return render(
        request,
        "channel/notices/notice_detail.html",
        {"notice": notice, "phone": display_phone(notice.phone)},
    )


@serves(Role.OFFICE_STAFF)
@require_POST
def distribution_notify(request: HttpRequest, pk: int) -> HttpResponse:
    """Tell each family of a distribution what it received, by message (once each)."""
    distribution = get_object_or_404(scoped(Distribution.objects.all(), request.user), pk=pk)
    try:
        result = uses.distribution_notify(actor=request.user, distribution=distribution)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        parts = [
            ngettext(
                "%(count)d family will be told by message.",
                "%(count)d families will be told by message.",
                result.queued,
            )
            % {"count": result.queued}
        ]
        if result.already:
            parts.append(
                ngettext(
                    "%(count)d family was told before.",
                    "%(count)d families were told before.",
                    result.already,
                )
                % {"count": result.already}
            )
        if result.no_phone:
            parts.append(
                ngettext(
                    "%(count)d household has no mobile number: add one to its file to tell it.",
                    "%(count)d households have no mobile number: add one to their files to "
                    "tell them.",
                    result.no_phone,
                )
                % {"count": result.no_phone}
            )
        (messages.success if result.queued else messages.info)(request, " ".join(parts))
    return redirect(reverse("activities:distribution-detail", args=[distribution.pk]) + "#messages")
