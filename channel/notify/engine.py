"""The delivery of one notice: channel after channel, each tried once, logged, within quotas,
and never in the night.

The order is the person's preferred channel, then Zalo's template message (to a phone), Zalo's
OA message (to a follower who wrote lately), SMS brandname, e-mail; a channel that is not set up
or cannot reach the person is left out. A channel that refuses (no approved template, a number
Zalo does not know, the day's quota reached) or is down (Zalo's tokens could not be renewed)
hands over to the next one; one that fails for a while (timeout, server error, HTTP 429) is
tried again later, with backoff, up to ``MAX_TRIES`` times before the next one is tried.

One ``NoticeAttempt`` per notice and channel is the log and the guard: a channel that sent a
notice never sends it again. The notice's row is locked while a channel is tried, so two
workers given the same task do not send it twice; if a worker dies in the middle, nothing of
that try was recorded and the task runs again, with the same tracking id (ZNS) or request id
(eSMS), which the provider uses to drop a duplicate.
"""

import dataclasses
import datetime
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from channel.models import Channel, Notice, NoticeAttempt, QuotaDay, ZaloFollower
from channel.notify import sms, zalo
from channel.notify.errors import Down, Later, Refused

# Tries of one channel that failed for a while before the next channel is tried.
MAX_TRIES = 4
ORDER = (Channel.ZNS, Channel.OA, Channel.SMS, Channel.EMAIL)


@dataclasses.dataclass
class Outcome:
    """What a delivery run came to: ``sent``, ``held``, ``failed``, ``done`` (already), or
    ``retry`` with the error that asks for another try."""

    status: str
    channel: str = ""
    later: Later | None = None


def retry_countdown(later: Later | None, *, tries: int) -> float:
    """Return the seconds before a channel that failed for a while is tried again: what a
    rate limit asked for (at most an hour), else 10 s, 20 s, 40 s… up to 10 minutes."""
    if later is not None and later.retry_after is not None:
        return min(max(later.retry_after, 1.0), 3600.0)
    return float(min(10 * 2 ** max(tries - 1, 0), 600))


def _quiet_hours() -> tuple[datetime.time, datetime.time] | None:
    text = settings.NOTIFY_QUIET_HOURS
    if not text:
        return None
    start, _sep, end = text.partition("-")
    return datetime.time.fromisoformat(start.strip()), datetime.time.fromisoformat(end.strip())


def quiet_until(now: datetime.datetime) -> datetime.datetime | None:
    """Return when the quiet hours (``NOTIFY_QUIET_HOURS``) that ``now`` falls in end, or None
    outside them."""
    hours = _quiet_hours()
    if hours is None:
        return None
    start, end = hours
    local = timezone.localtime(now)
    at = local.time()
    quiet = (start <= at or at < end) if start > end else (start <= at < end)
    if not quiet:
        return None
    morning = local.date() if at < end else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(morning, end))


def follower_for(notice: Notice, now: datetime.datetime) -> str:
    """Return the Zalo user id the OA may write to for ``notice`` (within the window), or ''."""
    if notice.zalo_user_id:
        return notice.zalo_user_id
    followers = ZaloFollower.objects.filter(
        following=True,
        last_message_at__gte=now - datetime.timedelta(days=settings.ZALO_OA_WINDOW_DAYS),
    )
    if notice.user_id:
        followers = followers.filter(user_id=notice.user_id)
    else:
        followers = followers.filter(member__household_id=notice.household_id)
    follower = followers.order_by("-last_message_at").values_list("zalo_user_id", flat=True)
    return follower.first() or ""


def plan(notice: Notice, now: datetime.datetime) -> list[str]:
    """Return the channels to try for ``notice``, in order."""
    zalo_ready = zalo.usable()
    usable = {
        Channel.ZNS: bool(notice.phone) and zalo_ready,
        Channel.OA: zalo_ready and bool(follower_for(notice, now)),
        Channel.SMS: bool(notice.phone) and sms.configured(),
        Channel.EMAIL: bool(notice.email),
    }
    order = list(ORDER)
    if notice.preferred in order:
        order.remove(notice.preferred)
        order.insert(0, notice.preferred)
    return [channel for channel in order if usable[channel]]


def _quota_take(channel: str, today: datetime.date) -> bool:
    """Count one message on ``channel`` today; False if the day's quota is reached."""
    limit = settings.NOTIFY_DAILY_QUOTA.get(channel)
    if limit is None:
        return True
    QuotaDay.objects.get_or_create(channel=channel, day=today)
    # One UPDATE, guarded: two workers at the last free message cannot both take it.
    return bool(
        QuotaDay.objects.filter(channel=channel, day=today, used__lt=limit).update(
            used=F("used") + 1
        )
    )


