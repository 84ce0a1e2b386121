import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import (
    Activity,
    Allocation,
    Asset,
    Distribution,
    Grant,
    MaintenanceLog,
    Receipt,
)
from activities.services import (
    activity_save,
    allocation_remove,
    allocation_update,
    asset_register,
    distribution_save,
    distribution_transition,
    donation_allocate,
    donation_allocated_vnd,
    donation_update,
    grant_save,
    maintenance_record,
    receipt_add,
    receipt_confirm,
    receipt_remove,
)
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    AssetFactory,
    DistributionFactory,
    DonationFactory,
    GrantFactory,
    HouseholdFactory,
    PartnershipFactory,
    ReceiptFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 2, 1)


@pytest.fixture
def partnership():
    return PartnershipFactory()


@pytest.fixture
def donation(partnership):
    return DonationFactory(partnership=partnership, value_vnd=50_000_000)


@pytest.fixture
def distribution(partnership):
    return DistributionFactory(partnership=partnership, value_per_item_vnd=500_000)


def household_in(partnership, **kwargs):
    return HouseholdFactory(village__commune=partnership.commune, **kwargs)


# --- allocations -------------------------------------------------------------------------------


def test_allocations_up_to_the_donation_are_accepted(donation, distribution):
    donation_allocate(
        actor=None, donation=donation, amount_vnd=30_000_000, distribution=distribution
    )
    donation_allocate(
        actor=None, donation=donation, amount_vnd=20_000_000, distribution=distribution
    )
    assert donation_allocated_vnd(donation) == 50_000_000


def test_over_allocation_is_refused_and_nothing_changes(donation, distribution):
    donation_allocate(
        actor=None, donation=donation, amount_vnd=45_000_000, distribution=distribution
    )
    with pytest.raises(
        ValidationError,
        # pytest matches str(ValidationError), a repr: its no-break space before ₫ reads \xa0.
        match=r"chỉ còn 5\.000\.000\\xa0₫ chưa phân bổ; đang yêu cầu 5\.000\.001\\xa0₫",
    ) as err:
        donation_allocate(
            actor=None, donation=donation, amount_vnd=5_000_001, distribution=distribution
        )
    assert "5.000.000\u00a0₫" in " ".join(err.value.messages)
    assert Allocation.objects.count() == 1
    assert donation_allocated_vnd(donation) == 45_000_000


def test_increasing_an_allocation_beyond_the_donation_is_refused(donation, distribution):
    allocation = donation_allocate(
        actor=None, donation=donation, amount_vnd=10_000_000, distribution=distribution
    )
    donation_allocate(
        actor=None, donation=donation, amount_vnd=35_000_000, distribution=distribution
    )
    with pytest.raises(
        ValidationError,
        match=r"chỉ còn 15\.000\.000\\xa0₫ chưa phân bổ; đang yêu cầu 16\.000\.000\\xa0₫",
    ):
        allocation_update(actor=None, allocation=allocation, amount_vnd=16_000_000)
    allocation.refresh_from_db()
    assert allocation.amount_vnd == 10_000_000
    allocation_update(actor=None, allocation=allocation, amount_vnd=15_000_000)
    assert donation_allocated_vnd(donation) == 50_000_000


def test_donation_value_cannot_drop_below_what_is_allocated(donation, distribution):
    donation_allocate(
        actor=None, donation=donation, amount_vnd=40_000_000, distribution=distribution
    )
    with pytest.raises(ValidationError, match=r"Đã phân bổ 40\.000\.000\\xa0₫ từ khoản ủng hộ này"):
        donation_update(actor=None, donation=donation, value_vnd=39_999_999)
    donation.refresh_from_db()
    assert donation.value_vnd == 50_000_000


def test_allocated_donation_cannot_move_to_another_partnership(donation, distribution):
    donation_allocate(actor=None, donation=donation, amount_vnd=1_000, distribution=distribution)
    with pytest.raises(ValidationError, match="đã được phân bổ cho các nội dung của quan hệ"):
        donation_update(actor=None, donation=donation, partnership=PartnershipFactory())
    donation.refresh_from_db()
    assert donation.partnership == distribution.partnership


@pytest.mark.parametrize("amount", [0, -1])
def test_zero_or_negative_allocation_is_refused(donation, distribution, amount):
    with pytest.raises(ValidationError, match="Khoản phân bổ phải lớn hơn 0 ₫"):
        donation_allocate(
            actor=None, donation=donation, amount_vnd=amount, distribution=distribution
        )
    assert Allocation.objects.count() == 0


