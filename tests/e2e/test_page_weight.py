"""Page weight in production mode, as a phone on mobile data pays it: every key page with all it
loads is at most 100 KB on the wire with a cold cache and at most 20 KB with a warm one, and
nothing comes from another site.

The app runs as in production: gunicorn with DEBUG=0, whitenoise serving the hashed, compressed
files of a fresh collectstatic. Only over plain http on 127.0.0.1 (no TLS proxy here):
SECURE_SSL_REDIRECT=0, the one production setting changed (Chromium keeps Secure cookies from
127.0.0.1, a secure context). The data is the test database, filled here with a small
demo-like data set and handed to gunicorn: on SQLite a copy of it, on PostgreSQL the test
database itself. Bytes are counted twice: by Chromium (the DevTools network log: every response
with its headers as received, from a cache nothing) and by gunicorn's access log (every body it
sent during the load, so also what a service worker fetched, which the page's log does not see).

``E2E_SHOTS=<folder>`` saves each page, as loaded cold, as a screenshot there.
"""

import contextlib
import datetime
import http.client
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from activities.models import Distribution
from activities.services import donation_allocate, photo_process
from households.models import Member, Poverty
from outreach.models import RoleAssignment
from outreach.services import role_assign
from tests import factories as f
from tests.browser import CHROMEDRIVER, chrome_options, log_in, require_chromium

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parent.parent.parent
COLD_BUDGET = 100 * 1024
WARM_BUDGET = 20 * 1024
PASSWORD = "bacung-weight-pass"
SHOTS = os.environ.get("E2E_SHOTS")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _production_env(root: Path, database_url: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    return {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(root / "static"),
        "MEDIA_ROOT": str(root / "media"),
        "LOG_LEVEL": "WARNING",
    }


def _database_url(root: Path) -> str:
    """Hand the test database, as it is now, to another process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: copy it to a file.
        connection.ensure_connection()
        target = sqlite3.connect(root / "db.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
        return f"sqlite:///{root / 'db.sqlite3'}"
    user = urllib.parse.quote(settings["USER"] or "", safe="")
    password = urllib.parse.quote(settings["PASSWORD"] or "", safe="")
    login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings["HOST"] or "127.0.0.1"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{login}{host}{port}/{settings['NAME']}"


def _user(username: str, *, is_staff: bool = False, **role) -> object:
    user = f.UserFactory(username=username, is_staff=is_staff)
    # gunicorn checks passwords with the production hashers, which know no test hasher.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    role_assign(actor=None, user=user, **role)
    return user


def _demo_like_data(media: Path) -> dict[str, str]:
    """A commune's worth of each list's first page; return the key pages' addresses."""
    Role = RoleAssignment.Role
    partnership = f.PartnershipFactory(name="Ba cùng Linh Phú")
    commune = partnership.commune
    _user("staff-w", is_staff=True, role=Role.OFFICE_STAFF, partnership=partnership)
    villages = [
        f.VillageFactory(commune=commune, name=name)
        for name in ("Pác Hợp", "Lũng Lừa", "Nà Mỏ", "Khuổi Phìn")
    ]
    poverty = [Poverty.POOR, Poverty.NEAR_POOR, Poverty.NONE]
    households = [
        f.HouseholdFactory(
            village=villages[n % 4],
            code=f"LP-{n + 1:04d}",
            poverty=poverty[n % 3],
        )
        for n in range(60)
    ]
    case = households[0]
    for relation in (Member.Relation.SPOUSE, Member.Relation.CHILD, Member.Relation.CHILD):
        f.MemberFactory(household=case, relation=relation)
    f.ReviewFactory(household=case, reviewed_on=datetime.date(2023, 12, 12))
    f.ConcernFactory(household=case)
    activities = [f.ActivityFactory(partnership=partnership) for _n in range(30)]
    for activity in activities[:5]:
        for _n in range(6):
            f.ParticipationFactory(activity=activity)
    bank = f.PartnerFactory(name="Ngân hàng TMCP Đầu tư và Phát triển Tuyên Quang")
    donation = f.DonationFactory(partnership=partnership, partner=bank, value_vnd=60_000_000)
    gifts = f.DistributionFactory(
        partnership=partnership,
        title="Trao quà Tết cho gia đình chính sách",
        activity=activities[0],
        status=Distribution.Status.DISTRIBUTING,
    )
    for household in households[:40]:
        f.ReceiptFactory(distribution=gifts, household=household)
    donation_allocate(actor=None, donation=donation, amount_vnd=20_000_000, distribution=gifts)
    f.GrantFactory(partnership=partnership, household=case)
    for n in range(30):
        asset = f.AssetFactory(partnership=partnership, village=villages[n % 4])
        f.MaintenanceLogFactory(asset=asset)
    with override_settings(MEDIA_ROOT=media):
        photo = f.PhotoFactory(activity=activities[0], consent_to_publish=True)
        photo_process(actor=None, photo=photo)
    return {
        "home": "/",
        "registry": "/households/",
        "case file": f"/households/{case.pk}/",
        "review queue": "/households/reviews/",
        "distributions": "/distributions/",
        "distribution": f"/distributions/{gifts.pk}/",
        "assets": "/assets/",
        "activities": "/activities/",
        "donor report": "/reports/donor/",
        "dashboard": "/reports/dashboard/",
        "annual report": "/reports/annual/2024/",
        "field app": "/field/",
    }


def _get(base: str, path: str, headers: dict | None = None):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text()}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            response, _body = _get(base, "/healthz")
            if response.status == 200:
                return
        time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer in 60 s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def production(django_db_setup, django_db_blocker):
    """gunicorn in production mode on a copy of the test database; yield its address, the key
    pages and its access log. Afterwards the database is emptied again for the other tests."""
    require_chromium()
    root = Path(tempfile.mkdtemp(prefix="bacung-weight-"))
    # collectstatic (Brotli at its best takes a while) while the data is made.
    env = _production_env(root, "")
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env={**env, "DATABASE_URL": f"sqlite:///{root / 'unused.sqlite3'}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    gunicorn = None
    try:
        with django_db_blocker.unblock():
            pages = _demo_like_data(root / "media")
            env["DATABASE_URL"] = _database_url(root)
        output, _err = collect.communicate(timeout=300)
        assert collect.returncode == 0, output
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = root / "gunicorn.log"
        access = root / "access.log"
        gunicorn = subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi"),
                *("--workers", "2", "--bind", f"127.0.0.1:{port}"),
                *("--access-logfile", str(access)),
                # Request, status, the body's bytes as sent and as announced (whitenoise's files
                # go out by sendfile, which the first does not count).
                *("--access-logformat", "%(m)s %(U)s %(s)s %(B)s %({content-length}o)s"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        _wait_until_up(base, gunicorn, log)
        yield {"base": base, "pages": pages, "access": access, "root": root}
    finally:
        if collect.poll() is None:
            collect.kill()
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(root, ignore_errors=True)


class Meter:
    """One Chromium, fresh profile; what each page load cost, from both ends."""

    def __init__(self, base: str, access: Path) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.base = base
        self.access = access
        self.driver = webdriver.Chrome(
            service=Service(CHROMEDRIVER), options=chrome_options(("browser", "performance"))
        )
        self.driver.base_url = base
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.read = 0

    def _served(self) -> list[tuple[int, str]]:
        """Return the body bytes gunicorn sent for each request since the last call."""
        text = self.access.read_text()
        new, self.read = text[self.read :], len(text)
        served = []
        for line in new.splitlines():
            sizes = [int(n) for n in line.split()[-2:] if n.isdigit()]
            served.append((max(sizes, default=0), " ".join(line.split()[:2])))
        return served

    def load(self, path: str, *, cold: bool) -> dict:
        """Load ``path`` (the cache emptied first if ``cold``); return its cost and requests."""
        driver = self.driver
        driver.get_log("performance")
        if cold:
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        time.sleep(0.1)  # late requests of the last page land in its count, not this one's
        self._served()
        driver.get(f"{self.base}{path}")
        # Anything the page fetches after its load event (nothing should) is counted too.
        time.sleep(0.2)
        urls, received, failed, statuses = {}, {}, [], {}
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message["params"]
            if message["method"] == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
            elif message["method"] == "Network.responseReceived":
                statuses[params["requestId"]] = params["response"]["status"]
            elif message["method"] == "Network.loadingFinished":
                received[params["requestId"]] = params["encodedDataLength"]
            elif message["method"] == "Network.loadingFailed":
                failed.append(urls.get(params["requestId"], params["requestId"]))
        served = self._served()
        return {
            "browser": sum(received.values()),
            "server": sum(size for size, _request in served),
            # The biggest, to say what went over a budget.
            "biggest": [f"{request} {size} B" for size, request in sorted(served)[-3:]],
            "urls": sorted(set(urls.values())),
            "failed": failed,
            "errors": sorted(urls[r] for r, s in statuses.items() if r in urls and s >= 400),
            "address": driver.current_url,
        }

    def shot(self, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(Path(SHOTS) / f"weight-{name.replace(' ', '-')}.png"))


def _foreign(base: str, urls: list[str]) -> list[str]:
    # data: URLs are inside the stylesheet (Bootstrap's icons), not requests to anyone.
    return [url for url in urls if not (url.startswith(f"{base}/") or url.startswith("data:"))]


def _judge(name: str, path: str, cold: dict, warm: dict, *, base: str) -> tuple[str, list[str]]:
    """Return the table's row of a page and what is wrong with it."""
    kb = [visit[end] / 1024 for visit in (cold, warm) for end in ("browser", "server")]
    row = (
        f"{name:14} {path:24} {kb[0]:16.1f} {kb[1]:6.1f} {kb[2]:16.1f} {kb[3]:6.1f}"
        f"  {len(cold['urls']):8}"
    )
    problems = []
    if kb[0] < 40:  # Bootstrap alone is more: the "cold" load came from a cache
        problems.append(f"{name}: {kb[0]:.1f} KB cold: not a cold load")
    if name != "login" and "/accounts/login/" in cold["address"]:
        problems.append(f"{name}: sent to the login page")
    if max(kb[0], kb[1]) * 1024 > COLD_BUDGET:
        problems.append(f"{name}: {max(kb[0], kb[1]):.1f} KB cold > 100 KB: {cold['biggest']}")
    if max(kb[2], kb[3]) * 1024 > WARM_BUDGET:
        problems.append(f"{name}: {max(kb[2], kb[3]):.1f} KB warm > 20 KB: {warm['biggest']}")
    for visit in (cold, warm):
        problems += [f"{name}: from another site: {url}" for url in _foreign(base, visit["urls"])]
        problems += [f"{name}: failed: {url}" for url in visit["failed"] + visit["errors"]]
    return row, problems


def test_every_key_page_is_light_on_a_cold_and_a_warm_cache(production):
    meter = Meter(production["base"], production["access"])
    rows, problems = [], []
    try:
        # Logged out first: the login page, as a new phone meets it.
        visits = [("login", "/accounts/login/")]
        measured = {}
        for name, path in visits:
            measured[name] = (meter.load(path, cold=True), meter.load(path, cold=False))
        log_in(meter.driver, "staff-w", PASSWORD)
        for name, path in production["pages"].items():
            cold = meter.load(path, cold=True)
            meter.shot(name)
            measured[name] = (cold, meter.load(path, cold=False))
        visits += list(production["pages"].items())
    finally:
        meter.driver.quit()
    for name, path in visits:
        row, found = _judge(name, path, *measured[name], base=meter.base)
        rows.append(row)
        problems += found
    head = f"{'page':14} {'address':24} cold KB: browser server  warm KB: browser server  requests"
    table = "\n".join([head, *rows]) + "\n"
    print("\n" + table)  # pytest -s shows it; make e2e also leaves it in var/e2e/
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SHOTS) / "page-weight.txt").write_text(table)
    assert problems == []


