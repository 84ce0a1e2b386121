"""POST field:sync: each kind of record applied once through the services, a replay answered
"already" with nothing new, conflicts with both sides, "mine" after a conflict, refusals of
role and scope, malformed and invalid records; nothing stored unless applied."""

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Asset, Distribution, MaintenanceLog, Receipt
from activities.services import (
    maintenance_record,
    receipt_confirm,
    receipts_mark_not_delivered,
)
from field.models import SyncedRecord
from field.selectors import asset_version
from households.models import Concern, Survey
from households.services import survey_save, survey_start
from outreach.scope import Role
from outreach.services import role_assign
from tests import factories as f
from tests.field.conftest import png_data_url, record, send

pytestmark = pytest.mark.django_db

HOUSING = {"walls": "hardwood", "frame": "hardwood", "roof": "tiles", "floor_area_m2": 40}


def _version(obj) -> str:
    return obj.updated_at.isoformat()


def _asset_version(asset) -> str:
    return asset_version(asset.logs.order_by("-pk").values_list("pk", flat=True).first())


def _counts() -> dict:
    return {
        "synced": SyncedRecord.objects.count(),
        "receipt_history": Receipt.history.count(),
        "logs": MaintenanceLog.objects.count(),
        "concerns": Concern.objects.count(),
        "survey_history": Survey.history.count(),
    }


@pytest.fixture
def cadre(client, cadre_user):
    client.force_login(cadre_user)
    return client


def _confirm(receipt, **extra):
    data = {"receipt": receipt.pk, **extra.pop("data", {})}
    return record("receipt_confirm", data, version=extra.pop("version", _version(receipt)), **extra)


def _fault(asset, **extra):
    data = {
        "asset": asset.pk,
        "kind": "fault",
        "happened_on": "2025-01-02",
        "note": "Đèn không sáng",
    }
    data.update(extra.pop("data", {}))
    return record("asset_log", data, version=extra.pop("version", _asset_version(asset)), **extra)


def _concern(household, **data):
    values = {"household": household.pk, "kind": "concern", "raised_on": "2025-01-02"}
    values["text"] = "Mái nhà bị dột"
    values.update(data)
    return record("concern", values)


def _housing(survey, fields=None, **extra):
    data = {"survey": survey.pk, "section": "housing", "fields": fields or HOUSING}
    return record("survey_section", data, version=extra.pop("version", survey.version), **extra)


# --- Each kind, stored once -----------------------------------------------------------------------


def test_a_receipt_confirmed_offline_is_confirmed_at_the_recorded_time(cadre, cadre_user, receipt):
    recorded = timezone.localtime() - datetime.timedelta(hours=3)
    body = _confirm(receipt, recorded_at=recorded.isoformat())
    response = send(cadre, body)
    assert response.status_code == 201
    assert response.json() == {
        "status": "stored",
        "client_id": body["client_id"],
        "message": "Đã xác nhận phiếu nhận.",
    }
    receipt.refresh_from_db()
    assert receipt.confirmed_by == cadre_user
    assert abs(receipt.confirmed_at - recorded) < datetime.timedelta(seconds=1)
    row = SyncedRecord.objects.get()
    assert str(row.client_id) == body["client_id"]
    assert row.user == cadre_user
    assert (row.kind, row.target_model, row.target_id) == (
        "receipt_confirm",
        "activities.receipt",
        receipt.pk,
    )
    assert row.answer["status"] == "stored"


def test_a_signature_photo_is_kept_cleaned(cadre, receipt):
    response = send(cadre, _confirm(receipt, data={"signature": png_data_url()}))
    assert response.status_code == 201
    receipt.refresh_from_db()
    assert receipt.confirmed_at is not None
    assert receipt.signature.name.startswith("signatures/")
    assert not receipt.signature.name.endswith("signature.png")  # a random name


