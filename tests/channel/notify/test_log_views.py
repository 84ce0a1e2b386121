"""The delivery log: the notices list and a notice's page for office staff (their scope),
auditors and administrators (all), with filters and a fixed number of queries; and the
"Messages" section of a household's case file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from channel.models import (
    InboundMessage,
    Notice,
    NoticeAttempt,
    NoticeKind,
    ReceiptCheck,
    ZaloConnection,
)
from channel.notify import panels_uses
from outreach.models import RoleAssignment
from outreach.services import role_assign
from tests.factories import HouseholdFactory, PartnershipFactory, ReceiptFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role
LIST = reverse("channel:notice-list")


@pytest.fixture(autouse=True)
def _registered():
    """What ChannelConfig.ready registers (panels_uses.register), as in production."""
    panels_uses.register()


def _notice(*, key, status=Notice.Status.SENT, kind=NoticeKind.RECEIPT, **fields) -> Notice:
    return Notice.objects.create(
        kind=kind,
        key=key,
        text="Nội dung tin nhắn",
        status=status,
        channel="zns" if status == Notice.Status.SENT else "",
        sent_at=timezone.now() if status == Notice.Status.SENT else None,
        **fields,
    )


@pytest.fixture
def notices(partnership, cadre_user, staff_user):
    ours = HouseholdFactory(village__commune=partnership.commune, code="HH-OURS")
    theirs = HouseholdFactory(code="HH-THEIRS")
    stranger = UserFactory(username="stranger")
    role_assign(actor=None, user=stranger, role=Role.OFFICE_STAFF, partnership=PartnershipFactory())
    return {
        "household": _notice(key="receipt:1", household=ours, phone="84912345678"),
        "elsewhere": _notice(key="receipt:2", household=theirs, phone="84912345679"),
        "cadre": _notice(
            key="reviews_due:cadre",
            kind=NoticeKind.REVIEWS_DUE,
            user=cadre_user,
            status=Notice.Status.FAILED,
        ),
        "stranger": _notice(key="reviews_due:stranger", kind=NoticeKind.POST, user=stranger),
        "own": _notice(key="post:own", kind=NoticeKind.POST, user=staff_user),
    }


def _shown(response) -> set[int]:
    return {notice.pk for notice in response.context["page_obj"]}


def test_office_staff_see_their_communes_households_their_people_and_themselves(
    client, staff_user, notices
):
    client.force_login(staff_user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert _shown(response) == {
        notices["household"].pk,
        notices["cadre"].pk,
        notices["own"].pk,
    }
    assert "HH-OURS" in response.content.decode()
    assert "HH-THEIRS" not in response.content.decode()


@pytest.mark.parametrize("role", ["auditor_user", "admin_user"])
def test_auditors_and_administrators_see_every_notice(client, request, role, notices):
    client.force_login(request.getfixturevalue(role))
    assert _shown(client.get(LIST)) == {notice.pk for notice in notices.values()}


@pytest.mark.parametrize("role", ["cadre_user", "donor_user"])
def test_cadres_and_donors_have_no_delivery_log(client, request, role, notices):
    client.force_login(request.getfixturevalue(role))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("channel:notice-detail", args=[notices["own"].pk])).status_code == 403


def test_the_list_filters_by_kind_status_channel_and_date(client, admin_user, notices):
    client.force_login(admin_user)
    assert _shown(client.get(LIST, {"kind": "reviews_due"})) == {notices["cadre"].pk}
    assert _shown(client.get(LIST, {"status": "failed"})) == {notices["cadre"].pk}
    assert notices["cadre"].pk not in _shown(client.get(LIST, {"channel": "zns"}))
    today = timezone.localdate()
    assert len(_shown(client.get(LIST, {"since": today.strftime("%d/%m/%Y")}))) == 5
    yesterday = today - datetime.timedelta(days=1)
    assert _shown(client.get(LIST, {"until": yesterday.strftime("%d/%m/%Y")})) == set()
    # A filter that makes no sense is shown as refused, not as an error page.
    assert client.get(LIST, {"kind": "nonsense"}).status_code == 200


def test_the_list_costs_the_same_queries_for_few_and_many_notices(
    client, staff_user, partnership, notices, django_assert_max_num_queries
):
    client.force_login(staff_user)
    client.get(LIST)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for number in range(30):
        household = HouseholdFactory(village__commune=partnership.commune)
        _notice(key=f"receipt:many:{number}", household=household)
    with django_assert_max_num_queries(12) as many:
        assert len(client.get(LIST).context["page_obj"]) == 33
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_a_notices_page_shows_each_channel_tried_and_never_a_token(
    client, staff_user, notices, django_assert_max_num_queries
):
    ZaloConnection.objects.create(
        pk=1, access_token="ACCESS-SECRET", refresh_token="REFRESH-SECRET"
    )
    notice = notices["household"]
    NoticeAttempt.objects.create(
        notice=notice, channel="zns", status="failed", tries=1, error="Template is not approved"
    )
    NoticeAttempt.objects.create(
        notice=notice, channel="sms", status="sent", tries=1, provider_message_id="esms-42"
    )
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    url = reverse("channel:notice-detail", args=[notice.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "esms-42" in page
    assert "Template is not approved" in page
    assert "0912 345 678" in page
    assert notice.short_code in page
    assert "SECRET" not in page


def test_a_notice_outside_the_staffs_scope_is_404(client, staff_user, notices):
    client.force_login(staff_user)
    for name in ("elsewhere", "stranger"):
        url = reverse("channel:notice-detail", args=[notices[name].pk])
        assert client.get(url).status_code == 404


# --- The case file's "Messages" ----------------------------------------------------------------


def _messages_of(household, number: int):
    for index in range(number):
        receipt = ReceiptFactory(household=household, distribution__title=f"Trao quà {index}")
        notice = _notice(key=f"receipt:{receipt.pk}", household=household, receipt=receipt)
        message = InboundMessage.objects.create(
            message_id=f"msg-{receipt.pk}",
            sender_id="zalo-1",
            text=f"CO {notice.short_code}",
            household=household,
            notice=notice,
            status=InboundMessage.Status.RECEIPT_REPLY,
        )
        ReceiptCheck.objects.create(
            receipt=receipt, notice=notice, message=message, outcome=ReceiptCheck.Outcome.RECEIVED
        )


def test_the_case_file_shows_the_households_messages_in_fixed_queries(
    client, staff_user, partnership, django_assert_max_num_queries
):
    household = HouseholdFactory(village__commune=partnership.commune)
    _messages_of(household, 1)
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    url = reverse("households:household-detail", args=[household.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        page = client.get(url).content.decode()
    assert 'id="messages"' in page
    assert "Confirmed by message" in page
    assert "Trao quà 0" in page
    _messages_of(household, 8)
    with django_assert_max_num_queries(60) as many:
        client.get(url)
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_cadres_do_not_see_the_messages_section(client, cadre_user, partnership):
    household = HouseholdFactory(village__commune=partnership.commune)
    _messages_of(household, 1)
    client.force_login(cadre_user)
    page = client.get(reverse("households:household-detail", args=[household.pk]))
    assert page.status_code == 200
    assert 'id="messages"' not in page.content.decode()
