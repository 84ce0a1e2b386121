import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from outreach.models import Donation
from outreach.services import donation_record, unit_end, unit_merge
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    DonationFactory,
    PartnerFactory,
    PartnershipFactory,
    ProvinceFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


def test_old_place_still_reads_as_it_was_and_rolls_up_to_todays_unit():
    tuyen_quang = ProvinceFactory(name="Tuyên Quang")
    ha_giang = ProvinceFactory(name="Hà Giang")
    district = DistrictFactory(name="Chiêm Hóa", province=tuyen_quang)
    commune = CommuneFactory(name="Linh Phú", province=tuyen_quang, district=district)
    village = VillageFactory(name="Pác Hợp", commune=commune)

    unit_end(actor=None, unit=district, last_day=datetime.date(2025, 6, 30))
    unit_merge(actor=None, unit=ha_giang, into=tuyen_quang, last_day=datetime.date(2025, 6, 30))

    village.refresh_from_db()
    assert village.full_name == "Pác Hợp, Linh Phú, Chiêm Hóa, Tuyên Quang"
    district.refresh_from_db()
    assert district.is_valid_on(datetime.date(2023, 5, 1))
    assert not district.is_valid_on(datetime.date(2025, 7, 1))
    ha_giang.refresh_from_db()
    assert ha_giang.current == tuyen_quang
    assert tuyen_quang.current == tuyen_quang


def test_merge_chain_is_followed_to_the_end():
    a, b, c = CommuneFactory(), CommuneFactory(), CommuneFactory()
    unit_merge(actor=None, unit=a, into=b, last_day=datetime.date(2025, 6, 30))
    unit_merge(actor=None, unit=b, into=c, last_day=datetime.date(2026, 1, 1))
    a.refresh_from_db()
    assert a.current == c


def test_merging_in_a_circle_is_refused():
    a, b = CommuneFactory(), CommuneFactory()
    unit_merge(actor=None, unit=a, into=b, last_day=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError, match="tạo thành vòng lặp giữa các đơn vị"):
        unit_merge(actor=None, unit=b, into=a, last_day=datetime.date(2025, 6, 30))
    b.refresh_from_db()
    assert b.merged_into is None


def test_merging_into_another_level_is_refused():
    province, commune = ProvinceFactory(), CommuneFactory()
    valid_until = commune.valid_until
    with pytest.raises(ValidationError, match="Chỉ có thể sáp nhập vào đơn vị cùng cấp"):
        unit_merge(actor=None, unit=commune, into=province, last_day=datetime.date(2025, 6, 30))
    commune.refresh_from_db()
    assert (commune.merged_into_id, commune.valid_until) == (None, valid_until)


def test_district_of_another_province_is_refused():
    district = DistrictFactory()
    commune = CommuneFactory.build(province=ProvinceFactory(), district=district)
    with pytest.raises(ValidationError, match="Huyện này thuộc tỉnh khác") as err:
        commune.full_clean()
    assert "district" in err.value.message_dict


def test_end_before_start_is_refused_by_the_database():
    with (
        pytest.raises(IntegrityError, match="province_valid_until_after_from"),
        transaction.atomic(),
    ):
        ProvinceFactory(valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2019, 1, 1))


def test_donation_in_goods_needs_description_and_quantity():
    partnership = PartnershipFactory()
    with pytest.raises(ValidationError, match="Hãy mô tả hiện vật") as err:
        donation_record(
            actor=None,
            partnership=partnership,
            partner=PartnerFactory(),
            kind=Donation.Kind.GOODS,
            received_on=datetime.date(2024, 1, 1),
            value_vnd=10_000_000,
        )
    assert {"goods_description", "goods_quantity"} <= set(err.value.message_dict)
    assert Donation.objects.count() == 0


def test_goods_donation_is_recorded_with_its_estimated_value():
    donation = donation_record(
        actor=None,
        partnership=PartnershipFactory(),
        partner=PartnerFactory(),
        kind=Donation.Kind.GOODS,
        received_on=datetime.date(2022, 4, 1),
        value_vnd=11_200_000,
        goods_description="Thùng rác",
        goods_quantity=32,
        goods_unit="chiếc",
    )
    assert donation.value_vnd == 11_200_000


def test_negative_donation_is_refused_and_nothing_saved():
    with pytest.raises(ValidationError, match="Số tiền không thể âm") as err:
        donation_record(
            actor=None,
            partnership=PartnershipFactory(),
            partner=PartnerFactory(),
            received_on=datetime.date(2024, 1, 1),
            value_vnd=-1,
        )
    assert "Số tiền không thể âm." in str(err.value)
    assert Donation.objects.count() == 0


def test_negative_donation_is_refused_by_the_database_too():
    # SQLite names the column's own check, PostgreSQL one of the two checks.
    negative = "value_vnd|donation_value_not_negative"
    with pytest.raises(IntegrityError, match=negative), transaction.atomic():
        Donation.objects.filter(pk=DonationFactory().pk).update(value_vnd=-5)


def test_same_office_cannot_pair_twice_with_a_commune():
    partnership = PartnershipFactory()
    duplicate = PartnershipFactory.build(
        office=partnership.office, commune=partnership.commune, name="Khác"
    )
    with pytest.raises(ValidationError, match="Cơ quan này đã kết nghĩa với xã này"):
        duplicate.full_clean()