def test_an_asset_fault_is_logged(cadre, cadre_user, asset):
    response = send(cadre, _fault(asset))
    assert response.status_code == 201
    log = asset.logs.get(kind="fault")
    assert (log.happened_on, log.note, log.recorded_by) == (
        datetime.date(2025, 1, 2),
        "Đèn không sáng",
        cadre_user,
    )
    asset.refresh_from_db()
    assert asset.status == Asset.Status.FAULTY


def test_office_staff_record_a_check(client, staff_user, asset):
    client.force_login(staff_user)
    response = send(client, _fault(asset, data={"kind": "check", "note": ""}))
    assert response.status_code == 201
    assert asset.logs.filter(kind="check").count() == 1


def test_a_cadre_records_a_check_as_on_the_asset_page(cadre, asset):
    response = send(cadre, _fault(asset, data={"kind": "check", "note": ""}))
    assert response.status_code == 201, response.json()
    assert asset.logs.filter(kind="check").count() == 1
    assert SyncedRecord.objects.count() == 1


def test_a_repair_is_not_a_field_record(cadre, asset):
    response = send(cadre, _fault(asset, data={"kind": "repair"}))
    assert response.status_code == 422
    assert response.json()["status"] == "invalid"
    assert not asset.logs.exists()
    assert not SyncedRecord.objects.exists()


def test_a_change_of_circumstance_asks_for_a_review(cadre, household):
    response = send(cadre, _concern(household, kind="change", text="Chồng mất việc"))
    assert response.status_code == 201
    concern = household.concerns.get()
    assert concern.text == "Chồng mất việc"
    household.refresh_from_db()
    assert household.flagged_for_review


def test_a_survey_section_is_saved(cadre, cadre_user, survey):
    response = send(cadre, _housing(survey))
    assert response.status_code == 201
    assert response.json()["message"] == "Đã lưu: Nhà ở."
    survey.refresh_from_db()
    assert (survey.walls, survey.roof, survey.floor_area_m2) == ("hardwood", "tiles", 40)
    assert survey.version == 2
    assert "housing" in survey.sections_done


def test_a_section_with_choices_of_many_and_yes_no_is_saved(cadre, survey):
    fields = {
        "water": "tap",
        "toilet": "flush_septic",
        "uses_telecom": "yes",
        "information_means:television": True,
        "information_means:radio": False,
        "information_means:telephone": True,
    }
    body = record(
        "survey_section",
        {"survey": survey.pk, "section": "services", "fields": fields},
        version=survey.version,
    )
    response = send(cadre, body)
    assert response.status_code == 201, response.json()
    survey.refresh_from_db()
    assert survey.uses_telecom is True
    assert survey.information_means == ["television", "telephone"]


# --- Sent twice, stored once ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["receipt", "asset", "concern", "survey"])
def test_the_same_record_sent_twice_is_stored_once(cadre, receipt, asset, household, survey, kind):
    body = {
        "receipt": lambda: _confirm(receipt),
        "asset": lambda: _fault(asset),
        "concern": lambda: _concern(household),
        "survey": lambda: _housing(survey),
    }[kind]()
    assert send(cadre, body).status_code == 201
    after_first = _counts()
    again = send(cadre, body)
    assert again.status_code == 200
    assert again.json()["status"] == "already"
    assert again.json()["client_id"] == body["client_id"]
    assert _counts() == after_first


def test_a_replay_of_a_record_in_conflict_is_still_judged_afresh(cadre, staff_user, receipt):
    body = _confirm(receipt)
    receipt_confirm(actor=staff_user, receipt=receipt)
    assert send(cadre, body).status_code == 409
    assert send(cadre, body).status_code == 409
    assert not SyncedRecord.objects.exists()


def test_another_persons_client_id_is_refused(client, cadre, household, partnership):
    body = _concern(household)
    assert send(cadre, body).status_code == 201
    other = f.UserFactory()
    role_assign(actor=None, user=other, role=Role.COMMUNE_CADRE, commune=partnership.commune)
    stranger = Client()
    stranger.force_login(other)
    response = send(stranger, body)
    assert response.status_code == 403
    assert household.concerns.count() == 1


