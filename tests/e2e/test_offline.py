"""A day in a village without a signal, in a real Chromium at a phone's width: the cadre downloads
the commune's data, goes offline (Chrome DevTools' network emulation), confirms receipts, reports
a fault, records a concern; back online the outbox is sent and each record arrives exactly once.
A replayed outbox stores nothing new; a receipt confirmed meanwhile by someone else comes back
as a conflict with both versions; a record for a household outside the cadre's commune is
refused and stays in the outbox with the reason.

The emulation covers what the page fetches; the service worker's own fetches may escape it, so
these tests watch what the page does (the worker hands a Background Sync to an open page).
"""

import datetime
import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from activities.models import Distribution, MaintenanceLog, Receipt
from activities.services import receipt_confirm
from field.models import SyncedRecord
from households.models import Concern
from tests import factories as f
from tests.browser import log_in, tap

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(settings.BASE_DIR) / "var" / "e2e"


def _wait_for(browser, condition, timeout=20):
    """Wait for ``condition``; when it does not come, say what the page showed and logged."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(browser, timeout).until(condition)
    except TimeoutException as error:
        logs = [entry["message"] for entry in browser.get_log("browser")]
        text = browser.execute_script("return document.body ? document.body.innerText : ''")
        raise AssertionError(f"Waited in vain at {browser.current_url}: {text}\n{logs}") from error


def _shot(browser, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def _run(browser, body: str, *args):
    """Run an async function body in the page and return its result (errors come back raised)."""
    browser.set_script_timeout(30)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"(async (...args) => {{ {body} }})(...Array.from(arguments).slice(0, -1))"
        ".then((value) => done({ok: value}), (error) => done({error: String(error)}));",
        *args,
    )
    assert "error" not in result, result["error"]
    return result["ok"]


def _network(browser, *, online: bool) -> None:
    """Take the phone off the network, or back: the page (DevTools' emulation) and the service
    worker too, whose own fetches the page's emulation does not cover (its DevTools target is
    reached through the browser's target domain)."""
    conditions = {
        "offline": not online,
        "latency": 0,
        "downloadThroughput": -1,
        "uploadThroughput": -1,
    }
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)
    sessions = browser.__dict__.setdefault("worker_sessions", {})
    for target in browser.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]:
        if target["type"] != "service_worker":
            continue
        if target["targetId"] not in sessions:
            attached = browser.execute_cdp_cmd(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": False}
            )
            sessions[target["targetId"]] = attached["sessionId"]
        for number, (method, params) in enumerate(
            (("Network.enable", {}), ("Network.emulateNetworkConditions", conditions)), start=1
        ):
            message = json.dumps({"id": number, "method": method, "params": params})
            browser.execute_cdp_cmd(
                "Target.sendMessageToTarget",
                {"sessionId": sessions[target["targetId"]], "message": message},
            )
    assert sessions, "no service worker to take offline"
    _wait_for(browser, lambda d: d.execute_script("return navigator.onLine") is online)


def _outbox(browser) -> list[dict]:
    return _run(browser, "return await BacungOutbox.outbox();")


def _no_sideways_scroll(browser) -> None:
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


def _open_app_and_download(browser, username: str) -> None:
    from selenium.webdriver.common.by import By

    log_in(browser, username)
    browser.get(f"{browser.base_url}/field/")
    # The service worker takes the page over at once (clientsClaim): the shell is kept.
    _run(browser, "await navigator.serviceWorker.ready; return true;")
    _wait_for(browser, lambda d: d.execute_script("return !!navigator.serviceWorker.controller"))
    tap(browser, browser.find_element(By.CSS_SELECTOR, "[data-download]"))
    _wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-households] li a"),
    )
    kept = _run(
        browser,
        "const cache = await caches.open(BacungOutbox.SHELL_CACHE);"
        "return !!(await cache.match('/field/'));",
    )
    assert kept, "the service worker did not keep the shell"


@pytest.fixture
def village(partnership):
    return f.VillageFactory(commune=partnership.commune, name="Pác Hợp")