def test_allocation_needs_exactly_one_target(donation, distribution, partnership):
    asset = AssetFactory(partnership=partnership)
    one_target = "dành cho đúng một đợt trao, một tài sản hoặc một khoản hỗ trợ"
    with pytest.raises(ValidationError, match=one_target):
        donation_allocate(actor=None, donation=donation, amount_vnd=1_000)
    with pytest.raises(ValidationError, match=one_target):
        donation_allocate(
            actor=None, donation=donation, amount_vnd=1_000, distribution=distribution, asset=asset
        )
    assert Allocation.objects.count() == 0


def test_two_targets_are_refused_by_the_database_too(donation, distribution, partnership):
    with pytest.raises(IntegrityError, match="allocation_exactly_one_target"), transaction.atomic():
        Allocation.objects.create(
            donation=donation,
            amount_vnd=1,
            allocated_on=DAY,
            distribution=distribution,
            asset=AssetFactory(partnership=partnership),
        )


def test_allocation_to_another_partnership_is_refused(donation):
    other = DistributionFactory()
    with pytest.raises(ValidationError, match="thuộc một quan hệ kết nghĩa khác"):
        donation_allocate(actor=None, donation=donation, amount_vnd=1_000, distribution=other)
    assert Allocation.objects.count() == 0


def test_allocation_before_the_money_arrived_is_refused(donation, distribution):
    with pytest.raises(ValidationError, match="Không thể phân bổ trước ngày nhận khoản ủng hộ"):
        donation_allocate(
            actor=None,
            donation=donation,
            amount_vnd=1_000,
            distribution=distribution,
            allocated_on=donation.received_on - datetime.timedelta(days=1),
        )
    assert Allocation.objects.count() == 0


def test_an_asset_cannot_be_funded_beyond_its_value(donation, partnership):
    asset = AssetFactory(partnership=partnership, value_vnd=2_050_000)
    donation_allocate(actor=None, donation=donation, amount_vnd=2_000_000, asset=asset)
    with pytest.raises(
        ValidationError, match=r"được cấp 2\.050\.001\\xa0₫, vượt quá giá trị 2\.050\.000\\xa0₫"
    ):
        donation_allocate(actor=None, donation=donation, amount_vnd=50_001, asset=asset)
    assert asset.allocations.count() == 1
    donation_allocate(actor=None, donation=donation, amount_vnd=50_000, asset=asset)
    assert asset.allocations.count() == 2


def test_a_grant_cannot_be_funded_beyond_its_amount_nor_cut_below_its_funding(
    donation, partnership
):
    grant = GrantFactory(partnership=partnership, amount_vnd=30_000_000)
    donation_allocate(actor=None, donation=donation, amount_vnd=30_000_000, grant=grant)
    with pytest.raises(
        ValidationError, match=r"được cấp 30\.000\.001\\xa0₫, vượt quá giá trị 30\.000\.000\\xa0₫"
    ):
        donation_allocate(actor=None, donation=donation, amount_vnd=1, grant=grant)
    assert grant.allocations.count() == 1
    grant.amount_vnd = 20_000_000
    with pytest.raises(
        ValidationError, match=r"Đã phân bổ 30\.000\.000\\xa0₫ cho khoản hỗ trợ này"
    ):
        grant_save(actor=None, grant=grant)
    grant.refresh_from_db()
    assert grant.amount_vnd == 30_000_000


def test_allocation_of_a_closed_distribution_cannot_be_removed(donation, distribution):
    allocation = AllocationFactory(donation=donation, distribution=distribution)
    Distribution.objects.filter(pk=distribution.pk).update(status=Distribution.Status.CLOSED)
    allocation.refresh_from_db()
    with pytest.raises(ValidationError, match="Đợt trao đã kết thúc thì không thể thay đổi"):
        allocation_remove(actor=None, allocation=allocation)
    assert Allocation.objects.filter(pk=allocation.pk).exists()


# --- distributions and receipts -----------------------------------------------------------------


def test_distribution_goes_through_its_workflow(distribution, donation, partnership):
    assert distribution.status == Distribution.Status.DRAFT
    household = household_in(partnership)
    receipt = receipt_add(actor=None, distribution=distribution, household=household)
    donation_allocate(
        actor=None, donation=donation, amount_vnd=receipt.value_vnd, distribution=distribution
    )
    for status in ("approved", "distributing"):
        distribution = distribution_transition(actor=None, distribution=distribution, to=status)
    receipt_confirm(actor=None, receipt=receipt)
    distribution = distribution_transition(actor=None, distribution=distribution, to="closed")
    assert distribution.status == Distribution.Status.CLOSED