# --- Conflicts ------------------------------------------------------------------------------------


def test_a_receipt_confirmed_by_someone_else_meanwhile_is_a_conflict(cadre, staff_user, receipt):
    body = _confirm(receipt)
    receipt_confirm(actor=staff_user, receipt=receipt)
    before = _counts()
    response = send(cadre, body)
    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "conflict"
    assert answer["client_id"] == body["client_id"]
    assert answer["server"]["Người xác nhận"] == " ".join(
        part for part in (staff_user.last_name, staff_user.first_name) if part
    )
    assert "Thời điểm xác nhận" in answer["mine"]
    assert answer["mine"]["Hộ"] == "LP-0001 · Đàm Văn Lìu"
    assert _counts() == before


def test_mine_on_a_receipt_confirmed_by_someone_else_keeps_only_the_photo(
    cadre, staff_user, receipt
):
    body = _confirm(receipt, data={"signature": png_data_url()})
    receipt_confirm(actor=staff_user, receipt=receipt)
    assert send(cadre, body).status_code == 409
    response = send(cadre, {**body, "resolve": "mine"})
    assert response.status_code == 201
    receipt.refresh_from_db()
    assert receipt.confirmed_by == staff_user
    assert receipt.signature
    assert SyncedRecord.objects.count() == 1
    assert send(cadre, {**body, "resolve": "mine"}).json()["status"] == "already"


def test_mine_without_a_photo_on_a_confirmed_receipt_changes_nothing(cadre, staff_user, receipt):
    body = _confirm(receipt)
    receipt_confirm(actor=staff_user, receipt=receipt)
    history = Receipt.history.count()
    response = send(cadre, {**body, "resolve": "mine"})
    assert response.status_code == 201
    assert response.json()["message"] != "Đã xác nhận phiếu nhận."
    receipt.refresh_from_db()
    assert receipt.confirmed_by == staff_user
    assert not receipt.signature
    assert Receipt.history.count() == history
    assert SyncedRecord.objects.get().target_id == receipt.pk


def test_a_receipt_marked_not_delivered_meanwhile_is_a_conflict_and_mine_confirms(
    cadre, cadre_user, staff_user, receipt
):
    body = _confirm(receipt)
    receipts_mark_not_delivered(
        actor=staff_user, distribution=receipt.distribution, reasons={receipt.pk: ("moved", "")}
    )
    response = send(cadre, body)
    assert response.status_code == 409
    assert response.json()["server"]["Không trao được vì"] == "Đã chuyển đi nơi khác"
    assert send(cadre, {**body, "resolve": "mine"}).status_code == 201
    receipt.refresh_from_db()
    assert receipt.confirmed_by == cadre_user
    assert receipt.not_delivered_reason == ""


def test_a_closed_distribution_is_a_conflict_and_mine_is_refused(cadre, receipt):
    body = _confirm(receipt)
    Distribution.objects.filter(pk=receipt.distribution_id).update(
        status=Distribution.Status.CLOSED
    )
    response = send(cadre, body)
    assert response.status_code == 409
    assert response.json()["server"]["Trạng thái"] == "Đã kết thúc"
    mine = send(cadre, {**body, "resolve": "mine"})
    assert mine.status_code == 422
    assert mine.json()["status"] == "invalid"
    assert mine.json()["errors"]["__all__"]
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None
    assert not SyncedRecord.objects.exists()


def test_a_receipt_changed_in_another_way_is_confirmed(cadre, receipt):
    body = _confirm(receipt)
    Receipt.objects.filter(pk=receipt.pk).update(note="Ghi chú", updated_at=timezone.now())
    assert send(cadre, body).status_code == 201


