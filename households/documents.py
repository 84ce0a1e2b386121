"""The review campaign's printed papers, as A4 PDFs: the village meeting's minutes (kept in two
copies, signed by the chair and the secretary) and each household's certificate of the
commune decision. The page and the font are ``core.pdf``'s."""

from django.utils.translation import gettext as _
from fpdf import FPDF

from core.pdf import FONT, HEADING, document, paragraph, section

SIGNATURE_SPACE = 28  # mm left blank above a name for the signature


def _date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _facts(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    pdf.set_font(FONT, "", 10)
    with pdf.table(col_widths=(55, 125), first_row_as_headings=False, line_height=6) as grid:
        for label, value in rows:
            grid.row([label, value or "—"])


def _signatures(pdf: FPDF, people: list[tuple[str, str]]) -> None:
    """Write side by side, for each (role, name), the role, room to sign, and the name."""
    pdf.ln(8)
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(people)
    if pdf.get_y() + SIGNATURE_SPACE + 20 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    for index, (role, name) in enumerate(people):
        x = pdf.l_margin + index * width
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(width, 5, role, align="C")
        pdf.set_xy(x, pdf.get_y())
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(width, 4, _("(signature and full name)"), align="C")
        pdf.set_xy(x, top + SIGNATURE_SPACE)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(width, 5, name or "", align="C")
    pdf.set_xy(pdf.l_margin, top + SIGNATURE_SPACE + 10)


def meeting_minutes_pdf(meeting, votes) -> bytes:
    """Render the minutes of ``meeting`` with its ``votes`` (MeetingVote rows, households
    selected) as PDF bytes."""
    campaign = meeting.campaign
    title = _("Minutes of the village meeting on the household poverty review")
    pdf = document(title)
    _facts(
        pdf,
        [
            (_("Commune"), campaign.commune.name),
            (_("Village"), meeting.village.name),
            (_("Review"), f"{campaign.year} · {campaign.get_kind_display()}"),
            (_("Held on"), _date(meeting.held_on)),
            (_("Chaired by"), meeting.chair),
            (_("For the Fatherland Front"), meeting.supervisor),
            (_("Minutes taken by"), meeting.secretary),
            (_("People present"), str(meeting.present)),
        ],
    )
    section(pdf, _("Households read out"))
    paragraph(
        pdf,
        _(
            "A household's proposed classification is carried when more than half of the "
            "%(present)s people present agree; otherwise the household is surveyed again."
        )
        % {"present": meeting.present},
    )
    pdf.ln(1)
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        col_widths=(10, 28, 55, 40, 20, 27),
        headings_style=HEADING,
        line_height=5,
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"),
    ) as grid:
        grid.row(
            [
                _("No."),
                _("Code"),
                _("Head of household"),
                _("Classification proposed"),
                _("Votes for"),
                _("Carried"),
            ]
        )
        for number, vote in enumerate(votes, start=1):
            household = vote.entry.household
            grid.row(
                [
                    str(number),
                    household.code,
                    household.head_name,
                    vote.get_proposed_display(),
                    str(vote.votes_for),
                    _("Yes") if vote.agreed else _("No: survey again"),
                ]
            )
    if meeting.notes:
        section(pdf, _("Notes"))
        paragraph(pdf, meeting.notes)
    _signatures(
        pdf, [(_("Chair of the meeting"), meeting.chair), (_("Secretary"), meeting.secretary)]
    )
    return bytes(pdf.output())


def certificate_pdf(review) -> bytes:
    """Render the certificate of the household's classification by the commune decision of
    ``review`` as PDF bytes."""
    decision = review.decision
    household = review.household
    title = _("Certificate of household classification")
    pdf = document(title)
    paragraph(
        pdf,
        _(
            "By the decision no. %(number)s of %(date)s of the People's Committee of "
            "%(commune)s, the household below is recognised as follows."
        )
        % {
            "number": decision.number,
            "date": _date(decision.signed_on),
            "commune": household.commune.name,
        },
        size=10,
        height=6,
    )
    pdf.ln(2)
    standard = review.standard
    _facts(
        pdf,
        [
            (_("Decision number"), decision.number),
            (_("Signed on"), _date(decision.signed_on)),
            (_("Signed by"), decision.signer),
            (_("Head of household"), household.head_name),
            (_("Household code"), household.code),
            (_("Village"), f"{household.village.name}, {household.commune.name}"),
            (_("Classification"), review.get_classification_display()),
            (
                _("Poverty standard"),
                f"{standard.code} · {standard.decree}" if standard is not None else "",
            ),
        ],
    )
    _signatures(
        pdf,
        [("", ""), (decision.signer_title or _("For the People's Committee"), decision.signer)],
    )
    return bytes(pdf.output())
