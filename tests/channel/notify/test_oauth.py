"""Connecting the Zalo OA from the admin, against the stand-in: OAuth v4 with PKCE, the state
kept in the session and checked on the way back, the code exchanged once, nothing stored when
anything is wrong, and the tokens shown and logged nowhere."""

import logging
import urllib.parse

import pytest
from django.urls import reverse

from channel.models import ZaloConnection
from channel.notify.admin_views import SESSION_KEY

pytestmark = pytest.mark.django_db
CONNECT = reverse("channel:zalo-connect")
CALLBACK = reverse("channel:zalo-callback")
OAUTH = "/v4/oa/access_token"
SITE = "https://bacung.example.vn"


@pytest.fixture
def en(client, settings):
    # Messages are matched in the source language, whatever has been translated.
    client.cookies["django_language"] = "en"
    settings.SITE_URL = SITE
    return client


@pytest.fixture
def admin(en, admin_user):
    en.force_login(admin_user)
    return en


def _start(client) -> dict:
    """Start a connection; return the query of Zalo's permission page it sends to."""
    response = client.get(CONNECT)
    assert response.status_code == 302
    location = urllib.parse.urlsplit(response["Location"])
    query = dict(urllib.parse.parse_qsl(location.query))
    return {"path": location.path, "netloc": location.netloc, **query}


def test_connect_sends_to_zalos_permission_page_with_a_pkce_challenge_and_a_state(admin, standin):
    zalo = _start(admin)
    assert zalo["netloc"] == urllib.parse.urlsplit(standin.url).netloc
    assert zalo["path"] == "/v4/oa/permission"
    assert zalo["app_id"] == standin_app_id()
    assert zalo["redirect_uri"] == f"{SITE}/channel/zalo/callback/"
    assert len(zalo["code_challenge"]) == 43  # S256 of the verifier, base64url without "="
    pending = admin.session[SESSION_KEY]
    assert pending["state"] == zalo["state"]
    assert pending["verifier"] not in zalo.values()  # only the challenge goes out


def standin_app_id() -> str:
    from tests.channel.standin import APP_ID

    return APP_ID


def test_the_callback_exchanges_the_code_and_stores_the_tokens(admin, admin_user, standin, caplog):
    caplog.set_level(logging.DEBUG)
    zalo = _start(admin)
    code = standin.authorisation_code(zalo["code_challenge"])
    response = admin.get(CALLBACK, {"code": code, "state": zalo["state"], "oa_id": "1"})
    assert response.status_code == 200
    assert "The Official Account is connected" in response.content.decode()
    row = ZaloConnection.objects.get()
    assert row.state == ZaloConnection.State.CONNECTED
    assert row.access_token in standin.access_tokens
    assert row.refresh_token in standin.refresh_tokens
    assert row.connected_by == admin_user
    assert row.access_expires_at is not None
    assert row.refresh_expires_at is not None
    [exchange] = standin.sent(OAUTH)
    assert exchange.form()["grant_type"] == "authorization_code"
    assert exchange.form()["code_verifier"]
    for secret in (row.access_token, row.refresh_token, exchange.form()["code_verifier"]):
        assert secret not in response.content.decode()
        assert secret not in caplog.text
    assert SESSION_KEY not in admin.session


def test_a_broken_connection_is_mended_by_connecting_again(admin, zalo_connected):
    ZaloConnection.objects.update(state=ZaloConnection.State.BROKEN, problem="used twice")
    zalo = _start(admin)
    code = zalo_connected.authorisation_code(zalo["code_challenge"])
    assert admin.get(CALLBACK, {"code": code, "state": zalo["state"]}).status_code == 200
    row = ZaloConnection.objects.get()
    assert (row.state, row.problem) == (ZaloConnection.State.CONNECTED, "")


@pytest.mark.parametrize("state", ["", "someone-elses-state"])
def test_a_callback_with_a_missing_or_wrong_state_is_refused_and_nothing_stored(
    admin, standin, state
):
    zalo = _start(admin)
    code = standin.authorisation_code(zalo["code_challenge"])
    query = {"code": code, **({"state": state} if state else {})}
    response = admin.get(CALLBACK, query)
    assert response.status_code == 400
    assert "does not belong to a connection started here" in response.content.decode()
    assert not ZaloConnection.objects.exists()
    assert standin.sent(OAUTH) == []  # Zalo was not even asked


