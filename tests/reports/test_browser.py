"""The report pages in a real browser at a phone's width: the dashboard's bars (drawn by the
server, no script) show under the CSP, nothing scrolls sideways, the donor's photos load."""

import datetime

import pytest

from activities.services import donation_allocate, photo_process
from tests import factories as f
from tests.browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _csp_errors(driver) -> list:
    return [
        entry
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "Content Security Policy" in entry["message"]
    ]


def test_the_dashboard_draws_its_charts_on_a_phone(browser, staff_user, partnership):
    asset = f.AssetFactory(partnership=partnership, installed_on=datetime.date(2023, 8, 28))
    donation = f.DonationFactory(partnership=partnership, value_vnd=2_050_000)
    donation_allocate(actor=None, donation=donation, amount_vnd=2_050_000, asset=asset)
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/reports/dashboard/")
    # Each chart is on screen; the funding bar of 2023 (the asset's year) fills its row.
    widths = browser.execute_script(
        "return ['chart-funding', 'chart-households', 'chart-improved', 'chart-participants']"
        ".map(function (id) { return document.getElementById(id).getBoundingClientRect().width; })"
    )
    assert all(width > 250 for width in widths), widths
    bar = browser.execute_script(
        "var row = Array.from(document.querySelectorAll('#chart-funding .bar-row'))"
        "  .find(function (r) { return r.textContent.indexOf('2023') === 0; });"
        "var rect = row.querySelector('rect').getBoundingClientRect();"
        "var svg = row.querySelector('svg').getBoundingClientRect();"
        "return [Math.round(rect.width), Math.round(svg.width), row.textContent];"
    )
    assert bar[0] == bar[1] > 100, bar
    assert "2.050.000" in bar[2]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    assert _csp_errors(browser) == []


def test_the_donor_sees_the_photos_on_a_phone(browser, donor_user, donor_partner, partnership):
    activity = f.ActivityFactory(partnership=partnership)
    distribution = f.DistributionFactory(partnership=partnership, activity=activity)
    donation = f.DonationFactory(partnership=partnership, partner=donor_partner, value_vnd=900_000)
    donation_allocate(actor=None, donation=donation, amount_vnd=900_000, distribution=distribution)
    photo = f.PhotoFactory(activity=activity, consent_to_publish=True, caption="Trao quà")
    photo_process(actor=None, photo=photo)
    log_in(browser, donor_user.username)
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{browser.base_url}/reports/donor/")
    # The photos load lazily: bring them into view, as a donor scrolling down does.
    browser.execute_script(
        "document.querySelector('.donor-photos').scrollIntoView({behavior: 'instant'})"
    )
    loaded = (
        "return Array.from(document.querySelectorAll('.donor-photos img'))"
        ".map(function (img) { return img.complete && img.naturalWidth > 0; })"
    )
    WebDriverWait(browser, 5).until(lambda d: d.execute_script(loaded) == [True])
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    assert _csp_errors(browser) == []
