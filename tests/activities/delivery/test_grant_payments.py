"""Grants are delivered as they are paid: wrong payments refused, never more than the grant, the
page and the admin record through the service."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import GrantPayment
from activities.services import donation_allocate, grant_payment_record
from reports.selectors import money_trail, year_summary
from tests.activities.delivery.helpers import DAY
from tests.factories import DonationFactory

pytestmark = pytest.mark.django_db


# --- Grants: delivered as paid ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid_on", "amount", "message"),
    [
        (DAY, 0, "A payment must be more than 0 ₫"),
        (DAY - datetime.timedelta(days=1), 1_000, "cannot be paid before it was approved"),
        # pytest matches str(ValidationError), a repr: its no-break space before ₫ reads \xa0.
        (timezone.localdate() + datetime.timedelta(days=1), 1_000, "cannot be dated in the future"),
        (DAY, 70_000_001, r"at most 70\.000\.000\\xa0₫ can be paid now"),
    ],
)
def test_a_wrong_payment_is_refused(grant, paid_on, amount, message):
    with pytest.raises(ValidationError, match=message):
        grant_payment_record(actor=None, grant=grant, paid_on=paid_on, amount_vnd=amount)
    assert not GrantPayment.objects.filter(grant=grant).exists()


def test_payments_never_add_up_to_more_than_the_grant(grant):
    grant_payment_record(actor=None, grant=grant, paid_on=DAY, amount_vnd=50_000_000)
    with pytest.raises(ValidationError, match=re.escape("at most 20.000.000\\xa0₫")):
        grant_payment_record(actor=None, grant=grant, paid_on=DAY, amount_vnd=30_000_000)
    assert sum(GrantPayment.objects.filter(grant=grant).values_list("amount_vnd", flat=True)) == (
        50_000_000
    )


def test_a_grant_counts_as_delivered_for_what_was_paid(grant, partnership, auditor_user):
    donation = DonationFactory(partnership=partnership, value_vnd=70_000_000)
    donation_allocate(actor=None, donation=donation, amount_vnd=70_000_000, grant=grant)
    auditor = auditor_user
    assert year_summary(user=auditor, year=2024)["value_delivered_by_funder"] == []
    assert year_summary(user=auditor, year=2024)["households_served"] == 0
    grant_payment_record(actor=None, grant=grant, paid_on=DAY, amount_vnd=30_000_000)
    summary = year_summary(user=auditor, year=2024)
    assert summary["value_delivered_by_funder"] == [
        {"partner": donation.partner.name, "value_vnd": 30_000_000}
    ]
    assert summary["pending_by_funder"] == [
        {"partner": donation.partner.name, "value_vnd": 40_000_000}
    ]
    assert summary["grants"]["amount_vnd"] == 30_000_000
    assert summary["households_served"] == 1
    (trail,) = money_trail(user=auditor, partner=donation.partner)
    assert (trail.delivered_vnd, trail.pending_vnd) == (30_000_000, 40_000_000)


def test_the_grant_page_records_a_payment_and_refuses_a_wrong_one(client, staff_user, grant):
    client.force_login(staff_user)
    url = reverse("activities:grant-payment", args=[grant.pk])
    refused = client.post(url, {"paid_on": "01/01/2024", "amount_vnd": "1000000"})
    assert refused.status_code == 200
    assert not GrantPayment.objects.filter(grant=grant).exists()
    done = client.post(url, {"paid_on": "30/01/2024", "amount_vnd": "1.000.000", "note": ""})
    assert done.status_code == 302
    assert GrantPayment.objects.get(grant=grant).amount_vnd == 1_000_000


def test_the_admin_records_a_payment_through_the_service_and_refuses_an_overpayment(
    admin_client, grant
):
    url = reverse("admin:activities_grantpayment_add")
    data = {"grant": grant.pk, "paid_on": "30/01/2024", "amount_vnd": "80000000", "note": ""}
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "at most 70.000.000\u00a0₫ can be paid now" in refused.content.decode()
    assert not GrantPayment.objects.filter(grant=grant).exists()
    admin_client.post(url, {**data, "amount_vnd": "20000000"})
    payment = GrantPayment.objects.get(grant=grant)
    assert payment.amount_vnd == 20_000_000
    assert payment.history.count() == 1
