"""The case file's registry (sections and filters from higher apps), its sections, and the
services behind the file's reviews and concerns."""

import ast
import datetime
import pathlib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities import case_file as activities_case_file
from households import case_file
from households.models import Concern, Household
from households.services import (
    concern_record,
    concern_update,
    household_flag,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(partnership):
    return f.HouseholdFactory(village__commune=partnership.commune, code="LP-0500")


# --- The registry ---------------------------------------------------------------------------


def test_households_never_imports_activities():
    package = pathlib.Path(settings.BASE_DIR) / "households"
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "activities" for name in names), path


def test_the_case_file_has_the_households_and_the_activities_sections_in_order():
    names = [section.name for section in case_file.sections()]
    # The channel adds the household's messages (channel.notify.panels_uses) once it is ready.
    names = [name for name in names if name != "messages"]
    assert names == ["members", "reviews", "concerns", "received", "village_activities"]


def test_activities_registers_the_received_nothing_filter():
    names = [item.name for item in case_file.list_filters()]
    assert "received_nothing" in names


def test_a_registered_section_is_built_with_its_context_and_left_out_of_print_without_template(
    household, staff_user
):
    calls = []

    def context(*, household, user):
        calls.append((household, user))
        return {"answer": 42}

    case_file.register_section("zz-test", order=999, template="x.html", context=context)
    try:
        built = case_file.build_sections(household=household, user=staff_user)
        printed = case_file.build_sections(household=household, user=staff_user, for_print=True)
    finally:
        case_file._SECTIONS.pop("zz-test")
    assert built[-1].name == "zz-test"
    assert built[-1].data == {"answer": 42}
    assert "zz-test" not in [item.name for item in printed]
    assert calls == [(household, staff_user)]


# --- The sections from activities -----------------------------------------------------------


def test_received_lists_receipts_grants_and_assets_with_their_funders(
    partnership, household, staff_user
):
    bidv, agribank = f.PartnerFactory(name="BIDV Mỹ Đình"), f.PartnerFactory(name="Agribank")
    distribution = f.DistributionFactory(partnership=partnership)
    receipt = f.ReceiptFactory(
        distribution=distribution, household=household, value_vnd=500_000, confirmed_at=None
    )
    for partner in (bidv, agribank, bidv):
        f.AllocationFactory(
            donation=f.DonationFactory(partnership=partnership, partner=partner),
            distribution=distribution,
        )
    grant = f.GrantFactory(partnership=partnership, household=household, amount_vnd=70_000_000)
    f.AllocationFactory(
        donation=f.DonationFactory(partnership=partnership, partner=agribank),
        distribution=None,
        grant=grant,
    )
    asset = f.AssetFactory(
        partnership=partnership, village=household.village, household=household, value_vnd=1
    )
    f.ReceiptFactory(distribution__partnership=partnership)  # somebody else's

    data = activities_case_file.received(household=household, user=staff_user)
    assert data["receipts"] == [receipt]
    assert data["receipts"][0].funders == ["BIDV Mỹ Đình", "Agribank"]
    assert data["grants"] == [grant]
    assert data["grants"][0].funders == ["Agribank"]
    assert data["assets"] == [asset]
    assert data["assets"][0].funders == []
    # An unconfirmed receipt is listed but not counted as received.
    assert data["total_vnd"] == 70_000_001


def test_received_shows_nothing_the_user_may_not_see(partnership, household, donor_user):
    f.ReceiptFactory(distribution__partnership=partnership, household=household)
    data = activities_case_file.received(household=household, user=donor_user)
    assert data["receipts"] == []


def test_village_activities_are_the_latest_of_the_households_village(
    partnership, household, staff_user
):
    here = f.ActivityFactory(partnership=partnership, title="Ở đây")
    here.villages.add(household.village)
    f.ActivityFactory(partnership=partnership, title="Nơi khác").villages.add(
        f.VillageFactory(commune=partnership.commune)
    )
    photo = f.PhotoFactory(activity=here)
    f.PhotoFactory(activity=here, state="failed")
    data = activities_case_file.village_activities(household=household, user=staff_user)
    assert data["activities"] == [here]
    assert data["photos"] == [photo]


# --- Asking for a review --------------------------------------------------------------------


def test_household_flag_asks_for_a_review(household, cadre_user):
    household_flag(actor=cadre_user, household=household, reason="  Chủ hộ   ốm nặng ")
    household.refresh_from_db()
    assert household.flagged_for_review
    assert household.flag_reason == "Chủ hộ ốm nặng"


def test_household_flag_without_a_reason_is_refused(household, cadre_user):
    with pytest.raises(ValidationError, match="Hãy nêu lý do cần rà soát hộ"):
        household_flag(actor=cadre_user, household=household, reason="   ")
    household.refresh_from_db()
    assert not household.flagged_for_review


def test_an_archived_household_cannot_be_flagged(household, cadre_user):
    Household.objects.filter(pk=household.pk).update(archived=True)
    with pytest.raises(ValidationError, match="Không thể rà soát hộ đã lưu trữ"):
        household_flag(actor=cadre_user, household=household, reason="Ốm")
    household.refresh_from_db()
    assert not household.flagged_for_review