@pytest.fixture
def sheet(partnership, village):
    """A distribution under way in the cadre's commune: three households, three receipts."""
    distribution = f.DistributionFactory(
        partnership=partnership,
        title="Trao chăn bông mùa đông",
        status=Distribution.Status.DISTRIBUTING,
        distributed_on=timezone.localdate() - datetime.timedelta(days=1),
        item_description="Chăn bông",
    )
    heads = ["Đàm Văn Lìu", "Hoàng Thị Mai", "Nông Văn Pá"]
    receipts = [
        f.ReceiptFactory(
            distribution=distribution,
            household=f.HouseholdFactory(village=village, code=f"LP-000{n}", head_name=head),
        )
        for n, head in enumerate(heads, start=1)
    ]
    return distribution, receipts


def _confirm_on_phone(browser, receipt) -> None:
    from selenium.webdriver.common.by import By

    tap(browser, browser.find_element(By.CSS_SELECTOR, f"[data-confirm-receipt='{receipt.pk}']"))
    _wait_for(
        browser,
        lambda d: d.find_elements(
            By.CSS_SELECTOR, f"[data-receipt='{receipt.pk}'] [data-receipt-state='waiting']"
        ),
    )


def _big_photo(tmp_path):
    """A camera's photo: 3000 × 2000 px of noise, which JPEG cannot make small."""
    import os

    from PIL import Image

    path = tmp_path / "signature.jpg"
    Image.frombytes("RGB", (3000, 2000), os.urandom(3000 * 2000 * 3)).save(path, quality=95)
    assert path.stat().st_size > 3_000_000
    return path


