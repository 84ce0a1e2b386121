import pytest

from core.money import format_vnd
from core.text import fold


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(70_000_000, "70.000.000 ₫"), (0, "0 ₫"), (999, "999 ₫"), (30_750_000, "30.750.000 ₫")],
)
def test_money_is_formatted_the_vietnamese_way(amount, expected):
    assert format_vnd(amount) == expected


def test_money_formatting_keeps_whole_dong():
    assert format_vnd(1_234_567, symbol=False) == "1.234.567"


@pytest.mark.parametrize(
    "text", ["Ma Đình Liệu", "MA ĐÌNH LIỆU", "ma dinh lieu", "  Ma   Đình\tLiệu ", "MA DINH LIEU"]
)
def test_folding_ignores_case_diacritics_and_d_stroke(text):
    assert fold(text) == "ma dinh lieu"


def test_folding_handles_composed_and_decomposed_forms():
    composed = "Nông Thị Thương"
    decomposed = "Nông Thị Thương".encode().decode()
    import unicodedata

    assert fold(unicodedata.normalize("NFD", decomposed)) == fold(composed) == "nong thi thuong"


def test_folding_empty_is_empty():
    assert fold(None) == ""
    assert fold("") == ""
