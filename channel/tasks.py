"""Background tasks of the channel: photo processing and the e-mails about new posts.

The e-mails are exactly-once per user and post whatever the retries: each is recorded in a
``Delivery`` row under a unique constraint (channel.background.post_notify), so a second
delivery of the same task, or two workers at once, send nothing twice.
"""

from channel import background
from channel.models import PostPhoto, PublicFaultReport
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
