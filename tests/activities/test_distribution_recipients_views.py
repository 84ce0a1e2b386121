"""Choosing a distribution's recipients through the client: by criteria with a preview, one
household found by name, a receipt removed; the bad input changes nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Distribution, Receipt
from households.models import Household, Poverty
from tests.activities.pages import english, household_in, text
from tests.factories import (
    DistributionFactory,
    HouseholdFactory,
    MemberFactory,
    ReceiptFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
APPROVED = Distribution.Status.APPROVED
DRAFT = Distribution.Status.DRAFT
CLOSED = Distribution.Status.CLOSED


@pytest.fixture
def distribution(partnership):
    return DistributionFactory(
        partnership=partnership, title="Trao quà Tết 2024", value_per_item_vnd=500_000
    )


# --- Recipients by criteria ----------------------------------------------------------------------


def test_the_preview_lists_who_would_be_added_and_who_is_skipped(
    client, staff_user, partnership, distribution
):
    village = VillageFactory(commune=partnership.commune, name="Pác Hợp")
    poor = [household_in(partnership, village=village, poverty=Poverty.POOR) for _ in range(3)]
    household_in(partnership, village=village, poverty=Poverty.NONE)
    ReceiptFactory(distribution=distribution, household=poor[0])
    english(client).force_login(staff_user)

    response = client.get(
        reverse("activities:distribution-recipients", args=[distribution.pk]),
        {"preview": "1", "statuses": ["poor"], "villages": [village.pk], "quantity": "2"},
    )

    assert response.status_code == 200
    assert response.context["to_add_count"] == 2
    assert response.context["skipped_count"] == 1
    assert set(response.context["page_obj"]) == set(poor[1:])
    html = text(response)
    assert "Households to add: 2; items per household: 2." in html
    assert poor[0].code in html  # among the skipped
    # Previewing writes nothing.
    assert Receipt.objects.count() == 1


def test_confirming_the_preview_adds_the_households_in_bulk(
    client, staff_user, partnership, distribution
):
    disabled = household_in(partnership)
    MemberFactory(household=disabled, has_disability=True)
    dilapidated = household_in(partnership, housing_condition=Household.Housing.DILAPIDATED)
    solid = household_in(partnership, housing_condition=Household.Housing.SOLID)
    makeshift = household_in(partnership, housing_condition=Household.Housing.MAKESHIFT)
    ReceiptFactory(distribution=distribution, household=makeshift, quantity=1)
    english(client).force_login(staff_user)

    response = client.post(
        reverse("activities:distribution-recipients", args=[distribution.pk]),
        {"disability": "on", "poor_housing": "on", "quantity": "2"},
        follow=True,
    )

    assert "Households added: 2; already listed: 1." in text(response)
    added = Receipt.objects.filter(distribution=distribution).exclude(household=makeshift)
    assert {r.household for r in added} == {disabled, dilapidated}
    assert solid not in {r.household for r in added}
    assert {r.value_vnd for r in added} == {1_000_000}


def test_criteria_with_a_bad_quantity_add_nothing(client, staff_user, partnership, distribution):
    household_in(partnership)
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-recipients", args=[distribution.pk]),
        {"quantity": "0"},
    )
    assert response.status_code == 200
    assert "quantity" in response.context["form"].errors
    assert not Receipt.objects.exists()


def test_criteria_on_a_closed_distribution_are_refused(client, staff_user, partnership):
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    household_in(partnership)
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-recipients", args=[closed.pk]), {"quantity": "1"}
    )
    assert response.status_code == 200
    assert "A closed distribution cannot change." in text(response)
    assert not Receipt.objects.exists()


# --- Manual add and remove ------------------------------------------------------------------------


def test_a_household_is_found_without_accents_and_added(
    client, staff_user, partnership, distribution
):
    liệu = household_in(partnership, head_name="Ma Đình Liệu")
    household_in(partnership, head_name="Hoàng Văn Tú")
    HouseholdFactory(head_name="Ma Đình Liệu")  # another commune: never shown
    english(client).force_login(staff_user)
    url = reverse("activities:distribution-recipient-add", args=[distribution.pk])

    found = client.get(url, {"q": "ma dinh lieu"})
    response = client.post(
        f"{url}?q=ma+dinh+lieu", {"household": liệu.pk, "quantity": "2"}, follow=True
    )

    assert [h.pk for h in found.context["found"]] == [liệu.pk]
    assert f"Household {liệu.code} was added." in text(response)
    receipt = Receipt.objects.get(distribution=distribution)
    assert (receipt.household, receipt.quantity, receipt.value_vnd) == (liệu, 2, 1_000_000)


def test_a_household_listed_twice_is_refused_with_a_clear_error(
    client, staff_user, partnership, distribution
):
    household = household_in(partnership)
    ReceiptFactory(distribution=distribution, household=household)
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-recipient-add", args=[distribution.pk]),
        {"household": household.pk, "quantity": "1"},
    )
    assert response.status_code == 200
    assert "This household is already listed in this distribution." in text(response)
    assert Receipt.objects.count() == 1


def test_a_household_of_another_commune_cannot_be_added(client, staff_user, distribution):
    elsewhere = HouseholdFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-recipient-add", args=[distribution.pk]),
        {"household": elsewhere.pk, "quantity": "1"},
    )
    assert response.status_code == 404
    assert not Receipt.objects.exists()


def test_an_unconfirmed_receipt_is_removed_and_a_confirmed_one_is_not(
    client, staff_user, distribution
):
    unconfirmed = ReceiptFactory(distribution=distribution)
    confirmed = ReceiptFactory(distribution=distribution, confirmed_at=timezone.now())
    english(client).force_login(staff_user)

    client.post(reverse("activities:receipt-remove", args=[unconfirmed.short_code]))
    refused = client.post(
        reverse("activities:receipt-remove", args=[confirmed.short_code]), follow=True
    )

    assert not Receipt.objects.filter(pk=unconfirmed.pk).exists()
    assert Receipt.objects.filter(pk=confirmed.pk).exists()
    assert "A confirmed receipt cannot be removed." in text(refused)