def test_a_long_reason_is_cut_to_the_column(household, cadre_user):
    household_flag(actor=cadre_user, household=household, reason="x" * 400)
    household.refresh_from_db()
    assert len(household.flag_reason) == 255


# --- Concerns -------------------------------------------------------------------------------


def test_concern_record_keeps_who_recorded_it(household, cadre_user):
    concern = concern_record(
        actor=cadre_user,
        household=household,
        kind=Concern.Kind.CONCERN,
        raised_on=datetime.date(2024, 5, 2),
        text=" Mái nhà dột ",
    )
    assert (concern.text, concern.status, concern.recorded_by) == (
        "Mái nhà dột",
        Concern.Status.OPEN,
        cadre_user,
    )
    household.refresh_from_db()
    assert not household.flagged_for_review


def test_a_change_of_circumstance_flags_the_household(household, cadre_user):
    concern_record(
        actor=cadre_user,
        household=household,
        kind=Concern.Kind.CHANGE,
        raised_on=timezone.localdate(),
        text="Chồng mất",
    )
    household.refresh_from_db()
    assert household.flagged_for_review
    assert "Chồng mất" in household.flag_reason


def test_a_concern_dated_in_the_future_is_refused(household, cadre_user):
    with pytest.raises(ValidationError, match="Ngày phản ánh không thể ở tương lai"):
        concern_record(
            actor=cadre_user,
            household=household,
            kind=Concern.Kind.CHANGE,
            raised_on=timezone.localdate() + datetime.timedelta(days=1),
            text="Sớm",
        )
    assert not Concern.objects.exists()
    household.refresh_from_db()
    assert not household.flagged_for_review


def test_a_concern_handled_by_someone_outside_the_commune_is_refused(household, cadre_user):
    with pytest.raises(ValidationError, match="Người này không có vai trò tại xã của hộ"):
        concern_record(
            actor=cadre_user,
            household=household,
            kind=Concern.Kind.REQUEST,
            raised_on=timezone.localdate(),
            text="Xin giống",
            handled_by=f.UserFactory(),
        )
    assert not Concern.objects.exists()


def test_staff_of_the_partnership_and_cadres_may_handle_concerns(household, cadre_user, staff_user):
    for handler in (cadre_user, staff_user):
        concern = concern_record(
            actor=cadre_user,
            household=household,
            kind=Concern.Kind.REQUEST,
            raised_on=timezone.localdate(),
            text="Xin giống",
            handled_by=handler,
        )
        assert concern.handled_by == handler


def test_resolving_sets_the_date_and_needs_a_resolution(household, cadre_user):
    concern = f.ConcernFactory(household=household, raised_on=datetime.date(2024, 5, 2))
    with pytest.raises(ValidationError, match="Hãy nêu phản ánh đã được giải quyết như thế nào"):
        concern_update(actor=cadre_user, concern=concern, status=Concern.Status.RESOLVED)
    concern.refresh_from_db()
    assert (concern.status, concern.resolved_on) == (Concern.Status.OPEN, None)

    concern_update(
        actor=cadre_user,
        concern=concern,
        status=Concern.Status.RESOLVED,
        resolution="Đã lợp lại",
    )
    concern.refresh_from_db()
    assert (concern.status, concern.resolved_on) == (
        Concern.Status.RESOLVED,
        timezone.localdate(),
    )


def test_a_concern_cannot_be_resolved_before_it_was_raised(household, cadre_user):
    concern = f.ConcernFactory(household=household, raised_on=datetime.date(2024, 5, 2))
    with pytest.raises(ValidationError, match="Ngày giải quyết không thể trước ngày phản ánh"):
        concern_update(
            actor=cadre_user,
            concern=concern,
            status=Concern.Status.RESOLVED,
            resolution="Xong",
            resolved_on=datetime.date(2024, 5, 1),
        )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN


def test_a_resolved_concern_cannot_be_edited_but_can_be_reopened(household, cadre_user):
    concern = f.ConcernFactory(
        household=household,
        status=Concern.Status.RESOLVED,
        resolution="Đã lợp lại",
        resolved_on=datetime.date(2024, 6, 1),
    )
    for change in (
        {"status": Concern.Status.RESOLVED, "resolution": "Khác"},
        {"status": Concern.Status.OPEN, "resolution": "Khác"},
        {"status": Concern.Status.OPEN, "resolution": "Đã lợp lại", "handled_by": cadre_user},
    ):
        with pytest.raises(ValidationError, match="Phản ánh đã giải quyết thì không thể sửa"):
            concern_update(actor=cadre_user, concern=concern, **change)
        concern.refresh_from_db()
        assert (concern.status, concern.resolution) == (Concern.Status.RESOLVED, "Đã lợp lại")

    concern_update(
        actor=cadre_user,
        concern=concern,
        status=Concern.Status.IN_PROGRESS,
        resolution="Đã lợp lại",
    )
    concern.refresh_from_db()
    assert (concern.status, concern.resolved_on, concern.resolution) == (
        Concern.Status.IN_PROGRESS,
        None,
        "Đã lợp lại",
    )
