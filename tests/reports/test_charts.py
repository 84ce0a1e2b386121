"""The dashboard's bars, drawn by the server: lengths against the longest bar, series stacked in
order, nothing drawn for nothing, numbers in the attributes written the SVG way."""

from django.template.loader import render_to_string
from django.utils import translation

from reports.charts import SERIES_COLOURS, bar_chart


def _chart(rows, series=("A", "B"), money=False):
    return bar_chart(id="chart-x", title="Tiêu đề", series=list(series), rows=rows, money=money)


def test_bars_are_as_long_as_their_total_against_the_longest():
    chart = _chart([("2023", [30, 10]), ("2024", [0, 20]), ("2025", [1, 2])])
    bars = {bar.label: bar for bar in chart.bars}
    assert [(p.name, p.x, p.width) for p in bars["2023"].segments] == [
        ("A", "0", "75"),
        ("B", "75", "25"),
    ]
    # A series with nothing that year is not drawn, and the next one starts at 0.
    assert [(p.name, p.x, p.width) for p in bars["2024"].segments] == [("B", "0", "50")]
    assert [(p.x, p.width) for p in bars["2025"].segments] == [("0", "2.5"), ("2.5", "5")]
    assert [bar.total for bar in chart.bars] == [40, 20, 3]


def test_a_chart_of_zeros_or_no_years_draws_no_bar():
    chart = _chart([("2023", [0, 0]), ("2024", [0, 0])])
    assert [bar.segments for bar in chart.bars] == [[], []]
    assert _chart([]).bars == []


def test_more_series_than_colours_reuse_the_colours_in_order():
    names = [f"Nhà tài trợ {n}" for n in range(SERIES_COLOURS + 2)]
    chart = _chart([("2024", [1] * len(names))], series=names)
    assert [s.colour for s in chart.series] == [0, 1, 2, 3, 4, 5, 0, 1]
    assert [p.series for p in chart.bars[0].segments] == [0, 1, 2, 3, 4, 5, 0, 1]


def test_the_bars_keep_a_dot_in_vietnamese_and_show_money_the_vietnamese_way():
    chart = _chart([("2023", [1, 2]), ("2024", [2_000, 0])], money=True)
    with translation.override("vi"):
        html = render_to_string("reports/includes/bar_chart.html", {"chart": chart})
    assert 'x="0.05" width="0.1"' in html  # not "0,05": SVG reads a dot
    assert "2.000\u00a0₫" in html
    assert 'role="img" aria-label="Tiêu đề"' in html
    assert "style=" not in html  # the CSP forbids inline styles
    assert html.count('<li><svg viewBox="0 0 10 10"') == 2  # the legend names both series


def test_a_single_series_needs_no_legend():
    chart = _chart([("2024", [5])], series=["Hộ được hỗ trợ"])
    html = render_to_string("reports/includes/bar_chart.html", {"chart": chart})
    assert "bars-legend" not in html
    assert 'class="bar-s0" x="0" width="100"' in html
