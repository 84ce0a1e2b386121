"""Two people confirming the same sheet at the same moment count each receipt once.

The services lock the receipts (and the distribution) rows; SQLite has no row locks (it
serialises whole writes), so these run where it matters: on PostgreSQL.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from activities.models import Distribution, Receipt
from activities.services import distribution_recipients_add, receipt_confirm, receipts_confirm
from households.models import Household
from outreach.scope import Role
from outreach.services import role_assign
from tests.factories import DistributionFactory, HouseholdFactory, ReceiptFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _race(works):
    """Run each of ``works`` in its own thread (its own connection), all released at once."""
    barrier = threading.Barrier(len(works))
    results, errors = [None] * len(works), []

    def run(index, work):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, work)) for index, work in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def _in_partnership(distribution, *, cadre, staff=None) -> None:
    """Give the people who confirm their roles where the distribution is (services check it)."""
    partnership = distribution.partnership
    role_assign(actor=None, user=cadre, role=Role.COMMUNE_CADRE, commune=partnership.commune)
    if staff is not None:
        role_assign(actor=None, user=staff, role=Role.OFFICE_STAFF, partnership=partnership)


def test_two_people_ticking_the_same_sheet_confirm_each_receipt_once():
    distribution = DistributionFactory(status=Distribution.Status.APPROVED)
    receipts = [ReceiptFactory(distribution=distribution) for _ in range(30)]
    ids = [receipt.pk for receipt in receipts]
    cadre, staff = UserFactory(username="race-cadre"), UserFactory(username="race-staff")
    _in_partnership(distribution, cadre=cadre, staff=staff)

    results = _race(
        [
            lambda: receipts_confirm(actor=cadre, distribution=distribution, receipt_ids=ids),
            lambda: receipts_confirm(
                actor=staff, distribution=distribution, receipt_ids=list(reversed(ids))
            ),
        ]
    )

    assert sum(result.confirmed for result in results) == 30
    assert sum(result.already for result in results) == 30
    assert Receipt.objects.filter(pk__in=ids, confirmed_at__isnull=True).count() == 0
    # Each receipt was written once by a confirmation: one history row besides its creation.
    for receipt_id in ids:
        changes = Receipt.history.filter(id=receipt_id, history_type="~")
        assert changes.count() == 1, receipt_id
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DISTRIBUTING


def test_a_sheet_and_a_single_confirmation_at_once_count_the_receipt_once():
    distribution = DistributionFactory(status=Distribution.Status.APPROVED)
    receipts = [ReceiptFactory(distribution=distribution) for _ in range(10)]
    ids = [receipt.pk for receipt in receipts]
    cadre = UserFactory(username="race-cadre-2")
    _in_partnership(distribution, cadre=cadre)

    results = _race(
        [
            lambda: receipts_confirm(actor=cadre, distribution=distribution, receipt_ids=ids),
            lambda: receipt_confirm(actor=cadre, receipt=receipts[5], confirmed_at=timezone.now()),
        ]
    )

    sheet = results[0]
    assert sheet.confirmed + sheet.already == 10
    assert sheet.confirmed in (9, 10)
    assert Receipt.history.filter(id=receipts[5].pk, history_type="~").count() == 1


def test_two_people_adding_the_same_households_list_each_once():
    distribution = DistributionFactory()
    households = [
        HouseholdFactory(village__commune=distribution.partnership.commune) for _ in range(25)
    ]
    ids = [household.pk for household in households]

    results = _race(
        [
            lambda: distribution_recipients_add(
                actor=None,
                distribution=distribution,
                households_queryset_or_ids=Household.objects.filter(pk__in=ids),
            ),
            lambda: distribution_recipients_add(
                actor=None, distribution=distribution, households_queryset_or_ids=ids
            ),
        ]
    )

    assert sorted((result.added, result.skipped) for result in results) == [(0, 25), (25, 0)]
    assert Receipt.objects.filter(distribution=distribution).count() == 25
