"""Reads for the yearly review tables: what the commune sends up and keeps (POVERTY-REVIEW.md).

A year's figures come from the commune decisions of that year: the periodic decision, and the
ad-hoc decisions signed after it (a household reviewed twice counts by its latest review). Each
review keeps its classification and the one before it, the standard and the indicators it was
deprived on, so every figure is one grouped query over the year's reviews, never a walk through
history. Households in total are today's households that are not archived.

The province-wide table is the commune tables of every commune of the province, summed; it is
kept in the cache under a fingerprint of the year's decisions (how many, the latest change), so a
new decision shows at once and a repeated request reads no review row.
"""

import dataclasses
import datetime
import hashlib
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from households.models import (
    Decision,
    Household,
    Indicator,
    Member,
    Poverty,
    Review,
    ReviewCampaign,
    StandardIndicator,
)
from households.models.survey import Cause, Need
from outreach.models import Commune, Province, Village
from outreach.scope import Role, roles_of, scoped

POOR, NEAR_POOR, AVERAGE = Poverty.POOR, Poverty.NEAR_POOR, Poverty.AVERAGE
CLASSES = (POOR, NEAR_POOR)
# How long a province's table is kept: the decisions' fingerprint invalidates it at once; the
# households in total (today's, not archived) may lag by this much.
CACHE_SECONDS = 15 * 60
CACHE_VERSION = 1
ONE_DECIMAL = Decimal("0.1")
NOT_RECORDED = "-"

LEFT_POVERTY = Q(previous_classification=POOR) & ~Q(classification=POOR)
LEFT_NEAR_POVERTY = Q(previous_classification=NEAR_POOR) & ~Q(classification__in=CLASSES)
FELL_INTO_POVERTY = ~Q(previous_classification=POOR) & Q(classification=POOR)
FELL_INTO_NEAR_POVERTY = ~Q(previous_classification__in=CLASSES) & Q(classification=NEAR_POOR)


