"""A commune cadre runs a whole review campaign for a village on a 360 px phone, in a real
browser: the list, each household's survey section by section, the village meeting (one
household not carried goes back to survey and comes back to a second meeting), the public
posting, a complaint settled, the decision, the minutes and a certificate as PDF.

Every page is checked as it loads: nothing scrolls sideways and the buttons are big enough for a
thumb (44 px). The households' classifications change only with the decision. With
``E2E_SHOTS=<folder>`` the main pages are also saved there as full-height screenshots.
"""

import datetime
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from households.models import (
    CampaignHousehold,
    Decision,
    Household,
    Member,
    Poverty,
    Review,
    ReviewCampaign,
)
from tests import factories as f
from tests.browser import log_in, tap

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture(autouse=True)
def _vietnamese_phone(monkeypatch):
    """Start Chromium in Vietnamese (before the browser fixture): on Linux it takes its locale,
    and so its date boxes' dd/mm/yyyy, from LANGUAGE, not from --lang (with Debian's
    chromium-l10n installed)."""
    monkeypatch.setenv("LANGUAGE", "vi")


WIDTH, HEIGHT = 360, 800
THUMB = 44  # px: the smallest target a thumb hits reliably (WCAG 2.5.5, Apple's and Android's)
SHOTS = os.environ.get("E2E_SHOTS")
State = CampaignHousehold.State


def _wait_for(browser, condition, timeout=10):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout, ignored_exceptions=(WebDriverException,)).until(
        condition
    )


def _phone(browser, height: int = HEIGHT) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": height, "deviceScaleFactor": 2, "mobile": True},
    )


def _small_buttons(browser) -> list[str]:
    """The visible buttons of the page's main part shorter than a thumb."""
    return browser.execute_script(
        "const least = arguments[0];"
        "return Array.from(document.querySelectorAll("
        "  'main .btn, main button, main input[type=submit], main a.button'))"
        "  .filter(function (el) { return el.offsetParent !== null; })"
        "  .filter(function (el) { return el.getBoundingClientRect().height < least; })"
        "  .map(function (el) {"
        "    return Math.round(el.getBoundingClientRect().height) + 'px: '"
        "      + el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40); });",
        THUMB,
    )


def _check(browser, shot: str | None = None) -> None:
    """After a page load: the page is whole, fits 360 px, has no small button; save a shot."""
    _wait_for(browser, lambda d: d.execute_script("return document.readyState") == "complete")
    assert "Server Error" not in browser.title, browser.current_url
    assert browser.execute_script("return window.innerWidth") == WIDTH
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= WIDTH, (browser.current_url, width)
    assert _small_buttons(browser) == [], browser.current_url
    if SHOTS and shot:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        full = browser.execute_script("return document.documentElement.scrollHeight")
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": full, "deviceScaleFactor": 1, "mobile": True},
        )
        browser.save_screenshot(str(Path(SHOTS) / f"{shot}.png"))
        _phone(browser)


def _go(browser, path: str, shot: str | None = None) -> None:
    browser.get(f"{browser.base_url}{path}")
    _check(browser, shot)


def _submit(browser, shot: str | None = None) -> None:
    """Tap the form's submit button and wait for the next page."""
    from selenium.webdriver.common.by import By

    old = browser.find_element(By.TAG_NAME, "html")
    tap(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    _wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "html").id != old.id)
    _check(browser, shot)


def _follow(browser, css: str, shot: str | None = None) -> None:
    from selenium.webdriver.common.by import By

    old = browser.find_element(By.TAG_NAME, "html")
    tap(browser, browser.find_element(By.CSS_SELECTOR, css))
    _wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "html").id != old.id)
    _check(browser, shot)


def _entries(browser) -> list:
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, "main [data-entry]")


def _type(browser, name: str, text) -> None:
    from selenium.webdriver.common.by import By

    box = browser.find_element(By.NAME, name)
    box.clear()
    box.send_keys(str(text))