def test_an_asset_whose_log_moved_on_is_a_conflict_and_mine_applies(cadre, staff_user, asset):
    body = _fault(asset)
    maintenance_record(
        actor=staff_user, asset=asset, kind="repair", happened_on=datetime.date(2025, 1, 1)
    )
    response = send(cadre, body)
    assert response.status_code == 409
    answer = response.json()
    assert answer["server"]["Trạng thái"] == "Đã sửa"
    assert answer["mine"]["Ghi chú"] == "Đèn không sáng"
    assert asset.logs.count() == 1
    assert send(cadre, {**body, "resolve": "mine"}).status_code == 201
    assert asset.logs.count() == 2


def test_a_survey_saved_by_someone_else_is_a_conflict_and_mine_saves_over_it(
    cadre, staff_user, survey
):
    body = _housing(survey, {**HOUSING, "walls": "metal"})
    survey_save(
        actor=staff_user, survey=survey, section="housing", data=HOUSING, version=survey.version
    )
    response = send(cadre, body)
    assert response.status_code == 409
    answer = response.json()
    assert answer["server"]["Tường"] == "Gỗ bền chắc"
    assert answer["mine"]["Tường"] == "Tôn"
    survey.refresh_from_db()
    assert survey.walls == "hardwood"
    assert send(cadre, {**body, "resolve": "mine"}).status_code == 201
    survey.refresh_from_db()
    assert survey.walls == "metal"
    assert survey.version == 3


def test_sections_recorded_from_one_download_are_all_saved(cadre, survey):
    services = {"water": "tap", "toilet": "pit", "uses_telecom": "no"}
    housing = _housing(survey)
    other = record(
        "survey_section",
        {"survey": survey.pk, "section": "services", "fields": services},
        version=survey.version,
    )
    assert send(cadre, housing).status_code == 201
    assert send(cadre, other).status_code == 201, send(cadre, other).json()
    survey.refresh_from_db()
    assert survey.sections_done == ["housing", "services"]


def test_a_section_saved_by_someone_else_after_ones_own_is_still_a_conflict(
    cadre, staff_user, survey
):
    base = survey.version
    assert send(cadre, _housing(survey)).status_code == 201
    survey.refresh_from_db()
    survey_save(
        actor=staff_user, survey=survey, section="housing", data=HOUSING, version=survey.version
    )
    assert (
        send(cadre, _housing(survey, {**HOUSING, "roof": "metal"}, version=base)).status_code == 409
    )


def test_entries_one_person_made_from_one_download_all_apply(client, staff_user, asset):
    client.force_login(staff_user)
    fault = _fault(asset)
    check = _fault(asset, data={"kind": "check", "happened_on": "2025-01-05"})
    assert send(client, fault).status_code == 201
    assert send(client, check).status_code == 201
    assert asset.logs.count() == 2


def test_a_receipt_one_confirmed_oneself_meanwhile_is_no_conflict(cadre, cadre_user, receipt):
    body = _confirm(receipt, data={"signature": png_data_url()})
    receipt_confirm(actor=cadre_user, receipt=receipt)
    response = send(cadre, body)
    assert response.status_code == 201
    receipt.refresh_from_db()
    assert receipt.signature


def test_a_version_that_means_nothing_is_a_conflict(cadre, asset, survey):
    assert send(cadre, _fault(asset, version="made-up")).status_code == 409
    assert send(cadre, _housing(survey, version="7")).status_code == 409
    assert not SyncedRecord.objects.exists()


# --- Refused: role and scope ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["receipt", "asset", "concern"])
def test_a_target_outside_the_communes_is_refused_and_nothing_stored(cadre, outside, kind):
    body = {
        "receipt": lambda: _confirm(outside["receipt"]),
        "asset": lambda: _fault(outside["asset"]),
        "concern": lambda: _concern(outside["household"]),
    }[kind]()
    before = _counts()
    response = send(cadre, body)
    assert response.status_code == 403
    assert response.json()["status"] == "refused"
    assert response.json()["client_id"] == body["client_id"]
    assert _counts() == before
    outside["receipt"].refresh_from_db()
    assert outside["receipt"].confirmed_at is None


