"""Every key page on a phone (360 px) and the top bar at a desk (1366 px), in a real browser.

At 360 px each page, as the role that uses it: no sideways scroll (the root's scroll width is at
most the screen's), no serious or critical axe-core violation with the target-size rule switched
on (every target at least 24 x 24 px), headings in order, every button of the page and its primary
action at least 44 x 44 px, work lists as cards. A screenshot of each page is left under
var/e2e/<page>.png. At 1366 px the top bar is one line and shows the user's whole name.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from activities.models import Distribution
from channel import services as channel_services
from channel.models import Post
from households import services as household_services
from households.models import Member, Poverty
from tests import factories as f
from tests.browser import CHROMEDRIVER, axe_problems, chrome_options, log_in, require_chromium
from tests.households.survey.conftest import members_data, save_all

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SHOTS = Path(settings.BASE_DIR) / "var" / "e2e"
PHONE = 360


def _axe_problems(browser) -> list[str]:
    """axe-core's serious and critical violations, target-size (WCAG 2.2, off by default) on."""
    return axe_problems(browser, {"target-size": {"enabled": True}})


# The buttons of the page that are smaller than a thumb (44 x 44 px), as "text WxH".
SMALL_BUTTONS = """
return [...document.querySelectorAll('main .btn:not(.p-0), main button:not(.link):not(.p-0)')]
  .filter(function (b) { return b.offsetParent !== null; })
  .map(function (b) { const r = b.getBoundingClientRect();
    return [b.textContent.trim().slice(0, 30), Math.round(r.width), Math.round(r.height)]; })
  .filter(function (b) { return b[1] < 44 || b[2] < 44; })
  .map(function (b) { return b[0] + ' ' + b[1] + 'x' + b[2]; });
"""
# The levels of the headings shown, in the order of the page.
HEADINGS = """
return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
  .filter(function (h) { return h.getClientRects().length > 0; })
  .map(function (h) { return Number(h.tagName[1]); });
"""


