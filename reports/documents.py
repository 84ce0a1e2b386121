"""The reports as documents: titled tables that ``reports.pdf`` writes as an A4 PDF and
``reports.workbook`` as an XLSX workbook, from the same figures the pages show.

A cell keeps its Python value (numbers as numbers, dates as dates) and each column says how to
show it, so the spreadsheet holds real numbers and the PDF reads like the page.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
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
    # How ``table`` reads this column's cell from a row's item: a path of keys or attributes
    # ("receipts.count") or a function of the item. Unset where the rows are written out whole.
    read: str | Callable | None = dataclasses.field(default=None, repr=False, compare=False)

    def cell(self, item):
        """Return this column's value for ``item``."""
        if callable(self.read):
            return self.read(item)
        value = item
        for part in self.read.split("."):
            value = value[part] if isinstance(value, Mapping) else getattr(value, part)
        return value


# A column of each kind: ``money(_("Value"), 26, "value_vnd")``.


def text(title: str, width: float, read: str | Callable | None = None) -> Column:
    return Column(title, TEXT, width, read)


def number(title: str, width: float, read: str | Callable | None = None) -> Column:
    return Column(title, NUMBER, width, read)


def money(title: str, width: float, read: str | Callable | None = None) -> Column:
    return Column(title, MONEY, width, read)


def date(title: str, width: float, read: str | Callable | None = None) -> Column:
    return Column(title, DATE, width, read)


@dataclasses.dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list]
    empty: str = ""
    note: str = ""


def table(title: str, items: Iterable, columns: list[Column], *, empty: str = "") -> Table:
    """Build a table with a row per item, each cell read from the item as its column says."""
    return Table(
        title=title,
        columns=columns,
        rows=[[column.cell(item) for column in columns] for item in items],
        empty=empty,
    )


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
    if kind == NUMBER and isinstance(value, Decimal):
        return formats.number_format(value, 1)  # a rate: 12,5 in Vietnamese
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
            table(
                _("Support delivered"),
                context["support"],
                [
                    text(_("What"), 34, "what"),
                    text(_("Where"), 30, lambda row: ", ".join(row.where)),
                    text(_("Funded by"), 40, lambda row: ", ".join(row.funders)),
                    text(_("Figure"), 40, lambda row: f"{row.quantity} × {row.unit}"),
                    money(_("Value"), 26, "value_vnd"),
                ],
                empty=_("Nothing was delivered this year."),
            ),
            Table(
                title=_("Figures"),
                columns=[
                    text(_("Figures"), 90),
                    number(_("Number"), 30),
                    money(_("Value"), 50),
                ],
                rows=figures,
            ),
            table(
                _("Activities"),
                context["activities"],
                [
                    date(_("Date"), 23, "starts_on"),
                    text(_("Activity"), 59, lambda a: f"{a.title} ({a.get_kind_display()})"),
                    text(_("Where"), 44, _activity_where),
                    number(_("Office"), 20, "office_staff_count"),
                    number(_("Commune"), 14, "cadre_count"),
                    number(_("Residents"), 20, "resident_count"),
                ],
                empty=_("No activities recorded this year."),
            ),
        ],
    )


