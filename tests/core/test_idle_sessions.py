"""Idle sessions (core.idle): the session row is written only when its data changed or its
"last seen" time is a minute old; a session idle for SESSION_IDLE_MINUTES is logged out."""

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import idle

pytestmark = pytest.mark.django_db

NOW = 1_900_000_000  # a fixed clock, in seconds


def _at(seconds: int):
    return mock.patch.object(idle, "_now", return_value=NOW + seconds)


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


@pytest.fixture
def logged_in(client, staff_user):
    with _at(0):
        client.force_login(staff_user)
    return client


def test_login_starts_the_idle_clock(logged_in):
    assert logged_in.session[idle.LAST_SEEN] == NOW


def test_requests_within_a_minute_write_no_session_row(logged_in):
    key = logged_in.session.session_key
    with _at(61), CaptureQueriesContext(connection) as refreshed:
        assert logged_in.get(reverse("home")).status_code == 200
    expiry = Session.objects.get(pk=key).expire_date

    with _at(90), CaptureQueriesContext(connection) as quiet:
        response = logged_in.get(reverse("home"))

    assert response.status_code == 200
    assert len(_session_writes(refreshed.captured_queries)) == 1
    assert _session_writes(quiet.captured_queries) == []
    # The session's write (UPDATE in a savepoint: three queries) is the only difference.
    assert len(quiet.captured_queries) == len(refreshed.captured_queries) - 3
    assert Session.objects.get(pk=key).expire_date == expiry
    assert logged_in.session[idle.LAST_SEEN] == NOW + 61
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_request_a_minute_later_refreshes_the_session(logged_in):
    key = logged_in.session.session_key
    with _at(30):
        logged_in.get(reverse("home"))
    expiry = Session.objects.get(pk=key).expire_date
    assert logged_in.session[idle.LAST_SEEN] == NOW

    with _at(60):
        response = logged_in.get(reverse("home"))

    assert response.status_code == 200
    assert logged_in.session[idle.LAST_SEEN] == NOW + 60
    assert Session.objects.get(pk=key).expire_date >= expiry
    assert settings.SESSION_COOKIE_NAME in response.cookies


def test_regular_requests_keep_the_session_alive(logged_in):
    for minute in range(0, 90, 10):
        with _at(minute * 60):
            assert logged_in.get(reverse("home")).status_code == 200


def test_a_session_idle_past_the_limit_is_logged_out(logged_in):
    key = logged_in.session.session_key
    limit = settings.SESSION_IDLE_MINUTES * 60
    with _at(limit - 1):
        assert logged_in.get(reverse("home")).status_code == 200

    with _at(2 * limit - 1):
        response = logged_in.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Session.objects.filter(pk=key).exists()
    with _at(2 * limit):
        assert logged_in.get(reverse("home")).status_code == 302


def test_an_anonymous_visit_creates_no_session(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
