"""Helpers of the distribution, receipt and verification page tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import HouseholdFactory


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
