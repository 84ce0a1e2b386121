"""A commune's own household list, as communes keep it, imported through the page and the
command: title lines, a header over two rows with merged cells, an STT column, one row per
person, no household codes, years and dates (as text and as spreadsheet dates), a total row.
Every file is built here. Re-importing it changes nothing; the confirmed layout is proposed for
the commune's next file; each kind of bad input is an error on its row with the reason."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from core.models import Job
from households import imports, services
from households.models import Household, HouseholdImport, ImportLayout, Member
from tests.background.helpers import household_file
from tests.factories import CommuneFactory, HouseholdFactory, MemberFactory, VillageFactory

pytestmark = pytest.mark.django_db

TITLES = ["UỶ BAN NHÂN DÂN XÃ TRI PHÚ", "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2025"]
HEADER = ["STT", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", None, "Dân tộc", "Thôn, bản"]
HEADER += ["Ghi chú"]
SUB = [None, None, None, "Nam", "Nữ", None, None, None]
# One row per person: STT, name, relation, year under Nam, year under Nữ, ethnicity, village…
PEOPLE = [
    [1, "Ma Đình Liệu", "Chủ hộ", 1978, None, "Tày", "Pác Hợp", "Hộ nghèo"],
    [None, "Hoàng Thị Lan", "Vợ", None, "12/03/1980", "Tày", None, None],
    [None, "Ma Văn Tú", "Con", datetime.date(2005, 4, 1), None, "Tày", None, None],
    [2, "Hoàng Thị Nga", "Chủ hộ", None, "1965", "Dao", "Lũng Lừa", None],
    [None, "Triệu Văn Sơn", "Cháu", 2012, None, "Dao", None, None],
]


@pytest.fixture
def commune(partnership):
    commune = partnership.commune
    commune.name = "Tri Phú"
    commune.save(update_fields=["name"])
    return commune


@pytest.fixture
def villages(commune):
    return {
        "pac_hop": VillageFactory(commune=commune, name="Pác Hợp"),
        "lung_lua": VillageFactory(commune=commune, name="Lũng Lừa"),
    }


def commune_list(people=PEOPLE, *, header=HEADER, sub=SUB, total="Tổng cộng: 2 hộ") -> bytes:
    """Return the commune's list as an XLSX workbook: titles, a blank line, a two-row header
    with merged cells, the people, a blank line and the total."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in TITLES:
        sheet.append([title])
    sheet.append([])
    sheet.append(header)
    if sub:
        sheet.append(sub)
        sheet.merge_cells("D4:E4")
        for column in "ABCFGH":
            sheet.merge_cells(f"{column}4:{column}5")
    for person in people:
        sheet.append(person)
    sheet.append([])
    if total:
        sheet.append([total])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, commune, content, callbacks, name="danh-sach.xlsx") -> Job:
    """Upload a file through the page and check it (the task runs in English here: the messages
    it stores are in the language of the check)."""
    client.cookies["django_language"] = "en"
    with translation.override("en"), callbacks(execute=True):
        response = client.post(
            reverse("households:import-upload"),
            {"commune": commune.pk, "file": SimpleUploadedFile(name, content)},
        )
    assert response.status_code == 302
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _checked(commune, content, filename="danh-sach.xlsx", **reading) -> tuple[Job, HouseholdImport]:
    preview = services.household_import_start(
        actor=None, commune=commune, content=content, filename=filename, **reading
    )
    services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    return preview, HouseholdImport.objects.get(check_job=preview)


def _rows(household_import) -> dict[int, dict]:
    return {row["row"]: row for row in services.import_preview_report(household_import)["rows"]}


def _state() -> list:
    return [
        (
            h.code,
            h.village.name,
            h.head_name,
            h.notes,
            [
                (m.full_name, m.relation, m.sex, m.birth_year, m.ethnicity)
                for m in h.members.order_by("pk")
            ],
        )
        for h in Household.objects.select_related("village").order_by("code")
    ]


