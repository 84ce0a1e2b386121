"""The distribution service tests read the services' messages in English, and share a draft
distribution of 500.000 ₫ a share."""

import pytest
from django.utils import translation

from tests.factories import DistributionFactory


@pytest.fixture(autouse=True)
def _english():
    """Some tests read the services' messages: read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def distribution(partnership):
    return DistributionFactory(partnership=partnership, value_per_item_vnd=500_000)
