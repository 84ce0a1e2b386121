import pytest

from tests.factories import VillageFactory


@pytest.fixture
def villages(partnership):
    """Two villages of the partnership's commune, with their real names."""
    return [
        VillageFactory(commune=partnership.commune, name="Pác Hợp"),
        VillageFactory(commune=partnership.commune, name="Lũng Lừa"),
    ]
