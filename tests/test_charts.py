"""Charts as drawn: parts that never overlap or leave the figure, value labels with their marks,
a legend of only the marks used, type readable at 360 pixels wide, captions within the limit.

The checks measure the drawn figure with matplotlib's Agg renderer, for real partners and for
made-up series that push every part to its longest.
"""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.render import phone
from bot.render.chart_layout import renderer_of
from bot.render.charts import (
    LEGEND,
    Bar,
    MonthlySeries,
    RankingSeries,
    draw_monthly,
    draw_ranking,
    labelled,
    legend_keys,
)
from bot.render.telegram_html import html_problem
from bot.render.visuals import MonthlyChart, RankingChart, chart
from tests.conftest import TODAY

PHONE_WIDTH = 360  # pixels a phone shows the chart across
MIN_PHONE_PX = 7.5  # the smallest text height, in those pixels, that a phone shows legibly
QUERIES = ["US", "DE", "IN", "JP", "EU", "", "KR", "DE 2025", "TH 2025", "top", "top 2025-06"]

LONG = MonthlySeries(
    "China → Democratic Republic of the Congo and a very long grouping name",
    "Monthly, Jul 2023 to Mar 2026 (tonnes) · a subtitle long enough to need two lines here",
    tuple(
        Bar(f"M{i}\n{i}", None if i % 5 == 0 else 100.0 + i * 37, i % 3 == 0, 1, i == 7, i == 9)
        for i in range(36)
    ),
    tuple(f"source-number-{i}.example.com" for i in range(9)),
)
WIDE = RankingSeries(
    "Who buys China's rare-earth magnets",
    "June 2025, tonnes · China's total: ≈3,188 t",
    tuple(
        Bar(name, value, derived, 0, lower, low)
        for name, value, derived, lower, low in [
            ("Democratic Republic of the Congo", 9999.0, False, False, False),
            ("United States", 353.0, True, False, True),
            ("Thailand", 200.0, False, True, False),
        ]
    ),
    Bar("China", 12000.0, True),
    tuple(f"source-number-{i}.example.com" for i in range(9)),
)


def drawn(lookup: Lookup, query: str) -> tuple[MonthlySeries | RankingSeries, Figure]:
    answer = chart(lookup, query)
    if isinstance(answer, MonthlyChart):
        return answer.series, draw_monthly(answer.series)
    assert isinstance(answer, RankingChart), answer
    return answer.series, draw_ranking(answer.series)


Drawn = list[tuple[str, MonthlySeries | RankingSeries, Figure]]


@pytest.fixture(scope="module")
def every_chart(snapshot: Snapshot) -> Drawn:
    """Each chart, drawn as it is for the PNG (so every part has its final place)."""
    lookup = Lookup(snapshot, lambda: TODAY)
    charts = [(query, *drawn(lookup, query)) for query in QUERIES]
    charts += [
        ("long monthly", LONG, draw_monthly(LONG)),
        ("wide ranking", WIDE, draw_ranking(WIDE)),
    ]
    for _name, _series, figure in charts:
        figure.draw_without_rendering()
    return charts


def box(figure: Figure, artist: Text) -> Bbox:
    return artist.get_window_extent(renderer_of(figure))


def part(figure: Figure, gid: str) -> Text:
    (found,) = [t for t in figure.texts if t.get_gid() == gid]
    return found


def texts(figure: Figure) -> list[Text]:
    """Every text drawn apart from tick labels (the plot's own box covers those)."""
    axes = figure.axes[0]
    found = [*figure.texts, *axes.texts, axes.xaxis.label, axes.yaxis.label]
    found += [t for legend in figure.legends for t in legend.get_texts()]
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def tick_labels(figure: Figure) -> list[Text]:
    axes = figure.axes[0]
    return [*axes.get_xticklabels(), *axes.get_yticklabels()]


def value_labels(figure: Figure) -> list[Text]:
    return [t for t in figure.axes[0].texts if t.get_gid() == "value"]


def test_title_subtitle_legend_and_footer_do_not_overlap_each_other_or_the_plot(
    every_chart: Drawn,
) -> None:
    for name, _series, figure in every_chart:
        renderer = renderer_of(figure)
        parts = {gid: box(figure, part(figure, gid)) for gid in ("title", "subtitle", "footer")}
        parts |= {
            f"legend{i}": lg.get_window_extent(renderer) for i, lg in enumerate(figure.legends)
        }
        plot = figure.axes[0].get_tightbbox(renderer)
        assert plot is not None
        parts["plot"] = plot
        for first in parts:
            for second in parts:
                if first < second:
                    overlap = parts[first].overlaps(parts[second])
                    assert not overlap, f"{name}: {first} overlaps {second}"


def test_every_text_lies_within_the_figure(every_chart: Drawn) -> None:
    for name, _series, figure in every_chart:
        inside = figure.bbox
        plot = figure.axes[0].get_tightbbox(renderer_of(figure))  # with its tick labels
        assert plot is not None
        assert inside.x0 <= plot.x0 and plot.x1 <= inside.x1, name
        assert inside.y0 <= plot.y0 and plot.y1 <= inside.y1, name
        for text in texts(figure):
            extent = box(figure, text)
            assert inside.x0 <= extent.x0 and extent.x1 <= inside.x1, (name, text.get_text())
            assert inside.y0 <= extent.y0 and extent.y1 <= inside.y1, (name, text.get_text())


