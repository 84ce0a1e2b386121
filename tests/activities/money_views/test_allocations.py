"""Allocating a donation from its page, for each role: to a distribution, an asset or a grant,
and removing an allocation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Allocation, Distribution
from tests.factories import (
    AllocationFactory,
    AssetFactory,
    DistributionFactory,
    GrantFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


# --- Allocating --------------------------------------------------------------------------------


def _allocate(client, donation, **fields):
    data = {
        "distribution": "",
        "asset_code": "",
        "grant": "",
        "amount_vnd": "",
        "allocated_on": "2024-02-01",
        "note": "",
    }
    data.update(fields)
    return client.post(reverse("activities:donation-allocate", args=[donation.pk]), data)


def test_the_donation_page_shows_what_each_allocation_paid_for(staff, donation, partnership):
    distribution = DistributionFactory(partnership=partnership, title="Quà Tết 2024")
    asset = AssetFactory(partnership=partnership, code="DEN-PH-01")
    grant = GrantFactory(partnership=partnership)
    AllocationFactory(donation=donation, distribution=distribution, amount_vnd=1_000_000)
    AllocationFactory(donation=donation, distribution=None, asset=asset, amount_vnd=2_000_000)
    AllocationFactory(donation=donation, distribution=None, grant=grant, amount_vnd=3_000_000)
    html = staff.get(reverse("activities:donation-detail", args=[donation.pk])).content.decode()
    assert "Quà Tết 2024" in html
    assert reverse("activities:asset-detail", args=[asset.pk]) in html
    assert reverse("activities:grant-detail", args=[grant.pk]) in html
    assert "6.000.000\u00a0₫" in html  # allocated
    assert "44.000.000\u00a0₫" in html  # remaining


def test_staff_allocate_part_of_a_donation_to_a_distribution(staff, staff_user, donation):
    distribution = DistributionFactory(partnership=donation.partnership)
    response = _allocate(
        staff, donation, distribution=distribution.pk, amount_vnd="20.000.000", note="Quà"
    )
    assert response.status_code == 302
    allocation = Allocation.objects.get()
    assert (allocation.distribution, allocation.amount_vnd, allocation.note) == (
        distribution,
        20_000_000,
        "Quà",
    )
    assert allocation.created_by == staff_user


def test_staff_allocate_to_an_asset_by_its_code(staff, donation):
    asset = AssetFactory(partnership=donation.partnership, code="DEN-PH-07", value_vnd=2_050_000)
    response = _allocate(staff, donation, asset_code="den-ph-07", amount_vnd="2050000")
    assert response.status_code == 302
    assert Allocation.objects.get().asset == asset


def test_over_allocation_is_refused(staff, donation):
    AllocationFactory(donation=donation, amount_vnd=45_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    response = _allocate(staff, donation, distribution=distribution.pk, amount_vnd="6.000.000")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "This donation has only 5.000.000\u00a0₫ left to allocate; 6.000.000\u00a0₫ was asked."
        in html
    )
    assert 'value="6.000.000"' in html  # the input is kept
    assert Allocation.objects.count() == 1


@pytest.mark.parametrize("targets", ["none", "two"])
def test_an_allocation_needs_exactly_one_target(staff, donation, targets):
    distribution = DistributionFactory(partnership=donation.partnership)
    grant = GrantFactory(partnership=donation.partnership)
    chosen = {} if targets == "none" else {"distribution": distribution.pk, "grant": grant.pk}
    response = _allocate(staff, donation, amount_vnd="1000000", **chosen)
    assert response.status_code == 200
    assert "Choose one thing to pay for" in response.content.decode()
    assert not Allocation.objects.exists()


def test_an_unknown_asset_code_is_refused(staff, donation):
    AssetFactory(partnership=PartnershipFactory(), code="DEN-XA-01")  # another partnership's
    response = _allocate(staff, donation, asset_code="DEN-XA-01", amount_vnd="1000000")
    assert "No asset of this partnership has the code DEN-XA-01." in response.content.decode()
    assert not Allocation.objects.exists()


def test_a_grant_of_another_partnership_cannot_be_chosen(staff, donation):
    foreign = GrantFactory(partnership=PartnershipFactory())
    response = _allocate(staff, donation, grant=foreign.pk, amount_vnd="1000000")
    assert response.status_code == 200
    assert not Allocation.objects.exists()


def test_an_auditor_cannot_allocate(client, auditor_user, donation):
    client.force_login(auditor_user)
    distribution = DistributionFactory(partnership=donation.partnership)
    response = _allocate(client, donation, distribution=distribution.pk, amount_vnd="1000")
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_staff_remove_an_allocation_after_confirming(staff, donation):
    allocation = AllocationFactory(donation=donation)
    url = reverse("activities:allocation-remove", args=[allocation.pk])
    assert staff.get(url).status_code == 200
    assert Allocation.objects.filter(pk=allocation.pk).exists()
    response = staff.post(url)
    assert response.status_code == 302
    assert response.url == reverse("activities:donation-detail", args=[donation.pk])
    assert not Allocation.objects.filter(pk=allocation.pk).exists()


def test_an_allocation_to_a_closed_distribution_is_not_removed(staff, donation):
    closed = DistributionFactory(
        partnership=donation.partnership, status=Distribution.Status.CLOSED
    )
    allocation = AllocationFactory(donation=donation, distribution=closed)
    response = staff.post(
        reverse("activities:allocation-remove", args=[allocation.pk]), follow=True
    )
    assert "A closed distribution cannot change." in response.content.decode()
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_an_auditor_cannot_remove_an_allocation(client, auditor_user, donation):
    allocation = AllocationFactory(donation=donation)
    client.force_login(auditor_user)
    assert (
        client.post(reverse("activities:allocation-remove", args=[allocation.pk])).status_code
        == 403
    )
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_the_allocation_date_defaults_to_today(staff, donation):
    page = staff.get(reverse("activities:donation-detail", args=[donation.pk]))
    assert page.context["form"]["allocated_on"].value() == timezone.localdate()


def test_the_donation_page_runs_a_fixed_number_of_queries(
    staff, donation, django_assert_max_num_queries
):
    url = reverse("activities:donation-detail", args=[donation.pk])
    AllocationFactory(donation=donation, amount_vnd=1_000)
    with django_assert_max_num_queries(14) as few:
        assert staff.get(url).status_code == 200
    for _ in range(15):
        AllocationFactory(
            donation=donation,
            distribution=None,
            asset=AssetFactory(partnership=donation.partnership),
            amount_vnd=1_000,
        )
        AllocationFactory(
            donation=donation,
            distribution=None,
            grant=GrantFactory(partnership=donation.partnership),
            amount_vnd=1_000,
        )
    with django_assert_max_num_queries(14) as many:
        response = staff.get(url)
    assert len(response.context["allocations"]) == 31
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)