def _screenshot(browser, name: str) -> None:
    """Save the whole page (not only the screen) as var/e2e/<name>.png."""
    import base64

    SHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": PHONE, "height": min(height, 8000), "scale": 1},
        },
    )
    (SHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def _problems_of(browser, name: str, path: str, primary: str | None) -> list[str]:
    """Open ``path`` and return what is wrong with it on a phone (nothing: an empty list)."""
    from selenium.webdriver.common.by import By

    browser.get(f"{browser.base_url}{path}")
    problems = []
    if "Server Error" in browser.title or "Page not found" in browser.title:
        return [f"{name}: {browser.title}"]
    width = browser.execute_script("return document.documentElement.scrollWidth")
    if width > PHONE:
        problems.append(f"{name}: scrolls sideways ({width} px)")
    problems += [f"{name}: {problem}" for problem in _axe_problems(browser)]
    problems += [f"{name}: button under 44 px: {b}" for b in browser.execute_script(SMALL_BUTTONS)]
    levels = browser.execute_script(HEADINGS)
    if levels.count(1) != 1 or any(b > a + 1 for a, b in zip([1, *levels], levels, strict=False)):
        problems.append(f"{name}: headings out of order {levels}")
    if primary:
        found = [e for e in browser.find_elements(By.CSS_SELECTOR, primary) if e.is_displayed()]
        if not found:
            problems.append(f"{name}: no primary action {primary}")
        for element in found[:1]:
            size = element.size
            if size["width"] < 44 or size["height"] < 44:
                problems.append(f"{name}: primary action {size['width']}x{size['height']}")
    _screenshot(browser, name)
    return problems


@pytest.fixture
def field(partnership, staff_user, donor_partner):
    """A commune's work as the pages show it: households with members, a review campaign with a
    survey, a distribution under way with receipts, activities, assets, a grant, donations of
    the donor, a post and a fault reported by a villager."""
    today = timezone.localdate()
    commune = partnership.commune
    villages = [
        f.VillageFactory(commune=commune, name=name)
        for name in ("Pác Hợp", "Phiêng Tạ", "Khuổi Hỏi")
    ]
    households = []
    for n, (head, village) in enumerate(
        [
            ("Đàm Văn Lìu", villages[0]),
            ("Hoàng Đình Hùng", villages[1]),
            ("Phùng Tài Hưng", villages[2]),
            ("Ma Văn Quân", villages[0]),
            ("Triệu Thị Mây", villages[1]),
        ]
    ):
        household = f.HouseholdFactory(
            village=village,
            code=f"LP-{n + 1:04d}",
            head_name=head,
            poverty=Poverty.POOR if n % 2 else Poverty.NEAR_POOR,
            address=f"Thôn {village.name}, xã {commune.name}",
            flagged_for_review=n == 3,
            flag_reason="Thay đổi hoàn cảnh: chủ hộ ốm nặng, không đi làm được" if n == 3 else "",
        )
        f.MemberFactory(household=household, full_name=head, relation=Member.Relation.HEAD)
        households.append(household)
    f.MemberFactory(
        household=households[0], full_name="Đàm Thị Anh", relation=Member.Relation.CHILD
    )
    f.MemberFactory(
        household=households[0], full_name="Nông Thị Hoa", relation=Member.Relation.SPOUSE
    )
    f.ConcernFactory(household=households[1], text="Nhà dột, xin hỗ trợ tấm lợp trước mùa mưa")

    opened = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=10))
    campaign = household_services.campaign_open(
        actor=None, commune=commune, year=opened.year, opened_on=opened
    )
    entry = campaign.entries.get(household=households[0])
    survey = household_services.survey_start(actor=None, entry=entry)
    save_all(survey, members={**members_data(survey), "surveyed_on": opened})

    distribution = f.DistributionFactory(
        partnership=partnership,
        title="Chăn ấm mùa đông cho hộ nghèo thôn Phiêng Tạ và Khuổi Hỏi",
        status=Distribution.Status.DISTRIBUTING,
        distributed_on=today,
        item_description="Chăn bông và 10 kg gạo",
    )
    receipts = [f.ReceiptFactory(distribution=distribution, household=h) for h in households]
    receipts[0].confirmed_at = timezone.now()
    receipts[0].confirmed_by = staff_user
    receipts[0].save(update_fields=["confirmed_at", "confirmed_by"])
    donation = f.DonationFactory(
        partnership=partnership, partner=donor_partner, value_vnd=30_000_000
    )
    f.AllocationFactory(donation=donation, distribution=distribution, amount_vnd=2_500_000)

    activity = f.ActivityFactory(
        partnership=partnership,
        title="Hướng dẫn thanh toán không dùng tiền mặt và dịch vụ công trực tuyến toàn trình",
        starts_on=today - datetime.timedelta(days=30),
    )
    activity.villages.set(villages)
    assets = [
        f.AssetFactory(partnership=partnership, village=villages[n % 3], code=f"LP-DEN-{n:02d}")
        for n in range(4)
    ]
    channel_services.fault_report_submit(
        actor=None, asset=assets[0], what="Đèn không sáng sau trận mưa giông đêm qua"
    )
    grant = f.GrantFactory(
        partnership=partnership,
        household=households[2],
        description="Xây nhà tình nghĩa – Văn phòng Tỉnh ủy và các đơn vị kết nghĩa hỗ trợ",
    )
    channel_services.post_publish(
        actor=staff_user,
        post=Post(
            partnership=partnership,
            title="Trao chăn ấm cho hộ nghèo thôn Phiêng Tạ",
            body="Sáng nay Văn phòng phối hợp với xã trao 120 chiếc chăn ấm cho các hộ.",
            audience=Post.Audience.PARTNERSHIP,
        ),
    )
    return {
        "households": households,
        "campaign": campaign,
        "entry": entry,
        "distribution": distribution,
        "receipt": receipts[1],
        "activity": activity,
        "asset": assets[0],
        "village": villages[0],
        "donation": donation,
        "grant": grant,
        "year": today.year,
    }


