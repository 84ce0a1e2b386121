"""Entering an activity with participants and photos, and the refusals, for each role."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.models import Activity, Participation, Photo
from outreach.models import RoleAssignment
from outreach.services import role_assign
from tests.activities.activity_views.pages import (
    CREATE,
    detail_url,
    edit_url,
    form_data,
    jpeg,
    login,
    management,
)
from tests.activities.test_images import noise_png, phone_photo_with_gps
from tests.factories import ActivityFactory, PartnershipFactory, VillageFactory

pytestmark = pytest.mark.django_db


# --- create ------------------------------------------------------------------------------------


def test_staff_enter_an_activity_with_participants_and_several_photos(
    client, staff_user, partnership, django_capture_on_commit_callbacks
):
    villages = VillageFactory.create_batch(2, commune=partnership.commune)
    data = form_data(
        partnership,
        villages=[str(v.pk) for v in villages],
        photos=[
            SimpleUploadedFile("a.jpg", phone_photo_with_gps(), content_type="image/jpeg"),
            jpeg("b.png", fmt="PNG"),
        ],
        photo_caption="Trồng hoa",
        photo_credit="Văn phòng Tỉnh ủy",
        photo_consent="on",
        **management("participants", total=2),
        **{
            "participants-0-name": "Ma Đình Liệu",
            "participants-0-group": Participation.Group.COMMUNE_CADRE,
            "participants-0-role": "Bí thư chi bộ",
            "participants-1-name": "Hoàng Văn Tú",
            "participants-1-group": Participation.Group.OFFICE_STAFF,
        },
    )
    login(client, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, data)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(activity)
    assert activity.title == "Ra quân làm đường hoa"
    assert activity.created_by == staff_user
    assert set(activity.villages.all()) == set(villages)
    assert activity.participant_count == 60
    assert sorted(activity.participations.values_list("name", "role")) == [
        ("Hoàng Văn Tú", ""),
        ("Ma Đình Liệu", "Bí thư chi bộ"),
    ]
    photos = list(activity.photos.order_by("pk"))
    assert len(photos) == 2
    assert {p.state for p in photos} == {Photo.State.READY}
    assert {(p.caption, p.credit, p.consent_to_publish) for p in photos} == {
        ("Trồng hoa", "Văn phòng Tỉnh ủy", True)
    }
    page = client.get(response.url).content.decode()
    assert "The activity “Ra quân làm đường hoa” was saved." in page
    assert photos[0].thumbnail.url in page


def test_a_bad_photo_saves_nothing_names_the_file_and_keeps_the_input(
    client, staff_user, partnership
):
    data = form_data(
        partnership,
        photos=[jpeg("tot.jpg"), SimpleUploadedFile("x.jpg", b"hello", "image/jpeg")],
        **management("participants", total=1),
        **{"participants-0-name": "Ma Đình Liệu", "participants-0-group": "resident"},
    )
    response = login(client, staff_user).post(CREATE, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“x.jpg” is not a photo (JPEG, PNG or WebP)." in page
    assert "Choose the photos again" in page
    assert 'value="Ra quân làm đường hoa"' in page
    assert 'value="Ma Đình Liệu"' in page
    assert not Activity.objects.exists()
    assert not Photo.objects.exists()
    assert not Participation.objects.exists()


def test_an_oversized_photo_is_refused(client, staff_user, partnership, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("y.jpg", noise_png(700), content_type="image/jpeg")
    response = login(client, staff_user).post(CREATE, form_data(partnership, photos=[big]))
    assert "“y.jpg” is larger than 1 MB." in response.content.decode()
    assert not Activity.objects.exists()


def test_other_errors_say_the_chosen_photos_must_be_chosen_again(client, staff_user, partnership):
    response = login(client, staff_user).post(
        CREATE, form_data(partnership, title="", photos=[jpeg()])
    )
    page = response.content.decode()
    assert "Choose the photos again" in page
    assert not Activity.objects.exists()


def test_an_activity_ending_before_it_starts_is_refused(client, staff_user, partnership):
    response = login(client, staff_user).post(
        CREATE, form_data(partnership, starts_on="2024-03-26", ends_on="2024-03-01")
    )
    assert "An activity cannot end before it starts." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_partnership_outside_the_users_is_refused(client, staff_user):
    other = PartnershipFactory()
    response = login(client, staff_user).post(CREATE, form_data(other))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_village_of_another_partnerships_commune_is_refused_by_the_service(
    client, staff_user, partnership
):
    # A staff member of two partnerships sees the villages of both communes.
    second = PartnershipFactory()
    role_assign(
        actor=None, user=staff_user, role=RoleAssignment.Role.OFFICE_STAFF, partnership=second
    )
    elsewhere = VillageFactory(commune=second.commune, name="Thôn Nà Nưa")
    response = login(client, staff_user).post(
        CREATE, form_data(partnership, villages=[str(elsewhere.pk)], photos=[jpeg()])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Not in the partnership&#x27;s commune: Thôn Nà Nưa" in page
    assert not Activity.objects.exists()
    assert not Photo.objects.exists()


def test_the_form_offers_only_the_users_partnerships_and_their_villages(
    client, staff_user, partnership
):
    VillageFactory(commune=partnership.commune, name="Lũng Lừa")
    ended = VillageFactory(
        commune=partnership.commune, name="Thôn đã sáp nhập", valid_until=datetime.date(2020, 1, 1)
    )
    other = VillageFactory(name="Thôn xã khác")
    foreign = PartnershipFactory(name="Kết nghĩa khác")
    page = login(client, staff_user).get(CREATE).content.decode()
    assert "Lũng Lừa" in page
    assert f'data-commune="{partnership.commune_id}"' in page
    assert other.name not in page
    assert ended.name not in page
    assert foreign.name not in page
    assert "multiple" in page
    assert 'accept="image/jpeg,image/png,image/webp"' in page
    assert "js/activity.js" in page


def test_cadres_and_auditors_cannot_write(client, cadre_user, auditor_user, partnership):
    activity = ActivityFactory(partnership=partnership, title="Giữ nguyên")
    for user in (cadre_user, auditor_user):
        login(client, user)
        assert client.post(CREATE, form_data(partnership)).status_code == 403
        assert client.post(edit_url(activity), form_data(partnership)).status_code == 403
    assert Activity.objects.get().title == "Giữ nguyên"


def test_an_administrator_may_enter_for_any_partnership(client, admin_user):
    partnership = PartnershipFactory()
    response = login(client, admin_user).post(CREATE, form_data(partnership))
    assert response.status_code == 302
    assert Activity.objects.get().partnership == partnership
