"""Helpers of the delivery tests (names kept from tests/activities/test_delivery.py, which the
modules here were split from): the statuses, the day of the distribution, what a refusal must
leave as it was, funding and confirming."""

import datetime

from django.utils import timezone

from activities.models import Allocation, Distribution, Receipt
from activities.services import donation_allocate, receipts_confirm

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
