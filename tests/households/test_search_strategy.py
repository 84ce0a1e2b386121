"""The registry and the household export search the same way: they find the same households."""

import pytest
from django.http import QueryDict

from households import filters as household_filters
from households import selectors
from reports import exports
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(partnership):
    village = f.VillageFactory(commune=partnership.commune, name="Pác Hợp")
    f.HouseholdFactory(village=village, code="IN-1", head_name="Ma Đình Liệu")
    f.HouseholdFactory(village=village, code="IN-2", head_name="Ma Đình Tư")
    f.HouseholdFactory(village=village, code="IN-3", head_name="Lý Văn Tư")
    # Another commune: out of the staff's and the cadre's scope.
    f.HouseholdFactory(code="OUT-1", head_name="Ma Đình Liệu")


def _registry(user, term: str) -> set[str]:
    query = QueryDict(mutable=True)
    query["q"] = term
    filterset = selectors.household_list(user=user, filters=query)
    return set(filterset.qs.values_list("code", flat=True))


def _export(user, term: str) -> set[str]:
    export = exports.list_export(kind="households", user=user, filters=exports.Filters(q=term))
    return {row[0] for row in export.rows}


@pytest.mark.parametrize(
    ("term", "expected"),
    [("ma dinh lieu", {"IN-1"}), ("ma dinh", {"IN-1", "IN-2"}), ("van tu", {"IN-3"})],
)
@pytest.mark.parametrize("role", ["staff_user", "cadre_user"])
def test_registry_and_export_find_the_same_households_in_scope_only(
    request, households, role, term, expected
):
    user = request.getfixturevalue(role)
    assert _registry(user, term) == _export(user, term) == expected


def test_an_administrator_finds_the_same_households_in_every_commune(admin_user, households):
    assert _registry(admin_user, "ma dinh lieu") == _export(admin_user, "ma dinh lieu")
    assert _export(admin_user, "ma dinh lieu") == {"IN-1", "OUT-1"}


@pytest.mark.parametrize("communes_first", [0, 20])
def test_every_strategy_gives_the_same_households(
    staff_user, households, monkeypatch, communes_first
):
    # Communes first (staff of a few communes) or the province's index, rare or common term.
    monkeypatch.setattr(household_filters, "SEARCH_COMMUNES_FIRST", communes_first)
    monkeypatch.setattr(household_filters, "SEARCH_RARE_LIMIT", 1)
    assert _registry(staff_user, "ma dinh") == _export(staff_user, "ma dinh") == {"IN-1", "IN-2"}
