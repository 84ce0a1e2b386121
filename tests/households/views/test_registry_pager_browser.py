"""The registry's pager on a 360 px phone, past the count's cap: usable links, no sideways
scroll, the note to narrow the search on the last page."""

import pytest

from core import paginator as paginator_module
from households import selectors
from tests import factories as f
from tests.browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pager_past_the_cap_fits_a_phone(browser, staff_user, partnership, monkeypatch):
    from selenium.webdriver.common.by import By

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 4)
    village = f.VillageFactory(commune=partnership.commune)
    f.HouseholdFactory.create_batch(7, village=village)
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/households/?q=&page=2")
    pager = browser.find_element(By.CSS_SELECTOR, "nav .pagination")
    links = pager.find_elements(By.CSS_SELECTOR, "a.page-link")
    # The deepest page: "Previous" only, big enough for a thumb.
    assert len(links) == 1
    assert links[0].size["height"] >= 24
    assert "page=1" in links[0].get_attribute("href")
    note = browser.find_element(By.CSS_SELECTOR, "nav .note")
    assert note.is_displayed()
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
