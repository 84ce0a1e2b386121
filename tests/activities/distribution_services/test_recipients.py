"""Adding recipients to a distribution in bulk, and choosing them by criteria."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities.models import Distribution, Receipt
from activities.selectors.distribution import Criteria, recipient_candidates, recipient_matches
from activities.services import distribution_recipients_add
from households.models import Household, Poverty, Status
from tests.activities.distribution_services.helpers import CLOSED, household_in
from tests.factories import (
    DistributionFactory,
    HouseholdFactory,
    MemberFactory,
    ReceiptFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


# --- Recipients in bulk ------------------------------------------------------------------------


def test_recipients_are_added_in_bulk_and_those_listed_are_skipped(
    staff_user, partnership, distribution
):
    households = [household_in(partnership) for _ in range(5)]
    ReceiptFactory(distribution=distribution, household=households[0])

    result = distribution_recipients_add(
        actor=staff_user,
        distribution=distribution,
        households_queryset_or_ids=Household.objects.filter(pk__in=[h.pk for h in households]),
        quantity=2,
    )

    assert (result.added, result.skipped) == (4, 1)
    receipts = Receipt.objects.filter(distribution=distribution)
    assert receipts.count() == 5
    added = receipts.exclude(household=households[0])
    assert {r.value_vnd for r in added} == {1_000_000}
    assert {r.quantity for r in added} == {2}
    assert all(r.village_id == r.household.village_id for r in added)
    assert len({r.short_code for r in receipts}) == 5
    # Each new receipt has its history row, written by the actor.
    history = Receipt.history.filter(distribution_id=distribution.pk, history_type="+")
    assert history.exclude(household_id=households[0].pk).count() == 4
    authors = history.exclude(household_id=households[0].pk).values_list("history_user", flat=True)
    assert set(authors) == {staff_user.pk}


def test_archived_households_and_other_communes_are_left_out(partnership, distribution):
    inside = household_in(partnership)
    archived = household_in(partnership, archived=True)
    elsewhere = HouseholdFactory()

    result = distribution_recipients_add(
        actor=None,
        distribution=distribution,
        households_queryset_or_ids=[inside.pk, archived.pk, elsewhere.pk],
    )

    assert result.added == 1
    assert list(distribution.receipts.values_list("household_id", flat=True)) == [inside.pk]


def test_adding_recipients_to_a_closed_distribution_is_refused(partnership):
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    household = household_in(partnership)
    with pytest.raises(ValidationError, match="closed distribution cannot change"):
        distribution_recipients_add(
            actor=None, distribution=closed, households_queryset_or_ids=[household.pk]
        )
    assert not Receipt.objects.exists()


def test_recipients_by_criteria_are_refused_once_distributing(partnership):
    distributing = DistributionFactory(
        partnership=partnership, status=Distribution.Status.DISTRIBUTING
    )
    with pytest.raises(ValidationError, match="only be chosen while the distribution is a draft"):
        distribution_recipients_add(
            actor=None,
            distribution=distributing,
            households_queryset_or_ids=[household_in(partnership).pk],
        )
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("quantity", [0, -2])
def test_a_quantity_below_one_is_refused(partnership, distribution, quantity):
    with pytest.raises(ValidationError, match="quantity must be at least 1"):
        distribution_recipients_add(
            actor=None,
            distribution=distribution,
            households_queryset_or_ids=[household_in(partnership).pk],
            quantity=quantity,
        )
    assert not Receipt.objects.exists()


# --- Criteria ----------------------------------------------------------------------------------


def test_criteria_choose_by_status_and_village(admin_user, partnership, distribution):
    village = VillageFactory(commune=partnership.commune)
    poor_here = household_in(partnership, poverty=Poverty.POOR, village=village)
    poor_elsewhere = household_in(partnership, poverty=Poverty.POOR)
    policy_here = household_in(
        partnership, poverty=Poverty.NONE, policy_family=True, village=village
    )
    household_in(partnership, poverty=Poverty.NONE, village=village)

    to_add, listed = recipient_candidates(
        user=admin_user,
        distribution=distribution,
        criteria=Criteria(statuses=[Status.POOR, Status.POLICY], villages=[village]),
    )
    assert set(to_add) == {poor_here, policy_here}
    assert poor_elsewhere not in set(to_add)
    assert not listed.exists()


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["poor"], {"poor", "poor_policy"}),
        (["near_poor"], {"near_poor"}),
        (["average"], {"average_difficulty"}),
        (["policy"], {"policy", "poor_policy"}),
        (["difficulty"], {"difficulty", "average_difficulty"}),
        (["policy", "difficulty"], {"policy", "poor_policy", "difficulty", "average_difficulty"}),
        (["near_poor", "difficulty"], {"near_poor", "difficulty", "average_difficulty"}),
        ([], {"poor", "poor_policy", "near_poor", "average_difficulty", "policy", "difficulty",
              "none", "undecided"}),
    ],
)  # fmt: skip
def test_each_criterion_is_one_of_the_three_facts_and_any_ticked_qualifies(
    admin_user, partnership, distribution, statuses, expected
):
    """The values are those of the single status of before: "policy" and "difficulty" still
    choose policy families and families in difficulty, whatever their classification."""
    households = {
        "poor": household_in(partnership, poverty=Poverty.POOR),
        "poor_policy": household_in(partnership, poverty=Poverty.POOR, policy_family=True),
        "near_poor": household_in(partnership, poverty=Poverty.NEAR_POOR),
        "average_difficulty": household_in(
            partnership, poverty=Poverty.AVERAGE, in_difficulty=True
        ),
        "policy": household_in(partnership, poverty=Poverty.NONE, policy_family=True),
        "difficulty": household_in(partnership, poverty=Poverty.NONE, in_difficulty=True),
        "none": household_in(partnership, poverty=Poverty.NONE),
        "undecided": household_in(partnership, poverty=""),
    }
    names = {household.pk: name for name, household in households.items()}
    matches = recipient_matches(
        user=admin_user, distribution=distribution, criteria=Criteria(statuses=statuses)
    )
    found = [names[pk] for pk in matches.values_list("pk", flat=True)]
    assert sorted(found) == sorted(expected)  # each household once


def test_the_criteria_form_offers_the_facts_under_the_values_of_before():
    from activities.forms.distribution import CriteriaForm
    from outreach.models import Village

    form = CriteriaForm({"statuses": ["policy", "difficulty"], "quantity": "1"},
                        villages=Village.objects.none())  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["statuses"] == ["policy", "difficulty"]
    values = [value for value, _label in form.fields["statuses"].choices]
    assert values == ["poor", "near_poor", "average", "policy", "difficulty"]
    assert not CriteriaForm(
        {"statuses": ["none"], "quantity": "1"}, villages=Village.objects.none()
    ).is_valid()


def test_vulnerability_criteria_take_either_and_nothing_this_year_excludes(
    admin_user, partnership, distribution
):
    disabled = household_in(partnership)
    MemberFactory(household=disabled, has_disability=True)
    makeshift = household_in(partnership, housing_condition=Household.Housing.MAKESHIFT)
    household_in(partnership, housing_condition=Household.Housing.SOLID)
    # makeshift already received something in the distribution's year.
    ReceiptFactory(
        household=makeshift,
        distribution=DistributionFactory(
            partnership=partnership, distributed_on=datetime.date(2024, 9, 2)
        ),
    )

    either = Criteria(disability=True, poor_housing=True)
    to_add, _ = recipient_candidates(user=admin_user, distribution=distribution, criteria=either)
    assert set(to_add) == {disabled, makeshift}

    first_time = Criteria(disability=True, poor_housing=True, nothing_this_year=True)
    to_add, _ = recipient_candidates(
        user=admin_user, distribution=distribution, criteria=first_time
    )
    assert set(to_add) == {disabled}


def test_households_already_listed_are_shown_apart(admin_user, partnership, distribution):
    listed_household = household_in(partnership)
    fresh = household_in(partnership)
    ReceiptFactory(distribution=distribution, household=listed_household)

    to_add, listed = recipient_candidates(
        user=admin_user, distribution=distribution, criteria=Criteria()
    )
    assert list(to_add) == [fresh]
    assert list(listed) == [listed_household]
