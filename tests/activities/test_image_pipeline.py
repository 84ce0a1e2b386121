"""Every uploaded picture goes through one pipeline, whatever the door: signatures on the receipt
page, photos in the admin (alone or inline), post photos. What is stored is upright, has no EXIF
(GPS included), a random name of its real format; the raw upload is gone and never served."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import ExifTags, Image

from activities.models import Activity, Distribution, Photo, Receipt
from channel.models import PostPhoto
from channel.services import post_publish
from tests.activities.test_images import phone_photo_with_gps, picture_bytes
from tests.admin.pages import _errors, _form_data, _url
from tests.channel.factories import PostFactory, PostPhotoFactory
from tests.factories import ActivityFactory, ReceiptFactory

pytestmark = pytest.mark.django_db

# A person's name, as a phone or a cadre may have named the file.
UPLOADED_NAME = "chu-ky-ma-dinh-lieu.jpg"
RANDOM = re.compile(r"[0-9a-f]{20}(_[0-9A-Za-z]{7})?\.(jpg|png|webp)")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    return client


def gps_upload(name: str = UPLOADED_NAME) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, phone_photo_with_gps(), content_type="image/jpeg")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def assert_clean(path: Path) -> None:
    """The file at ``path``: a random name, no EXIF or GPS, turned upright (20 × 40)."""
    assert RANDOM.fullmatch(path.name), path.name
    assert "ma-dinh-lieu" not in path.name
    with Image.open(path) as picture:
        exif = picture.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert len(exif) == 0
        assert "exif" not in picture.info
        assert picture.size in {(20, 40), (160, 320)}  # upright: EXIF said to turn it


def assert_only_clean_files(settings, count: int) -> None:
    files = stored_files(settings)
    assert len(files) == count, files  # the raw upload is not left beside the clean picture
    for path in files:
        assert_clean(path)


def test_the_input_really_carries_gps():
    with Image.open(gps_upload()) as picture:
        assert picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)


# --- Signatures ---------------------------------------------------------------------------------


def test_a_signature_from_the_receipt_page_is_stored_clean_and_served(
    client, cadre_user, partnership, settings
):
    receipt = ReceiptFactory(
        distribution__partnership=partnership, distribution__status=Distribution.Status.APPROVED
    )
    client.force_login(cadre_user)
    response = client.post(
        reverse("activities:receipt-signature", args=[receipt.short_code]),
        {"signature": gps_upload()},
    )
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.signature.name.startswith("signatures/")
    assert receipt.signature.name.endswith(".jpg")  # the real format's extension
    # Cleaned before it was saved: the raw upload never reached MEDIA_ROOT.
    assert_only_clean_files(settings, 1)
    assert stored_files(settings)[0] == Path(receipt.signature.path)
    served = client.get(f"/media/{receipt.signature.name}")
    assert served.status_code == 200


def test_a_png_signature_named_jpg_is_stored_under_png(client, cadre_user, partnership):
    receipt = ReceiptFactory(
        distribution__partnership=partnership, distribution__status=Distribution.Status.APPROVED
    )
    client.force_login(cadre_user)
    client.post(
        reverse("activities:receipt-signature", args=[receipt.short_code]),
        {"signature": SimpleUploadedFile("ky.jpg", picture_bytes("PNG"), "image/jpeg")},
    )
    receipt.refresh_from_db()
    assert receipt.signature.name.endswith(".png")


def test_a_text_file_named_jpg_is_refused_as_signature_and_nothing_is_stored(
    client, cadre_user, partnership, settings
):
    receipt = ReceiptFactory(
        distribution__partnership=partnership, distribution__status=Distribution.Status.APPROVED
    )
    client.force_login(cadre_user)
    client.cookies["django_language"] = "en"
    fake = SimpleUploadedFile(UPLOADED_NAME, b"Danh sach ho ngheo", content_type="image/jpeg")
    response = client.post(
        reverse("activities:receipt-signature", args=[receipt.short_code]), {"signature": fake}
    )
    assert response.status_code == 200
    assert "not an image" in " ".join(response.context["signature_form"].errors["signature"])
    receipt.refresh_from_db()
    assert not receipt.signature
    assert stored_files(settings) == []


def test_a_gif_signature_is_refused_by_the_pipeline_with_its_reason(
    client, cadre_user, partnership, settings
):
    # Django's ImageField takes a GIF; the pipeline keeps JPEG, PNG and WebP only.
    receipt = ReceiptFactory(
        distribution__partnership=partnership, distribution__status=Distribution.Status.APPROVED
    )
    client.force_login(cadre_user)
    client.cookies["django_language"] = "en"
    gif = SimpleUploadedFile("ky.gif", picture_bytes("GIF"), content_type="image/gif")
    response = client.post(
        reverse("activities:receipt-signature", args=[receipt.short_code]), {"signature": gif}
    )
    assert response.status_code == 200
    assert "“ky.gif” is not a photo (JPEG, PNG or WebP)." in response.content.decode()
    receipt.refresh_from_db()
    assert not receipt.signature
    assert stored_files(settings) == []


def test_the_receipt_admin_takes_no_signature_file(admin_client, settings):
    receipt = ReceiptFactory()
    # A receipt is not changed in the admin; the add form has no signature field to fill.
    add = admin_client.get(_url(Receipt, "add"))
    assert "signature" not in add.context["adminform"].form.fields
    changed = admin_client.post(
        _url(Receipt, "change", receipt.pk), {"signature": gps_upload(), "note": "x"}
    )
    assert changed.status_code == 403
    receipt.refresh_from_db()
    assert not receipt.signature
    assert stored_files(settings) == []


def test_process_stored_images_cleans_old_signatures_once(
    settings, django_capture_on_commit_callbacks
):
    # Stored as the service once did: the uploader's name, EXIF and GPS kept.
    receipt = ReceiptFactory(signature=gps_upload())
    raw = Path(receipt.signature.path)
    assert "ma-dinh-lieu" in raw.name
    with django_capture_on_commit_callbacks(execute=True):
        call_command("process_stored_images", stdout=io.StringIO())
    receipt.refresh_from_db()
    assert not raw.exists()
    assert_only_clean_files(settings, 1)
    name = receipt.signature.name
    with django_capture_on_commit_callbacks(execute=True):
        call_command("process_stored_images", stdout=io.StringIO())
    receipt.refresh_from_db()
    assert receipt.signature.name == name  # a second run changes nothing
    assert_only_clean_files(settings, 1)


# --- Activity photos in the admin ---------------------------------------------------------------


def _photo_add_data(admin_client, activity, image) -> dict:
    return _form_data(
        admin_client.get(_url(Photo, "add")),
        activity=activity.pk,
        image=image,
        caption="Ra quân",
        credit="",
    )


def test_a_photo_added_in_the_admin_goes_through_the_pipeline(
    admin_client, settings, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(
            _url(Photo, "add"), _photo_add_data(admin_client, activity, gps_upload())
        )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.state == Photo.State.PENDING
    assert RANDOM.fullmatch(Path(photo.image.name).name)
    assert photo.uploaded_by is not None
    # Pending: the stored file is not served, not even to an administrator.
    assert admin_client.get(f"/media/{photo.image.name}").status_code == 404
    for callback in callbacks:
        callback()
    photo.refresh_from_db()
    assert photo.state == Photo.State.READY
    assert_only_clean_files(settings, 3)  # the picture and its two copies
    assert admin_client.get(f"/media/{photo.image.name}").status_code == 200


def test_a_photo_added_inline_on_an_activity_goes_through_the_pipeline(
    admin_client, settings, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    url = _url(Activity, "change", activity.pk)
    data = _form_data(
        admin_client.get(url),
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-image": gps_upload(),
            "photos-0-caption": "Trao quà",
            "photos-0-activity": str(activity.pk),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    photo = activity.photos.get()
    assert (photo.state, photo.caption) == (Photo.State.READY, "Trao quà")
    assert_only_clean_files(settings, 3)


def test_the_picture_of_a_photo_is_not_replaced_inline(
    admin_client, settings, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(_url(Photo, "add"), _photo_add_data(admin_client, activity, gps_upload()))
    photo = Photo.objects.get()
    name = photo.image.name
    url = _url(Activity, "change", activity.pk)
    data = _form_data(admin_client.get(url), **{"photos-0-image": gps_upload("khac.jpg")})
    response = admin_client.post(url, data)
    assert "cannot be replaced" in _errors(response)
    photo.refresh_from_db()
    assert photo.image.name == name
    assert_only_clean_files(settings, 3)


def test_a_text_file_named_jpg_is_refused_in_the_photo_admin(admin_client, settings):
    activity = ActivityFactory()
    fake = SimpleUploadedFile(UPLOADED_NAME, b"Danh sach ho ngheo", content_type="image/jpeg")
    response = admin_client.post(_url(Photo, "add"), _photo_add_data(admin_client, activity, fake))
    assert "not an image" in _errors(response)
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_a_gif_is_refused_in_the_photo_admin_by_the_pipeline(admin_client, settings):
    activity = ActivityFactory()
    gif = SimpleUploadedFile("anh.gif", picture_bytes("GIF"), content_type="image/gif")
    response = admin_client.post(_url(Photo, "add"), _photo_add_data(admin_client, activity, gif))
    assert "“anh.gif” is not a photo (JPEG, PNG or WebP)." in _errors(response)
    assert not Photo.objects.exists()
    assert stored_files(settings) == []


def test_a_pending_photo_stored_under_its_uploaders_name_is_renamed_when_processed(
    settings, django_capture_on_commit_callbacks
):
    # As the admin once stored it: raw, pending, never queued.
    photo = Photo.objects.create(activity=ActivityFactory(), image=gps_upload("ong-ma.jpg"))
    raw = Path(photo.image.path)
    assert (photo.state, photo.display.name, photo.thumbnail.name) == (Photo.State.PENDING, "", "")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("process_stored_images", stdout=io.StringIO())
    photo.refresh_from_db()
    assert photo.state == Photo.State.READY
    assert not raw.exists()
    assert_only_clean_files(settings, 3)


# --- Post photos --------------------------------------------------------------------------------


def test_the_post_photo_admin_stores_no_upload(admin_client, settings):
    photo = PostPhotoFactory()
    before = {path.name for path in stored_files(settings)}
    assert admin_client.get(_url(PostPhoto, "add")).status_code == 403
    url = _url(PostPhoto, "change", photo.pk)
    data = _form_data(admin_client.get(url), image=gps_upload())
    assert admin_client.post(url, data).status_code == 302
    photo.refresh_from_db()
    assert "ma-dinh-lieu" not in photo.image.name
    assert {path.name for path in stored_files(settings)} == before


def test_a_post_photo_is_stored_clean(
    staff_user, partnership, settings, django_capture_on_commit_callbacks
):
    post = PostFactory.build(partnership=partnership)
    with django_capture_on_commit_callbacks(execute=True):
        post_publish(actor=staff_user, post=post, photos=[gps_upload()])
    photo = PostPhoto.objects.get()
    assert photo.state == PostPhoto.State.READY
    assert_only_clean_files(settings, 3)
