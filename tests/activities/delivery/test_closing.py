"""Confirming on or after the distribution's day, closing with what was not delivered and what
it gives back, the close page. Every refusal leaves the rows as they were and says why."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.services import (
    distribution_close,
    distribution_transition,
    donation_allocated_vnd,
    receipt_confirm,
    receipts_confirm,
    receipts_mark_not_delivered,
)
from reports.selectors import donation_totals
from tests.activities.delivery.helpers import (
    APPROVED,
    CLOSED,
    DISTRIBUTING,
    DRAFT,
    _confirm,
    _fund,
    _rows,
)
from tests.factories import DistributionFactory, ReceiptFactory

pytestmark = pytest.mark.django_db


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
    assert "2.000.000\u00a0₫" in page.content.decode()  # the value not delivered


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
    assert "1.500.000\u00a0₫, which they may allocate again" in page.content.decode()
