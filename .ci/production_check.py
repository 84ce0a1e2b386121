"""Ask a production server what a browser behind the TLS proxy would ask, and fail on any surprise.

Run by .ci/run ("production, as the README says") against gunicorn on 127.0.0.1. Every request
carries what the README's nginx sends: the site's Host, ``X-Forwarded-Proto: https`` (so the
settings' SSL redirect, secure cookies and CSRF origin checks are those of the real site) and
``X-Forwarded-For``. The cookies are Secure, which a cookie jar would never send over this plain
connection, so they are kept by hand.

1. ``/healthz`` answers 200 ``{"status": "ok", "database": "ok", "broker": "ok"}`` (the
   database and Redis of the README's settings both answer).
2. The login page answers 200 with HSTS; every static file it links, by the hashed name
   collectstatic gave it, answers 200 (stylesheets as ``text/css``).
3. A login POST with the form's CSRF token, as the administrator that ``createsuperuser
   --noinput`` made from ``DJANGO_SUPERUSER_USERNAME`` and ``DJANGO_SUPERUSER_PASSWORD``, redirects
   to the home page and sets a Secure, HttpOnly session cookie.
4. The home page with that session answers 200 and is not the login page.

Usage: production_check.py http://127.0.0.1:PORT SITE_HOST [--pid GUNICORN_PID]
"""

import argparse
import http.client
import json
import os
import re
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie

LOGIN = "/accounts/login/"
# Hashed by ManifestStaticFilesStorage: "css/bacung.css" is served as "css/bacung.<12 hex>.css".
_HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
_STATIC_LINK = re.compile(r"""(?:href|src)=["'](/static/[^"'?#]+)["']""")
_STYLESHEET = re.compile(r"""<link\s+rel=["']stylesheet["']\s+href=["']([^"']+)["']""")
_CSRF_INPUT = re.compile(r"""name=["']csrfmiddlewaretoken["']\s+value=["']([^"']+)["']""")


class CheckFailed(Exception):
    pass


class Browser:
    """One client behind the proxy: plain HTTP to gunicorn, cookies kept whatever their flags."""

    def __init__(self, base: str, host: str) -> None:
        url = urllib.parse.urlsplit(base)
        self.address = (url.hostname or "127.0.0.1", url.port or 80)
        self.host = host
        self.cookies: dict[str, str] = {}
        self.flags: dict[str, set[str]] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            # A documentation address (RFC 5737) as the client, appended by the proxy.
            "X-Forwarded-For": "203.0.113.7",
            "User-Agent": "bacung-production-check",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # What a browser sends with a same-site form; Django checks it on HTTPS requests.
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        connection = http.client.HTTPConnection(*self.address, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            raise CheckFailed(f"{method} {path}: {error!r}") from error
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
                self.flags[name] = {flag for flag in ("secure", "httponly") if morsel[flag]}
        print(f"{response.status} {method} {path}")
        return response, content


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def expect_ok(response, path: str) -> None:
    location = response.getheader("Location")
    expect(
        response.status == 200,
        f"{path} answered {response.status}" + (f" (Location: {location})" if location else ""),
    )


def wait_until_up(address: tuple[str, int], pid: int | None, seconds: float = 60) -> None:
    """Wait until gunicorn answers HTTP: it listens before its workers have loaded the app."""
    deadline = time.monotonic() + seconds
    while True:
        if pid is not None:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                raise CheckFailed(f"gunicorn (pid {pid}) exited before it answered") from None
        connection = http.client.HTTPConnection(*address, timeout=5)
        try:
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except (OSError, http.client.HTTPException) as error:
            if time.monotonic() > deadline:
                raise CheckFailed(f"no answer on {address} in {seconds} s: {error!r}") from None
            time.sleep(0.5)
        finally:
            connection.close()


def check(browser: Browser, username: str, password: str) -> None:
    response, content = browser.request("GET", "/healthz")
    expect_ok(response, "/healthz")
    try:
        health = json.loads(content)
    except ValueError:
        health = None
    expected = {"status": "ok", "database": "ok", "broker": "ok"}
    expect(health == expected, f"/healthz said {content[:200]!r}")

    response, content = browser.request("GET", LOGIN)
    expect_ok(response, LOGIN)
    expect(
        "max-age=" in (response.getheader("Strict-Transport-Security") or ""),
        "the login page has no Strict-Transport-Security header",
    )
    page = content.decode()
    stylesheets = _STYLESHEET.findall(page)
    expect(bool(stylesheets), "the login page links no stylesheet")
    for path in sorted(set(_STATIC_LINK.findall(page)) | set(stylesheets)):
        expect(bool(_HASHED.search(path)), f"the login page links {path}, not a hashed name")
        response, content = browser.request("GET", path)
        expect_ok(response, path)
        expect(bool(content), f"{path} is empty")
        if path.endswith(".css"):
            kind = response.getheader("Content-Type") or ""
            expect(kind.startswith("text/css"), f"{path} is served as {kind!r}")

    token = _CSRF_INPUT.search(page)
    expect(token is not None, "the login form has no CSRF token")
    expect("csrftoken" in browser.cookies, "the login page set no CSRF cookie")
    response, content = browser.request(
        "POST",
        LOGIN,
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": password,
            "next": "",
        },
    )
    location = response.getheader("Location")
    expect(
        response.status == 302 and location == "/",
        f"the login POST answered {response.status} (Location: {location}): "
        f"{content.decode(errors='replace')[:500]}",
    )
    expect("sessionid" in browser.cookies, "the login set no session cookie")
    flags = browser.flags["sessionid"]
    expect(flags == {"secure", "httponly"}, f"the session cookie's flags are {flags}")

    response, content = browser.request("GET", "/")
    expect_ok(response, "/")
    page = content.decode()
    expect(
        'name="password"' not in page and 'action="/accounts/logout/"' in page,
        "/ answered 200 but is not a logged-in page",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="where gunicorn listens, e.g. http://127.0.0.1:8000")
    parser.add_argument("host", help="the site's host name, one of ALLOWED_HOSTS")
    parser.add_argument("--pid", type=int, help="gunicorn's pid: stop waiting if it exits")
    args = parser.parse_args()
    browser = Browser(args.base, args.host)
    try:
        wait_until_up(browser.address, args.pid)
        check(
            browser,
            os.environ["DJANGO_SUPERUSER_USERNAME"],
            os.environ["DJANGO_SUPERUSER_PASSWORD"],
        )
    except CheckFailed as failure:
        print(f"production check failed: {failure}", file=sys.stderr)
        return 1
    print("production check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
