"""The verification page confirms the code at the end of a message the office sent: when, to
which number (masked), by which channel; never who or what. A message that was not sent is
"not found" like any unknown code, under the same limit of guesses."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from channel import ratelimit
from channel.models import Notice, NoticeKind
from channel.services import site_profile_update
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _notice(household, *, status, channel="zns", key="receipt:1", **fields) -> Notice:
    return Notice.objects.create(
        kind=NoticeKind.RECEIPT,
        key=key,
        household=household,
        phone="84912345678",
        text=f"Gia đình {household.head_name} đã nhận gạo.",
        status=status,
        channel=channel,
        **fields,
    )


@pytest.fixture
def household():
    return HouseholdFactory(head_name="Ma Đình Liệu", phone="0912 345 678")


def _check(client, code):
    client.cookies["django_language"] = "en"
    return client.get(reverse("verify"), {"code": code})


def test_a_sent_messages_code_shows_when_to_which_masked_number_and_how(client, household):
    site_profile_update(actor=None, office_name="Văn phòng Tỉnh ủy")
    sent_at = datetime.datetime(2026, 2, 3, 9, 15, tzinfo=timezone.get_current_timezone())
    notice = _notice(household, status=Notice.Status.SENT, sent_at=sent_at)
    response = _check(client, notice.short_code.lower())
    page = response.content.decode()
    assert response.status_code == 200
    assert "This message was sent by the office on 03/02/2026 09:15 to 0912 *** 678" in page
    assert "by Zalo template message" in page
    assert "0912 345 678" not in page
    assert "84912345678" not in page
    assert "Ma Đình Liệu" not in page
    assert "đã nhận gạo" not in page


def test_a_message_by_e_mail_shows_a_masked_address(client, staff_user):
    notice = Notice.objects.create(
        kind=NoticeKind.POST,
        key="post:1:user:1",
        user=staff_user,
        email="nguyen.van.a@example.vn",
        text="Tin mới",
        status=Notice.Status.SENT,
        channel="email",
        sent_at=timezone.now(),
    )
    page = _check(client, notice.short_code).content.decode()
    assert "to n***@example.vn by E-mail" in page
    assert "nguyen.van.a" not in page


@pytest.mark.parametrize("status", [Notice.Status.FAILED, Notice.Status.QUEUED, "held"])
def test_a_message_that_was_not_sent_is_not_found_and_counts_as_a_miss(client, household, status):
    notice = _notice(household, status=status, channel="")
    page = _check(client, notice.short_code).content.decode()
    assert "Not found" in page
    assert "0912 *** 678" not in page
    assert "sent by the office on" not in page


def test_unsent_codes_are_limited_like_any_unknown_code(client, household):
    notice = _notice(household, status=Notice.Status.FAILED, channel="")
    for _ in range(ratelimit.LOOKUP_MISSES.count):
        assert _check(client, notice.short_code).status_code == 200
    assert _check(client, notice.short_code).status_code == 429
