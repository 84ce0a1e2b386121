"""The daily work, in a real browser at a phone's width: find a household without typing its
accents, report a broken light, record an activity with a photo, tick receipts on a sheet."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from activities.models import Activity, Asset, Distribution, MaintenanceLog, Photo, Receipt
from households.models import CaseFileView
from tests import factories as f
from tests.browser import log_in, tap

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for(browser, condition, timeout=10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def test_staff_find_a_household_without_accents_and_open_its_case_file(
    browser, staff_user, partnership
):
    from selenium.webdriver.common.by import By

    village = f.VillageFactory(commune=partnership.commune, name="Pác Hợp")
    wanted = f.HouseholdFactory(village=village, code="LP-0420", head_name="Ma Đình Liệu")
    f.HouseholdFactory(village=village, code="LP-0421", head_name="Hoàng Văn Sơn")
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/households/")
    search = browser.find_element(By.NAME, "q")
    search.send_keys("MA DINH LIEU")
    search.submit()
    _wait_for(browser, lambda d: "LP-0421" not in d.page_source)
    assert "Ma Đình Liệu" in browser.page_source
    tap(browser, browser.find_element(By.LINK_TEXT, "LP-0420"))
    _wait_for(browser, lambda d: "/households/" in d.current_url and "LP-0420" in d.title)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    assert CaseFileView.objects.filter(household=wanted, user=staff_user).exists()


def test_a_cadre_reports_a_broken_light_from_a_phone(browser, cadre_user, partnership):
    from selenium.webdriver.common.by import By

    asset = f.AssetFactory(partnership=partnership, code="DEN-PH-07", status=Asset.Status.WORKING)
    log_in(browser, cadre_user.username)
    browser.get(f"{browser.base_url}/assets/{asset.pk}/fault/")
    browser.find_element(By.NAME, "note").send_keys("Đèn không sáng sau mưa giông")
    tap(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    _wait_for(browser, lambda d: d.current_url.rstrip("/").endswith(f"/assets/{asset.pk}"))
    asset.refresh_from_db()
    assert asset.status == Asset.Status.FAULTY
    entry = MaintenanceLog.objects.get(asset=asset, kind=MaintenanceLog.Kind.FAULT)
    assert entry.recorded_by == cadre_user
    assert entry.happened_on == timezone.localdate()
    assert "Đèn không sáng sau mưa giông" in browser.page_source


def _photo_with_gps(path):
    image = Image.new("RGB", (900, 600), (40, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken sideways
    exif[0x8825] = {1: "N", 2: (21.0, 50.0, 1.0)}  # where: the GPS a phone writes
    image.save(path, "JPEG", exif=exif)
    return path


def test_staff_record_an_activity_with_a_photo_that_comes_out_clean(
    browser, staff_user, partnership, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    f.VillageFactory(commune=partnership.commune, name="Lũng Lừa")
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/activities/new/")
    browser.find_element(By.NAME, "title").send_keys("Khơi thông cống rãnh thôn Lũng Lừa")
    Select(browser.find_element(By.NAME, "kind")).select_by_value("community_work")
    starts = browser.find_element(By.NAME, "starts_on")
    browser.execute_script("arguments[0].value = '2024-03-23'", starts)
    browser.find_element(By.NAME, "photos").send_keys(str(_photo_with_gps(tmp_path / "a.jpg")))
    browser.find_element(By.NAME, "office_staff_count").clear()
    browser.find_element(By.NAME, "office_staff_count").send_keys("12")
    tap(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    _wait_for(browser, lambda d: Activity.objects.filter(title__startswith="Khơi").exists())
    activity = Activity.objects.get(title="Khơi thông cống rãnh thôn Lũng Lừa")
    photo = Photo.objects.get(activity=activity)
    _wait_for(browser, lambda d: Photo.objects.get(pk=photo.pk).state == Photo.State.READY)
    photo.refresh_from_db()
    with photo.image.open("rb") as stored:
        clean = Image.open(io.BytesIO(stored.read()))
        assert clean.size == (600, 900)  # turned upright
        assert not clean.getexif()  # no orientation, no GPS left
    assert activity.office_staff_count == 12


def test_a_cadre_ticks_every_receipt_of_a_sheet_and_confirms_them(browser, cadre_user, partnership):
    from selenium.webdriver.common.by import By

    distribution = f.DistributionFactory(
        partnership=partnership, status=Distribution.Status.APPROVED
    )
    receipts = [f.ReceiptFactory(distribution=distribution) for _ in range(3)]
    log_in(browser, cadre_user.username)
    browser.get(f"{browser.base_url}/distributions/{distribution.pk}/confirm/")
    tap(browser, browser.find_element(By.CSS_SELECTOR, "[data-check-all]"))  # the page's script
    ticked = browser.find_elements(By.CSS_SELECTOR, "input[name=receipts]:checked")
    assert len(ticked) == 3
    tap(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    _wait_for(
        browser,
        lambda d: (
            Receipt.objects.filter(distribution=distribution, confirmed_at__isnull=False).count()
            == 3
        ),
    )
    for receipt in receipts:
        receipt.refresh_from_db()
        assert receipt.confirmed_by == cadre_user
