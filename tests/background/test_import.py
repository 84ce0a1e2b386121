"""Household import: reading, checking, applying in chunks, resuming, the command."""

import time

import pytest
from django.core.management import call_command

from core.jobs import job_claim
from core.models import Job
from households import imports, services
from households.models import Household, HouseholdImport, Member
from tests.background.helpers import household_file, many_rows
from tests.factories import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "Mã hộ": "LP-001",
        "Thôn": "Pác Hợp",
        "Họ tên chủ hộ": "Ma Đình Liệu",
        "Điện thoại": "0912345678",
        "Tình trạng nhà ở": "Dột nát, xuống cấp",
        "Giới tính chủ hộ": "Nam",
        "Ngày sinh chủ hộ": "25/03/1968",
        "Dân tộc chủ hộ": "Tày",
        "Số CCCD chủ hộ": "008068001234",
        "Chủ hộ khuyết tật": "Có",
    },
    {"Mã hộ": "LP-002", "Thôn": "lung lua", "Họ tên chủ hộ": "Hoàng Thị Nga"},
]


def _import(commune, content, *, filename="ho.csv", valid_only=False, actor=None, chunk=None):
    """Check then apply a file as the pages do (tasks run in-process), return the apply job."""
    preview = services.household_import_start(
        actor=actor, commune=commune, content=content, filename=filename
    )
    services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    job = services.household_import_confirm(
        actor=actor,
        preview=preview,
        valid_only=valid_only,
        **({"chunk_size": chunk} if chunk else {}),
    )
    services.household_import_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def _applied(job) -> dict:
    """What the import of ``job`` did, by outcome."""
    return HouseholdImport.objects.get(apply_job=job).applied_counts()


def test_new_households_are_created_with_their_head_as_a_member(partnership, villages):
    job = _import(partnership.commune, household_file(ROWS))
    assert job.status == Job.Status.SUCCEEDED
    assert _applied(job) == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    liệu = Household.objects.get(code="LP-001")
    assert liệu.village == villages[0]
    assert liệu.housing_condition == Household.Housing.DILAPIDATED
    assert liệu.search_text == "lp-001 ma dinh lieu ma dinh lieu"
    head = liệu.members.get()
    assert (head.full_name, head.sex, head.birth_year, head.ethnicity) == (
        "Ma Đình Liệu",
        Member.Sex.MALE,
        1968,
        Member.Ethnicity.TAY,
    )
    assert head.has_disability
    assert head.national_id == "008068001234"
    # Found by its folded name: "lung lua" is Lũng Lừa.
    assert Household.objects.get(code="LP-002").village == villages[1]
    assert liệu.history.count() == 1


def test_reimporting_the_same_file_changes_nothing(partnership, villages):
    content = household_file(ROWS)
    _import(partnership.commune, content)
    before = (Household.history.count(), Member.history.count())
    job = _import(partnership.commune, content)
    assert _applied(job) == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    assert (Household.history.count(), Member.history.count()) == before


def test_a_row_with_a_known_code_updates_the_household_and_keeps_blank_cells(partnership, villages):
    household = HouseholdFactory(
        village=villages[0], code="LP-001", head_name="Ma Đình Liệu", phone="0900000000"
    )
    MemberFactory(household=household, full_name="Ma Đình Liệu", relation="head", birth_year=1960)
    rows = [
        {
            "Mã hộ": "LP-001",
            "Thôn": "Lũng Lừa",
            "Họ tên chủ hộ": "Ma Đình Liệu",
            "Ngày sinh chủ hộ": "1968",
        }
    ]
    job = _import(partnership.commune, household_file(rows))
    assert _applied(job)["update"] == 1
    household.refresh_from_db()
    assert household.village == villages[1]
    assert household.phone == "84900000000"  # blank in the file: kept (stored as 84…)
    assert household.members.get(relation="head").birth_year == 1968


