"""seed_demo: the map and the reported figures, read back from the rows."""

import datetime
from collections import Counter

import pytest
from django.db.models import Sum
from django.utils import timezone

from activities.models import (
    Activity,
    Allocation,
    Asset,
    Distribution,
    Grant,
    MaintenanceLog,
    Receipt,
)
from households.models import Household, Member, Review
from outreach.models import (
    CodeList,
    Commune,
    District,
    Donation,
    Partner,
    Province,
    UnitKind,
    Village,
)
from tests.demo.helpers import _partnership

pytestmark = pytest.mark.django_db


def _status_on(household_ids, day: datetime.date) -> dict[int, str]:
    """Each household's status on ``day``: its latest approved review up to then."""
    statuses = {}
    reviews = Review.objects.filter(
        household_id__in=household_ids, approved=True, reviewed_on__lte=day
    ).order_by("household_id", "reviewed_on", "pk")
    for review in reviews:
        statuses[review.household_id] = review.status
    return statuses


def _funding(**target) -> dict[str, int]:
    """Allocated amounts to ``target`` by the funding partner's name."""
    return dict(
        Allocation.objects.filter(**target)
        .values_list("donation__partner__name")
        .annotate(total=Sum("amount_vnd"))
    )


# --- The map -------------------------------------------------------------------------------------


def test_the_map_is_the_official_one_before_and_after_the_2025_reform():
    old, new = CodeList.BEFORE_2025, CodeList.FROM_2025
    tuyen_quang = Province.objects.get(code_list=new, code="08")
    assert (tuyen_quang.name, tuyen_quang.valid_from) == ("Tuyên Quang", datetime.date(2025, 7, 1))
    assert tuyen_quang.valid_until is None
    for code in ("02", "08"):  # old Hà Giang and old Tuyên Quang
        merged = Province.objects.get(code_list=old, code=code)
        assert merged.valid_until == datetime.date(2025, 6, 30)
        assert merged.current == tuyen_quang

    chiem_hoa = District.objects.get(code_list=old, code="073")
    assert chiem_hoa.name == "Chiêm Hóa"
    assert chiem_hoa.valid_until == datetime.date(2025, 6, 30)
    assert chiem_hoa.merged_into is None  # abolished, not merged

    tri_phu = Commune.objects.get(code_list=new, code="02359")
    assert (tri_phu.name, tri_phu.kind, tri_phu.district) == ("Tri Phú", UnitKind.COMMUNE, None)
    assert tri_phu.full_name == "Tri Phú, Tuyên Quang"
    for code, name in (("02368", "Linh Phú"), ("02359", "Tri Phú")):
        merged = Commune.objects.get(code_list=old, code=code)
        assert (merged.name, merged.district) == (name, chiem_hoa)
        assert merged.valid_until == datetime.date(2025, 6, 30)
        assert merged.merged_into == tri_phu
    linh_phu = Commune.objects.get(code_list=old, code="02368")
    assert linh_phu.full_name == "Linh Phú, Chiêm Hóa, Tuyên Quang"


def test_linh_phu_has_eight_villages_of_which_two_are_reported_and_all_carry_on():
    villages = Village.objects.filter(
        commune__code_list=CodeList.BEFORE_2025, commune__name="Linh Phú"
    )
    assert villages.count() == 8
    real = set(villages.filter(is_invented=False).values_list("name", flat=True))
    assert real == {"Pác Hợp", "Lũng Lừa"}
    assert villages.filter(is_invented=True).count() == 6
    pac_hop = villages.get(name="Pác Hợp")
    assert pac_hop.full_name == "Pác Hợp, Linh Phú, Chiêm Hóa, Tuyên Quang"
    assert pac_hop.valid_until == datetime.date(2025, 6, 30)
    # A village is not abolished by its commune's merger: it goes on under the new Tri Phú.
    assert pac_hop.current.full_name == "Pác Hợp, Tri Phú, Tuyên Quang"
    carried = Village.objects.filter(commune__code_list=CodeList.FROM_2025, commune__code="02359")
    assert set(carried.values_list("name", flat=True)) == set(
        villages.values_list("name", flat=True)
    )
    assert not carried.filter(valid_until__isnull=False).exists()


