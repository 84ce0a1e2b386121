"""core.jobs and core.recovery: claims count attempts and refresh the heartbeat, lost jobs are
sent again by the task they remember, a job out of attempts stops with its reason, and a task
that fails for good ends its job as failed with a message the page shows."""

import datetime

import pytest
from django.db import DataError
from django.utils import timezone, translation

from core import recovery
from core.jobs import job_checkpoint, job_claim, job_create, job_lock, job_progress
from core.models import Job
from core.tasks import job_task, jobs_recover_task


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are checked as written (in English); the site's language is Vietnamese."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

# What the test task below saw: the job ids it ran for.
_runs: list[int] = []


@job_task(name="tests.core.recovered_task")
def recovered_task(self, job_id: int, word: str, *, times: int = 1) -> dict:
    _runs.append(job_id)
    if job_claim(job_id) is None:
        return {"job": job_id, "state": "finished"}
    Job.objects.filter(pk=job_id).update(status=Job.Status.SUCCEEDED, message=word * times)
    return {"job": job_id, "state": "succeeded"}


@job_task(name="tests.core.broken_task")
def broken_task(self, job_id: int) -> dict:
    job_claim(job_id)
    raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes\nDETAIL: row 7")


@pytest.fixture(autouse=True)
def _fresh_runs():
    _runs.clear()


def _age(job: Job, seconds: int) -> None:
    """Make ``job``'s last sign of life (and creation) ``seconds`` old."""
    then = timezone.now() - datetime.timedelta(seconds=seconds)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=then, created_at=then)


def test_a_claim_counts_an_attempt_and_refreshes_the_heartbeat(staff_user):
    job = job_create(actor=staff_user, kind="export")
    assert (job.attempts, job.heartbeat_at) == (0, None)
    claimed = job_claim(job.pk)
    assert claimed.attempts == 1
    assert claimed.heartbeat_at is not None
    _age(job, 600)
    job_progress(job.pk, 0, total=10)
    job.refresh_from_db()
    assert timezone.now() - job.heartbeat_at < datetime.timedelta(seconds=5)
    _age(job, 600)
    job_checkpoint(job_lock(job.pk), progress=3)
    job.refresh_from_db()
    assert timezone.now() - job.heartbeat_at < datetime.timedelta(seconds=5)
    assert job_claim(job.pk).attempts == 2


def test_a_job_claimed_as_often_as_allowed_is_stopped_with_the_reason(staff_user, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    job = job_create(actor=staff_user, kind="export")
    assert job_claim(job.pk) is not None
    assert job_claim(job.pk) is not None
    assert job_claim(job.pk) is None
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "interrupted 2 times" in job.message


def test_a_queued_job_older_than_the_threshold_is_sent_again_with_its_arguments(
    staff_user, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STALE_AFTER = 180
    with django_capture_on_commit_callbacks(execute=False) as queued:
        lost = job_create(
            actor=staff_user, kind="export", task=recovered_task, args=["ab"], kwargs={"times": 2}
        )
        fresh = job_create(actor=staff_user, kind="export", task=recovered_task, args=["x"])
    # The broker was away: the tasks queued on commit never arrived.
    assert len(queued) == 2
    assert (lost.task_name, lost.task_args, lost.task_kwargs) == (
        "tests.core.recovered_task",
        ["ab"],
        {"times": 2},
    )
    _age(lost, 181)
    assert jobs_recover_task.delay().get()["requeued"] == 1
    assert _runs == [lost.pk]
    lost.refresh_from_db()
    assert (lost.status, lost.message) == (Job.Status.SUCCEEDED, "abab")
    fresh.refresh_from_db()
    assert fresh.status == Job.Status.QUEUED


def test_a_stale_running_job_is_queued_again_and_a_fresh_one_is_left(staff_user, settings):
    settings.JOB_STALE_AFTER = 180
    dead = job_create(actor=staff_user, kind="export", task=recovered_task, args=["a"])
    alive = job_create(actor=staff_user, kind="export", task=recovered_task, args=["b"])
    job_claim(dead.pk)
    job_claim(alive.pk)
    _age(dead, 200)
    recovery.jobs_recover()
    assert _runs == [dead.pk]
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (Job.Status.SUCCEEDED, 2)
    alive.refresh_from_db()
    assert alive.status == Job.Status.RUNNING


def test_a_lost_job_at_its_last_attempt_is_failed_with_the_message_not_sent_again(
    staff_user, settings, client
):
    settings.JOB_MAX_ATTEMPTS = 3
    job = job_create(actor=staff_user, kind="export", task=recovered_task, args=["a"])
    for _ in range(3):
        job_claim(job.pk)
    _age(job, 3600)
    assert recovery.jobs_recover()["failed"] == 1
    assert _runs == []
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Stopped: it was interrupted 3 times")
    client.force_login(staff_user)
    page = client.get(f"/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Stopped: it was interrupted 3 times" in page.content.decode()
    assert client.get(f"/jobs/{job.pk}/status.json").json()["failed"] is True


def test_a_lost_job_without_a_task_is_stopped(staff_user):
    job = job_create(actor=staff_user, kind="household_import")
    job_claim(job.pk)
    _age(job, 3600)
    recovery.jobs_recover()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "cannot resume by itself" in job.message


def test_two_recoveries_at_once_send_a_lost_job_once(staff_user, monkeypatch):
    job = job_create(actor=staff_user, kind="export", task=recovered_task, args=["a"])
    _age(job, 3600)
    stale = Job.objects.get(pk=job.pk)
    # The other recovery queued it again between this one's read and its write.
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert recovery._job_recover(stale, timezone.now()) == "skipped"
    assert _runs == []


def test_a_resumed_job_says_which_attempt_it_is(staff_user, client, settings):
    settings.JOB_MAX_ATTEMPTS = 5
    job = job_create(actor=staff_user, kind="export")
    job_claim(job.pk)
    client.force_login(staff_user)
    assert client.get(f"/jobs/{job.pk}/status.json").json()["explanation"] == ""
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)  # queued again
    state = client.get(f"/jobs/{job.pk}/status.json").json()
    # The pages speak the site's language, Vietnamese.
    assert state["explanation"] == "Đang chạy tiếp sau khi bị gián đoạn (lần thử 2 trên 5)"
    job_claim(job.pk)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Đang chạy tiếp sau khi bị gián đoạn (lần thử 2 trên 5)" in page


def test_a_task_failing_for_good_leaves_its_job_failed_with_a_message(staff_user, client):
    job = job_create(actor=staff_user, kind="export")
    with pytest.raises(DataError, match=r"NUL \(0x00\) bytes"):
        broken_task.delay(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == (
        "The job stopped: a value could not be stored "
        "(PostgreSQL text fields cannot contain NUL (0x00) bytes)"
    )
    assert "DETAIL" not in job.message
    client.force_login(staff_user)
    state = client.get(f"/jobs/{job.pk}/status.json").json()
    assert state["finished"] is True
    assert state["explanation"] == job.message


def test_the_recovery_runs_every_minute_from_the_default_schedules():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="core.tasks.jobs_recover_task")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("*", "*", "*")
