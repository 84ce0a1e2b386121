"""The receipt pages (opened from the sheet's QR codes) and the verification rounds through the
client: each role that owns a page, 404 outside the scope, the happy path and the bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import Distribution, Receipt, Verification, VerificationRound
from tests.activities.pages import english, png_upload, text
from tests.factories import (
    DistributionFactory,
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


# --- The sign-off sheet and confirmation --------------------------------------------------------


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
    with django_assert_max_num_queries(12) as first_queries:
        first = client.get(url)
    with django_assert_max_num_queries(12) as last_queries:
        last = client.get(url, {"page": 3})
    assert len(last_queries) == len(first_queries)
    assert len(first.context["lines"]) == 15
    assert [line["number"] for line in last.context["lines"]] == list(range(31, 41))


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