def _type_date(browser, name: str, day: datetime.date) -> None:
    """Type ``day`` into the page's date box as a person does: dd/mm/yyyy, whatever the
    browser's language (the box is text, not the browser's own date picker)."""
    from selenium.webdriver.common.by import By

    box = browser.find_element(By.NAME, name)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.clear()
    box.send_keys(f"{day:%d/%m/%Y}")
    assert box.get_attribute("value") == f"{day:%d/%m/%Y}", name


def _choose(browser, name: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.NAME, name)).select_by_value(value)


def _radio(browser, name: str, value: str) -> None:
    from selenium.webdriver.common.by import By

    tap(browser, browser.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']"))


def _tick(browser, name: str, on: bool, value: str | None = None) -> None:
    from selenium.webdriver.common.by import By

    css = f"input[name='{name}']" + (f"[value='{value}']" if value else "")
    box = browser.find_element(By.CSS_SELECTOR, css)
    if box.is_selected() != on:
        tap(browser, box)


# A household's survey, as the cadre answers it at the door: each member's facts by name, the
# house, the services and the income over 12 months.
GOOD_PERSON = {
    "school_level": "upper_secondary",
    "health_insurance": True,
    "work": "own_account",
    "able_to_work": True,
    "attending_school": False,
}
CHILD = {
    "school_level": "lower_secondary",
    "health_insurance": True,
    "work": "not_working",
    "able_to_work": False,
    "attending_school": True,
}


def _survey_members(browser, household, surveyed_on, people):
    _type_date(browser, "surveyed_on", surveyed_on)
    _radio(browser, "area", "rural")
    for member in household.members.order_by("pk"):
        facts = people[member.full_name]
        prefix = f"p{member.pk}-"
        _choose(browser, prefix + "school_level", facts["school_level"])
        _choose(browser, prefix + "work", facts["work"])
        for name in ("attending_school", "health_insurance", "able_to_work"):
            _tick(browser, prefix + name, facts[name])


def _survey(browser, entry, *, surveyed_on, people, housing, services, income, expect):
    """Do the household's survey section by section from its survey page; return the page's
    deprivations {indicator: reason} and the proposed classification."""
    from selenium.webdriver.common.by import By

    _go(browser, f"/households/reviews/entries/{entry.pk}/survey/")
    if browser.find_elements(By.CSS_SELECTOR, "main form[method=post] button[type=submit]"):
        _submit(browser)  # start the survey
    base = f"/households/reviews/entries/{entry.pk}/survey/"
    _follow(browser, f"a[href='{base}members/']", shot="survey-section-members")
    _survey_members(browser, entry.household, surveyed_on, people)
    _submit(browser)
    _follow(browser, f"a[href='{base}housing/']")
    for name, value in housing.items():
        if name == "floor_area_m2":
            _type(browser, name, value)
        else:
            _choose(browser, name, value)
    _submit(browser)
    _follow(browser, f"a[href='{base}services/']", shot="survey-section-services")
    _choose(browser, "water", services["water"])
    _choose(browser, "toilet", services["toilet"])
    _radio(browser, "uses_telecom", "yes")
    if browser.find_elements(By.NAME, "information_means"):
        _tick(browser, "information_means", True, "television")
    if browser.find_elements(By.NAME, "waste"):
        _choose(browser, "waste", "collected")
    _submit(browser)
    _follow(browser, f"a[href='{base}income/']", shot="survey-section-income")
    for name, value in income.items():
        _type(browser, name, value)
    _tick(browser, "causes", True, "capital")
    _tick(browser, "needs", True, "credit")
    _submit(browser, shot="survey-detail")
    found = {
        item.get_attribute("data-indicator"): item.text
        for item in browser.find_elements(By.CSS_SELECTOR, "li[data-indicator]")
    }
    proposed = browser.find_element(By.CSS_SELECTOR, "[data-proposed]").get_attribute(
        "data-proposed"
    )
    assert proposed == expect, (entry.household.code, found)
    return found


def _days():
    """The campaign's dates, in order and none after today (whatever day the test runs)."""
    today = timezone.localdate()
    start = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=40))
    return [min(today, start + datetime.timedelta(days=n)) for n in (0, 1, 5, 10, 11, 12, 14, 20)]


