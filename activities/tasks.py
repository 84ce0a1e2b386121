"""Background tasks of activities: photo processing (see activities.images), asset reminders
and the donors' weekly digest (activities.reminders)."""

from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from activities import reminders
from activities.models import Photo
from activities.services.activity import photo_process

# A storage that is briefly unreachable (a network share) is worth another try; a picture that
# cannot be decoded is not: the service marks it failed instead of raising.
_RETRY_DELAYS = (10, 60, 300)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=len(_RETRY_DELAYS))
def photo_process_task(self, photo_id: int) -> dict:
    """Process one uploaded photo; a photo already processed (or removed) is left alone."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return {"photo": photo_id, "state": "missing"}
    if photo.state == Photo.State.READY:
        return {"photo": photo_id, "state": photo.state, "changed": False}
    try:
        photo = photo_process(actor=None, photo=photo)
    except (OSError, OperationalError, InterfaceError) as error:
        # The storage, or the database ("database is locked" on SQLite with two workers),
        # briefly away: another try later. The service leaves nothing half-done.
        delay = _RETRY_DELAYS[min(self.request.retries, len(_RETRY_DELAYS) - 1)]
        raise self.retry(exc=error, countdown=delay) from error
    return {"photo": photo_id, "state": photo.state, "changed": True}


# --- Reminders and digests (activities.reminders); run by celery beat ------------------------
_REMINDER_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    # The database or the mail server briefly away: try again later; a bug is not retried.
    "autoretry_for": (
        OperationalError,
        InterfaceError,
        ConnectionError,
        TimeoutError,
        SMTPException,
    ),
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**_REMINDER_OPTIONS)
def assets_due_remind_task(self) -> dict:
    """E-mail office staff the assets not inspected for six months or waiting for a repair."""
    return reminders.assets_due_remind()


@shared_task(**_REMINDER_OPTIONS)
def donor_digest_task(self) -> dict:
    """E-mail each donor what their money did last week, if anything happened."""
    return reminders.donor_digest_send()
