"""The reports as A4 PDFs, with a font that has every Vietnamese letter and ₫.

fpdf2 is pure Python (no system libraries to install on a server); the DejaVu Sans font is
vendored from the npm package dejavu-fonts-ttf (static/vendor/dejavu, with its licence) and
embedded in the file, so the PDF reads the same on any machine.
"""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from reports.documents import MONEY, NUMBER, Document, shown

FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu"
HEADING = FontFace(emphasis="BOLD", fill_color=(238, 238, 238))
MARGIN = 15
PICTURE_WIDTH = 120  # mm


def _document(title: str, *, landscape: bool = False) -> FPDF:
    pdf = FPDF(orientation="landscape" if landscape else "portrait", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("Ba Cùng")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    return pdf


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


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