def _household(village, code, name, poverty, members):
    household = f.HouseholdFactory(village=village, code=code, head_name=name, poverty=poverty)
    for full_name, relation, year in members:
        f.MemberFactory(
            household=household, full_name=full_name, relation=relation, birth_year=year
        )
    return household


def _pdf_text(browser, href: str) -> str:
    """Fetch ``href`` with the browser's session; check it is a PDF; return its text."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    url = href if href.startswith("http") else f"{browser.base_url}{href}"
    request = urllib.request.Request(url, headers={"Cookie": cookies})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.headers["Content-Type"] == "application/pdf"
        content = response.read()
    assert content.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def test_a_cadre_runs_a_village_review_from_the_list_to_the_certificate(
    browser, cadre_user, partnership
):
    from selenium.webdriver.common.by import By

    opened, surveyed, met, met_again, posted, received, settled, until = _days()
    signed = until
    year = opened.year
    village = f.VillageFactory(commune=partnership.commune, name="Nà Khà")
    head, spouse, child = Member.Relation.HEAD, "spouse", Member.Relation.CHILD
    hung = _household(
        village,
        "LP-0301",
        "Nông Văn Hùng",
        Poverty.POOR,
        [
            ("Nông Văn Hùng", head, 1980),
            ("Hoàng Thị Mai", spouse, 1982),
            ("Nông Văn An", child, 2012),
        ],
    )
    lan = _household(
        village,
        "LP-0302",
        "Ma Thị Lan",
        Poverty.NEAR_POOR,
        [("Ma Thị Lan", head, 1975), ("Ma Văn Tú", spouse, 1973)],
    )
    kien = _household(
        village,
        "LP-0303",
        "Vi Đình Kiên",
        Poverty.NONE,
        [("Vi Đình Kiên", head, 1970), ("Lục Thị Hoa", spouse, 1972)],
    )
    f.HouseholdFactory(village=village, code="LP-0399", poverty=Poverty.NONE)  # not reviewed
    before = dict(Household.objects.values_list("code", "poverty"))

    log_in(browser, cadre_user.username)
    _phone(browser)
    # The campaigns page; open this year's periodic review.
    _go(browser, "/households/campaigns/")
    _follow(browser, "a[href='/households/campaigns/new/']", shot="campaign-create")
    assert browser.find_element(By.NAME, "year").get_attribute("value") == str(year)
    browser.find_element(By.NAME, "opened_on").clear()
    _type_date(browser, "opened_on", opened)
    _submit(browser)
    campaign_url = browser.current_url.replace(browser.base_url, "")
    campaign = ReviewCampaign.objects.get(commune=partnership.commune, year=year)
    assert campaign_url == f"/households/campaigns/{campaign.pk}/"
    listed = [item.get_attribute("data-entry") for item in _entries(browser)]
    assert listed == ["LP-0301", "LP-0302"]

    # Add a household by hand, with the reason.
    _follow(browser, f"a[href='{campaign_url}households/new/']")
    _type(browser, "code", "LP-0303")
    _type(browser, "reason", "Chủ hộ ốm nặng, gia đình xin được rà soát lại")
    _submit(browser, shot="campaign-detail-listed")
    assert "LP-0303" in [item.get_attribute("data-entry") for item in _entries(browser)]
    entries = {e.household.code: e for e in campaign.entries.select_related("household")}
    assert entries["LP-0303"].why == CampaignHousehold.Why.ADDED
    assert entries["LP-0303"].note == "Chủ hộ ốm nặng, gia đình xin được rà soát lại"

    # Each household's survey, section by section.
    found = _survey(
        browser,
        entries["LP-0301"],
        surveyed_on=surveyed,
        people={"Nông Văn Hùng": GOOD_PERSON, "Hoàng Thị Mai": GOOD_PERSON, "Nông Văn An": CHILD},
        housing={"walls": "bamboo", "frame": "bamboo", "roof": "leaves", "floor_area_m2": 15},
        services={"water": "unprotected_spring", "toilet": "none"},
        income={"income_crops_vnd": "24.000.000", "income_wages_vnd": "12.000.000"},
        expect=Poverty.POOR,
    )
    assert {"housing_quality", "housing_area", "water", "toilet"} <= set(found)
    assert all(": " in reason and reason.split(": ", 1)[1] for reason in found.values())
    found = _survey(
        browser,
        entries["LP-0302"],
        surveyed_on=surveyed,
        people={"Ma Thị Lan": GOOD_PERSON, "Ma Văn Tú": GOOD_PERSON},
        housing={
            "walls": "concrete_brick",
            "frame": "concrete",
            "roof": "tiles",
            "floor_area_m2": 40,
        },
        services={"water": "tap", "toilet": "pit"},
        income={"income_crops_vnd": "33.600.000"},
        expect=Poverty.NEAR_POOR,
    )
    assert set(found) == {"toilet"}
    _survey(
        browser,
        entries["LP-0303"],
        surveyed_on=surveyed,
        people={"Vi Đình Kiên": GOOD_PERSON, "Lục Thị Hoa": GOOD_PERSON},
        housing={
            "walls": "concrete_brick",
            "frame": "concrete",
            "roof": "tiles",
            "floor_area_m2": 60,
        },
        services={"water": "tap", "toilet": "flush_septic"},
        income={"income_business_vnd": "72.000.000"},
        expect=Poverty.NONE,
    )
    assert set(campaign.entries.values_list("state", flat=True)) == {State.SURVEYED}

    # The village meeting: Ma Thị Lan's household is not carried and goes back to survey.
    _go(browser, campaign_url, shot="campaign-detail-surveyed")
    _follow(browser, f"a[href='{campaign_url}meetings/new/']", shot="meeting-village")
    _choose(browser, "village", str(village.pk))
    _submit(browser)
    _type_date(browser, "held_on", met)
    _type(browser, "chair", "Hoàng Văn Thắng")
    _type(browser, "supervisor", "Lường Thị Thu")
    _type(browser, "secretary", "Nông Thị Hà")
    _type(browser, "present", 40)
    _type(browser, f"votes_{entries['LP-0301'].pk}", 32)
    _type(browser, f"votes_{entries['LP-0302'].pk}", 15)
    _type(browser, f"votes_{entries['LP-0303'].pk}", 36)
    if SHOTS:
        _check(browser, shot="meeting-form")
    _submit(browser)
    states = dict(campaign.entries.values_list("household__code", "state"))
    assert states == {"LP-0301": State.AGREED, "LP-0302": State.LISTED, "LP-0303": State.AGREED}
    assert browser.find_elements(By.CSS_SELECTOR, "[data-entry='LP-0302'] [data-resurvey]")
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-entry='LP-0301'] [data-resurvey]")
    assert dict(Household.objects.values_list("code", "poverty")) == before

    # Survey it again (a better harvest than first said) and hold a second meeting.
    _go(browser, f"/households/reviews/entries/{entries['LP-0302'].pk}/survey/")
    _follow(browser, f"a[href$='/{entries['LP-0302'].pk}/survey/income/']")
    _type(browser, "income_crops_vnd", "45.600.000")
    _submit(browser)
    assert (
        browser.find_element(By.CSS_SELECTOR, "[data-proposed]").get_attribute("data-proposed")
        == Poverty.AVERAGE
    )
    _go(browser, f"{campaign_url}meetings/new/?village={village.pk}")
    assert browser.find_elements(By.NAME, f"votes_{entries['LP-0302'].pk}")
    assert not browser.find_elements(By.NAME, f"votes_{entries['LP-0301'].pk}")
    _type_date(browser, "held_on", met_again)
    _type(browser, "chair", "Hoàng Văn Thắng")
    _type(browser, "present", 30)
    _type(browser, f"votes_{entries['LP-0302'].pk}", 25)
    _submit(browser)
    assert set(campaign.entries.values_list("state", flat=True)) == {State.AGREED}

    # The public posting, a complaint, its settlement.
    _follow(browser, f"a[href='{campaign_url}postings/new/']")
    _type_date(browser, "posted_from", posted)
    _type_date(browser, "posted_until", until)
    _choose(browser, "village", str(village.pk))
    _type(browser, "place", "Nhà văn hoá thôn Nà Khà")
    _submit(browser)
    _follow(browser, f"a[href='{campaign_url}complaints/new/']")
    _type_date(browser, "received_on", received)
    _type(browser, "complainant", "Ma Văn Tú")
    _type(browser, "code", "LP-0302")
    _type(browser, "text", "Gia đình đề nghị xem lại thu nhập từ chăn nuôi.")
    _submit(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "a[href$='/settle/']")
    assert not browser.find_elements(By.CSS_SELECTOR, f"a[href='{campaign_url}decision/new/']")
    _follow(browser, "a[href$='/settle/']")
    _type_date(browser, "settled_on", settled)
    _type(browser, "resolution", "Đã giải thích cách tính thu nhập; gia đình đồng ý.")
    _submit(browser)
    assert dict(Household.objects.values_list("code", "poverty")) == before
    assert not Review.objects.filter(household__village=village).exists()

    # The decision.
    _follow(browser, f"a[href='{campaign_url}decision/new/']", shot="decision-form")
    _type(browser, "number", "125/QĐ-UBND")
    _type_date(browser, "signed_on", signed)
    _type(browser, "signer", "Hoàng Văn Minh")
    _type(browser, "signer_title", "Chủ tịch UBND xã")
    _submit(browser, shot="campaign-detail-decided")
    decision = Decision.objects.get(campaign=campaign)
    assert decision.number == "125/QĐ-UBND"

    # The minutes of the first meeting and Hùng's certificate, as PDF.
    minutes = browser.find_elements(By.CSS_SELECTOR, "a[href$='/minutes.pdf']")
    assert len(minutes) == 2
    text = _pdf_text(browser, minutes[0].get_attribute("href"))
    assert "Nà Khà" in text
    assert "Hoàng Văn Thắng" in text
    review = Review.objects.get(household=hung)
    certificate = browser.find_element(
        By.CSS_SELECTOR, f"a[href='/households/reviews/{review.pk}/certificate.pdf']"
    )
    text = _pdf_text(browser, certificate.get_attribute("href"))
    assert "125/QĐ-UBND" in text
    assert "Nông Văn Hùng" in text

    # The review tables of the year show the decision.
    _go(browser, f"/reports/review/?commune={partnership.commune.pk}&year={year}", "review-tables")
    assert "125/QĐ-UBND" in browser.find_element(By.TAG_NAME, "main").text

    # The classifications changed with the decision only, each with its review row.
    after = dict(Household.objects.values_list("code", "poverty"))
    assert after == {
        **before,
        "LP-0301": Poverty.POOR,
        "LP-0302": Poverty.AVERAGE,
        "LP-0303": Poverty.NONE,
    }
    for household, previous in ((hung, Poverty.POOR), (lan, Poverty.NEAR_POOR), (kien, "none")):
        review = Review.objects.get(household=household)
        assert review.decision == decision
        assert review.previous_classification == previous
        assert review.classification == after[household.code]
        assert review.reviewed_on == signed
    assert Review.objects.filter(household__village=village).count() == 3
    assert set(campaign.entries.values_list("state", flat=True)) == {State.DECIDED}
