"""load_admin_units: the country's official units before and after the 2025 reform, by code."""

import dataclasses
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from households.models import Household
from outreach.models import (
    CodeList,
    Commune,
    District,
    Province,
    RoleAssignment,
    UnitKind,
    Village,
)
from outreach.scope import _MERGE_DEPTH, communes_for, scoped
from outreach.services import role_assign, unit_merge
from outreach.units import (
    admin_units_load,
    forget_addresses,
    province_code_for,
    read_source,
    successors_named_in,
    villages_carry_on,
)
from outreach.units import load as load_module
from outreach.units.source import split_kind
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    PartnershipFactory,
    ProvinceFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

OLD, NEW = CodeList.BEFORE_2025, CodeList.FROM_2025
LAST_DAY, FIRST_DAY = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)
Role = RoleAssignment.Role


@pytest.fixture(autouse=True)
def _fresh_address_cache():
    forget_addresses()
    yield
    forget_addresses()


def old(model, code):
    return model.objects.get(code_list=OLD, code=code)


def new(model, code):
    return model.objects.get(code_list=NEW, code=code)


def tuyen_quang_counts():
    """What the data gives for today's Tuyên Quang (08) and the old Hà Giang and Tuyên Quang."""
    source = read_source()
    olds = {"02", "08"}
    return {
        "new_communes": sum(1 for c in source.new.communes.values() if c.province == "08"),
        "old_districts": sum(1 for d in source.old.districts.values() if d.province in olds),
        "old_communes": sum(1 for c in source.old.communes.values() if c.province in olds),
    }


@pytest.mark.slow
def test_whole_country_loads_every_unit_and_a_second_run_changes_nothing(
    django_assert_num_queries,
):
    report = admin_units_load()

    assert [(c.level, c.code_list, c.created, c.updated) for c in report.counts] == [
        ("province", NEW, 34, 0),
        ("province", OLD, 63, 0),
        ("district", OLD, 696, 0),
        ("commune", NEW, 3321, 0),
        ("commune", OLD, 10035, 0),
    ]
    assert Province.objects.filter(code_list=NEW, valid_until__isnull=True).count() == 34
    assert Commune.objects.filter(code_list=NEW, district__isnull=True).count() == 3321
    assert Commune.objects.filter(code_list=NEW, kind=UnitKind.SPECIAL_ZONE).count() == 13
    assert Commune.objects.filter(code_list=OLD, merged_into__isnull=True).count() == 0
    assert District.objects.filter(code_list=OLD, valid_until=LAST_DAY).count() == 696
    assert set(Commune.objects.filter(code_list=OLD).values_list("kind", flat=True)) == {
        UnitKind.COMMUNE,
        UnitKind.WARD,
        UnitKind.TOWNSHIP,
    }
    # Every old commune's successor is a unit in force: one merge deep, well within the depth
    # the scope rules follow.
    assert not Commune.objects.filter(code_list=OLD, merged_into__merged_into__isnull=False)
    assert _MERGE_DEPTH >= 1
    # The five island districts had no communes: each note names the special zone it became.
    con_dao = old(District, "755")
    assert con_dao.merged_into is None
    assert "Côn Đảo" in con_dao.note
    assert District.objects.filter(code_list=OLD, note__contains="Côn Đảo").count() == 1

    with django_assert_num_queries(7):
        again = admin_units_load()
    assert (again.created, again.updated) == (0, 0)
    assert sum(c.unchanged for c in again.counts) == 34 + 63 + 696 + 3321 + 10035


def test_linh_phu_and_tri_phu_become_the_new_tri_phu_of_the_new_tuyen_quang():
    admin_units_load(province="08")

    linh_phu, old_tri_phu = old(Commune, "02368"), old(Commune, "02359")
    tri_phu = new(Commune, "02359")
    assert (tri_phu.name, tri_phu.kind, tri_phu.district, tri_phu.valid_from) == (
        "Tri Phú",
        UnitKind.COMMUNE,
        None,
        FIRST_DAY,
    )
    assert tri_phu.province == new(Province, "08")
    for commune in (linh_phu, old_tri_phu):
        assert commune.valid_until == LAST_DAY
        assert commune.merged_into == tri_phu
        assert commune.district == old(District, "073")
        assert commune.province == old(Province, "08")
    assert linh_phu.full_name == "Linh Phú, Chiêm Hóa, Tuyên Quang"
    assert linh_phu.current.full_name == "Tri Phú, Tuyên Quang"
    chiem_hoa = old(District, "073")
    assert (chiem_hoa.kind, chiem_hoa.valid_until, chiem_hoa.merged_into) == (
        UnitKind.RURAL_DISTRICT,
        LAST_DAY,
        None,
    )
    with translation.override("vi"):
        assert chiem_hoa.note == translation.gettext(
            "The district level ended on 01/07/2025; its communes came under the province."
        )


