"""The yearly review tables and the named lists as documents (``reports.documents``), which
``reports.pdf`` writes as an A4 PDF and ``reports.workbook`` as an XLSX workbook."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.text import fold
from households.models import ReviewCampaign
from reports.documents import DATE, Document, Table, number, shown, table, text
from reports.selectors.review_lists import DonorReview, NamedList
from reports.selectors.review_tables import Breakdown, ReviewTables


def standard_line(tables: ReviewTables | DonorReview) -> str:
    return _("Poverty standard applied in %(year)s: %(standard)s") % {
        "year": tables.year,
        "standard": tables.standard_label,
    }


def decision_lines(tables: ReviewTables) -> list[str]:
    kinds = dict(ReviewCampaign.Kind.choices)
    return [
        _("Decision %(number)s of %(day)s (%(kind)s)")
        % {"number": number_, "day": shown(day, DATE), "kind": kinds.get(kind, kind)}
        for number_, day, kind in tables.decisions
    ] or [_("No commune decision recorded for this year.")]


def _figures_columns(place: str) -> list:
    return [
        text(place, 26, "name"),
        number(_("Households"), 13, "figures.households"),
        number(_("Poor"), 10, "figures.poor"),
        number(_("Poor (%)"), 10, "figures.poor_rate"),
        number(_("Near-poor"), 11, "figures.near_poor"),
        number(_("Near-poor (%)"), 11, "figures.near_poor_rate"),
        number(_("Average living standard"), 13, "figures.average"),
        number(_("Left poverty"), 11, "figures.left_poverty"),
        number(_("Left near-poverty"), 12, "figures.left_near_poverty"),
        number(_("Fell into poverty"), 12, "figures.fell_into_poverty"),
        number(_("Fell into near-poverty"), 12, "figures.fell_into_near_poverty"),
    ]


def _breakdown(title: str, what: str, lines: list[Breakdown], note: str, *, standard=False):
    columns = [text(_("Standard"), 20, "standard")] if standard else []
    columns += [
        text(what, 80, "label"),
        number(_("Poor"), 25, "poor"),
        number(_("Near-poor"), 25, "near_poor"),
    ]
    result = table(title, lines, columns, empty=_("Nothing recorded."))
    result.note = note
    return result


def review_tables_document(tables: ReviewTables, *, by: str) -> Document:
    """Lay out the yearly tables: by village (``by="village"``) or by commune, then the
    breakdowns; every table names the standard the year used."""
    note = standard_line(tables)
    place = _("Village") if by == "village" else _("Commune")
    total = {"name": _("Total"), "figures": tables.total}
    main = table(
        _("Poor and near-poor households by village")
        if by == "village"
        else _("Poor and near-poor households by commune"),
        [*tables.rows, total],
        _figures_columns(place),
        empty=_("No households."),
    )
    main.note = note
    stem = slugify(fold(tables.place)) or "xa"
    return Document(
        title=_("Poverty review %(year)s: %(place)s")
        % {"year": tables.year, "place": tables.place},
        filename_stem=f"ra-soat-ho-ngheo-{tables.year}-{stem}",
        lines=[note, *decision_lines(tables)],
        landscape=True,
        tables=[
            main,
            _breakdown(
                _("Deprivation by indicator"),
                _("Indicator"),
                tables.deprivation,
                note,
                standard=True,
            ),
            _breakdown(
                _("By ethnicity of the head of household"), _("Ethnicity"), tables.ethnicity, note
            ),
            _breakdown(_("Causes of poverty"), _("Cause"), tables.causes, note),
            _breakdown(_("Support needed"), _("Support"), tables.needs, note),
        ],
    )


def named_lists_document(*, commune, year: int, lists: list[NamedList]) -> Document:
    """Lay out the named lists, a sheet each: household code, head of household, village."""
    columns = [
        text(_("Household code"), 30),
        text(_("Head of household"), 60),
        text(_("Village"), 40),
    ]
    return Document(
        title=_("Named lists of the poverty review %(year)s: %(commune)s")
        % {"year": year, "commune": commune.name},
        filename_stem=f"danh-sach-ra-soat-{year}-{slugify(fold(commune.name)) or commune.pk}",
        lines=[_("For the commune only: these lists name households.")],
        tables=[
            Table(title=item.title, columns=columns, rows=[list(row) for row in item.rows])
            for item in lists
        ],
    )


def donor_review_table(review: DonorReview) -> Table:
    """The donor report's review section: counts by commune, fewer than five as "< 5"."""
    names = (
        ("households", _("Households")),
        ("poor", _("Poor")),
        ("near_poor", _("Near-poor")),
        ("average", _("Average living standard")),
        ("left_poverty", _("Left poverty")),
        ("left_near_poverty", _("Left near-poverty")),
        ("fell_into_poverty", _("Fell into poverty")),
        ("fell_into_near_poverty", _("Fell into near-poverty")),
    )
    result = Table(
        title=_("Poverty review %(year)s") % {"year": review.year},
        columns=[text(_("Commune"), 30)] + [text(title, 18) for _name, title in names],
        rows=[[row.commune] + [row.shown[name] for name, _title in names] for row in review.rows],
    )
    result.note = standard_line(review)
    return result
