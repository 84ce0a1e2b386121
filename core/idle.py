"""Idle sessions end: a session unused for SESSION_IDLE_MINUTES is logged out (shared phones
in the commune office), without writing the session row on every request.

Django's way (SESSION_SAVE_EVERY_REQUEST) rewrites the row and the cookie on each request, three
queries a page. Here the session keeps the time it was last seen, refreshed at most once a
minute, so the row is written only when its data changed or that minute has passed. The time is
known to the minute: a session ends after between SESSION_IDLE_MINUTES - 1 and
SESSION_IDLE_MINUTES without a request, never later.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse

LAST_SEEN = "_idle_last_seen"
# The session's "last seen" time is written back at most this often.
REFRESH_SECONDS = 60


def _now() -> int:
    return int(time.time())


def mark_seen(session) -> None:
    """Note in ``session`` that its user was seen now."""
    session[LAST_SEEN] = _now()


def on_login(sender, request, user, **kwargs) -> None:
    """Start the idle clock at login (saved with the login's own write of the session)."""
    if request is not None and hasattr(request, "session"):
        mark_seen(request.session)


class IdleSessionMiddleware:
    """Log out a session idle longer than SESSION_IDLE_MINUTES; refresh its "last seen" time
    when a minute has passed since it was written (after AuthenticationMiddleware, before the
    access checks, which then send the anonymous user to the login page as for any visitor)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.idle_seconds = settings.SESSION_IDLE_MINUTES * 60

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            seen = session.get(LAST_SEEN)
            now = _now()
            if seen is not None and now - seen >= self.idle_seconds:
                logout(request)
            elif seen is None or now - seen >= REFRESH_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)