def test_a_survey_outside_the_communes_and_a_missing_one_answer_alike(cadre, outside):
    entry = f.CampaignHouseholdFactory(
        campaign__commune=outside["partnership"].commune, household=outside["household"]
    )
    survey = survey_start(actor=None, entry=entry)
    outside_answer = send(cadre, _housing(survey))
    missing = send(
        cadre,
        record(
            "survey_section",
            {"survey": 999_999, "section": "housing", "fields": HOUSING},
            version=1,
        ),
    )
    assert outside_answer.status_code == missing.status_code == 403
    assert outside_answer.json()["message"] == missing.json()["message"]


@pytest.mark.parametrize("role", ["donor_user", "auditor_user"])
def test_donors_and_auditors_are_refused(client, request, role, household):
    client.force_login(request.getfixturevalue(role))
    response = send(client, _concern(household))
    assert response.status_code == 403
    assert response.json()["status"] == "refused"
    assert not household.concerns.exists()


def test_anonymous_gets_401_and_nothing_is_stored(client, household):
    response = send(client, _concern(household))
    assert response.status_code == 401
    assert response.json()["status"] == "login"
    assert not household.concerns.exists()


def test_a_get_is_answered_in_json(cadre):
    response = cadre.get(reverse("field:sync"))
    assert response.status_code == 405
    assert response.json()["status"] == "invalid"


# --- CSRF -----------------------------------------------------------------------------------------


def test_a_missing_csrf_token_is_refused_in_json(cadre_user, household):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cadre_user)
    response = send(client, _concern(household))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "csrf"
    assert not household.concerns.exists()


