"""Delivered means confirmed: the workflow guards of distributions, not-delivered receipts and what
they give back, grant payments, the partnership rule, and the one selector of delivered value.

Every refusal leaves the rows as they were and says why.
"""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Allocation, Distribution, GrantPayment, Receipt
from activities.selectors import delivered as delivery
from activities.services import (
    allocation_remove as allocation_remove_service,
)
from activities.services import (
    distribution_close,
    distribution_recipients_add,
    distribution_save,
    distribution_transition,
    donation_allocate,
    donation_allocated_vnd,
    grant_payment_record,
    grant_save,
    receipt_add,
    receipt_confirm,
    receipts_confirm,
    receipts_mark_not_delivered,
)
from reports.selectors import donation_totals, money_trail, year_summary
from tests.factories import (
    ActivityFactory,
    DistributionFactory,
    DonationFactory,
    GrantFactory,
    HouseholdFactory,
    PartnershipFactory,
    ReceiptFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, admin_client):
    """Messages are matched in English here; tests/activities/test_delivery_vi.py reads them in
    Vietnamese."""
    client.cookies["django_language"] = "en"
    admin_client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


DRAFT, APPROVED, DISTRIBUTING, CLOSED = (
    Distribution.Status.DRAFT,
    Distribution.Status.APPROVED,
    Distribution.Status.DISTRIBUTING,
    Distribution.Status.CLOSED,
)
DAY = datetime.date(2024, 1, 30)


def _rows(distribution):
    """What a refusal must leave as it was."""
    distribution.refresh_from_db()
    return (
        distribution.status,
        list(
            Receipt.objects.filter(distribution=distribution)
            .order_by("pk")
            .values_list("pk", "confirmed_at", "not_delivered_reason", "value_vnd")
        ),
        list(
            Allocation.objects.filter(distribution=distribution)
            .order_by("pk")
            .values_list("pk", "amount_vnd", "returned_vnd")
        ),
    )


@pytest.fixture
def donation(partnership):
    return DonationFactory(partnership=partnership, value_vnd=10_000_000)


@pytest.fixture
def draft(partnership):
    distribution = DistributionFactory(
        partnership=partnership, value_per_item_vnd=500_000, distributed_on=DAY
    )
    for _ in range(5):
        ReceiptFactory(distribution=distribution)
    return distribution


def _fund(distribution, donation, amount):
    return donation_allocate(
        actor=None, donation=donation, amount_vnd=amount, distribution=distribution
    )


def _confirm(distribution, count):
    receipts = list(distribution.receipts.order_by("pk")[:count])
    receipts_confirm(
        actor=None,
        distribution=distribution,
        receipt_ids=[receipt.pk for receipt in receipts],
        confirmed_at=timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(9))),
    )
    return receipts


# --- Approval -----------------------------------------------------------------------------------


def test_an_unfunded_distribution_cannot_be_approved_and_the_message_names_the_shortfall(draft):
    before = _rows(draft)
    with pytest.raises(ValidationError, match=re.escape("2.500.000 ₫ is not funded")):
        distribution_transition(actor=None, distribution=draft, to=APPROVED)
    assert _rows(draft) == before


def test_a_partly_funded_distribution_cannot_be_approved(draft, donation):
    _fund(draft, donation, 1_000_000)
    before = _rows(draft)
    with pytest.raises(
        ValidationError, match=re.escape("allocations only 1.000.000 ₫; 1.500.000 ₫")
    ):
        distribution_transition(actor=None, distribution=draft, to=APPROVED)
    assert _rows(draft) == before


def test_a_distribution_with_no_recipients_cannot_be_approved(partnership):
    empty = DistributionFactory(partnership=partnership)
    with pytest.raises(ValidationError, match="List at least one household"):
        distribution_transition(actor=None, distribution=empty, to=APPROVED)
    empty.refresh_from_db()
    assert empty.status == DRAFT


def test_a_funded_distribution_is_approved(draft, donation):
    _fund(draft, donation, 2_500_000)
    assert distribution_transition(actor=None, distribution=draft, to=APPROVED).status == APPROVED


