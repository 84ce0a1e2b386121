"""Logging in: lockout after repeated failures, idle sessions, the Content-Security-Policy, CSRF."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

pytestmark = pytest.mark.django_db

PASSWORD = "bacung-test-pass"  # tests.factories.UserFactory's
LOCKED_MESSAGE = (
    "Too many failed login attempts: this account is locked for 30 minutes on this connection. "
    "You can try again after that."
)
CONTACT_MESSAGE = (
    "If you have forgotten your password, or if it was not you who tried to log in, contact the "
    "office staff of the partnership or the system administrator: they can unlock the account "
    "and set a new password."
)


def _login(client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, username: str, times: int, **extra) -> None:
    for _attempt in range(times):
        response = _login(client, username, "wrong-password", **extra)
        assert response.status_code == 200, "a failure below the limit shows the form again"
        assert not _logged_in(client)


# --- Lockout ------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, staff_user):
    _fail(client, staff_user.username, settings.AXES_FAILURE_LIMIT - 1)
    fifth = _login(client, staff_user.username, "wrong-password")
    assert fifth.status_code == 429

    sixth = _login(client, staff_user.username, PASSWORD)

    assert sixth.status_code == 429
    assert not _logged_in(client)
    html = sixth.content.decode()
    assert 'lang="vi"' in html
    with override("vi"):
        # The page is in Vietnamese, the interface's default language.
        assert gettext(LOCKED_MESSAGE) in html
        assert gettext(CONTACT_MESSAGE) in html


def test_lockout_page_says_for_how_long_and_whom_to_contact(client, staff_user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _fail(client, staff_user.username, settings.AXES_FAILURE_LIMIT - 1)

    response = _login(client, staff_user.username, "wrong-password")

    assert response.status_code == 429
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "locked for 30 minutes" in html
    assert "office staff of the partnership or the system administrator" in html
    assert reverse("login") in html


def test_the_admin_login_is_locked_out_too(client, admin_user):
    _fail(client, admin_user.username, settings.AXES_FAILURE_LIMIT - 1)
    _login(client, admin_user.username, "wrong-password")

    response = client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": PASSWORD}
    )

    assert response.status_code == 429
    assert not _logged_in(client)


def test_a_success_before_the_limit_logs_in_and_starts_the_count_again(client, staff_user):
    _fail(client, staff_user.username, settings.AXES_FAILURE_LIMIT - 1)

    response = _login(client, staff_user.username, PASSWORD)

    assert response.status_code == 302
    assert _logged_in(client)
    client.logout()
    # The earlier failures are forgotten: as many again still do not lock the account.
    _fail(client, staff_user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, staff_user.username, PASSWORD).status_code == 302


def test_another_users_success_does_not_reset_the_failures(client, staff_user, cadre_user):
    _fail(client, staff_user.username, settings.AXES_FAILURE_LIMIT - 1)
    other = Client()
    assert _login(other, cadre_user.username, PASSWORD).status_code == 302

    assert _login(client, staff_user.username, "wrong-password").status_code == 429


def test_the_lock_holds_one_username_from_one_address_only(client, staff_user, cadre_user):
    _fail(client, staff_user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, staff_user.username, "wrong-password").status_code == 429

    # A colleague in the same commune office (same address) still logs in…
    assert _login(Client(), cadre_user.username, PASSWORD).status_code == 302
    # …and so does the same user from another address.
    elsewhere = _login(Client(), staff_user.username, PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, staff_user):
    _fail(client, staff_user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, staff_user.username, "wrong-password").status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=31))

    assert _login(client, staff_user.username, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_lockout_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == datetime.timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


# --- Sessions -----------------------------------------------------------------------------------


def test_session_ends_after_thirty_idle_minutes_and_with_the_browser():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert "core.idle.IdleSessionMiddleware" in settings.MIDDLEWARE
    # The row's own expiry is only a backstop, a minute after the idle limit.
    assert settings.SESSION_COOKIE_AGE == 31 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_a_request_after_a_minute_pushes_the_expiry_back(client, staff_user):
    client.force_login(staff_user)
    key = client.session.session_key
    session = client.session
    session["_idle_last_seen"] -= 61
    session.save()
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )

    response = client.get(reverse("home"))

    assert response.status_code == 200
    expiry = Session.objects.get(pk=key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(minutes=30)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # No Max-Age or Expires: the browser drops the cookie when it closes.
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_an_idle_session_is_logged_out(client, staff_user):
    client.force_login(staff_user)
    session = client.session
    session["_idle_last_seen"] -= 30 * 60
    session.save()

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_session_past_its_row_expiry_is_logged_out(client, staff_user):
    client.force_login(staff_user)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Content-Security-Policy --------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("page", ["login", "home", "admin"])
def test_pages_carry_a_policy_without_inline_scripts(client, admin_user, page):
    if page == "login":
        response = client.get(reverse("login"))
    else:
        client.force_login(admin_user)
        url = (
            reverse("home") if page == "home" else reverse("admin:households_household_changelist")
        )
        response = client.get(url)
    assert response.status_code == 200

    policy = _policy(response)

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


# --- CSRF ---------------------------------------------------------------------------------------


def test_login_form_carries_a_csrf_token_and_needs_it(staff_user):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()

    refused = _login(client, staff_user.username, PASSWORD)

    assert refused.status_code == 403
    assert not _logged_in(client)
