"""Background tasks of activities: photo processing (see core.images), asset reminders and the
donors' weekly digest (activities.reminders)."""

from activities import reminders
from activities.models import Photo
from activities.processing import photo_process
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
