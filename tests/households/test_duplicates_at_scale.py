"""The duplicate warning looks at every household of the village that could match, however many
the village holds: the database hands over those whose folded search text holds the typed head's
family or given name, in one query; there is no cap past which it stops looking."""

import pytest

from households import selectors
from households.models import Household
from households.search import household_search_text
from tests import factories as f

pytestmark = pytest.mark.django_db

# More than the 5,000 households the warning used to stop at.
VILLAGE_SIZE = 5_200


def _fill(village, names) -> None:
    rows = []
    for number, name in enumerate(names):
        household = Household(
            commune=village.commune, village=village, code=f"BK-{number:05d}", head_name=name
        )
        household.search_text = household_search_text(household, [name])
        rows.append(household)
    Household.objects.bulk_create(rows, batch_size=1_000)


@pytest.fixture
def big_village(partnership):
    village = f.VillageFactory(commune=partnership.commune)
    # Every head shares the family name: all of them could match "Ma …".
    _fill(village, [f"Ma Văn Người{number}" for number in range(VILLAGE_SIZE)])
    return village


def test_a_near_duplicate_past_the_old_cap_is_found(staff_user, big_village):
    late = f.HouseholdFactory(village=big_village, head_name="Ma Đình Liệu")
    assert Household.objects.filter(village=big_village, pk__lt=late.pk).count() >= VILLAGE_SIZE

    found = selectors.duplicate_candidates(
        user=staff_user, village=big_village, head_name="Ma Dinh Lieuu"
    )

    assert found == [late]


def test_the_village_is_searched_with_one_query_however_big(
    staff_user, big_village, django_assert_num_queries
):
    f.HouseholdFactory(village=big_village, head_name="Hoàng Thị Duyên")
    selectors.duplicate_candidates(user=staff_user, village=big_village, head_name="x")  # scope
    with django_assert_num_queries(1):
        found = selectors.duplicate_candidates(
            user=staff_user, village=big_village, head_name="Hoàng Thị Duyen"
        )
    assert [household.head_name for household in found] == ["Hoàng Thị Duyên"]


def test_only_households_sharing_a_name_are_read(staff_user, big_village, monkeypatch):
    """The heads of "Ma Văn Người…" share neither "hoang" nor "duyen": none is compared."""
    compared = []
    original = selectors.fold

    def counting(text):
        compared.append(text)
        return original(text)

    f.HouseholdFactory(village=big_village, head_name="Hoàng Thị Duyên")
    monkeypatch.setattr(selectors, "fold", counting)
    selectors.duplicate_candidates(
        user=staff_user, village=big_village, head_name="Hoàng Thị Duyen"
    )
    # The typed name, then the one household that could match.
    assert len(compared) == 2
