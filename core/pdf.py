"""A4 PDFs with a font that has every Vietnamese letter and ₫ (domain-free).

fpdf2 is pure Python (no system libraries to install on a server); the DejaVu Sans font is
vendored from the npm package dejavu-fonts-ttf (static/vendor/dejavu, with its licence) and
embedded in the file, so the PDF reads the same on any machine. The apps write their documents
on the page ``document`` sets up.
"""

import copy
import functools
import io
from pathlib import Path

from django.conf import settings
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import FontFace, SubsetMap, TTFFont

FONT = "DejaVu"
FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu"
HEADING = FontFace(emphasis="BOLD", fill_color=(238, 238, 238))
MARGIN = 15


FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@functools.cache
def _parsed_font(style: str) -> tuple[TTFFont, bytes]:
    """Parse a DejaVu face once per process: its metrics (widths of ~6,000 glyphs, the
    character map) and the file's bytes.

    ``FPDF.add_font`` does this for every document, ~100 ms of CPU for the two faces.
    """
    path = FONT_DIR / FONT_FILES[style]
    font = TTFFont(FPDF(), path, f"{FONT.lower()}{style}", style)
    return font, path.read_bytes()


def _font_for(pdf: FPDF, style: str) -> TTFFont:
    """Give ``pdf`` its own copy of a parsed face: the parsed metrics are shared (read only);
    the subset of characters used and the fontTools font are the document's own, since writing
    the PDF cuts that font down to the subset in place."""
    parsed, data = _parsed_font(style)
    font = copy.copy(parsed)
    font.i = len(pdf.fonts) + 1
    font.biggest_size_pt = 0
    font.missing_glyphs = []
    font.subset = SubsetMap(font)
    # lazy: only the table directory is read now; the subsetter reads the tables it needs.
    font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    font._hbfont = None
    return font


def add_fonts(pdf: FPDF) -> None:
    """Embed DejaVu Sans (regular and bold) in ``pdf``."""
    for style in FONT_FILES:
        font = _font_for(pdf, style)
        pdf.fonts[font.fontkey] = font


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
