"""The asset pages through the client: registry, asset page and log, faults from a phone,
village page, QR labels and the short link they print."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Asset, MaintenanceLog
from tests.factories import (
    AllocationFactory,
    AssetFactory,
    HouseholdFactory,
    MaintenanceLogFactory,
    PartnershipFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return english(client)


@pytest.fixture
def cadre(client, cadre_user):
    client.force_login(cadre_user)
    return english(client)


@pytest.fixture
def village(partnership):
    return VillageFactory(commune=partnership.commune, name="Pác Hợp")


@pytest.fixture
def pole(partnership, village):
    return AssetFactory(partnership=partnership, village=village, code="DEN-PH-01")


# --- Registry ----------------------------------------------------------------------------------


def test_asset_list_filters_by_kind_village_and_status(staff, partnership, village):
    pole = AssetFactory(partnership=partnership, village=village, code="DEN-PH-01")
    bin_ = AssetFactory(
        partnership=partnership, village=village, kind=Asset.Kind.TRASH_BIN, code="TH-PH-01"
    )
    elsewhere = AssetFactory(partnership=partnership, code="DEN-LL-01")
    broken = AssetFactory(
        partnership=partnership, village=village, code="DEN-PH-02", status=Asset.Status.FAULTY
    )
    url = reverse("activities:asset-list")

    def rows(**params):
        return list(staff.get(url, params).context["page_obj"])

    assert rows(kind="trash_bin") == [bin_]
    assert rows(village=village.pk) == [pole, broken, bin_]
    assert rows(status="faulty") == [broken]
    assert rows(code="DEN-LL") == [elsewhere]


def test_asset_list_shows_only_the_users_commune(cadre, pole):
    foreign = AssetFactory(partnership=PartnershipFactory(), code="DEN-XA-99")
    html = cadre.get(reverse("activities:asset-list")).content.decode()
    assert pole.code in html
    assert foreign.code not in html


def test_asset_list_runs_a_fixed_number_of_queries(
    staff, partnership, village, django_assert_max_num_queries
):
    url = reverse("activities:asset-list")
    AssetFactory.create_batch(2, partnership=partnership, village=village)
    with django_assert_max_num_queries(11) as few:
        assert staff.get(url).status_code == 200
    AssetFactory.create_batch(80, partnership=partnership)
    with django_assert_max_num_queries(11) as many:
        response = staff.get(url)
    assert len(response.context["page_obj"]) == 50
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_donors_are_refused_the_asset_pages(client, donor_user, pole):
    client.force_login(donor_user)
    assert client.get(reverse("activities:asset-list")).status_code == 403
    assert client.get(reverse("activities:asset-detail", args=[pole.pk])).status_code == 403


# --- Registering -------------------------------------------------------------------------------


def _asset_data(partnership, village, **overrides):
    data = {
        "partnership": partnership.pk,
        "kind": Asset.Kind.SOLAR_LIGHT,
        "code": "DEN-PH-15",
        "description": "Cột đèn đầu cầu",
        "village": village.pk,
        "household_code": "",
        "installed_on": "2023-09-01",
        "value_vnd": "2.050.000",
    }
    data.update(overrides)
    return data


def test_staff_register_an_asset_and_its_log_opens_with_the_installation(
    staff, staff_user, partnership, village
):
    response = staff.post(reverse("activities:asset-create"), _asset_data(partnership, village))
    asset = Asset.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("activities:asset-detail", args=[asset.pk])
    assert (asset.code, asset.value_vnd, asset.status) == (
        "DEN-PH-15",
        2_050_000,
        Asset.Status.INSTALLED,
    )
    log = asset.logs.get()
    assert (log.kind, log.recorded_by) == (MaintenanceLog.Kind.INSTALLATION, staff_user)


def test_an_asset_serves_a_household_found_by_code(staff, partnership, village):
    household = HouseholdFactory(village=village, code="PH-0007")
    data = _asset_data(partnership, village, kind="trash_bin", household_code="PH-0007")
    assert staff.post(reverse("activities:asset-create"), data).status_code == 302
    assert Asset.objects.get().household == household


def test_a_duplicate_asset_code_is_refused(staff, partnership, village, pole):
    data = _asset_data(partnership, village, code=pole.code)
    response = staff.post(reverse("activities:asset-create"), data)
    assert response.status_code == 200
    assert Asset.objects.count() == 1


def test_a_village_of_another_commune_is_refused(staff, partnership):
    foreign = VillageFactory()
    response = staff.post(reverse("activities:asset-create"), _asset_data(partnership, foreign))
    assert response.status_code == 200
    assert not Asset.objects.exists()


def test_a_cadre_cannot_register_an_asset(client, cadre_user, partnership, village):
    client.force_login(cadre_user)
    response = client.post(reverse("activities:asset-create"), _asset_data(partnership, village))
    assert response.status_code == 403
    assert not Asset.objects.exists()


# --- The asset page ----------------------------------------------------------------------------


def test_the_asset_page_shows_its_log_and_the_money_that_paid_for_it(staff, pole):
    MaintenanceLogFactory(
        asset=pole,
        kind=MaintenanceLog.Kind.FAULT,
        status_after=Asset.Status.FAULTY,
        note="Đèn không sáng",
        reported_by_public=True,
    )
    allocation = AllocationFactory(
        donation__partnership=pole.partnership, distribution=None, asset=pole, amount_vnd=2_050_000
    )
    html = staff.get(reverse("activities:asset-detail", args=[pole.pk])).content.decode()
    assert "Đèn không sáng" in html
    assert "Reported by the public" in html
    assert str(allocation.donation.partner) in html
    assert reverse("activities:donation-detail", args=[allocation.donation_id]) in html
    assert reverse("activities:asset-log", args=[pole.pk]) in html


def test_a_cadre_sees_the_asset_but_not_the_money(cadre, pole):
    AllocationFactory(donation__partnership=pole.partnership, distribution=None, asset=pole)
    html = cadre.get(reverse("activities:asset-detail", args=[pole.pk])).content.decode()
    assert "Money that paid for it" not in html
    assert reverse("activities:asset-fault", args=[pole.pk]) in html
    # At the pole a cadre records a check or a fault; repairs and removals are the office's.
    assert reverse("activities:asset-log", args=[pole.pk]) in html
    assert 'value="check"' in html
    assert 'value="repair"' not in html
    assert 'value="removal"' not in html


def test_an_asset_of_another_commune_is_not_found(cadre):
    foreign = AssetFactory(partnership=PartnershipFactory())
    assert cadre.get(reverse("activities:asset-detail", args=[foreign.pk])).status_code == 404
    assert cadre.get(reverse("activities:asset-fault", args=[foreign.pk])).status_code == 404


# --- Log entries -------------------------------------------------------------------------------


def test_a_cadre_reports_a_fault_from_a_phone(cadre, cadre_user, pole):
    url = reverse("activities:asset-fault", args=[pole.pk])
    form = cadre.get(url).context["form"]
    assert form["happened_on"].value() == timezone.localdate()
    response = cadre.post(
        url,
        {
            "happened_on": timezone.localdate().isoformat(),
            "note": "Đèn không sáng ban đêm",
            "reported_by_public": "on",
        },
    )
    assert response.status_code == 302
    pole.refresh_from_db()
    assert pole.status == Asset.Status.FAULTY
    log = pole.logs.get()
    assert (log.kind, log.recorded_by, log.reported_by_public) == (
        MaintenanceLog.Kind.FAULT,
        cadre_user,
        True,
    )


def test_a_fault_report_needs_to_say_what_is_wrong(cadre, pole):
    url = reverse("activities:asset-fault", args=[pole.pk])
    response = cadre.post(url, {"happened_on": timezone.localdate().isoformat(), "note": ""})
    assert response.status_code == 200
    assert not pole.logs.exists()


def test_a_removed_asset_takes_no_more_entries(cadre, pole):
    MaintenanceLogFactory(
        asset=pole, kind=MaintenanceLog.Kind.REMOVAL, status_after=Asset.Status.REMOVED
    )
    Asset.objects.filter(pk=pole.pk).update(status=Asset.Status.REMOVED)
    response = cadre.post(
        reverse("activities:asset-fault", args=[pole.pk]),
        {"happened_on": timezone.localdate().isoformat(), "note": "Hỏng"},
    )
    assert response.status_code == 200
    assert "A removed asset takes no more log entries." in response.content.decode()
    assert pole.logs.count() == 1


def test_a_fault_dated_in_the_future_is_refused(cadre, pole):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = cadre.post(
        reverse("activities:asset-fault", args=[pole.pk]),
        {"happened_on": tomorrow.isoformat(), "note": "Hỏng"},
    )
    assert "A log entry cannot be dated in the future." in response.content.decode()
    assert not pole.logs.exists()


def test_staff_log_a_repair(staff, pole):
    MaintenanceLogFactory(
        asset=pole,
        kind=MaintenanceLog.Kind.FAULT,
        status_after=Asset.Status.FAULTY,
        happened_on=datetime.date(2024, 3, 1),
    )
    response = staff.post(
        reverse("activities:asset-log", args=[pole.pk]),
        {"kind": "repair", "happened_on": "2024-03-05", "note": "Thay pin"},
    )
    assert response.status_code == 302
    pole.refresh_from_db()
    assert pole.status == Asset.Status.REPAIRED
    assert pole.logs.filter(kind=MaintenanceLog.Kind.REPAIR, note="Thay pin").exists()


def test_staff_cannot_log_an_installation_by_hand(staff, pole):
    response = staff.post(
        reverse("activities:asset-log", args=[pole.pk]),
        {"kind": "installation", "happened_on": "2024-03-05"},
    )
    assert response.status_code == 200
    assert not pole.logs.exists()


def test_a_cadre_logs_a_check_at_the_pole(client, cadre_user, pole):
    client.force_login(cadre_user)
    response = client.post(
        reverse("activities:asset-log", args=[pole.pk]),
        {"kind": "check", "happened_on": "05/03/2024", "note": "Đèn sáng tốt"},
    )
    assert response.status_code == 302
    log = pole.logs.get()
    assert (log.kind, log.note, log.recorded_by) == ("check", "Đèn sáng tốt", cadre_user)


def test_a_cadre_cannot_log_a_repair_nor_an_auditor_a_fault(client, cadre_user, auditor_user, pole):
    client.force_login(cadre_user)
    data = {"kind": "repair", "happened_on": "2024-03-05", "note": "x"}
    response = client.post(reverse("activities:asset-log", args=[pole.pk]), data)
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    client.force_login(auditor_user)
    assert client.post(reverse("activities:asset-log", args=[pole.pk]), data).status_code == 403
    assert client.post(reverse("activities:asset-fault", args=[pole.pk]), data).status_code == 403
    assert not pole.logs.exists()


# --- Village page ------------------------------------------------------------------------------


def test_the_village_page_counts_assets_by_kind_and_state(cadre, partnership, village):
    AssetFactory.create_batch(3, partnership=partnership, village=village)
    AssetFactory(partnership=partnership, village=village, status=Asset.Status.FAULTY)
    AssetFactory(partnership=partnership, village=village, kind=Asset.Kind.TRASH_BIN)
    response = cadre.get(reverse("activities:village-detail", args=[village.pk]))
    summary = {row["kind"]: (row["total"], row["states"]) for row in response.context["summary"]}
    assert summary["solar_light"] == (4, [("Installed", "installed", 3), ("Faulty", "faulty", 1)])
    assert summary["trash_bin"] == (1, [("Installed", "installed", 1)])
    html = response.content.decode()
    assert f'href="/households/?village={village.pk}"' in html
    assert len(response.context["page_obj"]) == 5


def test_a_village_of_another_commune_is_not_found(cadre):
    assert (
        cadre.get(reverse("activities:village-detail", args=[VillageFactory().pk])).status_code
        == 404
    )


# --- Labels and the short link -----------------------------------------------------------------


def test_an_asset_label_carries_its_codes_and_a_qr_code(staff, pole):
    html = staff.get(reverse("activities:asset-label", args=[pole.pk])).content.decode()
    assert pole.code in html
    assert pole.short_code in html
    assert "Pác Hợp" in html
    assert str(pole.partnership) in html
    assert 'src="data:image/svg+xml' in html


def test_the_qr_code_encodes_the_absolute_short_link(staff, pole, monkeypatch):
    import segno

    encoded = []
    real_make = segno.make
    monkeypatch.setattr(
        segno, "make", lambda text, **kw: encoded.append(text) or real_make(text, **kw)
    )
    staff.get(reverse("activities:asset-label", args=[pole.pk]))
    assert encoded == [f"http://testserver/a/{pole.short_code}/"]


def test_a_villages_labels_print_together(staff, partnership, village):
    assets = AssetFactory.create_batch(3, partnership=partnership, village=village)
    AssetFactory(partnership=partnership)  # another village
    response = staff.get(reverse("activities:asset-labels"), {"village": village.pk})
    assert [asset for asset, _qr in response.context["labels"]] == sorted(
        assets, key=lambda a: a.code
    )


def test_the_short_link_opens_the_asset_page(cadre, pole):
    response = cadre.get(reverse("activities:asset-by-code", args=[pole.short_code.lower()]))
    assert response.status_code == 302
    assert response.url == reverse("activities:asset-detail", args=[pole.pk])


def test_the_short_link_sends_a_stranger_to_the_public_fault_report(client, pole):
    url = reverse("activities:asset-by-code", args=[pole.short_code])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("channel:asset-report", args=[pole.short_code])


def test_the_short_link_of_another_communes_asset_opens_the_public_report(cadre):
    foreign = AssetFactory(partnership=PartnershipFactory())
    response = cadre.get(reverse("activities:asset-by-code", args=[foreign.short_code]))
    assert response.status_code == 302
    assert response.url == reverse("channel:asset-report", args=[foreign.short_code])


def test_the_asset_and_village_pages_run_a_fixed_number_of_queries(
    staff, partnership, village, pole, django_assert_max_num_queries
):
    asset_url = reverse("activities:asset-detail", args=[pole.pk])
    village_url = reverse("activities:village-detail", args=[village.pk])
    with django_assert_max_num_queries(12) as asset_few:
        staff.get(asset_url)
    with django_assert_max_num_queries(12) as village_few:
        staff.get(village_url)
    MaintenanceLogFactory.create_batch(20, asset=pole)
    AllocationFactory.create_batch(
        5, donation__partnership=partnership, distribution=None, asset=pole, amount_vnd=1_000
    )
    AssetFactory.create_batch(30, partnership=partnership, village=village)
    with django_assert_max_num_queries(12) as asset_many:
        assert len(staff.get(asset_url).context["logs"]) == 20
    with django_assert_max_num_queries(12) as village_many:
        assert len(staff.get(village_url).context["page_obj"]) == 31
    assert len(asset_many) == len(asset_few)
    assert len(village_many) == len(village_few)
