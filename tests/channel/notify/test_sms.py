"""SMS brandname (channel.notify.sms) against the stand-in: eSMS's and SpeedSMS's documented
requests, their error answers, the request id that makes a repeated send a duplicate, and the
provider named in the settings."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from channel.models import Notice, NoticeKind
from channel.notify import sms
from channel.notify.errors import Later, Refused
from channel.notify.service import notice_send
from tests.channel.standin import ESMS_PATH, SMS_API_KEY, SMS_SECRET_KEY, SPEEDSMS_PATH, Trouble
from tests.factories import HouseholdFactory

PHONE = "84912345678"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- eSMS -----------------------------------------------------------------------------------


def test_esms_gets_the_documented_body_without_tone_marks(standin):
    message_id = sms.send(phone=PHONE, text="Đã nhận quà Tết", request_id="receipt:7")
    [request] = standin.sent(ESMS_PATH)
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "ApiKey": SMS_API_KEY,
        "SecretKey": SMS_SECRET_KEY,
        "Phone": PHONE,
        "Content": "Da nhan qua Tet",
        "Brandname": "VP TINH UY",
        "SmsType": "2",
        "IsUnicode": "0",
        "RequestId": "receipt:7",
    }
    assert message_id.startswith("esms-")


def test_every_vietnamese_letter_loses_its_marks_and_a_long_text_is_cut(standin):
    sms.send(phone=PHONE, text="Đường Ủy ban Xã Lũng Phìn – “Ấm no” …", request_id="r:1")
    assert standin.sent(ESMS_PATH)[0].json()["Content"] == 'Duong Uy ban Xa Lung Phin - "Am no" ...'
    sms.send(phone=PHONE, text="Gạo " * 200, request_id="r:2")
    content = standin.sent(ESMS_PATH)[1].json()["Content"]
    assert len(content) == sms.MAX_LENGTH
    assert content.startswith("Gao Gao")


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"CodeResult": "99", "ErrorMessage": "Phone invalid"}, "eSMS answered 99: Phone invalid"),
        ({"CodeResult": "103", "ErrorMessage": "Balance not enough"}, "eSMS answered 103"),
        ({"CodeResult": "104", "ErrorMessage": "Brandname not exist"}, "Brandname not exist"),
        ({}, "eSMS answered 200"),  # not the provider's JSON
    ],
)
def test_an_esms_error_code_is_a_refusal_with_the_code(standin, answer, reason):
    standin.fail_next(ESMS_PATH, Trouble(body=answer))
    with pytest.raises(Refused, match=reason):
        sms.send(phone=PHONE, text="Xin chào", request_id="receipt:8")


def test_wrong_keys_are_refused_and_the_keys_are_not_in_the_reason(standin, settings):
    settings.SMS_SECRET_KEY = "not-the-secret"
    with pytest.raises(Refused, match="eSMS answered 101: Authorize Failed") as caught:
        sms.send(phone=PHONE, text="Xin chào", request_id="receipt:9")
    assert SMS_API_KEY not in str(caught.value)
    assert "not-the-secret" not in str(caught.value)


def test_a_repeated_request_id_is_taken_as_sent_and_esms_sends_nothing_twice(standin):
    first = sms.send(phone=PHONE, text="Xin chào", request_id="receipt:10")
    # The worker died before it recorded the send: the task runs again with the same id.
    again = sms.send(phone=PHONE, text="Xin chào", request_id="receipt:10")
    assert len(standin.sent(ESMS_PATH)) == 2
    assert list(standin.sms_request_ids) == ["receipt:10"]  # one message went
    assert first.startswith("esms-")
    assert again == "RequestId receipt:10"


def test_two_long_keys_with_one_beginning_get_two_request_ids():
    head = "digest:" + "x" * 60
    first, second = sms.request_id_for(head + ":1"), sms.request_id_for(head + ":2")
    assert first != second
    assert len(first) == len(second) == sms.REQUEST_ID_LENGTH
    assert sms.request_id_for("receipt:1") == "receipt:1"


@pytest.mark.django_db
def test_a_notice_goes_by_sms_with_its_key_as_request_id(
    standin, django_capture_on_commit_callbacks
):
    household = HouseholdFactory(phone="0912 345 678", head_name="Ma Đình Liệu")
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_send(
            kind=NoticeKind.RECEIPT,
            key="receipt:42",
            household=household,
            text="Gia đình đã nhận 10 kg gạo.",
        )
    notice.refresh_from_db()
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "sms")
    [request] = standin.sent(ESMS_PATH)
    body = request.json()
    assert body["RequestId"] == "receipt:42"
    assert body["Phone"] == PHONE
    assert body["Content"].startswith("Gia dinh da nhan 10 kg gao.")
    assert notice.short_code in body["Content"]
    assert body["Content"].isascii()
    attempt = notice.attempts.get(channel="sms")
    assert attempt.provider_message_id.startswith("esms-")


@pytest.mark.django_db
def test_a_notice_resent_after_a_lost_record_is_sent_once(
    standin, django_capture_on_commit_callbacks
):
    household = HouseholdFactory(phone="0987654321")
    # eSMS took this notice's request already (the worker died before recording it).
    standin.sms_request_ids["receipt:43"] = "esms-1"
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_send(
            kind=NoticeKind.RECEIPT, key="receipt:43", household=household, text="Đã nhận"
        )
    notice.refresh_from_db()
    assert (notice.status, notice.channel) == (Notice.Status.SENT, "sms")
    assert notice.attempts.get(channel="sms").provider_message_id == "RequestId receipt:43"
    assert list(standin.sms_request_ids) == ["receipt:43"]


def test_a_server_error_or_a_rate_limit_is_tried_later(standin):
    standin.fail_next(ESMS_PATH, Trouble(status=503))
    with pytest.raises(Later, match="eSMS answered with a server error"):
        sms.send(phone=PHONE, text="Xin chào", request_id="r:3")
    standin.fail_next(ESMS_PATH, Trouble(status=429, headers={"Retry-After": "30"}))
    with pytest.raises(Later, match="eSMS asks to slow down") as caught:
        sms.send(phone=PHONE, text="Xin chào", request_id="r:3")
    assert caught.value.retry_after == 30.0


def test_a_provider_that_times_out_is_tried_later(standin, settings):
    settings.NOTIFY_TIMEOUT = 0.2
    standin.fail_next(ESMS_PATH, Trouble(delay=0.5))
    with pytest.raises(Later, match="eSMS did not answer in time"):
        sms.send(phone=PHONE, text="Xin chào", request_id="r:4")


def test_without_a_number_or_a_set_up_provider_nothing_is_sent(standin, settings):
    with pytest.raises(Refused, match="No mobile number"):
        sms.send(phone="", text="Xin chào", request_id="r:5")
    settings.SMS_BRANDNAME = ""
    assert not sms.configured()
    with pytest.raises(Refused, match="SMS is not set up"):
        sms.send(phone=PHONE, text="Xin chào", request_id="r:6")
    assert standin.requests == []


# --- SpeedSMS -------------------------------------------------------------------------------


@pytest.fixture
def speedsms(standin, settings):
    settings.SMS_PROVIDER = "speedsms"
    settings.SMS_SECRET_KEY = ""
    return standin


def test_speedsms_gets_basic_auth_and_a_brandname_message(speedsms):
    message_id = sms.send(phone=PHONE, text="Đã nhận", request_id="receipt:11")
    [request] = speedsms.sent(SPEEDSMS_PATH)
    user, _sep, password = (
        base64.b64decode(request.headers["authorization"].removeprefix("Basic ")).decode()
    ).partition(":")
    assert (user, password) == (SMS_API_KEY, "x")
    assert request.json() == {
        "to": [PHONE],
        "content": "Da nhan",
        "sms_type": 3,
        "sender": "VP TINH UY",
    }
    assert message_id.isdigit()  # data.tranId
    assert speedsms.sent(ESMS_PATH) == []


def test_speedsms_refuses_a_wrong_token(speedsms, settings):
    settings.SMS_API_KEY = "wrong-token"
    with pytest.raises(Refused, match="SpeedSMS answered 007: Invalid token") as caught:
        sms.send(phone=PHONE, text="Xin chào", request_id="r:7")
    assert "wrong-token" not in str(caught.value)


def test_a_speedsms_error_answer_is_a_refusal(speedsms):
    answer = {"status": "error", "code": "105", "message": "Sender not found"}
    speedsms.fail_next(SPEEDSMS_PATH, Trouble(body=answer))
    with pytest.raises(Refused, match="SpeedSMS answered 105: Sender not found"):
        sms.send(phone=PHONE, text="Xin chào", request_id="r:8")


# --- The provider in the settings -----------------------------------------------------------

BASE_DIR = Path(__file__).resolve().parents[3]


def _provider(value: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with ``SMS_PROVIDER=value``."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(repr(settings.SMS_PROVIDER))"
    )
    return subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={
            **clean,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SMS_PROVIDER": value,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("value", "provider"), [("esms", "esms"), (" SpeedSMS ", "speedsms"), ("", "")]
)
def test_the_named_provider_is_taken(value, provider):
    result = _provider(value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(provider)


def test_an_unknown_sms_provider_is_refused_when_the_settings_load():
    result = _provider("viettel")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SMS_PROVIDER is 'viettel': use esms or speedsms" in result.stderr