def test_ha_giang_and_the_old_tuyen_quang_become_the_new_tuyen_quang():
    admin_units_load(province="Hà Giang")

    tuyen_quang = new(Province, "08")
    assert (tuyen_quang.name, tuyen_quang.kind, tuyen_quang.valid_from) == (
        "Tuyên Quang",
        UnitKind.PROVINCE,
        FIRST_DAY,
    )
    ha_giang = old(Province, "02")
    assert (ha_giang.name, ha_giang.valid_until, ha_giang.merged_into) == (
        "Hà Giang",
        LAST_DAY,
        tuyen_quang,
    )
    assert ha_giang.current == tuyen_quang
    assert old(Province, "08").merged_into == tuyen_quang


def test_a_split_commune_links_its_main_successor_and_records_the_others():
    admin_units_load(province="08")

    kim_phu = old(Commune, "02497")
    assert kim_phu.merged_into == new(Commune, "02509")
    assert list(kim_phu.also_merged_into.all()) == [new(Commune, "02215")]
    assert list(new(Commune, "02215").partly_merged_from.all()) == [kim_phu]
    assert not old(Commune, "02368").also_merged_into.exists()


def test_a_second_load_issues_no_write_and_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    first = admin_units_load(province="08")
    counts = tuyen_quang_counts()
    assert [(c.created, c.updated) for c in first.counts] == [
        (1, 0),
        (2, 0),
        (counts["old_districts"], 0),
        (counts["new_communes"], 0),
        (counts["old_communes"], 0),
    ]
    stamps = dict(Commune.objects.values_list("pk", "updated_at"))

    # Savepoint and release, three levels read, the split links read, the villages looked up.
    with django_assert_num_queries(7):
        second = admin_units_load(province="08")

    assert (second.created, second.updated, second.villages_carried) == (0, 0, 0)
    assert [c.unchanged for c in second.counts] == [c.created for c in first.counts]
    assert dict(Commune.objects.values_list("pk", "updated_at")) == stamps


def test_a_unit_changed_in_a_newer_package_version_is_updated(monkeypatch):
    admin_units_load(province="08")
    source = read_source()
    renamed = dict(source.new.communes)
    renamed["02359"] = dataclasses.replace(renamed["02359"], name="Tri Phú Mới")
    changed = dataclasses.replace(source, new=dataclasses.replace(source.new, communes=renamed))
    monkeypatch.setattr(load_module, "read_source", lambda: changed)

    report = admin_units_load(province="08")

    assert report.of("commune", NEW).updated == 1
    assert report.updated == 1
    assert new(Commune, "02359").name == "Tri Phú Mới"


def test_units_typed_by_hand_with_an_official_code_are_adopted_and_keep_their_records():
    hand_province = ProvinceFactory(name="Tuyên Quang", code="08")
    hand_district = District.objects.create(name="Chiêm Hoá", code="073", province=hand_province)
    linh_phu = CommuneFactory(
        name="Linh Phu", code="02368", province=hand_province, district=hand_district
    )
    village = VillageFactory(name="Pác Hợp", commune=linh_phu)
    household = HouseholdFactory(village=village, commune=linh_phu)
    # Typed after the reform with a code of both lists: the 2025 list's.
    typed_after = CommuneFactory(
        name="Tri Phú", code="02359", province=hand_province, valid_from=FIRST_DAY
    )
    # Typed after the reform with a code only the old list has: neither list's.
    stray = CommuneFactory(
        name="Bình Nhân", code="02371", province=hand_province, valid_from=FIRST_DAY
    )

    report = admin_units_load(province="tuyen quang")

    linh_phu.refresh_from_db()
    assert (linh_phu.code_list, linh_phu.name, linh_phu.kind, linh_phu.valid_until) == (
        OLD,
        "Linh Phú",
        UnitKind.COMMUNE,
        LAST_DAY,
    )
    typed_after.refresh_from_db()
    assert (typed_after.code_list, typed_after.province, typed_after.valid_from) == (
        NEW,
        new(Province, "08"),
        FIRST_DAY,
    )
    assert linh_phu.merged_into == typed_after
    hand_province.refresh_from_db()
    assert (hand_province.code_list, hand_province.merged_into) == (OLD, new(Province, "08"))
    hand_district.refresh_from_db()
    assert (hand_district.code_list, hand_district.name) == (OLD, "Chiêm Hóa")
    # "Chiêm Hóa" and "Chiêm Hoá": one place, by its code.
    assert District.objects.filter(code="073").count() == 1
    assert report.of("province", OLD).updated == 1
    assert report.of("commune", NEW).updated == 1
    stray.refresh_from_db()
    assert (stray.code_list, stray.valid_until) == ("", None)
    assert Commune.objects.filter(code="02371", code_list=OLD).exists()
    # Records stay on the unit they were made in.
    household.refresh_from_db()
    assert (household.commune_id, household.village_id) == (linh_phu.pk, village.pk)