def test_a_days_work_offline_arrives_once_and_a_replay_stores_nothing_new(
    browser, cadre_user, partnership, village, sheet, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    distribution, receipts = sheet
    asset = f.AssetFactory(partnership=partnership, village=village, code="DEN-PH-07")
    _open_app_and_download(browser, cadre_user.username)
    _no_sideways_scroll(browser)
    _shot(browser, "offline-1-downloaded")

    _network(browser, online=False)
    # With no signal, any address opens the kept app (here the registry's, which is not kept).
    browser.get(f"{browser.base_url}/households/")
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-field-shell]"))
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-households] li a"))
    _shot(browser, "offline-1b-opened-without-signal")
    offline = browser.execute_script(
        "return JSON.parse(document.getElementById('field-strings').textContent).offline"
    )
    _wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-status-network]").text == offline,
    )
    # Two receipts confirmed on the sheet, as the families sign.
    browser.get(f"{browser.base_url}/field/#distribution-{distribution.pk}")
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-confirm-receipt]"))
    # The first family signs on paper; the camera's photo (several MB) is shrunk on the phone.
    browser.find_element(By.ID, f"signature-{receipts[0].pk}").send_keys(str(_big_photo(tmp_path)))
    _wait_for(
        browser,
        lambda d: (
            d.find_element(By.CSS_SELECTOR, f"[data-receipt='{receipts[0].pk}'] img").get_attribute(
                "src"
            )
            or ""
        ).startswith("data:image/jpeg;base64,"),
    )
    _confirm_on_phone(browser, receipts[0])
    _confirm_on_phone(browser, receipts[1])
    _no_sideways_scroll(browser)
    _shot(browser, "offline-2-receipts")

    # The street light is broken.
    browser.get(f"{browser.base_url}/field/#asset-{asset.pk}")
    Select(browser.find_element(By.ID, "log-kind")).select_by_value("fault")
    browser.find_element(By.ID, "log-note").send_keys("Đèn không sáng sau mưa giông")
    tap(browser, browser.find_element(By.CSS_SELECTOR, ".field-form button[type=submit]"))
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".field-form .alert-success"))

    # A family's concern, found without typing the accents.
    browser.get(f"{browser.base_url}/field/#households")
    search = browser.find_element(By.ID, "field-search")
    search.send_keys("hoang thi mai")
    _wait_for(
        browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-households] li a")) == 1
    )
    tap(browser, browser.find_element(By.CSS_SELECTOR, "[data-households] li a"))
    browser.find_element(By.ID, "concern-text").send_keys("Mái nhà dột, xin hỗ trợ tấm lợp")
    tap(browser, browser.find_element(By.CSS_SELECTOR, ".field-form button[type=submit]"))
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".field-form .alert-success"))
    _no_sideways_scroll(browser)

    browser.get(f"{browser.base_url}/field/#outbox")
    _wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-waiting-count='4']"))
    waiting = "[data-outbox-record][data-state='waiting']"
    assert len(browser.find_elements(By.CSS_SELECTOR, waiting)) == 4
    _no_sideways_scroll(browser)
    _shot(browser, "offline-3-outbox-waiting")
    bodies = _outbox(browser)
    assert len({record["client_id"] for record in bodies}) == 4
    signature = bodies[0]["data"]["signature"]
    assert signature.startswith("data:image/jpeg;base64,")
    assert len(signature.split(",", 1)[1]) * 3 / 4 <= 300 * 1024
    assert "signature" not in bodies[1]["data"]
    assert SyncedRecord.objects.count() == 0  # nothing went out while offline

    # Back online: the page sends the outbox by itself.
    _network(browser, online=True)
    _wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-waiting-count='0']"))
    assert _outbox(browser) == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "[data-sent]")) == 4
    _shot(browser, "offline-4-sent")

    assert SyncedRecord.objects.count() == 4
    assert set(SyncedRecord.objects.values_list("client_id", flat=True)) == {
        uuid.UUID(record["client_id"]) for record in bodies
    }
    confirmed = Receipt.objects.filter(confirmed_at__isnull=False).order_by("pk")
    assert list(confirmed.values_list("pk", flat=True)) == [receipts[0].pk, receipts[1].pk]
    assert Receipt.objects.get(pk=receipts[0].pk).confirmed_by == cadre_user
    assert Receipt.objects.get(pk=receipts[0].pk).signature
    assert not Receipt.objects.get(pk=receipts[1].pk).signature
    assert MaintenanceLog.objects.filter(asset=asset, kind=MaintenanceLog.Kind.FAULT).count() == 1
    concern = Concern.objects.get()
    assert concern.household == receipts[1].household
    assert concern.text == "Mái nhà dột, xin hỗ trợ tấm lợp"

    # The same outbox again, twice (a lost answer, a second tab): answered "already", nothing new.
    for _ in range(2):
        _run(
            browser,
            "const [records] = args;"
            "const db = await new Promise((ok, no) => {"
            "  const r = indexedDB.open('bacung-field'); r.onsuccess = () => ok(r.result);"
            "  r.onerror = () => no(r.error); });"
            "await new Promise((ok, no) => {"
            "  const t = db.transaction('outbox', 'readwrite');"
            "  records.forEach((record) => {"
            "    const copy = Object.assign({}, record, {state: 'waiting'});"
            "    delete copy.seq; t.objectStore('outbox').add(copy); });"
            "  t.oncomplete = ok; t.onerror = () => no(t.error); });"
            "db.close(); return true;",
            bodies,
        )
        summary = _run(browser, "return await BacungField.send();")
        assert summary["sent"] == 4
    assert _outbox(browser) == []
    sent = _run(browser, "return (await BacungOutbox.sent()).map((record) => record.status);")
    assert sent[-8:] == ["already"] * 8
    assert SyncedRecord.objects.count() == 4
    assert Receipt.objects.filter(confirmed_at__isnull=False).count() == 2
    assert MaintenanceLog.objects.filter(asset=asset).count() == 1
    assert Concern.objects.count() == 1
    # The stored bodies posted again by hand, as a replaying client would: "already", 200.
    answers = _run(
        browser,
        "const [records] = args; const token = await BacungOutbox.csrfToken(); const out = [];"
        "for (const r of records) {"
        "  const response = await fetch('/field/api/sync/', {method: 'POST',"
        "    credentials: 'same-origin', headers: {'Content-Type': 'application/json',"
        "    'X-CSRFToken': token}, body: JSON.stringify({client_id: r.client_id, kind: r.kind,"
        "    recorded_at: r.recorded_at, base: r.base, data: r.data})});"
        "  out.push([response.status, (await response.json()).status]); }"
        "return out;",
        bodies,
    )
    assert answers == [[200, "already"]] * 4
    assert SyncedRecord.objects.count() == 4


