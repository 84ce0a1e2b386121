"""Large list exports run as a background job with a progress bar; small ones stream at once."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from core.jobs import job_create, job_file_path
from core.models import Job
from reports import exports
from reports.tasks import list_export_task
from tests import factories as f

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://x","y")'


def url(kind: str, fmt: str) -> str:
    return reverse("reports:list-export", kwargs={"kind": kind, "fmt": fmt})


@pytest.fixture
def households(partnership):
    village = f.VillageFactory(commune=partnership.commune)
    rows = [f.HouseholdFactory(village=village, code=f"LP-{n:04d}") for n in range(1, 6)]
    rows.append(f.HouseholdFactory(village=village, code="LP-0099", head_name=FORMULA))
    f.HouseholdFactory(code="XA-0001")  # another commune's
    return rows


@pytest.fixture
def small_threshold(settings):
    settings.REPORTS_EXPORT_TASK_ROWS = 3


def _downloaded_rows(client, job: Job, fmt: str) -> list[list]:
    response = client.get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_small_list_streams_at_once(client, staff_user, households):
    client.force_login(staff_user)
    response = client.get(url("households", "csv"))
    assert response.status_code == 200
    assert response.streaming
    assert not Job.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_long_list_becomes_a_job_with_a_progress_page_and_a_download(
    client, staff_user, households, small_threshold, fmt, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url("households", fmt))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    assert job.created_by == staff_user
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress, job.total, job.result["rows"]) == (6, 6, 6)
    assert job.result["filename"].endswith(f".{fmt}")
    page = client.get(response["Location"]).content.decode()
    assert reverse("job-download", args=[job.pk]) in page
    rows = _downloaded_rows(client, job, fmt)
    codes = [row[0] for row in rows[1:]]
    assert codes == [f"LP-{n:04d}" for n in range(1, 6)] + ["LP-0099"]  # not XA-0001
    assert "'" + FORMULA in [row[3] for row in rows]


def test_the_xlsx_job_writes_real_dates_and_numbers(
    client, staff_user, partnership, small_threshold, django_capture_on_commit_callbacks
):
    distribution = f.DistributionFactory(partnership=partnership)
    for _ in range(4):
        f.ReceiptFactory(distribution=distribution)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url("receipts", "xlsx"))
    job = Job.objects.get()
    response = client.get(reverse("job-download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    assert row[1].value.date() == distribution.distributed_on
    assert row[1].number_format == "DD/MM/YYYY"
    assert row[6].value == 500_000
    assert row[6].data_type == "n"


def test_someone_else_cannot_follow_or_download_the_job(
    client,
    staff_user,
    auditor_user,
    households,
    small_threshold,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url("households", "csv"))
    job = Job.objects.get()
    client.force_login(auditor_user)
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404


def test_the_job_is_queued_only_once_the_request_commits(
    client, staff_user, households, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.get(url("households", "csv"))
    assert len(callbacks) == 1
    assert Job.objects.get().status == Job.Status.QUEUED


def test_a_finished_job_is_not_done_again(staff_user, households):
    job = job_create(actor=staff_user, kind="export")
    first = list_export_task.delay(job.pk, "households", "csv").get()
    assert first["changed"] is True
    path = job_file_path(job, Job.objects.get(pk=job.pk).result["file"])
    path.write_bytes(b"kept")
    second = list_export_task.delay(job.pk, "households", "csv").get()
    assert second == {"job": job.pk, "changed": False}
    assert path.read_bytes() == b"kept"


def test_the_task_reports_progress_as_it_writes(staff_user, households, monkeypatch):
    seen = []
    monkeypatch.setattr("reports.tasks.PROGRESS_EVERY", 2)
    monkeypatch.setattr(
        "reports.tasks.job_progress",
        lambda job_id, progress, **kwargs: seen.append((progress, kwargs.get("total"))),
    )
    job = job_create(actor=staff_user, kind="export")
    list_export_task.delay(job.pk, "households", "xlsx").get()
    assert seen == [(0, 6), (2, None), (4, None), (6, None)]


def test_an_unknown_list_fails_the_job_with_a_reason(staff_user):
    job = job_create(actor=staff_user, kind="export")
    list_export_task.delay(job.pk, "members", "csv").get()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors


def test_the_job_writes_headers_in_the_language_asked(
    client, staff_user, households, small_threshold, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url("households", "csv"))
    rows = _downloaded_rows(client, Job.objects.get(), "csv")
    assert rows[0][:2] == ["Household code", "Village"]


def test_the_size_is_told_without_counting_every_row(staff_user, households):
    export = exports.list_export(kind="households", user=staff_user, filters=exports.Filters())
    assert exports.capped_count(export, 2) == 3  # stops at the threshold + 1
    assert exports.capped_count(export, 100) == 6


def test_the_threshold_is_5000_rows_unless_set(settings):
    from reports.export_views import task_threshold

    assert task_threshold() == 5000
    settings.REPORTS_EXPORT_TASK_ROWS = 10
    assert task_threshold() == 10