def test_the_admin_refuses_to_approve_an_unfunded_distribution(admin_client, draft):
    before = _rows(draft)
    response = admin_client.post(
        reverse("admin:activities_distribution_changelist"),
        {"action": "approve", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "is not funded" in response.content.decode()
    assert _rows(draft) == before


def test_after_approval_recipients_beyond_the_funding_are_refused(draft, donation, partnership):
    _fund(draft, donation, 2_500_000)
    distribution_transition(actor=None, distribution=draft, to=APPROVED)
    before = _rows(draft)
    household = HouseholdFactory(village__commune=partnership.commune)
    with pytest.raises(ValidationError, match=re.escape("500.000 ₫ short")):
        receipt_add(actor=None, distribution=draft, household=household)
    with pytest.raises(ValidationError, match=re.escape("500.000 ₫ short")):
        distribution_recipients_add(
            actor=None, distribution=draft, households_queryset_or_ids=[household.pk]
        )
    assert _rows(draft) == before


def test_after_approval_the_funding_cannot_be_taken_away(draft, donation):
    allocation = _fund(draft, donation, 2_500_000)
    distribution_transition(actor=None, distribution=draft, to=APPROVED)
    before = _rows(draft)
    with pytest.raises(ValidationError, match=re.escape("2.500.000 ₫ short")):
        allocation_remove_service(actor=None, allocation=allocation)
    assert _rows(draft) == before


# --- Confirmation -------------------------------------------------------------------------------


def test_a_receipt_cannot_be_confirmed_before_the_distribution_s_day(partnership, donation):
    later = timezone.localdate() + datetime.timedelta(days=10)
    distribution = DistributionFactory(partnership=partnership, distributed_on=later)
    receipt = ReceiptFactory(distribution=distribution)
    _fund(distribution, donation, receipt.value_vnd)
    distribution_transition(actor=None, distribution=distribution, to=APPROVED)
    before = _rows(distribution)
    with pytest.raises(ValidationError, match="cannot be confirmed before that day"):
        receipt_confirm(actor=None, receipt=receipt)
    with pytest.raises(ValidationError, match="cannot be confirmed before that day"):
        receipts_confirm(actor=None, distribution=distribution, receipt_ids=[receipt.pk])
    assert _rows(distribution) == before


def test_the_confirmation_statuses_are_one_constant(partnership):
    for status, accepts in (
        (DRAFT, False),
        (APPROVED, True),
        (DISTRIBUTING, True),
        (CLOSED, False),
    ):
        assert DistributionFactory(partnership=partnership, status=status).accepts_confirmation is (
            accepts
        )


# --- Closing and not delivered ------------------------------------------------------------------


@pytest.fixture
def approved(draft, donation):
    _fund(draft, donation, 2_500_000)
    return distribution_transition(actor=None, distribution=draft, to=APPROVED)


def test_closing_with_unconfirmed_receipts_is_refused(approved):
    _confirm(approved, 2)
    before = _rows(approved)
    with pytest.raises(ValidationError, match="3 receipts are neither confirmed nor marked"):
        distribution_transition(actor=None, distribution=approved, to=CLOSED)
    assert _rows(approved) == before


def test_closing_marks_what_was_not_delivered_and_gives_its_value_back(
    approved, donation, auditor_user
):
    _confirm(approved, 2)
    open_ids = list(
        approved.receipts.filter(confirmed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert donation_allocated_vnd(donation) == 2_500_000
    distribution_close(
        actor=None,
        distribution=approved,
        not_delivered={
            open_ids[0]: ("not_home", ""),
            open_ids[1]: ("moved", "Chuyển vào Bình Dương"),
            open_ids[2]: ("other", "Mất liên lạc"),
        },
    )
    approved.refresh_from_db()
    assert approved.status == CLOSED
    allocation = approved.allocations.get()
    assert (allocation.amount_vnd, allocation.returned_vnd) == (2_500_000, 1_500_000)
    # The donation may allocate the 1,500,000 ₫ again.
    assert donation_allocated_vnd(donation) == 1_000_000
    totals = donation_totals(user=auditor_user, partner=donation.partner)
    assert totals["delivered_vnd"] == 1_000_000
    assert totals["returned_vnd"] == 1_500_000
    assert totals["pending_vnd"] == 0
    assert totals["remaining_vnd"] == 9_000_000


def test_a_refused_mark_closes_nothing(approved):
    _confirm(approved, 2)
    open_ids = list(
        approved.receipts.filter(confirmed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    before = _rows(approved)
    reasons = dict.fromkeys(open_ids, ("not_home", ""))
    reasons[open_ids[-1]] = ("other", "  ")
    with pytest.raises(ValidationError, match="say what happened"):
        distribution_close(actor=None, distribution=approved, not_delivered=reasons)
    reasons[open_ids[-1]] = ("lost", "")
    with pytest.raises(ValidationError, match="choose why it was not delivered"):
        distribution_close(actor=None, distribution=approved, not_delivered=reasons)
    assert _rows(approved) == before


def test_a_confirmed_receipt_cannot_be_marked_not_delivered(approved):
    confirmed = _confirm(approved, 1)[0]
    before = _rows(approved)
    with pytest.raises(ValidationError, match="the receipt is confirmed, it was delivered"):
        receipts_mark_not_delivered(
            actor=None, distribution=approved, reasons={confirmed.pk: ("not_home", "")}
        )
    assert _rows(approved) == before


def test_confirming_a_receipt_marked_not_delivered_takes_the_mark_off(approved):
    receipt = approved.receipts.order_by("pk").first()
    receipts_mark_not_delivered(
        actor=None, distribution=approved, reasons={receipt.pk: ("not_home", "")}
    )
    _confirm(approved, 1)
    receipt.refresh_from_db()
    assert receipt.confirmed_at is not None
    assert (receipt.not_delivered_reason, receipt.not_delivered_at) == ("", None)


def test_the_close_page_marks_all_the_rest_with_one_reason(client, staff_user, approved):
    _confirm(approved, 1)
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-close", args=[approved.pk]),
        {"rest_reason": "refused", "rest_note": ""},
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == CLOSED
    assert approved.receipts.filter(not_delivered_reason="refused").count() == 4
    page = client.get(reverse("activities:distribution-detail", args=[approved.pk]))
    assert "2.000.000 ₫" in page.content.decode()  # the value not delivered


# --- Each rule once: the partnership of an activity ---------------------------------------------


def test_a_distribution_of_another_partnership_s_activity_is_refused_by_the_service(partnership):
    foreign = ActivityFactory(partnership=PartnershipFactory())
    distribution = DistributionFactory.build(partnership=partnership, activity=foreign)
    with pytest.raises(
        ValidationError, match="Choose an activity of the distribution's partnership"
    ):
        distribution_save(actor=None, distribution=distribution)
    assert not Distribution.objects.filter(title=distribution.title).exists()


def test_a_grant_for_another_partnership_s_activity_is_refused_by_the_service(partnership):
    foreign = ActivityFactory(partnership=PartnershipFactory())
    grant = GrantFactory(partnership=partnership)
    grant.activity = foreign
    with pytest.raises(ValidationError, match="The activity belongs to another partnership"):
        grant_save(actor=None, grant=grant)
    grant.refresh_from_db()
    assert grant.activity_id is None


def test_the_admin_refuses_another_partnership_s_activity_with_the_same_message(
    admin_client, partnership
):
    foreign = ActivityFactory(partnership=PartnershipFactory())
    response = admin_client.post(
        reverse("admin:activities_distribution_add"),
        {
            "partnership": partnership.pk,
            "activity": foreign.pk,
            "title": "Quà Trung thu",
            "distributed_on": "30/01/2024",
            "item_description": "Bánh",
            "value_per_item_vnd": "100000",
            "note": "",
            "receipts-TOTAL_FORMS": "0",
            "receipts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Choose an activity of the distribution" in response.content.decode()
    assert not Distribution.objects.filter(title="Quà Trung thu").exists()


# --- Grants: delivered as paid ------------------------------------------------------------------


@pytest.fixture
def grant(partnership):
    return GrantFactory(partnership=partnership, amount_vnd=70_000_000, approved_on=DAY, payments=0)


@pytest.mark.parametrize(
    ("paid_on", "amount", "message"),
    [
        (DAY, 0, "A payment must be more than 0 ₫"),
        (DAY - datetime.timedelta(days=1), 1_000, "cannot be paid before it was approved"),
        (timezone.localdate() + datetime.timedelta(days=1), 1_000, "cannot be dated in the future"),
        (DAY, 70_000_001, "at most 70.000.000 ₫ can be paid now"),
    ],
)
def test_a_wrong_payment_is_refused(grant, paid_on, amount, message):
    with pytest.raises(ValidationError, match=message):
        grant_payment_record(actor=None, grant=grant, paid_on=paid_on, amount_vnd=amount)
    assert not GrantPayment.objects.filter(grant=grant).exists()


def test_payments_never_add_up_to_more_than_the_grant(grant):
    grant_payment_record(actor=None, grant=grant, paid_on=DAY, amount_vnd=50_000_000)
    with pytest.raises(ValidationError, match=re.escape("at most 20.000.000 ₫")):
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


# --- The selector -------------------------------------------------------------------------------


def test_split_shares_in_whole_dong_that_add_up():
    assert delivery.split(1_000, [(1, 1), (2, 2)]) == {1: 333, 2: 667}
    assert delivery.split(10, [(5, 1), (3, 1), (4, 1)]) == {3: 4, 4: 3, 5: 3}
    assert delivery.split(0, [(1, 5)]) == {1: 0}
    assert sum(delivery.split(999_999, [(n, n * 7) for n in range(1, 30)]).values()) == 999_999


def test_two_donations_share_what_a_distribution_delivered(approved, partnership):
    other = DonationFactory(partnership=partnership, value_vnd=5_000_000)
    # The fixture's donation holds 2,500,000 ₫; add 500,000 ₫ of another partner's.
    donation_allocate(actor=None, donation=other, amount_vnd=500_000, distribution=approved)
    _confirm(approved, 3)
    shares = delivery.allocation_shares(Allocation.objects.filter(distribution=approved))
    assert sum(share.delivered_vnd for share in shares.values()) == 1_500_000
    assert sorted(share.delivered_vnd for share in shares.values()) == [250_000, 1_250_000]


def test_the_selector_costs_one_query_whatever_the_rows(partnership, django_assert_num_queries):
    donation = DonationFactory(partnership=partnership, value_vnd=100_000_000)

    def add(count):
        for _ in range(count):
            distribution = DistributionFactory(partnership=partnership, distributed_on=DAY)
            receipt = ReceiptFactory(distribution=distribution, confirmed_at=timezone.now())
            _fund(distribution, donation, receipt.value_vnd)
            grant = GrantFactory(partnership=partnership, amount_vnd=1_000, payments=500)
            donation_allocate(actor=None, donation=donation, amount_vnd=1_000, grant=grant)

    add(1)
    with django_assert_num_queries(1):
        delivery.allocation_shares(Allocation.objects.filter(donation=donation))
    add(5)
    with django_assert_num_queries(1):
        shares = delivery.allocation_shares(Allocation.objects.filter(donation=donation))
    assert delivery.totals(shares.values()).delivered_vnd == 6 * 500_000 + 6 * 500


def test_the_close_page_refuses_an_unknown_reason_and_keeps_everything(
    client, staff_user, approved
):
    receipt = approved.receipts.order_by("pk").first()
    before = _rows(approved)
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-close", args=[approved.pk]),
        {f"reason_{receipt.pk}": "lost", "rest_reason": "gone"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert _rows(approved) == before


def test_the_admin_records_a_payment_through_the_service_and_refuses_an_overpayment(
    admin_client, grant
):
    url = reverse("admin:activities_grantpayment_add")
    data = {"grant": grant.pk, "paid_on": "30/01/2024", "amount_vnd": "80000000", "note": ""}
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "at most 70.000.000 ₫ can be paid now" in refused.content.decode()
    assert not GrantPayment.objects.filter(grant=grant).exists()
    admin_client.post(url, {**data, "amount_vnd": "20000000"})
    payment = GrantPayment.objects.get(grant=grant)
    assert payment.amount_vnd == 20_000_000
    assert payment.history.count() == 1


def test_a_closed_distribution_shows_no_shortfall_for_what_it_gave_back(
    client, staff_user, approved
):
    _confirm(approved, 2)
    distribution_close(
        actor=None,
        distribution=approved,
        not_delivered=dict.fromkeys(
            approved.receipts.filter(confirmed_at__isnull=True).values_list("pk", flat=True),
            ("moved", ""),
        ),
    )
    client.force_login(staff_user)
    page = client.get(reverse("activities:distribution-detail", args=[approved.pk]))
    assert page.context["unfunded_vnd"] == 0
    assert "Not yet funded" not in page.content.decode()
    assert "1.500.000 ₫, which they may allocate again" in page.content.decode()
