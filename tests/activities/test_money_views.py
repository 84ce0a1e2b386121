"""The money pages through the client: donations, allocations, grants, for each role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Allocation, Distribution, Grant
from outreach.models import Donation
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    AssetFactory,
    DistributionFactory,
    DonationFactory,
    GrantFactory,
    HouseholdFactory,
    PartnerFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


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


# --- Donation list -----------------------------------------------------------------------------


def test_donation_list_shows_received_allocated_and_remaining(staff, donation):
    AllocationFactory(donation=donation, amount_vnd=20_000_000)
    html = staff.get(reverse("activities:donation-list")).content.decode()
    assert "50.000.000 ₫" in html
    assert "20.000.000 ₫" in html
    assert "30.000.000 ₫" in html


def test_donation_list_shows_only_the_staffs_partnership(staff, donation, outside_donation):
    html = staff.get(reverse("activities:donation-list")).content.decode()
    assert str(donation.partner) in html
    assert str(outside_donation.partner) not in html


def test_an_auditor_reads_every_partnerships_donations(
    client, auditor_user, donation, outside_donation
):
    client.force_login(auditor_user)
    html = client.get(reverse("activities:donation-list")).content.decode()
    assert str(donation.partner) in html
    assert str(outside_donation.partner) in html
    assert reverse("activities:donation-create") not in html


@pytest.mark.parametrize("role", ["cadre_user", "donor_user"])
def test_cadres_and_donors_are_refused_the_donation_pages(client, request, role, donation):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("activities:donation-list")).status_code == 403
    assert client.get(reverse("activities:donation-detail", args=[donation.pk])).status_code == 403


def test_donation_list_filters_by_partner_year_and_kind(staff, partnership):
    agribank = PartnerFactory(name="Agribank Tuyên Quang")
    bidv = PartnerFactory(name="BIDV Tuyên Quang")
    DonationFactory(
        partnership=partnership, partner=agribank, received_on=datetime.date(2023, 5, 1)
    )
    DonationFactory(
        partnership=partnership,
        partner=bidv,
        received_on=datetime.date(2024, 5, 1),
        kind=Donation.Kind.GOODS,
        goods_description="Gạo",
        goods_quantity=100,
        goods_unit="bao",
    )
    url = reverse("activities:donation-list")

    def rows(**params):
        return list(staff.get(url, params).context["page_obj"])

    assert [d.partner for d in rows(partner=agribank.pk)] == [agribank]
    assert [d.partner for d in rows(year=2024)] == [bidv]
    assert [d.partner for d in rows(kind="goods")] == [bidv]
    assert len(rows()) == 2


def _donations_with_allocations(partnership, count):
    for _ in range(count):
        donation = DonationFactory(partnership=partnership, partner=PartnerFactory())
        AllocationFactory(donation=donation, amount_vnd=1_000_000)


def test_donation_list_runs_a_fixed_number_of_queries(
    staff, partnership, django_assert_max_num_queries
):
    url = reverse("activities:donation-list")
    _donations_with_allocations(partnership, 2)
    with django_assert_max_num_queries(12):
        assert staff.get(url).status_code == 200
    _donations_with_allocations(partnership, 30)
    with django_assert_max_num_queries(12):
        response = staff.get(url)
    assert len(response.context["page_obj"]) == 25


# --- Recording and editing a donation -----------------------------------------------------------


def _donation_data(partnership, partner, **overrides):
    data = {
        "partnership": partnership.pk,
        "partner": partner.pk,
        "kind": "cash",
        "received_on": "2024-03-01",
        "value_vnd": "70.000.000",
        "goods_description": "",
        "goods_quantity": "",
        "goods_unit": "",
        "reference": "UNC 12",
        "note": "",
    }
    data.update(overrides)
    return data


def test_staff_record_a_cash_donation_in_whole_dong(staff, staff_user, partnership):
    partner = PartnerFactory()
    response = staff.post(
        reverse("activities:donation-create"), _donation_data(partnership, partner)
    )
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:donation-detail", args=[donation.pk])
    assert donation.value_vnd == 70_000_000
    assert donation.partnership == partnership
    assert donation.created_by == staff_user


def test_a_cash_donation_drops_goods_typed_before_switching(staff, partnership):
    partner = PartnerFactory()
    staff.post(
        reverse("activities:donation-create"),
        _donation_data(partnership, partner, goods_description="Gạo", goods_quantity="5"),
    )
    donation = Donation.objects.get()
    assert donation.goods_description == ""
    assert donation.goods_quantity is None


def test_staff_record_goods_with_their_estimated_value(staff, partnership):
    data = _donation_data(
        partnership,
        PartnerFactory(),
        kind="goods",
        goods_description="Chăn ấm",
        goods_quantity="100",
        goods_unit="chiếc",
        value_vnd="30000000",
    )
    assert staff.post(reverse("activities:donation-create"), data).status_code == 302
    donation = Donation.objects.get()
    assert (donation.goods_description, donation.goods_quantity, donation.value_vnd) == (
        "Chăn ấm",
        100,
        30_000_000,
    )


def test_goods_without_a_description_are_refused_and_nothing_is_saved(staff, partnership):
    data = _donation_data(partnership, PartnerFactory(), kind="goods", goods_quantity="3")
    response = staff.post(reverse("activities:donation-create"), data)
    assert response.status_code == 200
    assert "Describe the goods." in response.content.decode()
    assert not Donation.objects.exists()


def test_staff_cannot_record_a_donation_for_another_partnership(staff, partnership):
    other = PartnershipFactory()
    response = staff.post(
        reverse("activities:donation-create"), _donation_data(other, PartnerFactory())
    )
    assert response.status_code == 200
    assert not Donation.objects.exists()


def test_an_auditor_cannot_record_a_donation(client, auditor_user, partnership):
    client.force_login(auditor_user)
    response = client.post(
        reverse("activities:donation-create"), _donation_data(partnership, PartnerFactory())
    )
    assert response.status_code == 403
    assert not Donation.objects.exists()


def test_editing_a_donation_below_what_is_allocated_is_refused(staff, donation):
    AllocationFactory(donation=donation, amount_vnd=40_000_000)
    data = _donation_data(donation.partnership, donation.partner, value_vnd="10.000.000")
    response = staff.post(reverse("activities:donation-update", args=[donation.pk]), data)
    assert response.status_code == 200
    assert "is already allocated; its value cannot be less" in response.content.decode()
    donation.refresh_from_db()
    assert donation.value_vnd == 50_000_000


def test_staff_edit_a_donation(staff, donation):
    data = _donation_data(donation.partnership, donation.partner, value_vnd="55.000.000")
    response = staff.post(reverse("activities:donation-update", args=[donation.pk]), data)
    assert response.status_code == 302
    donation.refresh_from_db()
    assert donation.value_vnd == 55_000_000
    assert donation.reference == "UNC 12"


def test_a_donation_of_another_partnership_is_not_found(staff, outside_donation):
    for name in ("activities:donation-detail", "activities:donation-update"):
        assert staff.get(reverse(name, args=[outside_donation.pk])).status_code == 404


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
    assert "6.000.000 ₫" in html  # allocated
    assert "44.000.000 ₫" in html  # remaining


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
    assert "This donation has only 5.000.000 ₫ left to allocate; 6.000.000 ₫ was asked." in html
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


# --- Grants ------------------------------------------------------------------------------------


def _grant_data(partnership, code, **overrides):
    data = {
        "partnership": partnership.pk,
        "household_code": code,
        "purpose": Grant.Purpose.HOUSE_BUILDING,
        "description": "Nhà tình nghĩa",
        "amount_vnd": "70.000.000",
        "approved_on": "2024-06-01",
        "completed_on": "",
        "activity": "",
    }
    data.update(overrides)
    return data


def test_staff_create_a_grant_for_a_household_found_by_code(staff, partnership):
    household = HouseholdFactory(village__commune=partnership.commune, code="LL-0042")
    response = staff.post(reverse("activities:grant-create"), _grant_data(partnership, " LL-0042 "))
    grant = Grant.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:grant-detail", args=[grant.pk])
    assert (grant.household, grant.village, grant.amount_vnd) == (
        household,
        household.village,
        70_000_000,
    )


def test_a_grant_form_takes_a_household_code_not_a_list_of_households(staff, partnership):
    HouseholdFactory(village__commune=partnership.commune, code="LL-0001")
    html = staff.get(reverse("activities:grant-create")).content.decode()
    assert 'name="household_code"' in html
    assert "LL-0001" not in html


def test_a_household_code_outside_the_commune_is_refused(staff, partnership):
    HouseholdFactory(code="XA-0001")  # another commune
    response = staff.post(reverse("activities:grant-create"), _grant_data(partnership, "XA-0001"))
    assert response.status_code == 200
    assert "has the code XA-0001" in response.content.decode()
    assert not Grant.objects.exists()


def test_an_activity_of_another_partnership_is_refused(staff, partnership):
    HouseholdFactory(village__commune=partnership.commune, code="LL-0042")
    foreign = ActivityFactory()
    response = staff.post(
        reverse("activities:grant-create"),
        _grant_data(partnership, "LL-0042", activity=foreign.pk),
    )
    assert response.status_code == 200
    assert not Grant.objects.exists()


def test_a_grant_cannot_drop_below_what_funds_it(staff, partnership):
    grant = GrantFactory(partnership=partnership, amount_vnd=70_000_000)
    AllocationFactory(
        donation__partnership=partnership, distribution=None, grant=grant, amount_vnd=40_000_000
    )
    data = _grant_data(partnership, "", amount_vnd="30.000.000")
    response = staff.post(reverse("activities:grant-update", args=[grant.pk]), data)
    assert response.status_code == 200
    assert "40.000.000 ₫ is already allocated to this grant." in response.content.decode()
    grant.refresh_from_db()
    assert grant.amount_vnd == 70_000_000


def test_staff_edit_a_grant_and_mark_it_completed(staff, partnership):
    grant = GrantFactory(partnership=partnership)
    data = _grant_data(partnership, "", completed_on="2024-10-01")
    assert staff.post(reverse("activities:grant-update", args=[grant.pk]), data).status_code == 302
    grant.refresh_from_db()
    assert grant.completed_on == datetime.date(2024, 10, 1)


def test_staff_fund_a_grant_from_its_page(staff, donation, partnership):
    grant = GrantFactory(partnership=partnership, amount_vnd=70_000_000)
    url = reverse("activities:grant-allocate", args=[grant.pk])
    response = staff.post(
        url,
        {"donation": donation.pk, "amount_vnd": "35.000.000", "allocated_on": "2024-06-02"},
    )
    assert response.status_code == 302
    assert Allocation.objects.get().grant == grant
    page = staff.get(reverse("activities:grant-detail", args=[grant.pk])).content.decode()
    assert "Funded: 35.000.000 ₫ of 70.000.000 ₫." in page


def test_funding_a_grant_beyond_its_donation_is_refused(staff, donation, partnership):
    grant = GrantFactory(partnership=partnership, amount_vnd=70_000_000)
    response = staff.post(
        reverse("activities:grant-allocate", args=[grant.pk]),
        {"donation": donation.pk, "amount_vnd": "60.000.000", "allocated_on": "2024-06-02"},
    )
    assert response.status_code == 200
    assert "left to allocate" in response.content.decode()
    assert not Allocation.objects.exists()


def test_a_cadre_reads_grants_without_the_money_trail(client, cadre_user, partnership):
    grant = GrantFactory(partnership=partnership)
    AllocationFactory(donation__partnership=partnership, distribution=None, grant=grant)
    english(client)
    client.force_login(cadre_user)
    listing = client.get(reverse("activities:grant-list"))
    assert listing.status_code == 200
    assert grant.household.code in listing.content.decode()
    assert "Funded" not in listing.content.decode()
    page = client.get(reverse("activities:grant-detail", args=[grant.pk])).content.decode()
    assert "Money that funds it" not in page
    assert reverse("activities:grant-update", args=[grant.pk]) not in page
    assert client.post(reverse("activities:grant-create"), {}).status_code == 403


def test_grant_list_runs_a_fixed_number_of_queries(
    staff, partnership, django_assert_max_num_queries
):
    url = reverse("activities:grant-list")
    GrantFactory.create_batch(2, partnership=partnership)
    with django_assert_max_num_queries(12):
        assert staff.get(url).status_code == 200
    GrantFactory.create_batch(30, partnership=partnership)
    with django_assert_max_num_queries(12):
        response = staff.get(url)
    assert len(response.context["page_obj"]) == 25


def test_grant_list_filters_by_purpose_and_completion(staff, partnership):
    house = GrantFactory(partnership=partnership, completed_on=datetime.date(2024, 9, 1))
    GrantFactory(partnership=partnership, purpose=Grant.Purpose.EDUCATION)
    url = reverse("activities:grant-list")
    assert list(staff.get(url, {"purpose": "house_building"}).context["page_obj"]) == [house]
    assert list(staff.get(url, {"completed": "yes"}).context["page_obj"]) == [house]


def test_the_allocation_date_defaults_to_today(staff, donation):
    page = staff.get(reverse("activities:donation-detail", args=[donation.pk]))
    assert page.context["form"]["allocated_on"].value() == timezone.localdate()


def test_the_donation_page_runs_a_fixed_number_of_queries(
    staff, donation, django_assert_max_num_queries
):
    url = reverse("activities:donation-detail", args=[donation.pk])
    AllocationFactory(donation=donation, amount_vnd=1_000)
    with django_assert_max_num_queries(14):
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
    with django_assert_max_num_queries(14):
        response = staff.get(url)
    assert len(response.context["allocations"]) == 31
