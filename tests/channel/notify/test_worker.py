"""The delivery of notices on a real Celery worker, on Redis and PostgreSQL, against the
stand-in providers: a rate limit waited out by the worker and the message sent once, a message
that cannot go by Zalo sent by SMS, and a delivery task given twice to two threads at once
sending one message."""

import os
import time

import pytest
from django.core import mail
from django.db import connection, transaction

from channel.models import Notice, NoticeKind, ZaloConnection, ZaloTemplate
from channel.notify.service import notice_send
from tests.channel.standin import ESMS_PATH, Trouble
from tests.factories import HouseholdFactory, UserFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs a broker (REDIS_URL) for a real worker"
    ),
]
ZNS = "/message/template"
OAUTH = "/v4/oa/access_token"


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the database with the test: PostgreSQL only")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    app.conf.task_always_eager = False
    # Two threads: the duplicate deliveries below may run at the same time.
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False):
        yield app


@pytest.fixture
def zns(zalo_connected):
    """An approved ZNS template for receipt notices, on Zalo's side and here."""
    zalo_connected.add_template("7001", params=("head", "code"))
    ZaloTemplate.objects.create(
        template_id="7001",
        name="Receipt",
        status="ENABLE",
        params=[{"name": "head"}, {"name": "code"}],
        notice_kind=NoticeKind.RECEIPT,
    )
    return zalo_connected


def _send(key: str, phone: str = "0912 345 678") -> Notice:
    """Record a receipt notice; its delivery task goes to the broker when it commits."""
    household = HouseholdFactory(phone=phone)
    return notice_send(
        kind=NoticeKind.RECEIPT,
        key=key,
        household=household,
        data={"head": household.head_name, "items": "10 kg gạo", "date": "02/12/2026"},
    )


def _settled(notice: Notice, timeout: float = 30.0) -> Notice:
    """Wait for the worker to settle ``notice`` (sent or failed); return it as it ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        notice.refresh_from_db()
        if notice.status in (Notice.Status.SENT, Notice.Status.FAILED):
            return notice
        time.sleep(0.1)
    raise AssertionError(f"the worker did not settle the notice: {notice.status}")


def _waiting_on_locks(count: int, timeout: float = 15.0) -> bool:
    """Wait until ``count`` other connections to the test database wait for a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # The statistics are read once per transaction unless their snapshot is dropped.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return True
            time.sleep(0.05)
    return False


def test_a_rate_limit_is_waited_out_by_the_worker_and_the_message_sent_once(worker, zns):
    zns.fail_next(ZNS, Trouble(status=429, headers={"Retry-After": "1"}))
    notice = _settled(_send("receipt:w1"))
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "zns")
    first, second = zns.sent(ZNS)
    assert second.at - first.at >= 1.0  # the worker waited what Zalo asked for
    assert first.json()["tracking_id"] == second.json()["tracking_id"] == "receipt:w1"
    attempt = notice.attempts.get()
    assert (attempt.channel, attempt.status, attempt.tries) == ("zns", "sent", 2)
    assert attempt.provider_message_id.startswith("zns-")
    assert zns.sent(ESMS_PATH) == []


def test_a_message_that_cannot_go_by_zalo_goes_by_sms_through_the_worker(worker, zns):
    administrator = UserFactory(email="quantri@example.vn", is_superuser=True, is_staff=True)
    zns.expire_access_tokens()
    # The refresh token was spent elsewhere: Zalo refuses the refresh (-14020).
    zns.refresh_tokens.clear()
    notice = _settled(_send("receipt:w2"))
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "sms")
    assert len(zns.sent(OAUTH)) == 1  # refreshed once, not again
    [sms] = zns.sent(ESMS_PATH)
    assert sms.json()["Phone"] == "84912345678"
    assert sms.json()["RequestId"] == "receipt:w2"
    assert sms.json()["Content"].isascii()
    attempts = {attempt.channel: attempt for attempt in notice.attempts.all()}
    assert attempts["zns"].status == "failed"
    assert "-14020" in attempts["zns"].error
    assert attempts["sms"].provider_message_id.startswith("esms-")
    connection_row = ZaloConnection.objects.get()
    assert connection_row.state == ZaloConnection.State.BROKEN
    # The administrators were told.
    [alert] = [message for message in mail.outbox if administrator.email in message.to]
    assert "-14020" in alert.body


def test_one_delivery_task_given_to_two_threads_at_once_sends_one_message(
    worker, standin, monkeypatch
):
    from channel import tasks

    # Queued here, not on commit: the test hands out the two deliveries itself.
    monkeypatch.setattr(tasks.notice_deliver_task, "delay", lambda *args, **kwargs: None)
    notice = _send("receipt:w3")
    monkeypatch.undo()
    # A slow provider, so that the second thread comes while the first is sending.
    answer = {"CodeResult": "100", "SMSID": "esms-slow"}
    standin.fail_next(ESMS_PATH, Trouble(body=answer, delay=0.5))
    with transaction.atomic():
        # Both deliveries wait for the notice's row, then race for it once it is let go.
        Notice.objects.select_for_update().get(pk=notice.pk)
        results = [tasks.notice_deliver_task.delay(notice.pk) for _ in range(2)]
        assert _waiting_on_locks(2), "the two threads did not both take up their task"
    # The one that found the other sending looks again 30 s later and finds it sent.
    outcomes = sorted(result.get(timeout=60)["status"] for result in results)
    assert outcomes == ["done", "sent"]
    assert len(standin.sent(ESMS_PATH)) == 1
    notice.refresh_from_db()
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "sms")
    attempt = notice.attempts.get()
    assert (attempt.status, attempt.tries, attempt.provider_message_id) == ("sent", 1, "esms-slow")