def _quota_give_back(channel: str, today: datetime.date) -> None:
    if channel in settings.NOTIFY_DAILY_QUOTA:
        QuotaDay.objects.filter(channel=channel, day=today, used__gt=0).update(used=F("used") - 1)


def _send(channel: str, notice: Notice, now: datetime.datetime) -> str:
    """Send ``notice`` by ``channel``; return the provider's message id."""
    if channel == Channel.ZNS:
        return zalo.zns_send(notice)
    if channel == Channel.OA:
        follower = follower_for(notice, now)
        if not follower:
            raise Refused(_("The person has not written to the OA lately."))
        return zalo.oa_send(zalo_user_id=follower, text=notice.text)
    if channel == Channel.SMS:
        return sms.send(
            phone=notice.phone, text=notice.text, request_id=sms.request_id_for(notice.key)
        )
    subject = notice.subject or notice.get_kind_display()
    body = notice.email_body or (
        f"{notice.text}\n\n{notice.link}\n" if notice.link else f"{notice.text}\n"
    )
    try:
        send_mail(" ".join(subject.split()), body, None, [notice.email])
    except (SMTPException, OSError) as error:
        # The mail server away or refusing for now: the same channel is tried again later.
        raise Later(
            _("The mail server could not take the message (%(error)s).")
            % {"error": type(error).__name__}
        ) from error
    return ""


def _finish(notice: Notice, status: str, *, channel: str = "", error: str = "", now=None):
    notice.status = status
    notice.channel = channel
    notice.error = error[:500]
    notice.sent_at = now if status == Notice.Status.SENT else None
    notice.save(update_fields=["status", "channel", "error", "sent_at", "updated_at"])


def _fail(attempt: NoticeAttempt, error: str, now) -> None:
    attempt.status = NoticeAttempt.Status.FAILED
    attempt.error = error[:500]
    attempt.finished_at = now
    attempt.save()


def in_flight_window() -> datetime.timedelta:
    """Return how long a claimed try may take before its worker is taken for dead."""
    return datetime.timedelta(seconds=max(60.0, 3 * settings.NOTIFY_TIMEOUT))


def _claim(notice: Notice, now: datetime.datetime) -> NoticeAttempt | Outcome:
    """Choose the channel to try now and claim it (counted, quota taken); or settle the notice.

    Runs under the notice's row lock, in a short transaction: the provider is called after it
    committed, so that sending on one channel does not hold locks other notices wait for.
    """
    today = timezone.localdate(now)
    for channel in plan(notice, now):
        attempt, _created = NoticeAttempt.objects.get_or_create(
            notice=notice, channel=channel, defaults={"started_at": now}
        )
        if attempt.status == NoticeAttempt.Status.SENT:
            _finish(notice, Notice.Status.SENT, channel=channel, now=attempt.finished_at)
            return Outcome("sent", channel)
        if attempt.status == NoticeAttempt.Status.FAILED:
            continue
        if attempt.claimed_at is not None and attempt.claimed_at > now - in_flight_window():
            # Another worker is sending it right now: look again once it had time to finish.
            return Outcome("retry", channel, later=Later(_("Being sent."), retry_after=30))
        if attempt.tries == 0 and not _quota_take(channel, today):
            _fail(attempt, _("The day's quota for this channel is reached."), now)
            continue
        attempt.tries += 1
        attempt.claimed_at = now
        attempt.save(update_fields=["tries", "claimed_at"])
        return attempt
    failures = [
        f"{attempt.get_channel_display()}: {attempt.error}"
        for attempt in notice.attempts.filter(status=NoticeAttempt.Status.FAILED)
    ]
    _finish(
        notice,
        Notice.Status.FAILED,
        error="; ".join(failures) or _("No channel can reach this person."),
    )
    return Outcome("failed")


def _record(
    attempt_id: int, *, message_id: str | None, error: Exception | None, now
) -> Outcome | None:
    """Record what the provider answered; return the outcome, or None to try the next channel."""
    with transaction.atomic():
        attempt = (
            NoticeAttempt.objects.select_for_update().select_related("notice").get(pk=attempt_id)
        )
        notice = attempt.notice
        attempt.claimed_at = None
        if error is None:
            attempt.status = NoticeAttempt.Status.SENT
            attempt.provider_message_id = (message_id or "")[:100]
            attempt.error = ""
            attempt.finished_at = timezone.now()
            attempt.save()
            _finish(notice, Notice.Status.SENT, channel=attempt.channel, now=attempt.finished_at)
            return Outcome("sent", attempt.channel)
        if isinstance(error, Later) and attempt.tries < MAX_TRIES:
            attempt.error = str(error)[:500]
            attempt.save(update_fields=["error", "claimed_at"])
            notice.not_before = now + datetime.timedelta(
                seconds=retry_countdown(error, tries=attempt.tries)
            )
            notice.save(update_fields=["not_before", "updated_at"])
            return Outcome("retry", attempt.channel, later=error)
        if not isinstance(error, Later):
            _quota_give_back(attempt.channel, timezone.localdate(now))
        _fail(attempt, str(error), now)
        return None


