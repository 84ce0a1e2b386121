"""The client of the admin tests."""

import pytest


@pytest.fixture
def staff_client(client, admin_user):
    """A client logged in as an administrator who switched the admin to English (source text)."""
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"  # as the language switch sets it
    return client
