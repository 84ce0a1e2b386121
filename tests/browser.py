"""Helpers of the browser tests: a real headless Chromium (Debian's chromium + chromedriver)
drives the pages served by pytest-django's live server, at a phone's width (360 px).

Without Chromium on the machine these tests are skipped with the reason; CI installs it
(.ci/run), so there they always run.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or shutil.which("chromium-browser"))
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver"))
# axe-core, vendored from npm; injected by the tests only (no page loads it).
AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe-core" / "axe.min.js"


def require_chromium() -> None:
    """Skip the test without Chromium and chromedriver (fail it where E2E_REQUIRED is set)."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("Chromium and chromedriver are required here (E2E_REQUIRED is set)")
        pytest.skip("Chromium and chromedriver are not installed (apt-get install chromium-driver)")


@pytest.fixture
def browser(live_server):
    """A headless Chromium on a 360 px phone screen, pointed at the live server."""
    require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chrome_options())
    driver.implicitly_wait(5)
    driver.base_url = live_server.url
    yield driver
    driver.quit()


def axe_problems(driver, rules: dict | None = None) -> list[str]:
    """Run axe-core on the page; its serious and critical violations, one line per element.
    ``rules``: axe's rule options (e.g. ``{"target-size": {"enabled": True}}``)."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {rules: JSON.parse(arguments[0])}).then(function (result) {"
        "  done(result.violations"
        "    .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })"
        "    .flatMap(function (v) {"
        "      return v.nodes.map(function (n) { return v.id + ': ' + n.target.join(' '); });"
        "    }));"
        "}, function (error) { done(['axe failed: ' + error]); });",
        json.dumps(rules or {}),
    )


def chrome_options(logs: tuple[str, ...] = ("browser",), *, phone: bool = True):
    """Return the options of the phone browser (``phone=False``: a 1366 x 768 desk screen);
    ``logs``: the logs it keeps (e.g. "performance", the network events of the DevTools
    protocol)."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=vi",
        # Room for the emulated phone screen below, which must fit in the window.
        "--window-size=800,1000" if phone else "--window-size=1366,768",
    ):
        options.add_argument(flag)
    if phone:
        # Chromium's windows are never narrower than 500 px, the emulated viewport is.
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2}}
        )
    options.set_capability("goog:loggingPrefs", dict.fromkeys(logs, "ALL"))
    return options


def log_in(driver, username: str, password: str = "bacung-test-pass") -> None:
    """Log in through the login page, as a person does."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{driver.base_url}/accounts/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    # Wait for the page after the login, not for the old form to go stale: Chromium may answer
    # a question about a node of the page being left with an inspector error instead.
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda d: (
            "/accounts/login/" not in d.current_url
            and d.execute_script("return document.readyState") == "complete"
        )
    )


def tap(driver, element) -> None:
    """Scroll ``element`` into the phone's viewport and tap it, as a thumb would (at once:
    Bootstrap scrolls smoothly, and a click in mid-scroll lands elsewhere)."""
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    element.click()
