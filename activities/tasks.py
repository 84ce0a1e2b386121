"""Background tasks of activities: photo processing (see activities.images)."""

from celery import shared_task

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
    except OSError as error:
        delay = _RETRY_DELAYS[min(self.request.retries, len(_RETRY_DELAYS) - 1)]
        raise self.retry(exc=error, countdown=delay) from error
    return {"photo": photo_id, "state": photo.state, "changed": True}
