"""The layout in a real browser: the menu at a phone's width, the language switch, no CSP errors."""

import pytest

from tests.browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cadre_uses_the_menu_on_a_phone_and_switches_language(browser, cadre_user):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    log_in(browser, cadre_user.username)
    assert "Xin chào" in browser.page_source
    # 360 px: the menu is folded behind the toggler; Bootstrap's script (served by the app,
    # allowed by the CSP) opens it.
    menu = browser.find_element(By.ID, "main-menu")
    assert not menu.is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".navbar-toggler").click()
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.ID, "main-menu").is_displayed())
    # The page does not scroll sideways on a phone.
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360
    browser.find_element(By.CSS_SELECTOR, "button[name=language][value=en]").click()
    WebDriverWait(browser, 5).until(lambda d: "Welcome" in d.page_source)
    assert "Welcome" in browser.page_source
    errors = [
        entry
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and "Content Security Policy" in entry["message"]
    ]
    assert errors == []
