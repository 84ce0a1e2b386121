"""The staff's side of the messages from families: the queue, linking a sender, and the
answer by Zalo from the concern page (which goes out through the OA, to the stand-in)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from channel.models import InboundMessage, Notice, NoticeKind, ZaloFollower
from channel.notify import inbound, panels_inbound, replies
from households.models import Concern
from tests.channel.notify.test_webhook import text_event
from tests.factories import HouseholdFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = InboundMessage.Status
OA_MESSAGE = "/v3.0/oa/message/cs"


@pytest.fixture(autouse=True)
def _panel():
    # What ChannelConfig.ready() does once the lead wires it.
    panels_inbound.register()


@pytest.fixture
def household(partnership):
    return HouseholdFactory(village__commune=partnership.commune, code="HH-77001")


@pytest.fixture
def member(household):
    return MemberFactory(household=household, full_name="Hoàng Thị Mai")


@pytest.fixture
def other_staff(db):
    """Office staff of another commune."""
    from outreach.models import RoleAssignment
    from outreach.services import role_assign
    from tests.factories import PartnershipFactory

    user = UserFactory(username="staff-other")
    role_assign(
        actor=None,
        user=user,
        role=RoleAssignment.Role.OFFICE_STAFF,
        partnership=PartnershipFactory(),
    )
    return user


def arrive(sender: str, text: str) -> InboundMessage:
    message, _created = inbound.inbound_receive(event=text_event(sender, text))
    return replies.inbound_process(message=message)


def concern_from_zalo(member) -> tuple[InboundMessage, Concern]:
    ZaloFollower.objects.get_or_create(zalo_user_id="5001", defaults={"member": member})
    message = arrive("5001", "Nhà tôi bị dột mái")
    return message, message.concern


# --- The queue -----------------------------------------------------------------------------


def test_staff_see_the_messages_waiting_for_them(client, staff_user, member):
    waiting = arrive("6001", "Cho tôi hỏi về hỗ trợ làm nhà")
    concern_from_zalo(member)
    client.force_login(staff_user)
    response = client.get(reverse("channel:inbound-list"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [waiting]
    assert "Cho tôi hỏi về hỗ trợ làm nhà" in response.content.decode()


def test_cadres_and_donors_do_not_read_the_queue(client, cadre_user, donor_user):
    arrive("6001", "Xin hỏi")
    for user in (cadre_user, donor_user):
        client.force_login(user)
        assert client.get(reverse("channel:inbound-list")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("channel:inbound-list"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_auditors_read_the_queue_without_the_link_form(client, auditor_user, member):
    waiting = arrive("6001", "Xin hỏi")
    client.force_login(auditor_user)
    assert list(client.get(reverse("channel:inbound-list")).context["page_obj"]) == [waiting]
    page = client.get(reverse("channel:inbound-detail", args=[waiting.pk]), {"code": "HH-77001"})
    assert page.status_code == 200
    assert page.context["find_form"] is None
    assert page.context["link_form"] is None
    link = reverse("channel:inbound-link", args=[waiting.pk])
    assert client.post(link, {"code": "HH-77001", "member": member.pk}).status_code == 403
    waiting.follower.refresh_from_db()
    assert waiting.follower.member is None


def test_the_queue_runs_a_fixed_number_of_queries(
    client, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    url = reverse("channel:inbound-list")
    arrive("6000", "Xin hỏi")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        assert len(client.get(url).context["page_obj"]) == 1
    for n in range(1, 21):
        arrive(f"60{n:02d}", f"Xin hỏi lần {n}")
    with django_assert_max_num_queries(12) as many:
        assert len(client.get(url).context["page_obj"]) == 21
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_a_message_on_another_communes_file_is_not_found(client, other_staff, member):
    message, _concern = concern_from_zalo(member)
    client.force_login(other_staff)
    assert client.get(reverse("channel:inbound-detail", args=[message.pk])).status_code == 404
    filtered = client.get(reverse("channel:inbound-list"), {"status": Status.CONCERN})
    assert list(filtered.context["page_obj"]) == []


# --- Linking a sender ----------------------------------------------------------------------


def test_staff_find_the_household_by_code_and_link_the_sender(client, staff_user, member):
    waiting = arrive("6001", "Cho tôi hỏi về hỗ trợ làm nhà")
    client.force_login(staff_user)
    url = reverse("channel:inbound-detail", args=[waiting.pk])
    page = client.get(url, {"code": "hh-77001"})
    assert page.status_code == 200
    assert member.full_name in page.content.decode()
    response = client.post(
        reverse("channel:inbound-link", args=[waiting.pk]),
        {"code": "HH-77001", "member": member.pk},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CONCERN
    assert waiting.concern.household == member.household
    assert waiting.concern.text == "Cho tôi hỏi về hỗ trợ làm nhà"
    follower = waiting.follower
    assert (follower.member, follower.linked_by) == (member, staff_user)
    assert list(client.get(reverse("channel:inbound-list")).context["page_obj"]) == []


def test_another_communes_household_code_is_refused_with_a_message(client, staff_user):
    elsewhere = MemberFactory(household__code="HH-99999")
    waiting = arrive("6001", "Xin hỏi")
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("channel:inbound-detail", args=[waiting.pk]),
        {"code": "HH-99999"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "No household with this code in your communes." in page.content.decode()
    assert page.context["link_form"] is None
    response = client.post(
        reverse("channel:inbound-link", args=[waiting.pk]),
        {"code": "HH-99999", "member": elsewhere.pk},
    )
    assert response.status_code == 200
    assert "No household with this code in your communes." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.QUEUED
    assert waiting.follower.member is None
    assert not Concern.objects.exists()


def test_a_member_of_another_household_cannot_be_slipped_in(client, staff_user, member):
    elsewhere = MemberFactory()
    waiting = arrive("6001", "Xin hỏi")
    client.force_login(staff_user)
    response = client.post(
        reverse("channel:inbound-link", args=[waiting.pk]),
        {"code": "HH-77001", "member": elsewhere.pk},
    )
    assert response.status_code == 200
    assert response.context["link_form"].errors["member"]
    waiting.follower.refresh_from_db()
    assert waiting.follower.member is None


def test_another_communes_staff_cannot_link_to_a_household_they_do_not_cover(
    client, other_staff, member
):
    waiting = arrive("6001", "Xin hỏi")
    client.force_login(other_staff)
    response = client.post(
        reverse("channel:inbound-link", args=[waiting.pk]),
        {"code": "HH-77001", "member": member.pk},
    )
    assert response.status_code == 200
    waiting.follower.refresh_from_db()
    assert waiting.follower.member is None


# --- Answering from the concern page -------------------------------------------------------


def test_the_concern_page_shows_the_zalo_messages_and_the_answer_form(client, staff_user, member):
    _message, concern = concern_from_zalo(member)
    client.force_login(staff_user)
    page = client.get(reverse("households:concern-update", args=[concern.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Nhà tôi bị dột mái" in html
    assert reverse("channel:concern-answer", args=[concern.pk]) in html


def test_cadres_see_the_messages_but_no_answer_form(client, cadre_user, member):
    _message, concern = concern_from_zalo(member)
    client.force_login(cadre_user)
    html = client.get(reverse("households:concern-update", args=[concern.pk])).content.decode()
    assert "Nhà tôi bị dột mái" in html
    assert reverse("channel:concern-answer", args=[concern.pk]) not in html
    response = client.post(
        reverse("channel:concern-answer", args=[concern.pk]), {"text": "Chào", "token": "t"}
    )
    assert response.status_code == 403


def test_a_concern_not_from_zalo_has_no_panel(client, staff_user, household):
    from households.services import concern_record

    concern = concern_record(
        actor=None,
        household=household,
        kind="concern",
        raised_on=timezone.localdate(),
        text="Tại nhà",
    )
    client.force_login(staff_user)
    html = client.get(reverse("households:concern-update", args=[concern.pk])).content.decode()
    assert reverse("channel:concern-answer", args=[concern.pk]) not in html


def test_the_answer_goes_back_to_the_follower_through_the_oa(
    client, staff_user, member, zalo_connected, django_capture_on_commit_callbacks
):
    _message, concern = concern_from_zalo(member)
    client.force_login(staff_user)
    url = reverse("channel:concern-answer", args=[concern.pk])
    answer = "Cán bộ xã sẽ đến xem mái nhà vào thứ Hai."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": answer, "token": "tok-1"})
    assert response.status_code == 302
    assert response.url == reverse("households:concern-update", args=[concern.pk])
    notice = Notice.objects.get(kind=NoticeKind.ANSWER)
    assert (notice.status, notice.channel, notice.concern) == (Notice.Status.SENT, "oa", concern)
    assert notice.zalo_user_id == "5001"
    [sent] = zalo_connected.sent(OA_MESSAGE)
    body = sent.json()
    assert body["recipient"] == {"user_id": "5001"}
    assert answer in body["message"]["text"]
    assert notice.short_code in body["message"]["text"]
    # The same form sent again (a double tap) is the same answer: nothing goes twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": answer, "token": "tok-1"})
    assert Notice.objects.filter(kind=NoticeKind.ANSWER).count() == 1
    assert len(zalo_connected.sent(OA_MESSAGE)) == 1
    # The panel lists the answer and how it went.
    page = client.get(reverse("households:concern-update", args=[concern.pk]))
    assert page.context is not None
    html = page.content.decode()
    assert answer in html
    with translation.override("vi"):
        assert str(Notice.Status.SENT.label) in html


def test_an_empty_answer_is_refused_and_nothing_sent(client, staff_user, member, zalo_connected):
    _message, concern = concern_from_zalo(member)
    client.force_login(staff_user)
    response = client.post(
        reverse("channel:concern-answer", args=[concern.pk]), {"text": "   ", "token": "t"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert not Notice.objects.exists()
    assert zalo_connected.sent(OA_MESSAGE) == []


def test_a_concern_nobody_wrote_about_on_zalo_cannot_be_answered_by_zalo(
    client, staff_user, household
):
    from households.services import concern_record

    concern = concern_record(
        actor=None,
        household=household,
        kind="concern",
        raised_on=timezone.localdate(),
        text="Tại nhà",
    )
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("channel:concern-answer", args=[concern.pk]),
        {"text": "Chào", "token": "t"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "there is no one to answer" in response.content.decode()
    assert not Notice.objects.exists()


def test_another_communes_staff_cannot_answer(client, other_staff, member, zalo_connected):
    _message, concern = concern_from_zalo(member)
    client.force_login(other_staff)
    response = client.post(
        reverse("channel:concern-answer", args=[concern.pk]), {"text": "Chào", "token": "t"}
    )
    assert response.status_code == 404
    assert not Notice.objects.exists()
    assert zalo_connected.sent(OA_MESSAGE) == []


def test_a_receipt_reply_shows_the_notice_it_answers(client, staff_user, household):
    from tests.channel.notify.test_inbound import receipt_notice

    notice = receipt_notice(household)
    message = arrive("6001", f"KHONG {notice.short_code}")
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("channel:inbound-detail", args=[message.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert notice.short_code in html
    assert "Disputed by message" in html
    assert reverse("households:concern-update", args=[message.concern.pk]) in html
    assert page.context["find_form"] is not None  # the sender is still nobody's: link them


def test_a_linked_senders_message_offers_no_link_form(client, staff_user, member):
    message, _concern = concern_from_zalo(member)
    client.force_login(staff_user)
    page = client.get(reverse("channel:inbound-detail", args=[message.pk]))
    assert page.status_code == 200
    assert page.context["find_form"] is None
    assert member.full_name in page.content.decode()
