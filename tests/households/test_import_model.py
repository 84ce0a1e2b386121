"""The household import as a row of its own (``HouseholdImport``): scoped like any model, its
status and counts through the check and the import, a second import that changes nothing, a
bad file that leaves a failed import saying why, and the import jobs made before the row
existed carried over by the migration."""

import datetime
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.jobs import job_create
from core.models import Job
from households import services
from households.models import Household, HouseholdImport
from outreach.models import RoleAssignment
from outreach.scope import scoped
from outreach.services import role_assign
from tests.background.helpers import household_file
from tests.factories import PartnershipFactory, UserFactory, VillageFactory

pytestmark = pytest.mark.django_db

Role = RoleAssignment.Role
ROWS = [
    {"Mã hộ": "LP-001", "Thôn": "Pác Hợp", "Họ tên chủ hộ": "Ma Đình Liệu", "Số thứ tự": "1"},
    {"Mã hộ": "LP-002", "Thôn": "Lũng Lừa", "Họ tên chủ hộ": "Hoàng Thị Nga", "Số thứ tự": "2"},
]
HEADERS = ["Số thứ tự", "Mã hộ", "THON", "Họ tên chủ hộ"]
BAD_ROW = {"Mã hộ": "LP-003", "Thôn": "Thôn Không Có", "Họ tên chủ hộ": "A"}


@pytest.fixture
def villages(partnership):
    return [
        VillageFactory(commune=partnership.commune, name="Pác Hợp"),
        VillageFactory(commune=partnership.commune, name="Lũng Lừa"),
    ]


def _file(rows=ROWS) -> bytes:
    return household_file(
        [{**row, "THON": row["Thôn"]} for row in rows], headers=HEADERS, encoding="utf-8-sig"
    )


def _checked(commune, content=None, *, actor=None) -> tuple[Job, HouseholdImport]:
    """Upload and check a file (tasks run in-process), return the check job and the import."""
    preview = services.household_import_start(
        actor=actor, commune=commune, content=content or _file(), filename="danh-sach.csv"
    )
    services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    return preview, HouseholdImport.objects.get(check_job=preview)


def _upload(client, commune, content, django_capture_on_commit_callbacks) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("households:import-upload"),
            {"commune": commune.pk, "file": SimpleUploadedFile("danh-sach.csv", content)},
        )
    assert response.status_code == 302
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


# --- Scope ---------------------------------------------------------------------------------------


