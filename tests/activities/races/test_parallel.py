"""The real races (20 people at once) need row locks, so they run on PostgreSQL, once as it is
and once with a lock timeout so short that many requests lose."""

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from activities.models import Allocation, Distribution, Receipt
from outreach.services import role_assign
from tests.activities.races.helpers import (
    Role,
    _all_at_once,
    _assert_polite,
    _clients,
    on_postgresql,
)
from tests.factories import (
    DistributionFactory,
    DonationFactory,
    PartnershipFactory,
    ReceiptFactory,
    UserFactory,
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_allocations_at_once_never_overdraw_and_never_answer_500(lock_timeout):
    partnership = PartnershipFactory()
    donation = DonationFactory(partnership=partnership, value_vnd=10_000_000)
    distribution = DistributionFactory(partnership=partnership)
    users = [UserFactory(username=f"race-staff-{n}") for n in range(20)]
    for user in users:
        role_assign(actor=None, user=user, role=Role.OFFICE_STAFF, partnership=partnership)
    by_donation = reverse("activities:donation-allocate", args=[donation.pk])
    by_distribution = reverse("activities:distribution-allocate", args=[distribution.pk])

    def post(client, index):
        # Half from the donation's page, half from the distribution's: the two lock the rows in
        # different orders (donation then distribution, distribution then donation).
        if index % 2:
            return client.post(
                by_distribution, {"donation": donation.pk, "amount_vnd": "1000000", "note": ""}
            )
        return client.post(
            by_donation,
            {
                "distribution": distribution.pk,
                "asset_code": "",
                "grant": "",
                "amount_vnd": "1000000",
                "allocated_on": "2024-02-01",
                "note": "",
            },
        )

    clients = _clients(users)
    responses = _all_at_once(
        [lambda c=client, i=index: post(c, i) for index, client in enumerate(clients)]
    )

    _assert_polite(responses)
    allocated = Allocation.objects.filter(donation=donation).aggregate(total=Sum("amount_vnd"))
    assert (allocated["total"] or 0) <= donation.value_vnd
    saved = sum(response.status_code == 302 for response in responses)
    assert Allocation.objects.filter(donation=donation).count() == saved
    if lock_timeout is None:
        # Waiting for the locks as configured, everyone gets an answer on the money itself.
        assert saved == 10


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_confirmations_of_the_same_receipts_count_each_once_and_never_answer_500(
    lock_timeout,
):
    partnership = PartnershipFactory()
    distribution = DistributionFactory(partnership=partnership, status=Distribution.Status.APPROVED)
    receipts = [ReceiptFactory(distribution=distribution) for _ in range(30)]
    ids = [receipt.pk for receipt in receipts]
    users = [UserFactory(username=f"race-cadre-{n}") for n in range(20)]
    for user in users:
        role_assign(actor=None, user=user, role=Role.COMMUNE_CADRE, commune=partnership.commune)
    sheet = reverse("activities:distribution-confirm", args=[distribution.pk])

    def post(client, index):
        # Most tick the whole sheet; some confirm one receipt from its own page.
        if index % 4 == 3:
            code = receipts[index].short_code
            return client.post(reverse("activities:receipt-confirm", args=[code]))
        return client.post(sheet, {"receipts": ids if index % 2 else list(reversed(ids))})

    clients = _clients(users)
    started = timezone.now()
    responses = _all_at_once(
        [lambda c=client, i=index: post(c, i) for index, client in enumerate(clients)]
    )

    _assert_polite(responses)
    for receipt_id in ids:
        changes = Receipt.history.filter(id=receipt_id, history_type="~")
        assert changes.count() <= 1, receipt_id
    confirmed = Receipt.objects.filter(pk__in=ids, confirmed_at__gte=started)
    sheets = [response for index, response in enumerate(responses) if index % 4 != 3]
    if lock_timeout is None or any(response.status_code == 302 for response in sheets):
        # Somebody's sheet went through: every receipt on it is confirmed, once.
        assert confirmed.count() == 30
