"""Background tasks of the notices: the delivery of one notice (channel.notify.engine) and the
processing of one message from the OA's webhook (channel.notify.replies), with their recoverers.

Beside their work and apart from the services that queue them (channel.notify.service,
channel.notify.inbound): these import only the work, never the services, so no cycle.
"""

import datetime

from django.utils import timezone

from channel.models import InboundMessage
from channel.notify import engine, replies
from core.tasks import house_task

# --- Notices (channel.notify) ------------------------------------------------------------------


@house_task(max_retries=engine.MAX_TRIES + 2)
def notice_deliver_task(self, notice_id: int) -> dict:
    """Deliver one notice by the first channel that takes it (channel.notify.engine)."""
    outcome = engine.deliver(notice_id)
    # In-process (the demo, no broker) nothing could run a retry later: try again now; the
    # engine's count of tries ends it.
    while outcome.status == "retry" and self.request.is_eager:
        outcome = engine.deliver(notice_id)
    if outcome.status == "retry":
        raise self.retry(
            countdown=engine.retry_countdown(outcome.later, tries=self.request.retries + 1),
            exc=outcome.later,
        )
    return {"notice": notice_id, "status": outcome.status, "channel": outcome.channel}


def notices_due(*, stale_before, since, limit: int) -> list:
    """Return the delivery tasks of the notices held for the morning whose time came, and of
    those whose task was lost (core.recovery runs this every minute)."""
    ids = engine.due_notices(now=timezone.now(), stale_before=stale_before, limit=limit)
    return [notice_deliver_task.si(pk) for pk in ids]


# --- Messages from families (channel.notify.inbound) -------------------------------------------

# A message still new this long after it came is one whose task was lost.
INBOUND_STALE_AFTER = datetime.timedelta(minutes=1)


@house_task()
def inbound_process_task(self, message_id: int) -> dict:
    """Act on one message the OA's webhook stored; one already processed is left alone."""
    message = InboundMessage.objects.filter(pk=message_id).first()
    if message is None:
        return {"message": message_id, "status": "missing"}
    message = replies.inbound_process(actor=None, message=message)
    return {"message": message_id, "status": message.status}


def inbound_pending(*, stale_before, since, limit: int) -> list:
    """Return the processing tasks of the messages still new a minute after they came (their
    task was lost with the broker or a killed worker)."""
    before = max(stale_before, timezone.now() - INBOUND_STALE_AFTER)
    ids = replies.inbound_unprocessed(before=before, since=since, limit=limit)
    return [inbound_process_task.si(pk) for pk in ids]
