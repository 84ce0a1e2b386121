"""Background tasks of activities: photo processing (see core.images), asset reminders and the
donors' weekly digest (activities.reminders)."""

from activities import reminders
from activities.models import Photo
from activities.processing import photo_process
from core.recovery import pending_since
from core.tasks import IO_ERRORS, house_task


# The storage, or the database, briefly away: another try later (the service leaves nothing
# half-done). A picture that cannot be decoded is not retried: the service marks it failed.
@house_task(autoretry_for=IO_ERRORS)
def photo_process_task(self, photo_id: int) -> dict:
    """Process one uploaded photo; a photo already processed (or removed) is left alone."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return {"photo": photo_id, "state": "missing"}
    if photo.state == Photo.State.READY:
        return {"photo": photo_id, "state": photo.state, "changed": False}
    photo = photo_process(actor=None, photo=photo)
    return {"photo": photo_id, "state": photo.state, "changed": True}


def photos_pending(*, stale_before, since, limit: int) -> list:
    """Return the processing tasks of the photos still pending, whose task was lost (the
    broker away at upload, a worker killed): a recoverer for ``core.recovery``."""
    pending = Photo.objects.filter(state=Photo.State.PENDING)
    ids = pending_since(pending, stale_before=stale_before, since=since, limit=limit)
    return [photo_process_task.si(pk) for pk in ids]


# --- Reminders and digests (activities.reminders); run by celery beat ------------------------
# The database or the mail server briefly away: tried again later; a bug is not retried.


@house_task()
def assets_due_remind_task(self) -> dict:
    """E-mail office staff the assets not inspected for six months or waiting for a repair."""
    return reminders.assets_due_remind()


@house_task()
def donor_digest_task(self) -> dict:
    """E-mail each donor what their money did last week, if anything happened."""
    return reminders.donor_digest_send()
