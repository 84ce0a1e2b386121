"""A village of the partnership's commune and a household in it, for the household page tests."""

import pytest

from tests import factories as f


@pytest.fixture
def village(partnership):
    return f.VillageFactory(commune=partnership.commune, name="Pác Hợp")


@pytest.fixture
def household(village):
    return f.HouseholdFactory(village=village, code="LP-0101", head_name="Ma Đình Liệu")
