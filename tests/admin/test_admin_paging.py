"""The admin's changelists past the count's cap (CappedCountPaginator): "more than N" in the
page's language, never the cap shown as the count; the exact count below it; no error for a
page past the last."""

import pytest
from django.contrib import admin
from django.utils.translation import gettext

from core import paginator as paginator_module
from households.models import Household
from tests.admin.pages import _url
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
CHANGELIST = _url(Household, "changelist")


@pytest.fixture
def cap_of_3(monkeypatch):
    """Households counted up to 3 and listed one a page: five rows behave as a province would."""
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 3)
    monkeypatch.setattr(admin.site._registry[Household], "list_per_page", 1)


@pytest.fixture
def vietnamese_admin(client, admin_user):
    """An administrator's client in the site's language, Vietnamese (no language cookie)."""
    client.force_login(admin_user)
    return client


def _more_than(count) -> str:
    return gettext("more than %(count)s %(name)s") % {
        "count": count,
        "name": Household._meta.verbose_name_plural,
    }


def _narrow(count) -> str:
    return gettext(
        "Only the first %(count)s are listed page by page: narrow the search or the filters to "
        "see the others."
    ) % {"count": count}


def test_past_the_cap_the_changelist_says_more_than_in_vietnamese(vietnamese_admin, cap_of_3):
    HouseholdFactory.create_batch(5)
    response = vietnamese_admin.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    name = str(Household._meta.verbose_name_plural)
    assert name == "hộ gia đình"  # the page is in Vietnamese
    assert _more_than(3) in html
    # Neither the cap nor the real number is shown as the count.
    assert f"3 {name}" not in html.replace(_more_than(3), "")
    assert f"5 {name}" not in html
    # The search's "N results" says "more than" too, and "select all" does not claim 3.
    assert gettext("more than %(count)s results") % {"count": 3} in html
    assert (
        gettext("Select all %(name)s that match: more than %(count)s")
        % {
            "name": name,
            "count": 3,
        }
        in html
    )
    assert _narrow(3) not in html  # page 1 of 3


def test_past_the_cap_the_last_page_says_to_narrow_and_a_deeper_one_is_no_error(
    vietnamese_admin, cap_of_3
):
    HouseholdFactory.create_batch(5)
    last = vietnamese_admin.get(CHANGELIST, {"p": 3})
    assert last.status_code == 200
    assert len(last.context["cl"].result_list) == 1
    assert _narrow(3) in last.content.decode()
    # Past the capped pages Django's changelist goes back to its first page, as for any bad page.
    deeper = vietnamese_admin.get(CHANGELIST, {"p": 4}, follow=True)
    assert deeper.status_code == 200
    assert deeper.redirect_chain == [(f"{CHANGELIST}?e=1", 302)]
    assert deeper.context["cl"].page_num == 1


def test_the_big_changelists_count_only_what_they_show(vietnamese_admin, cap_of_3):
    # No full count of the table beside the capped one: it alone would read a million rows.
    HouseholdFactory.create_batch(5)
    cl = vietnamese_admin.get(CHANGELIST).context["cl"]
    assert cl.show_full_result_count is False
    assert cl.full_result_count is None
    assert cl.result_count == 3


def test_under_the_cap_the_changelist_gives_the_exact_count(vietnamese_admin, cap_of_3):
    HouseholdFactory.create_batch(2)
    html = vietnamese_admin.get(CHANGELIST).content.decode()
    name = Household._meta.verbose_name_plural
    assert f"2 {name}" in html
    assert _more_than(2) not in html
    assert gettext("more than %(count)s results") % {"count": 2} not in html
    assert _narrow(2) not in html


def test_the_real_cap_is_written_the_vietnamese_way(vietnamese_admin, monkeypatch):
    # As if 10,001 rows had been counted.
    monkeypatch.setattr(
        paginator_module.CappedCountPaginator, "counted", property(lambda self: self.cap + 1)
    )
    HouseholdFactory.create_batch(2)
    html = vietnamese_admin.get(CHANGELIST).content.decode()
    assert _more_than("10.000") in html
    assert "10000" not in html