def test_the_csrf_token_in_the_header_is_accepted(cadre_user, household):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cadre_user)
    client.get(reverse("home"))  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("field:sync"),
        _json(_concern(household)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def _json(body) -> str:
    return json.dumps(body)


# --- Malformed (400) and invalid (422) ------------------------------------------------------------


def _malformed(household):
    good = _concern(household)
    data = good["data"]
    return {
        "not json": "{not json",
        "a list": "[1, 2]",
        "unknown kind": {**good, "kind": "payment"},
        "client id not a uuid": {**good, "client_id": "12345"},
        "client id missing": {k: v for k, v in good.items() if k != "client_id"},
        "recorded_at unreadable": {**good, "recorded_at": "yesterday"},
        "recorded_at missing": {k: v for k, v in good.items() if k != "recorded_at"},
        "data not an object": {**good, "data": ["x"]},
        "household missing": {**good, "data": {k: v for k, v in data.items() if k != "household"}},
        "household not a number": {**good, "data": {**data, "household": "1"}},
        "text not a string": {**good, "data": {**data, "text": 5}},
        "resolve unknown": {**good, "resolve": "theirs"},
        "no base version for a receipt": record("receipt_confirm", {"receipt": 1}),
        "survey fields not an object": record(
            "survey_section", {"survey": 1, "section": "housing", "fields": []}, version=1
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "not json",
        "a list",
        "unknown kind",
        "client id not a uuid",
        "client id missing",
        "recorded_at unreadable",
        "recorded_at missing",
        "data not an object",
        "household missing",
        "household not a number",
        "text not a string",
        "resolve unknown",
        "no base version for a receipt",
        "survey fields not an object",
    ],
)
def test_a_malformed_record_is_400_and_nothing_is_stored(cadre, household, case):
    response = send(cadre, _malformed(household)[case])
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert response.json()["message"]
    assert _counts()["concerns"] == 0
    assert not SyncedRecord.objects.exists()


def test_a_record_from_the_future_is_invalid(cadre, receipt):
    later = timezone.localtime() + datetime.timedelta(hours=2)
    response = send(cadre, _confirm(receipt, recorded_at=later.isoformat()))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["recorded_at"]
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None


def test_a_receipt_before_the_distributions_day_is_invalid(cadre, receipt):
    response = send(cadre, _confirm(receipt, recorded_at="2025-01-01T09:00:00+07:00"))
    assert response.status_code == 422
    assert "20/01/2025" in response.json()["errors"]["__all__"][0]
    assert not SyncedRecord.objects.exists()


@pytest.mark.parametrize(
    "signature",
    [
        "data:image/png;base64,bm90IGFuIGltYWdl",  # "not an image"
        "data:image/png;base64,%%%",
        "data:text/plain;base64,aGVsbG8=",
        "https://example.org/photo.jpg",
    ],
)
def test_a_signature_that_is_not_a_photo_is_invalid_and_nothing_is_stored(
    cadre, receipt, signature
):
    response = send(cadre, _confirm(receipt, data={"signature": signature}))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["signature"]
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None
    assert not receipt.signature
    assert not SyncedRecord.objects.exists()


def test_a_photo_over_the_limit_is_invalid(cadre, receipt, settings):
    settings.PHOTO_MAX_BYTES = 100
    response = send(cadre, _confirm(receipt, data={"signature": png_data_url((200, 200))}))
    assert response.status_code == 422
    assert "signature" in response.json()["errors"]
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None


def test_a_record_larger_than_a_request_may_be_is_invalid(cadre, receipt, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = _confirm(receipt, data={"signature": "data:image/png;base64," + "A" * 4000})
    response = send(cadre, body)
    assert response.status_code == 422
    assert "signature" in response.json()["errors"]
    receipt.refresh_from_db()
    assert receipt.confirmed_at is None


def test_a_fault_in_the_future_is_invalid(cadre, asset):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = send(cadre, _fault(asset, data={"happened_on": tomorrow}))
    assert response.status_code == 422
    assert "happened_on" in response.json()["errors"]
    assert not asset.logs.exists()


def test_a_fault_without_a_note_is_invalid_as_on_the_page(cadre, asset):
    response = send(cadre, _fault(asset, data={"note": ""}))
    assert response.status_code == 422
    assert "note" in response.json()["errors"]


def test_an_unreadable_date_is_invalid(cadre, household):
    response = send(cadre, _concern(household, raised_on="02/31/2025"))
    assert response.status_code == 422
    assert "raised_on" in response.json()["errors"]
    assert not household.concerns.exists()


def test_an_unknown_concern_kind_is_invalid(cadre, household):
    response = send(cadre, _concern(household, kind="gossip"))
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]


def test_a_removed_asset_takes_nothing(cadre, asset):
    Asset.objects.filter(pk=asset.pk).update(status=Asset.Status.REMOVED)
    response = send(cadre, _fault(asset))
    assert response.status_code == 422
    assert not asset.logs.exists()


def test_survey_answers_are_checked_by_the_pages_form(cadre, survey):
    response = send(cadre, _housing(survey, {**HOUSING, "roof": "gold", "floor_area_m2": "x"}))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"roof", "floor_area_m2"}
    assert "gold" in errors["roof"][0]
    survey.refresh_from_db()
    assert survey.version == 1


def test_survey_facts_are_checked_by_the_service_in_the_users_language(cadre, survey):
    response = send(cadre, _housing(survey, {**HOUSING, "floor_area_m2": 99_999}))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "floor_area_m2": ["Diện tích nhà ở trên 2000 m² là không hợp lý."]
    }
    survey.refresh_from_db()
    assert survey.version == 1


def test_the_members_section_is_not_taken_offline(cadre, survey):
    body = record(
        "survey_section",
        {"survey": survey.pk, "section": "members", "fields": {"area": "rural"}},
        version=survey.version,
    )
    response = send(cadre, body)
    assert response.status_code == 422
    assert "section" in response.json()["errors"]


