"""Uploaded files are served only inside the user's scope."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def photos(partnership):
    # Processed photos: a pending one's raw file is never served (test_image_pipeline).
    inside = f.PhotoFactory(activity__partnership=partnership, state="ready")
    outside = f.PhotoFactory(state="ready")
    return inside, outside


def _get(client, user, photo):
    client.force_login(user)
    return client.get(f"/media/{photo.image.name}")


def test_staff_and_cadres_open_photos_of_their_commune(client, photos, staff_user, cadre_user):
    inside, _outside = photos
    for user in (staff_user, cadre_user):
        response = _get(client, user, inside)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, max-age=3600"


def test_a_photo_of_another_commune_is_404_though_the_file_exists(client, photos, cadre_user):
    _inside, outside = photos
    assert _get(client, cadre_user, outside).status_code == 404


def test_auditors_open_any_photo(client, photos, auditor_user):
    assert _get(client, auditor_user, photos[1]).status_code == 200


def test_donors_are_refused_and_a_file_of_nobody_is_404(client, photos, donor_user, staff_user):
    assert _get(client, donor_user, photos[0]).status_code == 403
    client.force_login(staff_user)
    assert client.get("/media/photos/../../settings.py").status_code == 404
    assert client.get("/media/nobody/x.jpg").status_code == 404


def _signed_receipt(**kwargs):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return f.ReceiptFactory(
        signature=SimpleUploadedFile("ky.png", buffer.getvalue(), "image/png"), **kwargs
    )


def test_a_signature_photo_is_served_only_inside_the_scope(client, partnership, cadre_user):
    inside = _signed_receipt(distribution__partnership=partnership)
    outside = _signed_receipt()
    assert inside.signature.name.startswith("signatures/")
    client.force_login(cadre_user)
    assert client.get(f"/media/{inside.signature.name}").status_code == 200
    assert client.get(f"/media/{outside.signature.name}").status_code == 404
