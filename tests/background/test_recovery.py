"""Work lost by a dead worker or an absent broker, found by the recovery and finished (tasks run
in-process): an import resumes with every row once, a lost export is written, photos and post
e-mails go out; a file with a NUL character is refused at the check, and an apply that fails
for good says so on its job and its import."""

import datetime

import pytest
from django.core import mail
from django.db import DataError
from django.utils import timezone, translation

from activities.models import Photo
from channel.models import Delivery, ImageState, Post, PostPhoto
from core import recovery
from core.jobs import job_claim
from core.models import Job
from core.tasks import jobs_recover_task
from households import imports, services
from households.imports import applying
from households.models import Household, HouseholdImport
from outreach.models import RoleAssignment
from outreach.services import role_assign
from reports import exports
from reports.services import list_export_start
from tests.background.helpers import household_file, many_rows
from tests.channel.factories import PostFactory, SubscriptionFactory, jpeg_bytes
from tests.factories import HouseholdFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_english():
    """Check a message as written (in English); the site's language is Vietnamese."""
    with translation.override("en"):
        yield


def _age(model, pk, seconds: int, **fields) -> None:
    """Make a row's times (``fields``: which ones) ``seconds`` old."""
    then = timezone.now() - datetime.timedelta(seconds=seconds)
    model.objects.filter(pk=pk).update(**dict.fromkeys(fields, then))


def _checked(commune, content, *, chunk_size=500):
    preview = services.household_import_start(
        actor=None, commune=commune, content=content, filename="ho.csv"
    )
    services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    return preview


def test_a_stale_running_import_is_resumed_and_has_every_row_once(partnership, villages, settings):
    settings.JOB_STALE_AFTER = 180
    content = household_file(many_rows(120, ["Pác Hợp", "Lũng Lừa"]))
    preview = _checked(partnership.commune, content)
    job = services.household_import_confirm(actor=None, preview=preview, chunk_size=50)
    assert job.task_name == "households.tasks.household_import_task"
    # A worker claims the job, commits one chunk and is killed (its task never acknowledged).
    job_claim(job.pk)
    parsed = imports.read_file(content, "ho.csv")
    services.household_import_chunk(
        actor=None,
        job_id=job.pk,
        rows=parsed.rows,
        commune=partnership.commune,
        villages=imports.Villages(partnership.commune),
        duplicates={},
    )
    # Not yet stale: left alone.
    assert recovery.jobs_recover()["requeued"] == 0
    _age(Job, job.pk, 181, heartbeat_at=True)
    assert jobs_recover_task.delay().get()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.attempts == 2
    assert HouseholdImport.objects.get(apply_job=job).applied_counts() == {
        "new": 120,
        "update": 0,
        "unchanged": 0,
        "error": 0,
    }
    assert Household.objects.filter(commune=partnership.commune).count() == 120
    assert Household.history.count() == 120


