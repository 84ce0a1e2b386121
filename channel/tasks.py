"""Background tasks of the channel: photo processing and the e-mails about new posts.

The e-mails are exactly-once per user and post whatever the retries: each is recorded in a
``Delivery`` row under a unique constraint (channel.services.post_notify), so a second delivery
of the same task, or two workers at once, send nothing twice.
"""

import smtplib

from celery import shared_task

from channel import services
from channel.models import PostPhoto, PublicFaultReport

# A mail server or a storage briefly unreachable is worth another try; a picture that cannot be
# decoded is not: the service marks it failed instead of raising.
_RETRY_DELAYS = (10, 60, 300)
_TRANSIENT = (OSError, smtplib.SMTPException)


def _retry(task, error):
    delay = _RETRY_DELAYS[min(task.request.retries, len(_RETRY_DELAYS) - 1)]
    raise task.retry(exc=error, countdown=delay) from error


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=len(_RETRY_DELAYS))
def post_notify_task(self, post_id: int, site_url: str = "") -> dict:
    """E-mail a new post to each subscriber who may read it and has not had it yet."""
    try:
        sent = services.post_notify(post_id=post_id, site_url=site_url)
    except _TRANSIENT as error:
        _retry(self, error)
    return {"post": post_id, "sent": sent}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=len(_RETRY_DELAYS))
def digest_send_task(self, site_url: str = "") -> dict:
    """E-mail each daily-digest subscriber the posts they have not had yet (run once a day)."""
    try:
        sent = services.digest_send(site_url=site_url)
    except _TRANSIENT as error:
        _retry(self, error)
    return {"sent": sent}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=len(_RETRY_DELAYS))
def post_photo_process_task(self, photo_id: int) -> dict:
    """Process one uploaded post photo; one already processed (or removed) is left alone."""
    photo = PostPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return {"photo": photo_id, "state": "missing"}
    try:
        photo = services.post_photo_process(actor=None, photo=photo)
    except OSError as error:
        _retry(self, error)
    return {"photo": photo_id, "state": photo.state}


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=len(_RETRY_DELAYS))
def fault_photo_process_task(self, report_id: int) -> dict:
    """Strip the metadata of the photo sent with a public fault report."""
    report = PublicFaultReport.objects.filter(pk=report_id).first()
    if report is None:
        return {"report": report_id, "state": "missing"}
    try:
        report = services.fault_photo_process(actor=None, report=report)
    except OSError as error:
        _retry(self, error)
    return {"report": report_id, "state": report.photo_state}
