"""Notices and the Zalo OA in the staff admin: the connection read, never edited, its tokens
shown nowhere; the templates fetched from Zalo and given a notice each; notices and their
delivery log read-only, numbers masked; the lists' queries the same for few rows and many."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channel.models import (
    Channel,
    Notice,
    NoticeAttempt,
    NoticeKind,
    NotifyPreference,
    ZaloConnection,
    ZaloFollower,
    ZaloTemplate,
)
from tests.channel.standin import Trouble
from tests.factories import HouseholdFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
CONNECTION_LIST = reverse("admin:channel_zaloconnection_changelist")
TEMPLATE_LIST = reverse("admin:channel_zalotemplate_changelist")
FETCH = reverse("admin:channel_zalotemplate_fetch")
NOTICE_LIST = reverse("admin:channel_notice_changelist")


@pytest.fixture
def en(client):
    # Messages are matched in the source language, whatever has been translated.
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def admin(en, admin_user):
    en.force_login(admin_user)
    return en


def _connection_pages() -> list[str]:
    pk = ZaloConnection.PK
    return [
        CONNECTION_LIST,
        reverse("admin:channel_zaloconnection_change", args=[pk]),
        reverse("admin:channel_zaloconnection_history", args=[pk]),
    ]


# --- The connection ----------------------------------------------------------------------------


def test_the_tokens_appear_on_no_admin_page_nor_in_the_logs(admin, zalo_connected, caplog):
    caplog.set_level(logging.DEBUG)
    row = ZaloConnection.objects.get()
    tokens = [row.access_token, row.refresh_token]
    pages = [
        *_connection_pages(),
        reverse("admin:index"),
        reverse("admin:app_list", args=["channel"]),
    ]
    for url in pages:
        response = admin.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for token in tokens:
            assert token not in content, url
    for token in tokens:
        assert token not in caplog.text
        assert token not in repr(row)
        assert token not in str(row)


def test_the_connection_page_shows_its_state_and_the_connect_button(admin, zalo_connected):
    ZaloConnection.objects.update(state=ZaloConnection.State.BROKEN, problem="token used twice")
    content = admin.get(CONNECTION_LIST).content.decode()
    assert "Needs connecting again" in content
    assert "token used twice" in content
    assert reverse("channel:zalo-connect") in content
    change = admin.get(reverse("admin:channel_zaloconnection_change", args=[ZaloConnection.PK]))
    assert reverse("channel:zalo-connect") in change.content.decode()
    assert 'name="_save"' not in change.content.decode()


def test_the_connect_button_is_there_before_the_oa_was_ever_connected(admin):
    assert reverse("channel:zalo-connect") in admin.get(CONNECTION_LIST).content.decode()


def test_the_connection_is_never_added_changed_or_deleted_in_the_admin(admin, zalo_connected):
    before = ZaloConnection.objects.values().get()
    pk = ZaloConnection.PK
    assert admin.get(reverse("admin:channel_zaloconnection_add")).status_code == 403
    delete = reverse("admin:channel_zaloconnection_delete", args=[pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:channel_zaloconnection_change", args=[pk])
    assert admin.post(change, {"state": "broken", "access_token": "mine"}).status_code == 403
    assert ZaloConnection.objects.values().get() == before


def test_an_auditor_reads_the_connection_without_the_connect_button(
    en, auditor_user, zalo_connected
):
    en.force_login(auditor_user)
    response = en.get(CONNECTION_LIST)
    assert response.status_code == 200
    assert reverse("channel:zalo-connect") not in response.content.decode()
    assert ZaloConnection.objects.get().access_token not in response.content.decode()


@pytest.mark.parametrize("who", ["staff_user", "cadre_user"])
def test_office_staff_and_cadres_do_not_see_the_connection_or_the_templates(
    en, request, zalo_connected, who
):
    en.force_login(request.getfixturevalue(who))
    for url in (*_connection_pages(), TEMPLATE_LIST):
        assert en.get(url).status_code in (302, 403, 404), url
    assert en.post(FETCH).status_code in (302, 403)
    assert zalo_connected.sent("/template/all") == []


# --- Templates ---------------------------------------------------------------------------------


def test_fetching_stores_status_and_parameters_and_marks_a_vanished_template_deleted(
    admin, zalo_connected
):
    zalo_connected.add_template("7001", params=("head", "code"))
    zalo_connected.add_template("7002", status="PENDING_REVIEW", params=("code",))
    ZaloTemplate.objects.create(
        template_id="6999", name="Old", status="ENABLE", notice_kind=NoticeKind.POST
    )
    response = admin.post(FETCH, follow=True)
    assert "2 templates fetched from Zalo." in response.content.decode()
    approved = ZaloTemplate.objects.get(template_id="7001")
    assert (approved.name, approved.status) == ("Template 7001", "ENABLE")
    assert [p["name"] for p in approved.params] == ["head", "code"]
    assert ZaloTemplate.objects.get(template_id="7002").status == "PENDING_REVIEW"
    vanished = ZaloTemplate.objects.get(template_id="6999")
    assert vanished.status == ZaloTemplate.Status.DELETE
    assert not vanished.approved
    content = admin.get(TEMPLATE_LIST).content.decode()
    assert "Approved" in content
    assert "Waiting for Zalo&#x27;s approval" in content or "Waiting for Zalo's approval" in content
    assert "Deleted" in content


def test_fetching_when_zalo_answers_an_error_says_so_and_changes_nothing(admin, zalo_connected):
    ZaloTemplate.objects.create(template_id="6999", name="Old", status="ENABLE")
    zalo_connected.fail_next(
        "/template/all", Trouble(body={"error": -1155, "message": "OA has no ZNS permission"})
    )
    response = admin.post(FETCH, follow=True)
    content = response.content.decode()
    assert "Nothing was fetched: Zalo answered error -1155: OA has no ZNS permission" in content
    assert ZaloTemplate.objects.get().status == "ENABLE"


def test_fetching_before_the_oa_is_connected_says_so(admin, standin):
    response = admin.post(FETCH, follow=True)
    assert "Nothing was fetched: The Zalo Official Account is not connected." in (
        response.content.decode()
    )
    assert not ZaloTemplate.objects.exists()


def test_fetching_is_a_post(admin, zalo_connected):
    assert admin.get(FETCH).status_code == 403
    assert zalo_connected.sent("/template/all") == []


def _template_form(kind: str) -> dict:
    return {"notice_kind": kind, "_save": "Save"}


def test_an_administrator_chooses_the_notice_a_template_carries(admin, admin_user):
    template = ZaloTemplate.objects.create(template_id="7001", name="Receipt", status="ENABLE")
    change = reverse("admin:channel_zalotemplate_change", args=[template.pk])
    response = admin.post(change, _template_form(NoticeKind.RECEIPT))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.notice_kind == NoticeKind.RECEIPT
    assert template.history.latest().history_user == admin_user


def test_a_second_template_for_the_same_notice_is_refused_and_nothing_changes(admin):
    ZaloTemplate.objects.create(
        template_id="7001", name="Receipt", status="ENABLE", notice_kind=NoticeKind.RECEIPT
    )
    other = ZaloTemplate.objects.create(template_id="7002", name="Other", status="ENABLE")
    change = reverse("admin:channel_zalotemplate_change", args=[other.pk])
    response = admin.post(change, _template_form(NoticeKind.RECEIPT))
    assert response.status_code == 200
    assert "Another template is already used for this notice." in response.content.decode()
    other.refresh_from_db()
    assert other.notice_kind == ""


def test_the_service_refuses_a_second_template_for_a_notice(admin_user):
    from django.core.exceptions import ValidationError

    from channel.notify.zalo import zalo_template_use

    ZaloTemplate.objects.create(
        template_id="7001", name="Receipt", status="ENABLE", notice_kind=NoticeKind.RECEIPT
    )
    other = ZaloTemplate.objects.create(template_id="7002", name="Other", status="ENABLE")
    with pytest.raises(ValidationError, match="Đã có mẫu khác dùng cho loại thông báo này"):
        zalo_template_use(actor=admin_user, template=other, notice_kind=NoticeKind.RECEIPT)
    other.refresh_from_db()
    assert other.notice_kind == ""


def test_templates_are_never_added_or_deleted_here(admin):
    template = ZaloTemplate.objects.create(template_id="7001", name="Receipt", status="ENABLE")
    assert admin.get(reverse("admin:channel_zalotemplate_add")).status_code == 403
    delete = reverse("admin:channel_zalotemplate_delete", args=[template.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert ZaloTemplate.objects.filter(pk=template.pk).exists()


def test_an_auditor_reads_the_templates_and_changes_nothing(en, auditor_user):
    template = ZaloTemplate.objects.create(template_id="7001", name="Receipt", status="ENABLE")
    en.force_login(auditor_user)
    content = en.get(TEMPLATE_LIST).content.decode()
    assert "Receipt" in content
    assert "Fetch templates from Zalo" not in content
    change = reverse("admin:channel_zalotemplate_change", args=[template.pk])
    assert en.post(change, _template_form(NoticeKind.POST)).status_code == 403
    assert en.post(FETCH).status_code == 403
    template.refresh_from_db()
    assert template.notice_kind == ""


# --- Notices, preferences, followers -----------------------------------------------------------


def _notice(household, n: int) -> Notice:
    notice = Notice.objects.create(
        kind=NoticeKind.RECEIPT,
        key=f"receipt:{household.pk}:{n}",
        household=household,
        phone="84912345678",
        text="Gia đình đã nhận quà.",
        status=Notice.Status.SENT,
        channel=Channel.ZNS,
        sent_at=timezone.now(),
    )
    NoticeAttempt.objects.create(
        notice=notice,
        channel=Channel.ZNS,
        status=NoticeAttempt.Status.SENT,
        tries=1,
        provider_message_id=f"zns-{n}",
    )
    return notice


def test_the_notice_list_masks_the_number_and_the_page_shows_the_delivery_log(admin):
    notice = _notice(HouseholdFactory(), 1)
    content = admin.get(NOTICE_LIST).content.decode()
    assert "0912 *** 678" in content
    assert "84912345678" not in content
    assert "0912 345 678" not in content
    page = admin.get(reverse("admin:channel_notice_change", args=[notice.pk])).content.decode()
    assert "zns-1" in page
    assert "84912345678" not in page
    assert 'name="_save"' not in page


def test_notices_are_never_added_changed_or_deleted(admin):
    notice = _notice(HouseholdFactory(), 1)
    assert admin.get(reverse("admin:channel_notice_add")).status_code == 403
    delete = reverse("admin:channel_notice_delete", args=[notice.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:channel_notice_change", args=[notice.pk])
    assert admin.post(change, {"text": "changed"}).status_code == 403
    notice.refresh_from_db()
    assert notice.text == "Gia đình đã nhận quà."
    assert notice.attempts.count() == 1


def test_followers_and_preferences_are_read_only_here(admin):
    follower = ZaloFollower.objects.create(zalo_user_id="z-1", display_name="Bà Lý")
    preference = NotifyPreference.objects.create(user=UserFactory(), phone="84912345678")
    follower_page = reverse("admin:channel_zalofollower_change", args=[follower.pk])
    assert admin.post(follower_page, {"display_name": "x"}).status_code == 403
    preference_page = reverse("admin:channel_notifypreference_change", args=[preference.pk])
    assert admin.post(preference_page, {"phone": "0987654321"}).status_code == 403
    assert (
        "0912 *** 678"
        in admin.get(reverse("admin:channel_notifypreference_changelist")).content.decode()
    )
    follower.refresh_from_db()
    preference.refresh_from_db()
    assert (follower.display_name, preference.phone) == ("Bà Lý", "84912345678")
    history = reverse("admin:channel_zalofollower_history", args=[follower.pk])
    assert admin.get(history).status_code == 200


def _rows(model: str, numbers: range) -> None:
    for i in numbers:
        if model == "notice":
            _notice(HouseholdFactory(), i)
        elif model == "zalotemplate":
            ZaloTemplate.objects.create(template_id=str(8000 + i), name=f"T{i}", status="ENABLE")
        elif model == "zalofollower":
            ZaloFollower.objects.create(
                zalo_user_id=f"z-{i}", member=MemberFactory(), user=UserFactory()
            )
        else:
            NotifyPreference.objects.create(user=UserFactory(), phone="84912345678")


@pytest.mark.parametrize("model", ["notice", "zalotemplate", "zalofollower", "notifypreference"])
def test_the_lists_run_as_many_queries_for_many_rows_as_for_few(admin, model):
    url = reverse(f"admin:channel_{model}_changelist")
    counts = []
    for numbers in (range(1), range(1, 7)):
        _rows(model, numbers)
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 15
