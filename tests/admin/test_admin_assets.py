"""The staff admin of assets, maintenance logs and activities: writes go through the services."""

import datetime

import pytest

from activities.models import Activity, Asset, MaintenanceLog
from tests.admin.pages import _errors, _form_data, _url
from tests.factories import AssetFactory, PartnershipFactory, VillageFactory

pytestmark = pytest.mark.django_db


# --- Assets and activities ---------------------------------------------------------------------


def test_asset_is_registered_with_its_installation_and_logged_through_the_service(staff_client):
    partnership = PartnershipFactory()
    village = VillageFactory(commune=partnership.commune)
    data = _form_data(
        staff_client.get(_url(Asset, "add")),
        partnership=partnership.pk,
        kind=Asset.Kind.SOLAR_LIGHT,
        code="PH-DEN-01",
        village=village.pk,
        installed_on="2023-09-01",
        value_vnd="2050000",
    )
    response = staff_client.post(_url(Asset, "add"), data)
    assert response.status_code == 302, _errors(response)
    asset = Asset.objects.get()
    assert asset.logs.get().kind == MaintenanceLog.Kind.INSTALLATION

    data = _form_data(
        staff_client.get(_url(MaintenanceLog, "add")),
        asset=asset.pk,
        kind=MaintenanceLog.Kind.FAULT,
        happened_on="2024-03-01",
        note="Đèn không sáng",
    )
    response = staff_client.post(_url(MaintenanceLog, "add"), data)
    assert response.status_code == 302, _errors(response)
    asset.refresh_from_db()
    assert asset.status == Asset.Status.FAULTY  # status_after left empty follows from the kind


def test_maintenance_log_before_installation_is_refused(staff_client):
    asset = AssetFactory(installed_on=datetime.date(2023, 9, 1))
    data = _form_data(
        staff_client.get(_url(MaintenanceLog, "add")),
        asset=asset.pk,
        kind=MaintenanceLog.Kind.CHECK,
        happened_on="2023-01-01",
    )
    response = staff_client.post(_url(MaintenanceLog, "add"), data)
    assert "before the asset was installed" in _errors(response)
    assert not MaintenanceLog.objects.exists()


def test_activity_villages_are_set_by_the_service(staff_client, admin_user):
    partnership = PartnershipFactory()
    inside = VillageFactory(commune=partnership.commune, name="Pác Hợp")
    outside = VillageFactory(name="Bản Khác")
    fields = {
        "partnership": partnership.pk,
        "kind": Activity.Kind.COMMUNITY_WORK,
        "title": "Ra quân vệ sinh",
        "starts_on": "2024-03-26",
        "office_staff_count": "10",
        "cadre_count": "5",
        "resident_count": "40",
    }
    page = staff_client.get(_url(Activity, "add"))
    response = staff_client.post(
        _url(Activity, "add"), _form_data(page, villages=[inside.pk, outside.pk], **fields)
    )
    assert "Bản Khác" in str(response.context["adminform"].form.errors["villages"])
    assert not Activity.objects.exists()

    response = staff_client.post(
        _url(Activity, "add"), _form_data(page, villages=[inside.pk], **fields)
    )
    assert response.status_code == 302, _errors(response)
    activity = Activity.objects.get()
    assert list(activity.villages.all()) == [inside]
    assert activity.created_by == admin_user
