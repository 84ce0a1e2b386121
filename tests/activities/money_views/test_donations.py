"""The donation pages through the client: the list for each role, recording and editing a
donation."""

import datetime

import pytest
from django.urls import reverse

from outreach.models import Donation
from tests.factories import AllocationFactory, DonationFactory, PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


# --- Donation list -----------------------------------------------------------------------------


def test_donation_list_shows_received_allocated_and_remaining(staff, donation):
    AllocationFactory(donation=donation, amount_vnd=20_000_000)
    html = staff.get(reverse("activities:donation-list")).content.decode()
    assert "50.000.000\u00a0₫" in html
    assert "20.000.000\u00a0₫" in html
    assert "30.000.000\u00a0₫" in html


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
    with django_assert_max_num_queries(12) as few:
        assert staff.get(url).status_code == 200
    _donations_with_allocations(partnership, 30)
    with django_assert_max_num_queries(12) as many:
        response = staff.get(url)
    assert len(response.context["page_obj"]) == 25
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


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
