"""Fixtures of the money page tests: office staff reading in English, a donation of their
partnership and one of another."""

import datetime

import pytest

from tests.activities.pages import english
from tests.factories import DonationFactory, PartnershipFactory


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return english(client)


@pytest.fixture
def donation(partnership):
    return DonationFactory(
        partnership=partnership, value_vnd=50_000_000, received_on=datetime.date(2024, 1, 15)
    )


@pytest.fixture
def outside_donation():
    return DonationFactory(partnership=PartnershipFactory(), value_vnd=9_000_000)
