"""Messages families send to the office's Zalo OA, and what becomes of them.

The webhook (channel.notify.views_inbound) only checks the signature and stores the event
(``inbound_receive``); the work is a Celery task (``inbound_process``), so Zalo gets its answer
at once. A message id seen before is stored once and processed once (the unique constraint on
``InboundMessage``, and the status guard of ``inbound_process``).

What a text becomes:

- an answer to a receipt notice ("CO", "KHONG", "DA NHAN", "CHUA NHAN", with or without the
  notice's code): a ``ReceiptCheck`` on the receipt; "not received" also opens a concern on the
  household, so that staff see the problem;
- from a sender linked to a household member: a concern on that household's file;
- from anybody else: it waits in the queue, where office staff link the sender to a member
  (``follower_link``), which turns the waiting messages into concerns.

Staff answer from the concern page (``concern_answer``): the answer goes back through the OA.
"""

import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from channel.filters import _helper as filter_helper
from channel.models import (
    InboundMessage,
    Notice,
    NoticeKind,
    ZaloFollower,
)
from channel.notify import tasks
from channel.notify.replies import _text_handle, inbound_process, receipt_reply  # noqa: F401
from core.filters import FilterSet
from core.services import actor_or_none, service
from households.models import Concern, Household, Member
from outreach.access import may
from outreach.scope import Role, require_in_scope, scoped

Status = InboundMessage.Status
PROVIDER = "zalo"
# The Zalo events this office acts on; any other (a sticker, a photo, a reaction) is kept and
# marked ignored.
TEXT = "user_send_text"
FOLLOW = "follow"
UNFOLLOW = "unfollow"
HANDLED_EVENTS = frozenset({TEXT, FOLLOW, UNFOLLOW})
# A reply without a code answers the household's latest receipt notice sent within this time.
RECEIPT_REPLY_WITHIN = datetime.timedelta(days=30)
# Zalo's clock and ours may differ a little.
_CLOCK_SLACK = datetime.timedelta(minutes=5)
# What a family writes back (folded: no case, no diacritics), as words, and what it means.
_RECEIVED = (("da", "nhan"), ("co",))
_NOT_RECEIVED = (("chua", "nhan"), ("khong",))
# Courtesy around the answer ("Dạ có ạ", "Không nhận được", "Đã nhận rồi nhé").
_BEFORE = frozenset({"da", "vang", "thua"})
# Not "oi": "Cô ơi" (calling someone) folds as "co oi".
_AFTER = frozenset({"a", "ah", "ak", "nhe", "nha", "roi", "nhan", "duoc", "em", "anh", "chi"})
# A notice's code is 8 characters (core.codes); a shorter or longer word is not one.
_CODE_LENGTHS = range(4, 13)


# --- Receiving (the webhook) -------------------------------------------------------------------


def _sender(event: dict) -> str:
    """Return the Zalo user id the event comes from (a follow event names its follower)."""
    for key in ("sender", "follower", "user"):
        value = event.get(key)
        if isinstance(value, dict) and value.get("id"):
            return str(value["id"])[:40]
    return ""