def test_a_receipt_confirmed_meanwhile_is_a_conflict_and_a_household_elsewhere_is_refused(
    browser, cadre_user, staff_user, partnership, sheet
):
    from selenium.webdriver.common.by import By

    distribution, receipts = sheet
    elsewhere = f.HouseholdFactory(village__commune=f.PartnershipFactory().commune, code="XA-0009")
    _open_app_and_download(browser, cadre_user.username)

    _network(browser, online=False)
    browser.get(f"{browser.base_url}/field/#distribution-{distribution.pk}")
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-confirm-receipt]"))
    # Meanwhile, in the commune office, a colleague ticks the same receipt on the paper sheet.
    receipt_confirm(actor=staff_user, receipt=receipts[2])
    _confirm_on_phone(browser, receipts[2])
    # And a record for a family of another commune finds its way into the outbox.
    user_id = _run(browser, "return (await BacungOutbox.loadData()).user.id;")
    assert user_id == cadre_user.pk
    _run(
        browser,
        "const [user, household] = args;"
        "return await BacungOutbox.record(user, 'concern', {}, {household: household,"
        " kind: 'change', raised_on: '2026-01-05', text: 'Không thuộc xã này'}, 'XA-0009');",
        cadre_user.pk,
        elsewhere.pk,
    )
    browser.get(f"{browser.base_url}/field/#outbox")
    _wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-waiting-count='2']"))

    _network(browser, online=True)
    _wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-waiting-count='0']"))
    conflict = browser.find_element(By.CSS_SELECTOR, "[data-outbox-record][data-state='conflict']")
    versions = conflict.find_elements(By.CSS_SELECTOR, ".field-version")
    assert len(versions) == 2  # the server's and mine, side by side (stacked on a phone)
    assert all(version.find_elements(By.CSS_SELECTOR, "dt") for version in versions)
    assert conflict.find_element(By.CSS_SELECTOR, ".field-message").text  # the server's reason
    refused = browser.find_element(By.CSS_SELECTOR, "[data-outbox-record][data-state='refused']")
    assert refused.find_element(By.CSS_SELECTOR, ".field-message").text
    _no_sideways_scroll(browser)
    _shot(browser, "offline-5-conflict-and-refused")
    # Nothing of either was stored: the receipt stays the colleague's, no concern elsewhere.
    assert SyncedRecord.objects.count() == 0
    assert Receipt.objects.get(pk=receipts[2].pk).confirmed_by == staff_user
    assert not Concern.objects.filter(household=elsewhere).exists()
    states = sorted(record["state"] for record in _outbox(browser))
    assert states == ["conflict", "refused"]

    # Sent again, the refused record is refused again: it stays, with the reason.
    from selenium.webdriver.support import expected_conditions

    retry = refused.find_element(By.XPATH, ".//button[contains(@class, 'btn-outline-primary')]")
    tap(browser, retry)
    _wait_for(browser, expected_conditions.staleness_of(refused))  # drawn again: sent again
    _wait_for(browser, lambda d: sorted(r["state"] for r in _outbox(d)) == ["conflict", "refused"])
    assert not Concern.objects.filter(household=elsewhere).exists()
    _wait_for(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-outbox-record][data-state='refused']"),
    )

    # The cadre keeps the server's version (after the question): the record leaves the outbox.
    conflict = browser.find_element(By.CSS_SELECTOR, "[data-outbox-record][data-state='conflict']")
    tap(browser, conflict.find_element(By.CSS_SELECTOR, ".btn-outline-danger"))
    browser.switch_to.alert.accept()
    _wait_for(browser, lambda d: [r["state"] for r in _outbox(d)] == ["refused"])
    assert SyncedRecord.objects.count() == 0
    assert json.dumps(_outbox(browser)[0]["data"]["household"]) == str(elsewhere.pk)


