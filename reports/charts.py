"""The dashboard's charts, drawn by the server: a bar per year, as long as its value against the
longest, split by series (funders; left poverty and left near-poverty).

The page draws each bar as SVG rectangles (attributes, no inline style: the CSP allows them)
and needs no script: Chart.js alone was 70 KB on the wire, more than the rest of the page with
Bootstrap. Every number is also in the table beneath each chart.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

# As many colours as reports/dashboard.css has classes (bar-s0 … bar-s5); more series reuse them.
SERIES_COLOURS = 6


@dataclass(frozen=True)
class Segment:
    """One series' part of a bar; ``x`` and ``width`` in per cent of the chart's longest bar."""

    series: int
    name: str
    value: int
    x: str
    width: str


@dataclass(frozen=True)
class Series:
    colour: int
    name: str


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    series: list[Series]
    bars: list[Bar]
    money: bool = False


def _percent(value: float) -> str:
    # A string, so that the template does not write it the Vietnamese way ("37,5").
    return f"{value:.2f}".rstrip("0").rstrip(".")


def bar_chart(
    *, id: str, title: str, series: list[str], rows: list[tuple[str, list[int]]], money=False
) -> BarChart:
    """Return a chart of a bar per row of ``(label, values)``, a value per series, scaled to
    the longest bar (all bars empty when every value is 0)."""
    longest = max((sum(values) for _label, values in rows), default=0)
    bars = []
    for label, values in rows:
        start, segments = 0, []
        for index, value in enumerate(values):
            if value > 0:
                segments.append(
                    Segment(
                        series=index % SERIES_COLOURS,
                        name=series[index],
                        value=value,
                        x=_percent(100 * start / longest),
                        width=_percent(100 * value / longest),
                    )
                )
            start += value
        bars.append(Bar(label=label, total=sum(values), segments=segments))
    legend = [Series(colour=i % SERIES_COLOURS, name=name) for i, name in enumerate(series)]
    return BarChart(id=id, title=title, series=legend, bars=bars, money=money)


def dashboard_charts(data: dict) -> dict[str, BarChart]:
    """Return the dashboard's four charts from ``reports.selectors.dashboard``'s figures."""
    years = data["years"]
    labels = [str(y["year"]) for y in years]
    participants = [
        sum(sum(row["participants"].values()) for row in y["activities"]) for y in years
    ]
    return {
        "funding": bar_chart(
            id="chart-funding",
            title=_("Value delivered, by funder"),
            series=list(data["funders"]),
            rows=[(str(row["year"]), row["values"]) for row in data["funding_rows"]],
            money=True,
        ),
        "households": bar_chart(
            id="chart-households",
            title=_("Households served"),
            series=[_("Households served")],
            rows=[
                (label, [y["households_served"]]) for label, y in zip(labels, years, strict=True)
            ],
        ),
        "improved": bar_chart(
            id="chart-improved",
            title=_("Households whose classification improved at a review"),
            series=[_("Left poverty"), _("Left near-poverty")],
            rows=[
                (label, [y["improved"]["left_poverty"], y["improved"]["left_near_poverty"]])
                for label, y in zip(labels, years, strict=True)
            ],
        ),
        "participants": bar_chart(
            id="chart-participants",
            title=_("Activities and participants"),
            series=[_("Participants")],
            rows=list(zip(labels, [[n] for n in participants], strict=True)),
        ),
    }