@pytest.mark.parametrize(
    ("start", "to"),
    [("draft", "closed"), ("draft", "distributing"), ("closed", "draft"), ("closed", "approved")],
)
def test_illegal_transitions_are_refused(partnership, start, to):
    distribution = DistributionFactory(partnership=partnership, status=start)
    start_label, to_label = Distribution.Status(start).label, Distribution.Status(to).label
    refusal = f"Đợt trao không thể chuyển từ “{start_label}” sang “{to_label}”"
    with pytest.raises(ValidationError, match=refusal):
        distribution_transition(actor=None, distribution=distribution, to=to)
    distribution.refresh_from_db()
    assert distribution.status == start


def test_new_distribution_starts_as_draft_whatever_it_says(partnership, staff_user):
    distribution = DistributionFactory.build(partnership=partnership, status="closed")
    distribution = distribution_save(actor=staff_user, distribution=distribution)
    assert distribution.status == Distribution.Status.DRAFT
    assert distribution.created_by == staff_user


def test_receipt_value_is_quantity_times_value_per_item(distribution, partnership):
    household = household_in(partnership)
    receipt = receipt_add(actor=None, distribution=distribution, household=household, quantity=3)
    assert receipt.value_vnd == 1_500_000
    assert receipt.village == household.village


def test_a_household_is_listed_once_per_distribution(distribution, partnership):
    household = household_in(partnership)
    receipt_add(actor=None, distribution=distribution, household=household)
    with pytest.raises(ValidationError, match="Hộ này đã có trong danh sách") as err:
        receipt_add(actor=None, distribution=distribution, household=household)
    assert "Hộ này đã có trong danh sách của đợt trao này." in " ".join(err.value.messages)
    assert Receipt.objects.count() == 1


def test_a_second_receipt_is_refused_by_the_database_too(distribution, partnership):
    receipt = ReceiptFactory(distribution=distribution)
    # SQLite names the columns, PostgreSQL the constraint.
    duplicate = (
        r"activities_receipt\.distribution_id, activities_receipt\.household_id"
        "|receipt_one_per_household_per_distribution"
    )
    with pytest.raises(IntegrityError, match=duplicate), transaction.atomic():
        ReceiptFactory(distribution=distribution, household=receipt.household)


def test_households_outside_the_commune_or_archived_cannot_receive(distribution, partnership):
    with pytest.raises(ValidationError, match="Hộ không thuộc xã kết nghĩa"):
        receipt_add(actor=None, distribution=distribution, household=HouseholdFactory())
    with pytest.raises(ValidationError, match="Hộ đã lưu trữ không thể nhận hỗ trợ"):
        receipt_add(
            actor=None,
            distribution=distribution,
            household=household_in(partnership, archived=True),
        )
    assert Receipt.objects.count() == 0


def test_a_closed_distribution_cannot_change(partnership):
    distribution = DistributionFactory(partnership=partnership, status="closed")
    receipt = ReceiptFactory(distribution=distribution)
    closed = "Đợt trao đã kết thúc thì không thể thay đổi"
    with pytest.raises(ValidationError, match=closed):
        receipt_add(actor=None, distribution=distribution, household=household_in(partnership))
    with pytest.raises(ValidationError, match=closed):
        receipt_remove(actor=None, receipt=receipt)
    with pytest.raises(ValidationError, match=closed):
        receipt_confirm(actor=None, receipt=receipt)
    distribution.title = "Đổi tên"
    with pytest.raises(ValidationError, match=closed):
        distribution_save(actor=None, distribution=distribution)
    distribution.refresh_from_db()
    assert distribution.title != "Đổi tên"
    assert Receipt.objects.count() == 1


def test_value_per_item_is_fixed_once_approved(partnership):
    distribution = DistributionFactory(partnership=partnership, status="approved")
    value = distribution.value_per_item_vnd
    distribution.value_per_item_vnd = 1
    with pytest.raises(ValidationError, match="Giá trị mỗi suất không thể đổi sau khi đã duyệt"):
        distribution_save(actor=None, distribution=distribution)
    distribution.refresh_from_db()
    assert distribution.value_per_item_vnd == value


def test_confirming_starts_distribution_and_twice_changes_nothing(partnership, cadre_user):
    distribution = DistributionFactory(partnership=partnership, status="approved")
    receipt = ReceiptFactory(distribution=distribution)
    first = receipt_confirm(actor=cadre_user, receipt=receipt)
    again = receipt_confirm(actor=None, receipt=receipt)
    assert again.confirmed_at == first.confirmed_at
    assert again.confirmed_by == cadre_user
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DISTRIBUTING


def test_draft_receipts_cannot_be_confirmed(distribution):
    receipt = ReceiptFactory(distribution=distribution)
    with pytest.raises(ValidationError, match="phải được duyệt trước khi xác nhận nhận hàng"):
        receipt_confirm(actor=None, receipt=receipt)
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None


