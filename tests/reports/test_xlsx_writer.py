"""The background XLSX list export (``reports.exports.write_xlsx``), read back with openpyxl."""

import datetime
import io

import openpyxl
import pytest

from reports.exports import Export, write_xlsx

HEADERS = ["Mã hộ", "Ngày rà soát gần nhất", "Giá trị (đồng)", "Thời điểm xác nhận", "Chủ hộ"]


def written(rows, *, stem="ho-gia-dinh", headers=HEADERS) -> openpyxl.worksheet.worksheet.Worksheet:
    target = io.BytesIO()
    write_xlsx(Export(filename_stem=stem, headers=headers, rows=iter(rows)), target)
    return openpyxl.load_workbook(io.BytesIO(target.getvalue())).active


def row_of(sheet, number: int) -> tuple:
    return next(sheet.iter_rows(min_row=number, max_row=number))


def test_the_header_comes_first_and_stays_frozen():
    sheet = written([("LP-0001", None, 1, None, "A")])
    assert [cell.value for cell in row_of(sheet, 1)] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "ho-gia-dinh"


def test_columns_are_as_wide_as_their_header_and_at_least_12():
    sheet = written([])
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    # openpyxl reads a run of equal widths as one range, under its first letter.
    assert widths["A"] == 12
    assert widths["B"] == len("Ngày rà soát gần nhất") + 2
    assert widths["C"] == len("Giá trị (đồng)") + 2
    assert widths["D"] == len("Thời điểm xác nhận") + 2


def test_dates_are_dates_with_a_dd_mm_yyyy_format():
    # Wall-clock time in Vietnam, naive as exports write it: a spreadsheet has no time zone.
    moment = datetime.datetime.fromisoformat("2024-01-30T09:15")
    sheet = written([("LP-0001", datetime.date(2024, 1, 30), 1, moment, "")])
    _, date, _, moment, _ = row_of(sheet, 2)
    assert date.is_date
    assert date.value.isoformat() == "2024-01-30T00:00:00"
    assert date.number_format == "DD/MM/YYYY"
    assert moment.is_date
    assert moment.value.isoformat() == "2024-01-30T09:15:00"
    assert moment.number_format == "DD/MM/YYYY HH:MM"


def test_money_is_a_number():
    sheet = written([("LP-0001", None, 1_500_000_000, None, "Ma Đình Liệu")])
    money = row_of(sheet, 2)[2]
    assert money.value == 1_500_000_000
    assert money.data_type == "n"


def test_none_and_empty_text_are_empty_cells_and_booleans_stay_booleans():
    sheet = written([(None, None, True, "", False)])
    assert [cell.value for cell in row_of(sheet, 2)] == [None, None, True, None, False]
    assert row_of(sheet, 2)[2].data_type == "b"


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+84912345678",
        "-2+3",
        "@SUM(A1)",
        '=HYPERLINK("http://x","y")',
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_a_spreadsheet_would_run_stays_text(text):
    sheet = written([("LP-0001", None, 1, None, text)], headers=[*HEADERS[:4], text])
    for cell in (row_of(sheet, 1)[4], row_of(sheet, 2)[4]):
        assert cell.data_type == "s"
        # A carriage return reads back as a line feed, as XML (and openpyxl's files) have it.
        assert cell.value == "'" + text.replace("\r", "\n")


@pytest.mark.parametrize("text", ["http://example.com", "0912345678", "1e5", "00123"])
def test_links_and_digits_in_text_stay_text(text):
    cell = row_of(written([("LP-0001", None, 1, None, text)]), 2)[4]
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.hyperlink is None


def test_a_long_stem_is_cut_to_excel_s_31_characters():
    stem = "danh-sach-ra-soat-2026-xa-phuc-sen-quang-hoa"
    sheet = written([("LP-0001", None, 1, None, "A")], stem=stem)
    assert sheet.title == stem[:31]


def test_an_empty_export_has_the_headers_only():
    sheet = written([])
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [HEADERS]


def test_vietnamese_text_round_trips():
    names = ["Ma Đình Liệu", "Hoàng Thị Ngọc Ánh", "Nông Văn Đức", "Lường Thị Ỷ"]
    sheet = written([(f"LP-{n:04d}", None, n, None, name) for n, name in enumerate(names)])
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == names
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [0, 1, 2, 3]


def test_line_breaks_read_back_as_line_feeds():
    cell = row_of(written([("LP-0001", None, 1, None, "Thôn 1\r\nXóm 2\rĐội 3\n")]), 2)[4]
    assert cell.value == "Thôn 1\nXóm 2\nĐội 3\n"


def test_control_characters_are_dropped_not_fatal():
    cell = row_of(written([("LP-0001", None, 1, None, "Ma\x00 Đình\x0b Liệu")]), 2)[4]
    assert cell.value == "Ma Đình Liệu"


def test_a_file_on_disk_is_left_alone_in_its_directory(tmp_path):
    path = tmp_path / "ho-gia-dinh.xlsx"
    with path.open("wb") as target:
        write_xlsx(Export("ho-gia-dinh", HEADERS, iter([("LP-0001", None, 1, None, "A")])), target)
    assert [p.name for p in tmp_path.iterdir()] == ["ho-gia-dinh.xlsx"]
    assert openpyxl.load_workbook(path).active["A2"].value == "LP-0001"


def test_a_failed_export_leaves_no_temporary_files(tmp_path):
    def rows():
        yield ("LP-0001", None, 1, None, "A")
        raise RuntimeError("the database went away")

    path = tmp_path / "ho-gia-dinh.xlsx"
    with path.open("wb") as target, pytest.raises(RuntimeError, match="the database went away"):
        write_xlsx(Export("ho-gia-dinh", HEADERS, rows()), target)
    assert [p.name for p in tmp_path.iterdir()] == ["ho-gia-dinh.xlsx"]
    assert path.stat().st_size == 0  # no half-written workbook that would open as complete


def test_rows_past_a_sheet_go_on_in_the_next_sheet_under_the_same_header(monkeypatch):
    from reports import exports

    monkeypatch.setattr(exports, "SHEET_ROWS", 3)  # the header and two rows a sheet
    target = io.BytesIO()
    rows = [(f"LP-{n:04}", None, n, None, f"Chủ hộ {n}") for n in range(5)]
    write_xlsx(Export(filename_stem="ho-gia-dinh", headers=HEADERS, rows=iter(rows)), target)
    book = openpyxl.load_workbook(io.BytesIO(target.getvalue()))
    assert book.sheetnames == ["ho-gia-dinh", "ho-gia-dinh (2)", "ho-gia-dinh (3)"]
    found = []
    for sheet in book.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        assert values[0] == tuple(HEADERS)
        assert sheet.freeze_panes == "A2"
        found += [row[0] for row in values[1:]]
    assert found == [row[0] for row in rows]
