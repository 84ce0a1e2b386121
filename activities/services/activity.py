"""Services of the activity pages (see activities.services): named participants and photos.

Photos are checked before anything is written (``core.images.check_uploads``), stored as
*pending* under a random name with the extension of their real format, and processed by
``activities.tasks.photo_process_task`` once the transaction has committed.
"""

import datetime
import functools
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities import tasks
from activities.models import Activity, Participation, Photo
from activities.processing import photo_process
from core import images
from core.services import actor_or_none, service
from outreach.models import Village
from outreach.scope import require_in_scope

# photo_update's "leave the day taken as it is".
KEEP = object()

__all__ = [
    "activity_photos_add",
    "activity_record",
    "activity_save",
    "participants_save",
    "photo_process",
    "photo_remove",
    "photo_update",
]


@service
def activity_save(*, actor, activity: Activity, villages: list[Village] | None = None) -> Activity:
    """Create or change an activity; its villages must belong to the partnership's commune."""
    require_in_scope(actor, activity, villages=villages or ())
    if villages is not None:
        foreign = [v for v in villages if v.commune_id != activity.partnership.commune_id]
        if foreign:
            raise ValidationError(
                {
                    "villages": _("Not in the partnership's commune: %(names)s")
                    % {"names": ", ".join(v.name for v in foreign)}
                }
            )
    if activity.pk is None and activity.created_by_id is None:
        activity.created_by = actor
    activity.full_clean()
    activity.save()
    if villages is not None:
        activity.villages.set(villages)
    return activity


def _delete_files(storage, names: Sequence[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)


def _checked_photos(files: Iterable) -> list[tuple[object, str]]:
    """Check every upload; return (upload, format) pairs or raise one error on ``photos``."""
    files = list(files)
    try:
        formats = images.check_uploads(files)
    except ValidationError as error:
        raise ValidationError({"photos": error.error_list}) from error
    return list(zip(files, formats, strict=True))


def _store_photos(
    *,
    actor,
    activity: Activity,
    checked,
    caption: str,
    credit: str,
    consent: bool,
    taken_on: datetime.date | None = None,
) -> list[Photo]:
    photos = []
    for upload, image_format in checked:
        upload.name = images.random_name(image_format)
        photo = Photo(
            activity=activity,
            image=upload,
            caption=caption,
            credit=credit,
            consent_to_publish=consent,
            taken_on=taken_on,
            uploaded_by=actor_or_none(actor),
            state=Photo.State.PENDING,
        )
        photo.full_clean()
        photo.save()
        transaction.on_commit(functools.partial(tasks.photo_process_task.delay, photo.pk))
        photos.append(photo)
    return photos


@service
def activity_photos_add(
    *,
    actor,
    activity: Activity,
    files: Iterable,
    caption: str = "",
    credit: str = "",
    consent: bool = False,
    taken_on: datetime.date | None = None,
) -> list[Photo]:
    """Add photos to an activity: all checked first, then stored pending and queued for processing.

    One caption, credit, consent and day taken (else the camera's, read when processed) apply to
    every photo of the batch. If any file is refused, none is stored.
    """
    require_in_scope(actor, activity)
    checked = _checked_photos(files)
    return _store_photos(
        actor=actor,
        activity=activity,
        checked=checked,
        caption=caption,
        credit=credit,
        consent=consent,
        taken_on=taken_on,
    )


def _own_photo(activity: Activity, photo: Photo) -> None:
    if photo.activity_id != activity.pk:
        raise ValidationError(_("This photo belongs to another activity."))


@service
def photo_update(
    *,
    actor,
    photo: Photo,
    caption: str,
    credit: str,
    consent_to_publish: bool,
    taken_on: datetime.date | object | None = KEEP,
) -> Photo:
    """Change a photo's caption, credit, consent to publish and, if given, the day it was taken.

    The picture itself does not change here: a new picture is a new photo, through the pipeline
    (``activity_photos_add``).
    """
    require_in_scope(actor, photo)
    photo.caption = caption
    photo.credit = credit
    photo.consent_to_publish = consent_to_publish
    fields = ["caption", "credit", "consent_to_publish", "updated_at"]
    if taken_on is not KEEP:
        photo.taken_on = taken_on
        fields.append("taken_on")
    photo.full_clean()
    photo.save(update_fields=fields)
    return photo


@service
def photo_remove(*, actor, photo: Photo) -> None:
    """Remove a photo and, once the removal is committed, its files."""
    require_in_scope(actor, photo)
    storage = photo.image.storage
    names = [photo.image.name, photo.display.name, photo.thumbnail.name]
    photo.delete()
    transaction.on_commit(functools.partial(_delete_files, storage, names))


@service
def participants_save(
    *,
    actor,
    activity: Activity,
    participants: Iterable[Participation] = (),
    removed: Iterable[Participation] = (),
) -> list[Participation]:
    """Add or change an activity's named participants and remove those taken off its list."""
    require_in_scope(actor, activity)
    own = set(activity.participations.values_list("pk", flat=True))
    removed, participants = list(removed), list(participants)
    for participation in [*removed, *participants]:
        if participation.pk is not None and participation.pk not in own:
            raise ValidationError(_("This participant belongs to another activity."))
    for participation in removed:
        if participation.pk is not None:
            participation.delete()
    saved = []
    for participation in participants:
        participation.activity = activity
        participation.full_clean()
        participation.save()
        saved.append(participation)
    return saved


@service
def activity_record(
    *,
    actor,
    activity: Activity,
    villages: list[Village],
    participants: Iterable[Participation] = (),
    removed_participants: Iterable[Participation] = (),
    photos: Iterable = (),
    photo_caption: str = "",
    photo_credit: str = "",
    photo_consent: bool = False,
    changed_photos: Iterable[Photo] = (),
    removed_photos: Iterable[Photo] = (),
) -> Activity:
    """Save an activity with its participants and photos, all of it or nothing.

    The uploads are checked before anything is written. ``changed_photos`` are photos of this
    activity whose caption, credit or consent the caller has set; ``removed_photos`` go.
    """
    checked = _checked_photos(photos)
    activity = activity_save(actor=actor, activity=activity, villages=villages)
    participants_save(
        actor=actor,
        activity=activity,
        participants=participants,
        removed=removed_participants,
    )
    for photo in changed_photos:
        _own_photo(activity, photo)
        photo_update(
            actor=actor,
            photo=photo,
            caption=photo.caption,
            credit=photo.credit,
            consent_to_publish=photo.consent_to_publish,
        )
    for photo in removed_photos:
        _own_photo(activity, photo)
        photo_remove(actor=actor, photo=photo)
    _store_photos(
        actor=actor,
        activity=activity,
        checked=checked,
        caption=photo_caption,
        credit=photo_credit,
        consent=photo_consent,
    )
    return activity