def _event_time(event: dict) -> datetime.datetime:
    """Return the event's time (Zalo gives milliseconds since the epoch), or now."""
    try:
        millis = int(str(event.get("timestamp", "")))
        return datetime.datetime.fromtimestamp(millis / 1000, tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def message_id_of(event: dict) -> str:
    """Return the provider's id of the event: its message's ``msg_id``, or for an event
    without a message (follow, unfollow) one made of what identifies it, the same every time
    Zalo sends the event again."""
    message = event.get("message")
    if isinstance(message, dict) and message.get("msg_id"):
        return str(message["msg_id"])[:100]
    name = str(event.get("event_name", ""))
    return f"{name}:{_sender(event)}:{event.get('timestamp', '')}"[:100]


@service
def inbound_receive(*, actor=None, event: dict) -> tuple[InboundMessage, bool]:
    """Store an event from the OA's webhook and queue its processing; return the message and
    whether it is new. An event already stored (Zalo sends again what it thinks was lost) is
    left as it is, and nothing is queued again."""
    name = str(event.get("event_name", ""))[:60]
    message = event.get("message")
    text = str(message.get("text", "")) if isinstance(message, dict) else ""
    inbound = InboundMessage(
        provider=PROVIDER,
        message_id=message_id_of(event),
        event_name=name,
        sender_id=_sender(event),
        text=text,
        sent_at=_event_time(event),
        event=event,
        status=Status.NEW if name in HANDLED_EVENTS else Status.IGNORED,
    )
    inbound.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            inbound.save()
    except IntegrityError:
        existing = InboundMessage.objects.filter(
            provider=PROVIDER, message_id=inbound.message_id
        ).first()
        if existing is None:
            raise
        return existing, False
    if inbound.status == Status.NEW:
        message_pk = inbound.pk
        transaction.on_commit(lambda: tasks.inbound_process_task.delay(message_pk))
    return inbound, True


# --- Staff: linking a sender, answering -------------------------------------------------------


def _require_staff(actor) -> None:
    if not may(actor, Role.OFFICE_STAFF):
        raise ValidationError(_("Only office staff may do this."))


@service
def follower_link(*, actor, follower: ZaloFollower, member: Member) -> ZaloFollower:
    """Link a Zalo sender to the household member they are, and make the messages they left
    waiting concerns on the household's file (or receipt replies, when they are ones)."""
    _require_staff(actor)
    require_in_scope(actor, follower, member=member, household=member.household)
    follower = ZaloFollower.objects.select_for_update().get(pk=follower.pk)
    if follower.member_id is not None and follower.member_id != member.pk:
        raise ValidationError(
            _("This sender is already linked to another member; nothing was changed.")
        )
    if member.household.archived:
        raise ValidationError(_("This household is archived: link the sender to a current one."))
    follower.member = member
    follower.linked_by = actor_or_none(actor)
    follower.linked_at = timezone.now()
    follower.full_clean()
    follower.save(update_fields=["member", "linked_by", "linked_at", "updated_at"])
    follower = ZaloFollower.objects.select_related("member__household").get(pk=follower.pk)
    waiting = (
        InboundMessage.objects.select_for_update()
        .filter(follower=follower, status=Status.QUEUED)
        .order_by("sent_at", "pk")
    )
    for message in waiting:
        _text_handle(message, follower, actor)
    return follower


def answer_recipient(concern: Concern) -> ZaloFollower | None:
    """Return the follower an answer to ``concern`` goes to: who wrote about it last."""
    message = (
        InboundMessage.objects.filter(concern=concern, follower__isnull=False)
        .select_related("follower")
        .order_by("-sent_at", "-pk")
        .first()
    )
    return message.follower if message else None


@service
def concern_answer(*, actor, concern: Concern, text: str, token: str) -> Notice:
    """Send the office's answer to a concern back through the OA, to whom wrote about it.

    ``token`` comes with the form: the same form sent twice (a double tap, a reload) is one
    answer, sent once.
    """
    _require_staff(actor)
    require_in_scope(actor, concern)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the answer.")})
    follower = answer_recipient(concern)
    if follower is None:
        raise ValidationError(
            _("Nobody wrote about this concern on Zalo: there is no one to answer.")
        )
    from channel.notify.service import notice_send

    return notice_send(
        actor=actor,
        kind=NoticeKind.ANSWER,
        key=f"answer:{concern.pk}:{token}",
        household=concern.household,
        concern=concern,
        zalo_user_id=follower.zalo_user_id,
        preferred="oa",
        data={"answer": text},
    )


# --- Selectors ---------------------------------------------------------------------------------


class InboundFilter(FilterSet):
    """Where a message stands (the queue shows those waiting for staff)."""

    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=_lazy("Status"), empty_label=_lazy("All statuses")
    )

    class Meta:
        model = InboundMessage
        fields = ["status"]

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = filter_helper("status")
        return form


def inbound_queue(*, user, filters) -> InboundFilter:
    """Filter the messages ``user`` may see (by status), newest first, with their sender."""
    messages = (
        scoped(InboundMessage.objects.all(), user)
        .select_related("follower__member", "household", "concern")
        .order_by("-sent_at", "-pk")
    )
    return InboundFilter(filters or None, queryset=messages)


def inbound_get(*, user, pk: int) -> InboundMessage:
    """Return the message ``pk`` if ``user`` may see it (or 404)."""
    messages = scoped(InboundMessage.objects.all(), user).select_related(
        "follower__member__household", "household", "concern", "notice"
    )
    return get_object_or_404(messages, pk=pk)


def inbound_detail(*, user, pk: int) -> tuple[InboundMessage, list[InboundMessage], bool]:
    """Return the message ``pk`` (as ``inbound_get``), the sender's other recent messages, and
    whether ``user`` may link the sender to a member (office staff, while unlinked)."""
    message = inbound_get(user=user, pk=pk)
    others = []
    if message.follower_id is not None:
        others = list(
            scoped(InboundMessage.objects.filter(follower_id=message.follower_id), user)
            .exclude(pk=message.pk)
            .exclude(text="")
            .order_by("-sent_at", "-pk")[:20]
        )
    can_link = (
        message.follower_id is not None
        and message.follower.member_id is None
        and may(user, Role.OFFICE_STAFF)
    )
    return message, others, can_link


def members_by_household_code(*, user, code: str) -> list[Member]:
    """Return the members of the households whose code is ``code`` in ``user``'s communes (a
    code is unique in one commune only), the heads first."""
    code = (code or "").strip()
    if not code:
        return []
    households = scoped(Household.objects.filter(archived=False), user).filter(code__iexact=code)
    members = list(
        scoped(Member.objects.filter(household__in=households), user)
        .select_related("household__village", "household__commune")
        .order_by("household__commune_id", "household_id", "pk")
    )
    members.sort(key=lambda m: (m.household_id, m.relation != Member.Relation.HEAD))
    return members


def concern_messages(*, concern: Concern) -> tuple[list[InboundMessage], list[Notice]]:
    """Return the Zalo messages recorded on ``concern`` and the answers sent to it (none
    without a message: an answer goes to who wrote). One query, two with messages."""
    messages = list(
        InboundMessage.objects.filter(concern=concern)
        .select_related("follower")
        .order_by("sent_at", "pk")
    )
    if not messages:
        return [], []
    answers = list(
        Notice.objects.filter(concern=concern, kind=NoticeKind.ANSWER).order_by("created_at", "pk")
    )
    return messages, answers
