"""The bench's data (tests/bench/data.py) is SQL written against today's tables: filled here at a
small scale, so that a new NOT NULL column or a renamed one breaks a test, not ``make bench``."""

import pytest
from django.db import connection

from activities.models import Allocation, Asset, Distribution, Grant, GrantPayment, Receipt
from households.models import Household, Member, Review
from outreach.models import Donation

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench runs on PostgreSQL"),
]


def test_the_bench_fills_a_province_in_realistic_proportions():
    from tests.bench import data

    data.fill(2000)
    households = Household.objects.filter(commune__name__startswith="Xã Bench")
    assert households.count() == 2000
    assert Member.objects.filter(household__in=households).count() == 3 * 2000
    poor_or_near = households.filter(poverty__in=["poor", "near_poor"]).count()
    assert Receipt.objects.count() == poor_or_near
    unconfirmed = Receipt.objects.filter(confirmed_at__isnull=True)
    assert list(unconfirmed.values_list("household_id", flat=True)) == [
        pk
        for pk in households.filter(poverty__in=["poor", "near_poor"]).values_list("pk", flat=True)
        if pk % 10 == 0
    ]
    communes = 2000 // data.HOUSEHOLDS_PER_COMMUNE + 1
    assert Distribution.objects.count() == communes
    assert Donation.objects.count() == 2 * communes
    assert Asset.objects.count() == communes * data.VILLAGES_PER_COMMUNE
    assert Grant.objects.count() == GrantPayment.objects.count() == communes
    # Every distribution, asset and grant is funded, and no donation is overspent.
    assert Allocation.objects.count() == communes + Asset.objects.count() + communes
    assert Review.objects.filter(household__in=households).count() == poor_or_near
    # A second fill adds nothing.
    data.fill(2000)
    assert Receipt.objects.count() == poor_or_near
