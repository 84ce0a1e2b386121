"""Closing a distribution, a grant's payments and "verify it's us", in a real browser at a
phone's width: nothing scrolls sideways, the Vietnamese reads as Vietnamese, and axe-core (vendored
under static/vendor/axe-core, injected into the page) finds no serious or critical problem."""

import datetime
import uuid

import pytest
from django.utils import timezone

from activities.models import Distribution, Receipt
from activities.services import donation_allocate
from channel import ratelimit
from channel.services import site_profile_update
from tests import factories as f
from tests.browser import axe_problems, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    """/verify/ counts unknown codes in the cache: a cache of this test's own, so that earlier
    guesses from 127.0.0.1 lock nobody out here (nor are left in a shared Redis)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"e2e-axe-{uuid.uuid4().hex}",
        }
    }


def _scroll_width(browser) -> int:
    return browser.execute_script("return document.documentElement.scrollWidth")


def test_the_close_page_stacks_each_household_on_a_phone(browser, staff_user, partnership):
    from selenium.webdriver.common.by import By

    village = f.VillageFactory(commune=partnership.commune, name="Phiêng Tạ")
    distribution = f.DistributionFactory(
        partnership=partnership,
        title="Chăn ấm mùa đông cho hộ nghèo thôn Phiêng Tạ và Lũng Lừa",
        status=Distribution.Status.DISTRIBUTING,
        distributed_on=datetime.date(2024, 12, 2),
    )
    for code, name in (("LP-0101", "Hoàng Đình Hùng"), ("LP-0102", "Phùng Tài Hưng")):
        household = f.HouseholdFactory(village=village, code=code, head_name=name)
        f.ReceiptFactory(distribution=distribution, household=household)
    f.ReceiptFactory(
        distribution=distribution,
        household=f.HouseholdFactory(village=village, head_name="Ma Văn Quân"),
        confirmed_at=timezone.now(),
        confirmed_by=staff_user,
    )
    f.ReceiptFactory(
        distribution=distribution,
        household=f.HouseholdFactory(village=village, head_name="Vi Đình Kiên"),
        not_delivered_reason=Receipt.NotDelivered.MOVED,
        not_delivered_at=timezone.now(),
    )
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/distributions/{distribution.pk}/close/")
    assert "Kết thúc đợt trao" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Hoàng Đình Hùng" in browser.page_source
    assert _scroll_width(browser) <= 360
    # At 360 px each household's reason and note sit under it, across the row, with a label.
    selects = browser.find_elements(By.CSS_SELECTOR, ".close-rows select")
    assert len(selects) == 2
    for select in selects:
        assert select.size["width"] >= 280
        label = browser.find_element(By.CSS_SELECTOR, f"label[for='{select.get_attribute('id')}']")
        assert label.is_displayed()
        assert "Không trao được vì" in label.text
    assert axe_problems(browser) == []


def test_a_grant_with_its_payments_reads_on_a_phone(browser, staff_user, partnership):
    from selenium.webdriver.common.by import By

    household = f.HouseholdFactory(
        village__commune=partnership.commune, code="LP-0012", head_name="Ma Văn Thịnh"
    )
    grant = f.GrantFactory(
        partnership=partnership,
        household=household,
        description="Xây nhà tình nghĩa – Văn phòng Tỉnh ủy và các đơn vị kết nghĩa hỗ trợ",
        payments=0,
    )
    f.GrantPaymentFactory(
        grant=grant,
        amount_vnd=30_000_000,
        note="Tạm ứng đợt 1: mua vật liệu làm móng nhà",
        recorded_by=staff_user,
    )
    donation = f.DonationFactory(partnership=partnership, value_vnd=70_000_000)
    donation_allocate(actor=None, donation=donation, amount_vnd=70_000_000, grant=grant)
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/grants/{grant.pk}/")
    assert "Đã chi cho hộ" in browser.find_element(By.ID, "payments").text
    assert "Tạm ứng đợt 1: mua vật liệu làm móng nhà" in browser.page_source
    assert browser.find_element(By.CSS_SELECTOR, "form[action$='/payments/']").is_displayed()
    assert _scroll_width(browser) <= 360
    assert axe_problems(browser) == []


def test_verify_empty_found_not_found_and_too_many_attempts_on_a_phone(browser, partnership):
    from selenium.webdriver.common.by import By

    site_profile_update(
        actor=None,
        office_name="Văn phòng Tỉnh ủy Tuyên Quang",
        phone="0207 3822 111",
        address="Số 1 đường Trần Hưng Đạo, phường Minh Xuân, thành phố Tuyên Quang",
        zalo_oa_name="Văn phòng Tỉnh ủy Tuyên Quang",
    )
    receipt = f.ReceiptFactory(
        distribution=f.DistributionFactory(
            partnership=partnership, title="Quà Tết cho gia đình chính sách thôn Pác Hợp"
        ),
    )
    answers = {
        "empty": "",
        "found": f"?code={receipt.short_code}",
        "not found": "?code=ZZZZ9999",
    }
    for answer, query in answers.items():
        browser.get(f"{browser.base_url}/verify/{query}")
        assert "Xác minh cơ quan" in browser.find_element(By.TAG_NAME, "h1").text, answer
        assert "Văn phòng Tỉnh ủy Tuyên Quang" in browser.page_source, answer
        assert _scroll_width(browser) <= 360, answer
        assert axe_problems(browser) == [], answer
    # Guess unknown codes until the page answers "too many attempts" (429).
    for n in range(ratelimit.LOOKUP_MISSES.count + 1):
        browser.get(f"{browser.base_url}/verify/?code=QQQQ{n:04d}")
    assert "Thử quá nhiều lần" in browser.find_element(By.TAG_NAME, "h1").text
    assert 'href="tel:02073822111"' in browser.page_source
    assert _scroll_width(browser) <= 360
    assert axe_problems(browser) == []
