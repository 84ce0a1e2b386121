"""List exports: households, receipts and assets as CSV and XLSX, within the user's scope."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Asset
from households.models import Member
from reports.exports import neutralise
from tests import factories as f

pytestmark = pytest.mark.django_db
KINDS = ["households", "receipts", "assets"]
FORMATS = ["csv", "xlsx"]
FORMULA = '=HYPERLINK("http://x","y")'
NATIONAL_ID = "001085012345"


def url(kind: str, fmt: str) -> str:
    return reverse("reports:list-export", kwargs={"kind": kind, "fmt": fmt})


def read(response) -> list[list]:
    """Return the export's rows (header first) as the user's spreadsheet would see them."""
    if response["Content-Type"].startswith("text/csv"):
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def ground(partnership):
    """One household of each kind of trouble inside the partnership, and one outside it."""
    village = f.VillageFactory(commune=partnership.commune, name="Pác Hợp")
    other_village = f.VillageFactory(commune=partnership.commune, name="Lũng Lừa")
    liệu = f.HouseholdFactory(village=village, code="LP-0001", head_name="Ma Đình Liệu")
    f.MemberFactory(household=liệu, full_name="Ma Thị Hoa", national_id=NATIONAL_ID)
    crafted = f.HouseholdFactory(village=other_village, code="LP-0002", head_name=FORMULA)
    outside = f.HouseholdFactory(code="XA-0009", head_name="Hoàng Văn Ngoài")
    distribution = f.DistributionFactory(
        partnership=partnership, title="Quà Tết 2024", distributed_on=datetime.date(2024, 1, 30)
    )
    confirmer = f.UserFactory(username="can-bo-xac-nhan")
    f.ReceiptFactory(
        distribution=distribution,
        household=liệu,
        confirmed_by=confirmer,
        confirmed_at=datetime.datetime(2024, 1, 30, 2, 15, tzinfo=datetime.UTC),
    )
    f.ReceiptFactory(distribution=distribution, household=crafted)
    f.ReceiptFactory(household=outside, distribution__title="Quà xã khác")
    f.AssetFactory(partnership=partnership, code="DEN-0001", village=village, household=liệu)
    f.AssetFactory(code="DEN-9999", village=outside.village, partnership__commune=outside.commune)
    return {"liệu": liệu, "crafted": crafted, "outside": outside, "village": village}


# Who may download -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", ["staff_user", "cadre_user", "auditor_user"])
def test_staff_cadres_and_auditors_download_every_list(client, request, ground, kind, fmt, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url(kind, fmt))
    assert response.status_code == 200
    assert len(read(response)) > 1


@pytest.mark.parametrize("kind", KINDS)
def test_donors_are_refused_the_lists(client, donor_user, kind):
    client.force_login(donor_user)
    assert client.get(url(kind, "csv")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(url("households", "csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize(("kind", "fmt"), [("members", "csv"), ("households", "pdf")])
def test_an_unknown_list_or_format_is_404(client, staff_user, kind, fmt):
    client.force_login(staff_user)
    assert client.get(url(kind, fmt)).status_code == 404


# Scope and privacy --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_staff_export_only_the_households_of_their_partnership(client, staff_user, ground, fmt):
    client.force_login(staff_user)
    codes = {row[0] for row in read(client.get(url("households", fmt)))[1:]}
    assert codes == {"LP-0001", "LP-0002"}


def test_receipts_and_assets_of_another_partnership_are_left_out(client, cadre_user, ground):
    client.force_login(cadre_user)
    receipts = read(client.get(url("receipts", "csv")))[1:]
    assert {row[2] for row in receipts} == {"LP-0001", "LP-0002"}
    assets = read(client.get(url("assets", "csv")))[1:]
    assert [row[0] for row in assets] == ["DEN-0001"]


def test_an_auditor_exports_every_partnership(client, auditor_user, ground):
    client.force_login(auditor_user)
    codes = {row[0] for row in read(client.get(url("households", "csv")))[1:]}
    assert {"LP-0001", "LP-0002", "XA-0009"} <= codes


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_member_name_or_id_number_is_exported(client, staff_user, ground, kind, fmt):
    client.force_login(staff_user)
    text = repr(read(client.get(url(kind, fmt))))
    assert "Ma Thị Hoa" not in text
    assert NATIONAL_ID[-3:] not in text.replace("LP-0001", "")
    assert Member.objects.get(full_name="Ma Thị Hoa").masked_national_id not in text


def test_the_household_row_carries_the_listed_columns(client, staff_user, ground):
    client.force_login(staff_user)
    rows = read(client.get(url("households", "csv")))
    assert rows[0] == [
        "Mã hộ",
        "Thôn, bản",
        "Xã",
        "Chủ hộ",
        "Địa chỉ",
        "Tình trạng nhà ở",
        "Phân loại hộ nghèo",
        "Gia đình chính sách",
        "Hoàn cảnh khó khăn",
        "Ngày rà soát gần nhất",
        "Thành viên",
        "Đã lưu trữ",
    ]
    liệu = next(row for row in rows if row[0] == "LP-0001")
    commune = ground["liệu"].commune.name
    assert liệu == [
        "LP-0001",
        "Pác Hợp",
        commune,
        "Ma Đình Liệu",
        "Thôn Pác Hợp",
        "Bán kiên cố",
        "Hộ nghèo",
        "Không",
        "Không",
        "",
        "1",
        "Không",
    ]


# Spreadsheet safety and format ----------------------------------------------------------------


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(lead):
    assert neutralise(f"{lead}1+1") == f"'{lead}1+1"


@pytest.mark.parametrize("value", ["Ma Đình Liệu", "", 5, -5, None, datetime.date(2024, 1, 1)])
def test_other_cells_are_left_alone(value):
    assert neutralise(value) == value


def test_a_formula_as_a_name_exports_as_text_in_csv(client, staff_user, ground):
    client.force_login(staff_user)
    for kind, column in (("households", 3), ("receipts", 3)):
        rows = read(client.get(url(kind, "csv")))
        assert "'" + FORMULA in [row[column] for row in rows], kind
        assert FORMULA not in [row[column] for row in rows], kind


def test_a_formula_as_a_name_exports_as_text_in_xlsx(client, staff_user, ground):
    client.force_login(staff_user)
    for kind in ("households", "receipts"):
        response = client.get(url(kind, "xlsx"))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [cell for (cell,) in sheet.iter_rows(min_col=4, max_col=4, min_row=2)]
        crafted = next(cell for cell in cells if FORMULA in str(cell.value))
        assert crafted.value == "'" + FORMULA
        assert crafted.data_type == "s"
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_is_utf8_with_a_byte_order_mark_and_a_dated_filename(client, staff_user, ground):
    client.force_login(staff_user)
    response = client.get(url("households", "csv"))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert "Ma Đình Liệu".encode() in body
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="ho-gia-dinh-{today}.csv"'
    assert "no-store" in response["Cache-Control"]


def test_xlsx_has_a_dated_filename(client, staff_user, ground):
    client.force_login(staff_user)
    response = client.get(url("assets", "xlsx"))
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="tai-san-{today}.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_receipts_give_dates_as_dd_mm_yyyy_in_csv_and_money_in_whole_dong(
    client, staff_user, ground
):
    client.force_login(staff_user)
    rows = read(client.get(url("receipts", "csv")))
    assert rows[0] == [
        "Đợt trao",
        "Ngày",
        "Mã hộ",
        "Chủ hộ",
        "Thôn, bản",
        "Số lượng",
        "Giá trị (đồng)",
        "Thời điểm xác nhận",
        "Người xác nhận",
    ]
    liệu = next(row for row in rows if row[2] == "LP-0001")
    # 02:15 UTC is 09:15 in Vietnam.
    assert liệu == [
        "Quà Tết 2024",
        "30/01/2024",
        "LP-0001",
        "Ma Đình Liệu",
        "Pác Hợp",
        "1",
        "500000",
        "30/01/2024 09:15",
        "can-bo-xac-nhan",
    ]


def test_xlsx_holds_real_dates_and_numbers(client, staff_user, ground):
    client.force_login(staff_user)
    response = client.get(url("receipts", "xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "LP-0001")
    # openpyxl reads dates back as naive datetimes: a spreadsheet has no time zone.
    assert row[1].value.isoformat() == "2024-01-30T00:00:00"
    assert row[1].number_format == "DD/MM/YYYY"
    assert row[6].value == 500_000
    assert row[6].data_type == "n"
    assert row[7].value.isoformat() == "2024-01-30T09:15:00"
    assert row[7].number_format == "DD/MM/YYYY HH:MM"


def test_assets_list_kind_village_household_and_status(client, staff_user, ground):
    Asset.objects.filter(code="DEN-0001").update(status=Asset.Status.FAULTY)
    client.force_login(staff_user)
    rows = read(client.get(url("assets", "csv")))
    assert rows == [
        [
            "Mã tài sản",
            "Loại",
            "Thôn, bản",
            "Mã hộ",
            "Ngày lắp đặt",
            "Giá trị (đồng)",
            "Trạng thái",
        ],
        [
            "DEN-0001",
            "Cột đèn năng lượng mặt trời",
            "Pác Hợp",
            "LP-0001",
            "01/09/2023",
            "2050000",
            "Hỏng",
        ],
    ]


def test_headers_follow_the_chosen_language(client, staff_user, ground):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff_user)
    rows = read(client.get(url("households", "xlsx")))
    assert rows[0][:4] == ["Household code", "Village", "Commune", "Head of household"]


# Filters --------------------------------------------------------------------------------------


def test_q_finds_households_without_diacritics(client, staff_user, ground):
    client.force_login(staff_user)
    rows = read(client.get(url("households", "csv"), {"q": "MA DINH LIEU"}))
    assert [row[0] for row in rows[1:]] == ["LP-0001"]


def test_village_narrows_each_list(client, staff_user, ground):
    client.force_login(staff_user)
    village = ground["village"].pk
    assert [r[0] for r in read(client.get(url("households", "csv"), {"village": village}))[1:]] == [
        "LP-0001"
    ]
    receipts = read(client.get(url("receipts", "csv"), {"village": village}))[1:]
    assert [r[2] for r in receipts] == ["LP-0001"]
    assets = read(client.get(url("assets", "xlsx"), {"village": village}))[1:]
    assert [r[0] for r in assets] == ["DEN-0001"]


def test_a_village_outside_the_scope_gives_an_empty_list(client, staff_user, ground):
    client.force_login(staff_user)
    rows = read(client.get(url("households", "csv"), {"village": ground["outside"].village_id}))
    assert len(rows) == 1  # the header only


def test_a_village_that_is_not_a_number_is_refused_with_a_reason(client, staff_user, ground):
    client.force_login(staff_user)
    response = client.get(url("households", "csv"), {"village": "abc"})
    assert response.status_code == 400
    with translation.override("vi"):
        reason = translation.gettext("Choose the village from the list (its id is a number).")
    assert response.content.decode() == reason


# Bounded queries --------------------------------------------------------------------------------


def _queries(client, user, kind, fmt) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(kind, fmt))
        read(response)  # a streamed CSV queries while it is read
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, staff_user, partnership, kind, fmt, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            household = f.HouseholdFactory(village__commune=partnership.commune)
            f.MemberFactory(household=household)
            f.ReceiptFactory(distribution__partnership=partnership, household=household)
            f.AssetFactory(partnership=partnership, household=household)

    add(3)
    few = _queries(client, staff_user, kind, fmt)
    add(27)
    with django_assert_num_queries(few):
        response = client.get(url(kind, fmt))
        assert len(read(response)) == 31
    assert _queries(client, staff_user, kind, fmt) == few
    # Session, user, roles, communes in scope (2), then the rows (a query or two); the session
    # is not written back within a minute (core.idle).
    assert few <= 7, few


def test_csv_is_sent_in_chunks_of_rows(client, staff_user, ground, monkeypatch):
    monkeypatch.setattr("reports.exports.CSV_LINES_PER_CHUNK", 2)
    client.force_login(staff_user)
    chunks = list(client.get(url("receipts", "csv")).streaming_content)
    assert len(chunks) == 2  # header + 1 row, then the last row
    assert b"".join(chunks).decode("utf-8-sig").count("\r\n") == 3
