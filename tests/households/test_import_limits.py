"""A household file is held to what it may unpack to (rows, columns, cells, a cell's length, the
bytes a workbook unpacks to), and its text to the encodings the import reads: beyond them it is
refused with the reason, before a worker spends memory on it, and nothing is saved."""

import codecs
import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext, override
from openpyxl import Workbook

from core.models import Job
from households import imports
from households.imports import limits
from households.models import Household
from tests.background.helpers import HEADERS, household_file, windows_1258

pytestmark = pytest.mark.django_db

ROW = {"Mã hộ": "LP-001", "Thôn": "Pác Hợp", "Họ tên chủ hộ": "Ma Đình Liệu"}


def _vi(message: str, **params) -> str:
    with override("vi"):
        return gettext(message) % params


def _workbook(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refused(name: str, data: bytes) -> str:
    with override("vi"), pytest.raises(imports.FileProblem, match=r"\S") as refused:
        imports.check_file(name, data)
    return str(refused.value)


def _header_and(*rows: list) -> list[list]:
    return [["Mã hộ", "Thôn", "Họ tên chủ hộ"], *rows]


# --- Workbooks ------------------------------------------------------------------------------------


def test_a_workbook_cell_longer_than_1000_characters_is_refused_naming_the_cell():
    rows = _header_and(*[[f"LP-{n:03d}", "Pác Hợp", "Ma Đình Liệu"] for n in range(10)])
    rows.append(["LP-999", "Pác Hợp", "x" * 1001])  # row 12, column C
    message = _refused("ho.xlsx", _workbook(rows))
    assert message == _vi(
        "Cell %(cell)s is longer than %(count)s characters.", cell="C12", count="1.000"
    )


def test_a_huge_text_cell_is_refused_reading_it_as_a_stream():
    """The attack: a 400 MB text in a few hundred kilobytes. 20 MB here, read without holding it."""
    data = _workbook(_header_and(["LP-001", "Pác Hợp", "x" * 20_000_000]))
    assert len(data) < 1_000_000
    tracemalloc.start()
    try:
        message = _refused("ho.xlsx", data)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "C2" in message
    assert peak < 5_000_000, "the cell was read into memory"


def test_an_inline_text_cell_is_held_to_the_same_length():
    # openpyxl writes shared strings; an inline string (<is><t>) is what other writers use.
    import zipfile

    data = _workbook(_header_and(["LP-001", "Pác Hợp", "PLACEHOLDER"]))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index('<c r="C2"')
                end = text.index("</c>", start) + len("</c>")
                inline = '<c r="C2" t="inlineStr"><is><t>' + "y" * 1500 + "</t></is></c>"
                content = (text[:start] + inline + text[end:]).encode()
            target.writestr(info, content)
    assert "C2" in _refused("ho.xlsx", out.getvalue())


def test_a_workbook_with_too_many_rows_columns_or_cells_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    rows = _header_and(*[[f"LP-{n}", "Pác Hợp", "Ma Văn A"] for n in range(4)])
    assert _refused("ho.xlsx", _workbook(rows)) == _vi(
        "The sheet has more than %(count)s rows: split it.", count="3"
    )
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    monkeypatch.setattr(limits, "MAX_COLUMNS", 5)
    wide = _header_and(["LP-1", "Pác Hợp", "Ma Văn A", "", "", "", "", "ghi chú"])
    assert _refused("ho.xlsx", _workbook(wide)) == _vi(
        "The sheet has more than %(count)s columns: keep only the household columns.", count="5"
    )
    monkeypatch.setattr(limits, "MAX_COLUMNS", 100)
    monkeypatch.setattr(limits, "MAX_CELLS", 10)
    rows = _header_and(*[[f"LP-{n}", "Pác Hợp", "Ma Văn A"] for n in range(3)])
    assert _refused("ho.xlsx", _workbook(rows)) == _vi(
        "The sheet has more than %(count)s cells: split it.", count="10"
    )


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1024)
    message = _refused("ho.xlsx", _workbook(_header_and(["LP-1", "Pác Hợp", "Ma Văn A"])))
    assert message.startswith(
        _vi("The workbook unpacks to more than %(size)s MB: split it.", size="0")[:20]
    )


def test_a_workbook_within_the_caps_is_read_as_before():
    rows = _header_and(["LP-001", "Pác Hợp", "Ma Đình Liệu"], ["LP-002", "Pác Hợp", "x" * 1000])
    parsed = imports.read_file(_workbook(rows), "ho.xlsx")
    assert [row.values["code"] for row in parsed.rows] == ["LP-001", "LP-002"]


# --- CSV files ------------------------------------------------------------------------------------


def test_a_csv_cell_longer_than_1000_characters_is_refused_naming_the_cell():
    rows = [ROW, {**ROW, "Mã hộ": "LP-002", "Ghi chú": "z" * 1001}]
    message = _refused("ho.csv", household_file(rows))
    column = "ABCDEFGHIJKL"[HEADERS.index("Ghi chú")]
    assert message == _vi(
        "Cell %(cell)s is longer than %(count)s characters.", cell=f"{column}3", count="1.000"
    )


