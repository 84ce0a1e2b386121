"""Photo checks and processing (Pillow): what an upload must be, and what is kept of it.

An upload is judged by its content, never by its file name or the browser's content type: Pillow
must recognise it as JPEG, PNG or WebP and ``verify()`` it, within ``settings.PHOTO_MAX_BYTES``
and ``settings.PHOTO_MAX_PIXELS``. A small file can declare a huge picture (a "decompression
bomb"), so the pixel count is read from the header before anything is decoded.

Processing turns the picture upright (EXIF orientation), then rebuilds it from its pixels alone:
EXIF (GPS position, camera, owner), XMP and text chunks are left behind, since a phone photo of a
household would otherwise tell anyone where the family lives. The clean picture replaces the
upload; a copy of at most 1600 px and a thumbnail of at most 320 px are made from it.

Both photo kinds (``core.models.ProcessedImage``: an activity's photo, a post's photo) and the
photo of a public fault report go through ``stored_image_process``/``photo_process`` here.
"""

import dataclasses
import datetime
import functools
import io
import os
import posixpath
import re
import struct
import uuid
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps

if TYPE_CHECKING:
    from core.models import ProcessedImage

# Pillow format name → file extension. Only these decoders are ever tried on an upload.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
DISPLAY_SIZE = 1600
THUMBNAIL_SIZE = 320
_JPEG_QUALITY = 85
# What Pillow raises on a file that claims to be an image and is not a readable one.
# Broken EXIF blocks surface as the other exceptions (read by exif_transpose).
_DECODING_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    struct.error,
    Image.DecompressionBombError,
)


class ImageProblem(Exception):
    """A stored photo cannot be read as a picture (corrupt, truncated, or not an image)."""


@dataclasses.dataclass(frozen=True)
class Processed:
    """The clean picture, its two smaller copies (encoded) and its size once upright."""

    image: bytes
    image_extension: str
    display: bytes
    thumbnail: bytes
    copy_extension: str
    width: int
    height: int
    # The day the camera says it was taken (EXIF DateTimeOriginal), read before EXIF is dropped.
    taken_on: datetime.date | None = None


def _name(upload) -> str:
    return os.path.basename(getattr(upload, "name", "") or "") or _("(no name)")


def _not_a_photo(upload) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a photo (JPEG, PNG or WebP).") % {"name": _name(upload)},
        code="not_a_photo",
    )


