"""The attack's own writes, whole (a valid add or change, inside and outside), and each write
service called with a target outside the actor's scope (issue 21)."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from activities.models import (
    Activity,
    Allocation,
    Asset,
    Distribution,
    Grant,
    Participation,
    Photo,
    Receipt,
)
from households.models import Household, Review, ReviewCampaign
from households.services import campaign_open
from outreach.models import Donation, Partner, Partnership, ReportLink, Village
from outreach.services import donation_record, report_link_create, report_link_revoke
from tests import factories as f
from tests.admin.pages import _errors, _form_data, _url
from tests.admin_writes.helpers import (
    INVALID,
    TOMORROW,
    _add_data,
    _client,
    _post,
    _refused,
    _snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "role"),
    [
        (Asset, "staff"),
        (Distribution, "staff"),
        (Donation, "staff"),
        (Village, "staff"),
        (Partnership, "staff"),
        (ReportLink, "staff"),
    ],
)
def test_a_whole_add_outside_writes_nothing_and_inside_works(client, world, model, role):
    _client(client, world["users"][role])
    page = client.get(_url(model, "add"))
    assert page.status_code == 200
    before = model.objects.count()
    outside = _post(client, model, _form_data(page, **_add_data(world, "outside", model)))
    assert INVALID in _errors(outside)
    assert model.objects.count() == before
    inside = _post(client, model, _form_data(page, **_add_data(world, "inside", model)))
    if inside.status_code == 200:
        # The rest of the form is the model's own business; the scope let the links through.
        assert INVALID not in _errors(inside), _errors(inside)
    else:
        assert inside.status_code == 302
        assert model.objects.count() == before + 1


def test_no_one_changes_a_households_classification_through_a_review_in_the_admin(client, world):
    # Reviews are made by commune decisions only (tests/households/test_admin_classification.py).
    household = f.HouseholdFactory(village__commune=world["inside"].commune, poverty="")
    for role in ("staff", "cadre"):
        _client(client, world["users"][role])
        assert client.get(_url(Review, "add")).status_code == 403
        data = _add_data(world, "inside", Review) | {"household": household.pk}
        assert client.post(_url(Review, "add"), data).status_code == 403
    household.refresh_from_db()
    assert household.poverty == ""
    assert not Review.objects.filter(household=household).exists()


def test_staff_cannot_rename_another_partnerships_donor(client, world):
    donor = f.PartnerFactory(name="Nhà tài trợ của B")
    f.DonationFactory(partnership=world["outside"], partner=donor)
    own = f.PartnerFactory(name="Nhà tài trợ của A")
    f.DonationFactory(partnership=world["inside"], partner=own)
    _client(client, world["users"]["staff"])
    page = client.get(_url(Partner, "change", own.pk))
    renamed = _post(client, Partner, _form_data(page, name="A đổi tên"), own.pk)
    assert renamed.status_code == 302
    own.refresh_from_db()
    assert own.name == "A đổi tên"
    page = client.get(_url(Partner, "change", donor.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # shown, read-only
    response = client.post(
        _url(Partner, "change", donor.pk), {"name": "Đổi tên", "kind": donor.kind}
    )
    assert response.status_code == 403
    donor.refresh_from_db()
    assert donor.name == "Nhà tài trợ của B"


def test_staff_make_no_province_district_or_commune(client, world):
    from outreach.models import Commune, District, Province

    _client(client, world["users"]["staff"])
    for model in (Province, District, Commune):
        assert client.get(_url(model, "add")).status_code == 403
    province = world["outside"].commune.province
    page = client.get(_url(Province, "change", province.pk))
    assert 'name="_save"' not in page.content.decode()


def test_a_bulk_revoke_leaves_another_partnerships_link_alone(client, world):
    link = ReportLink.objects.create(partner=world["outside"].office, expires_on=TOMORROW)
    _client(client, world["users"]["staff"])
    client.post(
        _url(ReportLink, "changelist"),
        {"action": "revoke", "_selected_action": [str(link.pk)]},
    )
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_grant_page_shows_no_other_communes_household_code(client, world):
    other = f.HouseholdFactory(village__commune=world["outside"].commune, code="LP-0123")
    _client(client, world["users"]["staff"])
    page = client.get(reverse("activities:grant-create")).content.decode()
    assert other.code not in page
    response = client.post(
        reverse("activities:grant-create"),
        {
            "partnership": world["inside"].pk,
            "household_code": other.code,
            "purpose": "Sửa nhà",
            "amount_vnd": "1000000",
            "approved_on": timezone.localdate().isoformat(),
        },
    )
    assert not Grant.objects.filter(household=other).exists()
    assert response.status_code == 200


def test_services_refuse_a_distribution_of_another_partnership(world, staff):
    distribution = Distribution(
        partnership=world["outside"], title="Quà", item_description="Gạo", value_per_item_vnd=1
    )
    _refused(
        lambda: activity_services.distribution_save(actor=staff, distribution=distribution),
        Distribution,
    )
    theirs = f.DistributionFactory(partnership=world["outside"])
    household = f.HouseholdFactory(village__commune=world["outside"].commune)
    _refused(
        lambda: activity_services.receipt_add(
            actor=staff, distribution=theirs, household=household
        ),
        Receipt,
    )
    _refused(
        lambda: activity_services.distribution_recipients_add(
            actor=staff, distribution=theirs, households_queryset_or_ids=[household.pk]
        ),
        Receipt,
    )
    before = _snapshot(Distribution, theirs.pk)
    _refused(
        lambda: activity_services.distribution_transition(
            actor=staff, distribution=theirs, to=Distribution.Status.APPROVED
        )
    )
    assert _snapshot(Distribution, theirs.pk) == before


def test_services_refuse_money_of_another_partnership(world, staff):
    _refused(
        lambda: donation_record(
            actor=staff,
            partnership=world["outside"],
            partner=f.PartnerFactory(),
            received_on=timezone.localdate(),
            value_vnd=1_000,
        ),
        Donation,
    )
    theirs = f.DonationFactory(partnership=world["outside"], value_vnd=10_000_000)
    mine = f.DistributionFactory(partnership=world["inside"])
    _refused(
        lambda: activity_services.donation_allocate(
            actor=staff, donation=theirs, amount_vnd=1_000, distribution=mine
        ),
        Allocation,
    )
    before = _snapshot(Donation, theirs.pk)
    _refused(lambda: activity_services.donation_update(actor=staff, donation=theirs, note="x"))
    assert _snapshot(Donation, theirs.pk) == before
    household = f.HouseholdFactory(village__commune=world["outside"].commune)
    grant = Grant(
        partnership=world["outside"],
        household=household,
        purpose="Sửa nhà",
        amount_vnd=1_000_000,
        approved_on=timezone.localdate(),
    )
    _refused(lambda: activity_services.grant_save(actor=staff, grant=grant), Grant)


def test_services_refuse_an_asset_activity_or_photo_of_another_partnership(world, staff):
    village = f.VillageFactory(commune=world["outside"].commune)
    asset = Asset(
        partnership=world["outside"],
        village=village,
        kind=Asset.Kind.SOLAR_LIGHT,
        code="NGOAI-1",
        installed_on=timezone.localdate(),
    )
    _refused(lambda: activity_services.asset_register(actor=staff, asset=asset), Asset)
    theirs = f.ActivityFactory(partnership=world["outside"])
    _refused(
        lambda: activity_services.participants_save(
            actor=staff,
            activity=theirs,
            participants=[Participation(name="Ma Văn A", group=Participation.Group.values[0])],
        ),
        Participation,
    )
    _refused(
        lambda: activity_services.activity_photos_add(actor=staff, activity=theirs, files=[]),
        Photo,
    )
    mine = f.ActivityFactory(partnership=world["inside"])
    _refused(
        lambda: activity_services.activity_save(actor=staff, activity=mine, villages=[village])
    )
    assert not mine.villages.filter(pk=village.pk).exists()
    photo = f.PhotoFactory(activity=theirs, caption="Của B")
    _refused(
        lambda: activity_services.photo_update(
            actor=staff, photo=photo, caption="Đổi", credit="", consent_to_publish=True
        )
    )
    photo.refresh_from_db()
    assert photo.caption == "Của B"


def test_services_refuse_a_report_link_to_another_partnerships_donor(world, staff):
    donor = f.PartnerFactory()
    f.DonationFactory(partnership=world["outside"], partner=donor)
    _refused(
        lambda: report_link_create(actor=staff, partner=donor, expires_on=TOMORROW), ReportLink
    )
    theirs = ReportLink.objects.create(partner=world["outside"].office, expires_on=TOMORROW)
    _refused(lambda: report_link_revoke(actor=staff, link=theirs))
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_cadre_opens_no_review_in_another_commune(world, cadre):
    household = f.HouseholdFactory(village__commune=world["outside"].commune)
    _refused(
        lambda: campaign_open(
            actor=cadre,
            commune=household.commune,
            year=timezone.localdate().year,
            opened_on=timezone.localdate(),
            kind=ReviewCampaign.Kind.ADHOC,
            household=household,
            reason="x",
        ),
        ReviewCampaign,
    )
    mine = f.HouseholdFactory(village__commune=world["inside"].commune)
    campaign = campaign_open(
        actor=cadre,
        commune=mine.commune,
        year=timezone.localdate().year,
        opened_on=timezone.localdate(),
        kind=ReviewCampaign.Kind.ADHOC,
        household=mine,
        reason="x",
    )
    assert campaign.entries.get().household == mine


def test_households_and_concerns_of_another_commune_are_refused(world, staff):
    from households import services as household_services
    from households.models import Concern, Member

    village = f.VillageFactory(commune=world["outside"].commune)
    _refused(
        lambda: household_services.household_create(
            actor=staff, village=village, code="NG-1", head_name="Ma Văn B"
        ),
        Household,
    )
    theirs = f.HouseholdFactory(village=village)
    _refused(
        lambda: household_services.member_add(actor=staff, household=theirs, full_name="Ma Thị C"),
        Member,
    )
    _refused(
        lambda: household_services.concern_record(
            actor=staff,
            household=theirs,
            kind=Concern.Kind.CHANGE,
            raised_on=timezone.localdate(),
            text="x",
        ),
        Concern,
    )
    mine = f.HouseholdFactory(village__commune=world["inside"].commune)
    _refused(
        lambda: household_services.household_update(actor=staff, household=mine, village=village)
    )
    assert Household.objects.get(pk=mine.pk).village_id != village.pk


def test_the_system_is_not_refused(world):
    """Commands, tasks and the demo act with actor=None: no scope to keep them in."""
    household = f.HouseholdFactory(village__commune=world["outside"].commune)
    campaign_open(
        actor=None,
        commune=household.commune,
        year=timezone.localdate().year,
        opened_on=timezone.localdate(),
        kind=ReviewCampaign.Kind.ADHOC,
        household=household,
        reason="x",
    )
    assert ReviewCampaign.objects.filter(entries__household=household).exists()


def test_the_attacks_models_are_in_the_registry_the_matrix_walks():
    # The attack's models are among those the registry covers.
    assert {Asset, Distribution, Receipt, Grant, Donation, Village, Partnership}.issubset(
        set(admin.site._registry)
    )
    assert {Participation, Photo, ReportLink, Activity}.issubset(set(admin.site._registry))
