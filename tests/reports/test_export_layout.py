"""The commune's households written back in the layout of its own spreadsheet."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.imports import counts, read_file
from households.models import ImportLayout, Member
from households.services import household_import_dry_run
from tests import factories as f

pytestmark = pytest.mark.django_db
NATIONAL_ID = "001085012345"
TITLES = ["UỶ BAN NHÂN DÂN XÃ TRI PHÚ", "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2025"]
# A commune list: two title lines, a blank line, a header over rows 4 and 5 ("Nơi ở" over two
# columns), an STT column, one row per person, no household codes, a column nobody reads.
PERSON_COLUMNS = [
    {"header": "STT", "field": "stt"},
    {"header": "Họ và tên", "field": "member_name"},
    {"header": "Quan hệ với chủ hộ", "field": "relation"},
    {"header": "Năm sinh", "field": "member_birth"},
    {"header": "Giới tính", "field": "member_sex"},
    {"header": "Dân tộc", "field": "member_ethnicity"},
    {"header": "Nơi ở / Thôn, bản", "field": "village"},
    {"header": "Nơi ở / Địa chỉ", "field": "address"},
    {"header": "Ghi chú", "field": "notes"},
    {"header": "Ký nhận", "field": ""},
]
# The office's own columns, one row per household, under a one-row header on the first row.
HOUSEHOLD_COLUMNS = [
    {"header": "Mã hộ", "field": "code"},
    {"header": "Thôn", "field": "village"},
    {"header": "Họ tên chủ hộ", "field": "head_name"},
    {"header": "Năm sinh", "field": "head_birth"},
    {"header": "Giới tính", "field": "head_sex"},
    {"header": "Điện thoại", "field": "phone"},
    {"header": "Tình trạng nhà ở", "field": "housing_condition"},
    {"header": "Số CCCD", "field": "head_national_id"},
    {"header": "Chủ hộ khuyết tật", "field": "head_disability"},
    {"header": "Cột khác", "field": ""},
]


def url(commune, **query) -> str:
    path = reverse("reports:layout-export", kwargs={"commune": commune.pk})
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def workbook(response):
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return data, openpyxl.load_workbook(io.BytesIO(data)).active


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def commune(partnership):
    return partnership.commune


@pytest.fixture
def villages(commune):
    return {
        "pac_hop": f.VillageFactory(commune=commune, name="Pác Hợp"),
        "lung_lua": f.VillageFactory(commune=commune, name="Lũng Lừa"),
    }


def _household(village, name, birth, sex, ethnicity, **fields):
    household = f.HouseholdFactory(village=village, head_name=name, notes="", **fields)
    f.MemberFactory(
        household=household,
        full_name=name,
        relation=Member.Relation.HEAD,
        birth_year=birth,
        sex=sex,
        ethnicity=ethnicity,
    )
    return household


@pytest.fixture
def families(villages):
    """Two households of the commune with their members, one archived, one elsewhere."""
    liệu = _household(
        villages["pac_hop"],
        "Ma Đình Liệu",
        1968,
        Member.Sex.MALE,
        Member.Ethnicity.TAY,
        code="LP-0001",
        address="Nhà số 4",
        phone="84912345678",
        housing_condition="dilapidated",
    )
    f.MemberFactory(
        household=liệu,
        full_name="Ma Thị Hoa",
        relation=Member.Relation.SPOUSE,
        sex=Member.Sex.FEMALE,
        birth_year=1970,
        national_id=NATIONAL_ID,
    )
    f.MemberFactory(
        household=liệu,
        full_name="Ma Văn Nam",
        relation=Member.Relation.CHILD,
        sex=Member.Sex.MALE,
        birth_year=1995,
    )
    lan = _household(
        villages["lung_lua"],
        "Hoàng Thị Lan",
        1975,
        Member.Sex.FEMALE,
        Member.Ethnicity.DAO,
        code="LP-0002",
        address="Đầu cầu",
        phone="",
        housing_condition="solid",
    )
    lan.members.filter(relation=Member.Relation.HEAD).update(national_id="002175000111")
    f.HouseholdFactory(village=villages["pac_hop"], head_name="Đã Chuyển Đi", archived=True)
    f.HouseholdFactory(head_name="Hoàng Văn Ngoài")
    return {"liệu": liệu, "lan": lan}


@pytest.fixture
def person_layout(commune):
    return ImportLayout.objects.create(
        commune=commune,
        header_row=4,
        header_depth=2,
        title_lines=TITLES,
        columns=PERSON_COLUMNS,
        person_rows=True,
    )


@pytest.fixture
def household_layout(commune):
    return ImportLayout.objects.create(commune=commune, columns=HOUSEHOLD_COLUMNS)


# The commune's list, as the commune keeps it -----------------------------------------------


def test_the_commune_list_comes_back_with_titles_two_row_header_stt_people_and_total(
    client, staff_user, families, person_layout, commune
):
    client.force_login(staff_user)
    response = client.get(url(commune))
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="ho-gia-dinh-')
    _data, sheet = workbook(response)
    lines = rows(sheet)
    width = len(PERSON_COLUMNS)
    assert lines[0] == [TITLES[0]] + [None] * (width - 1)
    assert lines[1] == [TITLES[1]] + [None] * (width - 1)
    assert lines[2] == [None] * width
    assert lines[3] == [
        "STT",
        "Họ và tên",
        "Quan hệ với chủ hộ",
        "Năm sinh",
        "Giới tính",
        "Dân tộc",
        "Nơi ở",
        None,
        "Ghi chú",
        "Ký nhận",
    ]
    assert lines[4] == [None] * 6 + ["Thôn, bản", "Địa chỉ", None, None]
    assert {str(merged) for merged in sheet.merged_cells.ranges} == {
        "A1:J1",
        "A2:J2",
        *(f"{column}4:{column}5" for column in "ABCDEFIJ"),
        "G4:H4",
    }
    assert lines[5:] == [
        [1, "Hoàng Thị Lan", "Chủ hộ", 1975, "Nữ", "Dao", "Lũng Lừa", "Đầu cầu", None, None],
        [2, "Ma Đình Liệu", "Chủ hộ", 1968, "Nam", "Tày", "Pác Hợp", "Nhà số 4", None, None],
        [None, "Ma Thị Hoa", "Vợ", 1970, "Nữ", "Tày", None, None, None, None],
        [None, "Ma Văn Nam", "Con", 1995, "Nam", "Tày", None, None, None, None],
        ["Tổng cộng: 2 hộ"] + [None] * (width - 1),
    ]
    assert sheet.freeze_panes == "A6"


def test_the_file_is_vietnamese_whatever_the_users_language(
    client, staff_user, families, person_layout, commune
):
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    lines = rows(workbook(client.get(url(commune), HTTP_ACCEPT_LANGUAGE="en"))[1])
    assert lines[6][2:6] == ["Chủ hộ", 1968, "Nam", "Tày"]
    assert lines[-1][0] == "Tổng cộng: 2 hộ"


def test_a_one_row_household_layout_writes_a_row_per_household(
    client, staff_user, families, household_layout, commune
):
    client.force_login(staff_user)
    lines = rows(workbook(client.get(url(commune)))[1])
    assert lines == [
        [column["header"] for column in HOUSEHOLD_COLUMNS],
        [
            "LP-0002",
            "Lũng Lừa",
            "Hoàng Thị Lan",
            1975,
            "Nữ",
            None,
            "Kiên cố",
            "002175000111",
            "Không",
            None,
        ],
        [
            "LP-0001",
            "Pác Hợp",
            "Ma Đình Liệu",
            1968,
            "Nam",
            "0912345678",
            "Dột nát, xuống cấp",
            None,
            "Không",
            None,
        ],
        ["Tổng cộng: 2 hộ"] + [None] * (len(HOUSEHOLD_COLUMNS) - 1),
    ]


def test_a_field_the_export_does_not_know_is_left_empty(client, staff_user, families, commune):
    ImportLayout.objects.create(
        commune=commune,
        columns=[
            {"header": "Họ tên chủ hộ", "field": "head_name"},
            {"header": "Năm sinh / Nữ", "field": "a_field_of_tomorrow"},
        ],
    )
    client.force_login(staff_user)
    lines = rows(workbook(client.get(url(commune)))[1])
    assert lines[1:3] == [["Hoàng Thị Lan", None], ["Ma Đình Liệu", None]]


def test_auditors_get_no_whole_id_numbers(
    client, auditor_user, families, household_layout, commune
):
    client.force_login(auditor_user)
    lines = rows(workbook(client.get(url(commune)))[1])
    assert [line[7] for line in lines[1:3]] == [None, None]
    assert lines[1][2] == "Hoàng Thị Lan"


def test_the_list_filters_apply(client, cadre_user, families, household_layout, commune, villages):
    client.force_login(cadre_user)
    lines = rows(workbook(client.get(url(commune, village=villages["pac_hop"].pk)))[1])
    assert [line[0] for line in lines] == ["Mã hộ", "LP-0001", "Tổng cộng: 1 hộ"]
    lines = rows(workbook(client.get(url(commune, q="hoang thi lan")))[1])
    assert [line[0] for line in lines] == ["Mã hộ", "LP-0002", "Tổng cộng: 1 hộ"]


def test_a_village_that_is_not_an_id_is_refused(client, staff_user, household_layout, commune):
    client.force_login(staff_user)
    response = client.get(url(commune, village="Pác"))
    assert response.status_code == 400
    assert response.content.decode() == (
        "Hãy chọn thôn, bản trong danh sách (mã của thôn là một số)."
    )


# Queries -----------------------------------------------------------------------------------


def _households(commune, count: int) -> None:
    village = f.VillageFactory(commune=commune)
    for number in range(count):
        household = _household(
            village, f"Chủ hộ {number}", 1970, Member.Sex.MALE, Member.Ethnicity.TAY
        )
        f.MemberFactory(household=household, full_name=f"Con {number}")


def _queries(client, commune) -> int:
    with CaptureQueriesContext(connection) as queries:
        workbook(client.get(url(commune)))
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_households(
    client, staff_user, person_layout, commune, django_assert_num_queries
):
    client.force_login(staff_user)
    client.get(reverse("home"))  # the session settles (its "last seen" time is written once)
    _households(commune, 3)
    few = _queries(client, commune)
    _households(commune, 27)
    assert _queries(client, commune) == few
    # The session and the user; the user's roles; their communes (one query, with those merged
    # into them); the commune with its layout; the households; their members (the session is
    # not written back within a minute: core.idle).
    with django_assert_num_queries(7):
        _data, sheet = workbook(client.get(url(commune)))
    assert rows(sheet)[-1][0] == "Tổng cộng: 30 hộ"
    assert few == 7


# Who may download -------------------------------------------------------------------------


def test_another_communes_layout_is_not_found(client, staff_user, cadre_user, families):
    other = f.CommuneFactory()
    ImportLayout.objects.create(commune=other, columns=HOUSEHOLD_COLUMNS)
    for user in (staff_user, cadre_user):
        client.force_login(user)
        assert client.get(url(other)).status_code == 404


def test_a_commune_without_a_layout_has_nothing_to_download(client, staff_user, commune):
    client.force_login(staff_user)
    assert client.get(url(commune)).status_code == 404


def test_donors_are_refused(client, donor_user, household_layout, commune):
    client.force_login(donor_user)
    assert client.get(url(commune)).status_code == 403


def test_the_home_page_links_the_layout_export_only_when_there_is_a_layout(
    client, staff_user, commune
):
    client.force_login(staff_user)
    link = url(commune)
    with CaptureQueriesContext(connection) as without:
        assert link not in client.get(reverse("home")).content.decode()
    other = f.CommuneFactory()
    ImportLayout.objects.create(commune=other, columns=HOUSEHOLD_COLUMNS)
    assert url(other) not in client.get(reverse("home")).content.decode()
    ImportLayout.objects.create(commune=commune, columns=HOUSEHOLD_COLUMNS)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()
    # The links cost two more queries than none: the staff member's communes (their
    # partnerships' and those merged into them, one query) and the communes with a layout.
    assert len(queries) == len(without) + 2
    assert link in page
    assert commune.name in page


def test_donors_see_no_layout_link(client, donor_user, household_layout, commune):
    client.force_login(donor_user)
    assert url(commune) not in client.get(reverse("home")).content.decode()


# Back in again ----------------------------------------------------------------------------


def _imports_back_unchanged(data: bytes, commune, **layout) -> None:
    parsed = read_file(data, "danh-sach.xlsx", **layout)
    checked = household_import_dry_run(commune=commune, parsed=parsed)
    found = counts(checked)
    assert found["new"] == found["update"] == found["error"] == 0, [
        item.report() for item in checked if item.outcome != "unchanged"
    ]
    assert found["unchanged"] >= 2


@pytest.mark.parametrize("layout", ["person_layout", "household_layout"])
def test_the_exported_file_imports_back_without_changes(
    client, request, staff_user, families, commune, layout
):
    """Read with the commune's layout, as the page and the command read its next file."""
    remembered = request.getfixturevalue(layout)
    client.force_login(staff_user)
    data, _sheet = workbook(client.get(url(commune)))
    _imports_back_unchanged(data, commune, remembered=remembered.as_layout())


def test_the_exported_file_is_read_by_itself_where_no_layout_is_remembered(
    client, staff_user, families, commune, household_layout
):
    """Another office, or the commune after its layout changed: the header is found alone."""
    client.force_login(staff_user)
    data, _sheet = workbook(client.get(url(commune)))
    _imports_back_unchanged(data, commune)


def test_members_stay_under_their_head_across_chunks(
    client, staff_user, families, person_layout, commune, monkeypatch
):
    client.force_login(staff_user)
    whole = rows(workbook(client.get(url(commune)))[1])
    monkeypatch.setattr("reports.exports_layout.CHUNK_SIZE", 1)
    assert rows(workbook(client.get(url(commune)))[1]) == whole
