"""core.pdf parses DejaVu once per process; every document still embeds its own subset."""

import io

import pypdf

from core import pdf


def _document(text: str):
    document = pdf.document("Báo cáo năm — Ba Cùng")
    pdf.paragraph(document, text)
    pdf.paragraph(document, "Tổng cộng: 1.500.000 ₫", bold=True)
    return document


def _characters(document) -> set[int]:
    used = set()
    for glyph, _code in document.fonts[pdf.FONT.lower()].subset.items():
        if glyph is not None:
            codes = glyph.unicode if isinstance(glyph.unicode, tuple) else (glyph.unicode,)
            used.update(codes)
    return used


def _text_and_fonts(data: bytes) -> tuple[str, set[str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    return page.extract_text(), fonts


def test_the_fonts_are_parsed_once_and_each_document_gets_its_own_copy():
    first, second = pdf.document("A"), pdf.document("B")

    for style in pdf.FONT_FILES:
        key = f"{pdf.FONT.lower()}{style}"
        assert first.fonts[key] is not second.fonts[key]
        assert first.fonts[key].subset is not second.fonts[key].subset
        assert first.fonts[key].ttfont is not second.fonts[key].ttfont
        # The parsed metrics are shared, not parsed again.
        assert first.fonts[key].cw is second.fonts[key].cw
    assert pdf._parsed_font.cache_info().currsize == len(pdf.FONT_FILES)


def test_documents_after_the_first_embed_the_fonts_and_read_in_vietnamese():
    first = _document("Hộ nghèo ở xã Đắk Pơ")
    bytes(first.output())
    second = _document("Thôn Ngọc Hồi: được hỗ trợ gạo và áo ấm")
    data = bytes(second.output())

    text, fonts = _text_and_fonts(data)

    assert "Thôn Ngọc Hồi: được hỗ trợ gạo và áo ấm" in text
    assert "Tổng cộng: 1.500.000 ₫" in text
    # Both faces embedded (as subsets: "ABCDEF+" before the name).
    assert sorted(name.split("+")[-1] for name in fonts) == ["DejaVuSansBold", "DejaVuSansBook"]
    # Each document's subset holds its own characters only: "Đ" and "ắ" were the first's.
    assert {ord("Đ"), ord("ắ")} <= _characters(first)
    assert not {ord("Đ"), ord("ắ")} & _characters(second)
