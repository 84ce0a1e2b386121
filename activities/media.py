"""Uploaded files show households: each one is served only to a user whose scope holds the record
it belongs to (a photo of an activity, a receipt's signature photo). Any other path, including a
file that exists on disk but belongs to nobody in the user's scope, answers 404.

Donors see consented photos through the reports, never here.
"""

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve

from activities.models import Photo, Receipt
from outreach.access import RECORD_READERS, serves
from outreach.scope import scoped

# Stored names are at most a FileField's length; anything longer names no file of ours.
MAX_PATH_LENGTH = 255


def _malformed(path: str) -> bool:
    """Tell a path no stored file can have: NUL or control characters, a backslash, a ``..``,
    ``.`` or empty segment, a percent sign (what is left of a percent-escape that is not UTF-8;
    stored names never hold one), or too long. Answered with 404 before the database or the
    disk sees it (PostgreSQL refuses a NUL in a query, the file system in a path)."""
    if not path or len(path) > MAX_PATH_LENGTH:
        return True
    if any(ord(char) < 32 or ord(char) == 127 for char in path) or "\\" in path or "%" in path:
        return True
    return any(part in ("", ".", "..") for part in path.split("/"))


def _owned_by_scope(user, path: str) -> bool:
    # The folder says which table holds the file (upload_to), so that a thumbnail request reads
    # one index of the photos, never the million receipts.
    if path.startswith("photos/"):
        # A pending photo's file is the raw upload (EXIF, GPS): served once processed only.
        photos = scoped(Photo.objects.filter(state=Photo.State.READY), user)
        return photos.filter(Q(image=path) | Q(display=path) | Q(thumbnail=path)).exists()
    if path.startswith("signatures/"):
        return scoped(Receipt.objects.all(), user).filter(signature=path).exists()
    return False


@serves(*RECORD_READERS)
def media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve an uploaded file whose record is in the user's scope."""
    if _malformed(path) or not _owned_by_scope(request.user, path):
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Personal pictures: never kept by a shared proxy.
    response["Cache-Control"] = "private, max-age=3600"
    return response
