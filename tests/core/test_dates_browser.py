"""In a real Chromium whose language is English: a date typed 02/12/2026 is 2 December, and the
login button is a thumb-sized primary button across the phone's width (issue 16)."""

import datetime

import pytest
from django.urls import reverse

from tests import factories as f
from tests.browser import chrome_options, log_in, require_chromium, tap

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def english_phone(live_server):
    require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from tests.browser import CHROMEDRIVER

    options = chrome_options()
    options.add_argument("--lang=en-US")
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    driver.base_url = live_server.url
    yield driver
    driver.quit()


def test_the_login_button_is_big_and_across_the_phone(english_phone):
    from selenium.webdriver.common.by import By

    english_phone.get(f"{english_phone.base_url}/accounts/login/")
    button = english_phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    field = english_phone.find_element(By.NAME, "username")
    assert button.size["height"] >= 44
    assert button.size["width"] >= field.size["width"] - 1
    assert english_phone.execute_script("return document.documentElement.scrollWidth") <= 360


def test_a_date_typed_day_first_on_an_english_phone_is_that_day(
    english_phone, staff_user, partnership
):
    from selenium.webdriver.common.by import By

    from households.models import Concern

    household = f.HouseholdFactory(village=f.VillageFactory(commune=partnership.commune))
    assert english_phone.execute_script("return navigator.language") == "en-US"
    log_in(english_phone, staff_user.username)
    url = reverse("households:concern-create", args=[household.pk])
    english_phone.get(f"{english_phone.base_url}{url}")
    box = english_phone.find_element(By.NAME, "raised_on")
    assert box.get_attribute("type") == "text"
    assert box.get_attribute("placeholder")
    box.clear()
    box.send_keys("02/12/2026")
    english_phone.find_element(By.NAME, "text").send_keys("Mái nhà dột.")
    tap(english_phone, english_phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    from selenium.webdriver.support.ui import WebDriverWait

    saved = Concern.objects.filter(household=household)
    WebDriverWait(english_phone, 10).until(lambda _driver: saved.exists())
    concern = Concern.objects.get(household=household)
    assert concern.raised_on == datetime.date(2026, 12, 2)
