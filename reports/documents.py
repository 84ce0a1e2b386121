"""The reports as documents: titled tables that ``reports.pdf`` writes as an A4 PDF and
``reports.workbook`` as an XLSX workbook, from the same figures the pages show.

A cell keeps its Python value (numbers as numbers, dates as dates) and each column says how to
show it, so the spreadsheet holds real numbers and the PDF reads like the page.
"""

import dataclasses
import datetime
from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext as _

from core.money import format_vnd

TEXT, NUMBER, MONEY, DATE = "text", "number", "money", "date"


@dataclasses.dataclass
class Column:
    title: str
    kind: str = TEXT
    width: float = 1.0  # relative width in the PDF


@dataclasses.dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list]
    empty: str = ""
    note: str = ""


@dataclasses.dataclass
class Picture:
    path: Path
    caption: str


@dataclasses.dataclass
class Document:
    title: str
    filename_stem: str
    lines: list[str] = dataclasses.field(default_factory=list)
    tables: list[Table] = dataclasses.field(default_factory=list)
    pictures: list[Picture] = dataclasses.field(default_factory=list)
    landscape: bool = False  # wide tables (the dashboard's villages) read better across


def shown(value, kind: str) -> str:
    """Return a cell as the pages write it: 70.000.000 ₫, dd/mm/yyyy, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if kind == MONEY:
        return format_vnd(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if kind == NUMBER and isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


# The annual report ----------------------------------------------------------------------------


def annual_report_document(context: dict) -> Document:
    """Lay out ``reports.selectors.annual_report``'s answer as a document."""
    year = context["year"]
    summary = context["summary"]
    figures = [
        [_("Households served"), summary["households_served"], None],
        [_("Receipts confirmed"), summary["receipts"]["count"], summary["receipts"]["value_vnd"]],
        [_("Grants (paid)"), summary["grants"]["count"], summary["grants"]["amount_vnd"]],
    ]
    figures += [
        [
            _("Delivered with %(partner)s's money") % {"partner": row["partner"]},
            None,
            row["value_vnd"],
        ]
        for row in summary["value_delivered_by_funder"]
    ]
    figures += [
        [
            _("%(partner)s: allocated, not yet delivered") % {"partner": row["partner"]},
            None,
            row["value_vnd"],
        ]
        for row in summary["pending_by_funder"]
    ]
    return Document(
        title=_("The partnership in %(year)s") % {"year": year},
        filename_stem=f"bao-cao-nam-{year}",
        tables=[
            Table(
                title=_("Support delivered"),
                columns=[
                    Column(_("What"), width=34),
                    Column(_("Where"), width=30),
                    Column(_("Funded by"), width=40),
                    Column(_("Figure"), width=40),
                    Column(_("Value"), MONEY, width=26),
                ],
                rows=[
                    [
                        row.what,
                        ", ".join(row.where),
                        ", ".join(row.funders),
                        f"{row.quantity} × {row.unit}",
                        row.value_vnd,
                    ]
                    for row in context["support"]
                ],
                empty=_("Nothing was delivered this year."),
            ),
            Table(
                title=_("Figures"),
                columns=[
                    Column(_("Figures"), width=90),
                    Column(_("Number"), NUMBER, width=30),
                    Column(_("Value"), MONEY, width=50),
                ],
                rows=figures,
            ),
            Table(
                title=_("Activities"),
                columns=[
                    Column(_("Date"), DATE, width=23),
                    Column(_("Activity"), width=59),
                    Column(_("Where"), width=44),
                    Column(_("Office"), NUMBER, width=20),
                    Column(_("Commune"), NUMBER, width=14),
                    Column(_("Residents"), NUMBER, width=20),
                ],
                rows=[
                    [
                        activity.starts_on,
                        f"{activity.title} ({activity.get_kind_display()})",
                        ", ".join(v.name for v in activity.villages.all()) or activity.location,
                        activity.office_staff_count,
                        activity.cadre_count,
                        activity.resident_count,
                    ]
                    for activity in context["activities"]
                ],
                empty=_("No activities recorded this year."),
            ),
        ],
    )


