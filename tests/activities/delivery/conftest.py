"""Fixtures of the delivery tests: messages read in English, a donation, a draft distribution of
five receipts, the same approved, a grant."""

import pytest
from django.utils import translation

from activities.services import distribution_transition
from tests.activities.delivery.helpers import APPROVED, DAY, _fund
from tests.factories import DistributionFactory, DonationFactory, GrantFactory, ReceiptFactory


@pytest.fixture(autouse=True)
def english(client, admin_client):
    """Messages are matched in English here; tests/activities/test_delivery_vi.py reads them in
    Vietnamese."""
    client.cookies["django_language"] = "en"
    admin_client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


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


@pytest.fixture
def approved(draft, donation):
    _fund(draft, donation, 2_500_000)
    return distribution_transition(actor=None, distribution=draft, to=APPROVED)


@pytest.fixture
def grant(partnership):
    return GrantFactory(partnership=partnership, amount_vnd=70_000_000, approved_on=DAY, payments=0)
