"""What the notices are used for, against the stand-in providers: a bulletin post to its
subscribers by ZNS or e-mail, the subscriber's number and channel, reminders and campaign steps
through core.notices, and the notices of what families received (once, in scope)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Distribution
from channel import background, services
from channel.models import (
    Notice,
    NoticeKind,
    NotifyPreference,
    Post,
    Subscription,
    ZaloTemplate,
)
from channel.notify import panels_uses, uses
from channel.notify.service import notice_send
from channel.services import site_profile_update
from core.models import Reminder
from households import reminders
from households.services import campaign_open
from outreach.models import RoleAssignment
from outreach.services import role_assign
from tests.channel.factories import SubscriptionFactory
from tests.channel.standin import ESMS_PATH
from tests.factories import (
    DistributionFactory,
    HouseholdFactory,
    MemberFactory,
    PartnershipFactory,
    ReceiptFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ZNS = "/message/template"
Role = RoleAssignment.Role


@pytest.fixture(autouse=True)
def _registered():
    """What ChannelConfig.ready registers (panels_uses.register), as in production."""
    panels_uses.register()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _template(standin, kind: str, template_id: str, params: tuple) -> ZaloTemplate:
    standin.add_template(template_id, params=params)
    return ZaloTemplate.objects.create(
        template_id=template_id,
        name=kind,
        status="ENABLE",
        params=[{"name": name} for name in params],
        notice_kind=kind,
    )


# --- Bulletin posts ----------------------------------------------------------------------------


def test_a_post_reaches_a_phone_subscriber_by_zns_and_an_e_mail_one_by_e_mail(
    staff_user, cadre_user, partnership, zalo_connected, commit, mailoutbox
):
    _template(zalo_connected, NoticeKind.POST, "8001", ("title", "code"))
    staff_user.email = "canbo-vp@example.vn"
    staff_user.save(update_fields=["email"])
    SubscriptionFactory(user=staff_user)
    NotifyPreference.objects.create(user=cadre_user, phone="84912345678")
    SubscriptionFactory(user=cadre_user)
    with commit():
        post = services.post_publish(
            actor=staff_user,
            post=Post(partnership=partnership, title="Trao quà Tết", body="Nội dung"),
        )
    [request] = zalo_connected.sent(ZNS)
    body = request.json()
    notice = Notice.objects.get(user=cadre_user)
    assert body["phone"] == "84912345678"
    assert body["template_data"] == {"title": "Trao quà Tết", "code": notice.short_code}
    assert body["tracking_id"] == f"post:{post.pk}:user:{cadre_user.pk}"
    assert (notice.kind, notice.status, notice.channel) == ("post", "sent", "zns")
    assert [message.to for message in mailoutbox] == [["canbo-vp@example.vn"]]
    assert post.title in mailoutbox[0].subject
    assert reverse("channel:post-detail", args=[post.pk]) in mailoutbox[0].body
    assert notice.short_code not in mailoutbox[0].body  # each notice its own code
    assert Notice.objects.get(user=staff_user).short_code in mailoutbox[0].body

    # A second run (a retry, another worker) sends nothing more.
    with commit():
        assert background.post_notify(post_id=post.pk) == 0
    assert len(zalo_connected.sent(ZNS)) == 1
    assert len(mailoutbox) == 1
    assert Notice.objects.count() == 2


def test_the_digest_goes_as_one_notice_to_a_phone_subscriber(
    staff_user, partnership, standin, commit
):
    NotifyPreference.objects.create(user=staff_user, phone="84987654321", channel="sms")
    SubscriptionFactory(user=staff_user, frequency=Subscription.Frequency.DAILY)
    for title in ("Tin một", "Tin hai"):
        services.post_publish(
            actor=staff_user, post=Post(partnership=partnership, title=title, body="…")
        )
    with commit():
        assert background.digest_send() == 1
    notice = Notice.objects.get()
    assert (notice.kind, notice.channel, notice.data["count"]) == ("post_digest", "sms", 2)
    [sms] = standin.sent(ESMS_PATH)
    assert sms.json()["Phone"] == "84987654321"
    with commit():
        assert background.digest_send() == 0
    assert Notice.objects.count() == 1


# --- The subscriber's number and channel -------------------------------------------------------


def test_a_mobile_number_is_enough_to_subscribe_and_is_stored_normalised(client, donor_user):
    client.force_login(donor_user)
    response = client.post(
        reverse("channel:subscription"),
        {"frequency": "immediate", "phone": "0912 345 678", "channel": "zns"},
    )
    assert response.status_code == 302
    preference = NotifyPreference.objects.get(user=donor_user)
    assert (preference.phone, preference.channel) == ("84912345678", "zns")
    assert Subscription.objects.get(user=donor_user).frequency == "immediate"
    page = client.get(reverse("channel:subscription")).content.decode()
    assert 'value="0912 345 678"' in page


def test_an_invalid_number_is_refused_beside_its_field_and_nothing_is_saved(client, donor_user):
    client.force_login(donor_user)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("channel:subscription"),
        {"frequency": "immediate", "phone": "0207 382 211", "channel": "sms"},
    )
    assert response.status_code == 200
    assert "landline" in str(response.context["form"].errors["phone"])
    assert "This is a landline number" in response.content.decode()
    assert not NotifyPreference.objects.exists()
    assert not Subscription.objects.exists()


def test_without_an_e_mail_or_a_number_the_subscription_is_refused_and_nothing_saved(
    client, donor_user
):
    client.force_login(donor_user)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("channel:subscription"), {"frequency": "daily", "phone": "", "channel": ""}
    )
    assert response.status_code == 200
    assert "an e-mail address or a mobile number" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not NotifyPreference.objects.exists()


def test_zalo_or_sms_without_a_number_is_refused(donor_user):
    with translation.override("en"), pytest.raises(ValidationError, match="mobile number"):
        uses.notify_preference_set(actor=donor_user, user=donor_user, phone="", channel="zns")
    assert not NotifyPreference.objects.exists()


def test_the_subscription_page_lists_the_users_own_notices(client, donor_user, standin, commit):
    NotifyPreference.objects.create(user=donor_user, phone="84912345678")
    with commit():
        notice = notice_send(
            kind=NoticeKind.TEST, key="test:own", user=donor_user, quiet_hours=False
        )
    other = UserFactory()
    NotifyPreference.objects.create(user=other, phone="84987654321")
    with commit():
        hidden = notice_send(kind=NoticeKind.TEST, key="test:other", user=other)
    client.force_login(donor_user)
    page = client.get(reverse("channel:subscription")).content.decode()
    assert notice.short_code in page
    assert hidden.short_code not in page


# --- Reminders and campaign steps through core.notices -----------------------------------------


def test_a_cadre_with_only_a_mobile_number_gets_the_review_reminder_by_sms(
    cadre_user, partnership, standin, commit
):
    NotifyPreference.objects.create(user=cadre_user, phone="84912345678")
    HouseholdFactory(village__commune=partnership.commune, code="DUE-9")
    with commit():
        assert reminders.reviews_due_remind() == {"sent": 1}
    notice = Notice.objects.get()
    today = timezone.localdate()
    assert notice.key == f"reviews_due:{cadre_user.pk}:{today.isoformat()}"
    assert (notice.kind, notice.channel, notice.status) == ("reviews_due", "sms", "sent")
    assert notice.data["count"] == 1
    assert "/households/reviews/" in notice.link
    [sms] = standin.sent(ESMS_PATH)
    assert notice.short_code in sms.json()["Content"]
    assert Reminder.objects.get().recipient == cadre_user
    with commit():
        assert reminders.reviews_due_remind() == {"sent": 0}
    assert len(standin.sent(ESMS_PATH)) == 1


def test_a_user_no_channel_can_reach_gets_no_reminder(cadre_user, partnership):
    HouseholdFactory(village__commune=partnership.commune)
    assert reminders.reviews_due_remind() == {"sent": 0}
    assert not Notice.objects.exists()
    assert not Reminder.objects.exists()


def test_opening_a_review_tells_the_communes_other_cadres_once(cadre_user, partnership, commit):
    other = UserFactory(username="cadre-2", email="cadre2@example.vn")
    role_assign(actor=None, user=other, role=Role.COMMUNE_CADRE, commune=partnership.commune)
    elsewhere = UserFactory(username="cadre-3", email="cadre3@example.vn")
    role_assign(
        actor=None, user=elsewhere, role=Role.COMMUNE_CADRE, commune=PartnershipFactory().commune
    )
    cadre_user.email = "cadre1@example.vn"
    cadre_user.save(update_fields=["email"])
    with commit():
        campaign = campaign_open(
            actor=cadre_user,
            commune=partnership.commune,
            year=2025,
            opened_on=datetime.date(2025, 9, 1),
        )
    notice = Notice.objects.get()
    assert (notice.user, notice.kind, notice.channel) == (other, "campaign_step", "email")
    assert notice.key == f"campaign_step:{campaign.pk}:survey:{other.pk}"
    assert notice.data["commune"] == partnership.commune.name


# --- What a family received --------------------------------------------------------------------


@pytest.fixture
def distribution(partnership):
    site_profile_update(actor=None, office_name="Văn phòng Tỉnh ủy", phone="0207 3822 111")
    return DistributionFactory(
        partnership=partnership,
        title="Trao quà Tết 2026",
        item_description="Gạo và chăn",
        distributed_on=datetime.date(2026, 1, 30),
        status=Distribution.Status.DISTRIBUTING,
    )


def _confirmed(distribution, **household):
    receipt = ReceiptFactory(distribution=distribution, **household)
    receipt.confirmed_at = timezone.now()
    receipt.save(update_fields=["confirmed_at"])
    return receipt


@pytest.fixture
def receipts(distribution):
    by_phone = _confirmed(distribution, household__phone="0912 345 678")
    by_member = _confirmed(distribution)
    MemberFactory(household=by_member.household, phone="0987 654 321")
    no_phone = _confirmed(distribution)
    ReceiptFactory(distribution=distribution, household__phone="0911 111 111")  # not confirmed
    return by_phone, by_member, no_phone


def test_each_confirmed_family_is_told_once_and_those_without_a_number_counted(
    client, staff_user, distribution, receipts, standin, commit
):
    by_phone, by_member, _no_phone = receipts
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    url = reverse("channel:distribution-notify", args=[distribution.pk])
    with commit():
        response = client.post(url, follow=True)
    assert response.redirect_chain[0][0].endswith(
        reverse("activities:distribution-detail", args=[distribution.pk]) + "#messages"
    )
    page = response.content.decode()
    assert "2 families will be told by message." in page
    assert "1 household has no mobile number" in page
    notices = {notice.receipt_id: notice for notice in Notice.objects.all()}
    assert set(notices) == {by_phone.pk, by_member.pk}
    notice = notices[by_phone.pk]
    assert notice.key == f"receipt:{by_phone.pk}"
    assert (notice.household, notice.phone, notice.status) == (
        by_phone.household,
        "84912345678",
        "sent",
    )
    assert notice.data == {
        "head": by_phone.household.head_name,
        "items": "Gạo và chăn",
        "date": "30/01/2026",
        "distribution": "Trao quà Tết 2026",
        "office_phone": "0207 3822 111",
    }
    assert notices[by_member.pk].phone == "84987654321"
    assert len(standin.sent(ESMS_PATH)) == 2

    # Pressing again sends nothing new.
    with commit():
        again = client.post(url, follow=True).content.decode()
    assert "0 families will be told by message." in again
    assert "2 families were told before." in again
    assert Notice.objects.count() == 2
    assert len(standin.sent(ESMS_PATH)) == 2


def test_the_distribution_page_shows_the_panel_to_staff_only(
    client, staff_user, cadre_user, auditor_user, distribution, receipts
):
    url = reverse("activities:distribution-detail", args=[distribution.pk])
    notify = reverse("channel:distribution-notify", args=[distribution.pk])
    client.force_login(staff_user)
    page = client.get(url).content.decode()
    assert notify in page
    assert 'id="messages"' in page
    for user in (cadre_user, auditor_user):
        client.force_login(user)
        assert notify not in client.get(url).content.decode()


def test_a_draft_distribution_tells_nobody(client, staff_user, distribution, receipts):
    Distribution.objects.filter(pk=distribution.pk).update(status=Distribution.Status.DRAFT)
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    url = reverse("channel:distribution-notify", args=[distribution.pk])
    response = client.post(url, follow=True)
    assert "This distribution is a draft" in response.content.decode()
    assert not Notice.objects.exists()
    page = client.get(reverse("activities:distribution-detail", args=[distribution.pk]))
    assert url not in page.content.decode()


@pytest.mark.parametrize("role", ["cadre_user", "donor_user", "auditor_user"])
def test_only_office_staff_tell_the_families(client, request, role, distribution, receipts):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("channel:distribution-notify", args=[distribution.pk]))
    assert response.status_code == 403
    assert not Notice.objects.exists()


def test_another_communes_staff_get_404(client, distribution, receipts):
    outsider = UserFactory(username="staff-elsewhere")
    role_assign(actor=None, user=outsider, role=Role.OFFICE_STAFF, partnership=PartnershipFactory())
    client.force_login(outsider)
    response = client.post(reverse("channel:distribution-notify", args=[distribution.pk]))
    assert response.status_code == 404
    assert not Notice.objects.exists()


def test_the_service_refuses_a_distribution_outside_the_actors_scope(distribution, receipts):
    outsider = UserFactory(username="staff-elsewhere")
    role_assign(actor=None, user=outsider, role=Role.OFFICE_STAFF, partnership=PartnershipFactory())
    with translation.override("en"), pytest.raises(ValidationError, match="outside your communes"):
        uses.distribution_notify(actor=outsider, distribution=distribution)
    assert not Notice.objects.exists()


def test_the_panels_counts_take_one_query_whatever_the_size(
    distribution, receipts, django_assert_num_queries
):
    with django_assert_num_queries(1):
        few = uses.distribution_notice_counts(distribution=distribution)
    assert (few["confirmed"], few["no_phone"], few["untold"]) == (3, 1, 3)
    for _ in range(10):
        _confirmed(distribution)
    with django_assert_num_queries(1):
        many = uses.distribution_notice_counts(distribution=distribution)
    assert (many["confirmed"], many["no_phone"]) == (13, 11)
