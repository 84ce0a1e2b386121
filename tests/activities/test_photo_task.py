"""Photos through the services and the background task: checked, stored, processed once."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from activities.models import Participation, Photo
from activities.services import (
    activity_photos_add,
    participants_save,
    photo_process,
    photo_remove,
    photo_update,
)
from activities.tasks import photo_process_task
from tests.activities.test_images import phone_photo_with_gps, picture_bytes
from tests.factories import ActivityFactory, ParticipationFactory, PhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(partnership):
    return ActivityFactory(partnership=partnership)


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_an_added_photo_is_processed_after_commit_and_keeps_no_gps_on_disk(
    activity, staff_user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [photo] = activity_photos_add(
            actor=staff_user,
            activity=activity,
            files=[upload("nha-ong-ma-van-a.jpg", phone_photo_with_gps())],
            caption="Ra quân vệ sinh",
            credit="Văn phòng Tỉnh ủy",
            consent=True,
        )
    # Queued, not run, until the transaction commits.
    assert len(callbacks) == 1
    photo.refresh_from_db()
    assert photo.state == Photo.State.PENDING
    assert "nha-ong" not in photo.image.name  # the name a person gave it is not kept
    assert photo.image.name.endswith(".jpg")
    assert (photo.uploaded_by, photo.consent_to_publish) == (staff_user, True)
    stored_name = photo.image.name

    callbacks[0]()
    photo.refresh_from_db()
    assert photo.state == Photo.State.READY
    assert photo.image.name == stored_name  # replaced in place
    assert (photo.width, photo.height) == (20, 40)
    assert photo.taken_on == datetime.date(2024, 5, 19)  # read before EXIF was dropped
    assert photo.display.name.startswith("photos/display/")
    assert photo.thumbnail.name.startswith("photos/thumbs/")
    files = stored_files(settings)
    assert len(files) == 3  # the clean picture and its two copies, nothing else
    for path in files:
        with Image.open(path) as picture:
            exif = picture.getexif()
            assert len(exif) == 0
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
            assert picture.size in {(20, 40)}


def test_large_photos_get_copies_of_at_most_1600_and_320_pixels(
    activity, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [photo] = activity_photos_add(
            actor=staff_user,
            activity=activity,
            files=[upload("lon.jpg", picture_bytes("JPEG", size=(3000, 2000)))],
        )
    photo.refresh_from_db()
    with photo.display.open("rb") as display, Image.open(display) as picture:
        assert picture.size == (1600, 1067)
    with photo.thumbnail.open("rb") as thumbnail, Image.open(thumbnail) as picture:
        assert picture.size == (320, 213)


def test_one_bad_file_in_a_batch_stores_nothing(activity, staff_user, settings):
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match=r"“x\.jpg” is not a photo") as refused,
    ):
        activity_photos_add(
            actor=staff_user,
            activity=activity,
            files=[upload("tot.jpg", picture_bytes()), upload("x.jpg", b"hello")],
        )
    assert refused.value.message_dict == {"photos": ["“x.jpg” is not a photo (JPEG, PNG or WebP)."]}
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_the_task_leaves_a_ready_photo_alone(
    activity, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [photo] = activity_photos_add(
            actor=staff_user, activity=activity, files=[upload("a.jpg", picture_bytes())]
        )
    photo.refresh_from_db()
    before = (photo.image.name, photo.display.name, photo.thumbnail.name, photo.updated_at)
    result = photo_process_task.delay(photo.pk).get()
    assert result == {"photo": photo.pk, "state": "ready", "changed": False}
    photo.refresh_from_db()
    assert (photo.image.name, photo.display.name, photo.thumbnail.name, photo.updated_at) == before


def test_a_pending_photo_is_processed_by_the_task_and_a_second_run_changes_nothing(activity):
    photo = PhotoFactory(activity=activity)
    assert photo.state == Photo.State.PENDING
    assert photo_process_task.delay(photo.pk).get() == {
        "photo": photo.pk,
        "state": "ready",
        "changed": True,
    }
    photo.refresh_from_db()
    display = photo.display.name
    assert photo_process_task.delay(photo.pk).get()["changed"] is False
    photo.refresh_from_db()
    assert photo.display.name == display


def test_a_file_that_cannot_be_decoded_ends_failed(activity):
    photo = PhotoFactory(activity=activity, image=ContentFile(b"\xff\xd8\xff broken", "a.jpg"))
    assert photo_process_task.delay(photo.pk).get()["state"] == "failed"
    photo.refresh_from_db()
    assert photo.state == Photo.State.FAILED
    assert not photo.display
    assert not photo.thumbnail


def test_a_removed_photo_is_skipped_by_the_task():
    assert photo_process_task.delay(987_654).get() == {"photo": 987_654, "state": "missing"}


def test_a_failed_photo_is_processed_again_once_its_file_is_readable(activity):
    photo = PhotoFactory(activity=activity, image=ContentFile(b"not yet", "b.jpg"))
    photo_process(actor=None, photo=photo)
    photo.refresh_from_db()
    assert photo.state == Photo.State.FAILED
    storage, name = photo.image.storage, photo.image.name
    storage.delete(name)
    storage.save(name, io.BytesIO(picture_bytes()))
    photo_process(actor=None, photo=photo)
    photo.refresh_from_db()
    assert photo.state == Photo.State.READY


def test_removing_a_photo_deletes_its_files_once_committed(
    activity, staff_user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [photo] = activity_photos_add(
            actor=staff_user, activity=activity, files=[upload("a.jpg", picture_bytes())]
        )
    assert len(stored_files(settings)) == 3
    photo.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo_remove(actor=staff_user, photo=photo)
    assert len(stored_files(settings)) == 3  # not before the commit
    for callback in callbacks:
        callback()
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_a_photo_caption_credit_and_consent_can_change(activity, staff_user):
    photo = PhotoFactory(activity=activity, consent_to_publish=False)
    photo_update(
        actor=staff_user, photo=photo, caption="Trao quà", credit="BIDV", consent_to_publish=True
    )
    photo.refresh_from_db()
    assert (photo.caption, photo.credit, photo.consent_to_publish) == ("Trao quà", "BIDV", True)


def test_a_participant_of_another_activity_cannot_be_changed_through_this_one(activity):
    other = ParticipationFactory(name="Ma Văn Khánh")
    other.name = "Đổi tên"
    with pytest.raises(ValidationError, match="thuộc một hoạt động khác"):
        participants_save(actor=None, activity=activity, participants=[other])
    with pytest.raises(ValidationError, match="thuộc một hoạt động khác"):
        participants_save(actor=None, activity=activity, removed=[other])
    other.refresh_from_db()
    assert other.name == "Ma Văn Khánh"
    assert other.activity_id != activity.pk


def test_participants_are_added_and_removed(activity):
    gone = ParticipationFactory(activity=activity, name="Hoàng Thị Lan")
    saved = participants_save(
        actor=None,
        activity=activity,
        participants=[Participation(name="Ma Đình Liệu", group=Participation.Group.COMMUNE_CADRE)],
        removed=[gone],
    )
    assert [p.name for p in activity.participations.all()] == ["Ma Đình Liệu"]
    assert saved[0].activity == activity
