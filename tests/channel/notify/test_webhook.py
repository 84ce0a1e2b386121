"""The OA's webhook: Zalo's signature checked, each event stored once, the work left to Celery.

The events are signed here as Zalo signs them: ``mac=`` SHA-256 of the app id, the raw body,
the event's timestamp and the OA's secret key (``X-ZEvent-Signature``).
"""

import hashlib
import itertools
import json
import time

import pytest
from django.urls import reverse

from channel.models import InboundMessage, ZaloFollower
from tests.channel import standin as zalo_side

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


def text_event(sender: str, text: str, *, msg_id: str | None = None, at_ms: int | None = None):
    """Return a ``user_send_text`` event as Zalo posts it."""
    return {
        "app_id": zalo_side.APP_ID,
        "user_id_by_app": f"app-{sender}",
        "event_name": "user_send_text",
        "timestamp": str(at_ms or int(time.time() * 1000)),
        "sender": {"id": sender},
        "recipient": {"id": "579745863508352884"},
        "message": {"msg_id": msg_id or f"msg-{next(_ids)}", "text": text},
    }


def follow_event(sender: str, name: str = "follow", *, at_ms: int | None = None):
    """Return a ``follow`` (or ``unfollow``) event as Zalo posts it."""
    return {
        "app_id": zalo_side.APP_ID,
        "oa_id": "579745863508352884",
        "user_id_by_app": f"app-{sender}",
        "event_name": name,
        "timestamp": str(at_ms or int(time.time() * 1000)),
        "source": "oa_profile",
        "follower": {"id": sender},
    }


def signature(raw: bytes, timestamp: str, secret: str = zalo_side.OA_SECRET) -> str:
    digest = hashlib.sha256(
        zalo_side.APP_ID.encode() + raw + timestamp.encode() + secret.encode()
    ).hexdigest()
    return f"mac={digest}"


def post_event(client, event: dict, *, header: str | None = None):
    """Post ``event`` to the webhook, signed as Zalo signs it unless ``header`` is given."""
    raw = json.dumps(event, ensure_ascii=False).encode()
    headers = {}
    sign = header if header is not None else signature(raw, event.get("timestamp", ""))
    if sign:
        headers["HTTP_X_ZEVENT_SIGNATURE"] = sign
    return client.post(
        reverse("channel:zalo-webhook"), data=raw, content_type="application/json", **headers
    )


@pytest.fixture
def zalo_app(settings):
    settings.ZALO_APP_ID = zalo_side.APP_ID
    settings.ZALO_OA_SECRET = zalo_side.OA_SECRET


def test_a_signed_text_is_stored_and_its_processing_queued_after_commit(
    client, zalo_app, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_event(client, text_event("1001", "Xin chào", msg_id="m-1"))
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert (message.provider, message.message_id, message.sender_id, message.text) == (
        "zalo",
        "m-1",
        "1001",
        "Xin chào",
    )
    # Nothing done yet but the storing: the task runs once the transaction commits.
    assert message.status == InboundMessage.Status.NEW
    assert len(callbacks) == 1
    assert not ZaloFollower.objects.exists()


def test_a_forged_signature_is_refused_and_nothing_stored(client, zalo_app):
    event = text_event("1001", "Chuyển tiền cho tôi")
    raw = json.dumps(event).encode()
    forged = signature(raw, event["timestamp"], secret="a-guessed-secret")
    assert post_event(client, event, header=forged).status_code == 401
    assert post_event(client, event, header="").status_code == 401
    assert post_event(client, event, header="mac=").status_code == 401
    assert not InboundMessage.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, zalo_app):
    event = text_event("1001", "CO")
    raw = json.dumps(event).encode()
    header = signature(raw, event["timestamp"])
    tampered = json.dumps({**event, "message": {"msg_id": "x", "text": "KHONG"}}).encode()
    response = client.post(
        reverse("channel:zalo-webhook"),
        data=tampered,
        content_type="application/json",
        HTTP_X_ZEVENT_SIGNATURE=header,
    )
    assert response.status_code == 401
    assert not InboundMessage.objects.exists()


def test_without_the_oa_secret_configured_every_event_is_refused(client, settings):
    settings.ZALO_APP_ID = zalo_side.APP_ID
    settings.ZALO_OA_SECRET = ""
    assert post_event(client, text_event("1001", "Xin chào")).status_code == 401
    assert not InboundMessage.objects.exists()


def test_a_body_that_is_not_json_is_a_bad_request(client, zalo_app):
    response = client.post(
        reverse("channel:zalo-webhook"),
        data=b"{not json",
        content_type="application/json",
        HTTP_X_ZEVENT_SIGNATURE="mac=abc",
    )
    assert response.status_code == 400
    response = client.post(
        reverse("channel:zalo-webhook"),
        data=b"[1, 2]",
        content_type="application/json",
        HTTP_X_ZEVENT_SIGNATURE="mac=abc",
    )
    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


def test_the_webhook_takes_only_post(client, zalo_app):
    assert client.get(reverse("channel:zalo-webhook")).status_code == 405


def test_a_replayed_message_id_is_stored_once_and_processed_once(
    client, zalo_app, django_capture_on_commit_callbacks
):
    event = text_event("1001", "Nhà tôi bị dột", msg_id="m-7")
    with django_capture_on_commit_callbacks(execute=True) as first:
        assert post_event(client, event).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert post_event(client, event).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert (len(first), len(again)) == (1, 0)
    message = InboundMessage.objects.get()
    assert message.status == InboundMessage.Status.QUEUED  # processed: waiting for staff


def test_follow_and_unfollow_mark_the_follower(
    client, zalo_app, django_capture_on_commit_callbacks
):
    now = int(time.time() * 1000)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, follow_event("2002", at_ms=now - 5000))
    follower = ZaloFollower.objects.get(zalo_user_id="2002")
    assert follower.following
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, follow_event("2002", "unfollow", at_ms=now))
    follower.refresh_from_db()
    assert not follower.following
    # Zalo sending the old follow again does not undo the newer unfollow.
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, follow_event("2002", at_ms=now - 5000))
    follower.refresh_from_db()
    assert not follower.following
    statuses = set(InboundMessage.objects.values_list("status", flat=True))
    assert statuses == {InboundMessage.Status.IGNORED}
    assert InboundMessage.objects.count() == 2  # the replayed follow was stored once
    assert InboundMessage.objects.filter(message_id=f"follow:2002:{now - 5000}").exists()


def test_other_events_are_kept_as_ignored_and_not_queued(
    client, zalo_app, django_capture_on_commit_callbacks
):
    event = {
        "app_id": zalo_side.APP_ID,
        "event_name": "user_send_sticker",
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": "3003"},
        "message": {"msg_id": "s-1", "attachments": [{"type": "sticker"}]},
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert post_event(client, event).status_code == 200
    assert callbacks == []
    message = InboundMessage.objects.get()
    assert (message.status, message.message_id) == (InboundMessage.Status.IGNORED, "s-1")


def test_the_webhook_calls_no_provider(
    client, standin, zalo_connected, django_capture_on_commit_callbacks
):
    before = len(standin.requests)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, text_event("1001", "Xin chào")).status_code == 200
        assert post_event(client, follow_event("1001")).status_code == 200
    assert len(standin.requests) == before
    assert InboundMessage.objects.count() == 2
