"""Pages of the messages families send through the Zalo OA.

- the webhook Zalo posts its events to (public: its signature is the proof), which stores the
  event and answers at once; the work is a Celery task (channel.notify.inbound);
- the queue of messages waiting for staff, a message's page where office staff link its sender
  to a household member;
- the answer to a concern, from the concern page's panel (channel.notify.panels_inbound).
"""

import json
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from activities.views.money import paginate
from channel.models import InboundMessage
from channel.notify import inbound, zalo
from core.forms import attach_error
from households.selectors import concern_get
from outreach.access import OFFICE_READERS, public, serves
from outreach.scope import Role

PER_PAGE = 50

# --- Forms -------------------------------------------------------------------------------------


class HouseholdCodeForm(forms.Form):
    """The first step of linking a sender: the code of their household."""

    code = forms.CharField(label=gettext_lazy("Household code"), max_length=32)


class FollowerLinkForm(forms.Form):
    """The second step: which member of the household (or households) with that code."""

    code = forms.CharField(max_length=32, widget=forms.HiddenInput)
    member = forms.TypedChoiceField(
        label=gettext_lazy("Who wrote"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {member.pk: member for member in members}
        self.fields["member"].choices = [(member.pk, member_label(member)) for member in members]

    def clean_member(self):
        return self.members[self.cleaned_data["member"]]


class ConcernAnswerForm(forms.Form):
    """The office's answer to a family, sent back through the OA."""

    text = forms.CharField(
        label=gettext_lazy("Answer"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "It goes to the family on Zalo, with the message's code and the warning that the "
            "office never asks for money."
        ),
    )
    # The same form sent twice (a double tap, a reload) is one answer.
    token = forms.CharField(max_length=40, widget=forms.HiddenInput)

    @classmethod
    def fresh(cls) -> "ConcernAnswerForm":
        return cls(initial={"token": uuid.uuid4().hex})


def member_label(member) -> str:
    household = member.household
    label = _("%(name)s (%(relation)s) · household %(code)s of %(head)s · %(village)s, %(commune)s")
    return label % {
        "name": member.full_name,
        "relation": member.get_relation_display(),
        "code": household.code,
        "head": household.head_name,
        "village": household.village.name,
        "commune": household.commune.name,
    }


# --- The webhook -------------------------------------------------------------------------------


@public
@csrf_exempt
@require_POST
def zalo_webhook(request: HttpRequest) -> HttpResponse:
    """Take an event of the OA from Zalo: check its signature, store it, answer at once."""
    header = request.headers.get("X-ZEvent-Signature", "")
    if not header:
        return HttpResponse(status=401)
    try:
        event = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    if not isinstance(event, dict):
        return HttpResponse(status=400)
    if not zalo.signature_valid(
        raw_body=request.body, timestamp=str(event.get("timestamp", "")), header=header
    ):
        return HttpResponse(status=401)
    inbound.inbound_receive(actor=None, event=event)
    return JsonResponse({"error": 0, "message": "Success"})


# --- Staff pages -------------------------------------------------------------------------------


@serves(*OFFICE_READERS)
def inbound_list(request: HttpRequest) -> HttpResponse:
    """List the messages received on Zalo, those waiting for staff first by default."""
    filters = request.GET if "status" in request.GET else {"status": InboundMessage.Status.QUEUED}
    found = inbound.inbound_queue(user=request.user, filters=filters)
    return render(
        request,
        "channel/inbound/message_list.html",
        {"filter": found, "page_obj": paginate(request, found.qs, per_page=PER_PAGE)},
    )


def _detail_page(
    request: HttpRequest,
    message: InboundMessage,
    others: list,
    can_link: bool,
    link_form: FollowerLinkForm | None = None,
) -> HttpResponse:
    find_form = None
    if can_link:
        code = link_form.data.get("code", "") if link_form is not None else ""
        find_form = HouseholdCodeForm(
            request.GET if "code" in request.GET else None, initial={"code": code}
        )
        if link_form is None and find_form.is_valid():
            code = find_form.cleaned_data["code"]
            members = inbound.members_by_household_code(user=request.user, code=code)
            if members:
                link_form = FollowerLinkForm(initial={"code": code}, members=members)
            else:
                find_form.add_error("code", _("No household with this code in your communes."))
    return render(
        request,
        "channel/inbound/message_detail.html",
        {
            "message": message,
            "others": others,
            "can_link": can_link,
            "find_form": find_form,
            "link_form": link_form,
        },
    )


@serves(*OFFICE_READERS)
def inbound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a message and its sender's others; office staff find the sender's household by
    its code (``?code=``) to link them."""
    message, others, can_link = inbound.inbound_detail(user=request.user, pk=pk)
    return _detail_page(request, message, others, can_link)


@serves(Role.OFFICE_STAFF)
@require_POST
def inbound_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a message's sender to a household member: their waiting messages become
    concerns on the household's file."""
    message, others, can_link = inbound.inbound_detail(user=request.user, pk=pk)
    if not can_link:
        messages.error(request, _("This sender is already linked to a household member."))
        return redirect("channel:inbound-detail", pk=message.pk)
    code = request.POST.get("code", "")
    members = inbound.members_by_household_code(user=request.user, code=code)
    form = FollowerLinkForm(request.POST, members=members)
    if not members:
        form.add_error(None, _("No household with this code in your communes."))
    elif form.is_valid():
        try:
            inbound.follower_link(
                actor=request.user, follower=message.follower, member=form.cleaned_data["member"]
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                _("The sender was linked: their messages are now on the household's file."),
            )
            return redirect("channel:inbound-list")
    return _detail_page(request, message, others, can_link, link_form=form)


@serves(Role.OFFICE_STAFF)
@require_POST
def concern_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the office's answer to a concern back to the family through the OA."""
    concern = concern_get(user=request.user, pk=pk)
    form = ConcernAnswerForm(request.POST)
    if form.is_valid():
        try:
            inbound.concern_answer(
                actor=request.user,
                concern=concern,
                text=form.cleaned_data["text"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The answer is on its way to the family by Zalo."))
            return redirect("households:concern-update", pk=concern.pk)
    return render(request, "channel/inbound/answer_form.html", {"concern": concern, "form": form})
