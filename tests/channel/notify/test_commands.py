"""The administrators' two commands against the stand-in: ``zalo_tokens`` stores tokens got by
hand and never prints them; ``notify_test`` sends one message now through one channel, prints
the provider's message id, and fails with the reason (exit status 1)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from channel.management.commands.notify_test import Command as NotifyTest
from channel.models import Notice, NoticeAttempt, NoticeKind, QuotaDay, ZaloConnection, ZaloTemplate
from tests.channel.standin import ESMS_PATH, Trouble

pytestmark = pytest.mark.django_db
ZNS = "/message/template"


@pytest.fixture(autouse=True)
def english():
    # Messages are matched in the source language, whatever has been translated.
    with translation.override("en"):
        yield


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- zalo_tokens -------------------------------------------------------------------------------


def test_zalo_tokens_connects_the_oa_without_echoing_the_tokens(standin):
    access, refresh = standin.issue_tokens()
    out, err = _run("zalo_tokens", "--access", f" {access} ", "--refresh", refresh)
    assert "The Zalo Official Account is connected" in out
    assert access not in out + err
    assert refresh not in out + err
    row = ZaloConnection.objects.get()
    assert (row.access_token, row.refresh_token) == (access, refresh)
    assert row.state == ZaloConnection.State.CONNECTED


def test_zalo_tokens_mends_a_broken_connection(zalo_connected):
    ZaloConnection.objects.update(state=ZaloConnection.State.BROKEN, problem="used twice")
    access, refresh = zalo_connected.issue_tokens()
    _run("zalo_tokens", "--access", access, "--refresh", refresh)
    row = ZaloConnection.objects.get()
    assert (row.state, row.problem, row.access_token) == ("connected", "", access)


def test_zalo_tokens_warns_when_the_app_is_not_set_up(db, settings):
    settings.ZALO_APP_ID = ""
    out, err = _run("zalo_tokens", "--access", "a-1", "--refresh", "r-1")
    assert "connected" in out
    assert "Set ZALO_APP_ID and ZALO_APP_SECRET too" in err


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--access", "  ", "--refresh", "r-1"], "Give both the access token and the refresh"),
        (["--access", "a-1", "--refresh", ""], "Give both the access token and the refresh"),
        (["--access", "a-1"], "the following arguments are required: --refresh"),
    ],
)
def test_zalo_tokens_refuses_bad_input_with_the_reason_and_stores_nothing(
    zalo_connected, args, reason
):
    before = ZaloConnection.objects.values().get()
    with pytest.raises(CommandError, match=reason):
        _run("zalo_tokens", *args)
    assert ZaloConnection.objects.values().get() == before


# --- notify_test -------------------------------------------------------------------------------


@pytest.fixture
def approved(zalo_connected):
    """A template approved on Zalo's side, not stored here (nor used for any notice)."""
    zalo_connected.add_template("7001", params=("name", "code"))
    return zalo_connected


def _attempt() -> NoticeAttempt:
    return NoticeAttempt.objects.select_related("notice").get()


