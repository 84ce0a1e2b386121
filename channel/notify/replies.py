"""What the messages families send to the office's Zalo OA become (the processing task's work).

A text that answers a receipt notice becomes a ``ReceiptCheck`` (and, when the family says it
did not receive, a concern); from a sender linked to a household member, a concern on that
household's file; from anybody else, a message waiting for staff (channel.notify.inbound).
Nothing here queues a task: channel.notify.tasks runs ``inbound_process``.
"""

import dataclasses
import datetime
import re

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from channel.models import (
    InboundMessage,
    Notice,
    NoticeKind,
    ReceiptCheck,
    ZaloFollower,
)
from core.codes import normalise_code
from core.services import actor_or_none, service
from core.text import fold
from households.models import Concern
from households.services import concern_record

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


# --- Processing (the task) ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReceiptReply:
    """What a text says about a receipt notice."""

    received: bool
    code: str  # the notice's code as typed (normalised), or ""


def _answer_word(words: list[str]) -> tuple[bool, int] | None:
    """Return whether ``words`` begin with "received" or "not received", and how many words
    that took; None when they begin with neither."""
    for start in (0, 1):
        if start and words[0] not in _BEFORE:
            break
        for received, phrases in ((True, _RECEIVED), (False, _NOT_RECEIVED)):
            for phrase in phrases:
                if tuple(words[start : start + len(phrase)]) == phrase:
                    return received, start + len(phrase)
    return None


def receipt_reply(text: str) -> ReceiptReply | None:
    """Read ``text`` as an answer to a receipt notice ("CÓ", "KHONG K7Q2M9XA", "Đã nhận rồi",
    "Dạ không nhận được"), or return None when it says something else."""
    words = re.findall(r"[a-z0-9-]+", fold(text))
    found = _answer_word(words) if words else None
    if found is None:
        return None
    received, used = found
    rest = [word for word in words[used:] if word not in _AFTER]
    if not rest:
        return ReceiptReply(received=received, code="")
    code = normalise_code(rest[0])
    if len(rest) > 1 or len(code) not in _CODE_LENGTHS:
        return None  # a sentence that starts with "có" or "không": a message, not an answer
    return ReceiptReply(received=received, code=code)


def _receipt_notices() -> QuerySet:
    return Notice.objects.filter(
        kind=NoticeKind.RECEIPT,
        status=Notice.Status.SENT,
        receipt__isnull=False,
        household__isnull=False,
    ).select_related("receipt__distribution", "household")


def _answered_notice(
    reply: ReceiptReply, follower: ZaloFollower, at: datetime.datetime
) -> Notice | None:
    """Return the receipt notice ``reply`` answers: the one with its code, else the latest
    one sent to the household of the sender's member within RECEIPT_REPLY_WITHIN."""
    if reply.code:
        return _receipt_notices().filter(short_code=reply.code).first()
    if follower.member_id is None:
        return None
    return (
        _receipt_notices()
        .filter(
            household_id=follower.member.household_id,
            sent_at__gte=at - RECEIPT_REPLY_WITHIN,
            # Not a notice sent after the message (a message long queued, linked later).
            sent_at__lte=at + _CLOCK_SLACK,
        )
        .order_by("-sent_at", "-pk")
        .first()
    )


def _raised_on(message: InboundMessage) -> datetime.date:
    # A phone's clock a little ahead must not date a concern tomorrow (refused as future).
    return min(timezone.localdate(message.sent_at), timezone.localdate())


def _not_received_text(notice: Notice, message: InboundMessage) -> str:
    distribution = notice.receipt.distribution
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The family answered by Zalo that it did not receive %(items)s (%(distribution)s, "
            "%(date)s; message %(code)s). The family wrote: %(text)s"
        ) % {
            "items": notice.data.get("items") or distribution.item_description,
            "distribution": distribution.title,
            "date": distribution.distributed_on.strftime("%d/%m/%Y"),
            "code": notice.short_code,
            "text": message.text.strip(),
        }


def _handled(message: InboundMessage, actor, status: str, **changes) -> InboundMessage:
    message.status = status
    for name, value in changes.items():
        setattr(message, name, value)
    message.handled_by = actor_or_none(actor)
    message.handled_at = timezone.now()
    message.full_clean(validate_unique=False, validate_constraints=False)
    message.save(update_fields=["status", *changes, "handled_by", "handled_at", "updated_at"])
    return message


def _text_handle(message: InboundMessage, follower: ZaloFollower, actor) -> InboundMessage:
    """Make a text from ``follower`` a receipt reply, a concern, or leave it for staff."""
    reply = receipt_reply(message.text)
    notice = _answered_notice(reply, follower, message.sent_at) if reply else None
    if notice is not None:
        outcome = (
            ReceiptCheck.Outcome.RECEIVED if reply.received else ReceiptCheck.Outcome.NOT_RECEIVED
        )
        check = ReceiptCheck(
            receipt=notice.receipt, notice=notice, message=message, outcome=outcome
        )
        check.full_clean()
        check.save()
        concern = None
        if not reply.received:
            # A disputed receipt is a problem someone must follow up, on the household's file.
            concern = concern_record(
                actor=actor,
                household=notice.household,
                kind=Concern.Kind.CONCERN,
                raised_on=_raised_on(message),
                text=_not_received_text(notice, message),
            )
        return _handled(
            message,
            actor,
            Status.RECEIPT_REPLY,
            notice=notice,
            household=notice.household,
            concern=concern,
        )
    if follower.member_id is not None:
        household = follower.member.household
        concern = concern_record(
            actor=actor,
            household=household,
            kind=Concern.Kind.CONCERN,
            raised_on=_raised_on(message),
            text=message.text,
        )
        return _handled(message, actor, Status.CONCERN, household=household, concern=concern)
    message.status = Status.QUEUED
    message.save(update_fields=["status", "updated_at"])
    return message


@service
def inbound_process(*, actor=None, message: InboundMessage) -> InboundMessage:
    """Act on a stored event: note the sender (a ZaloFollower), then make a text a receipt
    reply, a concern, or a message waiting for staff. A message already processed is left
    alone, so a task run twice does nothing the second time."""
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != Status.NEW:
        return message
    if not message.sender_id:
        return _handled(message, actor, Status.IGNORED)
    follower, _created = ZaloFollower.objects.select_for_update().get_or_create(
        zalo_user_id=message.sender_id
    )
    changed = []
    if follower.last_message_at is None or follower.last_message_at < message.sent_at:
        follower.last_message_at = message.sent_at
        changed.append("last_message_at")
    if message.event_name in (FOLLOW, UNFOLLOW):
        following = message.event_name == FOLLOW
        # An older event arriving late does not undo a newer one.
        if "last_message_at" in changed and follower.following != following:
            follower.following = following
            changed.append("following")
    if changed:
        follower.save(update_fields=[*changed, "updated_at"])
    message.follower = follower
    message.save(update_fields=["follower", "updated_at"])
    if message.event_name != TEXT or not message.text.strip():
        return _handled(message, actor, Status.IGNORED)
    follower = ZaloFollower.objects.select_related("member").get(pk=follower.pk)
    return _text_handle(message, follower, actor)


def inbound_unprocessed(*, before: datetime.datetime, since: datetime.datetime, limit: int):
    """Return the ids of the messages still new, stored between ``since`` and ``before``."""
    from core.recovery import pending_since

    return pending_since(
        InboundMessage.objects.filter(status=Status.NEW),
        stale_before=before,
        since=since,
        limit=limit,
    )
