"""The household import refuses a file it cannot take in one place (``imports.check_file``):
the upload page, the services, the worker's jobs and the command refuse the same files with the
same translated message, and leave nothing behind."""

import codecs
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from core.models import Job
from households import imports, services
from households.models import Household, HouseholdImport
from tests.background.helpers import household_file

pytestmark = pytest.mark.django_db

GOOD = household_file([{"Mã hộ": "LP-001", "Thôn": "Pác Hợp", "Họ tên chủ hộ": "Ma Đình Liệu"}])
# Neither UTF-8 nor Windows-1258: 0x81 is a byte Windows-1258 leaves undefined.
UNREADABLE = "Mã hộ,Thôn,Họ tên chủ hộ\n".encode() + b"LP-001,\x81\x8d,A\n"

# name: (file name, content, the message, in English)
BAD = {
    "empty": ("ho.csv", b"", "The file is empty."),
    "blank": ("ho.csv", b" \r\n\t", "The file is empty."),
    # What Excel saves from an empty sheet as "CSV UTF-8": the byte-order mark alone.
    "bom-only": ("ho.csv", codecs.BOM_UTF8, "The file is empty."),
    "too-big": ("ho.csv", GOOD, "The file is too big (more than 60 MB)."),
    "wrong-type": ("ho.pdf", GOOD, "Choose a CSV or XLSX file."),
    "no-extension": ("ho", GOOD, "Choose a CSV or XLSX file."),
    "encoding": ("ho.csv", UNREADABLE, "The file's encoding is not recognised"),
    "not-a-workbook": ("ho.xlsx", b"Ma ho,Thon\n", "The file is not a readable XLSX workbook."),
}
# What a job's stored file can still be found to be (its name was checked at the upload).
BAD_LATER = ["empty", "bom-only", "too-big", "encoding"]


@pytest.fixture
def small_limit(monkeypatch):
    """Make 60 MB 100 bytes: GOOD is bigger, every other file is smaller."""
    # Where check_file reads it (the package only re-exports it).
    monkeypatch.setattr(imports.reading, "MAX_BYTES", 100)
    assert len(GOOD) > imports.reading.MAX_BYTES > max(len(UNREADABLE), 3)


def _saved():
    """What a refused file must not change: the jobs, the households, the job files."""
    from django.conf import settings

    files = sorted(str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    return Job.objects.count(), Household.objects.count(), files


def _upload(client, partnership, name, content):
    return client.post(
        reverse("households:import-upload"),
        {"commune": partnership.commune_id, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("case", list(BAD))
def test_the_upload_page_refuses_the_file(client, staff_user, partnership, small_limit, case):
    name, content, message = BAD[case]
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    before = _saved()
    response = _upload(client, partnership, name, content)
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith(message)
    assert _saved() == before


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("service", ["household_import_start", "household_import_file"])
def test_the_import_services_refuse_the_file(staff_user, partnership, small_limit, case, service):
    name, content, message = BAD[case]
    before = _saved()
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match=re.escape(message)) as refused,
    ):
        getattr(services, service)(
            actor=staff_user, commune=partnership.commune, content=content, filename=name
        )
    assert list(refused.value.error_dict) == ["file"]
    assert _saved() == before


@pytest.mark.parametrize("case", list(BAD))
def test_the_command_refuses_the_file(partnership, small_limit, tmp_path, case):
    name, content, message = BAD[case]
    path = tmp_path / name
    path.write_bytes(content)
    before = _saved()
    with translation.override("en"), pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_households", str(path))
    assert _saved() == before


@pytest.mark.parametrize("case", BAD_LATER)
def test_a_job_whose_file_is_now_refused_fails_with_the_same_message(
    staff_user, partnership, monkeypatch, case
):
    """The worker checks the stored file again (it may have been replaced, or the limit
    lowered): the check job fails with the message the upload would have shown."""
    from django.conf import settings

    _name, content, message = BAD[case]
    preview = services.household_import_start(
        actor=staff_user, commune=partnership.commune, content=GOOD, filename="ho.csv"
    )
    monkeypatch.setattr(imports.reading, "MAX_BYTES", 100)
    source = HouseholdImport.objects.get(check_job=preview).source
    (Path(settings.MEDIA_ROOT) / source).write_bytes(content)
    with translation.override("en"):
        outcome = services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    assert outcome["state"] == "failed"
    assert preview.status == Job.Status.FAILED
    assert preview.message.startswith(message)
    assert Household.objects.count() == 0


def test_a_file_is_refused_in_the_same_vietnamese_words_on_every_path(
    client, staff_user, partnership, small_limit, tmp_path
):
    client.force_login(staff_user)
    for name, content, _message in BAD.values():
        before = _saved()
        (page,) = _upload(client, partnership, name, content).context["form"].errors["file"]
        with pytest.raises(ValidationError, match=re.escape(page)) as refused:
            services.household_import_start(
                actor=staff_user, commune=partnership.commune, content=content, filename=name
            )
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(CommandError, match=re.escape(page)) as command:
            call_command("import_households", str(path))
        assert refused.value.message_dict["file"] == [page]
        assert str(command.value) == page
        path.unlink()
        assert _saved() == before
    (empty,) = _upload(client, partnership, "ho.csv", b"").context["form"].errors["file"]
    assert empty == "Tệp không có dữ liệu."


def test_a_good_file_passes_the_check_and_keeps_the_upload_readable():
    upload = SimpleUploadedFile("ho.csv", GOOD)
    assert imports.check_file(upload.name, upload) == GOOD
    assert upload.read() == GOOD  # the view reads it next