# The donor's report ---------------------------------------------------------------------------


def donor_report_document(
    *, partner, trails, totals, timeline, photos=(), shared_until=None
) -> Document:
    """Lay out a partner's money trail as a document: totals, each donation, the timeline and
    the consented photos. Villages and household counts only, never a name."""
    lines = [_("Households are counted, never named; fewer than five are shown as “< 5”.")]
    if shared_until:
        lines.append(
            _("A read-only link shared by the office, valid until %(day)s.")
            % {"day": shown(shared_until, DATE)}
        )
    delivered = [
        [
            trail.donation.received_on,
            f"{item.quantity} × {item.title}" if item.quantity else item.title,
            item.date,
            item.amount_vnd,
            item.pending_vnd,
            item.returned_vnd,
            "; ".join(
                f"{village}: {households}" if households else village
                for village, households in item.villages
            ),
        ]
        for trail in trails
        for item in trail.delivered
    ]
    return Document(
        title=_("What %(name)s's support became") % {"name": partner.name},
        filename_stem="bao-cao-nha-tai-tro",
        lines=lines,
        tables=[
            Table(
                title=_("Totals"),
                columns=[Column(_("Figures"), width=100), Column(_("Value"), MONEY, width=80)],
                rows=[
                    [_("Given"), totals["given_vnd"]],
                    [_("Allocated"), totals["allocated_vnd"]],
                    [_("Delivered"), totals["delivered_vnd"]],
                    [_("Allocated, not yet delivered"), totals["pending_vnd"]],
                    [_("Not delivered, returned to the donation"), totals["returned_vnd"]],
                    [_("Not yet allocated"), totals["remaining_vnd"]],
                ],
            ),
            Table(
                title=_("Donations"),
                columns=[
                    Column(_("Received on"), DATE, width=25),
                    Column(_("Donation"), width=35),
                    Column(_("Value"), MONEY, width=24),
                    Column(_("Allocated"), MONEY, width=24),
                    Column(_("Delivered"), MONEY, width=24),
                    Column(_("Allocated, not yet delivered"), MONEY, width=24),
                    Column(_("Not yet allocated"), MONEY, width=24),
                ],
                rows=[
                    [
                        trail.donation.received_on,
                        trail.donation.goods_description or _("Money"),
                        trail.donation.value_vnd,
                        trail.allocated_vnd,
                        trail.delivered_vnd,
                        trail.pending_vnd,
                        trail.remaining_vnd,
                    ]
                    for trail in trails
                ],
                empty=_("No donations yet."),
            ),
            Table(
                title=_("What it paid for"),
                columns=[
                    Column(_("Donation"), DATE, width=20),
                    Column(_("What"), width=40),
                    Column(_("Date"), DATE, width=20),
                    Column(_("Delivered"), MONEY, width=24),
                    Column(_("Allocated, not yet delivered"), MONEY, width=24),
                    Column(_("Not delivered"), MONEY, width=22),
                    Column(_("Where, households reached"), width=30),
                ],
                rows=delivered,
                empty=_("Not allocated yet."),
            ),
            Table(
                title=_("Timeline"),
                columns=[
                    Column(_("Date"), DATE, width=22),
                    Column(_("Step"), width=30),
                    Column(_("What"), width=98),
                    Column(_("Amount"), MONEY, width=30),
                ],
                rows=[[e.date, e.step, e.text, e.amount_vnd] for e in timeline],
            ),
        ],
        pictures=[
            Picture(path=Path(photo.display.path), caption=_photo_caption(photo))
            for photo in photos
        ],
    )


def _photo_caption(photo) -> str:
    parts = [photo.caption or photo.activity.title, shown(photo.activity.starts_on, DATE)]
    if photo.credit:
        parts.append(_("Photo: %(credit)s") % {"credit": photo.credit})
    return " · ".join(parts)


# The dashboard --------------------------------------------------------------------------------


