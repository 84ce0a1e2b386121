"""Two tabs (or a retry racing its lost answer) sending the same record at the same moment:
one applies it, the other is answered "already". The unique client id decides, under
PostgreSQL's row locks and unique index; SQLite serialises whole writes, so this runs where
it matters."""

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from activities.models import Distribution, Receipt
from field.models import SyncedRecord
from households.models import Concern
from outreach.scope import Role
from outreach.services import role_assign
from tests import factories as f
from tests.field.conftest import record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _send_at_once(user, body, times=2) -> list[int]:
    """POST ``body`` from ``times`` clients (threads, each its own connection) released at once."""
    barrier = threading.Barrier(times)
    statuses, errors = [None] * times, []

    def run(index):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            response = client.post(
                reverse("field:sync"), json.dumps(body), content_type="application/json"
            )
            statuses[index] = response.status_code
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return sorted(statuses)


def _cadre(partnership):
    user = f.UserFactory(username="race-field-cadre")
    role_assign(actor=None, user=user, role=Role.COMMUNE_CADRE, commune=partnership.commune)
    return user


def test_the_same_concern_sent_by_three_tabs_at_once_is_stored_once():
    partnership = f.PartnershipFactory()
    household = f.HouseholdFactory(village__commune=partnership.commune)
    user = _cadre(partnership)
    body = record(
        "concern",
        {"household": household.pk, "kind": "concern", "raised_on": "2025-01-02", "text": "Dột"},
    )
    assert _send_at_once(user, body, times=3) == [200, 200, 201]
    assert Concern.objects.filter(household=household).count() == 1
    assert SyncedRecord.objects.count() == 1


def test_the_same_receipt_confirmation_sent_twice_at_once_is_applied_once():
    distribution = f.DistributionFactory(status=Distribution.Status.DISTRIBUTING)
    receipt = f.ReceiptFactory(distribution=distribution)
    user = _cadre(distribution.partnership)
    body = record(
        "receipt_confirm", {"receipt": receipt.pk}, version=receipt.updated_at.isoformat()
    )
    assert _send_at_once(user, body) == [200, 201]
    assert Receipt.history.filter(id=receipt.pk, history_type="~").count() == 1
    assert SyncedRecord.objects.count() == 1
