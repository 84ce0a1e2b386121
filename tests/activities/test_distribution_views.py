"""The distribution pages through the client: each role that owns a page, 404 outside the scope,
the happy path and the bad input (nothing changes)."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Allocation, Distribution, Receipt, Verification, VerificationRound
from households.models import Household, Status
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DistributionFactory,
    DonationFactory,
    HouseholdFactory,
    MemberFactory,
    PartnershipFactory,
    ReceiptFactory,
    VerificationFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
APPROVED = Distribution.Status.APPROVED
DRAFT = Distribution.Status.DRAFT
CLOSED = Distribution.Status.CLOSED


def english(client):
    client.cookies["django_language"] = "en"
    return client


def household_in(partnership, **kwargs):
    return HouseholdFactory(village__commune=partnership.commune, **kwargs)


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("chu-ky.png", buffer.getvalue(), content_type="image/png")


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def distribution(partnership):
    return DistributionFactory(
        partnership=partnership, title="Trao quà Tết 2024", value_per_item_vnd=500_000
    )


# --- List --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff_user", "cadre_user", "auditor_user"])
def test_the_list_shows_counts_and_value_per_row_to_each_reader(
    client, request, partnership, distribution, role
):
    ReceiptFactory(distribution=distribution, confirmed_at=timezone.now())
    ReceiptFactory(distribution=distribution, quantity=3, value_vnd=1_500_000)
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("activities:distribution-list"))

    assert response.status_code == 200
    row = next(r for r in response.context["page_obj"] if r.pk == distribution.pk)
    assert (row.receipt_count, row.confirmed_count, row.total_value_vnd) == (2, 1, 2_000_000)
    assert "2.000.000 ₫" in text(response)


def test_the_list_hides_other_partnerships_from_staff(client, staff_user, distribution):
    elsewhere = DistributionFactory(title="Đợt của xã khác")
    client.force_login(staff_user)
    html = text(client.get(reverse("activities:distribution-list")))
    assert distribution.title in html
    assert elsewhere.title not in html


def test_the_list_filters_by_status_and_year(client, staff_user, partnership):
    old = DistributionFactory(
        partnership=partnership, title="Đợt năm 2023", distributed_on=datetime.date(2023, 5, 1)
    )
    closed = DistributionFactory(
        partnership=partnership,
        title="Đợt đã kết thúc",
        status=CLOSED,
        distributed_on=datetime.date(2024, 5, 1),
    )
    client.force_login(staff_user)
    url = reverse("activities:distribution-list")

    by_year = list(client.get(url, {"year": 2023}).context["page_obj"])
    by_status = list(client.get(url, {"status": "closed"}).context["page_obj"])

    assert by_year == [old]
    assert by_status == [closed]


def _list_queries(client, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("activities:distribution-list"))
    assert response.status_code == 200
    return response


def test_the_list_costs_the_same_queries_for_few_and_many_rows(
    client, staff_user, partnership, django_assert_max_num_queries
):
    client.force_login(staff_user)
    for _ in range(2):
        ReceiptFactory(distribution=DistributionFactory(partnership=partnership))
    few = _list_queries(client, django_assert_max_num_queries, 10)
    for _ in range(30):
        distribution = DistributionFactory(partnership=partnership)
        ReceiptFactory(distribution=distribution)
        ReceiptFactory(distribution=distribution, confirmed_at=timezone.now())
    many = _list_queries(client, django_assert_max_num_queries, 10)
    assert len(few.context["page_obj"]) == 2
    assert len(many.context["page_obj"]) == 25


# --- Create and edit ----------------------------------------------------------------------------


def test_staff_create_a_draft_distribution(client, staff_user, partnership):
    activity = ActivityFactory(partnership=partnership)
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-create"),
        {
            "partnership": partnership.pk,
            "title": "Trao quà cho gia đình chính sách",
            "distributed_on": "2024-07-27",
            "item_description": "Quà (gạo, dầu ăn)",
            "value_per_item_vnd": "500.000",
            "activity": activity.pk,
            "note": "",
        },
    )
    distribution = Distribution.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:distribution-detail", args=[distribution.pk])
    assert distribution.status == Distribution.Status.DRAFT
    assert distribution.value_per_item_vnd == 500_000
    assert distribution.created_by == staff_user
    assert distribution.activity == activity


def test_an_invalid_distribution_form_saves_nothing_and_keeps_the_input(
    client, staff_user, partnership
):
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-create"),
        {
            "partnership": partnership.pk,
            "title": "Đợt thiếu ngày",
            "distributed_on": "",
            "item_description": "Quà",
            "value_per_item_vnd": "-5",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"distributed_on", "value_per_item_vnd"}
    assert "Đợt thiếu ngày" in text(response)
    assert not Distribution.objects.exists()


def test_an_activity_of_another_partnership_is_refused(client, staff_user, partnership):
    foreign = ActivityFactory(partnership=PartnershipFactory())
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-create"),
        {
            "partnership": partnership.pk,
            "title": "Đợt",
            "distributed_on": "27/07/2024",
            "item_description": "Quà",
            "value_per_item_vnd": "1000",
            "activity": foreign.pk,
        },
    )
    assert response.status_code == 200
    assert "activity" in response.context["form"].errors
    assert not Distribution.objects.exists()


def test_staff_edit_a_draft(client, staff_user, distribution):
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-update", args=[distribution.pk]),
        {
            "title": "Trao quà Tết (sửa)",
            "distributed_on": "30/01/2024",
            "item_description": "Quà Tết",
            "value_per_item_vnd": "600000",
        },
    )
    assert response.status_code == 302
    distribution.refresh_from_db()
    assert distribution.title == "Trao quà Tết (sửa)"
    assert distribution.value_per_item_vnd == 600_000


def test_editing_a_closed_distribution_shows_the_error_and_changes_nothing(
    client, staff_user, partnership
):
    closed = DistributionFactory(partnership=partnership, title="Đợt đã xong", status=CLOSED)
    english(client).force_login(staff_user)
    url = reverse("activities:distribution-update", args=[closed.pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "title": "Đổi tên",
            "distributed_on": "30/01/2024",
            "item_description": "Quà Tết",
            "value_per_item_vnd": "500000",
        },
    )

    assert "A closed distribution cannot change." in text(page)
    assert response.status_code == 200
    assert "A closed distribution cannot change." in text(response)
    assert 'value="Đổi tên"' in text(response)
    assert "Đợt đã xong" in text(response)  # the heading: what is saved
    closed.refresh_from_db()
    assert closed.title == "Đợt đã xong"


def test_cadres_and_auditors_cannot_open_the_write_pages(
    client, cadre_user, auditor_user, distribution
):
    for user in (cadre_user, auditor_user):
        client.force_login(user)
        assert client.get(reverse("activities:distribution-create")).status_code == 403
        url = reverse("activities:distribution-update", args=[distribution.pk])
        assert client.post(url, {"title": "x"}).status_code == 403
    distribution.refresh_from_db()
    assert distribution.title == "Trao quà Tết 2024"


# --- The distribution's page and its funding ---------------------------------------------------


def test_the_page_shows_funding_to_staff_and_not_to_cadres(
    client, staff_user, cadre_user, partnership, distribution
):
    donation = DonationFactory(partnership=partnership, value_vnd=3_000_000)
    Allocation.objects.create(
        donation=donation,
        distribution=distribution,
        amount_vnd=1_000_000,
        allocated_on=datetime.date(2024, 1, 20),
    )
    ReceiptFactory(distribution=distribution, quantity=4, value_vnd=2_000_000)
    url = reverse("activities:distribution-detail", args=[distribution.pk])

    english(client).force_login(staff_user)
    staff_page = client.get(url)
    client.force_login(cadre_user)
    cadre_page = client.get(url)

    assert staff_page.context["funded_vnd"] == 1_000_000
    assert staff_page.context["unfunded_vnd"] == 1_000_000
    assert "Funded: 1.000.000 ₫ for receipts worth 2.000.000 ₫." in text(staff_page)
    # The donation offered keeps what it has left in its label.
    assert "2.000.000 ₫ left" in text(staff_page)
    assert cadre_page.status_code == 200
    assert "Funded:" not in text(cadre_page)
    assert staff_page.context["figures"].quantity == 4


def test_the_recipients_on_the_page_filter_by_confirmation_and_village(
    client, cadre_user, partnership, distribution
):
    village = VillageFactory(commune=partnership.commune)
    waiting = ReceiptFactory(distribution=distribution, household__village=village)
    ReceiptFactory(distribution=distribution, confirmed_at=timezone.now())
    client.force_login(cadre_user)
    url = reverse("activities:distribution-detail", args=[distribution.pk])

    unconfirmed = client.get(url, {"confirmed": "false"})
    in_village = client.get(url, {"village": village.pk})

    assert list(unconfirmed.context["page_obj"]) == [waiting]
    assert list(in_village.context["page_obj"]) == [waiting]
    # The totals stay those of the whole distribution.
    assert unconfirmed.context["figures"].receipts == 2


def test_the_sheet_of_one_village_lists_only_its_households(client, cadre_user, partnership):
    approved = DistributionFactory(partnership=partnership, status=APPROVED)
    village = VillageFactory(commune=partnership.commune)
    here = ReceiptFactory(distribution=approved, household__village=village)
    there = ReceiptFactory(distribution=approved)
    client.force_login(cadre_user)
    response = client.get(
        reverse("activities:distribution-sheet", args=[approved.pk]), {"village": village.pk}
    )
    html = text(response)
    assert here.short_code in html
    assert there.short_code not in html


def test_the_page_of_another_partnership_is_404(client, staff_user, cadre_user):
    elsewhere = DistributionFactory()
    url = reverse("activities:distribution-detail", args=[elsewhere.pk])
    for user in (staff_user, cadre_user):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_staff_fund_a_distribution_from_a_donation(client, staff_user, partnership, distribution):
    donation = DonationFactory(partnership=partnership, value_vnd=10_000_000)
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-allocate", args=[distribution.pk]),
        {"donation": donation.pk, "amount_vnd": "4.000.000", "note": "Đợt 1"},
    )
    assert response.status_code == 302
    allocation = Allocation.objects.get()
    assert (allocation.distribution, allocation.amount_vnd) == (distribution, 4_000_000)


def test_over_allocation_is_refused_with_the_services_message(
    client, staff_user, partnership, distribution
):
    donation = DonationFactory(partnership=partnership, value_vnd=10_000_000)
    Allocation.objects.create(
        donation=donation,
        distribution=distribution,
        amount_vnd=8_000_000,
        allocated_on=datetime.date(2024, 1, 20),
    )
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-allocate", args=[distribution.pk]),
        {"donation": donation.pk, "amount_vnd": "3000000"},
    )
    assert response.status_code == 200
    assert "This donation has only 2.000.000 ₫ left to allocate" in text(response)
    assert Allocation.objects.count() == 1


def test_a_spent_donation_is_not_offered(client, staff_user, partnership, distribution):
    spent = DonationFactory(partnership=partnership, value_vnd=1_000_000)
    Allocation.objects.create(
        donation=spent,
        distribution=distribution,
        amount_vnd=1_000_000,
        allocated_on=datetime.date(2024, 1, 20),
    )
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-allocate", args=[distribution.pk]),
        {"donation": spent.pk, "amount_vnd": "1"},
    )
    assert response.status_code == 200
    assert "donation" in response.context["allocation_form"].errors
    assert Allocation.objects.count() == 1


def test_staff_remove_an_allocation_of_an_open_distribution(
    client, staff_user, partnership, distribution
):
    allocation = Allocation.objects.create(
        donation=DonationFactory(partnership=partnership),
        distribution=distribution,
        amount_vnd=1_000_000,
        allocated_on=datetime.date(2024, 1, 20),
    )
    client.force_login(staff_user)
    url = reverse(
        "activities:distribution-allocation-remove", args=[distribution.pk, allocation.pk]
    )
    assert client.post(url).status_code == 302
    assert not Allocation.objects.exists()


# --- Recipients by criteria ----------------------------------------------------------------------


def test_the_preview_lists_who_would_be_added_and_who_is_skipped(
    client, staff_user, partnership, distribution
):
    village = VillageFactory(commune=partnership.commune, name="Pác Hợp")
    poor = [household_in(partnership, village=village, status=Status.POOR) for _ in range(3)]
    household_in(partnership, village=village, status=Status.NONE)
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


# --- Approve, sheet, confirm, close -------------------------------------------------------------


def test_staff_approve_a_funded_draft(client, staff_user, distribution):
    ReceiptFactory(distribution=distribution)
    AllocationFactory(
        distribution=distribution,
        donation__partnership=distribution.partnership,
        amount_vnd=distribution.value_per_item_vnd,
    )
    client.force_login(staff_user)
    client.post(reverse("activities:distribution-approve", args=[distribution.pk]))
    distribution.refresh_from_db()
    assert distribution.status == APPROVED


def test_approving_an_unfunded_draft_on_the_page_is_refused_and_says_why(
    client, staff_user, distribution
):
    for _ in range(5):
        ReceiptFactory(distribution=distribution)
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-approve", args=[distribution.pk]), follow=True
    )
    distribution.refresh_from_db()
    assert distribution.status == DRAFT
    assert (
        "The distribution cannot be approved: its receipts are worth 2.500.000 ₫ but its "
        "allocations only 0 ₫; 2.500.000 ₫ is not funded." in text(response)
    )


def test_approving_twice_is_refused_with_a_message(client, staff_user, partnership):
    approved = DistributionFactory(partnership=partnership, status=APPROVED)
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-approve", args=[approved.pk]), follow=True
    )
    assert "A distribution cannot go from Approved to Approved." in text(response)


def test_the_sheet_prints_a_line_with_qr_code_per_receipt(client, cadre_user, distribution):
    receipts = [ReceiptFactory(distribution=distribution) for _ in range(3)]
    client.force_login(cadre_user)
    response = client.get(reverse("activities:distribution-sheet", args=[distribution.pk]))
    html = text(response)
    assert response.status_code == 200
    assert distribution.short_code in html
    for receipt in receipts:
        assert receipt.short_code in html
        assert receipt.household.code in html
    assert html.count('src="data:image/svg+xml') == 3


def test_a_big_sheet_is_printed_page_by_page_with_the_same_queries(
    client, staff_user, distribution, django_assert_max_num_queries
):
    for _ in range(40):
        ReceiptFactory(distribution=distribution)
    client.force_login(staff_user)
    url = reverse("activities:distribution-sheet", args=[distribution.pk])
    with django_assert_max_num_queries(12):
        first = client.get(url)
    with django_assert_max_num_queries(12):
        last = client.get(url, {"page": 3})
    assert len(first.context["lines"]) == 15
    assert [line["number"] for line in last.context["lines"]] == list(range(31, 41))


@pytest.mark.parametrize(
    ("name", "bound"),
    [("activities:distribution-detail", 16), ("activities:distribution-confirm", 11)],
)
def test_the_distribution_pages_cost_the_same_queries_for_few_and_many_receipts(
    client, staff_user, distribution, django_assert_max_num_queries, name, bound
):
    distribution.status = APPROVED
    distribution.save()
    client.force_login(staff_user)
    url = reverse(name, args=[distribution.pk])
    for count in (2, 60):
        for _ in range(count):
            ReceiptFactory(distribution=distribution)
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert response.status_code == 200


def test_the_sheets_qr_code_opens_the_receipt_page(client, cadre_user, distribution):
    receipt = ReceiptFactory(distribution=distribution)
    client.force_login(cadre_user)
    page = client.get(reverse("activities:distribution-sheet", args=[distribution.pk]))
    qr_payload = page.context["lines"][0]["qr"]
    assert qr_payload.startswith("data:image/svg+xml")
    response = client.get(reverse("activities:receipt-detail", args=[receipt.short_code]))
    assert response.status_code == 200
    assert receipt.household.head_name in text(response)


def test_a_cadre_confirms_receipts_by_ticking_the_sheet(client, cadre_user, partnership):
    approved = DistributionFactory(partnership=partnership, status=APPROVED)
    ticked = [ReceiptFactory(distribution=approved) for _ in range(3)]
    left = ReceiptFactory(distribution=approved)
    english(client).force_login(cadre_user)

    response = client.post(
        reverse("activities:distribution-confirm", args=[approved.pk]),
        {"receipts": [r.pk for r in ticked]},
        follow=True,
    )

    assert "Receipts confirmed: 3; confirmed before by someone else: 0." in text(response)
    assert Receipt.objects.filter(confirmed_by=cadre_user).count() == 3
    left.refresh_from_db()
    assert left.confirmed_at is None
    # The page now lists only the one still waiting.
    assert list(response.context["page_obj"]) == [left]


def test_ticking_nothing_or_a_draft_confirms_nothing(client, cadre_user, distribution):
    receipt = ReceiptFactory(distribution=distribution)
    english(client).force_login(cadre_user)
    url = reverse("activities:distribution-confirm", args=[distribution.pk])

    nothing = client.post(url, {})
    draft = client.post(url, {"receipts": [receipt.pk]})

    assert "Tick at least one receipt." in text(nothing)
    assert "The distribution must be approved before receipts are confirmed." in text(draft)
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None


def test_staff_close_a_distribution_and_it_becomes_read_only(
    client, staff_user, partnership, distribution
):
    distribution.status = Distribution.Status.DISTRIBUTING
    distribution.save()
    receipt = ReceiptFactory(distribution=distribution)
    english(client).force_login(staff_user)

    page = text(client.get(reverse("activities:distribution-close", args=[distribution.pk])))
    assert "1 receipt is neither confirmed nor marked not delivered" in page
    assert receipt.household.code in page
    # Closing without saying why the receipt was not delivered is refused, on the page.
    kept = client.post(reverse("activities:distribution-close", args=[distribution.pk]))
    assert "1 receipt is neither confirmed nor marked not delivered" in text(kept)
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DISTRIBUTING
    client.post(
        reverse("activities:distribution-close", args=[distribution.pk]),
        {f"reason_{receipt.pk}": "not_home", f"note_{receipt.pk}": "Đi làm ăn xa"},
    )
    refused = client.post(
        reverse("activities:distribution-recipient-add", args=[distribution.pk]),
        {"household": household_in(partnership).pk, "quantity": "1"},
    )
    confirm = client.post(
        reverse("activities:distribution-confirm", args=[distribution.pk]),
        {"receipts": [receipt.pk]},
    )

    distribution.refresh_from_db()
    assert distribution.status == CLOSED
    assert "A closed distribution cannot change." in text(refused)
    assert "A closed distribution cannot change." in text(confirm)
    assert Receipt.objects.filter(distribution=distribution).count() == 1
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None
    assert receipt.not_delivered_reason == "not_home"
    assert receipt.not_delivered_note == "Đi làm ăn xa"
    page = text(client.get(reverse("activities:distribution-detail", args=[distribution.pk])))
    assert "This distribution is closed: it is read-only." in page
    assert "Not delivered: Not at home (Đi làm ăn xa)" in page
    assert reverse("activities:distribution-update", args=[distribution.pk]) not in page


# --- The receipt page ---------------------------------------------------------------------------


def test_a_cadre_opens_a_receipt_by_its_code_and_confirms_it(client, cadre_user, partnership):
    receipt = ReceiptFactory(distribution__partnership=partnership, distribution__status=APPROVED)
    english(client).force_login(cadre_user)
    # Typed in lower case, as someone might read it over the phone.
    page = client.get(f"/r/{receipt.short_code.lower()}/")
    response = client.post(
        reverse("activities:receipt-confirm", args=[receipt.short_code]), follow=True
    )

    assert page.status_code == 200
    assert "Confirm: the household received its items" in text(page)
    assert "The receipt was confirmed." in text(response)
    receipt.refresh_from_db()
    assert receipt.confirmed_by == cadre_user


def test_an_auditor_reads_a_receipt_without_the_buttons(client, auditor_user, partnership):
    receipt = ReceiptFactory(distribution__partnership=partnership, distribution__status=APPROVED)
    english(client).force_login(auditor_user)
    response = client.get(reverse("activities:receipt-detail", args=[receipt.short_code]))
    assert response.status_code == 200
    assert "Confirm: the household received its items" not in text(response)
    assert client.post(
        reverse("activities:receipt-confirm", args=[receipt.short_code])
    ).status_code == (403)


def test_a_receipt_of_another_commune_is_404(client, cadre_user):
    receipt = ReceiptFactory()
    client.force_login(cadre_user)
    assert (
        client.get(reverse("activities:receipt-detail", args=[receipt.short_code])).status_code
        == 404
    )


def test_a_signature_photo_is_uploaded(client, cadre_user, partnership):
    receipt = ReceiptFactory(distribution__partnership=partnership, distribution__status=APPROVED)
    client.force_login(cadre_user)
    response = client.post(
        reverse("activities:receipt-signature", args=[receipt.short_code]),
        {"signature": png_upload()},
    )
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.signature.name.startswith("signatures/")


def test_a_fake_image_is_refused_as_signature(client, cadre_user, partnership):
    receipt = ReceiptFactory(distribution__partnership=partnership, distribution__status=APPROVED)
    client.force_login(cadre_user)
    fake = SimpleUploadedFile("chu-ky.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(
        reverse("activities:receipt-signature", args=[receipt.short_code]), {"signature": fake}
    )
    assert response.status_code == 200
    assert "signature" in response.context["signature_form"].errors
    receipt.refresh_from_db()
    assert not receipt.signature


# --- Verification rounds --------------------------------------------------------------------------


def test_staff_start_a_round_and_cadres_record_the_visits(
    client, staff_user, cadre_user, partnership
):
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    for _ in range(4):
        ReceiptFactory(distribution=closed, confirmed_at=timezone.now())
    english(client).force_login(staff_user)

    started = client.post(
        reverse("activities:verification-round-create", args=[closed.pk]),
        {"sample_percent": "50"},
    )
    verification_round = VerificationRound.objects.get()
    assert started.status_code == 302
    assert verification_round.verifications.count() == 2

    client.force_login(cadre_user)
    first, second = verification_round.verifications.order_by("pk")
    client.post(reverse("activities:verification-record", args=[first.pk]), {"outcome": "received"})
    refused = client.post(
        reverse("activities:verification-record", args=[second.pk]), {"outcome": "problem"}
    )
    assert refused.status_code == 200
    assert "Describe what the household told you." in text(refused)
    second.refresh_from_db()
    assert second.outcome == Verification.Outcome.PENDING

    round_page = client.get(
        reverse("activities:verification-round-detail", args=[verification_round.pk])
    )
    assert (round_page.context["round"].checked, round_page.context["round"].received) == (1, 1)
    assert round_page.context["round"].checked_percent == 50
    detail = text(client.get(reverse("activities:distribution-detail", args=[closed.pk])))
    assert "1/2 (50%)" in detail  # checked / sampled
    assert "1/1 (100%)" in detail  # received / checked


def test_a_round_on_an_open_distribution_is_refused(client, staff_user, partnership):
    open_ = DistributionFactory(partnership=partnership, status=APPROVED)
    ReceiptFactory(distribution=open_, confirmed_at=timezone.now())
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:verification-round-create", args=[open_.pk]),
        {"sample_percent": "100"},
    )
    assert response.status_code == 200
    assert "Receipts are checked once the distribution is closed." in text(response)
    assert not VerificationRound.objects.exists()


def test_a_visit_outside_the_cadres_commune_is_404(client, cadre_user):
    verification = VerificationFactory()
    client.force_login(cadre_user)
    url = reverse("activities:verification-record", args=[verification.pk])
    assert client.post(url, {"outcome": "received"}).status_code == 404
    verification.refresh_from_db()
    assert verification.outcome == Verification.Outcome.PENDING


# --- The pages keep to the Content-Security-Policy ----------------------------------------------


def test_no_page_carries_inline_styles_or_scripts(client, staff_user, partnership, distribution):
    receipt = ReceiptFactory(distribution=distribution)
    closed = DistributionFactory(partnership=partnership, status=CLOSED)
    verification = VerificationFactory(
        round__distribution=closed,
        receipt=ReceiptFactory(distribution=closed, confirmed_at=timezone.now()),
    )
    DonationFactory(partnership=partnership)
    client.force_login(staff_user)
    pk = distribution.pk
    urls = [
        reverse("activities:distribution-list"),
        reverse("activities:distribution-create"),
        reverse("activities:distribution-detail", args=[pk]),
        reverse("activities:distribution-update", args=[pk]),
        reverse("activities:distribution-recipients", args=[pk]),
        reverse("activities:distribution-recipients", args=[pk]) + "?preview=1&quantity=1",
        reverse("activities:distribution-recipient-add", args=[pk]) + "?q=a",
        reverse("activities:distribution-sheet", args=[pk]),
        reverse("activities:distribution-confirm", args=[pk]),
        reverse("activities:receipt-detail", args=[receipt.short_code]),
        reverse("activities:verification-round-create", args=[closed.pk]),
        reverse("activities:verification-round-detail", args=[verification.round_id]),
        reverse("activities:verification-record", args=[verification.pk]),
    ]
    for url in urls:
        response = client.get(url)
        html = text(response)
        assert response.status_code == 200, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), url