def test_an_answer_that_is_not_a_choice_is_invalid(cadre, survey):
    fields = {"water": "tap", "toilet": "pit", "uses_telecom": "no", "information_means:fax": True}
    body = record(
        "survey_section",
        {"survey": survey.pk, "section": "services", "fields": fields},
        version=survey.version,
    )
    response = send(cadre, body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["information_means"]


def test_a_box_of_a_question_of_one_answer_is_unknown(cadre, survey):
    response = send(cadre, _housing(survey, {**HOUSING, "walls:metal": True}))
    assert response.status_code == 422
    assert "walls:metal" in response.json()["errors"]["__all__"][0]


def test_unknown_survey_fields_are_invalid(cadre, survey):
    response = send(cadre, _housing(survey, {**HOUSING, "pool": True}))
    assert response.status_code == 422
    assert "pool" in response.json()["errors"]["__all__"][0]


def test_a_survey_the_village_agreed_on_is_invalid(cadre, survey):
    entry = survey.entry
    entry.state = "agreed"
    entry.save(update_fields=["state"])
    response = send(cadre, _housing(survey))
    assert response.status_code == 422


def test_the_client_id_is_given_back_on_a_malformed_record_when_readable(cadre):
    client_id = str(uuid.uuid4())
    response = send(cadre, {"client_id": client_id, "kind": "nothing"})
    assert response.status_code == 400
    assert response.json()["client_id"] == client_id


def test_a_sync_takes_as_many_queries_on_a_long_sheet_as_on_a_short_one(
    cadre, distribution, receipt, django_assert_num_queries
):
    for _ in range(2):
        f.ReceiptFactory(distribution=distribution)
    with CaptureQueriesContext(connection) as few:
        assert send(cadre, _confirm(receipt)).status_code == 201
    long_sheet = f.ReceiptFactory(distribution=distribution)
    for _ in range(15):
        f.ReceiptFactory(distribution=distribution)
    with django_assert_num_queries(len(few)):
        assert send(cadre, _confirm(long_sheet)).status_code == 201


def _services(survey, **fields):
    values = {"water": "tap", "toilet": "pit", "uses_telecom": "no", **fields}
    data = {"survey": survey.pk, "section": "services", "fields": values}
    return record("survey_section", data, version=survey.version)


def test_a_conflict_shows_the_answers_of_a_question_of_several_as_one_line(
    cadre, staff_user, survey
):
    body = _services(
        survey, **{"information_means:television": True, "information_means:telephone": True}
    )
    survey_save(
        actor=staff_user,
        survey=survey,
        section="services",
        data={"water": "rain", "toilet": "pit", "uses_telecom": False, "information_means": []},
        version=survey.version,
    )
    answer = send(cadre, body).json()
    assert answer["status"] == "conflict"
    assert answer["mine"]["Phương tiện tiếp cận thông tin hộ đang có"] == "Ti vi, Điện thoại"
    assert answer["server"]["Phương tiện tiếp cận thông tin hộ đang có"] == "—"
    assert answer["server"]["Nguồn nước sinh hoạt chính"] == "Nước mưa"


def test_the_income_section_is_saved_by_source(cadre, survey):
    fields = {
        "method": "sources",
        "income_crops_vnd": 24_000_000,
        "income_wages_vnd": "6.000.000",
        "causes:land": True,
        "causes:capital": True,
        "needs:credit": True,
    }
    if_table = {"income_table": None}
    body = record(
        "survey_section",
        {"survey": survey.pk, "section": "income", "fields": {**fields, **if_table}},
        version=survey.version,
    )
    response = send(cadre, body)
    assert response.status_code == 201, response.json()
    survey.refresh_from_db()
    assert survey.income_crops_vnd == 24_000_000
    assert survey.income_wages_vnd == 6_000_000
    assert survey.causes == ["land", "capital"]
    assert survey.needs == ["credit"]
    assert survey.income_table is None
