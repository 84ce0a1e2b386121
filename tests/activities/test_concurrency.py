"""Two people writing at once must not overdraw a donation: the service locks the donation row.

SQLite has no row locks (it serialises whole writes), so these run where it matters: on PostgreSQL,
which CI runs the whole suite against.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from activities.models import Allocation
from activities.services import donation_allocate, donation_allocated_vnd
from tests.factories import DistributionFactory, DonationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _race(count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        try:
            barrier.wait()
            work()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_simultaneous_allocations_cannot_overdraw_a_donation():
    donation = DonationFactory(value_vnd=10_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)

    outcomes = _race(
        4,
        lambda: donation_allocate(
            actor=None, donation=donation, amount_vnd=4_000_000, distribution=distribution
        ),
    )

    assert sorted(outcomes) == ["ok", "ok", "refused", "refused"]
    assert Allocation.objects.count() == 2
    assert donation_allocated_vnd(donation) == 8_000_000
