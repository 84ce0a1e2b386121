"""The pages issue 19 changed, in a real browser at a phone's width: the admin's household list
past the count's cap ("hơn 3 hộ gia đình"), the activity list past it, and a province's dashboard
added up by commune. Nothing scrolls sideways, the text reads in Vietnamese, axe-core finds no
serious or critical problem. ``E2E_SHOTS=<folder>`` (``make e2e``) keeps a screenshot of each."""

import datetime

import pytest

from activities.views import activity as activity_views
from core import paginator as paginator_module
from reports.selectors import dashboard_tables
from tests import factories as f
from tests.browser import log_in
from tests.e2e.test_reform_pages_axe import _looked_at

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_list_past_the_cap_reads_on_a_phone(browser, admin_user, monkeypatch):
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 3)
    from households.admin import HouseholdAdmin

    monkeypatch.setattr(HouseholdAdmin, "list_per_page", 1)
    f.HouseholdFactory.create_batch(5)
    log_in(browser, admin_user.username)
    browser.get(f"{browser.base_url}/admin/households/household/")
    _looked_at(browser, "admin-households-past-the-cap", "hơn 3 hộ gia đình")


def test_the_activity_list_past_the_cap_reads_on_a_phone(
    browser, staff_user, partnership, monkeypatch
):
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 3)
    monkeypatch.setattr(activity_views, "PAGE_SIZE", 1)
    f.ActivityFactory.create_batch(5, partnership=partnership)
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/activities/?page=3")
    _looked_at(browser, "activities-past-the-cap", "Trang 3", "thu hẹp")


def test_a_province_dashboard_by_commune_reads_on_a_phone(browser, admin_user, monkeypatch):
    monkeypatch.setattr(dashboard_tables, "VILLAGE_ROWS", 1)
    for commune in ("Tri Phú", "Kim Bình"):
        partnership = f.PartnershipFactory(commune=f.CommuneFactory(name=commune))
        for village in ("Thôn 1", "Thôn 2"):
            f.AssetFactory(
                partnership=partnership,
                village=f.VillageFactory(commune=partnership.commune, name=village),
                installed_on=datetime.date(2024, 3, 1),
            )
    log_in(browser, admin_user.username)
    browser.get(f"{browser.base_url}/reports/dashboard/")
    _looked_at(browser, "dashboard-by-commune", "Theo xã", "Tri Phú", "Kim Bình")