def test_units_without_a_code_are_never_touched():
    hand_province = ProvinceFactory(name="Tỉnh thử nghiệm")
    commune = CommuneFactory(name="Xã không mã", province=hand_province)
    before = Commune.objects.filter(pk=commune.pk).values().get()

    admin_units_load(province="08")

    assert Commune.objects.filter(pk=commune.pk).values().get() == before
    hand_province.refresh_from_db()
    assert (hand_province.code_list, hand_province.valid_until) == ("", None)


def test_a_hand_typed_unit_with_an_official_name_but_no_code_stops_the_load():
    ProvinceFactory(name="Tuyên Quang")

    with translation.override("en"), pytest.raises(ValidationError, match="Tuyên Quang \\(#"):
        admin_units_load(province="08")

    assert not Province.objects.exclude(code_list="").exists()
    assert not Commune.objects.exists()


def test_the_command_loads_one_province_and_its_history_only():
    out = io.StringIO()
    call_command("load_admin_units", province="Tỉnh Tuyên Quang", stdout=out)

    counts = tuyen_quang_counts()
    assert set(Province.objects.values_list("code_list", "code")) == {
        (NEW, "08"),
        (OLD, "02"),
        (OLD, "08"),
    }
    assert District.objects.count() == counts["old_districts"]
    assert Commune.objects.filter(code_list=NEW).count() == counts["new_communes"]
    assert Commune.objects.filter(code_list=OLD).count() == counts["old_communes"]
    assert not Commune.objects.exclude(province__code__in=["02", "08"]).exists()
    assert "Tuyên Quang" in out.getvalue()
    assert str(counts["old_communes"]) in out.getvalue()


@pytest.mark.parametrize(
    "name", ["Tuyên Quang", "tuyen quang", "Tỉnh Tuyên Quang", "Hà Giang", "8", "02"]
)
def test_a_province_is_found_by_folded_name_old_name_or_code(name):
    assert province_code_for(name) == "08"


def test_an_unknown_province_is_an_error_naming_close_names():
    with translation.override("en"), pytest.raises(CommandError, match="Close names: Tuyên Quang"):
        call_command("load_admin_units", province="Tuyen Quag", stdout=io.StringIO())
    with translation.override("en"), pytest.raises(CommandError, match="its official code"):
        call_command("load_admin_units", province="Atlantis", stdout=io.StringIO())
    assert not Province.objects.exists()


def test_villages_carry_on_under_the_new_commune_and_old_records_keep_the_old_village():
    hand_province = ProvinceFactory(name="Tuyên Quang", code="08")
    linh_phu = CommuneFactory(name="Linh Phú", code="02368", province=hand_province)
    tri_phu = CommuneFactory(name="Tri Phú", code="02359", province=hand_province)
    pac_hop = VillageFactory(name="Pác Hợp", commune=linh_phu, is_invented=False)
    lung_lua = VillageFactory(name="Lũng Lừa", commune=linh_phu)
    na_lin_linh = VillageFactory(name="Nà Lìn", commune=linh_phu, is_invented=True)
    na_lin_tri = VillageFactory(name="Nà Lìn", commune=tri_phu, is_invented=True)
    ended = VillageFactory(name="Bản cũ", commune=linh_phu, valid_until=datetime.date(2020, 12, 31))
    household = HouseholdFactory(village=pac_hop, commune=linh_phu)

    report = admin_units_load(province="08")

    new_tri_phu = new(Commune, "02359")
    assert report.villages_carried == 4
    today = {v.name: v for v in Village.objects.filter(commune=new_tri_phu)}
    assert set(today) == {"Pác Hợp", "Lũng Lừa", "Nà Lìn"}
    for village in today.values():
        assert (village.valid_from, village.valid_until) == (FIRST_DAY, None)
    for village in (pac_hop, lung_lua, na_lin_linh, na_lin_tri):
        village.refresh_from_db()
        assert village.valid_until == LAST_DAY
        assert village.current == today[village.name]
    assert today["Nà Lìn"].is_invented
    assert not today["Pác Hợp"].is_invented
    ended.refresh_from_db()
    assert (ended.valid_until, ended.merged_into) == (datetime.date(2020, 12, 31), None)
    household.refresh_from_db()
    assert household.village == pac_hop
    # Adopted, the old commune got its official district: the 2023 address reads as it was.
    assert household.village.full_name == "Pác Hợp, Linh Phú, Chiêm Hóa, Tuyên Quang"

    villages = Village.objects.count()
    again = admin_units_load(province="08")
    assert (again.villages_carried, again.updated, Village.objects.count()) == (0, 0, villages)


