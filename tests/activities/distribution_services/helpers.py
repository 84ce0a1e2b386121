"""Helpers of the distribution service tests: the statuses, a household of the partnership's
commune, a signature photo, confirmed receipts."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from activities.models import Distribution
from tests.factories import HouseholdFactory, ReceiptFactory

APPROVED = Distribution.Status.APPROVED
CLOSED = Distribution.Status.CLOSED


def household_in(partnership, **kwargs):
    return HouseholdFactory(village__commune=partnership.commune, **kwargs)


def png_upload(name="chu-ky.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def confirmed_receipts(distribution, count):
    return [
        ReceiptFactory(distribution=distribution, confirmed_at=timezone.now()) for _ in range(count)
    ]