def test_records_of_2022_to_2024_keep_the_old_places_and_the_households_live_in_the_new():
    poles = Asset.objects.filter(kind=Asset.Kind.SOLAR_LIGHT, installed_on__year=2023)
    assert {pole.village.full_name for pole in poles} == {
        "Pác Hợp, Linh Phú, Chiêm Hóa, Tuyên Quang"
    }
    receipts = Receipt.objects.filter(distribution__distributed_on__year__lte=2024)
    assert set(receipts.values_list("village__commune__name", flat=True)) == {"Linh Phú"}
    assert set(Household.objects.values_list("commune__code_list", "commune__code").distinct()) == {
        (CodeList.FROM_2025, "02359")
    }


def test_partners_and_the_partnership():
    kinds = dict(Partner.objects.values_list("name", "kind"))
    assert kinds == {
        "Văn phòng Tỉnh ủy Tuyên Quang": "agency",
        "Agribank Chi nhánh Tuyên Quang": "bank",
        "BIDV Chi nhánh Tuyên Quang": "bank",
        "BIDV Chi nhánh Mỹ Đình": "bank",
    }
    partnership = _partnership()
    # The demo's assumption: the partnership went on with the new Tri Phú from 01/07/2025.
    assert (partnership.commune.code_list, partnership.commune.code) == (
        CodeList.FROM_2025,
        "02359",
    )


# --- The reported figures ------------------------------------------------------------------------


def test_2022_thirty_two_trash_bins_serve_households_in_all_eight_villages():
    bins = Asset.objects.filter(
        partnership=_partnership(), kind=Asset.Kind.TRASH_BIN, installed_on__year=2022
    )
    assert bins.count() == 32
    assert bins.values("village").distinct().count() == 8
    assert not bins.filter(household__isnull=True).exists()
    for trash_bin in bins.select_related("household"):
        # The bin stays where it was given; the household moved with its village in 2025.
        assert trash_bin.household.village_id == trash_bin.village.current.pk
    value = bins.aggregate(s=Sum("value_vnd"))["s"]
    assert _funding(asset__in=bins) == {"Văn phòng Tỉnh ủy Tuyên Quang": value}


def test_2023_fifteen_solar_poles_in_pac_hop_worth_over_30_million_funded_by_agribank():
    poles = Asset.objects.filter(
        partnership=_partnership(),
        kind=Asset.Kind.SOLAR_LIGHT,
        installed_on__year=2023,
        village__name="Pác Hợp",
    )
    assert poles.count() == 15
    value = poles.aggregate(s=Sum("value_vnd"))["s"]
    assert value > 30_000_000
    assert _funding(asset__in=poles) == {"Agribank Chi nhánh Tuyên Quang": value}
    for pole in poles:
        funded = pole.allocations.aggregate(s=Sum("amount_vnd"))["s"]
        assert funded == pole.value_vnd
    assert Activity.objects.filter(
        kind=Activity.Kind.CONSTRUCTION, title__contains="Thắp sáng đường quê", starts_on__year=2023
    ).exists()


def test_poles_have_checks_one_fault_and_its_repair():
    logs = MaintenanceLog.objects.filter(asset__kind=Asset.Kind.SOLAR_LIGHT)
    kinds = Counter(logs.values_list("kind", flat=True))
    assert kinds[MaintenanceLog.Kind.INSTALLATION] == 15
    assert kinds[MaintenanceLog.Kind.CHECK] >= 15
    assert kinds[MaintenanceLog.Kind.FAULT] == 1
    assert kinds[MaintenanceLog.Kind.REPAIR] == 1
    fault = logs.get(kind=MaintenanceLog.Kind.FAULT)
    repair = logs.get(kind=MaintenanceLog.Kind.REPAIR)
    assert fault.asset == repair.asset
    assert fault.happened_on < repair.happened_on
    assert fault.asset.status == Asset.Status.REPAIRED
    assert not logs.filter(happened_on__gt=timezone.localdate()).exists()


def test_2023_visit_with_gifts_to_disadvantaged_families_in_pac_hop():
    distribution = Distribution.objects.get(partnership=_partnership(), distributed_on__year=2023)
    assert distribution.status == Distribution.Status.CLOSED
    receipts = distribution.receipts.all()
    assert 0 < receipts.count() <= 20
    assert set(receipts.values_list("village__name", flat=True)) == {"Pác Hợp"}
    assert not receipts.filter(confirmed_at__isnull=True).exists()
    statuses = _status_on(receipts.values("household"), distribution.distributed_on)
    assert set(statuses.values()) <= {"poor", "near_poor", "policy", "difficulty"}
    total = receipts.aggregate(s=Sum("value_vnd"))["s"]
    assert _funding(distribution=distribution) == {"Văn phòng Tỉnh ủy Tuyên Quang": total}