def dashboard_document(data: dict) -> Document:
    """Lay out ``reports.selectors.dashboard``'s answer as a document, table by table."""
    years = data["years"]
    return Document(
        title=_("The partnership year by year"),
        filename_stem="bang-so-lieu",
        landscape=True,
        tables=[
            Table(
                title=_("Value delivered, by funder"),
                columns=[Column(_("Year"), width=16)]
                + [Column(funder, MONEY, width=40) for funder in data["funders"]],
                rows=[[row["year"], *row["values"]] for row in data["funding_rows"]],
            ),
            Table(
                title=_("Households served"),
                columns=[
                    Column(_("Year"), width=16),
                    Column(_("Households served"), NUMBER, width=28),
                    Column(_("Receipts confirmed"), NUMBER, width=28),
                    Column(_("Value of receipts"), MONEY, width=34),
                    Column(_("Grants"), NUMBER, width=20),
                    Column(_("Value of grants"), MONEY, width=34),
                ],
                rows=[
                    [
                        y["year"],
                        y["households_served"],
                        y["receipts"]["count"],
                        y["receipts"]["value_vnd"],
                        y["grants"]["count"],
                        y["grants"]["amount_vnd"],
                    ]
                    for y in years
                ],
            ),
            Table(
                title=_("Households whose status improved at a review"),
                columns=[
                    Column(_("Year"), width=20),
                    Column(_("Left poverty"), NUMBER, width=60),
                    Column(_("Left near-poverty"), NUMBER, width=60),
                ],
                rows=[
                    [y["year"], y["improved"]["left_poverty"], y["improved"]["left_near_poverty"]]
                    for y in years
                ],
            ),
            Table(
                title=_("Activities and participants"),
                columns=[
                    Column(_("Year"), width=14),
                    Column(_("Kind"), width=50),
                    Column(_("Activities"), NUMBER, width=22),
                    Column(_("Office staff"), NUMBER, width=22),
                    Column(_("Commune cadres"), NUMBER, width=22),
                    Column(_("Residents"), NUMBER, width=22),
                    Column(_("Participants"), NUMBER, width=24),
                ],
                rows=[
                    [
                        r["year"],
                        r["kind"],
                        r["count"],
                        r["office_staff"],
                        r["commune_cadres"],
                        r["residents"],
                        r["participants"],
                    ]
                    for r in data["activity_rows"]
                ],
                empty=_("No activities recorded."),
            ),
            Table(
                title=_("Assets installed and their state today"),
                columns=[
                    Column(_("Year"), width=16),
                    Column(_("Kind"), width=60),
                    Column(_("Installed"), NUMBER, width=26),
                    Column(_("In service"), NUMBER, width=26),
                    Column(_("Faulty"), NUMBER, width=26),
                    Column(_("Removed"), NUMBER, width=26),
                ],
                rows=[
                    [r["year"], r["kind"], r["count"], r["in_service"], r["faulty"], r["removed"]]
                    for r in data["assets"]
                ],
                empty=_("No assets installed."),
            ),
            Table(
                title=_("By village"),
                columns=[
                    Column(_("Year"), width=11),
                    Column(_("Village"), width=21),
                    Column(_("Households receiving gifts"), NUMBER, width=17),
                    Column(_("Value of receipts"), MONEY, width=22),
                    Column(_("Grants"), NUMBER, width=12),
                    Column(_("Value of grants"), MONEY, width=22),
                    Column(_("Assets installed"), NUMBER, width=15),
                    Column(_("In service"), NUMBER, width=13),
                    Column(_("Faulty"), NUMBER, width=12),
                    Column(_("Left poverty"), NUMBER, width=15),
                    Column(_("Left near-poverty"), NUMBER, width=15),
                ],
                rows=[
                    [
                        r["year"],
                        r["village"],
                        r["households"],
                        r["receipts_vnd"],
                        r["grants"],
                        r["grants_vnd"],
                        r["assets"],
                        r["assets_in_service"],
                        r["assets_faulty"],
                        r["left_poverty"],
                        r["left_near_poverty"],
                    ]
                    for r in data["villages"]
                ],
                empty=_("Nothing recorded by village yet."),
            ),
        ],
    )