def test_the_cadre_sends_theirs_again_on_the_current_version_and_the_app_passes_axe(
    browser, cadre_user, staff_user, partnership, sheet
):
    """ "Send mine again" on a conflict: the server applies the record on what it holds now (a
    receipt someone else confirmed stays theirs), it is stored once and leaves the outbox. The
    app's views, conflict included, have no serious axe-core problem at 360 px."""
    import time

    from selenium.webdriver.common.by import By

    from tests.e2e.test_phone_pages import _axe_problems

    def no_axe_problems():
        # A view drawn a moment ago may still be settling: a real problem stays after a second.
        problems = _axe_problems(browser)
        for _ in range(3):
            if not problems:
                break
            time.sleep(0.5)
            problems = _axe_problems(browser)
        assert problems == []

    distribution, receipts = sheet
    # No colour transitions while axe reads the colours (a tab switched a moment ago would be
    # measured half-way between its two colours): the phone asks for reduced motion.
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    _open_app_and_download(browser, cadre_user.username)
    browser.get(f"{browser.base_url}/field/#households")
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "main input"))
    no_axe_problems()
    _network(browser, online=False)
    browser.get(f"{browser.base_url}/field/#distribution-{distribution.pk}")
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-confirm-receipt]"))
    no_axe_problems()
    receipt_confirm(actor=staff_user, receipt=receipts[1])
    _confirm_on_phone(browser, receipts[1])
    browser.get(f"{browser.base_url}/field/#outbox")
    _wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-waiting-count='1']"))

    _network(browser, online=True)
    _wait_for(browser, lambda d: [r["state"] for r in _outbox(d)] == ["conflict"])
    _wait_for(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-outbox-record][data-state='conflict']"),
    )
    no_axe_problems()
    _no_sideways_scroll(browser)
    conflict = browser.find_element(By.CSS_SELECTOR, "[data-outbox-record][data-state='conflict']")
    tap(browser, conflict.find_element(By.CSS_SELECTOR, ".btn-primary"))
    _wait_for(browser, lambda d: _outbox(d) == [])
    record = SyncedRecord.objects.get()
    assert record.kind == "receipt_confirm"
    receipt = Receipt.objects.get(pk=receipts[1].pk)
    assert receipt.confirmed_by == staff_user  # the colleague's confirmation stays theirs
    assert SyncedRecord.objects.count() == 1


def test_logging_out_empties_the_phone(browser, cadre_user, partnership, sheet):
    from selenium.webdriver.common.by import By

    _open_app_and_download(browser, cadre_user.username)
    assert _run(browser, "return !!(await BacungOutbox.loadData());")
    logout = browser.find_element(By.CSS_SELECTOR, "form[action='/accounts/logout/'] button")
    browser.execute_script("arguments[0].form.requestSubmit(arguments[0])", logout)
    _wait_for(browser, lambda d: "/accounts/login/" in d.current_url)
    _wait_for(browser, lambda d: d.execute_script("return document.readyState") == "complete")
    held = _run(
        browser,
        "const db = await new Promise((ok) => { const r = indexedDB.open('bacung-field');"
        "  r.onsuccess = () => ok(r.result); });"
        "const count = (store) => new Promise((ok) => {"
        "  db.transaction(store).objectStore(store).count().onsuccess ="
        "    (e) => ok(e.target.result); });"
        "const shell = await caches.has('bacung-field-shell');"
        "return {meta: await count('meta'), outbox: await count('outbox'), shell: shell,"
        "  flag: localStorage.getItem('bacung-field')};",
    )
    assert held == {"meta": 0, "outbox": 0, "shell": False, "flag": None}


def test_a_session_that_ended_keeps_the_records_until_the_cadre_logs_in_again(
    browser, cadre_user, partnership, sheet
):
    from selenium.webdriver.common.by import By

    _distribution, receipts = sheet
    family = receipts[0].household
    _open_app_and_download(browser, cadre_user.username)
    _network(browser, online=False)
    browser.get(f"{browser.base_url}/field/#household-{family.pk}")
    browser.find_element(By.ID, "concern-text").send_keys("Con đi học xa, xin hỗ trợ xe đạp")
    tap(browser, browser.find_element(By.CSS_SELECTOR, ".field-form button[type=submit]"))
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".field-form .alert-success"))
    browser.get(f"{browser.base_url}/field/#outbox")
    _wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "[data-waiting-count='1']"))

    # Half an hour without a request ends the session (SESSION_IDLE_MINUTES): the server says
    # 401, the record stays and the page asks to log in again.
    browser.delete_cookie("sessionid")
    _network(browser, online=True)
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-state='login'] a"))
    _shot(browser, "offline-6-log-in-again")
    assert not Concern.objects.exists()

    # The login page forgets the downloaded data (the person may not come back) but not the work.
    browser.get(f"{browser.base_url}/accounts/login/")
    _wait_for(browser, lambda d: d.execute_script("return !!window.BacungOutbox"))
    _run(browser, "await window.BacungField.ready; return true;")
    assert _run(browser, "return await BacungOutbox.loadData();") is None
    assert [record["state"] for record in _outbox(browser)] == ["login"]
    assert not _run(browser, "return await caches.has(BacungOutbox.SHELL_CACHE);")

    # The same cadre logs in: the first page sends what waited.
    log_in(browser, cadre_user.username)
    _wait_for(browser, lambda d: Concern.objects.filter(household=family).exists())
    _wait_for(browser, lambda d: _outbox(d) == [])
    assert SyncedRecord.objects.count() == 1