def test_2024_exactly_100_gifts_to_policy_or_difficulty_households_funded_by_bidv():
    receipts = Receipt.objects.filter(
        distribution__partnership=_partnership(), distribution__distributed_on__year=2024
    )
    assert receipts.count() == 100
    assert not receipts.filter(confirmed_at__isnull=True).exists()
    assert receipts.values("household").distinct().count() == 100
    distributions = Distribution.objects.filter(receipts__in=receipts).distinct()
    assert {d.status for d in distributions} == {Distribution.Status.CLOSED}
    for distribution in distributions:
        mine = receipts.filter(distribution=distribution)
        statuses = _status_on(mine.values("household"), distribution.distributed_on)
        assert len(statuses) == mine.count()
        assert set(statuses.values()) <= {"policy", "difficulty"}
    funding = _funding(distribution__in=distributions)
    assert set(funding) == {"BIDV Chi nhánh Tuyên Quang", "BIDV Chi nhánh Mỹ Đình"}
    assert sum(funding.values()) == receipts.aggregate(s=Sum("value_vnd"))["s"]


def test_2024_house_grant_of_70_million_to_a_poor_lung_lua_household_with_a_disabled_head():
    grant = Grant.objects.get(partnership=_partnership(), purpose=Grant.Purpose.HOUSE_BUILDING)
    assert grant.amount_vnd == 70_000_000
    assert grant.approved_on.year == 2024
    assert grant.village.name == "Lũng Lừa"
    household = grant.household
    assert household.village.name == "Lũng Lừa"
    assert household.housing_condition == Household.Housing.DILAPIDATED
    assert _status_on([household.pk], grant.approved_on) == {household.pk: "poor"}
    head = household.members.get(relation=Member.Relation.HEAD)
    assert head.has_disability
    assert "không có khả năng lao động" in head.disability_note
    assert household.members.filter(relation=Member.Relation.SPOUSE).exists()
    assert "thường xuyên ốm đau" in household.notes
    allocations = grant.allocations.all()
    assert sum(a.amount_vnd for a in allocations) == 70_000_000
    assert {a.donation.partner.name for a in allocations} == {"Văn phòng Tỉnh ủy Tuyên Quang"}
    assert all("Văn phòng Tỉnh ủy và các đơn vị kết nghĩa" in a.note for a in allocations)


def test_no_donation_is_over_allocated_and_every_asset_and_grant_is_fully_funded():
    for donation in Donation.objects.all():
        allocated = donation.allocations.aggregate(s=Sum("amount_vnd"))["s"] or 0
        assert allocated <= donation.value_vnd, donation
        assert donation.allocations.filter(allocated_on__lt=donation.received_on).count() == 0
    for asset in Asset.objects.all():
        assert asset.allocations.aggregate(s=Sum("amount_vnd"))["s"] == asset.value_vnd
    for grant in Grant.objects.all():
        assert grant.allocations.aggregate(s=Sum("amount_vnd"))["s"] == grant.amount_vnd


def test_activities_of_the_field_notes():
    activities = Activity.objects.filter(partnership=_partnership())
    kinds = set(activities.values_list("kind", flat=True))
    assert kinds >= {
        "community_work",
        "digital_skills",
        "records_guidance",
        "study_trip",
        "visit_with_gifts",
        "construction",
    }
    assert activities.filter(kind="digital_skills", starts_on__year=2022).exists()
    ha_noi = activities.get(starts_on=datetime.date(2024, 5, 19))
    assert ha_noi.kind == "study_trip"
    assert "134" in ha_noi.title
    for place in ("Lăng Chủ tịch Hồ Chí Minh", "Phủ Chủ tịch", "Bảo tàng Hồ Chí Minh"):
        assert place in ha_noi.location
    assert ha_noi.participations.filter(role__contains="Tri Phú").exists()
    tan_trao = activities.get(kind="study_trip", title__contains="Tân Trào")
    assert tan_trao.starts_on.year == 2024
    assert "Nà Nưa" in tan_trao.description
    assert "Đình Tân Trào" in tan_trao.description
    for activity in activities:
        assert activity.participant_count > 0
        assert activity.office_staff_count > 0
