"""Faults reported by the public from an asset's QR label, and the office's queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Asset, MaintenanceLog
from channel import ratelimit
from channel.models import ImageState, PublicFaultReport
from tests.channel.factories import PublicFaultReportFactory, jpeg_bytes
from tests.factories import AssetFactory, HouseholdFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pole(partnership):
    asset = AssetFactory(partnership=partnership)
    asset.household = HouseholdFactory(village=asset.village, head_name="Lý Văn Sáng")
    asset.save(update_fields=["household"])
    return asset


def _report_url(asset) -> str:
    return reverse("channel:asset-report", args=[asset.short_code])


def test_a_stranger_scanning_the_label_gets_the_public_report_page(client, pole):
    response = client.get(reverse("activities:asset-by-code", args=[pole.short_code.lower()]))
    assert response.status_code == 302
    assert response.url == _report_url(pole)
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert pole.village.name in html
    assert pole.household.head_name not in html
    assert pole.household.code not in html


def test_a_villager_reports_a_fault_that_waits_for_the_office(client, pole):
    client.cookies["django_language"] = "en"
    photo = SimpleUploadedFile("den.jpg", jpeg_bytes(), content_type="image/jpeg")
    data = {"what": "Đèn không sáng", "phone": "0912 345 678", "photo": photo}
    response = client.post(_report_url(pole), data)
    assert response.status_code == 302
    assert "the office was told" in client.get(response.url).content.decode()
    report = PublicFaultReport.objects.get()
    assert (report.asset, report.phone, report.status) == (pole, "0912 345 678", "new")
    assert report.photo_state in {ImageState.PENDING, ImageState.READY}
    log = report.log
    assert log.reported_by_public
    assert log.kind == MaintenanceLog.Kind.FAULT
    assert log.recorded_by is None
    assert "0912" not in log.note  # the phone number stays in the office's queue
    pole.refresh_from_db()
    assert pole.status == Asset.Status.INSTALLED  # faulty only once the office confirms


def test_a_bad_phone_number_saves_nothing(client, pole):
    response = client.post(_report_url(pole), {"what": "Hỏng", "phone": "gọi tôi"})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert not PublicFaultReport.objects.exists()
    assert not MaintenanceLog.objects.exists()


def test_a_removed_asset_takes_no_report(client, pole):
    Asset.objects.filter(pk=pole.pk).update(status=Asset.Status.REMOVED)
    response = client.post(_report_url(pole), {"what": "Hỏng"})
    assert response.status_code == 200
    assert not PublicFaultReport.objects.exists()


def test_reports_from_one_client_are_rate_limited(client, pole):
    statuses = [
        client.post(_report_url(pole), {"what": f"Hỏng lần {n}"}).status_code for n in range(8)
    ]
    assert statuses.count(302) == ratelimit.FAULT_REPORTS.count
    assert statuses[-1] == 429
    assert PublicFaultReport.objects.count() == ratelimit.FAULT_REPORTS.count


def test_unknown_asset_codes_are_not_found_then_rate_limited(client, pole):
    statuses = [client.get(f"/a/ZZZZ{n:04d}/report/").status_code for n in range(30)]
    assert statuses[0] == 404
    assert statuses[-1] == 429


def test_a_reader_in_scope_goes_to_the_asset_page_others_to_the_public_page(
    client, cadre_user, pole
):
    client.force_login(cadre_user)
    response = client.get(reverse("activities:asset-by-code", args=[pole.short_code]))
    assert response.url == reverse("activities:asset-detail", args=[pole.pk])
    foreign = AssetFactory(partnership=PartnershipFactory())
    response = client.get(reverse("activities:asset-by-code", args=[foreign.short_code]))
    assert response.url == _report_url(foreign)


def test_office_staff_confirm_a_report_and_the_asset_becomes_faulty(client, staff_user, pole):
    report = PublicFaultReportFactory(asset=pole)
    client.force_login(staff_user)
    queue = client.get(reverse("channel:fault-report-list"))
    assert [shown.pk for shown in queue.context["page_obj"]] == [report.pk]
    assert (
        "0912 345 678"
        in client.get(reverse("channel:fault-report-detail", args=[report.pk])).content.decode()
    )
    url = reverse("channel:fault-report-handle", args=[report.pk])
    response = client.post(url, {"decision": "confirm", "note": "Đã kiểm tra: hỏng pin"})
    assert response.status_code == 302
    report.refresh_from_db()
    pole.refresh_from_db()
    assert (report.status, report.handled_by) == ("confirmed", staff_user)
    assert pole.status == Asset.Status.FAULTY
    # Handled once: a second decision is refused and changes nothing.
    client.cookies["django_language"] = "en"
    again = client.post(url, {"decision": "dismiss"})
    assert again.status_code == 200
    assert "handled already" in again.content.decode()
    report.refresh_from_db()
    assert report.status == "confirmed"
    assert not client.get(reverse("channel:fault-report-list")).context["page_obj"]


def test_a_dismissed_report_leaves_the_asset_as_it_was(client, staff_user, pole):
    report = PublicFaultReportFactory(asset=pole)
    client.force_login(staff_user)
    client.post(reverse("channel:fault-report-handle", args=[report.pk]), {"decision": "dismiss"})
    report.refresh_from_db()
    pole.refresh_from_db()
    assert report.status == "dismissed"
    assert pole.status == Asset.Status.INSTALLED


def test_auditors_read_the_queue_but_cannot_decide(client, auditor_user, pole):
    report = PublicFaultReportFactory(asset=pole)
    client.force_login(auditor_user)
    assert client.get(reverse("channel:fault-report-list")).status_code == 200
    url = reverse("channel:fault-report-handle", args=[report.pk])
    assert client.post(url, {"decision": "confirm"}).status_code == 403
    report.refresh_from_db()
    assert report.status == "new"


def test_staff_of_another_partnership_do_not_see_the_report(client, staff_user):
    report = PublicFaultReportFactory(asset__partnership=PartnershipFactory())
    client.force_login(staff_user)
    assert not client.get(reverse("channel:fault-report-list")).context["page_obj"]
    url = reverse("channel:fault-report-detail", args=[report.pk])
    assert client.get(url).status_code == 404


def test_the_queue_runs_a_fixed_number_of_queries(
    client, staff_user, partnership, django_assert_max_num_queries
):
    client.force_login(staff_user)
    url = reverse("channel:fault-report-list")
    PublicFaultReportFactory(asset__partnership=partnership)
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        assert len(client.get(url).context["page_obj"]) == 1
    PublicFaultReportFactory.create_batch(20, asset__partnership=partnership)
    with django_assert_max_num_queries(10) as many:
        assert len(client.get(url).context["page_obj"]) == 21
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)