def _staff_pages(field) -> list[tuple[str, str, str | None]]:
    household = field["households"][0]
    distribution = field["distribution"]
    return [
        ("home", "/", None),
        ("registry", "/households/", "main .btn-primary"),
        ("registry-member-match", "/households/?q=dam+thi+anh", "main form .btn-primary"),
        (
            "registry-filtered",
            f"/households/?village={field['village'].pk}&poverty=poor&disability=on",
            "main form .btn-primary",
        ),
        ("review-queue", "/households/reviews/", "main form .btn-primary"),
        ("review-province", "/reports/review/province/", None),
        ("case-file", f"/households/{household.pk}/", None),
        ("household-print", f"/households/{household.pk}/print/", None),
        ("campaigns", "/households/campaigns/", None),
        ("campaign", f"/households/campaigns/{field['campaign'].pk}/", None),
        ("survey", f"/households/reviews/entries/{field['entry'].pk}/survey/", None),
        ("distributions", "/distributions/", "main .btn-primary"),
        ("distribution", f"/distributions/{distribution.pk}/", None),
        ("distribution-sheet", f"/distributions/{distribution.pk}/sheet/", "[data-print]"),
        ("receipt", f"/r/{field['receipt'].short_code}/", None),
        ("activities", "/activities/", "main .btn-primary"),
        ("activity", f"/activities/{field['activity'].pk}/", None),
        ("assets", "/assets/", "main .btn-primary"),
        ("asset", f"/assets/{field['asset'].pk}/", None),
        ("asset-labels", f"/assets/labels/?village={field['village'].pk}", None),
        ("donations", "/donations/", "main .btn-primary"),
        ("donation", f"/donations/{field['donation'].pk}/", None),
        ("grants", "/grants/", "main .btn-primary"),
        ("grant", f"/grants/{field['grant'].pk}/", None),
        ("dashboard", "/reports/dashboard/", None),
        ("annual-report", f"/reports/annual/{field['year']}/", None),
        ("fault-reports", "/fault-reports/", None),
        ("posts", "/news/", None),
    ]


def test_office_pages_fit_a_phone(browser, staff_user, field):
    log_in(browser, staff_user.username)
    problems = []
    for name, path, primary in _staff_pages(field):
        problems += _problems_of(browser, name, path, primary)
    assert problems == []


def test_a_cadres_field_pages_fit_a_phone_and_their_lists_are_cards(browser, cadre_user, field):
    from selenium.webdriver.common.by import By

    distribution = field["distribution"]
    log_in(browser, cadre_user.username)
    problems = _problems_of(browser, "review-queue", "/households/reviews/", ".tc-action .btn")
    problems += _problems_of(
        browser,
        "confirm-sheet",
        f"/distributions/{distribution.pk}/confirm/",
        "main form button[type=submit]",
    )
    assert problems == []
    # Each receipt still to confirm is a card: a 24 px box, named by its household, and the
    # whole card ticks it.
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[name=receipts]")
    assert len(boxes) == 4
    for box in boxes:
        assert box.size["width"] >= 24
        assert box.size["height"] >= 24
        box_id = box.get_attribute("id")
        label = browser.find_element(By.CSS_SELECTOR, f"label.confirm-label[for='{box_id}']")
        assert label.text in {h.head_name for h in field["households"]}
    card = boxes[1].find_element(By.XPATH, "./ancestor::tr")
    assert card.size["width"] >= 300
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", card
    )
    # A tap at the card's right end, far from the box, ticks it.
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).move_to_element_with_offset(
        card, card.size["width"] // 2 - 10, 0
    ).click().perform()
    assert boxes[1].is_selected()
    assert not boxes[0].is_selected()

    # The review queue: each household a card with its head, village, reason and one big button.
    browser.get(f"{browser.base_url}/households/reviews/")
    card = browser.find_element(By.XPATH, "//td[contains(., 'Ma Văn Quân')]/ancestor::tr")
    assert "Pác Hợp" in card.text
    assert "ốm nặng" in card.text
    button = card.find_element(By.CSS_SELECTOR, ".tc-action .btn")
    assert button.size["width"] >= 300
    assert button.size["height"] >= 44