def _too_many_pixels(upload) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has more than %(limit)s million pixels.")
        % {"name": _name(upload), "limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _open(source):
    """Open ``source`` with the allowed decoders only, refusing Pillow's bomb warning too."""
    return Image.open(source, formats=list(EXTENSIONS))


def check_upload(upload) -> str:
    """Check that ``upload`` is a JPEG, PNG or WebP photo within the limits; return its format.

    Raises ``ValidationError`` naming the file. Only the header is decoded and the structure
    verified; the pixels are decoded later, by ``process``, in the background.
    """
    size = getattr(upload, "size", None)
    if size is None or size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.")
            % {"name": _name(upload), "limit": settings.PHOTO_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(upload) as picture:
                image_format = picture.format
                width, height = picture.size
                if width * height > settings.PHOTO_MAX_PIXELS:
                    raise _too_many_pixels(upload)
                picture.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(upload) from error
    except _DECODING_ERRORS as error:
        raise _not_a_photo(upload) from error
    finally:
        upload.seek(0)
    if image_format not in EXTENSIONS:
        raise _not_a_photo(upload)
    return image_format


def random_name(image_format: str) -> str:
    """Return a random file name with the extension of ``image_format`` (what the file is).

    The name a phone or a person gave an upload may name a household, and is not evidence of
    its type.
    """
    return f"{uuid.uuid4().hex[:20]}.{EXTENSIONS[image_format]}"


def check_uploads(uploads: Iterable) -> list[str]:
    """Check every upload; return their formats, or raise one error that lists every bad file."""
    formats, errors = [], []
    for upload in uploads:
        try:
            formats.append(check_upload(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return formats


def _taken_on(picture: Image.Image) -> datetime.date | None:
    raw = picture.getexif().get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
    try:
        return datetime.datetime.strptime(str(raw)[:10], "%Y:%m:%d").date()  # noqa: DTZ007
    except ValueError:
        return None


def _pixels_only(picture: Image.Image) -> Image.Image:
    """Return a new picture holding only the pixels of ``picture``: no EXIF, XMP or text."""
    has_alpha = picture.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or (
        "transparency" in picture.info
    )
    if has_alpha:
        converted = picture.convert("RGBA")
    elif picture.mode in {"RGB", "L"}:
        converted = picture
    else:  # palette, CMYK, 16-bit greyscale, 1-bit…
        converted = picture.convert("RGB")
    # frombytes builds a fresh image: nothing of the original's info or EXIF comes along.
    return Image.frombytes(converted.mode, converted.size, converted.tobytes())


def _encode(picture: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        picture.save(buffer, "JPEG", quality=_JPEG_QUALITY, optimize=True)
    elif image_format == "WEBP":
        picture.save(buffer, "WEBP", quality=_JPEG_QUALITY)
    else:
        picture.save(buffer, "PNG")
    return buffer.getvalue()


def _resized(picture: Image.Image, size: int) -> Image.Image:
    copy = picture.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    return copy


def _upright_clean(source) -> tuple[Image.Image, str, datetime.date | None]:
    """Decode ``source``; return its upright pixels only, its format and the day it was taken."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(source) as picture:
                image_format = picture.format
                if picture.width * picture.height > settings.PHOTO_MAX_PIXELS:
                    raise ImageProblem("too many pixels")
                picture.load()
                taken_on = _taken_on(picture)
                upright = ImageOps.exif_transpose(picture)
                clean = _pixels_only(upright)
    except Image.DecompressionBombWarning as error:
        raise ImageProblem(str(error)) from error
    except _DECODING_ERRORS as error:
        raise ImageProblem(str(error)) from error
    if image_format not in EXTENSIONS:
        raise ImageProblem(f"format {image_format}")
    return clean, image_format, taken_on


def process(source) -> Processed:
    """Turn the picture in ``source`` upright, strip its metadata and make its smaller copies.

    Raises ``ImageProblem`` when the file cannot be decoded as an allowed, reasonably sized photo.
    """
    clean, image_format, taken_on = _upright_clean(source)
    # Smaller copies: JPEG for photos, PNG where there is transparency to keep.
    copy_format = "PNG" if clean.mode == "RGBA" else "JPEG"
    display = _resized(clean, DISPLAY_SIZE)
    return Processed(
        image=_encode(clean, image_format),
        image_extension=EXTENSIONS[image_format],
        display=_encode(display, copy_format),
        thumbnail=_encode(_resized(display, THUMBNAIL_SIZE), copy_format),
        copy_extension=EXTENSIONS[copy_format],
        width=clean.width,
        height=clean.height,
        taken_on=taken_on,
    )


def upload_clean(upload) -> ContentFile:
    """Check an upload and return its clean picture, upright, under a random name.

    For a picture kept without copies (a receipt's signature): it is cleaned before it is
    saved, so the raw upload, with its EXIF and GPS position, never reaches the storage. Raises
    ``ValidationError`` naming the file, as ``check_upload`` does.
    """
    check_upload(upload)
    try:
        clean, image_format, _taken_on = _upright_clean(upload)
    except ImageProblem as error:
        raise _not_a_photo(upload) from error
    finally:
        upload.seek(0)
    return ContentFile(_encode(clean, image_format), name=random_name(image_format))


# A name given by random_name (the storage may add "_" and 7 characters when a name is taken).
_RANDOM_NAME = re.compile(r"[0-9a-f]{20}(_[0-9A-Za-z]{7})?\.(jpg|png|webp)")


def is_random_name(name: str, image_format: str | None = None) -> bool:
    """Say whether a stored file's name is one ``random_name`` gave (of ``image_format``)."""
    base = posixpath.basename(name or "")
    if not _RANDOM_NAME.fullmatch(base):
        return False
    return image_format is None or base.rsplit(".", 1)[1] == EXTENSIONS[image_format]


def stored_image_is_clean(image) -> bool:
    """Say whether a stored picture went through the pipeline: a random name, no EXIF left.

    An unreadable or missing file is not clean (``stored_image_process`` will say it fails).
    """
    if not is_random_name(image.name):
        return False
    try:
        with image.open("rb") as source, _open(source) as picture:
            return not picture.getexif() and "exif" not in picture.info
    except (*_DECODING_ERRORS, FileNotFoundError):
        return False


def stored_image_process(image, *, display=None, thumbnail=None) -> Processed | None:
    """Replace a stored upload by its clean picture (no EXIF, no GPS) and save its copies.

    ``image``, ``display`` and ``thumbnail`` are field files of one row; the row itself is not
    saved. Return None, changing nothing, when the file cannot be read as a photo.

    The services store uploads under a random name already, and the clean picture takes its
    place. A file stored by any other path under another name (the uploader's, or a wrong
    extension) gets a random name with the extension of its real format; the raw file goes once
    the row's new name is committed.
    """
    try:
        with image.open("rb") as source:
            result = process(source)
    except (ImageProblem, FileNotFoundError):
        return None
    storage, name = image.storage, image.name
    image_format = next(key for key, value in EXTENSIONS.items() if value == result.image_extension)
    if is_random_name(name, image_format):
        # Delete, then save under the same name: the storage keeps the name when it is free.
        storage.delete(name)
        image.name = storage.save(name, ContentFile(result.image))
    else:
        new_name = posixpath.join(posixpath.dirname(name), random_name(image_format))
        image.name = storage.save(new_name, ContentFile(result.image))
        # Until then the row still names the raw file, and a rollback must find it.
        transaction.on_commit(functools.partial(storage.delete, name))
    stem = image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    copy_name = f"{stem}.{result.copy_extension}"
    for field, content in ((display, result.display), (thumbnail, result.thumbnail)):
        if field is not None:
            # A failed earlier run may have left copies behind.
            if field.name:
                field.storage.delete(field.name)
            field.save(copy_name, ContentFile(content), save=False)
    return result


def photo_process(photo: "ProcessedImage") -> "ProcessedImage":
    """Process a stored photo (any ``ProcessedImage``) once: ready with its copies, or failed.

    Call it inside a transaction: the row is locked, so two workers do not process it twice; a
    photo already ready is returned as it is. The upload is replaced by the clean picture under
    its random name (or a new one, see ``stored_image_process``), so no GPS position stays on
    disk.
    """
    photo = type(photo).objects.select_for_update().get(pk=photo.pk)
    if photo.state == photo.State.READY:
        return photo
    result = stored_image_process(photo.image, display=photo.display, thumbnail=photo.thumbnail)
    if result is None:
        photo.state = photo.State.FAILED
        photo.save(update_fields=["state", "updated_at"])
        return photo
    kept = photo.keep_processed(result)
    photo.state = photo.State.READY
    photo.save(update_fields=["image", "display", "thumbnail", *kept, "state", "updated_at"])
    return photo
