"""The one selector of delivered value: shares in whole dong that add up, split between
donations, in one query whatever the rows."""

import pytest
from django.utils import timezone

from activities.models import Allocation
from activities.selectors import delivered as delivery
from activities.services import donation_allocate
from tests.activities.delivery.helpers import DAY, _confirm, _fund
from tests.factories import DistributionFactory, DonationFactory, GrantFactory, ReceiptFactory

pytestmark = pytest.mark.django_db


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