def test_another_partnerships_staff_get_404_on_an_import_through_the_real_urls(
    client, staff_user, partnership, villages, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    preview = _upload(client, partnership.commune, _file(), django_capture_on_commit_callbacks)
    elsewhere = UserFactory(username="staff-elsewhere", is_staff=True)
    role_assign(
        actor=None, user=elsewhere, role=Role.OFFICE_STAFF, partnership=PartnershipFactory()
    )
    client.force_login(elsewhere)
    for name, method in (("import-preview", client.get), ("import-confirm", client.post)):
        response = method(reverse(f"households:{name}", args=[preview.pk]))
        assert response.status_code == 404, name
    assert not Job.objects.filter(kind=services.IMPORT_APPLY).exists()
    household_import = HouseholdImport.objects.get(check_job=preview)
    admin_url = reverse("admin:households_householdimport_change", args=[household_import.pk])
    assert client.get(admin_url).status_code == 404


def test_the_uploader_moved_to_another_partnership_no_longer_sees_the_import(
    client, staff_user, partnership, villages, django_capture_on_commit_callbacks
):
    """The import is scoped by its commune, not only by whose job it is."""
    client.force_login(staff_user)
    preview = _upload(client, partnership.commune, _file(), django_capture_on_commit_callbacks)
    assert client.get(reverse("households:import-preview", args=[preview.pk])).status_code == 200
    RoleAssignment.objects.filter(user=staff_user).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    role_assign(
        actor=None, user=staff_user, role=Role.OFFICE_STAFF, partnership=PartnershipFactory()
    )
    for name, method in (("import-preview", client.get), ("import-confirm", client.post)):
        response = method(reverse(f"households:{name}", args=[preview.pk]))
        assert response.status_code == 404, name
    assert HouseholdImport.objects.get(check_job=preview).status == HouseholdImport.Status.CHECKED


def test_cadres_get_no_import_page_and_no_import_row(
    client, staff_user, cadre_user, partnership, villages
):
    preview, household_import = _checked(partnership.commune, actor=staff_user)
    elsewhere = UserFactory(username="cadre-elsewhere")
    role_assign(
        actor=None, user=elsewhere, role=Role.COMMUNE_CADRE, commune=PartnershipFactory().commune
    )
    for cadre in (cadre_user, elsewhere):
        client.force_login(cadre)
        # The pages serve office staff alone; the scope shows cadres no import either.
        assert client.get(reverse("households:import-preview", args=[preview.pk])).status_code == (
            403
        )
        assert not scoped(HouseholdImport.objects.all(), cadre).exists()
    assert list(scoped(HouseholdImport.objects.all(), staff_user)) == [household_import]


# --- Status and counts -------------------------------------------------------------------------


def test_the_check_records_the_file_its_columns_and_what_it_found(
    staff_user, partnership, villages
):
    content = _file([*ROWS, BAD_ROW])
    preview = services.household_import_start(
        actor=staff_user, commune=partnership.commune, content=content, filename="danh-sach.csv"
    )
    household_import = HouseholdImport.objects.get(check_job=preview)
    assert household_import.status == HouseholdImport.Status.CHECKING
    assert household_import.file_name == "danh-sach.csv"
    assert household_import.created_by == staff_user
    assert (Path(settings.MEDIA_ROOT) / household_import.source).read_bytes() == content
    services.household_import_check(job_id=preview.pk)
    household_import.refresh_from_db()
    assert household_import.status == HouseholdImport.Status.CHECKED
    assert household_import.rows == 3
    assert household_import.found_counts() == {"new": 2, "update": 0, "unchanged": 0, "error": 1}
    assert household_import.mapping == {
        "Số thứ tự": "",
        "Mã hộ": "code",
        "THON": "village",
        "Họ tên chủ hộ": "head_name",
    }
    report = services.import_preview_report(household_import)
    assert report["counts"] == household_import.found_counts()
    assert [row["outcome"] for row in report["rows"]] == ["new", "new", "error"]
    # The job keeps what its page shows, nothing of the import's state.
    preview.refresh_from_db()
    assert preview.status == Job.Status.SUCCEEDED
    assert preview.result == {"next": reverse("households:import-preview", args=[preview.pk])}
    assert not Household.objects.exists()


def test_the_import_records_its_options_status_and_counts(staff_user, partnership, villages):
    preview, household_import = _checked(partnership.commune, _file([*ROWS, BAD_ROW]))
    job = services.household_import_confirm(
        actor=staff_user, preview=preview, valid_only=True, chunk_size=1
    )
    household_import.refresh_from_db()
    assert household_import.apply_job == job
    assert household_import.status == HouseholdImport.Status.APPLYING
    assert (household_import.valid_only, household_import.chunk_size) == (True, 1)
    assert job.total == 3
    services.household_import_run(job_id=job.pk)
    household_import.refresh_from_db()
    job.refresh_from_db()
    assert household_import.status == HouseholdImport.Status.APPLIED
    assert household_import.applied_counts() == {
        "new": 2,
        "update": 0,
        "unchanged": 0,
        "error": 1,
    }
    assert (household_import.created, household_import.skipped, household_import.runs) == (2, 1, 1)
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"next": reverse("households:household-list")}
    assert len(job.errors) == 1
    assert "LP-003" not in Household.objects.values_list("code", flat=True)


def test_a_second_import_of_the_same_check_is_a_no_op(staff_user, partnership, villages):
    preview, household_import = _checked(partnership.commune)
    job = services.household_import_confirm(actor=staff_user, preview=preview)
    services.household_import_run(job_id=job.pk)
    household_import.refresh_from_db()
    before = (
        household_import.applied_counts(),
        household_import.runs,
        household_import.updated_at,
        Household.history.count(),
    )
    # Confirmed again: the same job, nothing queued; delivered again: nothing done.
    assert services.household_import_confirm(actor=staff_user, preview=preview) == job
    assert services.household_import_run(job_id=job.pk) == {"job": job.pk, "state": "finished"}
    household_import.refresh_from_db()
    after = (
        household_import.applied_counts(),
        household_import.runs,
        household_import.updated_at,
        Household.history.count(),
    )
    assert after == before
    assert Job.objects.filter(kind=services.IMPORT_APPLY).count() == 1
    # The same file uploaded again: a new import, every row unchanged.
    again_preview, again = _checked(partnership.commune)
    assert again.found_counts() == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    again_job = services.household_import_confirm(actor=staff_user, preview=again_preview)
    services.household_import_run(job_id=again_job.pk)
    again.refresh_from_db()
    assert again.applied_counts() == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    assert Household.history.count() == before[3]