def _import_through_the_page(client, commune, content, callbacks) -> tuple[Job, HouseholdImport]:
    preview = _upload(client, commune, content, callbacks)
    household_import = HouseholdImport.objects.get(check_job=preview)
    with callbacks(execute=True):
        response = client.post(reverse("households:import-confirm", args=[preview.pk]))
    assert response.status_code == 302
    household_import.refresh_from_db()
    return preview, household_import


# --- The page ------------------------------------------------------------------------------------


def test_a_commune_list_imports_through_the_page_and_again_changes_nothing(
    client, staff_user, commune, villages, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    content = commune_list()
    preview = _upload(client, commune, content, django_capture_on_commit_callbacks)
    response = client.get(reverse("households:import-preview", args=[preview.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    # The mapping proposed, one select per column, and the rows skipped with why.
    mapping = response.context["mapping"]
    assert [field.value() for field in mapping.columns()] == [
        "stt",
        "member_name",
        "relation",
        "birth_male",
        "birth_female",
        "member_ethnicity",
        "village",
        "notes",
    ]
    assert mapping["header_row"].value() == 4
    assert "Năm sinh / Nữ" in page
    assert "Row 11: Empty row." in page
    assert "Row 12: A total row." in page
    assert "UỶ BAN NHÂN DÂN XÃ TRI PHÚ" in page
    household_import = HouseholdImport.objects.get(check_job=preview)
    assert household_import.found_counts() == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    assert not Household.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("households:import-confirm", args=[preview.pk]))
    household_import.refresh_from_db()
    assert household_import.applied_counts() == {
        "new": 2,
        "update": 0,
        "unchanged": 0,
        "error": 0,
    }
    assert _state() == [
        (
            "TP-0001",
            "Pác Hợp",
            "Ma Đình Liệu",
            "Hộ nghèo",
            [
                ("Ma Đình Liệu", "head", "male", 1978, "tay"),
                ("Hoàng Thị Lan", "spouse", "female", 1980, "tay"),
                ("Ma Văn Tú", "child", "male", 2005, "tay"),
            ],
        ),
        (
            "TP-0002",
            "Lũng Lừa",
            "Hoàng Thị Nga",
            "",
            [
                ("Hoàng Thị Nga", "head", "female", 1965, "dao"),
                ("Triệu Văn Sơn", "grandchild", "male", 2012, "dao"),
            ],
        ),
    ]
    layout = ImportLayout.objects.get(commune=commune)
    assert (layout.header_row, layout.header_depth, layout.person_rows) == (4, 2, True)
    assert layout.title_lines == TITLES
    assert layout.columns[3] == {"header": "Năm sinh / Nam", "field": "birth_male"}
    before = _state()

    # The same file again: the same households, found by village, head's name and birth year.
    _again, second = _import_through_the_page(
        client, commune, content, django_capture_on_commit_callbacks
    )
    assert second.found_counts() == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    assert second.applied_counts()["unchanged"] == 2
    assert _state() == before
    assert Member.objects.count() == 5


def test_the_person_corrects_a_column_and_the_file_is_checked_again(
    client, staff_user, commune, villages, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    preview = _upload(client, commune, commune_list(), django_capture_on_commit_callbacks)
    household_import = HouseholdImport.objects.get(check_job=preview)
    columns = {f"column_{n}": c["field"] for n, c in enumerate(household_import.layout["columns"])}
    columns["column_7"] = ""  # "Ghi chú" is not read
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("households:import-remap", args=[preview.pk]), {"header_row": 4, **columns}
        )
    assert response.status_code == 302
    again = HouseholdImport.objects.exclude(pk=household_import.pk).get()
    assert again.choice["Ghi chú"] == ""
    assert again.layout["columns"][7] == {"header": "Ghi chú", "field": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("households:import-confirm", args=[again.check_job_id]))
    assert set(Household.objects.values_list("notes", flat=True)) == {""}
    assert Household.objects.count() == 2


def test_an_unmapped_required_field_lists_the_columns_and_the_page_offers_the_selects(
    client, staff_user, commune, villages, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    header = ["STT", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", None, "Dân tộc", "Nơi ở"]
    content = commune_list(header=[*header, "Ghi chú"])
    preview = _upload(client, commune, content, django_capture_on_commit_callbacks)
    household_import = HouseholdImport.objects.get(check_job=preview)
    assert household_import.status == HouseholdImport.Status.FAILED
    response = client.get(reverse("households:import-preview", args=[preview.pk]))
    page = response.content.decode()
    assert "Required columns are missing: Thôn. The file&#x27;s columns are: STT, Họ và tên" in page
    assert response.context["mapping"] is not None
    columns = {f"column_{n}": c["field"] for n, c in enumerate(household_import.layout["columns"])}
    columns["column_6"] = "village"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("households:import-remap", args=[preview.pk]), {"header_row": 4, **columns}
        )
    again = HouseholdImport.objects.exclude(pk=household_import.pk).get()
    assert again.found_counts()["new"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("households:import-confirm", args=[again.check_job_id]))

    # The commune's next file with these headers is read as the person chose.
    _third, third = _checked(commune, content)
    assert third.status == HouseholdImport.Status.CHECKED
    assert third.layout["columns"][6] == {"header": "Nơi ở", "field": "village"}
    assert third.found_counts() == {"new": 0, "update": 0, "unchanged": 2, "error": 0}


def test_two_columns_read_as_one_field_are_an_error_naming_both(commune, villages):
    with translation.override("en"):
        preview, household_import = _checked(commune, commune_list(), choice={"Ghi chú": "village"})
        with pytest.raises(imports.FileProblem, match=r"\(Thôn, bản and Ghi chú\)"):
            imports.read_file(commune_list(), "x.xlsx", choice={"Ghi chú": "village"})
    assert household_import.status == HouseholdImport.Status.FAILED
    assert "Thôn, bản" in preview.message
    assert "Ghi chú" in preview.message
    assert not Household.objects.exists()


# --- The command ---------------------------------------------------------------------------------


def test_the_command_imports_the_commune_list_and_a_second_run_changes_nothing(
    commune, villages, tmp_path, capsys
):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(commune_list())
    call_command("import_households", str(path), "--commune", str(commune.pk))
    out = capsys.readouterr().out
    assert "Năm sinh / Nam → birth_male" in out
    assert "Row 12 skipped" in out
    assert Household.objects.count() == 2
    assert Member.objects.count() == 5
    before = _state()
    call_command("import_households", str(path), "--commune", str(commune.pk))
    assert _state() == before
    assert HouseholdImport.objects.order_by("-pk").first().applied_counts()["unchanged"] == 2


def test_the_command_takes_the_header_row_and_a_mapping(commune, villages, tmp_path):
    header = ["STT", "Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", None, "Dân tộc", "Nơi ở"]
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(commune_list(header=[*header, "Ghi chú"]))
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"Required columns are missing: .*Nơi ở.*member_name"),
    ):
        call_command("import_households", str(path), "--commune", str(commune.pk))
    with pytest.raises(CommandError, match="'hamlet' is not a field"):
        call_command("import_households", str(path), "--map", "Nơi ở=hamlet")
    call_command(
        "import_households",
        str(path),
        "--commune",
        str(commune.pk),
        "--header-row",
        "4",
        "--map",
        "NOI O=village",
        "--map",
        "Ghi chú=",
    )
    assert sorted(Household.objects.values_list("village__name", "notes")) == [
        ("Lũng Lừa", ""),
        ("Pác Hợp", ""),
    ]


def test_the_command_dry_run_writes_nothing_and_prints_the_errors(
    commune, villages, tmp_path, capsys
):
    path = tmp_path / "danh-sach.xlsx"
    people = [list(PEOPLE[0]), list(PEOPLE[1])]
    people[0][6] = "Pac Hop Moi"
    path.write_bytes(commune_list(people))
    with pytest.raises(SystemExit, match="1"):
        call_command("import_households", str(path), "--commune", str(commune.pk), "--dry-run")
    assert "Pac Hop Moi" in capsys.readouterr().err
    assert not Household.objects.exists()


# --- Codes, matching -----------------------------------------------------------------------------


def test_codes_follow_the_communes_pattern(commune, villages):
    HouseholdFactory(village=villages["pac_hop"], code="LP-0042")
    HouseholdFactory(village=villages["pac_hop"], code="LP-0007")
    preview, _household_import = _checked(commune, commune_list())
    job = services.household_import_confirm(actor=None, preview=preview)
    services.household_import_run(job_id=job.pk)
    assert sorted(Household.objects.values_list("code", flat=True)) == [
        "LP-0007",
        "LP-0042",
        "LP-0043",
        "LP-0044",
    ]


def test_the_template_still_imports_as_before(commune, villages):
    content = household_file(
        [{"Mã hộ": "LP-001", "Thôn": "Pác Hợp", "Họ tên chủ hộ": "Ma Đình Liệu"}]
    )
    preview, household_import = _checked(commune, content, "mau.csv")
    assert household_import.layout["header_row"] == 1
    assert not household_import.layout["person_rows"]
    job = services.household_import_confirm(actor=None, preview=preview)
    services.household_import_run(job_id=job.pk)
    assert list(Household.objects.values_list("code", "head_name")) == [("LP-001", "Ma Đình Liệu")]


def test_a_row_matching_two_households_and_two_rows_of_one_household_are_errors(commune, villages):
    for code in ("TP-0001", "TP-0002"):
        household = HouseholdFactory(village=villages["pac_hop"], code=code, head_name="Ma Văn A")
        MemberFactory(household=household, full_name="Ma Văn A", relation="head", birth_year=1970)
    people = [
        [1, "Ma Văn A", "Chủ hộ", 1970, None, "Tày", "Pác Hợp", None],
        [2, "Hoàng Văn B", "Chủ hộ", 1971, None, "Tày", "Lũng Lừa", None],
        [3, "Hoàng Văn B", "Chủ hộ", 1971, None, "Tày", "Lũng Lừa", None],
    ]
    with translation.override("en"):
        _preview, household_import = _checked(commune, commune_list(people))
    rows = _rows(household_import)
    assert "matches more than one household (TP-0001, TP-0002)" in rows[6]["errors"][0]["message"]
    assert "Rows 7, 8 list the same household" in rows[7]["errors"][0]["message"]
    assert household_import.found_counts()["error"] == 3


def test_a_member_already_there_is_updated_not_duplicated(commune, villages):
    household = HouseholdFactory(
        village=villages["pac_hop"], code="TP-0009", head_name="Ma Đình Liệu"
    )
    MemberFactory(
        household=household, full_name="Ma Đình Liệu", relation="head", birth_year=1978, sex="male"
    )
    MemberFactory(household=household, full_name="HOÀNG THỊ LAN", relation="other", birth_year=1980)
    preview, household_import = _checked(commune, commune_list(PEOPLE[:3]))
    assert household_import.found_counts()["update"] == 1
    job = services.household_import_confirm(actor=None, preview=preview)
    services.household_import_run(job_id=job.pk)
    assert list(household.members.values_list("full_name", "relation").order_by("pk")) == [
        ("Ma Đình Liệu", "head"),
        ("HOÀNG THỊ LAN", "spouse"),
        ("Ma Văn Tú", "child"),
    ]


# --- Bad input -----------------------------------------------------------------------------------


def _errors(commune, people, header=HEADER, sub=SUB) -> dict[int, list[str]]:
    with translation.override("en"):
        _preview, household_import = _checked(commune, commune_list(people, header=header, sub=sub))
    return {
        number: [
            f"{error.get('row', number)} {error['column']}: {error['message']}"
            for error in row["errors"]
        ]
        for number, row in _rows(household_import).items()
        if row["errors"]
    }


def test_a_village_not_of_the_commune_suggests_the_closest(commune, villages):
    people = [[1, "Ma Văn A", "Chủ hộ", 1970, None, "Tày", "Pác Hơp Thượng", None]]
    assert _errors(commune, people) == {
        6: ["6 Thôn, bản: The commune has no village “Pác Hơp Thượng”. Did you mean Pác Hợp?"]
    }
    assert not Household.objects.exists()


def test_a_village_of_a_commune_merged_into_this_one_is_found_where_it_carries_on(
    commune, villages
):
    old_commune = CommuneFactory(
        name="Linh Phú", merged_into=commune, valid_until=datetime.date(2025, 6, 30)
    )
    VillageFactory(
        commune=old_commune,
        name="Nà Lừa",
        merged_into=villages["lung_lua"],
        valid_until=datetime.date(2025, 6, 30),
    )
    header = [*HEADER, "Xã"]
    sub = [*SUB, None]
    people = [[1, "Ma Văn A", "Chủ hộ", 1970, None, "Tày", "Nà Lừa", None, "Xã Linh Phú"]]
    with translation.override("en"):
        _preview, household_import = _checked(commune, commune_list(people, header=header, sub=sub))
    row = _rows(household_import)[6]
    assert row["outcome"] == "new"
    assert row["notes"] == ["Linh Phú is now part of Tri Phú."]
    job = services.household_import_confirm(actor=None, preview=household_import.check_job)
    services.household_import_run(job_id=job.pk)
    assert Household.objects.get().village == villages["lung_lua"]


def test_a_commune_merged_elsewhere_is_an_error_naming_its_successor(commune, villages):
    elsewhere = CommuneFactory(name="Hòa Phú")
    CommuneFactory(name="Phúc Sơn", merged_into=elsewhere, valid_until=datetime.date(2025, 6, 30))
    header, sub = [*HEADER, "Xã"], [*SUB, None]
    people = [[1, "Ma Văn A", "Chủ hộ", 1970, None, "Tày", "Pác Hợp", None, "Phúc Sơn"]]
    assert _errors(commune, people, header, sub) == {
        6: ["6 Xã: Phúc Sơn merged into Hòa Phú: this file is for Tri Phú."]
    }


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        (
            [
                PEOPLE[0],
                [None, "Ma Văn Tú", "Con", 2005, None, "Tày", None, None],
                [None, "Ma Văn Tú", "Con", 2005, None, "Tày", None, None],
            ],
            "8 Họ và tên: This person is listed twice in the household (rows 7 and 8).",
        ),
        (
            [[1, None, "Chủ hộ", 1970, None, "Tày", "Pác Hợp", None]],
            "6 Họ và tên: The head of household has no name.",
        ),
        (
            [[1, "Ma Văn A", "Chủ hộ", 2099, None, "Tày", "Pác Hợp", None]],
            "6 Năm sinh / Nam: The year of birth is in the future.",
        ),
        (
            [[1, "Ma Văn A", "Chủ hộ", 1850, None, "Tày", "Pác Hợp", None]],
            "6 Năm sinh / Nam: The year of birth is before 1900.",
        ),
        (
            [[1, "Ma Văn A", "Chủ hộ", "31/02/1970", None, "Tày", "Pác Hợp", None]],
            "6 Năm sinh / Nam: Write the date as dd/mm/yyyy (for example 25/03/1968), or the "
            "year alone.",
        ),
        (
            [[1, "Ma Thị B", "Con", 2001, None, "Tày", None, None], PEOPLE[0]],
            "6 Quan hệ với chủ hộ: This member comes before any head of household.",
        ),
    ],
    ids=["person-twice", "head-without-name", "future", "before-1900", "bad-date", "no-head"],
)
def test_bad_rows_are_errors_on_their_row_with_the_reason(commune, villages, people, expected):
    found = _errors(commune, people)
    assert expected in [message for messages in found.values() for message in messages]
    assert not Household.objects.exists()