def test_text_is_legible_at_360_pixels_wide(every_chart: Drawn) -> None:
    for name, _series, figure in every_chart:
        scale = PHONE_WIDTH / figure.bbox.width
        for text in texts(figure) + tick_labels(figure):
            on_phone = text.get_fontproperties().get_size_in_points() * figure.dpi / 72 * scale
            assert on_phone >= MIN_PHONE_PX, (name, text.get_text(), on_phone)


def test_latest_and_highest_bars_carry_their_values(every_chart: Drawn) -> None:
    for name, series, figure in every_chart:
        labels = value_labels(figure)
        if isinstance(series, RankingSeries):  # every bar of a ranking is labelled
            assert len(labels) == len(series.bars), name
            continue
        known = [i for i, b in enumerate(series.bars) if b.value is not None]
        highest = max(known, key=lambda i: series.bars[i].value or 0.0)
        by_bar = {round(t.xy[0]): t.get_text() for t in labels if isinstance(t, Annotation)}
        for i in (highest, known[-1]):
            assert by_bar.get(i) == series.bars[i].value_label, (name, i, by_bar)


def test_value_labels_do_not_overlap_each_other(every_chart: Drawn) -> None:
    for name, _series, figure in every_chart:
        boxes = [box(figure, t) for t in value_labels(figure)]
        for i, first in enumerate(boxes):
            assert not any(first.overlaps(second) for second in boxes[i + 1 :]), name


def test_labels_carry_the_marks_of_the_text_answers(lookup: Lookup) -> None:
    _series, thailand = drawn(lookup, "TH 2025")
    assert [t.get_text() for t in value_labels(thailand)] == ["200+"]  # "200+" in the source
    _series, us = drawn(lookup, "US 2024")
    assert "≈735" in [t.get_text() for t in value_labels(us)]  # June 2024, the highest, is derived
    _series, june = drawn(lookup, "top 2025-06")
    shown = {t.get_text().strip() for t in value_labels(june)}
    assert {"200+ t (6%+)", "≈132 t (4%)", "764 t (24%)"} <= shown
    assert Bar("Dec\n25", 411.3, False, 1, low=True).value_label == "411.3†"
    assert Bar("Feb\n25", 5323.0, True, 0, lower_bound=True, low=True).value_label == "≈5,323+†"


def test_bars_with_a_mark_only_a_label_shows_are_labelled() -> None:
    bars = LONG.bars
    assert {7, 9} <= set(labelled(bars))  # the lower bound and the low-reliability bar
    texts_ = {t.get_text() for t in value_labels(draw_monthly(LONG))}
    assert bars[7].value_label in texts_ and bars[7].value_label.endswith("+")
    assert bars[9].value_label in texts_ and bars[9].value_label.endswith("†")


def legend_texts(figure: Figure) -> list[str]:
    return [t.get_text() for legend in figure.legends for t in legend.get_texts()]


def test_the_legend_lists_only_the_marks_a_chart_uses(lookup: Lookup, every_chart: Drawn) -> None:
    for name, series, figure in every_chart:
        bars = series.bars
        used = {
            LEGEND["derived"]: any(b.derived and b.value is not None for b in bars),
            LEGEND["lower_bound"]: any(b.lower_bound for b in bars),
            LEGEND["low"]: any(b.low for b in bars),
            LEGEND["missing"]: any(b.value is None for b in bars),
        }
        shown = legend_texts(figure)
        assert set(shown) <= set(LEGEND.values()), name
        for label, is_used in used.items():
            assert (label in shown) == is_used, (name, label, shown)
    _series, germany = drawn(lookup, "DE 2025")  # every 2025 figure for Germany is reported
    assert LEGEND["derived"] not in legend_texts(germany)
    assert legend_keys(WIDE.bars) == ["reported", "derived", "lower_bound", "low"]


def test_a_ranking_of_reported_figures_needs_no_legend(lookup: Lookup) -> None:
    _series, figure = drawn(lookup, "top 2025-10")
    assert not figure.legends


@pytest.mark.parametrize("kind", ["partners", "rankings"])
def test_every_caption_fits_telegrams_limit(lookup: Lookup, kind: str) -> None:
    metrics = lookup.metrics
    queries = (
        [code for code in metrics.partners()]
        if kind == "partners"
        else [f"top {m.code}" for m in metrics.months_with_data("WORLD")]
    )
    captions = 0
    for query in queries:
        answer = chart(lookup, query)
        if isinstance(answer, MonthlyChart | RankingChart):
            caption = phone.chart_caption(answer)
            assert len(caption) <= phone.MAX_CAPTION and html_problem(caption, 1024) is None
            captions += 1
    assert captions >= 5


def test_the_caption_explains_only_the_marks_the_chart_uses(lookup: Lookup) -> None:
    germany = chart(lookup, "DE 2025")  # all reported, with months not published
    assert isinstance(germany, MonthlyChart)
    caption = phone.chart_caption(germany)
    assert "≈ derived" not in caption and "n/a: not published" in caption
    thailand = chart(lookup, "TH 2025")
    assert isinstance(thailand, MonthlyChart)
    assert "+ at least" in phone.chart_caption(thailand)
    us = chart(lookup, "US")
    assert isinstance(us, MonthlyChart)
    assert "≈ derived" in phone.chart_caption(us)
