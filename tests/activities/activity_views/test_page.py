"""The activity page through the client: what it shows, 404 outside the commune, queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Participation, Photo
from tests.activities.activity_views.pages import detail_url, login
from tests.activities.test_images import picture_bytes
from tests.factories import (
    ActivityFactory,
    DistributionFactory,
    GrantFactory,
    ParticipationFactory,
    PhotoFactory,
)

pytestmark = pytest.mark.django_db


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