def test_a_queued_export_lost_with_the_broker_is_sent_again_and_written(
    staff_user, partnership, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STALE_AFTER = 180
    HouseholdFactory.create_batch(3, commune=partnership.commune)
    with django_capture_on_commit_callbacks(execute=False):
        job = list_export_start(
            actor=staff_user, kind="households", fmt="csv", filters=exports.Filters()
        )
    _age(Job, job.pk, 200, created_at=True)
    recovery.jobs_recover()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert job.result["rows"] == 3
    assert (job.task_args, job.task_kwargs["language"]) == (["households", "csv"], "vi")


def test_a_file_with_a_nul_character_is_refused_at_the_check_with_the_row(
    in_english, partnership, villages, settings
):
    rows = many_rows(3, ["Pác Hợp"])
    rows[1]["Địa chỉ"] = "Số 1\x00 thôn Pác Hợp"
    preview = _checked(partnership.commune, household_file(rows))
    household_import = HouseholdImport.objects.get(check_job=preview)
    assert household_import.found_counts()["error"] == 1
    report = services.import_preview_report(household_import)
    [bad] = [row for row in report["rows"] if row["outcome"] == "error"]
    assert "NUL character" in str(bad)
    # Importing the valid rows alone writes no NUL anywhere.
    job = services.household_import_confirm(actor=None, preview=preview, valid_only=True)
    services.household_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert Household.objects.filter(commune=partnership.commune).count() == 2


def test_an_apply_refused_by_the_database_leaves_the_job_failed_with_a_message(
    in_english, partnership, villages, monkeypatch
):
    from households.tasks import household_import_task

    preview = _checked(partnership.commune, household_file(many_rows(5, ["Pác Hợp"])))
    job = services.household_import_confirm(actor=None, preview=preview)

    def refused(**kwargs):
        raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")

    monkeypatch.setattr(applying, "household_import_chunk", refused)
    with pytest.raises(DataError, match=r"NUL \(0x00\) bytes"):
        household_import_task.delay(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == (
        "The import stopped: a value could not be stored "
        "(PostgreSQL text fields cannot contain NUL (0x00) bytes)"
    )
    household_import = HouseholdImport.objects.get(apply_job=job)
    assert household_import.status == HouseholdImport.Status.FAILED
    assert household_import.failure == job.message
    # Not waiting any more: the recovery leaves a failed job alone.
    _age(Job, job.pk, 3600, heartbeat_at=True)
    assert recovery.jobs_recover()["requeued"] == 0


def test_photos_still_pending_after_the_threshold_are_processed(partnership, settings):
    settings.JOB_STALE_AFTER = 180
    lost = PhotoFactory(activity__partnership=partnership)
    fresh = PhotoFactory(activity__partnership=partnership)
    assert lost.state == fresh.state == Photo.State.PENDING
    post_photo = PostPhoto.objects.create(
        post=PostFactory(partnership=partnership),
        image=_jpeg("anh.jpg"),
        state=ImageState.PENDING,
    )
    _age(Photo, lost.pk, 600, updated_at=True)
    _age(PostPhoto, post_photo.pk, 600, updated_at=True)
    assert recovery.jobs_recover()["pending"] == 2
    lost.refresh_from_db()
    fresh.refresh_from_db()
    post_photo.refresh_from_db()
    assert (lost.state, fresh.state) == (Photo.State.READY, Photo.State.PENDING)
    assert post_photo.state == ImageState.READY


def test_a_pending_photo_is_sent_again_once_per_threshold(partnership, settings, monkeypatch):
    from activities import tasks

    settings.JOB_STALE_AFTER = 180
    photo = PhotoFactory(activity__partnership=partnership)
    _age(Photo, photo.pk, 600, updated_at=True)
    monkeypatch.setattr(tasks, "photo_process", lambda **kwargs: kwargs["photo"])
    assert recovery.jobs_recover()["pending"] == 1
    # Still pending (the worker is slow): not sent again before another JOB_STALE_AFTER.
    assert recovery.jobs_recover()["pending"] == 0


def test_a_post_whose_e_mails_were_lost_is_sent_once(
    partnership, settings, django_capture_on_commit_callbacks
):
    settings.JOB_STALE_AFTER = 180
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reader = UserFactory(email="doc@example.vn")
    role_assign(
        actor=None, user=reader, role=RoleAssignment.Role.OFFICE_STAFF, partnership=partnership
    )
    subscription = SubscriptionFactory(user=reader)
    _age(type(subscription), subscription.pk, 3600, created_at=True)
    post = PostFactory(partnership=partnership, audience=Post.Audience.PARTNERSHIP)
    _age(Post, post.pk, 600, published_at=True)
    mail.outbox = []
    # The post's notice is delivered once its transaction commits (channel.notify).
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.jobs_recover()["pending"] == 1
    assert [message.to for message in mail.outbox] == [["doc@example.vn"]]
    assert Delivery.objects.filter(post=post).count() == 1
    # Sent: the next recovery finds nothing to do.
    assert recovery.jobs_recover()["pending"] == 0


def _jpeg(name):
    from django.core.files.base import ContentFile

    return ContentFile(jpeg_bytes(), name=name)
