"""Confirming a ticked sheet of receipts, and the signature photo of a receipt."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from activities.models import Distribution, Receipt
from activities.services import receipt_signature_attach, receipts_confirm
from tests.activities.distribution_services.helpers import APPROVED, CLOSED, png_upload
from tests.factories import DistributionFactory, ReceiptFactory

pytestmark = pytest.mark.django_db


# --- Confirming the ticked sheet ---------------------------------------------------------------


def test_ticked_receipts_are_confirmed_and_those_confirmed_before_are_counted(
    cadre_user, partnership
):
    distribution = DistributionFactory(partnership=partnership, status=APPROVED)
    before = ReceiptFactory(distribution=distribution, confirmed_at=timezone.now())
    fresh = [ReceiptFactory(distribution=distribution) for _ in range(3)]

    result = receipts_confirm(
        actor=cadre_user,
        distribution=distribution,
        receipt_ids=[before.pk, *(r.pk for r in fresh)],
    )

    assert (result.confirmed, result.already) == (3, 1)
    for receipt in fresh:
        receipt.refresh_from_db()
        assert receipt.confirmed_by == cadre_user
        assert receipt.confirmed_at is not None
    before.refresh_from_db()
    assert before.confirmed_by is None  # untouched
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DISTRIBUTING


def test_ticking_only_confirmed_receipts_changes_nothing(cadre_user, partnership):
    distribution = DistributionFactory(
        partnership=partnership, status=Distribution.Status.DISTRIBUTING
    )
    receipts = [
        ReceiptFactory(distribution=distribution, confirmed_at=timezone.now()) for _ in range(2)
    ]
    result = receipts_confirm(
        actor=cadre_user, distribution=distribution, receipt_ids=[r.pk for r in receipts]
    )
    assert (result.confirmed, result.already) == (0, 2)
    assert not Receipt.history.filter(history_type="~").exists()


def test_confirming_a_sheet_is_recorded_in_the_history_by_its_author(cadre_user, partnership):
    distribution = DistributionFactory(partnership=partnership, status=APPROVED)
    receipt = ReceiptFactory(distribution=distribution)
    receipts_confirm(actor=cadre_user, distribution=distribution, receipt_ids=[receipt.pk])
    change = Receipt.history.get(id=receipt.pk, history_type="~")
    assert change.history_user == cadre_user
    assert change.confirmed_by_id == cadre_user.pk


@pytest.mark.parametrize("status", [Distribution.Status.DRAFT, CLOSED])
def test_confirming_a_sheet_of_a_draft_or_closed_distribution_is_refused(
    cadre_user, status, partnership
):
    distribution = DistributionFactory(partnership=partnership, status=status)
    receipt = ReceiptFactory(distribution=distribution)
    refusal = {
        Distribution.Status.DRAFT: "must be approved before receipts are confirmed",
        CLOSED: "closed distribution cannot change",
    }[status]
    with pytest.raises(ValidationError, match=refusal):
        receipts_confirm(actor=cadre_user, distribution=distribution, receipt_ids=[receipt.pk])
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None


def test_receipts_of_another_distribution_are_refused_and_nothing_is_confirmed(
    cadre_user, partnership
):
    distribution = DistributionFactory(partnership=partnership, status=APPROVED)
    mine = ReceiptFactory(distribution=distribution)
    other = ReceiptFactory(
        distribution=DistributionFactory(partnership=partnership, status=APPROVED)
    )
    with pytest.raises(ValidationError, match="ticked receipts are not on this distribution"):
        receipts_confirm(
            actor=cadre_user, distribution=distribution, receipt_ids=[mine.pk, other.pk]
        )
    assert not Receipt.objects.filter(confirmed_at__isnull=False).exists()


def test_confirming_nothing_is_refused(cadre_user, partnership):
    distribution = DistributionFactory(partnership=partnership, status=APPROVED)
    with pytest.raises(ValidationError, match="Tick at least one receipt"):
        receipts_confirm(actor=cadre_user, distribution=distribution, receipt_ids=[])
    distribution.refresh_from_db()
    assert distribution.status == APPROVED


# --- Signature photos ----------------------------------------------------------------------------


def test_a_signature_photo_is_kept_on_the_receipt(cadre_user, partnership):
    receipt = ReceiptFactory(distribution__partnership=partnership, distribution__status=APPROVED)
    receipt_signature_attach(actor=cadre_user, receipt=receipt, image=png_upload())
    receipt.refresh_from_db()
    assert receipt.signature.name.startswith("signatures/")
    with receipt.signature.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (40, 20)


def test_a_file_that_is_not_an_image_is_refused_as_signature(cadre_user, partnership):
    receipt = ReceiptFactory(distribution__partnership=partnership, distribution__status=APPROVED)
    fake = SimpleUploadedFile("chu-ky.png", b"<script>alert(1)</script>", "image/png")
    with pytest.raises(ValidationError, match=r"“chu-ky\.png” is not a photo"):
        receipt_signature_attach(actor=cadre_user, receipt=receipt, image=fake)
    receipt.refresh_from_db()
    assert not receipt.signature


def test_a_signature_photo_over_the_size_limit_is_refused(cadre_user, settings, partnership):
    settings.PHOTO_MAX_BYTES = 50
    receipt = ReceiptFactory(distribution__partnership=partnership, distribution__status=APPROVED)
    with pytest.raises(ValidationError, match=r"“chu-ky\.png” is larger than") as refused:
        receipt_signature_attach(actor=cadre_user, receipt=receipt, image=png_upload())
    assert "signature" in refused.value.message_dict
    receipt.refresh_from_db()
    assert not receipt.signature


def test_a_signature_on_a_closed_distribution_is_refused(cadre_user, partnership):
    receipt = ReceiptFactory(distribution__partnership=partnership, distribution__status=CLOSED)
    with pytest.raises(ValidationError, match="closed distribution cannot change"):
        receipt_signature_attach(actor=cadre_user, receipt=receipt, image=png_upload())
    receipt.refresh_from_db()
    assert not receipt.signature