def rate(count: int, total: int) -> Decimal | None:
    """Return ``count`` as a percentage of ``total`` to one decimal (half up), None of nothing."""
    if not total:
        return None
    return (Decimal(count * 100) / Decimal(total)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclasses.dataclass
class Figures:
    """The counts of one village, one commune or a sum of them."""

    households: int = 0
    poor: int = 0
    near_poor: int = 0
    average: int = 0
    left_poverty: int = 0
    left_near_poverty: int = 0
    fell_into_poverty: int = 0
    fell_into_near_poverty: int = 0

    COUNTS = (
        "poor",
        "near_poor",
        "average",
        "left_poverty",
        "left_near_poverty",
        "fell_into_poverty",
        "fell_into_near_poverty",
    )

    @property
    def poor_rate(self) -> Decimal | None:
        return rate(self.poor, self.households)

    @property
    def near_poor_rate(self) -> Decimal | None:
        return rate(self.near_poor, self.households)

    @property
    def any_counted(self) -> bool:
        return any(getattr(self, name) for name in self.COUNTS)

    def add(self, other: "Figures") -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


@dataclasses.dataclass
class Group:
    """One row of a table (a village, or a commune of the province) with its breakdowns.

    The breakdowns count the poor and the near-poor: ``deprived[(standard, indicator)]``,
    ``ethnicity[code]``, ``causes[code]``, ``needs[code]`` are ``Counter({"poor": n, …})``.
    """

    pk: int
    name: str
    figures: Figures
    deprived: dict = dataclasses.field(default_factory=dict)
    ethnicity: dict = dataclasses.field(default_factory=dict)
    causes: dict = dataclasses.field(default_factory=dict)
    needs: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Breakdown:
    """One line of a breakdown table: what, and how many poor and near-poor households."""

    label: str
    poor: int
    near_poor: int
    code: str = ""
    standard: str = ""


@dataclasses.dataclass
class Summary:
    """What was computed for a place and year (what the cache keeps)."""

    year: int
    place: str
    # (code, name, decree) of each standard the year's decisions applied.
    standards: list[tuple[str, str, str]]
    # (number, signed on, campaign kind) of the decisions counted.
    decisions: list[tuple[str, datetime.date, str]]
    # (standard code, indicator code) in the standards' order.
    indicators: list[tuple[str, str]]
    groups: list[Group]


@dataclasses.dataclass
class ReviewTables:
    """The tables as pages and documents show them."""

    year: int
    place: str
    standards: list[tuple[str, str, str]]
    decisions: list[tuple[str, datetime.date, str]]
    rows: list[Group]
    total: Figures
    deprivation: list[Breakdown]
    ethnicity: list[Breakdown]
    causes: list[Breakdown]
    needs: list[Breakdown]
    commune: Commune | None = None
    province: Province | None = None

    @property
    def standard_label(self) -> str:
        """Name the standards the year used: "2022-2025 (Nghị định 07/2021/NĐ-CP)"."""
        return "; ".join(f"{code} ({decree})" for code, _name, decree in self.standards) or "—"


# The year's decisions and reviews -------------------------------------------------------------


def _year_decisions(decisions: QuerySet) -> list[Decision]:
    """Keep each commune's periodic decision and its ad-hoc decisions signed after it (all the
    ad-hoc ones where the year has no periodic decision yet), in the order they were signed."""
    rows = list(decisions.select_related("campaign__standard").order_by("signed_on", "pk"))
    periodic = {
        d.campaign.commune_id: d.signed_on
        for d in rows
        if d.campaign.kind == ReviewCampaign.Kind.PERIODIC
    }
    return [
        d
        for d in rows
        if d.campaign.kind == ReviewCampaign.Kind.PERIODIC
        or d.signed_on >= periodic.get(d.campaign.commune_id, d.signed_on)
    ]


def _latest_reviews(decisions: list[Decision]) -> QuerySet:
    """Return the reviews of ``decisions``, the latest one only for a household reviewed twice."""
    ids = [d.pk for d in decisions]
    reviews = Review.objects.filter(decision_id__in=ids)
    if len(ids) > 1:
        later = Review.objects.filter(
            household_id=OuterRef("household_id"), decision_id__in=ids
        ).filter(
            Q(decision__signed_on__gt=OuterRef("decision__signed_on"))
            | Q(
                decision__signed_on=OuterRef("decision__signed_on"),
                decision_id__gt=OuterRef("decision_id"),
            )
        )
        reviews = reviews.filter(~Exists(later))
    return reviews


def _has(column: str, code: str) -> Q:
    # A JSON list of codes, read as text: '["employment", "water"]'. Quoted, no code is a part
    # of another; the same on SQLite and PostgreSQL (where JSON containment is not portable).
    return Q(**{f"{column}__contains": f'"{code}"'})


def _annotations(indicators: list[tuple[int, str, str]], *, breakdowns: bool) -> dict:
    counts = {
        "poor": Count("pk", filter=Q(classification=POOR)),
        "near_poor": Count("pk", filter=Q(classification=NEAR_POOR)),
        "average": Count("pk", filter=Q(classification=AVERAGE)),
        "left_poverty": Count("pk", filter=LEFT_POVERTY),
        "left_near_poverty": Count("pk", filter=LEFT_NEAR_POVERTY),
        "fell_into_poverty": Count("pk", filter=FELL_INTO_POVERTY),
        "fell_into_near_poverty": Count("pk", filter=FELL_INTO_NEAR_POVERTY),
    }
    for cls in CLASSES if breakdowns else ():
        is_cls = Q(classification=cls)
        for n, (standard_id, _standard, code) in enumerate(indicators):
            counts[f"d{n}_{cls}"] = Count(
                "pk", filter=is_cls & Q(standard_id=standard_id) & _has("deprived_text", code)
            )
        for code in Cause.values:
            counts[f"c_{code}_{cls}"] = Count("pk", filter=is_cls & _has("causes_text", code))
        for code in Need.values:
            counts[f"n_{code}_{cls}"] = Count("pk", filter=is_cls & _has("needs_text", code))
    return counts


def _indicators(standards: dict) -> list[tuple[int, str, str]]:
    """Return (standard id, standard code, indicator code) of the standards, in their order."""
    if not standards:
        return []
    rows = StandardIndicator.objects.filter(standard_id__in=standards).order_by(
        "standard__valid_from", "position", "pk"
    )
    return [(row.standard_id, standards[row.standard_id].code, row.code) for row in rows]


def _summarise(
    *,
    decisions: list[Decision],
    group: str,
    places: list[tuple[int, str, int]],
    breakdowns: bool = True,
    **about,
) -> Summary:
    """Count the year's reviews of ``decisions`` for each place of ``places`` ((pk, name,
    households)), grouped by ``group`` (the review's path to the place's id).

    Three queries: the standards' indicators, the counts, the heads' ethnicity (only the counts
    without ``breakdowns``; none where there is no decision).
    """
    standards = {d.campaign.standard_id: d.campaign.standard for d in decisions}
    indicators = _indicators(standards) if breakdowns else []
    groups = {pk: Group(pk=pk, name=name, figures=Figures(households=n)) for pk, name, n in places}
    if decisions:
        reviews = _latest_reviews(decisions)
        counted = reviews
        if breakdowns:
            counted = reviews.annotate(
                deprived_text=Cast("deprived", TextField()),
                causes_text=Cast("entry__survey__causes", TextField()),
                needs_text=Cast("entry__survey__needs", TextField()),
            )
        annotations = _annotations(indicators, breakdowns=breakdowns)
        for row in counted.values(group).annotate(**annotations).order_by():
            _fill(groups, row[group], row, indicators, breakdowns=breakdowns)
    if decisions and breakdowns:
        head = Member.objects.filter(household_id=OuterRef("household_id"), relation="head")
        by_ethnicity = (
            reviews.filter(classification__in=CLASSES)
            .annotate(ethnicity=Subquery(head.values("ethnicity")[:1]))
            .values(group, "ethnicity", "classification")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in by_ethnicity:
            target = groups.get(row[group])
            if target is not None:
                target.ethnicity.setdefault(row["ethnicity"] or NOT_RECORDED, Counter())[
                    row["classification"]
                ] += row["n"]
    return Summary(
        standards=[(s.code, s.name, s.decree) for s in standards.values()],
        decisions=[(d.number, d.signed_on, d.campaign.kind) for d in decisions],
        indicators=[(standard, code) for _id, standard, code in indicators],
        groups=[g for g in groups.values() if g.figures.households or g.figures.any_counted],
        **about,
    )


def _fill(groups: dict, pk, row: dict, indicators: list, *, breakdowns: bool) -> None:
    target = groups.get(pk)
    if target is None:
        return  # a review of a place no longer listed (a merged village): not shown
    for name in Figures.COUNTS:
        setattr(target.figures, name, row[name])
    for cls in CLASSES if breakdowns else ():
        for n, (_id, standard, code) in enumerate(indicators):
            target.deprived.setdefault((standard, code), Counter())[cls] = row[f"d{n}_{cls}"]
        for code in Cause.values:
            target.causes.setdefault(code, Counter())[cls] = row[f"c_{code}_{cls}"]
        for code in Need.values:
            target.needs.setdefault(code, Counter())[cls] = row[f"n_{code}_{cls}"]


# From the summary to the tables ------------------------------------------------------------


def _breakdown(groups: list[Group], attribute: str, order: list, labels: dict) -> list[Breakdown]:
    summed: dict = {key: Counter() for key in order}
    for group in groups:
        for key, counter in getattr(group, attribute).items():
            summed.setdefault(key, Counter()).update(counter)
    lines = []
    for key, counter in summed.items():
        standard, code = key if isinstance(key, tuple) else ("", key)
        lines.append(
            Breakdown(
                label=str(labels.get(code, code)),
                poor=counter[POOR],
                near_poor=counter[NEAR_POOR],
                code=code,
                standard=standard,
            )
        )
    return lines


def tables(summary: Summary, *, only: set[int] | None = None, **about) -> ReviewTables:
    """Lay out ``summary`` as tables: its rows (those of ``only``, if given) and their sums."""
    rows = [g for g in summary.groups if only is None or g.pk in only]
    total = Figures()
    for row in rows:
        total.add(row.figures)
    ethnicities = dict(Member.Ethnicity.choices) | {NOT_RECORDED: _("Not recorded")}
    return ReviewTables(
        year=summary.year,
        place=summary.place,
        standards=summary.standards,
        decisions=summary.decisions,
        rows=rows,
        total=total,
        deprivation=_breakdown(rows, "deprived", summary.indicators, dict(Indicator.choices)),
        ethnicity=[
            line
            for line in _breakdown(rows, "ethnicity", [], ethnicities)
            if line.poor or line.near_poor
        ],
        causes=_breakdown(rows, "causes", Cause.values, dict(Cause.choices)),
        needs=_breakdown(rows, "needs", Need.values, dict(Need.choices)),
        **about,
    )


# The selectors ---------------------------------------------------------------------------------


def review_commune_get(*, user, pk: int | None) -> Commune:
    """Return the commune ``pk`` if ``user`` may read its records (the first one they may read
    when ``pk`` is None); 404 otherwise."""
    communes = scoped(Commune.objects.select_related("province"), user).order_by("name", "pk")
    commune = communes.first() if pk is None else communes.filter(pk=pk).first()
    if commune is None:
        raise Http404(_("No such commune in your scope."))
    return commune


def review_years(*, commune: Commune) -> list[int]:
    """Return the years in which ``commune`` decided a review, the latest first."""
    return list(
        ReviewCampaign.objects.filter(commune=commune, decision__isnull=False)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def commune_review_tables(*, commune: Commune, year: int) -> ReviewTables:
    """Return ``commune``'s tables for ``year``, by village (the caller checked the scope).

    Six queries whatever the number of households: the decisions, the villages with their
    households, the indicators, the counts, the heads' ethnicity.
    """
    decisions = _year_decisions(
        Decision.objects.filter(campaign__commune=commune, campaign__year=year)
    )
    villages = (
        Village.objects.filter(commune=commune)
        .annotate(n=Count("households", filter=Q(households__archived=False)))
        .order_by("name", "pk")
        .values_list("pk", "name", "n")
    )
    summary = _summarise(
        decisions=decisions,
        group="entry__village_id",
        places=list(villages),
        year=year,
        place=commune.name,
    )
    return tables(summary, commune=commune)


def _province_summary(province: Province, year: int) -> Summary:
    decisions = _year_decisions(
        Decision.objects.filter(campaign__commune__province=province, campaign__year=year)
    )
    households = dict(
        Household.objects.filter(commune__province=province, archived=False)
        .values("commune_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("commune_id", "n")
    )
    communes = Commune.objects.filter(province=province).order_by("name", "pk")
    return _summarise(
        decisions=decisions,
        group="entry__campaign__commune_id",
        places=[(c.pk, c.name, households.get(c.pk, 0)) for c in communes],
        year=year,
        place=province.name,
    )


def province_cache_key(province: Province, year: int) -> str:
    """Return the cache key of the province's table: it changes with any decision of the year.

    One query (the count and latest change of the year's decisions in the province).
    """
    found = Decision.objects.filter(
        campaign__commune__province=province, campaign__year=year
    ).aggregate(n=Count("pk"), latest=Max("updated_at"))
    latest = found["latest"].isoformat() if found["latest"] else "-"
    return f"reports:review-tables:v{CACHE_VERSION}:{province.pk}:{year}:{found['n']}:{latest}"


@dataclasses.dataclass(frozen=True)
class ProvinceTableScope:
    """Which province's table ``user`` reads, and the key of what it shows: the summary's cache
    key (it changes with any decision of the year in the province) and the communes shown."""

    province: Province
    year: int
    summary_key: str
    only: frozenset[int] | None

    @property
    def shown_key(self) -> str:
        """A key for what the table shows: the summary's, and which of its rows."""
        if self.only is None:
            rows = "all"
        else:
            ids = ",".join(str(pk) for pk in sorted(self.only))
            rows = hashlib.sha256(ids.encode()).hexdigest()[:24]
        return f"{self.summary_key}:{rows}"


def province_table_scope(*, user, province_pk: int | None, year: int) -> ProvinceTableScope:
    """Return the province ``user`` reads (the first of their scope, or ``province_pk``) for
    ``year``, with the cache key of its summary and the communes whose rows they may read.

    Three queries (the province, the fingerprint, the communes of office staff), none of which
    reads a review.
    """
    communes = scoped(Commune.objects.all(), user)
    provinces = Province.objects.filter(pk__in=communes.values("province_id")).order_by("name")
    province = (
        provinces.first() if province_pk is None else provinces.filter(pk=province_pk).first()
    )
    if province is None:
        raise Http404(_("No such province in your scope."))
    only = None
    if not roles_of(user) & {Role.ADMINISTRATOR, Role.AUDITOR}:
        # Office staff: the rows of their communes (one query, as the scope is).
        only = frozenset(communes.filter(province=province).values_list("pk", flat=True))
    return ProvinceTableScope(
        province=province, year=year, summary_key=province_cache_key(province, year), only=only
    )


def province_review_tables(*, user, province_pk: int | None, year: int) -> ReviewTables:
    """Return the province's tables for ``year``, a row per commune ``user`` may read."""
    return province_tables_of(province_table_scope(user=user, province_pk=province_pk, year=year))


def province_tables_of(scope: ProvinceTableScope) -> ReviewTables:
    """Return the tables of ``scope`` (what ``province_table_scope`` gave for a user).

    The whole province is summarised once and kept in the cache (``province_cache_key``); a
    request then costs the scope, the fingerprint and the cache read: no review is read.
    """
    summary = cache.get(scope.summary_key)
    if summary is None:
        summary = _province_summary(scope.province, scope.year)
        cache.set(scope.summary_key, summary, CACHE_SECONDS)
    return tables(summary, only=scope.only, province=scope.province)