def test_a_commune_merged_by_hand_carries_its_villages_on_once():
    commune, into = CommuneFactory(), CommuneFactory()
    village = VillageFactory(name="Khuổi Hỏi", commune=commune)
    existing = VillageFactory(name="Khuoi Hoi", commune=into)

    unit_merge(actor=None, unit=commune, into=into, last_day=LAST_DAY)

    village.refresh_from_db()
    assert (village.valid_until, village.merged_into) == (LAST_DAY, existing)
    assert villages_carry_on(communes=[commune]) == 0
    assert Village.objects.filter(commune=into).count() == 1


def test_the_scope_rules_follow_the_real_merge():
    admin_units_load(province="08")
    tri_phu, linh_phu = new(Commune, "02359"), old(Commune, "02368")
    household = HouseholdFactory(village=VillageFactory(commune=linh_phu), commune=linh_phu)
    cadre, staff, other = UserFactory(), UserFactory(), UserFactory()
    role_assign(actor=None, user=cadre, role=Role.COMMUNE_CADRE, commune=tri_phu)
    partnership = PartnershipFactory(commune=tri_phu)
    role_assign(actor=None, user=staff, role=Role.OFFICE_STAFF, partnership=partnership)
    role_assign(actor=None, user=other, role=Role.COMMUNE_CADRE, commune=new(Commune, "02365"))

    for user in (cadre, staff):
        assert linh_phu.pk in communes_for(user)
        assert list(scoped(Household.objects.all(), user)) == [household]
    assert linh_phu.pk not in communes_for(other)
    assert not scoped(Household.objects.all(), other).exists()


def test_an_address_under_the_old_names_names_its_commune_of_today(django_assert_num_queries):
    admin_units_load(province="08")
    tuyen_quang = new(Province, "08")
    linh_phu, tri_phu = old(Commune, "02368"), new(Commune, "02359")

    with django_assert_num_queries(1):
        found = successors_named_in(
            "thôn Pác Hợp, xã Linh Phú, huyện Chiêm Hóa", province=tuyen_quang
        )
    assert found == [(linh_phu, tri_phu)]
    with django_assert_num_queries(0):
        assert successors_named_in("Pác Hợp, LINH PHU, Chiêm Hoá", province=tuyen_quang) == [
            (linh_phu, tri_phu)
        ]
    # "Hoà" and "Hòa": the tone mark's place does not matter.
    assert successors_named_in("x. Hoà Phú", province=tuyen_quang) == [
        (old(Commune, "02335"), new(Commune, "02365"))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "xã Phú",
        "Phú",
        "thôn Linh Phú Hạ, xã Yên Nguyên",
        "nhà văn hoá Linh Phúc",
        # Same name as today's commune: the address is not out of date.
        "xã Tri Phú",
        "",
    ],
)
def test_an_address_naming_no_whole_old_name_names_nothing(text):
    admin_units_load(province="08")
    assert successors_named_in(text, province=new(Province, "08")) == []


def test_official_names_are_written_without_their_kind_word():
    assert split_kind("Xã Tri Phú", {"Xã": UnitKind.COMMUNE}, None) == (
        "Tri Phú",
        UnitKind.COMMUNE,
    )
    assert split_kind("Thành Phố Bắc Kạn", {"Thành phố": "x"}, None) == ("Bắc Kạn", "x")
    assert split_kind("Phường 5", {"Phường": UnitKind.WARD}, None) == ("Phường 5", "phuong")
    source = read_source()
    assert source.new.provinces["79"].kind == UnitKind.CITY
    assert source.old.communes["02368"].name == "Linh Phú"