def test_the_phone_forgets_everything_after_14_days_without_the_server(
    browser, cadre_user, partnership, sheet
):
    from selenium.webdriver.common.by import By

    _distribution, receipts = sheet
    _open_app_and_download(browser, cadre_user.username)
    _run(
        browser,
        "const [user, household] = args;"
        "await BacungOutbox.record(user, 'concern', {}, {household: household, kind: 'concern',"
        " raised_on: '2026-01-05', text: 'Ghi từ lâu'}, 'LP-0001');"
        "const db = await new Promise((ok) => { const r = indexedDB.open('bacung-field');"
        "  r.onsuccess = () => ok(r.result); });"
        "await new Promise((ok) => { const t = db.transaction('meta', 'readwrite');"
        "  t.objectStore('meta').put(Date.now() - 15 * 24 * 3600 * 1000, 'lastContact');"
        "  t.oncomplete = ok; });"
        "db.close(); return true;",
        cadre_user.pk,
        receipts[0].household.pk,
    )
    browser.get(f"{browser.base_url}/field/")
    expired = browser.execute_script(
        "return JSON.parse(document.getElementById('field-strings').textContent).expired"
    )
    _wait_for(
        browser,
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-download-message]").text == expired,
    )
    assert _run(browser, "return await BacungOutbox.loadData();") is None
    assert _outbox(browser) == []
    assert not Concern.objects.exists()


def test_a_survey_section_filled_offline_is_saved_on_the_server(browser, cadre_user, partnership):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from households.models import Survey
    from households.services import survey_start

    family = f.HouseholdFactory(village__commune=partnership.commune, head_name="Lý Thị Dung")
    campaign = f.ReviewCampaignFactory(commune=partnership.commune)
    survey = survey_start(
        actor=None, entry=f.CampaignHouseholdFactory(campaign=campaign, household=family)
    )
    _open_app_and_download(browser, cadre_user.username)
    _network(browser, online=False)
    browser.get(f"{browser.base_url}/field/#survey-{survey.pk}-housing")
    walls = Select(browser.find_element(By.CSS_SELECTOR, "[data-field='walls']"))
    assert walls.first_selected_option.get_attribute("value") == ""  # nothing chosen for them
    # Saved with a required answer missing: refused on the phone, nothing in the outbox.
    tap(browser, browser.find_element(By.CSS_SELECTOR, ".field-form button[type=submit]"))
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".field-form .alert-danger"))
    assert _outbox(browser) == []
    walls.select_by_value("hardwood")
    Select(browser.find_element(By.CSS_SELECTOR, "[data-field='frame']")).select_by_value(
        "hardwood"
    )
    Select(browser.find_element(By.CSS_SELECTOR, "[data-field='roof']")).select_by_value("tiles")
    browser.find_element(By.CSS_SELECTOR, "[data-field='floor_area_m2']").send_keys("36")
    _no_sideways_scroll(browser)
    _shot(browser, "offline-7-survey-section")
    tap(browser, browser.find_element(By.CSS_SELECTOR, ".field-form button[type=submit]"))
    _wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".field-form .alert-success"))
    [made] = _outbox(browser)
    assert made["data"]["fields"]["walls"] == "hardwood"
    assert made["data"]["fields"]["floor_area_m2"] == 36

    _network(browser, online=True)
    _wait_for(browser, lambda d: _outbox(d) == [])
    record = SyncedRecord.objects.get()
    assert record.kind == SyncedRecord.Kind.SURVEY_SECTION
    assert Survey.objects.get(pk=survey.pk).version > survey.version
