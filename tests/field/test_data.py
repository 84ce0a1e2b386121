"""GET field:data: what a cadre takes offline, of their communes only, nothing private, in a
number of queries that does not grow with the rows; JSON answers to those who may not."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Asset, Distribution
from activities.services import maintenance_record, receipt_confirm
from households.models import CampaignHousehold
from households.services import survey_save, survey_start
from outreach.scope import Role
from outreach.services import role_assign
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("field:data")
HOUSING = {"walls": "hardwood", "frame": "hardwood", "roof": "tiles", "floor_area_m2": 40}


def _data(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_anonymous_gets_401_json_not_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["status"] == "login"


@pytest.mark.parametrize("role", ["donor_user", "auditor_user"])
def test_donors_and_auditors_are_refused_in_json(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 403
    assert response.json()["status"] == "refused"


def test_a_role_that_expired_is_refused(client, partnership):
    user = f.UserFactory()
    role_assign(
        actor=None,
        user=user,
        role=Role.COMMUNE_CADRE,
        commune=partnership.commune,
        valid_until=datetime.date(2020, 1, 1),
    )
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_the_cadre_gets_the_households_of_their_commune_for_lookup(
    client, cadre_user, household, outside
):
    archived = f.HouseholdFactory(village=household.village, archived=True)
    data = _data(client, cadre_user)
    assert data["user"]["id"] == cadre_user.pk
    assert data["households"] == [
        {
            "id": household.pk,
            "code": "LP-0001",
            "head": "Đàm Văn Lìu",
            "village": "Pác Hợp",
            "poverty": "poor",
            "poverty_label": "Hộ nghèo",
            "policy_family": False,
            "in_difficulty": False,
            "search": "dam van liu lp-0001 pac hop",
        }
    ]
    ids = {row["id"] for row in data["households"]}
    assert outside["household"].pk not in ids
    assert archived.pk not in ids


def test_nothing_private_is_taken_offline(client, cadre_user, household, receipt, survey):
    client.force_login(cadre_user)
    text = client.get(URL).content.decode()
    member = household.members.get()
    assert "0912345678" not in text  # the household's phone
    assert household.phone not in text  # as stored (84…)
    assert member.national_id not in text
    assert "1975" not in text  # the member's birth year
    assert "people" not in text
    data = client.get(URL).json()
    assert [section["name"] for section in data["surveys"][0]["sections"]] == [
        "housing",
        "services",
        "income",
    ]


def test_only_distributions_taking_confirmations_come_with_their_receipts(
    client, cadre_user, partnership, receipt, outside
):
    draft = f.DistributionFactory(partnership=partnership, status=Distribution.Status.DRAFT)
    closed = f.DistributionFactory(partnership=partnership, status=Distribution.Status.CLOSED)
    approved = f.DistributionFactory(partnership=partnership, status=Distribution.Status.APPROVED)
    receipt_confirm(actor=cadre_user, receipt=receipt)
    data = _data(client, cadre_user)
    ids = {row["id"] for row in data["distributions"]}
    assert ids == {receipt.distribution_id, approved.pk}
    assert draft.pk not in ids
    assert closed.pk not in ids
    row = next(d for d in data["distributions"] if d["id"] == receipt.distribution_id)
    assert row["status"] == "distributing"
    assert row["status_label"] == "Đang trao"
    assert row["distributed_on"] == "2025-01-20"
    (line,) = row["receipts"]
    assert line["household"] == receipt.household_id
    assert line["household_code"] == "LP-0001"
    assert line["head"] == "Đàm Văn Lìu"
    assert line["items"] == "1 × Chăn bông"
    assert line["confirmed"] is True
    assert line["confirmed_by"] == " ".join([cadre_user.last_name, cadre_user.first_name]).strip()
    assert line["confirmed_at"].endswith("+07:00")
    assert line["not_delivered"] is False
    assert isinstance(line["version"], str)


def test_assets_in_scope_that_stand_are_listed(client, cadre_user, asset, partnership, outside):
    removed = f.AssetFactory(partnership=partnership, status=Asset.Status.REMOVED)
    data = _data(client, cadre_user)
    assert [row["id"] for row in data["assets"]] == [asset.pk]
    assert removed.pk not in {row["id"] for row in data["assets"]}
    (row,) = data["assets"]
    assert row["code"] == "DEN-0001"
    assert row["village"] == "Pác Hợp"
    assert row["status"] == "installed"
    assert row["status_label"] == "Đã lắp đặt"


def test_an_asset_checked_again_changes_version(client, staff_user, asset):
    before = _data(client, staff_user)["assets"][0]["version"]
    maintenance_record(
        actor=staff_user, asset=asset, kind="check", happened_on=datetime.date(2025, 1, 5)
    )
    maintenance_record(
        actor=staff_user, asset=asset, kind="check", happened_on=datetime.date(2025, 1, 6)
    )
    middle = _data(client, staff_user)["assets"][0]["version"]
    maintenance_record(
        actor=staff_user, asset=asset, kind="check", happened_on=datetime.date(2025, 1, 7)
    )
    after = _data(client, staff_user)["assets"][0]["version"]
    assert len({before, middle, after}) == 3


def test_open_surveys_come_with_the_survey_forms_fields(client, cadre_user, survey):
    data = _data(client, cadre_user)
    (row,) = data["surveys"]
    assert row["id"] == survey.pk
    assert row["household"] == survey.entry.household_id
    assert row["version"] == survey.version
    housing = row["sections"][0]
    assert housing["label"] == "Nhà ở"
    walls = next(field for field in housing["fields"] if field["name"] == "walls")
    assert walls["type"] == "select"
    assert walls["required"] is True
    assert ["hardwood", "Gỗ bền chắc"] in walls["choices"]
    assert ["", "—"] not in walls["choices"]
    area = next(field for field in housing["fields"] if field["name"] == "floor_area_m2")
    assert area["type"] == "number"
    services = row["sections"][1]["fields"]
    # A question of several answers: a yes/no box per answer.
    boxes = [field for field in services if field["name"].startswith("information_means:")]
    assert [box["name"] for box in boxes][:2] == [
        "information_means:television",
        "information_means:radio",
    ]
    assert {box["type"] for box in boxes} == {"checkbox"}
    assert {box["value"] for box in boxes} == {False}
    assert boxes[0]["label"].endswith(": Ti vi")
    assert {box["group"] for box in boxes} == {"information_means"}
    types = {field["type"] for section in row["sections"] for field in section["fields"]}
    assert types <= {"text", "number", "date", "select", "checkbox"}
    assert "version" not in {field["name"] for field in housing["fields"]}


def test_saved_values_are_given(client, cadre_user, survey):
    survey_save(
        actor=cadre_user,
        survey=survey,
        section="housing",
        data={**HOUSING, "floor_area_m2": 45},
        version=survey.version,
    )
    housing = _data(client, cadre_user)["surveys"][0]["sections"][0]
    values = {field["name"]: field["value"] for field in housing["fields"]}
    assert values == {
        "walls": "hardwood",
        "frame": "hardwood",
        "roof": "tiles",
        "floor_area_m2": 45,
    }
    assert housing["done"] is True


def test_surveys_that_can_no_longer_change_are_left_behind(client, cadre_user, survey):
    entry = survey.entry
    entry.state = CampaignHousehold.State.AGREED
    entry.save(update_fields=["state"])
    assert _data(client, cadre_user)["surveys"] == []


def test_surveys_of_another_commune_are_not_given(client, cadre_user, outside):
    entry = f.CampaignHouseholdFactory(
        campaign__commune=outside["partnership"].commune, household=outside["household"]
    )
    survey_start(actor=None, entry=entry)
    assert _data(client, cadre_user)["surveys"] == []


def test_choices_follow_the_role(client, cadre_user, staff_user):
    cadre = _data(client, cadre_user)["choices"]
    assert [value for value, _label in cadre["asset_log_kinds"]] == ["fault", "check"]
    assert ["change", "Thay đổi hoàn cảnh"] in [list(kind) for kind in cadre["concern_kinds"]]
    staff = _data(client, staff_user)["choices"]
    assert [value for value, _label in staff["asset_log_kinds"]] == ["fault", "check"]


def _commune_of(partnership, campaign, count: int) -> None:
    """``count`` households, each with a receipt of one of two new distributions, an asset and
    a survey of ``campaign``."""
    distributions = [
        f.DistributionFactory(partnership=partnership, status=Distribution.Status.DISTRIBUTING)
        for _ in range(2)
    ]
    for number in range(count):
        household = f.HouseholdFactory(village__commune=partnership.commune)
        f.ReceiptFactory(distribution=distributions[number % 2], household=household)
        f.AssetFactory(partnership=partnership)
        entry = f.CampaignHouseholdFactory(campaign=campaign, household=household)
        survey_start(actor=None, entry=entry)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, cadre_user, partnership, django_assert_num_queries
):
    campaign = f.ReviewCampaignFactory(commune=partnership.commune)
    _commune_of(partnership, campaign, 2)
    client.force_login(cadre_user)
    client.get(URL)
    with django_assert_num_queries(11) as few:
        response = client.get(URL)
    assert len(response.json()["surveys"]) == 2
    _commune_of(partnership, campaign, 6)
    with django_assert_num_queries(len(few)):
        response = client.get(URL)
    data = response.json()
    assert len(data["households"]) == 8
    assert len(data["surveys"]) == 8
    assert len(data["distributions"]) == 4
    assert sum(len(d["receipts"]) for d in data["distributions"]) == 8
