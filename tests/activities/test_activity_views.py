"""The activity pages through the client: list, page, create and edit, for each role."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity, Participation, Photo
from outreach.models import RoleAssignment
from outreach.services import role_assign
from tests.activities.test_images import noise_png, phone_photo_with_gps, picture_bytes
from tests.factories import (
    ActivityFactory,
    DistributionFactory,
    GrantFactory,
    ParticipationFactory,
    PartnershipFactory,
    PhotoFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("activities:activity-list")
CREATE = reverse("activities:activity-create")


def detail_url(activity):
    return reverse("activities:activity-detail", kwargs={"pk": activity.pk})


def edit_url(activity):
    return reverse("activities:activity-update", kwargs={"pk": activity.pk})


def login(client, user, english=True):
    client.force_login(user)
    if english:
        client.cookies["django_language"] = "en"
    return client


def jpeg(name="anh.jpg", **kwargs):
    return SimpleUploadedFile(name, picture_bytes(**kwargs), content_type="image/jpeg")


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data(partnership, **overrides):
    data = {
        "partnership": str(partnership.pk),
        "kind": Activity.Kind.COMMUNITY_WORK,
        "title": "Ra quân làm đường hoa",
        "starts_on": "2024-03-26",
        "ends_on": "2024-03-27",
        "location": "",
        "description": "Trồng hoa ven đường liên thôn",
        "office_staff_count": "12",
        "cadre_count": "8",
        "resident_count": "40",
        "photo_caption": "",
        "photo_credit": "",
        **management("participants"),
        **management("existing"),
    }
    data.update(overrides)
    return data


# --- list --------------------------------------------------------------------------------------


def test_the_list_shows_the_activities_of_the_users_commune_only(client, staff_user, partnership):
    inside = ActivityFactory(partnership=partnership, title="Hướng dẫn chuyển đổi số")
    outside = ActivityFactory(title="Hoạt động xã khác")
    page = login(client, staff_user).get(LIST).content.decode()
    assert inside.title in page
    assert outside.title not in page


def test_cadres_and_auditors_read_the_list(client, cadre_user, auditor_user, partnership):
    inside = ActivityFactory(partnership=partnership)
    outside = ActivityFactory()
    cadre_page = login(client, cadre_user).get(LIST).content.decode()
    assert inside.title in cadre_page
    assert outside.title not in cadre_page
    auditor_page = login(client, auditor_user).get(LIST).content.decode()
    assert inside.title in auditor_page
    assert outside.title in auditor_page
    assert reverse("activities:activity-create") not in auditor_page


def test_donors_do_not_see_the_working_pages(client, donor_user, partnership):
    activity = ActivityFactory(partnership=partnership)
    login(client, donor_user)
    assert client.get(LIST).status_code == 403
    assert client.get(detail_url(activity)).status_code == 403


def test_a_row_shows_kind_dates_villages_participants_and_photo_count(
    client, staff_user, partnership
):
    village = VillageFactory(commune=partnership.commune, name="Pác Hợp")
    activity = ActivityFactory(
        partnership=partnership,
        kind=Activity.Kind.STUDY_TRIP,
        starts_on=datetime.date(2024, 5, 18),
        ends_on=datetime.date(2024, 5, 19),
        office_staff_count=10,
        cadre_count=5,
        resident_count=7,
    )
    activity.villages.set([village])
    PhotoFactory.create_batch(3, activity=activity)
    response = login(client, staff_user).get(LIST)
    row = response.content.decode()
    listed = response.context["activities"][0]
    assert (listed.participant_total, listed.photo_total) == (22, 3)
    assert "Study trip" in row
    assert "18/05/2024 – 19/05/2024" in row
    assert "Pác Hợp" in row


def test_the_list_is_newest_first_and_filters_by_kind_year_and_village(
    client, staff_user, partnership
):
    pac_hop = VillageFactory(commune=partnership.commune, name="Pác Hợp")
    old = ActivityFactory(
        partnership=partnership, starts_on=datetime.date(2022, 8, 1), title="Thùng rác 2022"
    )
    new = ActivityFactory(
        partnership=partnership,
        starts_on=datetime.date(2024, 5, 18),
        kind=Activity.Kind.STUDY_TRIP,
        title="Về nguồn Tân Trào",
    )
    lights = ActivityFactory(
        partnership=partnership, starts_on=datetime.date(2023, 9, 1), title="Thắp sáng đường quê"
    )
    lights.villages.set([pac_hop])
    login(client, staff_user)

    def titles(**params):
        return [a.title for a in client.get(LIST, params).context["activities"]]

    assert titles() == [new.title, lights.title, old.title]
    assert titles(kind=Activity.Kind.STUDY_TRIP) == [new.title]
    assert titles(year="2022") == [old.title]
    assert titles(village=pac_hop.pk) == [lights.title]
    page = client.get(LIST).content.decode()
    assert '<option value="2023">2023</option>' in page


def _many_activities(partnership, count):
    villages = VillageFactory.create_batch(2, commune=partnership.commune)
    for _ in range(count):
        activity = ActivityFactory(partnership=partnership)
        activity.villages.set(villages)
        PhotoFactory(activity=activity)


@pytest.mark.parametrize("rows", [2, 25])
def test_the_list_costs_the_same_queries_for_few_and_many_rows(
    client, staff_user, partnership, rows, django_assert_max_num_queries
):
    _many_activities(partnership, rows)
    login(client, staff_user)
    # Session, user, role assignments, communes (2), years, count, villages of the filter, page,
    # villages of the page's rows; the session's idle timer is written back (3).
    with django_assert_max_num_queries(13):
        response = client.get(LIST, {"kind": Activity.Kind.COMMUNITY_WORK})
    assert len(response.context["activities"]) == rows


# --- page --------------------------------------------------------------------------------------


def test_the_page_shows_counts_participants_photos_and_what_was_given(
    client, cadre_user, partnership
):
    activity = ActivityFactory(
        partnership=partnership,
        description="Tặng quà gia đình chính sách",
        office_staff_count=6,
        cadre_count=3,
        resident_count=21,
    )
    ParticipationFactory(
        activity=activity, name="Ma Đình Liệu", group=Participation.Group.COMMUNE_CADRE
    )
    ready = PhotoFactory(activity=activity, caption="Trao quà", state=Photo.State.READY)
    ready.display.save("d.jpg", SimpleUploadedFile("d.jpg", picture_bytes()), save=False)
    ready.thumbnail.save("t.jpg", SimpleUploadedFile("t.jpg", picture_bytes()), save=False)
    ready.save()
    PhotoFactory(activity=activity, caption="Đang xử lý")
    DistributionFactory(partnership=partnership, activity=activity, title="Trao 100 suất quà")
    GrantFactory(partnership=partnership, activity=activity, description="Nhà tình nghĩa")
    page = login(client, cadre_user).get(detail_url(activity)).content.decode()
    assert "Tặng quà gia đình chính sách" in page
    assert "<strong>30</strong>" in page
    assert "Ma Đình Liệu" in page
    assert f'href="{ready.display.url}"' in page
    assert f'src="{ready.thumbnail.url}"' in page
    assert "Being processed" in page  # the placeholder of the pending photo
    assert "Trao 100 suất quà" in page
    assert "Nhà tình nghĩa" in page
    assert "70.000.000" in page


def test_an_activity_outside_the_users_commune_is_404(client, staff_user, cadre_user):
    outside = ActivityFactory()
    assert login(client, staff_user).get(detail_url(outside)).status_code == 404
    assert login(client, cadre_user).get(detail_url(outside)).status_code == 404
    assert (
        client.get(reverse("activities:activity-detail", kwargs={"pk": 999_999})).status_code == 404
    )


def test_the_page_costs_a_fixed_number_of_queries(
    client, staff_user, partnership, django_assert_max_num_queries
):
    activity = ActivityFactory(partnership=partnership)
    ParticipationFactory.create_batch(8, activity=activity)
    PhotoFactory.create_batch(6, activity=activity)
    DistributionFactory.create_batch(3, partnership=partnership, activity=activity)
    login(client, staff_user)
    # Session, user, role assignments, communes (2), the activity, then its villages,
    # participants, photos, distributions and grants; the session written back (3).
    with django_assert_max_num_queries(14):
        assert client.get(detail_url(activity)).status_code == 200


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
