"""Periodic jobs: review reminders for cadres, asset reminders for staff, the donors' digest,
each sent once per period; the default schedules exist and staff-side admins can change them.

Each reminder is a notice (core.notices, delivered by channel.notify once its transaction
commits): the tests run the commit's callbacks (``_commit``) to see the e-mails.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from activities import reminders as activity_reminders
from activities.models import Asset, MaintenanceLog
from activities.tasks import assets_due_remind_task, donor_digest_task
from channel.models import Notice
from channel.notify import engine
from core.models import Reminder
from households import reminders
from households.tasks import reviews_due_remind_task
from tests.factories import (
    AllocationFactory,
    AssetFactory,
    DonationFactory,
    HouseholdFactory,
    MaintenanceLogFactory,
    ReceiptFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 2, 2)  # a Monday


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Run the callbacks of the commits the test makes (the notices' delivery) as they come."""
    global commit
    commit = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731


@pytest.fixture(autouse=True)
def _addresses(staff_user, cadre_user, donor_user):
    for user in (staff_user, cadre_user, donor_user):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])


def test_cadres_get_the_households_due_for_review_once_a_day(cadre_user, partnership):
    due = HouseholdFactory(village__commune=partnership.commune, code="DUE-1")
    recent = HouseholdFactory(village__commune=partnership.commune, code="FRESH-1")
    recent.last_reviewed_on = timezone.localdate()
    recent.save(update_fields=["last_reviewed_on"])
    HouseholdFactory(code="ELSEWHERE-1")  # another commune's
    with commit():
        assert reviews_due_remind_task.delay().get() == {"sent": 1}
    with commit():
        assert reviews_due_remind_task.delay().get() == {"sent": 0}  # the same day: nothing again
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cadre_user.email]
    assert due.code in message.body
    assert "FRESH-1" not in message.body
    assert "ELSEWHERE-1" not in message.body
    assert "/households/reviews/" in message.body
    assert Reminder.objects.get().summary == {str(partnership.commune_id): 1}


def test_nobody_is_reminded_when_no_review_is_due(cadre_user, partnership):
    household = HouseholdFactory(village__commune=partnership.commune)
    household.last_reviewed_on = timezone.localdate()
    household.save(update_fields=["last_reviewed_on"])
    assert reminders.reviews_due_remind() == {"sent": 0}
    assert mail.outbox == []


def test_staff_get_the_assets_not_inspected_or_left_faulty(staff_user, partnership):
    AssetFactory(partnership=partnership, code="DEN-OLD", installed_on=datetime.date(2025, 1, 5))
    checked = AssetFactory(
        partnership=partnership, code="DEN-OK", installed_on=datetime.date(2025, 1, 5)
    )
    MaintenanceLogFactory(asset=checked, happened_on=TODAY - datetime.timedelta(days=30))
    faulty = AssetFactory(
        partnership=partnership, code="DEN-FAULT", installed_on=datetime.date(2025, 12, 1)
    )
    faulty.status = Asset.Status.FAULTY
    faulty.save(update_fields=["status"])
    MaintenanceLogFactory(
        asset=faulty,
        kind=MaintenanceLog.Kind.FAULT,
        status_after=Asset.Status.FAULTY,
        happened_on=TODAY - datetime.timedelta(days=15),
    )
    AssetFactory(code="DEN-ELSEWHERE", installed_on=datetime.date(2020, 1, 1))
    with commit():
        assert activity_reminders.assets_due_remind(today=TODAY) == {"sent": 1}
    with commit():
        assert activity_reminders.assets_due_remind(today=TODAY) == {"sent": 0}
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [staff_user.email]
    assert "DEN-OLD" in body
    assert "DEN-FAULT" in body
    assert "DEN-OK" not in body
    assert "DEN-ELSEWHERE" not in body


def test_donors_get_last_weeks_figures_once_without_names(donor_user, donor_partner, partnership):
    donation = DonationFactory(partnership=partnership, partner=donor_partner)
    allocation = AllocationFactory(
        donation=donation, amount_vnd=3_000_000, allocated_on=datetime.date(2026, 1, 28)
    )
    receipt = ReceiptFactory(distribution=allocation.distribution)
    receipt.confirmed_at = datetime.datetime(
        2026, 1, 29, 9, 0, tzinfo=timezone.get_current_timezone()
    )
    receipt.save(update_fields=["confirmed_at"])
    with commit():
        assert activity_reminders.donor_digest_send(today=TODAY) == {
            "sent": 1,
            "period": "2026-W05",
        }
    with commit():
        assert activity_reminders.donor_digest_send(today=TODAY)["sent"] == 0
    body = mail.outbox[0].body
    assert "3.000.000" in body
    assert receipt.household.head_name not in body
    assert receipt.household.code not in body
    assert "26/01/2026" in mail.outbox[0].subject


def test_donors_get_nothing_in_a_week_when_nothing_happened(donor_user, donor_partner, partnership):
    donation = DonationFactory(partnership=partnership, partner=donor_partner)
    AllocationFactory(donation=donation, allocated_on=datetime.date(2025, 6, 1))
    assert donor_digest_task.delay().get()["sent"] == 0
    assert activity_reminders.donor_digest_send(today=TODAY)["sent"] == 0
    assert mail.outbox == []


def test_a_failed_sending_is_recorded_once_with_the_reason(cadre_user, partnership, settings):
    HouseholdFactory(village__commune=partnership.commune)
    settings.EMAIL_BACKEND = "tests.background.test_reminders.BrokenBackend"
    # In-process the delivery tries the mail server again at once, up to the engine's limit
    # (a worker waits between tries); then the notice says why it was not sent.
    with commit():
        reminders.reviews_due_remind()
    notice = Notice.objects.get(kind="reviews_due", user=cadre_user)
    assert (Reminder.objects.count(), notice.status) == (1, Notice.Status.FAILED)
    attempt = notice.attempts.get()
    assert (attempt.channel, attempt.tries) == ("email", engine.MAX_TRIES)
    assert "ConnectionError" in attempt.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with commit():
        assert reminders.reviews_due_remind() == {"sent": 0}  # nothing new is recorded
    assert mail.outbox == []


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("mail server away")


def test_the_default_schedules_exist_and_the_admin_offers_them(admin_client):
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "households.tasks.reviews_due_remind_task",
        "activities.tasks.assets_due_remind_task",
        "activities.tasks.donor_digest_task",
    } <= tasks
    assert admin_client.get("/admin/django_celery_beat/periodictask/").status_code == 200
    assert assets_due_remind_task.delay().get() == {"sent": 0}
