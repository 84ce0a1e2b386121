"""The reports as A4 PDFs (the page, the font and its set-up: ``core.pdf``)."""

from django.utils.translation import gettext as _
from fpdf import FPDF

from core.pdf import HEADING, paragraph
from core.pdf import document as _document
from core.pdf import section as _section
from reports.documents import MONEY, NUMBER, Document, shown

PICTURE_WIDTH = 120  # mm


def _paragraph(pdf: FPDF, text: str) -> None:
    paragraph(pdf, text)


def document_pdf(document: Document) -> bytes:
    """Render a ``reports.documents.Document`` as PDF bytes (A4, DejaVu Sans embedded)."""
    pdf = _document(document.title, landscape=document.landscape)
    for line in document.lines:
        _paragraph(pdf, line)
    for table in document.tables:
        _section(pdf, table.title)
        if not table.rows:
            _paragraph(pdf, table.empty or "—")
            continue
        if table.note:
            _paragraph(pdf, table.note)
        # Many columns: a smaller type, so that a number never breaks across lines.
        pdf.set_font("DejaVu", "", 9 if len(table.columns) <= 7 else 7)
        align = tuple(
            "RIGHT" if column.kind in (MONEY, NUMBER) else "LEFT" for column in table.columns
        )
        with pdf.table(
            col_widths=tuple(column.width for column in table.columns),
            headings_style=HEADING,
            line_height=5 if len(table.columns) <= 7 else 4,
            text_align=align,
        ) as grid:
            grid.row([column.title for column in table.columns])
            for row in table.rows:
                grid.row(
                    [
                        shown(value, column.kind)
                        for value, column in zip(row, table.columns, strict=True)
                    ]
                )
    if document.pictures:
        _section(pdf, _("Photos"))
        for picture in document.pictures:
            if not picture.path.is_file():
                continue
            pdf.image(str(picture.path), w=PICTURE_WIDTH)
            _paragraph(pdf, picture.caption)
            pdf.ln(2)
    return bytes(pdf.output())