def deliver(notice_id: int, *, now: datetime.datetime | None = None) -> Outcome:
    """Deliver one notice as far as it can go now; return what came of it.

    Each channel in three steps: claim it under the notice's lock, call the provider outside
    any transaction, record the answer; a channel that refused hands over to the next one.
    """
    now = now or timezone.now()
    while True:
        with transaction.atomic():
            notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
            if notice is None or notice.status in (Notice.Status.SENT, Notice.Status.FAILED):
                return Outcome("done", notice.channel if notice else "")
            morning = quiet_until(now) if notice.quiet_hours else None
            if morning is not None:
                notice.status = Notice.Status.HELD
                notice.not_before = morning
                notice.save(update_fields=["status", "not_before", "updated_at"])
                return Outcome("held")
            if notice.status == Notice.Status.HELD:
                notice.status = Notice.Status.QUEUED
                notice.save(update_fields=["status", "updated_at"])
            claimed = _claim(notice, now)
        if isinstance(claimed, Outcome):
            return claimed
        try:
            message_id, error = _send(claimed.channel, notice, now), None
        except (Later, Refused, Down) as failure:
            message_id, error = None, failure
        outcome = _record(claimed.pk, message_id=message_id, error=error, now=now)
        if outcome is not None:
            return outcome


def due_notices(*, now: datetime.datetime, stale_before: datetime.datetime, limit: int) -> list:
    """Return the notices to deliver again: held ones whose morning came, and queued ones
    whose task was lost (broker away, worker killed) or is waiting for another try."""
    held = Notice.objects.filter(status=Notice.Status.HELD, not_before__lte=now)
    stale = Notice.objects.filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now),
        status=Notice.Status.QUEUED,
        updated_at__lt=stale_before,
    )
    ids = list(held.order_by("not_before").values_list("pk", flat=True)[:limit])
    ids += list(stale.order_by("updated_at").values_list("pk", flat=True)[: limit - len(ids)])
    return ids


def send_now(notice: Notice, channel: str, *, template=None) -> str:
    """Send ``notice`` by ``channel`` alone, now, and return the provider's message id; raise
    the channel's ``SendError`` if it did not send (``manage.py notify_test``).

    No quiet hours, no fallback, no retry: the administrator sees at once what the channel
    answers. The try is in the delivery log as any other, within the day's quota (a test costs
    what a message costs). ``template`` is the ZNS template to send through instead of the one
    set for the notice's kind. As in ``deliver``, the provider is called outside any
    transaction, so that the quota's row is not locked while it answers.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    failure = None
    with transaction.atomic():
        attempt, _created = NoticeAttempt.objects.select_for_update().get_or_create(
            notice=notice, channel=channel, defaults={"started_at": now}
        )
        if attempt.status == NoticeAttempt.Status.SENT:
            return attempt.provider_message_id
        if attempt.status == NoticeAttempt.Status.FAILED:
            failure = Refused(attempt.error)
        elif attempt.tries == 0 and not _quota_take(channel, today):
            failure = Refused(_("The day's quota for this channel is reached."))
        else:
            attempt.tries += 1
            attempt.save(update_fields=["tries"])
    if failure is None:
        try:
            if channel == Channel.ZNS and template is not None:
                message_id = zalo.zns_send(notice, template)
            else:
                message_id = _send(channel, notice, now)
        except Later as error:
            failure = error  # the provider may have sent it: the quota stays taken
        except (Refused, Down) as error:
            _quota_give_back(channel, today)
            failure = error
    with transaction.atomic():
        if failure is None:
            attempt.status = NoticeAttempt.Status.SENT
            attempt.provider_message_id = message_id[:100]
            attempt.error = ""
            attempt.finished_at = timezone.now()
            attempt.save()
            _finish(notice, Notice.Status.SENT, channel=channel, now=attempt.finished_at)
            return attempt.provider_message_id
        _fail(attempt, str(failure), timezone.now())
        _finish(notice, Notice.Status.FAILED, error=f"{attempt.get_channel_display()}: {failure}")
    raise failure
