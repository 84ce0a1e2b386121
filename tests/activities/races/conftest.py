"""Fixtures of the race tests: the commune of an import, a staff member's client that answers
errors as pages, the lock timeout of the threads' connections."""

import pytest
from django.db import connection
from django.test import Client

from tests.factories import PartnershipFactory, VillageFactory


@pytest.fixture
def import_commune():
    partnership = PartnershipFactory()
    for name in ("Pác Hợp", "Lũng Lừa"):
        VillageFactory(commune=partnership.commune, name=name)
    return partnership.commune


@pytest.fixture
def staff_client(staff_user):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    return client


@pytest.fixture(params=[None, "20ms"], ids=["as-configured", "short-lock-timeout"])
def lock_timeout(request):
    """Give the connections the threads open a lock timeout (None: as configured)."""
    options = connection.settings_dict.setdefault("OPTIONS", {})
    saved = options.get("options")
    if request.param:
        options["options"] = f"-c lock_timeout={request.param}"
    yield request.param
    if saved is None:
        options.pop("options", None)
    else:
        options["options"] = saved
