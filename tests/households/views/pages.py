"""Helpers of the household page tests (names kept from tests/households/test_views.py, which
the modules here were split from)."""

NATIONAL_ID = "008123456789"


def _english(client):
    client.cookies["django_language"] = "en"