def test_the_registry_is_cards_that_open_the_case_file_and_name_the_matching_member(
    browser, staff_user, field
):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    household = field["households"][0]
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/households/?q=dam+thi+anh")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.table-cards tbody tr")
    assert len(rows) == 1
    card = rows[0]
    match = card.find_element(By.CSS_SELECTOR, ".hh-match")
    assert "Đàm Thị Anh" in match.text
    assert "Đàm Văn Lìu" not in match.text  # the head is shown as the head, not as a match
    assert card.find_element(By.CSS_SELECTOR, "td.tc-main").text.startswith("Đàm Văn Lìu")
    for text in (household.code, "Pác Hợp"):
        assert text in card.text
    # The whole card is the way in, not only the code: a tap on its lower right corner.
    assert card.size["height"] >= 44
    ActionChains(browser).move_to_element_with_offset(
        card, card.size["width"] // 2 - 8, card.size["height"] // 2 - 8
    ).click().perform()
    WebDriverWait(browser, 10).until(
        lambda d: d.current_url.rstrip("/").endswith(f"/households/{household.pk}")
    )


def test_the_donor_report_fits_a_phone(browser, donor_user, field):
    log_in(browser, donor_user.username)
    assert _problems_of(browser, "donor-report", "/reports/donor/", None) == []


def test_public_pages_fit_a_phone(browser, field):
    problems = _problems_of(browser, "login", "/accounts/login/", "main form button[type=submit]")
    problems += _problems_of(browser, "verify", "/verify/", "main form button[type=submit]")
    assert problems == []


def test_the_language_switch_is_in_the_bar_on_a_phone(browser, cadre_user):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    log_in(browser, cadre_user.username)
    assert not browser.find_element(By.ID, "main-menu").is_displayed()
    switch = browser.find_element(By.CSS_SELECTOR, "nav button[name=language][value=en]")
    assert switch.is_displayed()
    assert switch.size["height"] >= 44
    switch.click()
    WebDriverWait(browser, 5).until(lambda d: "Welcome" in d.page_source)


@pytest.fixture
def desk_browser(live_server):
    """A headless Chromium on a 1366 x 768 desk screen (the phone's emulation cannot be undone
    for one page: chromedriver applies it again on every navigation)."""
    require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chrome_options(phone=False))
    driver.implicitly_wait(5)
    driver.base_url = live_server.url
    yield driver
    driver.quit()


@pytest.mark.parametrize("fixture", ["staff_user", "auditor_user", "cadre_user"])
def test_the_top_bar_is_one_line_at_a_desk_with_the_whole_name(desk_browser, request, fixture):
    from selenium.webdriver.common.by import By

    browser = desk_browser
    user = request.getfixturevalue(fixture)
    user.last_name, user.first_name = "Nguyễn Thị", "Thu Hà"
    user.save(update_fields=["last_name", "first_name"])
    log_in(browser, user.username)
    browser.get(f"{browser.base_url}/")
    assert browser.execute_script("return window.innerWidth") == 1366
    bar = browser.find_element(By.CSS_SELECTOR, "nav.topbar")
    assert bar.size["height"] <= 64  # one line of links (two would be 100 px and more)
    who = browser.find_element(By.CSS_SELECTOR, "nav .who")
    assert who.is_displayed()
    assert "Thu Hà" in who.text
    fits = browser.execute_script(
        "const e = arguments[0], r = e.getBoundingClientRect();"
        "return e.scrollWidth <= e.clientWidth && r.right <= window.innerWidth;",
        who,
    )
    assert fits
    # The menu's links sit on the bar's one line, the pages under "More" behind one button.
    tops = {
        round(link.location["y"])
        for link in browser.find_elements(By.CSS_SELECTOR, "#main-menu > ul > li > .nav-link")
    }
    assert len(tops) == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"topbar-1366-{fixture}.png"))
