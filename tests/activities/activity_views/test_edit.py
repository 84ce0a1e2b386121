"""Editing an activity, its participants and photos; a refused edit changes nothing; the pages
read in Vietnamese by default."""

import datetime

import pytest

from activities.models import Participation, Photo
from tests.activities.activity_views.pages import (
    LIST,
    detail_url,
    edit_url,
    form_data,
    jpeg,
    login,
    management,
)
from tests.factories import ActivityFactory, ParticipationFactory, PhotoFactory

pytestmark = pytest.mark.django_db


# --- edit --------------------------------------------------------------------------------------


def test_staff_change_an_activity_its_participants_and_photos(
    client, staff_user, partnership, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(partnership=partnership, title="Cũ")
    kept = ParticipationFactory(activity=activity, name="Ma Văn Giữ")
    gone = ParticipationFactory(activity=activity, name="Ma Văn Bỏ")
    captioned = PhotoFactory(activity=activity, caption="", consent_to_publish=False)
    removed = PhotoFactory(activity=activity)
    removed_file = removed.image.name
    data = form_data(
        partnership,
        title="Mới",
        photos=[jpeg("them.jpg")],
        photo_caption="Ảnh bổ sung",
        **management("participants", total=3, initial=2),
        **{
            "participants-0-id": str(kept.pk),
            "participants-0-name": "Ma Văn Giữ",
            "participants-0-group": kept.group,
            "participants-1-id": str(gone.pk),
            "participants-1-name": "Ma Văn Bỏ",
            "participants-1-group": gone.group,
            "participants-1-DELETE": "on",
            "participants-2-name": "Nông Thị Mới",
            "participants-2-group": Participation.Group.RESIDENT,
        },
        **management("existing", total=2, initial=2),
        **{
            "existing-0-id": str(captioned.pk),
            "existing-0-caption": "Dọn mương",
            "existing-0-credit": "Cán bộ xã",
            "existing-0-consent_to_publish": "on",
            "existing-1-id": str(removed.pk),
            "existing-1-caption": "",
            "existing-1-credit": "",
            "existing-1-DELETE": "on",
        },
    )
    login(client, staff_user)
    assert client.get(edit_url(activity)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(activity), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Mới"
    assert sorted(activity.participations.values_list("name", flat=True)) == [
        "Ma Văn Giữ",
        "Nông Thị Mới",
    ]
    captioned.refresh_from_db()
    assert (captioned.caption, captioned.credit, captioned.consent_to_publish) == (
        "Dọn mương",
        "Cán bộ xã",
        True,
    )
    assert not Photo.objects.filter(pk=removed.pk).exists()
    assert not removed.image.storage.exists(removed_file)
    added = activity.photos.get(caption="Ảnh bổ sung")
    assert added.state == Photo.State.READY


def test_a_refused_edit_changes_nothing(client, staff_user, partnership):
    activity = ActivityFactory(
        partnership=partnership, title="Cũ", starts_on=datetime.date(2024, 3, 1)
    )
    photo = PhotoFactory(activity=activity, caption="Giữ")
    data = form_data(
        partnership,
        title="Mới",
        ends_on="2024-01-01",
        **management("existing", total=1, initial=1),
        **{"existing-0-id": str(photo.pk), "existing-0-caption": "Đổi", "existing-0-DELETE": "on"},
    )
    response = login(client, staff_user).post(edit_url(activity), data)
    assert response.status_code == 200
    activity.refresh_from_db()
    photo.refresh_from_db()
    assert activity.title == "Cũ"
    assert photo.caption == "Giữ"


def test_a_photo_of_another_activity_cannot_be_edited_or_removed_through_this_one(
    client, staff_user, partnership
):
    activity = ActivityFactory(partnership=partnership)
    foreign = PhotoFactory(caption="Ảnh xã khác")
    login(client, staff_user)
    changed = {"existing-0-id": str(foreign.pk), "existing-0-caption": "Đổi"}
    data = form_data(partnership, **management("existing", total=1, initial=1), **changed)
    # A row that is not one of this activity's photos is ignored, changed or deleted.
    client.post(edit_url(activity), data)
    data["existing-0-DELETE"] = "on"
    client.post(edit_url(activity), data)
    foreign.refresh_from_db()
    assert foreign.caption == "Ảnh xã khác"
    assert not activity.photos.exists()


def test_editing_an_activity_outside_the_users_partnership_is_404(client, staff_user):
    outside = ActivityFactory(title="Không đổi")
    login(client, staff_user)
    assert client.get(edit_url(outside)).status_code == 404
    assert client.post(edit_url(outside), form_data(outside.partnership)).status_code == 404
    outside.refresh_from_db()
    assert outside.title == "Không đổi"


def test_the_pages_are_in_vietnamese_by_default(client, staff_user, partnership):
    activity = ActivityFactory(partnership=partnership)
    login(client, staff_user, english=False)
    assert client.get(LIST).status_code == 200
    assert client.get(detail_url(activity)).status_code == 200
    assert client.get(edit_url(activity)).status_code == 200
