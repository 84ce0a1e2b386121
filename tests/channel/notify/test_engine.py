"""The delivery of a notice against the stand-in providers: ZNS first, the token refreshed once
when Zalo says it expired, SMS when Zalo cannot carry it, retries on a rate limit, quotas, the
quiet hours, and never twice."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from channel.models import Notice, NoticeKind, QuotaDay, ZaloConnection, ZaloTemplate
from channel.notify import engine
from channel.notify.service import notice_send
from tests.channel.standin import ESMS_PATH, Trouble
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
ZNS = "/message/template"
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def household():
    return HouseholdFactory(phone="0912 345 678")


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


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global _commit
    _commit = django_capture_on_commit_callbacks


def _send(household, key="receipt:1"):
    with _commit(execute=True):
        notice = _queue(household, key)
    notice.refresh_from_db()
    return notice


def _queue(household, key):
    return notice_send(
        kind=NoticeKind.RECEIPT,
        key=key,
        household=household,
        data={
            "head": household.head_name,
            "items": "a gift",
            "date": "02/12/2026",
            "distribution": "Tet 2026",
            "office_phone": "0207 3822 111",
        },
    )


def test_a_notice_goes_by_zns_to_the_normalised_number(household, zns):
    notice = _send(household)
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "zns")
    [request] = zns.sent(ZNS)
    body = request.json()
    assert body["phone"] == "84912345678"
    assert body["template_id"] == "7001"
    assert body["template_data"] == {"head": household.head_name, "code": notice.short_code}
    assert body["tracking_id"] == "receipt:1"
    assert notice.attempts.get().provider_message_id.startswith("zns-")


def test_the_same_key_sends_nothing_twice(household, zns):
    first = _send(household)
    second = _send(household)
    assert first.pk == second.pk
    assert len(zns.sent(ZNS)) == 1


def test_an_expired_token_is_refreshed_once_and_the_message_still_goes(household, zns):
    old = ZaloConnection.objects.get().refresh_token
    zns.expire_access_tokens()
    notice = _send(household)
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "zns")
    refreshes = zns.sent("/v4/oa/access_token")
    assert len(refreshes) == 1
    assert refreshes[0].form()["refresh_token"] == old
    assert refreshes[0].headers["secret_key"] == "stand-in-app-secret"
    connection = ZaloConnection.objects.get()
    assert connection.refresh_token != old
    assert connection.access_token in zns.access_tokens
    assert len(zns.sent(ZNS)) == 2  # refused once with -216, then sent


def test_a_refresh_token_used_twice_stops_zalo_and_the_message_goes_by_sms(household, zns):
    zns.expire_access_tokens()
    # Someone else spent the refresh token already (a second server, a copy of the database).
    zns.refresh_tokens.clear()
    mail.outbox = []
    notice = _send(household)
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "sms")
    connection = ZaloConnection.objects.get()
    assert connection.state == ZaloConnection.State.BROKEN
    assert "-14020" in connection.problem
    [sms] = zns.sent(ESMS_PATH)
    assert sms.json()["Phone"] == "84912345678"
    assert sms.json()["IsUnicode"] == "0"
    zns_attempt = notice.attempts.get(channel="zns")
    assert zns_attempt.status == "failed"
    assert "-14020" in zns_attempt.error
    # The next notice does not try Zalo at all.
    _send(HouseholdFactory(phone="0987654321"), key="receipt:2")
    assert len(zns.sent("/v4/oa/access_token")) == 1


def test_a_template_not_approved_is_not_used(household, zns):
    ZaloTemplate.objects.filter(template_id="7001").update(status="PENDING_REVIEW")
    notice = _send(household)
    assert notice.channel == "sms"
    assert zns.sent(ZNS) == []
    assert "chưa được duyệt" in notice.attempts.get(channel="zns").error


def test_a_rate_limit_is_waited_out_on_the_same_channel(household, zns):
    zns.fail_next(ZNS, Trouble(status=429, headers={"Retry-After": "1"}))
    notice = _send(household)
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "zns")
    attempt = notice.attempts.get(channel="zns")
    assert attempt.tries == 2
    assert zns.sent(ESMS_PATH) == []


def test_a_provider_that_times_out_is_tried_again_then_given_up(household, zns, settings):
    settings.NOTIFY_TIMEOUT = 0.2
    zns.fail_next(ZNS, Trouble(delay=0.5, times=engine.MAX_TRIES))
    notice = _send(household)
    assert notice.channel == "sms"
    attempt = notice.attempts.get(channel="zns")
    assert attempt.tries == engine.MAX_TRIES
    assert "không trả lời kịp" in attempt.error


def test_the_days_quota_hands_over_to_the_next_channel(household, zns, settings):
    settings.NOTIFY_DAILY_QUOTA = {"zns": 1}
    _send(household)
    notice = _send(HouseholdFactory(phone="0987654321"), key="receipt:2")
    assert notice.channel == "sms"
    assert "hạn mức" in notice.attempts.get(channel="zns").error
    assert QuotaDay.objects.get(channel="zns").used == 1


def test_no_channel_left_fails_the_notice_with_the_reasons(zns):
    household = HouseholdFactory(phone="")
    notice = _send(household)
    assert notice.status == Notice.Status.FAILED
    assert notice.error


def test_care_messages_wait_for_the_morning(household, zns, settings):
    settings.NOTIFY_QUIET_HOURS = "22:00-07:00"
    night = datetime.datetime(2026, 12, 2, 23, 30, tzinfo=VN)
    notice = notice_send(
        kind=NoticeKind.RECEIPT, key="receipt:9", household=household, data={"head": "A"}
    )
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.QUEUED)
    assert engine.deliver(notice.pk, now=night).status == "held"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.HELD
    assert timezone.localtime(notice.not_before) == datetime.datetime(2026, 12, 3, 7, 0, tzinfo=VN)
    morning = datetime.datetime(2026, 12, 3, 7, 1, tzinfo=VN)
    assert engine.due_notices(now=morning, stale_before=morning, limit=10) == [notice.pk]
    assert engine.deliver(notice.pk, now=morning).status == "sent"
