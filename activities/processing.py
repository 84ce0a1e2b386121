"""What the activities' tasks run in the background: processing an uploaded photo, and cleaning
a signature photo stored before signatures were cleaned at upload (``process_stored_images``).

Apart from the services, which queue the tasks (``activities.tasks``), so that the tasks import
this module and the services import the tasks, with no cycle between them.
"""

from activities.models import Photo, Receipt
from core import images
from core.services import service


@service
def photo_process(*, actor, photo: Photo) -> Photo:
    """Turn a photo upright, strip its EXIF (GPS included) and make its two smaller copies.

    The upload is replaced by the clean picture under a random name, so no GPS position stays
    on disk. A photo already ready is left as it is; one that cannot be read becomes *failed*.
    """
    return images.photo_process(photo)


@service
def signature_process(*, actor, receipt: Receipt) -> bool:
    """Clean a receipt's stored signature photo: upright, no EXIF (GPS included), a random name.

    Signatures are cleaned at upload (``receipt_signature_attach``); this is for those stored
    before. Return whether it changed anything: a clean one is left as it is, so a second run
    changes nothing; an unreadable file is left too (and reported by the caller).
    """
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if not receipt.signature or images.stored_image_is_clean(receipt.signature):
        return False
    if images.stored_image_process(receipt.signature) is None:
        return False
    receipt.save(update_fields=["signature", "updated_at"])
    return True
