"""The staff admin of the money trail (donations, allocations, grants): writes go through the
services, a refusal is a form error and nothing is saved."""

import pytest

from activities.admin.money import AllocationInline
from activities.models import Allocation, Distribution, Grant
from outreach.models import Donation
from tests.admin.pages import _errors, _form_data, _url
from tests.factories import (
    AllocationFactory,
    DistributionFactory,
    DonationFactory,
    GrantFactory,
    HouseholdFactory,
    PartnerFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


# --- The money trail ---------------------------------------------------------------------------


def test_over_allocation_shows_what_is_left_and_saves_nothing(staff_client):
    donation = DonationFactory(value_vnd=50_000_000)
    AllocationFactory(donation=donation, amount_vnd=45_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    data = _form_data(
        staff_client.get(_url(Allocation, "add")),
        donation=donation.pk,
        amount_vnd="10000000",
        allocated_on="2024-02-01",
        distribution=distribution.pk,
    )
    response = staff_client.post(_url(Allocation, "add"), data)
    form = response.context["adminform"].form
    assert "left to allocate" in str(form.errors["amount_vnd"])
    assert "5.000.000\u00a0₫" in str(form.errors["amount_vnd"])
    assert form["amount_vnd"].value() == "10000000"
    assert Allocation.objects.count() == 1


def test_allocation_is_made_through_the_service(staff_client, admin_user):
    donation = DonationFactory(value_vnd=50_000_000)
    grant = GrantFactory(partnership=donation.partnership, amount_vnd=70_000_000)
    data = _form_data(
        staff_client.get(_url(Allocation, "add")),
        donation=donation.pk,
        amount_vnd="20000000",
        allocated_on="2024-06-02",
        grant=grant.pk,
    )
    response = staff_client.post(_url(Allocation, "add"), data)
    assert response.status_code == 302, _errors(response)
    allocation = Allocation.objects.get()
    assert allocation.grant == grant
    assert allocation.created_by == admin_user


def test_allocation_change_goes_through_allocation_update(staff_client):
    allocation = AllocationFactory(amount_vnd=1_000_000, donation__value_vnd=2_000_000)
    url = _url(Allocation, "change", allocation.pk)
    response = staff_client.post(url, _form_data(staff_client.get(url), amount_vnd="3000000"))
    assert "left to allocate" in _errors(response)
    response = staff_client.post(url, _form_data(staff_client.get(url), amount_vnd="1500000"))
    assert response.status_code == 302, _errors(response)
    allocation.refresh_from_db()
    assert allocation.amount_vnd == 1_500_000


def test_over_allocation_in_the_donation_inline_is_shown_on_its_row(staff_client):
    donation = DonationFactory(value_vnd=50_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    url = _url(Donation, "change", donation.pk)
    page = staff_client.get(url)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if isinstance(inline.opts, AllocationInline)
    )
    data = _form_data(
        page,
        note="Chuyển khoản",
        **{
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-amount_vnd": "60000000",
            f"{prefix}-0-allocated_on": "2024-02-01",
            f"{prefix}-0-distribution": str(distribution.pk),
        },
    )
    response = staff_client.post(url, data)
    assert "left to allocate" in _errors(response)
    donation.refresh_from_db()
    assert donation.note == ""  # the donation's own change was rolled back too
    assert not Allocation.objects.exists()


def test_donation_inline_allocates_and_removes_through_the_services(staff_client):
    donation = DonationFactory(value_vnd=50_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    url = _url(Donation, "change", donation.pk)
    page = staff_client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = _form_data(
        page,
        **{
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-amount_vnd": "30000000",
            f"{prefix}-0-allocated_on": "2024-02-01",
            f"{prefix}-0-distribution": str(distribution.pk),
        },
    )
    assert staff_client.post(url, data).status_code == 302
    allocation = Allocation.objects.get(donation=donation)
    assert allocation.amount_vnd == 30_000_000

    data = _form_data(staff_client.get(url), **{f"{prefix}-0-DELETE": "on"})
    assert staff_client.post(url, data).status_code == 302
    assert not Allocation.objects.exists()


def test_allocation_of_a_closed_distribution_cannot_be_removed_from_the_inline(staff_client):
    allocation = AllocationFactory(distribution__status=Distribution.Status.CLOSED)
    url = _url(Donation, "change", allocation.donation_id)
    page = staff_client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    response = staff_client.post(url, _form_data(page, **{f"{prefix}-0-DELETE": "on"}))
    assert "A closed distribution cannot change." in _errors(response)
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_donation_is_recorded_and_cannot_drop_below_what_is_allocated(staff_client, admin_user):
    partnership = PartnershipFactory()
    partner = PartnerFactory(name="BIDV chi nhánh Tuyên Quang")
    data = _form_data(
        staff_client.get(_url(Donation, "add")),
        partnership=partnership.pk,
        partner=partner.pk,
        kind=Donation.Kind.CASH,
        received_on="2024-05-10",
        value_vnd="70000000",
    )
    response = staff_client.post(_url(Donation, "add"), data)
    assert response.status_code == 302, _errors(response)
    donation = Donation.objects.get()
    assert donation.created_by == admin_user
    AllocationFactory(
        donation=donation, amount_vnd=60_000_000, distribution__partnership=partnership
    )

    url = _url(Donation, "change", donation.pk)
    response = staff_client.post(url, _form_data(staff_client.get(url), value_vnd="50000000"))
    assert "60.000.000\u00a0₫ of this donation is already allocated" in _errors(response)
    donation.refresh_from_db()
    assert donation.value_vnd == 70_000_000

    changelist = staff_client.get(_url(Donation, "changelist")).content.decode()
    assert "70.000.000\u00a0₫" in changelist
    assert "10.000.000\u00a0₫" in changelist  # left to allocate


def test_grant_changelist_shows_money_the_vietnamese_way(staff_client):
    GrantFactory(amount_vnd=70_000_000)
    response = staff_client.get(_url(Grant, "changelist"))
    assert "70.000.000\u00a0₫" in response.content.decode()


def test_grant_is_saved_through_the_service_with_the_household_village(staff_client):
    household = HouseholdFactory()
    partnership = PartnershipFactory(commune=household.commune)
    data = _form_data(
        staff_client.get(_url(Grant, "add")),
        partnership=partnership.pk,
        household=household.pk,
        purpose=Grant.Purpose.HOUSE_BUILDING,
        amount_vnd="70000000",
        approved_on="2024-06-01",
    )
    response = staff_client.post(_url(Grant, "add"), data)
    assert response.status_code == 302, _errors(response)
    assert Grant.objects.get().village == household.village


def test_grant_for_a_household_outside_the_commune_is_refused(staff_client):
    household = HouseholdFactory()
    data = _form_data(
        staff_client.get(_url(Grant, "add")),
        partnership=PartnershipFactory().pk,
        household=household.pk,
        purpose=Grant.Purpose.HOUSE_REPAIR,
        amount_vnd="1000000",
        approved_on="2024-06-01",
    )
    response = staff_client.post(_url(Grant, "add"), data)
    assert "The household is not in the partnership's commune." in _errors(response)
    assert not Grant.objects.exists()