def _activity_where(activity) -> str:
    return ", ".join(v.name for v in activity.villages.all()) or activity.location


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
                columns=[text(_("Figures"), 100), money(_("Value"), 80)],
                rows=[
                    [_("Given"), totals["given_vnd"]],
                    [_("Allocated"), totals["allocated_vnd"]],
                    [_("Delivered"), totals["delivered_vnd"]],
                    [_("Allocated, not yet delivered"), totals["pending_vnd"]],
                    [_("Not delivered, returned to the donation"), totals["returned_vnd"]],
                    [_("Not yet allocated"), totals["remaining_vnd"]],
                ],
            ),
            table(
                _("Donations"),
                trails,
                [
                    date(_("Received on"), 25, "donation.received_on"),
                    text(_("Donation"), 35, lambda t: t.donation.goods_description or _("Money")),
                    money(_("Value"), 24, "donation.value_vnd"),
                    money(_("Allocated"), 24, "allocated_vnd"),
                    money(_("Delivered"), 24, "delivered_vnd"),
                    money(_("Allocated, not yet delivered"), 24, "pending_vnd"),
                    money(_("Not yet allocated"), 24, "remaining_vnd"),
                ],
                empty=_("No donations yet."),
            ),
            Table(
                title=_("What it paid for"),
                columns=[
                    date(_("Donation"), 20),
                    text(_("What"), 40),
                    date(_("Date"), 20),
                    money(_("Delivered"), 24),
                    money(_("Allocated, not yet delivered"), 24),
                    money(_("Not delivered"), 22),
                    text(_("Where, households reached"), 30),
                ],
                rows=delivered,
                empty=_("Not allocated yet."),
            ),
            table(
                _("Timeline"),
                timeline,
                [
                    date(_("Date"), 22, "date"),
                    text(_("Step"), 30, "step"),
                    text(_("What"), 98, "text"),
                    money(_("Amount"), 30, "amount_vnd"),
                ],
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
    by_commune = data.get("villages_by") == "commune"
    return Document(
        title=_("The partnership year by year"),
        filename_stem="bang-so-lieu",
        landscape=True,
        tables=[
            Table(
                title=_("Value delivered, by funder"),
                columns=[text(_("Year"), 16)] + [money(funder, 40) for funder in data["funders"]],
                rows=[[row["year"], *row["values"]] for row in data["funding_rows"]],
            ),
            table(
                _("Households served"),
                years,
                [
                    text(_("Year"), 16, "year"),
                    number(_("Households served"), 28, "households_served"),
                    number(_("Receipts confirmed"), 28, "receipts.count"),
                    money(_("Value of receipts"), 34, "receipts.value_vnd"),
                    number(_("Grants"), 20, "grants.count"),
                    money(_("Value of grants"), 34, "grants.amount_vnd"),
                ],
            ),
            table(
                _("Households whose classification improved at a review"),
                years,
                [
                    text(_("Year"), 20, "year"),
                    number(_("Left poverty"), 60, "improved.left_poverty"),
                    number(_("Left near-poverty"), 60, "improved.left_near_poverty"),
                ],
            ),
            table(
                _("Activities and participants"),
                data["activity_rows"],
                [
                    text(_("Year"), 14, "year"),
                    text(_("Kind"), 50, "kind"),
                    number(_("Activities"), 22, "count"),
                    number(_("Office staff"), 22, "office_staff"),
                    number(_("Commune cadres"), 22, "commune_cadres"),
                    number(_("Residents"), 22, "residents"),
                    number(_("Participants"), 24, "participants"),
                ],
                empty=_("No activities recorded."),
            ),
            table(
                _("Assets installed and their state today"),
                data["assets"],
                [
                    text(_("Year"), 16, "year"),
                    text(_("Kind"), 60, "kind"),
                    number(_("Installed"), 26, "count"),
                    number(_("In service"), 26, "in_service"),
                    number(_("Faulty"), 26, "faulty"),
                    number(_("Removed"), 26, "removed"),
                ],
                empty=_("No assets installed."),
            ),
            table(
                _("By commune") if by_commune else _("By village"),
                data["villages"],
                [
                    text(_("Year"), 11, "year"),
                    text(_("Commune") if by_commune else _("Village"), 21, "village"),
                    number(_("Households receiving gifts"), 17, "households"),
                    money(_("Value of receipts"), 22, "receipts_vnd"),
                    number(_("Grants"), 12, "grants"),
                    money(_("Value of grants"), 22, "grants_vnd"),
                    number(_("Assets installed"), 15, "assets"),
                    number(_("In service"), 13, "assets_in_service"),
                    number(_("Faulty"), 12, "assets_faulty"),
                    number(_("Left poverty"), 15, "left_poverty"),
                    number(_("Left near-poverty"), 15, "left_near_poverty"),
                ],
                empty=_("Nothing recorded by village yet."),
            ),
        ],
    )