def test_a_callback_without_a_connection_started_is_refused(admin, standin):
    response = admin.get(CALLBACK, {"code": "code-1", "state": "x"})
    assert response.status_code == 400
    assert "does not belong to a connection started here" in response.content.decode()
    assert not ZaloConnection.objects.exists()


def test_the_same_callback_twice_stores_nothing_the_second_time(admin, standin):
    zalo = _start(admin)
    code = standin.authorisation_code(zalo["code_challenge"])
    query = {"code": code, "state": zalo["state"]}
    assert admin.get(CALLBACK, query).status_code == 200
    before = ZaloConnection.objects.values().get()
    response = admin.get(CALLBACK, query)
    assert response.status_code == 400
    assert ZaloConnection.objects.values().get() == before
    assert len(standin.sent(OAUTH)) == 1


@pytest.mark.parametrize("forged", ["unknown", "another-challenge"])
def test_a_forged_code_is_refused_with_zalos_reason_and_nothing_changes(
    admin, zalo_connected, forged
):
    ZaloConnection.objects.update(state=ZaloConnection.State.BROKEN, problem="used twice")
    before = ZaloConnection.objects.values().get()
    zalo = _start(admin)
    code = (
        "code-forged"
        if forged == "unknown"
        else zalo_connected.authorisation_code("a-challenge-of-another-connection")
    )
    response = admin.get(CALLBACK, {"code": code, "state": zalo["state"]})
    assert response.status_code == 400
    content = response.content.decode()
    assert "The Official Account was not connected" in content
    assert "Zalo refused the tokens (error -14019" in content
    assert ZaloConnection.objects.values().get() == before


def test_a_callback_without_a_code_stores_nothing(admin, standin):
    zalo = _start(admin)
    response = admin.get(CALLBACK, {"state": zalo["state"], "error": "-1"})
    assert response.status_code == 400
    assert "Zalo sent no authorisation code" in response.content.decode()
    assert not ZaloConnection.objects.exists()


def test_zalo_answering_an_error_on_the_exchange_stores_nothing(admin, standin):
    from tests.channel.standin import Trouble

    zalo = _start(admin)
    code = standin.authorisation_code(zalo["code_challenge"])
    standin.fail_next(OAUTH, Trouble(status=503))
    response = admin.get(CALLBACK, {"code": code, "state": zalo["state"]})
    assert response.status_code == 400
    assert "Zalo answered with a server error" in response.content.decode()
    assert not ZaloConnection.objects.exists()


def test_without_the_app_settings_the_page_says_which_to_set(admin, settings):
    settings.ZALO_APP_ID = ""
    settings.ZALO_APP_SECRET = "set"
    response = admin.get(CONNECT)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The office's Zalo app is not set up yet" in content
    assert "<code>ZALO_APP_ID</code>" in content
    assert "<code>ZALO_APP_SECRET</code>" not in content
    assert f"{SITE}/channel/zalo/callback/" in content
    assert SESSION_KEY not in admin.session


def test_the_callback_says_so_when_the_app_is_not_set_up(admin, settings, standin):
    zalo = _start(admin)
    settings.ZALO_APP_SECRET = ""
    response = admin.get(CALLBACK, {"code": "code-1", "state": zalo["state"]})
    assert response.status_code == 400
    assert "Set ZALO_APP_ID and ZALO_APP_SECRET first" in response.content.decode()
    assert not ZaloConnection.objects.exists()


@pytest.mark.parametrize("who", ["staff_user", "cadre_user", "donor_user", "auditor_user"])
def test_only_administrators_may_connect_the_oa(en, request, standin, who):
    en.force_login(request.getfixturevalue(who))
    assert en.get(CONNECT).status_code == 403
    assert en.get(CALLBACK, {"code": "code-1", "state": "x"}).status_code == 403
    assert SESSION_KEY not in en.session
    assert standin.sent(OAUTH) == []


def test_anonymous_visitors_are_sent_to_the_login_page(en, standin):
    for url in (CONNECT, CALLBACK):
        response = en.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_administrator_by_role_may_connect(en, standin):
    from outreach.models import RoleAssignment
    from outreach.services import role_assign
    from tests.factories import UserFactory

    user = UserFactory(username="admin-role", is_staff=True)
    role_assign(actor=None, user=user, role=RoleAssignment.Role.ADMINISTRATOR)
    en.force_login(user)
    assert en.get(CONNECT).status_code == 302
