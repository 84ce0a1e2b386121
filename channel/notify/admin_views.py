"""Connecting the office's Zalo Official Account, for the administrators: OAuth v4 with PKCE.

"Connect the Zalo OA" makes a PKCE pair and a random state, keeps both in the administrator's
session and sends them to Zalo's permission page; Zalo sends them back to the callback with a
code, which is exchanged (with the verifier) for the OA's tokens. A callback whose state is
missing or not the one this session started is refused: nothing is asked of Zalo, nothing
stored. The tokens are never shown, not even on the page that says the OA is connected.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from channel.notify import zalo
from outreach.access import serves
from outreach.scope import Role

# Where the connection being made waits for Zalo's answer (one at a time per session).
SESSION_KEY = "channel_zalo_oauth"
REQUIRED_SETTINGS = ("ZALO_APP_ID", "ZALO_APP_SECRET")


def callback_url() -> str:
    """Return the callback's absolute address, as registered in the Zalo app's settings."""
    return settings.SITE_URL + reverse("channel:zalo-callback")


def _missing_settings() -> list[str]:
    return [name for name in REQUIRED_SETTINGS if not getattr(settings, name, "")]


def _result(request: HttpRequest, *, error: str = "", connection=None, status: int = 200):
    return render(
        request,
        "channel/zalo/callback.html",
        {"error": error, "connection": connection, "callback_url": callback_url()},
        status=status,
    )


@serves(Role.ADMINISTRATOR)
@require_GET
@never_cache
def zalo_connect(request: HttpRequest) -> HttpResponse:
    """Send the administrator to Zalo to grant the office's app the OA's permissions."""
    missing = _missing_settings()
    if missing:
        return render(
            request,
            "channel/zalo/connect.html",
            {"missing": missing, "callback_url": callback_url()},
        )
    verifier, challenge = zalo.pkce_pair()
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {"state": state, "verifier": verifier}
    return redirect(
        zalo.permission_url(redirect_uri=callback_url(), code_challenge=challenge, state=state)
    )


@serves(Role.ADMINISTRATOR)
@require_GET
@never_cache
def zalo_callback(request: HttpRequest) -> HttpResponse:
    """Exchange the code Zalo sends back for the OA's tokens; say what came of it."""
    # One use: a second visit of the same address (reload, back button) starts nothing again.
    pending = request.session.pop(SESSION_KEY, None) or {}
    state = request.GET.get("state", "")
    expected = pending.get("state", "")
    if not (state and expected and secrets.compare_digest(state, expected)):
        return _result(
            request,
            error=_(
                "This answer from Zalo does not belong to a connection started here (its state "
                "is missing or wrong), so nothing was stored. Start again with “Connect the "
                "Zalo OA”."
            ),
            status=400,
        )
    code = request.GET.get("code", "")
    if not code:
        return _result(
            request,
            error=_(
                "Zalo sent no authorisation code (the permissions were not granted?), so "
                "nothing was stored."
            ),
            status=400,
        )
    try:
        connection = zalo.zalo_code_exchange(
            actor=request.user, code=code, code_verifier=pending.get("verifier", "")
        )
    except ValidationError as error:
        return _result(request, error=" ".join(error.messages), status=400)
    return _result(request, connection=connection)
