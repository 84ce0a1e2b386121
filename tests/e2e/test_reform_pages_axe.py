"""The pages the 2025 reform and the commune's own lists changed, in a real browser at a phone's
width: the import preview with its column mapping, a case file on the old map with today's place
beside it, the registry and the review queue past the count's cap. Nothing scrolls sideways, the
text reads in Vietnamese, axe-core finds no serious or critical problem. ``E2E_SHOTS=<folder>``
(``make e2e``) keeps a screenshot of each."""

import datetime
import os
from pathlib import Path

import pytest

from core import paginator as paginator_module
from households import selectors, services
from households.models import HouseholdImport
from outreach.models import RoleAssignment
from tests import factories as f
from tests.browser import axe_problems, log_in
from tests.households.test_import_commune_lists import commune_list

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("E2E_SHOTS")
FIRST, LAST = datetime.date(2025, 7, 1), datetime.date(2025, 6, 30)


def _looked_at(browser, name: str, *words: str) -> None:
    """The page fits 360 px, reads in Vietnamese, passes axe; keep its screenshot."""
    from selenium.webdriver.common.by import By

    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(360, min(max(height, 800), 4000))
        browser.save_screenshot(str(Path(SHOTS) / f"{name}.png"))
        browser.set_window_size(360, 800)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    text = browser.find_element(By.TAG_NAME, "body").text
    for word in words:
        assert word in text
    problems = axe_problems(browser)
    assert problems == [], problems


def test_the_import_preview_with_its_column_mapping_reads_on_a_phone(
    browser, staff_user, partnership
):
    commune = partnership.commune
    commune.name = "Tri Phú"
    commune.save(update_fields=["name"])
    for name in ("Pác Hợp", "Lũng Lừa"):
        f.VillageFactory(commune=commune, name=name)
    job = services.household_import_start(
        actor=staff_user, commune=commune, content=commune_list(), filename="danh-sach.xlsx"
    )
    services.household_import_check(job_id=job.pk)
    household_import = HouseholdImport.objects.get(check_job=job)
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/households/import/{household_import.pk}/")
    _looked_at(browser, "import-preview-mapping", "Họ và tên", "Kiểm tra lại")


def test_a_case_file_on_the_old_map_shows_todays_place_on_a_phone(browser, live_server):
    new = f.CommuneFactory(name="Tri Phú", valid_from=FIRST)
    old = f.CommuneFactory(
        name="Linh Phú", province=new.province, valid_until=LAST, merged_into=new
    )
    after = f.VillageFactory(commune=new, name="Pác Hợp", valid_from=FIRST)
    before = f.VillageFactory(commune=old, name="Pác Hợp", valid_until=LAST, merged_into=after)
    staff = f.UserFactory(is_staff=True)
    RoleAssignment.objects.create(
        user=staff,
        role=RoleAssignment.Role.OFFICE_STAFF,
        partnership=f.PartnershipFactory(commune=new),
    )
    household = f.HouseholdFactory(
        commune=old, village=before, address="Thôn Pác Hợp, xã Linh Phú, huyện Chiêm Hóa"
    )
    log_in(browser, staff.username)
    browser.get(f"{browser.base_url}/households/{household.pk}/")
    _looked_at(browser, "case-file-old-map", "nay là Pác Hợp, Tri Phú", "Linh Phú → Tri Phú")


def test_the_registry_and_the_review_queue_past_the_cap_read_on_a_phone(
    browser, staff_user, partnership, monkeypatch
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(paginator_module, "COUNT_CAP", 4)
    village = f.VillageFactory(commune=partnership.commune)
    # Never reviewed: all seven are due.
    f.HouseholdFactory.create_batch(7, village=village)
    log_in(browser, staff_user.username)
    browser.get(f"{browser.base_url}/households/?page=2")
    _looked_at(browser, "registry-past-the-cap", "hơn 4", "thu hẹp")
    browser.get(f"{browser.base_url}/households/reviews/")
    _looked_at(browser, "review-queue-past-the-cap", "hơn 4")
