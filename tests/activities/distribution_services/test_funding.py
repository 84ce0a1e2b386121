"""Funding a distribution from donations with money left."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import Allocation
from activities.selectors.distribution import donations_with_balance
from activities.services import distribution_allocate, distribution_allocation_remove
from tests.activities.distribution_services.helpers import CLOSED
from tests.factories import (
    AllocationFactory,
    DistributionFactory,
    DonationFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


# --- Funding -----------------------------------------------------------------------------------


def test_funding_a_closed_distribution_is_refused(staff_user, partnership):
    donation = DonationFactory(partnership=partnership, value_vnd=10_000_000)
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    with pytest.raises(ValidationError, match="closed distribution cannot change"):
        distribution_allocate(
            actor=staff_user, distribution=closed, donation=donation, amount_vnd=1_000_000
        )
    assert not Allocation.objects.exists()


def test_over_allocation_is_refused_with_what_is_left(staff_user, partnership, distribution):
    donation = DonationFactory(partnership=partnership, value_vnd=10_000_000)
    distribution_allocate(
        actor=staff_user, distribution=distribution, donation=donation, amount_vnd=7_000_000
    )
    # pytest matches str(ValidationError), a repr: its no-break space before ₫ reads \xa0.
    with pytest.raises(ValidationError, match=r"has only 3\.000\.000\\xa0₫ left") as refused:
        distribution_allocate(
            actor=staff_user, distribution=distribution, donation=donation, amount_vnd=4_000_000
        )
    assert "3.000.000\u00a0₫" in " ".join(refused.value.messages)
    assert Allocation.objects.count() == 1


def test_an_allocation_of_a_closed_distribution_cannot_be_removed(staff_user, partnership):
    allocation = AllocationFactory(donation__partnership=partnership, distribution__status=CLOSED)
    with pytest.raises(ValidationError, match="closed distribution cannot change"):
        distribution_allocation_remove(actor=staff_user, allocation=allocation)
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_only_donations_with_money_left_are_offered(staff_user, partnership, distribution):
    spent = DonationFactory(partnership=partnership, value_vnd=1_000_000)
    AllocationFactory(donation=spent, amount_vnd=1_000_000, distribution=distribution)
    partly = DonationFactory(partnership=partnership, value_vnd=5_000_000)
    AllocationFactory(donation=partly, amount_vnd=2_000_000, distribution=distribution)
    DonationFactory(partnership=PartnershipFactory(), value_vnd=9_000_000)

    offered = list(donations_with_balance(user=staff_user, distribution=distribution))

    assert offered == [partly]
    assert offered[0].remaining_vnd == 3_000_000
