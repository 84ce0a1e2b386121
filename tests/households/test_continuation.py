"""A partnership carried over to the commune its commune merged into: the households move with
their villages, earlier records keep their places, the cadres go on; and what refuses it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from households.models import Household
from households.services import continuation_of, partnership_continue
from outreach.models import RoleAssignment
from outreach.scope import communes_for
from tests.factories import (
    CommuneFactory,
    DistributionFactory,
    HouseholdFactory,
    PartnershipFactory,
    ReceiptFactory,
    ReviewCampaignFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db
LAST = datetime.date(2025, 6, 30)
FIRST = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def merged():
    """Old Linh Phú (two villages, both carried on) merged into a new Tri Phú."""
    new = CommuneFactory(name="Tri Phú", valid_from=FIRST)
    old = CommuneFactory(name="Linh Phú", province=new.province, valid_until=LAST, merged_into=new)
    villages = {}
    for name in ("Pác Hợp", "Lũng Lừa"):
        after = VillageFactory(commune=new, name=name, valid_from=FIRST)
        villages[name] = (
            VillageFactory(commune=old, name=name, valid_until=LAST, merged_into=after),
            after,
        )
    return old, new, villages


def _continue(partnership, into, actor=None):
    return partnership_continue(actor=actor, partnership=partnership, into=into, first_day=FIRST)


def test_the_households_move_with_their_villages_and_earlier_records_keep_their_places(merged):
    old, new, villages = merged
    partnership = PartnershipFactory(commune=old)
    pac_hop, pac_hop_now = villages["Pác Hợp"]
    household = HouseholdFactory(commune=old, village=pac_hop, code="LP-0001")
    receipt = ReceiptFactory(
        distribution=DistributionFactory(partnership=partnership), household=household
    )
    cadre = UserFactory()
    RoleAssignment.objects.create(user=cadre, role=RoleAssignment.Role.COMMUNE_CADRE, commune=old)

    assert continuation_of(partnership) == (new, FIRST)
    _continue(partnership, new)

    partnership.refresh_from_db()
    household.refresh_from_db()
    receipt.refresh_from_db()
    assert partnership.commune == new
    assert (household.commune, household.village) == (new, pac_hop_now)
    assert household.history.latest().prev_record.village_id == pac_hop.pk
    assert receipt.village == pac_hop  # made before the reform: the old place
    assert RoleAssignment.objects.get(user=cadre).commune == new
    assert set(communes_for(cadre)) == {new.pk, old.pk}


def test_a_partnership_whose_commune_did_not_merge_there_is_refused(merged):
    old, _new, _villages = merged
    elsewhere = CommuneFactory(name="Xã khác", valid_from=FIRST)
    partnership = PartnershipFactory(commune=old)
    with pytest.raises(ValidationError, match="did not merge into Xã khác"):
        _continue(partnership, elsewhere)
    partnership.refresh_from_db()
    assert partnership.commune == old


def test_a_commune_that_has_not_merged_has_no_continuation():
    partnership = PartnershipFactory()
    with pytest.raises(ValidationError, match="has not merged into another commune"):
        continuation_of(partnership)


def test_a_village_that_did_not_carry_on_stops_everything(merged):
    old, new, _villages = merged
    partnership = PartnershipFactory(commune=old)
    stranded = VillageFactory(commune=old, name="Nà Coóc")
    kept = HouseholdFactory(commune=old, village=stranded)
    moved_before = Household.objects.filter(commune=new).count()
    with pytest.raises(ValidationError, match="did not carry on into Tri Phú: Nà Coóc"):
        _continue(partnership, new)
    kept.refresh_from_db()
    assert kept.commune == old
    assert Household.objects.filter(commune=new).count() == moved_before


def test_a_code_already_taken_in_the_new_commune_is_named(merged):
    old, new, villages = merged
    partnership = PartnershipFactory(commune=old)
    HouseholdFactory(commune=old, village=villages["Pác Hợp"][0], code="A-1")
    HouseholdFactory(commune=new, village=villages["Pác Hợp"][1], code="A-1")
    with pytest.raises(ValidationError, match="already has households with these codes: A-1"):
        _continue(partnership, new)
    assert PartnershipFactory._meta.model.objects.get(pk=partnership.pk).commune == old


def test_an_open_review_campaign_must_be_closed_first(merged):
    old, new, _villages = merged
    partnership = PartnershipFactory(commune=old)
    ReviewCampaignFactory(commune=old, year=2025)
    with pytest.raises(ValidationError, match="review campaign still open"):
        _continue(partnership, new)


def test_the_admin_action_carries_the_partnership_over(client, admin_user, merged):
    old, _new, villages = merged
    partnership = PartnershipFactory(commune=old)
    household = HouseholdFactory(commune=old, village=villages["Lũng Lừa"][0])
    client.force_login(admin_user)
    response = client.post(
        "/admin/outreach/partnership/",
        {"action": "continue_with_successor", "_selected_action": [partnership.pk]},
        follow=True,
    )
    assert response.status_code == 200
    # Pages speak the site language, Vietnamese.
    assert "đã chuyển sang xã mới: 1" in response.content.decode()
    household.refresh_from_db()
    assert household.village == villages["Lũng Lừa"][1]


def test_the_admin_action_says_why_it_refuses(client, admin_user):
    partnership = PartnershipFactory()
    client.force_login(admin_user)
    response = client.post(
        "/admin/outreach/partnership/",
        {"action": "continue_with_successor", "_selected_action": [partnership.pk]},
        follow=True,
    )
    assert "chưa sáp nhập vào xã nào khác" in response.content.decode()


def test_a_household_on_the_old_map_is_shown_with_todays_place_beside_it(client, merged):
    old, new, villages = merged
    partnership = PartnershipFactory(commune=new)
    staff = UserFactory(is_staff=True)
    RoleAssignment.objects.create(
        user=staff, role=RoleAssignment.Role.OFFICE_STAFF, partnership=partnership
    )
    household = HouseholdFactory(
        commune=old,
        village=villages["Pác Hợp"][0],
        address="Thôn Pác Hợp, xã Linh Phú, huyện Chiêm Hóa",
    )
    client.force_login(staff)
    html = client.get(f"/households/{household.pk}/").content.decode()
    assert f"(nay là Pác Hợp, Tri Phú, {new.province.name})" in html
    assert "(nay là Linh Phú → Tri Phú)" in html


def test_a_household_on_todays_map_shows_nothing_beside_its_place(client, merged):
    _old, new, villages = merged
    partnership = PartnershipFactory(commune=new)
    staff = UserFactory(is_staff=True)
    RoleAssignment.objects.create(
        user=staff, role=RoleAssignment.Role.OFFICE_STAFF, partnership=partnership
    )
    household = HouseholdFactory(
        commune=new, village=villages["Pác Hợp"][1], address="Thôn Pác Hợp, xã Tri Phú"
    )
    client.force_login(staff)
    html = client.get(f"/households/{household.pk}/").content.decode()
    assert "(nay là " not in html
