"""What the activities' tasks run in the background: processing an uploaded photo.

Apart from the services, which queue the tasks (``activities.tasks``), so that the tasks import
this module and the services import the tasks, with no cycle between them.
"""

from activities.models import Photo
from core import images
from core.services import service


@service
def photo_process(*, actor, photo: Photo) -> Photo:
    """Turn a photo upright, strip its EXIF (GPS included) and make its two smaller copies.

    The upload is replaced by the clean picture under the same name, so no GPS position stays
    on disk. A photo already ready is left as it is; one that cannot be read becomes *failed*.
    """
    return images.photo_process(photo)