def test_a_csv_cell_past_the_csv_modules_own_limit_is_refused_with_the_reason():
    data = household_file([ROW]) + b'LP-2,"' + b"w" * 200_000 + b'",A\n'
    assert _refused("ho.csv", data) == _vi(
        "A cell of row %(row)s is longer than %(count)s characters.", row="3", count="1.000"
    )


def test_a_csv_file_with_too_many_rows_is_refused_when_checked(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    rows = [{**ROW, "Mã hộ": f"LP-{n}"} for n in range(3)]
    assert _refused("ho.csv", household_file(rows)) == _vi(
        "The sheet has more than %(count)s rows: split it.", count="2"
    )


# --- Encodings ------------------------------------------------------------------------------------

ENCODING_MESSAGE = (
    "The file's encoding is not recognised (tried %(encodings)s): save it as CSV UTF-8."
)


def test_a_shift_jis_file_is_refused_naming_the_encodings_tried():
    text = "Ma ho,Thon,Chu ho\nLP-001,Pac Hop,ベトナム タロウ\nLP-002,Na Leng,グエン ヴァン\n"
    message = _refused("ho.csv", text.encode("shift_jis"))
    assert message == _vi(ENCODING_MESSAGE, encodings="UTF-8, UTF-16, Windows-1258")


def test_a_shift_jis_file_that_windows_1258_would_decode_is_refused_too():
    # Katakana only: every byte is one Windows-1258 defines, so only the result tells.
    data = "Ma ho,Thon,Chu ho\nLP-001,Pac Hop,ナム\n".encode("shift_jis")
    data.decode("cp1258")
    assert _refused("ho.csv", data) == _vi(
        ENCODING_MESSAGE, encodings="UTF-8, UTF-16, Windows-1258"
    )


def test_text_already_holding_replacement_characters_is_refused():
    data = household_file([{**ROW, "Họ tên chủ hộ": "Ma \ufffdình Liệu"}])
    assert _refused("ho.csv", data).startswith(_vi(ENCODING_MESSAGE, encodings="")[:15])


def test_a_broken_utf16_file_is_refused_not_a_500():
    data = codecs.BOM_UTF16_LE + "Mã hộ,Thôn".encode("utf-16-le") + b"\x00"
    assert _refused("ho.csv", data) == _vi(
        ENCODING_MESSAGE, encodings="UTF-8, UTF-16, Windows-1258"
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_vietnamese_files_in_the_supported_encodings_are_still_read(encoding):
    rows = [ROW, {**ROW, "Mã hộ": "LP-002", "Ghi chú": "Nhà dột – cần sửa “gấp”"}]
    parsed = imports.read_file(household_file(rows, encoding=encoding), "ho.csv")
    assert parsed.rows[0].values["head_name"] == "Ma Đình Liệu"
    assert parsed.rows[1].values["notes"] == "Nhà dột – cần sửa “gấp”"


def test_a_windows_1258_file_with_a_stray_symbol_is_still_read():
    text = "Mã hộ,Thôn,Họ tên chủ hộ,Ghi chú\nLP-001,Pác Hợp,Ma Đình Liệu,Diện tích 30 m² ©\n"
    parsed = imports.read_file(windows_1258(text), "ho.csv")
    assert parsed.rows[0].values["head_name"] == "Ma Đình Liệu"


# --- Through the upload page ----------------------------------------------------------------------


def test_the_upload_page_refuses_a_huge_cell_and_saves_nothing(client, staff_user, partnership):
    client.force_login(staff_user)
    data = _workbook(_header_and(["LP-001", "Pác Hợp", "x" * 5000]))
    before = (Job.objects.count(), Household.objects.count())
    response = client.post(
        reverse("households:import-upload"),
        {"commune": partnership.commune_id, "file": SimpleUploadedFile("ho.xlsx", data)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        _vi("Cell %(cell)s is longer than %(count)s characters.", cell="C2", count="1.000")
    ]
    assert (Job.objects.count(), Household.objects.count()) == before


def test_the_upload_page_refuses_a_shift_jis_file_and_saves_nothing(
    client, staff_user, partnership
):
    client.force_login(staff_user)
    data = "Ma ho,Thon,Chu ho\nLP-001,Pac Hop,ベトナム\n".encode("shift_jis")
    before = (Job.objects.count(), Household.objects.count())
    response = client.post(
        reverse("households:import-upload"),
        {"commune": partnership.commune_id, "file": SimpleUploadedFile("ho.csv", data)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        _vi(ENCODING_MESSAGE, encodings="UTF-8, UTF-16, Windows-1258")
    ]
    assert (Job.objects.count(), Household.objects.count()) == before
