"""The bounded load run that ends ``make bench``: gunicorn as in production, ten logged-in users.

gunicorn serves the bench database with the production settings (DEBUG=0, static files collected,
Redis as the cache, 4 sync workers: the README's production set-up) on a free loopback port. Ten
users (five administrators, five office staff of one commune), each a thread with its own
keep-alive connection, log in through the login form and then, without pause, open a registry
page, a search or a case file (4 : 3 : 3) for ``seconds``. Printed: requests, requests/s,
p50/p95/p99 and errors (any status but 200). Goal (issue 19): ≥ 50 requests/s, p95 ≤ 300 ms,
no errors.

Plain threads and http.client rather than locust: the same measurement without gevent in the
bench's virtualenv; a request is a few kilobytes of gzip to read, so the client's share of the two
cores stays small beside the workers'.
"""

import gzip
import http.client
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USERS = int(os.environ.get("BENCH_LOAD_USERS", "10"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "4"))
TERMS = ["ma van lieu", "hoang van son", "nong", "trieu van duc 12", "ly van", "B-0000"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """One user's keep-alive connection and cookies, as a browser behind the TLS proxy."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Encoding": "gzip",
            "Accept-Language": "vi",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, b""
        content = response.read()
        if response.getheader("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, content

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page: {status}")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
            }
        )
        status, _ = self.request("POST", "/accounts/login/", body)
        if status != 302:
            raise RuntimeError(f"login of {username}: {status}")


def start_gunicorn(port: int, env: dict) -> subprocess.Popen:
    venv = Path(sys.executable).parent
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn, our own arguments)
        [
            str(venv / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request(
                "GET",
                "/healthz",
                headers={"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https"},
            )
            if probe.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not answer /healthz: " + process.stderr.read().decode())


def run(*, seconds: int, admin, staff, static: Path) -> dict:
    """Serve the bench database with gunicorn (static files already collected in ``static``)
    and load it for ``seconds``; print and return the figures."""
    from households.models import Household

    password = secrets.token_urlsafe(16)
    for user in (admin, staff):
        user.set_password(password)
        user.save(update_fields=["password"])
    commune = staff.role_assignments.first().partnership.commune_id
    staff_ids = list(Household.objects.filter(commune_id=commune).values_list("pk", flat=True))
    top = Household.objects.order_by("-pk").values_list("pk", flat=True).first()
    admin_ids = [random.randint(1, top) for _ in range(2000)]

    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "BEHIND_TLS_PROXY": "1",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        "STATIC_ROOT": str(static),
        "EMAIL_URL": "console://",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    print(f"\nload: gunicorn, {WORKERS} workers, {USERS} users, {seconds} s…", flush=True)
    process = start_gunicorn(port, env)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = [0.0]

    def user_loop(index: int) -> None:
        session = Session(port)
        is_admin = index % 2 == 0
        session.login(admin.username if is_admin else staff.username, password)
        ids = admin_ids if is_admin else staff_ids
        chooser = random.Random(index)
        ready.wait()
        while time.monotonic() < stop_at[0]:
            pick = chooser.random()
            if pick < 0.4:
                path = f"/households/?page={chooser.randint(1, 50)}"
            elif pick < 0.7:
                path = "/households/?q=" + urllib.parse.quote_plus(chooser.choice(TERMS))
            else:
                path = f"/households/{chooser.choice(ids)}/"
            started = time.perf_counter()
            status, _ = session.request("GET", path)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    ready = threading.Event()
    threads = [threading.Thread(target=user_loop, args=(i,), daemon=True) for i in range(USERS)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(3)  # the logins
        stop_at[0] = time.monotonic() + seconds
        began = time.monotonic()
        ready.set()
        for thread in threads:
            thread.join(seconds + 60)
        elapsed = time.monotonic() - began
    finally:
        process.terminate()
        process.wait(30)
    # An admin may see any household, so every status but 200 is an error here (a household
    # id drawn at random that does not exist would be a 404: the ids are all below the top one).
    errors = sum(count for status, count in statuses.items() if status != 200)
    result = {
        "users": USERS,
        "workers": WORKERS,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(_rank(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(_rank(latencies, 0.99), 1) if latencies else None,
        "errors": errors,
        "statuses": statuses,
    }
    met = result["requests_per_s"] >= 50 and (result["p95_ms"] or 1e9) <= 300 and not errors
    print(
        f"| load (gunicorn {WORKERS} workers, {USERS} users) | requests {result['requests']:,} "
        f"| {result['requests_per_s']} req/s | p50 {result['p50_ms']} ms | p95 {result['p95_ms']} "
        f"ms | p99 {result['p99_ms']} ms | errors {errors} | goal ≥ 50 req/s, p95 ≤ 300 ms: "
        f"{'met' if met else 'NOT met'} |",
        flush=True,
    )
    return result


def _rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]