def test_static_files_are_compressed_and_kept_for_good(production):
    base = production["base"]
    _response, body = _get(base, "/accounts/login/")
    html = body.decode()
    css = next(part.split('"')[0] for part in html.split('href="')[1:] if "bootstrap.min." in part)
    assert css != "/static/vendor/bootstrap/bootstrap.min.css"  # the hashed name
    brotli, _body = _get(base, css, {"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert brotli.getheader("Content-Encoding") == "br"
    assert brotli.getheader("Cache-Control") == "max-age=315360000, public, immutable"
    gzip, _body = _get(base, css, {"Accept-Encoding": "gzip"})
    assert gzip.getheader("Content-Encoding") == "gzip"
    assert int(brotli.getheader("Content-Length")) < int(gzip.getheader("Content-Length"))
    plain, _body = _get(base, css)
    assert plain.getheader("Content-Encoding") is None
    assert int(plain.getheader("Content-Length")) > 200_000
    # The unhashed name is served too (by the manifest's older pages), but not for good.
    unhashed, _body = _get(base, "/static/vendor/bootstrap/bootstrap.min.css")
    assert "immutable" not in (unhashed.getheader("Cache-Control") or "")


def test_pages_are_gzipped_for_browsers_that_ask_and_whole_for_others(production):
    base = production["base"]
    gzipped, body = _get(base, "/accounts/login/", {"Accept-Encoding": "gzip, deflate, br"})
    assert gzipped.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in gzipped.getheader("Vary")
    assert body[:2] == b"\x1f\x8b"
    plain, body = _get(base, "/accounts/login/")
    assert plain.getheader("Content-Encoding") is None
    assert b"csrfmiddlewaretoken" in body
    # A streamed file (the icon) is left as it is: its length stays known.
    icon, _body = _get(base, "/favicon.ico", {"Accept-Encoding": "gzip"})
    assert icon.getheader("Content-Encoding") is None
    assert icon.getheader("Content-Length")
