"""The activity list through the client, for each role: scope, rows, filters, queries."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from tests.activities.activity_views.pages import LIST, detail_url, login
from tests.factories import ActivityFactory, PhotoFactory, VillageFactory

pytestmark = pytest.mark.django_db


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
    client, staff_user, partnership, rows, django_assert_num_queries
):
    _many_activities(partnership, rows)
    login(client, staff_user)
    # Session, user, role assignments, communes (one recursive query), years, count, villages
    # of the filter, page, villages of the page's rows (the session is not written back
    # within a minute: core.idle).
    # Exactly these for 2 rows and for 25: the count does not grow with the rows.
    with django_assert_num_queries(9):
        response = client.get(LIST, {"kind": Activity.Kind.COMMUNITY_WORK})
    assert len(response.context["activities"]) == rows
