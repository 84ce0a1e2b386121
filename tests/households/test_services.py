import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from households.models import Household, Member, ReviewCampaign
from households.services import (
    campaign_open,
    household_archive,
    household_create,
    household_update,
    member_add,
    member_update,
)
from tests.factories import HouseholdFactory, MemberFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_household_is_created_in_the_commune_of_its_village(staff_user, partnership):
    village = VillageFactory(name="Lũng Lừa", commune=partnership.commune)
    household = household_create(
        actor=staff_user, village=village, code="LP-0001", head_name="  Ma   Đình Liệu "
    )
    assert household.commune == village.commune
    assert household.head_name == "Ma Đình Liệu"
    assert household.created_by == staff_user
    assert household.search_text == "lp-0001 ma dinh lieu"


def test_duplicate_household_code_in_a_commune_is_refused_and_nothing_changes():
    existing = HouseholdFactory(code="LP-0001")
    other_village = VillageFactory(commune=existing.commune)
    with pytest.raises(ValidationError, match="Xã này đã có hộ mang mã này") as err:
        household_create(actor=None, village=other_village, code="LP-0001", head_name="Lý Văn A")
    assert "Xã này đã có hộ mang mã này." in str(err.value)
    assert Household.objects.count() == 1


def test_same_code_in_another_commune_is_allowed():
    HouseholdFactory(code="HH-1")
    household_create(actor=None, village=VillageFactory(), code="HH-1", head_name="Bàn Thị Mai")
    assert Household.objects.filter(code="HH-1").count() == 2


def test_duplicate_code_is_refused_by_the_database_too():
    existing = HouseholdFactory(code="LP-0002")
    # SQLite names the columns, PostgreSQL the constraint.
    duplicate = (
        r"households_household\.commune_id, households_household\.code"
        "|household_code_unique_in_commune"
    )
    with pytest.raises(IntegrityError, match=duplicate), transaction.atomic():
        HouseholdFactory(code="LP-0002", village=existing.village)


def test_household_cannot_move_to_a_village_of_another_commune():
    household = HouseholdFactory()
    village_id = household.village_id
    with pytest.raises(ValidationError, match="Thôn, bản không thuộc xã của hộ này"):
        household_update(actor=None, household=household, village=VillageFactory())
    household.refresh_from_db()
    assert household.village_id == village_id


@pytest.mark.parametrize(
    ("field", "value"),
    [("poverty", "near_poor"), ("policy_family", True), ("in_difficulty", True)],
)
def test_the_three_facts_cannot_be_set_through_an_update(field, value):
    household = HouseholdFactory(poverty="poor")
    with pytest.raises(ValidationError, match=f"Không thể sửa các trường này ở đây: {field}"):
        household_update(actor=None, household=household, **{field: value})
    household.refresh_from_db()
    assert (household.poverty, household.policy_family, household.in_difficulty) == (
        "poor",
        False,
        False,
    )


def test_member_names_are_searchable_without_diacritics():
    household = HouseholdFactory(head_name="Hoàng Văn Đức")
    member_add(
        actor=None,
        household=household,
        full_name="Nông Thị Thương",
        sex=Member.Sex.FEMALE,
        birth_year=1990,
        relation=Member.Relation.SPOUSE,
    )
    household.refresh_from_db()
    assert "nong thi thuong" in household.search_text
    assert Household.objects.filter(search_text__contains="hoang van duc").exists()


def test_member_rename_updates_search_text():
    member = MemberFactory(full_name="Lý Thị Hoa")
    member_update(actor=None, member=member, full_name="Lý Thị Huệ")
    member.household.refresh_from_db()
    assert "ly thi hue" in member.household.search_text
    assert "ly thi hoa" not in member.household.search_text


@pytest.mark.parametrize("bad_id", ["12345", "abcdefghijkl", "0012345678901"])
def test_malformed_national_id_is_refused(bad_id):
    household = HouseholdFactory()
    with pytest.raises(ValidationError, match="Số định danh cá nhân gồm 12 chữ số") as err:
        member_add(
            actor=None,
            household=household,
            full_name="Triệu Văn Sơn",
            sex=Member.Sex.MALE,
            birth_year=1975,
            relation=Member.Relation.HEAD,
            national_id=bad_id,
        )
    assert "national_id" in err.value.message_dict
    assert Member.objects.count() == 0


def test_national_id_is_unique_and_masked():
    MemberFactory(national_id="008123456789")
    with pytest.raises(ValidationError, match="Số định danh này đã thuộc về người khác"):
        member_add(
            actor=None,
            household=HouseholdFactory(),
            full_name="Bàn Văn Lợi",
            sex=Member.Sex.MALE,
            birth_year=1980,
            relation=Member.Relation.HEAD,
            national_id="008123456789",
        )
    assert Member.objects.get().masked_national_id == "•••••••••789"


def test_second_head_is_refused():
    head = MemberFactory(relation=Member.Relation.HEAD)
    with pytest.raises(ValidationError, match="Hộ này đã có chủ hộ"):
        member_add(
            actor=None,
            household=head.household,
            full_name="Ma Văn B",
            sex=Member.Sex.MALE,
            birth_year=1970,
            relation=Member.Relation.HEAD,
        )
    assert head.household.members.count() == 1


def test_archived_household_keeps_its_history_and_cannot_be_reviewed():
    household = HouseholdFactory()
    household_archive(actor=None, household=household)
    household.refresh_from_db()
    assert household.archived
    assert household.archived_at is not None
    with pytest.raises(ValidationError, match="Không thể rà soát hộ đã lưu trữ"):
        campaign_open(
            actor=None,
            commune=household.commune,
            year=2024,
            opened_on=datetime.date(2024, 3, 1),
            kind=ReviewCampaign.Kind.ADHOC,
            household=household,
            reason="x",
        )
    assert not ReviewCampaign.objects.exists()
    assert not household.reviews.exists()
    household_archive(actor=None, household=household, archived=False)
    household.refresh_from_db()
    assert not household.archived
    assert household.archived_at is None
