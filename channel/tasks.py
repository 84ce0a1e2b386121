"""Background tasks of the channel: photo processing and the e-mails about new posts.

The e-mails are exactly-once per user and post whatever the retries: each is recorded in a
``Delivery`` row under a unique constraint (channel.background.post_notify), so a second
delivery of the same task, or two workers at once, send nothing twice.
"""

from channel import background
from channel.models import ImageState, PostPhoto, PublicFaultReport
from channel.notify.tasks import (
    inbound_pending,
    inbound_process_task,
    notice_deliver_task,
    notices_due,
)
from core.recovery import pending_since
from core.tasks import IO_ERRORS, house_task

# A mail server or a storage briefly unreachable is worth another try (IO_ERRORS); a picture that
# cannot be decoded is not: the service marks it failed instead of raising.


@house_task(autoretry_for=IO_ERRORS)
def post_notify_task(self, post_id: int, site_url: str = "") -> dict:
    """E-mail a new post to each subscriber who may read it and has not had it yet."""
    sent = background.post_notify(post_id=post_id, site_url=site_url)
    return {"post": post_id, "sent": sent}


@house_task(autoretry_for=IO_ERRORS)
def digest_send_task(self, site_url: str = "") -> dict:
    """E-mail each daily-digest subscriber the posts they have not had yet (run once a day)."""
    sent = background.digest_send(site_url=site_url)
    return {"sent": sent}


@house_task(autoretry_for=IO_ERRORS)
def post_photo_process_task(self, photo_id: int) -> dict:
    """Process one uploaded post photo; one already processed (or removed) is left alone."""
    photo = PostPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return {"photo": photo_id, "state": "missing"}
    photo = background.post_photo_process(actor=None, photo=photo)
    return {"photo": photo_id, "state": photo.state}


@house_task(autoretry_for=IO_ERRORS)
def fault_photo_process_task(self, report_id: int) -> dict:
    """Strip the metadata of the photo sent with a public fault report."""
    report = PublicFaultReport.objects.filter(pk=report_id).first()
    if report is None:
        return {"report": report_id, "state": "missing"}
    report = background.fault_photo_process(actor=None, report=report)
    return {"report": report_id, "state": report.photo_state}


# --- Recoverers (core.recovery): work whose task was lost with the broker or a killed worker --


def posts_unsent(*, stale_before, since, limit: int) -> list:
    """Return the e-mail tasks of the posts that went to none of their subscribers."""
    ids = background.posts_unsent(since=since, before=stale_before, limit=limit)
    return [post_notify_task.si(pk) for pk in ids]


def photos_pending(*, stale_before, since, limit: int) -> list:
    """Return the processing tasks of the post and fault report photos still pending."""
    window = {"stale_before": stale_before, "since": since, "limit": limit}
    posts = pending_since(PostPhoto.objects.filter(state=ImageState.PENDING), **window)
    faults = pending_since(
        PublicFaultReport.objects.filter(photo_state=ImageState.PENDING).exclude(photo=""),
        **window,
    )
    return [
        *(post_photo_process_task.si(pk) for pk in posts),
        *(fault_photo_process_task.si(pk) for pk in faults),
    ]


# The notices' and the inbound messages' tasks live beside their work (channel.notify.tasks),
# so that the notify package never imports this module; named here for autodiscovery.
__all__ = [
    "digest_send_task",
    "fault_photo_process_task",
    "inbound_pending",
    "inbound_process_task",
    "notice_deliver_task",
    "notices_due",
    "photos_pending",
    "post_notify_task",
    "post_photo_process_task",
    "posts_unsent",
]
