"""Background jobs: the status guard, progress, and pages only their owner opens."""

import pytest
from django.urls import reverse

from core.jobs import (
    job_claim,
    job_create,
    job_fail,
    job_file_path,
    job_progress,
    job_succeed,
)
from core.models import Job

pytestmark = pytest.mark.django_db


def test_a_finished_job_is_not_claimed_again(staff_user):
    job = job_create(actor=staff_user, kind="import", total=10)
    assert job_claim(job.pk).status == Job.Status.RUNNING
    # A worker that died leaves it running: a redelivered task claims it again and resumes.
    assert job_claim(job.pk) is not None
    job_succeed(job.pk, result={"created": 10})
    assert job_claim(job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.progress, job.result) == (Job.Status.SUCCEEDED, 10, {"created": 10})


def test_progress_never_passes_the_total_and_failures_keep_their_errors(staff_user):
    job = job_create(actor=staff_user, kind="import", total=10)
    job_progress(job.pk, 4, message="4 rows")
    job_progress(job.pk, 99)  # beyond the total: ignored, the database would refuse it
    job.refresh_from_db()
    assert (job.progress, job.message, job.percent) == (4, "4 rows", 40)
    job_fail(job.pk, errors=["Dòng 3: thiếu mã hộ"], message="1 error")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == ["Dòng 3: thiếu mã hộ"]


def test_the_owner_follows_a_job_and_downloads_its_file(client, staff_user):
    job = job_create(actor=staff_user, kind="export", total=2)
    job_file_path(job, "ho.csv").write_text("a,b\n", encoding="utf-8")
    client.force_login(staff_user)
    page = client.get(reverse("job-detail", args=[job.pk]))
    assert page.status_code == 200
    assert b"<progress" in page.content
    assert client.get(reverse("job-status", args=[job.pk])).json()["finished"] is False
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404  # not done
    job_succeed(job.pk, result={"file": "ho.csv", "filename": "ho-gia-dinh.csv", "rows": 2})
    state = client.get(reverse("job-status", args=[job.pk])).json()
    assert state["finished"] is True
    assert state["result"] == {"filename": "ho-gia-dinh.csv", "rows": 2}
    download = client.get(state["download"])
    assert download.status_code == 200
    assert "ho-gia-dinh.csv" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"a,b\n"


def test_someone_elses_job_is_404(client, staff_user, cadre_user):
    job = job_create(actor=staff_user, kind="export")
    job_file_path(job, "ho.csv").write_text("x", encoding="utf-8")
    job_succeed(job.pk, result={"file": "ho.csv"})
    client.force_login(cadre_user)
    for name in ("job-detail", "job-status", "job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_job_file_name_cannot_leave_the_jobs_folder(client, staff_user, settings):
    job = job_create(actor=staff_user, kind="export")
    job_succeed(job.pk, result={"file": "../../secret.txt"})
    (settings.MEDIA_ROOT / "secret.txt").parent.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "secret.txt").write_text("no", encoding="utf-8")
    client.force_login(staff_user)
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404