def test_a_test_sms_goes_now_and_prints_the_providers_id(
    admin_user, standin, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_QUIET_HOURS = "00:00-23:59"  # the middle of the night, always
    with django_capture_on_commit_callbacks() as queued:
        out, _err = _run("notify_test", "0912 345 678", "--channel", "sms")
    assert queued == []  # no task: the command sent it itself
    attempt = _attempt()
    assert attempt.provider_message_id.startswith("esms-")
    assert attempt.provider_message_id in out
    assert attempt.status == NoticeAttempt.Status.SENT
    notice = attempt.notice
    assert (notice.kind, notice.status, notice.channel) == ("test", "sent", "sms")
    assert notice.key.startswith("test:")
    assert notice.quiet_hours is False
    [request] = standin.sent(ESMS_PATH)
    assert request.json()["Phone"] == "84912345678"
    assert request.json()["RequestId"] == notice.key
    assert notice.short_code in request.json()["Content"]


def test_a_test_zns_goes_through_the_template_given_whether_or_not_it_is_used(admin_user, approved):
    out, _err = _run("notify_test", "+84 912 345 678", "--channel", "zns", "--template", "7001")
    attempt = _attempt()
    assert attempt.provider_message_id.startswith("zns-")
    assert attempt.provider_message_id in out
    [request] = approved.sent(ZNS)
    body = request.json()
    assert body["phone"] == "84912345678"
    assert body["template_id"] == "7001"
    assert body["template_data"] == {"name": "Thử nghiệm", "code": attempt.notice.short_code}


def test_a_test_zns_through_a_template_used_for_another_notice(admin_user, approved):
    ZaloTemplate.objects.create(
        template_id="7001",
        name="Receipt",
        status="ENABLE",
        params=[{"name": "name", "type": "STRING", "max_length": 4}, {"name": "code"}],
        notice_kind=NoticeKind.RECEIPT,
    )
    _run("notify_test", "0912345678", "--channel", "zns", "--template", "7001")
    [request] = approved.sent(ZNS)
    assert request.json()["template_data"]["name"] == "Thử n"[:4]
    assert ZaloTemplate.objects.get().notice_kind == NoticeKind.RECEIPT  # unchanged


def test_a_test_zns_goes_through_the_template_set_for_test_messages(admin_user, approved):
    ZaloTemplate.objects.create(
        template_id="7001",
        name="Test",
        status="ENABLE",
        params=[{"name": "name"}, {"name": "code"}],
        notice_kind=NoticeKind.TEST,
    )
    out, _err = _run("notify_test", "0912345678", "--channel", "zns")
    assert _attempt().provider_message_id in out


def test_the_exit_status_is_1_with_the_reason(admin_user, standin, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends; on PostgreSQL that would end the
    # test's transaction, so the check below could not read the database.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit, match=r"^1$") as exited:
        NotifyTest().run_from_argv(["manage.py", "notify_test", "12345", "--channel", "sms"])
    assert exited.value.code == 1
    assert "Enter a mobile number of 10 digits" in capsys.readouterr().err
    assert (Notice.objects.count(), standin.requests) == (0, [])


@pytest.mark.parametrize(
    ("phone", "reason"),
    [
        ("12345", "Enter a mobile number of 10 digits"),
        ("0207 382 211", "landline"),
        ("+1 202 555 0100", "Only Vietnamese numbers"),
        ("0168 123 4567", "mobile numbers have 10 since 2018"),
        ("   ", "Give the mobile number"),
    ],
)
def test_a_number_that_is_not_a_vietnamese_mobile_is_refused(admin_user, standin, phone, reason):
    with pytest.raises(CommandError, match=reason):
        _run("notify_test", phone, "--channel", "sms")
    assert not Notice.objects.exists()
    assert standin.requests == []


def test_sms_not_set_up_fails_with_the_reason(admin_user, standin, settings):
    settings.SMS_PROVIDER = ""
    with pytest.raises(CommandError, match="Not sent: SMS is not set up"):
        _run("notify_test", "0912 345 678", "--channel", "sms")
    attempt = _attempt()
    assert (attempt.status, attempt.error) == ("failed", "SMS is not set up.")
    assert attempt.notice.status == Notice.Status.FAILED


def test_a_provider_that_times_out_fails_with_the_reason(admin_user, standin, settings):
    settings.NOTIFY_TIMEOUT = 0.3
    standin.fail_next(ESMS_PATH, Trouble(delay=1.0))
    with pytest.raises(CommandError, match="Not sent: eSMS did not answer in time"):
        _run("notify_test", "0912 345 678", "--channel", "sms")
    attempt = _attempt()
    assert attempt.status == NoticeAttempt.Status.FAILED
    assert attempt.notice.status == Notice.Status.FAILED
    assert len(standin.sent(ESMS_PATH)) == 1  # tried once, not retried


def test_a_provider_refusal_fails_with_its_answer(admin_user, standin, settings):
    settings.SMS_API_KEY = "wrong"
    with pytest.raises(CommandError, match="eSMS answered 101: Authorize Failed"):
        _run("notify_test", "0912 345 678", "--channel", "sms")


def test_a_known_template_that_is_not_approved_is_refused(admin_user, zalo_connected):
    zalo_connected.add_template("7002", status="PENDING_REVIEW")
    ZaloTemplate.objects.create(template_id="7002", name="New", status="PENDING_REVIEW")
    with pytest.raises(CommandError, match=r"template 7002 is not approved \(PENDING_REVIEW\)"):
        _run("notify_test", "0912 345 678", "--channel", "zns", "--template", "7002")
    assert not Notice.objects.exists()
    assert zalo_connected.sent(ZNS) == []


def test_a_template_zalo_says_is_not_approved_is_refused(admin_user, zalo_connected):
    zalo_connected.add_template("7003", status="REJECT")
    with pytest.raises(CommandError, match=r"template 7003 is not approved \(REJECT\)"):
        _run("notify_test", "0912 345 678", "--channel", "zns", "--template", "7003")
    assert zalo_connected.sent(ZNS) == []


def test_a_template_zalo_does_not_know_is_refused(admin_user, zalo_connected):
    with pytest.raises(CommandError, match="Zalo could not describe the template 9999"):
        _run("notify_test", "0912 345 678", "--channel", "zns", "--template", "9999")
    assert not Notice.objects.exists()


def test_zns_without_a_template_for_tests_says_to_give_one(admin_user, zalo_connected):
    with pytest.raises(CommandError, match="No Zalo template is set for test messages"):
        _run("notify_test", "0912 345 678", "--channel", "zns")


def test_zns_before_the_oa_is_connected_fails_with_the_reason(admin_user, standin):
    with pytest.raises(CommandError, match="The Zalo Official Account is not connected"):
        _run("notify_test", "0912 345 678", "--channel", "zns", "--template", "7001")


def test_the_days_quota_reached_fails_with_the_reason(admin_user, standin, settings):
    settings.NOTIFY_DAILY_QUOTA = {"sms": 0}
    with pytest.raises(CommandError, match="The day's quota for this channel is reached"):
        _run("notify_test", "0912 345 678", "--channel", "sms")
    assert standin.sent(ESMS_PATH) == []
    assert QuotaDay.objects.get().used == 0


def test_a_template_for_sms_is_refused(admin_user, standin):
    with pytest.raises(CommandError, match="--template is for Zalo template messages"):
        _run("notify_test", "0912 345 678", "--channel", "sms", "--template", "7001")


def test_another_channel_is_refused(admin_user, standin):
    with pytest.raises(CommandError, match="invalid choice: 'email'"):
        _run("notify_test", "0912 345 678", "--channel", "email")


def test_a_test_message_needs_no_account_for_its_number(standin, capsys):
    _run("notify_test", "0912 345 678", "--channel", "sms")
    notice = Notice.objects.get(kind="test")
    assert (notice.user, notice.household, notice.phone) == (None, None, "84912345678")
    assert notice.status == Notice.Status.SENT