def test_confirmed_receipt_cannot_be_removed(partnership):
    distribution = DistributionFactory(partnership=partnership, status="approved")
    receipt = receipt_confirm(actor=None, receipt=ReceiptFactory(distribution=distribution))
    with pytest.raises(ValidationError, match="Không thể xóa phiếu nhận đã xác nhận"):
        receipt_remove(actor=None, receipt=receipt)
    assert Receipt.objects.filter(pk=receipt.pk).exists()


# --- assets ------------------------------------------------------------------------------------


def test_asset_state_follows_its_log(partnership, staff_user):
    village = VillageFactory(commune=partnership.commune)
    asset = asset_register(
        actor=staff_user, asset=AssetFactory.build(partnership=partnership, village=village)
    )
    assert asset.logs.get().kind == MaintenanceLog.Kind.INSTALLATION
    maintenance_record(actor=None, asset=asset, kind="fault", happened_on=datetime.date(2024, 5, 2))
    asset.refresh_from_db()
    assert asset.status == Asset.Status.FAULTY
    maintenance_record(
        actor=None, asset=asset, kind="repair", happened_on=datetime.date(2024, 5, 9)
    )
    # An older entry recorded late does not override the newer state.
    maintenance_record(actor=None, asset=asset, kind="check", happened_on=datetime.date(2024, 1, 9))
    asset.refresh_from_db()
    assert asset.status == Asset.Status.REPAIRED
    maintenance_record(
        actor=None, asset=asset, kind="removal", happened_on=datetime.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="Tài sản đã tháo dỡ không ghi thêm nhật ký"):
        maintenance_record(
            actor=None, asset=asset, kind="check", happened_on=datetime.date(2025, 2, 1)
        )
    assert asset.logs.count() == 5


def test_log_before_installation_is_refused(partnership):
    asset = AssetFactory(partnership=partnership, installed_on=datetime.date(2023, 9, 1))
    with pytest.raises(ValidationError, match="Ngày này trước ngày lắp đặt tài sản"):
        maintenance_record(
            actor=None, asset=asset, kind="check", happened_on=datetime.date(2023, 1, 1)
        )
    assert asset.logs.count() == 0


def test_asset_outside_the_partnership_commune_is_refused(partnership):
    asset = AssetFactory.build(partnership=partnership, village=VillageFactory())
    with pytest.raises(ValidationError, match="Thôn, bản không thuộc xã kết nghĩa"):
        asset_register(actor=None, asset=asset)
    assert Asset.objects.count() == 0


def test_duplicate_asset_code_is_refused(partnership):
    AssetFactory(partnership=partnership, code="DEN-PH-01")
    with pytest.raises(ValidationError, match="Tài sản có Mã tài sản đã tồn tại"):
        asset_register(
            actor=None,
            asset=AssetFactory.build(
                partnership=partnership,
                code="DEN-PH-01",
                village=VillageFactory(commune=partnership.commune),
            ),
        )
    assert Asset.objects.count() == 1


# --- grants and activities ---------------------------------------------------------------------


def test_grant_keeps_the_village_the_household_lived_in(partnership):
    household = household_in(partnership)
    grant = grant_save(
        actor=None,
        grant=GrantFactory.build(partnership=partnership, household=household, village=None),
    )
    new_village = VillageFactory(commune=partnership.commune)
    household.village = new_village
    household.save()
    grant.refresh_from_db()
    assert grant.village != new_village


def test_grant_completed_before_approval_is_refused(partnership):
    grant = GrantFactory.build(
        partnership=partnership,
        household=household_in(partnership),
        approved_on=datetime.date(2024, 6, 1),
        completed_on=datetime.date(2024, 5, 1),
    )
    with pytest.raises(
        ValidationError, match="Khoản hỗ trợ không thể hoàn thành trước ngày được duyệt"
    ):
        grant_save(actor=None, grant=grant)
    assert not Grant.objects.exists()


def test_activity_villages_must_be_in_the_partnership_commune(partnership):
    activity = ActivityFactory(partnership=partnership)
    inside = VillageFactory(commune=partnership.commune)
    outside = VillageFactory()
    with pytest.raises(
        ValidationError, match=f"Không thuộc xã kết nghĩa: {re.escape(outside.name)}"
    ):
        activity_save(actor=None, activity=activity, villages=[inside, outside])
    assert activity.villages.count() == 0
    activity_save(actor=None, activity=activity, villages=[inside])
    assert list(activity.villages.all()) == [inside]


def test_activity_ending_before_it_starts_is_refused(partnership):
    activity = ActivityFactory.build(
        partnership=partnership, starts_on=datetime.date(2024, 5, 19), ends_on=DAY
    )
    with pytest.raises(ValidationError, match="Hoạt động không thể kết thúc trước khi bắt đầu"):
        activity_save(actor=None, activity=activity)
    assert not Activity.objects.exists()