def test_a_file_with_errors_changes_nothing_and_names_the_row_and_column(
    client, staff_user, partnership, villages, django_capture_on_commit_callbacks
):
    rows = [
        *ROWS,
        {"Mã hộ": "LP-003", "Thôn": "Thôn Không Có", "Họ tên chủ hộ": "A"},
        {
            "Mã hộ": "LP-004",
            "Thôn": "Pác Hợp",
            "Họ tên chủ hộ": "B",
            "Ngày sinh chủ hộ": "31/02/1970",
            "Giới tính chủ hộ": "Nam",
        },
    ]
    client.cookies["django_language"] = "en"
    client.force_login(staff_user)
    upload = household_file(rows)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/households/import/",
            {"commune": partnership.commune.pk, "file": SimpleUploadedFile("ho.csv", upload)},
        )
    preview = Job.objects.get(kind=services.IMPORT_PREVIEW)
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{preview.pk}/"
    page = client.get(f"/households/import/{preview.pk}/?show=error").content.decode()
    assert "<strong>Thôn</strong>: The commune has no village “Thôn Không Có”." in page
    assert "<strong>Ngày sinh chủ hộ</strong>: Write the date as dd/mm/yyyy" in page
    # The rows' numbers as the spreadsheet shows them (the headers are row 1).
    assert "<td>4</td>" in page
    assert "<td>5</td>" in page
    response = client.post(f"/households/import/{preview.pk}/confirm/", follow=True)
    assert "2 rows have errors" in response.content.decode()
    assert not Household.objects.exists()
    assert not Job.objects.filter(kind=services.IMPORT_APPLY).exists()


def test_only_the_valid_rows_are_imported_when_the_user_asks(
    client, staff_user, partnership, villages, django_capture_on_commit_callbacks
):
    rows = [*ROWS, {"Mã hộ": "LP-003", "Thôn": "Nowhere", "Họ tên chủ hộ": "A"}]
    client.force_login(staff_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/households/import/",
            {
                "commune": partnership.commune.pk,
                "file": SimpleUploadedFile("ho.csv", household_file(rows)),
            },
        )
    preview = Job.objects.get(kind=services.IMPORT_PREVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/households/import/{preview.pk}/confirm/", {"valid_only": "on"})
    job = Job.objects.get(kind=services.IMPORT_APPLY)
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED
    assert _applied(job) == {"new": 2, "update": 0, "unchanged": 0, "error": 1}
    assert sorted(Household.objects.values_list("code", flat=True)) == ["LP-001", "LP-002"]
    assert "Row 4" in job.errors[0] or "Dòng 4" in job.errors[0]
    # Confirming again starts nothing new.
    client.post(f"/households/import/{preview.pk}/confirm/", {"valid_only": "on"})
    assert Job.objects.filter(kind=services.IMPORT_APPLY).count() == 1


def test_codes_repeated_inside_the_file_are_errors_on_every_such_row(partnership, villages):
    rows = [ROWS[1], {**ROWS[1], "Họ tên chủ hộ": "Người khác"}]
    parsed = imports.read_file(household_file(rows), "ho.csv")
    checked = services.household_import_dry_run(commune=partnership.commune, parsed=parsed)
    assert [item.outcome for item in checked] == ["error", "error"]
    assert "2, 3" in checked[0].row.errors["code"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_files_in_the_usual_encodings_are_read(partnership, villages, encoding):
    content = household_file(ROWS, encoding=encoding, delimiter=";")
    parsed = imports.read_file(content, "ho.csv")
    assert parsed.rows[0].values["head_name"] == "Ma Đình Liệu"
    assert parsed.rows[1].values["village"] == "lung lua"


def test_extra_columns_are_ignored_and_missing_optional_ones_are_fine(partnership, villages):
    content = household_file(
        [{"ma ho": "LP-9", "THON": "Pác Hợp", "Họ tên chủ hộ": "X", "Số thứ tự": "1"}],
        headers=["Số thứ tự", "ma ho", "THON", "Họ tên chủ hộ"],
    )
    parsed = imports.read_file(content, "ho.csv")
    assert parsed.ignored == ["Số thứ tự"]
    assert parsed.rows[0].values == {"code": "LP-9", "village": "Pác Hợp", "head_name": "X"}


def test_a_file_without_a_required_column_is_refused_whole(partnership):
    with pytest.raises(imports.FileProblem, match="Họ tên chủ hộ"):
        imports.read_file(household_file([], headers=["Mã hộ", "Thôn"]), "ho.csv")


def test_an_xlsx_file_with_dates_and_numbers_is_read(partnership, villages, tmp_path):
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Mã hộ",
            "Thôn",
            "Họ tên chủ hộ",
            "Ngày sinh chủ hộ",
            "Số CCCD chủ hộ",
            "Điện thoại",
            "Giới tính chủ hộ",
        ]
    )
    sheet.append(
        [
            "X-1",
            "Pác Hợp",
            "Lò Văn Páo",
            datetime.date(1971, 5, 2),
            8071000123,
            912345678,
            "Nam",
        ]
    )
    path = tmp_path / "ho.xlsx"
    workbook.save(path)
    job = _import(partnership.commune, path.read_bytes(), filename="ho.xlsx")
    assert _applied(job)["new"] == 1
    household = Household.objects.get(code="X-1")
    assert household.phone == "84912345678"  # the leading 0 put back, stored as 84…
    assert household.members.get().national_id == "008071000123"
    assert household.members.get().birth_year == 1971


