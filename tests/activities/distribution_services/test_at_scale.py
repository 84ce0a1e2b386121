"""Thousands of recipients and receipts: added and sampled with a few queries."""

import pytest
from django.utils import timezone

from activities.models import Receipt
from activities.services import distribution_recipients_add, verification_round_start
from core.codes import new_code
from households.models import Household
from tests.activities.distribution_services.helpers import CLOSED
from tests.factories import DistributionFactory, VillageFactory

pytestmark = pytest.mark.django_db


# --- At scale ----------------------------------------------------------------------------------


def _many_households(partnership, count):
    village = VillageFactory(commune=partnership.commune)
    return Household.objects.bulk_create(
        Household(
            commune=partnership.commune,
            village=village,
            code=f"SL-{n:05d}",
            head_name=f"Hộ số {n}",
            search_text=f"sl-{n:05d} ho so {n}",
        )
        for n in range(count)
    )


def test_thousands_of_recipients_are_added_with_a_few_queries(
    partnership, distribution, django_assert_max_num_queries
):
    _many_households(partnership, 2_000)
    # Inserts go in batches: 500 rows on PostgreSQL, fewer on SQLite (its limit of 999 values
    # per statement, ~60 rows of a receipt and its history); either way far from a query per
    # household.
    with django_assert_max_num_queries(100):
        result = distribution_recipients_add(
            actor=None,
            distribution=distribution,
            households_queryset_or_ids=Household.objects.filter(commune=partnership.commune),
        )
    assert result.added == 2_000
    assert Receipt.objects.filter(distribution=distribution).count() == 2_000


def test_a_round_on_thousands_of_receipts_draws_its_sample_with_a_few_queries(
    staff_user, partnership, django_assert_max_num_queries
):
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    now = timezone.now()
    Receipt.objects.bulk_create(
        Receipt(
            distribution=closed,
            household=household,
            village_id=household.village_id,
            value_vnd=closed.value_per_item_vnd,
            confirmed_at=now,
            short_code=new_code(),
        )
        for household in _many_households(partnership, 3_000)
    )
    # 20, and the few that work out the actor's scope once (outreach.scope.require_in_scope).
    with django_assert_max_num_queries(24):
        verification_round = verification_round_start(
            actor=staff_user, distribution=closed, sample_percent=10
        )
    assert verification_round.verifications.count() == 300
