"""The import's bulk writes (households.imports.writing) store what ``bulk_create`` stores, and
its history rows are those simple-history writes (on PostgreSQL the rows go through the
import's own insert, elsewhere through ``bulk_create``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from households.imports.writing import history_copy, rows_create
from households.models import Household, Member
from tests.factories import PartnershipFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

# Columns that differ between two copies of the same rows: their ids and times, the commune.
_OWN = {"id", "commune_id", "village_id", "household_id", "created_at", "updated_at"}
_OWN_MEMBER = _OWN | {"national_id"}


def _households(village, user) -> list[Household]:
    common = {"commune_id": village.commune_id, "village": village, "created_by": user}
    return [
        # Values that vary from row to row, and some the same on every row.
        Household(code="A-1", head_name="Ma Đình Liệu", phone="0912345678", **common),
        Household(
            code="A-2",
            head_name="Hoàng Thị Nga",
            address="Số 2",
            housing_condition=Household.Housing.DILAPIDATED,
            notes='Dấu "ngoặc" và \\ gạch, {ngoặc nhọn}, NULL',
            search_text="a-2 hoang thi nga",
            **common,
        ),
        Household(code="A-3", head_name="", archived=True, **common),
    ]


def _members(households, national_id) -> list[Member]:
    """A head for each household, and a child of the last one."""

    def household(index: int) -> Household:
        return households[min(index, len(households) - 1)]

    return [
        Member(
            household=household(0),
            full_name="Ma Đình Liệu",
            relation="head",
            sex="male",
            birth_year=1968,
            national_id=national_id,
            has_disability=True,
        ),
        Member(
            household=household(1),
            full_name="Nga",
            relation="head",
            sex="female",
            birth_year=1970,
            phone="0987654321",
        ),
        Member(
            household=household(2),
            full_name="Con",
            relation="child",
            sex="male",
            birth_year=2001,
            ethnicity=Member.Ethnicity.KINH,
        ),
    ]


def _stored(model, objs, own=_OWN) -> list[dict]:
    rows = model.objects.filter(pk__in=[obj.pk for obj in objs]).order_by("pk").values()
    return [{k: v for k, v in row.items() if k not in own} for row in rows]


@pytest.mark.parametrize("count", [1, 3])
def test_rows_written_are_those_bulk_create_writes(count):
    user = UserFactory()
    ours, django = PartnershipFactory().commune, PartnershipFactory().commune
    now = timezone.now()
    written = _households(VillageFactory(commune=ours), user)[:count]
    rows_create(Household, written, now=now)
    expected = _households(VillageFactory(commune=django), user)[:count]
    Household.objects.bulk_create(expected)
    assert all(h.pk and not h._state.adding and h._state.db == "default" for h in written)
    assert written[0].phone == "84912345678"  # pre_save's value, on the instance too
    assert _stored(Household, written) == _stored(Household, expected)
    members = _members(written, "008068001234")[:count]
    rows_create(Member, members, now=now)
    others = _members(expected, "008068001235")[:count]
    Member.objects.bulk_create(others)
    assert _stored(Member, members, _OWN_MEMBER) == _stored(Member, others, _OWN_MEMBER)
    assert members[0].national_id == "008068001234"
    assert [m.household_id for m in members] == [h.pk for h in written]
    if connection.vendor == "postgresql":
        # One time for the rows written together (that of their history).
        stored = Household.objects.filter(pk__in=[h.pk for h in written])
        assert set(stored.values_list("created_at", "updated_at")) == {(now, now)}


def test_history_copied_is_the_history_simple_history_writes():
    user = UserFactory()
    now = timezone.now()
    ours = _households(VillageFactory(commune=PartnershipFactory().commune), user)
    rows_create(Household, ours, now=now)
    with CaptureQueriesContext(connection) as copying:
        history_copy(Household, [h.pk for h in ours], history_type="+", user=user, date=now)
    assert len(copying) == 1
    theirs = _households(VillageFactory(commune=PartnershipFactory().commune), user)
    bulk_create_with_history(theirs, Household, default_user=user, default_date=now)

    def history(households):
        found = Household.history.filter(id__in=[h.pk for h in households]).order_by("id")
        return [
            {k: v for k, v in row.items() if k not in _OWN | {"history_id"}}
            for row in found.values()
        ]

    assert history(ours) == history(theirs)
    assert [row["history_user_id"] for row in history(ours)] == [user.pk] * 3
    copied = Household.history.filter(id__in=[h.pk for h in ours]).order_by("id")
    assert [h.history_date for h in copied] == [now] * 3
    assert [(h.id, h.created_at) for h in copied] == [
        (h.pk, h.created_at) for h in Household.objects.filter(pk__in=[h.pk for h in ours])
    ]