def test_an_import_resumes_after_its_last_committed_chunk(partnership, villages):
    content = household_file(many_rows(120, ["Pác Hợp", "Lũng Lừa"]))
    preview = services.household_import_start(
        actor=None, commune=partnership.commune, content=content, filename="ho.csv"
    )
    services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    job = services.household_import_confirm(actor=None, preview=preview, chunk_size=50)
    # A first worker claims the job, commits one chunk and dies.
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
    assert Household.objects.count() == 50
    # The task is delivered again: it continues at row 51.
    services.household_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert _applied(job) == {"new": 120, "update": 0, "unchanged": 0, "error": 0}
    assert Household.objects.count() == 120
    assert Household.history.count() == 120
    # A third delivery does nothing.
    assert services.household_import_run(job_id=job.pk)["state"] == "finished"


def test_three_thousand_rows_import_in_a_few_seconds(partnership, villages):
    content = household_file(many_rows(3000, ["Pác Hợp", "Lũng Lừa"]))
    started = time.monotonic()
    job = _import(partnership.commune, content)
    assert _applied(job)["new"] == 3000
    assert job.progress == job.total == 3000
    assert Member.objects.count() == 3000
    assert time.monotonic() - started < 30


def test_the_command_checks_and_imports_and_fails_on_bad_rows(
    partnership, villages, tmp_path, capsys
):
    good = tmp_path / "good.csv"
    good.write_bytes(household_file(ROWS))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        household_file([*ROWS, {"Mã hộ": "Z", "Thôn": "Nowhere", "Họ tên chủ hộ": "A"}])
    )
    # The command exits with status 1 on bad rows; SystemExit's message is the status.
    with pytest.raises(SystemExit, match=r"^1$") as failed:
        call_command("import_households", str(bad), "--dry-run")
    assert failed.value.code == 1
    assert not Household.objects.exists()
    with pytest.raises(SystemExit, match=r"^1$"):
        call_command("import_households", str(bad))
    assert not Household.objects.exists()
    assert "4" in capsys.readouterr().err
    call_command("import_households", str(good))
    assert Household.objects.count() == 2
    with pytest.raises(SystemExit, match=r"^1$"):
        call_command("import_households", str(bad), "--valid-only")
    assert Household.objects.count() == 2


def test_the_command_writes_the_empty_template(tmp_path):
    out = tmp_path / "mau.csv"
    call_command("import_households", "--template", str(out))
    text = out.read_bytes().decode("utf-8-sig")
    assert text.strip().split(",")[:3] == ["Mã hộ", "Thôn", "Họ tên chủ hộ"]
    assert len(text.strip().splitlines()) == 1
