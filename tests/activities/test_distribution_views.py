"""The distribution pages through the client: each role that owns a page, 404 outside the scope,
the happy path and the bad input (nothing changes)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Allocation, Distribution, Receipt
from tests.activities.pages import english, household_in, text
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DistributionFactory,
    DonationFactory,
    PartnershipFactory,
    ReceiptFactory,
    VerificationFactory,
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
    assert "2.000.000\u00a0₫" in text(response)


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
    with django_assert_max_num_queries(bound) as queries:
        response = client.get(reverse("activities:distribution-list"))
    assert response.status_code == 200
    return response, len(queries)


def test_the_list_costs_the_same_queries_for_few_and_many_rows(
    client, staff_user, partnership, django_assert_max_num_queries
):
    client.force_login(staff_user)
    for _ in range(2):
        ReceiptFactory(distribution=DistributionFactory(partnership=partnership))
    few, few_queries = _list_queries(client, django_assert_max_num_queries, 10)
    for _ in range(30):
        distribution = DistributionFactory(partnership=partnership)
        ReceiptFactory(distribution=distribution)
        ReceiptFactory(distribution=distribution, confirmed_at=timezone.now())
    many, many_queries = _list_queries(client, django_assert_max_num_queries, 10)
    assert len(few.context["page_obj"]) == 2
    assert len(many.context["page_obj"]) == 25
    assert many_queries == few_queries


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
    assert "Funded: 1.000.000\u00a0₫ for receipts worth 2.000.000\u00a0₫." in text(staff_page)
    # The donation offered keeps what it has left in its label.
    assert "2.000.000\u00a0₫ left" in text(staff_page)
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
    assert "This donation has only 2.000.000\u00a0₫ left to allocate" in text(response)
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
        "The distribution cannot be approved: its receipts are worth 2.500.000\u00a0₫ but its "
        "allocations only 0\u00a0₫; 2.500.000\u00a0₫ is not funded." in text(response)
    )


def test_approving_twice_is_refused_with_a_message(client, staff_user, partnership):
    approved = DistributionFactory(partnership=partnership, status=APPROVED)
    english(client).force_login(staff_user)
    response = client.post(
        reverse("activities:distribution-approve", args=[approved.pk]), follow=True
    )
    assert "A distribution cannot go from Approved to Approved." in text(response)


@pytest.mark.parametrize(
    ("name", "bound"),
    # The detail's 17th: the channel's panel of the families' notices (one query of counts).
    [("activities:distribution-detail", 17), ("activities:distribution-confirm", 11)],
)
def test_the_distribution_pages_cost_the_same_queries_for_few_and_many_receipts(
    client, staff_user, distribution, django_assert_max_num_queries, name, bound
):
    distribution.status = APPROVED
    distribution.save()
    client.force_login(staff_user)
    url = reverse(name, args=[distribution.pk])
    queries = []
    for count in (2, 60):
        for _ in range(count):
            ReceiptFactory(distribution=distribution)
        with django_assert_max_num_queries(bound) as captured:
            response = client.get(url)
        assert response.status_code == 200
        queries.append(len(captured))
    few, many = queries
    assert many == few


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
