"""The annual report as an A4 PDF, with a font that has every Vietnamese letter and ₫.

fpdf2 is pure Python (no system libraries to install on a server); the DejaVu Sans font is
vendored from the npm package dejavu-fonts-ttf (static/vendor/dejavu, with its licence) and
embedded in the file, so the PDF reads the same on any machine.
"""

from pathlib import Path

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from core.money import format_vnd

FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu"
HEADING = FontFace(emphasis="BOLD", fill_color=(238, 238, 238))


def _document(title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("Ba Cùng")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    return pdf


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)


def _table(pdf: FPDF, widths: tuple, header: list[str], rows: list[list[str]]) -> None:
    with pdf.table(
        col_widths=widths, headings_style=HEADING, line_height=5, text_align="LEFT"
    ) as table:
        table.row(header)
        for row in rows:
            table.row([str(cell) for cell in row])


def annual_report_pdf(context: dict) -> bytes:
    """Render the annual report (``reports.selectors.annual_report``) as PDF bytes."""
    year = context["year"]
    pdf = _document(_("The partnership in %(year)s") % {"year": year})

    _section(pdf, _("Support delivered"))
    if context["support"]:
        _table(
            pdf,
            (34, 30, 40, 40, 26),
            [_("What"), _("Where"), _("Funded by"), _("Figure"), _("Value")],
            [
                [
                    row.what,
                    ", ".join(row.where),
                    ", ".join(row.funders) or "—",
                    f"{row.quantity} × {row.unit}",
                    format_vnd(row.value_vnd),
                ]
                for row in context["support"]
            ],
        )
    else:
        pdf.multi_cell(0, 6, _("Nothing was delivered this year."), new_x="LMARGIN", new_y="NEXT")

    summary = context["summary"]
    _section(pdf, _("Figures"))
    figures = [
        [_("Households served"), str(summary["households_served"])],
        [
            _("Receipts confirmed"),
            f"{summary['receipts']['count']} · {format_vnd(summary['receipts']['value_vnd'])}",
        ],
        [
            _("Grants"),
            f"{summary['grants']['count']} · {format_vnd(summary['grants']['amount_vnd'])}",
        ],
    ] + [
        [row["partner"], format_vnd(row["value_vnd"])]
        for row in summary["value_delivered_by_funder"]
    ]
    _table(pdf, (90, 80), [_("Figures"), _("Value")], figures)

    _section(pdf, _("Activities"))
    if context["activities"]:
        _table(
            pdf,
            (23, 59, 44, 20, 14, 20),
            [_("Date"), _("Activity"), _("Where"), _("Office"), _("Commune"), _("Residents")],
            [
                [
                    formats.date_format(activity.starts_on, "SHORT_DATE_FORMAT"),
                    f"{activity.title} ({activity.get_kind_display()})",
                    ", ".join(v.name for v in activity.villages.all()) or activity.location,
                    activity.office_staff_count,
                    activity.cadre_count,
                    activity.resident_count,
                ]
                for activity in context["activities"]
            ],
        )
    else:
        pdf.multi_cell(0, 6, _("No activities recorded this year."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
