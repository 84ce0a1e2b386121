"""A4 PDFs with a font that has every Vietnamese letter and ₫ (domain-free).

fpdf2 is pure Python (no system libraries to install on a server); the DejaVu Sans font is
vendored from the npm package dejavu-fonts-ttf (static/vendor/dejavu, with its licence) and
embedded in the file, so the PDF reads the same on any machine. The apps write their documents
on the page ``document`` sets up.
"""

from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from fpdf.fonts import FontFace

FONT = "DejaVu"
FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu"
HEADING = FontFace(emphasis="BOLD", fill_color=(238, 238, 238))
MARGIN = 15


def add_fonts(pdf: FPDF) -> None:
    """Embed DejaVu Sans (regular and bold) in ``pdf``."""
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))


def document(title: str, *, landscape: bool = False, heading: bool = True) -> FPDF:
    """Start an A4 PDF titled ``title`` with its first page (the title on top unless
    ``heading=False``)."""
    pdf = FPDF(orientation="landscape" if landscape else "portrait", unit="mm", format="A4")
    add_fonts(pdf)
    pdf.set_title(title)
    pdf.set_creator("Ba Cùng")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_page()
    if heading:
        pdf.set_font(FONT, "B", 16)
        pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font(FONT, "", 10)
    return pdf


def section(pdf: FPDF, title: str, *, size: int = 12) -> None:
    """Write a section's title in bold, then go back to the body's type."""
    pdf.ln(3)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)


def paragraph(
    pdf: FPDF, text: str, *, size: int = 9, bold: bool = False, height: float = 5
) -> None:
    """Write ``text`` across the page, wrapped, ``height`` mm a line."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
