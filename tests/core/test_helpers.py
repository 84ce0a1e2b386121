import pytest

from core.money import format_vnd
from core.text import fold


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (70_000_000, "70.000.000\u00a0₫"),
        (0, "0\u00a0₫"),
        (999, "999\u00a0₫"),
        (30_750_000, "30.750.000\u00a0₫"),
    ],
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


def test_dates_are_day_month_year_in_both_languages():
    import datetime

    from django.utils import formats, translation

    day = datetime.date(2024, 5, 19)
    for language in ("vi", "en"):
        with translation.override(language):
            assert formats.date_format(day) == "19/05/2024"
            assert formats.date_format(day, "SHORT_DATE_FORMAT") == "19/05/2024"


def test_dates_are_read_as_day_month_year():
    import datetime

    from django import forms
    from django.utils import translation

    with translation.override("vi"):
        field = forms.DateField()
        assert field.clean("19/05/2024") == datetime.date(2024, 5, 19)
