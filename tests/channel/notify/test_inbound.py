"""What a family's message becomes: a receipt confirmed or disputed, a concern on the
household's file, or a message waiting for staff to link its sender."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from channel import tasks
from channel.models import InboundMessage, Notice, NoticeKind, ReceiptCheck, ZaloFollower
from channel.notify import inbound, replies
from households.models import Concern
from tests.channel.notify.test_webhook import text_event
from tests.factories import HouseholdFactory, MemberFactory, ReceiptFactory

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status


@pytest.fixture
def household(partnership):
    return HouseholdFactory(village__commune=partnership.commune, phone="0912345678")


@pytest.fixture
def member(household):
    return MemberFactory(household=household, full_name="Hoàng Thị Mai")


@pytest.fixture
def linked(member):
    return ZaloFollower.objects.create(zalo_user_id="5001", member=member)


def receipt_notice(household, *, sent_days_ago: float = 1, status=Notice.Status.SENT, key=None):
    receipt = ReceiptFactory(household=household, village=household.village)
    sent_at = timezone.now() - datetime.timedelta(days=sent_days_ago)
    return Notice.objects.create(
        kind=NoticeKind.RECEIPT,
        key=key or f"receipt:{receipt.pk}",
        household=household,
        receipt=receipt,
        text="…",
        data={"items": "10 kg gạo"},
        status=status,
        channel="zns",
        sent_at=sent_at if status == Notice.Status.SENT else None,
    )


def arrive(sender: str, text: str, **kwargs) -> InboundMessage:
    """Receive and process a message, as the webhook and its task do."""
    message, created = inbound.inbound_receive(event=text_event(sender, text, **kwargs))
    assert created
    return replies.inbound_process(message=message)


@pytest.mark.parametrize(
    ("text", "received", "code"),
    [
        ("CO", True, ""),
        ("Có", True, ""),
        ("có ạ", True, ""),
        ("Dạ có", True, ""),
        ("ĐÃ NHẬN", True, ""),
        ("da nhan roi", True, ""),
        ("CO k7q2-m9xa", True, "K7Q2M9XA"),
        ("KHONG", False, ""),
        ("Không.", False, ""),
        ("KHÔNG K7Q2M9XA", False, "K7Q2M9XA"),
        ("khong nhan duoc", False, ""),
        ("Chưa nhận", False, ""),
    ],
)
def test_answers_to_a_receipt_notice_are_read_with_or_without_tone_marks(text, received, code):
    assert replies.receipt_reply(text) == replies.ReceiptReply(received=received, code=code)


@pytest.mark.parametrize(
    "text",
    ["Con tôi bị ốm", "Có 2 bao gạo bị ướt", "Không có điện từ hôm qua", "Cô ơi", "", "Khongco"],
)
def test_other_messages_are_not_read_as_answers(text):
    assert replies.receipt_reply(text) is None


def test_a_linked_senders_message_becomes_a_concern_on_the_household(linked, household):
    message = arrive("5001", "Nhà tôi bị dột mái, xin hỗ trợ")
    assert message.status == Status.CONCERN
    concern = message.concern
    assert (concern.household, concern.kind, concern.text) == (
        household,
        Concern.Kind.CONCERN,
        "Nhà tôi bị dột mái, xin hỗ trợ",
    )
    assert concern.raised_on == timezone.localdate(message.sent_at)
    assert message.household == household
    linked.refresh_from_db()
    assert linked.last_message_at == message.sent_at


def test_an_unlinked_senders_message_waits_for_staff(household):
    message = arrive("6001", "Cho tôi hỏi về hỗ trợ làm nhà")
    assert message.status == Status.QUEUED
    assert message.concern is None
    assert message.follower.zalo_user_id == "6001"
    assert message.follower.member is None
    assert not Concern.objects.exists()


def test_processing_twice_does_nothing_the_second_time(linked):
    message = arrive("5001", "Xin hỏi")
    again = replies.inbound_process(message=message)
    assert again.status == Status.CONCERN
    assert Concern.objects.count() == 1
    result = tasks.inbound_process_task.delay(message.pk).get()
    assert result == {"message": message.pk, "status": Status.CONCERN}
    assert Concern.objects.count() == 1


def test_khong_with_the_code_marks_the_receipt_disputed_and_opens_a_concern(household):
    notice = receipt_notice(household)
    # Even from a sender nobody linked: the notice's code says which receipt it is.
    message = arrive("6001", f"KHONG {notice.short_code}")
    assert message.status == Status.RECEIPT_REPLY
    assert message.notice == notice
    check = ReceiptCheck.objects.get()
    assert (check.receipt, check.notice, check.message, check.outcome) == (
        notice.receipt,
        notice,
        message,
        ReceiptCheck.Outcome.NOT_RECEIVED,
    )
    concern = message.concern
    assert concern.household == household
    assert concern.status == Concern.Status.OPEN
    assert "10 kg gạo" in concern.text
    assert notice.short_code in concern.text
    assert "Zalo" in concern.text


def test_co_from_a_linked_follower_confirms_the_latest_receipt_notice(household, linked):
    receipt_notice(household, sent_days_ago=10)
    latest = receipt_notice(household, sent_days_ago=2)
    receipt_notice(household, sent_days_ago=0, status=Notice.Status.QUEUED, key="receipt:q")
    message = arrive("5001", "Có ạ")
    assert message.status == Status.RECEIPT_REPLY
    assert message.notice == latest
    check = ReceiptCheck.objects.get()
    assert (check.receipt, check.outcome) == (latest.receipt, ReceiptCheck.Outcome.RECEIVED)
    assert message.concern is None
    assert not Concern.objects.exists()


def test_a_reply_without_code_to_an_old_notice_is_a_concern(household, linked):
    receipt_notice(household, sent_days_ago=45)
    message = arrive("5001", "CO")
    assert message.status == Status.CONCERN
    assert not ReceiptCheck.objects.exists()


def test_a_reply_with_an_unknown_code_is_not_taken_for_an_answer(household, linked):
    receipt_notice(household)
    message = arrive("5001", "KHONG ABCD2345")
    assert message.status == Status.CONCERN
    assert message.concern.text == "KHONG ABCD2345"
    assert not ReceiptCheck.objects.exists()


def test_a_reply_without_code_from_an_unlinked_sender_waits_for_staff(household):
    receipt_notice(household)
    message = arrive("6001", "KHONG")
    assert message.status == Status.QUEUED
    assert not ReceiptCheck.objects.exists()


def test_staff_linking_a_sender_turns_their_waiting_messages_into_concerns(
    staff_user, household, member
):
    notice = receipt_notice(household)
    first = arrive("6001", "Cho tôi hỏi về hỗ trợ làm nhà")
    second = arrive("6001", "Khong")
    follower = first.follower
    inbound.follower_link(actor=staff_user, follower=follower, member=member)
    follower.refresh_from_db()
    assert (follower.member, follower.linked_by) == (member, staff_user)
    assert follower.linked_at is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.CONCERN
    assert first.concern.household == household
    assert first.handled_by == staff_user
    # "Khong" answered the household's receipt notice, once staff said whose it is.
    assert (second.status, second.notice) == (Status.RECEIPT_REPLY, notice)
    assert second.receipt_check.outcome == ReceiptCheck.Outcome.NOT_RECEIVED
    assert Concern.objects.filter(household=household).count() == 2
    # A later message goes on the file at once.
    assert arrive("6001", "Cảm ơn cán bộ").status == Status.CONCERN


def test_linking_to_another_communes_member_is_refused_and_changes_nothing(staff_user):
    elsewhere = MemberFactory()  # a household of a commune the staff does not cover
    message = arrive("6001", "Xin hỏi")
    with translation.override("en"), pytest.raises(ValidationError, match="outside your commune"):
        inbound.follower_link(actor=staff_user, follower=message.follower, member=elsewhere)
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.follower.member is None
    assert not Concern.objects.exists()


def test_only_office_staff_link_senders(cadre_user, auditor_user, member):
    message = arrive("6001", "Xin hỏi")
    for actor in (cadre_user, auditor_user, None):
        with translation.override("en"), pytest.raises(ValidationError, match="Only office staff"):
            inbound.follower_link(actor=actor, follower=message.follower, member=member)
    message.follower.refresh_from_db()
    assert message.follower.member is None


def test_a_linked_sender_is_not_linked_again_to_someone_else(staff_user, linked, household):
    other = MemberFactory(household=household)
    with translation.override("en"), pytest.raises(ValidationError, match="already linked"):
        inbound.follower_link(actor=staff_user, follower=linked, member=other)
    linked.refresh_from_db()
    assert linked.member != other


def test_the_recoverer_sends_again_the_messages_still_new_after_a_minute(linked):
    message, _created = inbound.inbound_receive(event=text_event("5001", "Xin hỏi"))
    fresh, _created = inbound.inbound_receive(event=text_event("5001", "Xin hỏi lần nữa"))
    old = timezone.now() - datetime.timedelta(minutes=2)
    InboundMessage.objects.filter(pk=message.pk).update(updated_at=old)
    now = timezone.now()
    signatures = tasks.inbound_pending(
        stale_before=now - datetime.timedelta(minutes=3),
        since=now - datetime.timedelta(days=3),
        limit=10,
    )
    assert [sig.args for sig in signatures] == [(message.pk,)]
    signatures[0].apply()
    message.refresh_from_db()
    fresh.refresh_from_db()
    assert (message.status, fresh.status) == (Status.CONCERN, Status.NEW)
