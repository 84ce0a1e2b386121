"""The working lists past the count's cap (CappedCountPaginator): "more than N", never the cap
as if it were the count, and pages that stop at the cap with a note to narrow the list."""

import pytest
from django.urls import reverse

from activities.models import Receipt
from activities.views import activity as activity_views
from activities.views import distribution as distribution_views
from core import paginator as paginator_module
from households.models import Poverty
from tests.activities.activity_views.pages import LIST, login
from tests.activities.pages import english, household_in, text
from tests.factories import ActivityFactory, DistributionFactory, VillageFactory

pytestmark = pytest.mark.django_db
NARROW = (
    "Only the first 3 are listed page by page: narrow the search or the filters to see the others."
)


@pytest.fixture
def cap_of_3(monkeypatch):
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 3)


def test_the_activity_list_past_the_cap_gives_no_total_and_stops_paging(
    client, staff_user, partnership, cap_of_3, monkeypatch
):
    monkeypatch.setattr(activity_views, "PAGE_SIZE", 1)
    ActivityFactory.create_batch(5, partnership=partnership)
    login(client, staff_user)

    first = client.get(LIST)
    html = text(first)
    assert first.context["page_obj"].paginator.over_cap
    assert "Page 1<" in html
    assert "Page 1 of" not in html
    assert NARROW not in html

    # Three rows counted, three pages of one: the third is the last, however deep one asks.
    for number in ("3", "4", "999"):
        last = client.get(LIST, {"page": number})
        assert last.status_code == 200
        assert last.context["page_obj"].number == 3
        assert not last.context["page_obj"].has_next()
        assert ">Next</a>" not in text(last)
        assert NARROW in text(last)


def test_the_activity_list_under_the_cap_counts_its_pages(
    client, staff_user, partnership, cap_of_3, monkeypatch
):
    monkeypatch.setattr(activity_views, "PAGE_SIZE", 1)
    ActivityFactory.create_batch(3, partnership=partnership)
    html = text(login(client, staff_user).get(LIST))
    assert "Page 1 of 3" in html
    assert NARROW not in html


def test_the_recipients_preview_past_the_cap_says_more_than_and_adds_them_all(
    client, staff_user, partnership, cap_of_3, monkeypatch
):
    monkeypatch.setattr(distribution_views, "PREVIEW_ROWS", 1)
    distribution = DistributionFactory(partnership=partnership, value_per_item_vnd=100_000)
    village = VillageFactory(commune=partnership.commune)
    for _ in range(5):
        household_in(partnership, village=village, poverty=Poverty.POOR)
    english(client).force_login(staff_user)
    url = reverse("activities:distribution-recipients", args=[distribution.pk])
    criteria = {"statuses": ["poor"], "villages": [village.pk], "quantity": "1"}

    html = text(client.get(url, {"preview": "1", **criteria}))
    assert "Households to add: more than 3; items per household: 1." in html
    assert "Add them all: more than 3 households" in html
    assert "Households to add: 3;" not in html
    assert "Add these 3 households" not in html

    # "More than 3" was the truth: all five are added, not the three counted.
    client.post(url, criteria)
    assert Receipt.objects.filter(distribution=distribution).count() == 5


def test_the_recipients_preview_under_the_cap_gives_the_exact_count(
    client, staff_user, partnership, cap_of_3
):
    distribution = DistributionFactory(partnership=partnership)
    village = VillageFactory(commune=partnership.commune)
    for _ in range(2):
        household_in(partnership, village=village, poverty=Poverty.POOR)
    english(client).force_login(staff_user)
    url = reverse("activities:distribution-recipients", args=[distribution.pk])
    html = text(
        client.get(
            url, {"preview": "1", "statuses": ["poor"], "villages": [village.pk], "quantity": "1"}
        )
    )
    assert "Households to add: 2; items per household: 1." in html
    assert "Add these 2 households" in html
    assert "more than" not in html