def test_the_command_records_an_import_without_a_check_job(partnership, villages, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "danh-sach.csv"
    path.write_bytes(_file())
    call_command("import_households", str(path), "--commune", str(partnership.commune_id))
    household_import = HouseholdImport.objects.get()
    assert household_import.check_job is None
    assert household_import.status == HouseholdImport.Status.APPLIED
    assert household_import.applied_counts() == {
        "new": 2,
        "update": 0,
        "unchanged": 0,
        "error": 0,
    }
    assert household_import.rows == 2
    assert household_import.apply_job.status == Job.Status.SUCCEEDED


# --- Bad files ---------------------------------------------------------------------------------


def test_a_stored_file_now_unreadable_fails_the_import_with_the_reason(
    staff_user, partnership, villages
):
    preview = services.household_import_start(
        actor=staff_user, commune=partnership.commune, content=_file(), filename="danh-sach.csv"
    )
    household_import = HouseholdImport.objects.get(check_job=preview)
    (Path(settings.MEDIA_ROOT) / household_import.source).write_bytes(b"")
    with translation.override("en"):
        outcome = services.household_import_check(job_id=preview.pk)
    assert outcome == {"job": preview.pk, "state": "failed"}
    household_import.refresh_from_db()
    preview.refresh_from_db()
    assert household_import.status == HouseholdImport.Status.FAILED
    assert household_import.failure == "The file is empty." == preview.message
    assert household_import.found_counts() == dict.fromkeys(
        ["new", "update", "unchanged", "error"], 0
    )
    assert household_import.preview == ""
    with translation.override("en"), pytest.raises(ValidationError, match="not been checked"):
        services.household_import_confirm(actor=staff_user, preview=preview)
    household_import.refresh_from_db()
    assert (household_import.status, household_import.apply_job) == (
        HouseholdImport.Status.FAILED,
        None,
    )


def test_an_import_whose_rows_went_bad_since_the_check_fails_and_writes_nothing(
    staff_user, partnership, villages
):
    preview, household_import = _checked(partnership.commune)
    job = services.household_import_confirm(actor=staff_user, preview=preview)
    # The stored file replaced since the check: one row now names no village of the commune.
    (Path(settings.MEDIA_ROOT) / household_import.source).write_bytes(_file([*ROWS, BAD_ROW]))
    with translation.override("en"):
        outcome = services.household_import_run(job_id=job.pk)
    assert outcome == {"job": job.pk, "state": "failed", "errors": 1}
    household_import.refresh_from_db()
    job.refresh_from_db()
    assert household_import.status == HouseholdImport.Status.FAILED
    assert household_import.failure == "1 rows have errors: nothing was imported." == job.message
    assert household_import.applied_counts() == dict.fromkeys(
        ["new", "update", "unchanged", "error"], 0
    )
    assert job.status == Job.Status.FAILED
    assert not Household.objects.exists()


def test_a_refused_upload_leaves_no_import(staff_user, partnership):
    with translation.override("en"), pytest.raises(ValidationError, match="The file is empty"):
        services.household_import_start(
            actor=staff_user, commune=partnership.commune, content=b"", filename="ho.csv"
        )
    assert not HouseholdImport.objects.exists()
    assert not Job.objects.exists()


# --- Admin ---------------------------------------------------------------------------------------


def test_the_admin_lists_imports_to_read_only(client, admin_user, partnership, villages):
    _preview, household_import = _checked(partnership.commune)
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:households_householdimport_changelist"))
    assert page.status_code == 200
    assert "danh-sach.csv" in page.content.decode()
    assert "New 2 · to update 0 · unchanged 0 · errors 0" in page.content.decode()
    url = reverse("admin:households_householdimport_delete", args=[household_import.pk])
    assert client.get(url).status_code == 403
    assert HouseholdImport.objects.filter(pk=household_import.pk).exists()


# --- The migration of the jobs made before the row ---------------------------------------------


def _old_jobs(commune, user):
    """A check job and the import job it led to, as the import wrote them before the row."""
    preview = job_create(actor=user, kind=services.IMPORT_PREVIEW, message="cu.csv")
    applied = job_create(actor=user, kind=services.IMPORT_APPLY, total=3)
    preview.status = Job.Status.SUCCEEDED
    preview.result = {
        "commune": commune.pk,
        "source": f"jobs/{preview.pk}/source.csv",
        "upload_name": "danh-sach-cu.csv",
        "counts": {"new": 2, "update": 0, "unchanged": 0, "error": 1},
        "rows": 3,
        "next": f"/households/import/{preview.pk}/",
        "apply_job": applied.pk,
    }
    preview.save()
    applied.status = Job.Status.RUNNING
    applied.progress = 1
    applied.result = {
        "commune": commune.pk,
        "source": f"jobs/{preview.pk}/source.csv",
        "upload_name": "danh-sach-cu.csv",
        "valid_only": True,
        "chunk": 1,
        "preview": preview.pk,
        "counts": {"new": 0, "update": 0, "unchanged": 0, "error": 1},
        "skipped": ["Row 2 · Thôn: The commune has no village “X”."],
        "runs": 1,
    }
    applied.save()
    command = job_create(actor=None, kind=services.IMPORT_APPLY, total=2)
    command.status = Job.Status.FAILED
    command.message = "2 rows have errors: nothing was imported."
    command.result = {
        "commune": commune.pk,
        "source": f"jobs/{command.pk}/source.csv",
        "upload_name": "lenh.csv",
        "valid_only": False,
        "chunk": 500,
        "preview": None,
        "counts": dict.fromkeys(["new", "update", "unchanged", "error"], 0),
        "skipped": [],
        "runs": 1,
    }
    command.save()
    return preview, applied, command


def test_the_migration_makes_an_import_of_each_old_import_job(staff_user, partnership):
    migration = importlib.import_module("households.migrations.0007_household_import")
    preview, applied, command = _old_jobs(partnership.commune, staff_user)
    gone = job_create(actor=None, kind=services.IMPORT_PREVIEW)
    gone.result = {"commune": 999_999, "source": "jobs/x/source.csv"}
    gone.save()
    results = {job.pk: dict(job.result) for job in (preview, applied, command)}
    migration.imports_from_jobs(apps, None)

    checked = HouseholdImport.objects.get(check_job=preview)
    assert checked.apply_job == applied
    assert (checked.commune, checked.file_name, checked.created_by) == (
        partnership.commune,
        "danh-sach-cu.csv",
        staff_user,
    )
    assert checked.status == HouseholdImport.Status.APPLYING
    assert checked.source == f"jobs/{preview.pk}/source.csv"
    assert checked.preview == f"jobs/{preview.pk}/preview.json"
    assert checked.found_counts() == {"new": 2, "update": 0, "unchanged": 0, "error": 1}
    assert checked.applied_counts() == {"new": 0, "update": 0, "unchanged": 0, "error": 1}
    assert (checked.rows, checked.valid_only, checked.chunk_size, checked.runs) == (3, True, 1, 1)
    assert checked.created_at == preview.created_at
    # A job still to finish lists its rows skipped so far as problems, as it now goes on to.
    applied.refresh_from_db()
    assert applied.errors == ["Row 2 · Thôn: The commune has no village “X”."]

    direct = HouseholdImport.objects.get(apply_job=command)
    assert direct.check_job is None
    assert direct.status == HouseholdImport.Status.FAILED
    assert direct.failure == "2 rows have errors: nothing was imported."
    assert direct.file_name == "lenh.csv"
    # A commune that is gone: no import (its job is left as it was).
    assert HouseholdImport.objects.count() == 2
    # Nothing of the jobs is lost.
    for job in (preview, applied, command):
        job.refresh_from_db()
        assert job.result == results[job.pk]
