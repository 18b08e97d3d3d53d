"""Charts in Chinese: every glyph drawn (matplotlib reports none missing, and each character
is in a font the text is drawn with), every text in Chinese (titles, months, units, names,
legends, notes, captions), laid out as well as the English ones, and the English charts and
captions unchanged.

The glyph checks need Noto Sans CJK SC (Debian's ``fonts-noto-cjk``, installed by ``make
test`` and ``make fonts``). Without it they are skipped on a developer's machine and fail in
CI (``CI`` set), so CI never passes without drawing Chinese.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont, get_font
from matplotlib.text import Text

from bot.console import LocalChat
from bot.datastore import Snapshot
from bot.i18n import Language
from bot.lookup import Lookup, PeriodProblem, Problem
from bot.render import answers, phone
from bot.render.chart_layout import (
    CJK_FAMILY,
    cjk_font,
    new_figure,
    png,
    renderer_of,
    words,
    wrap,
)
from bot.render.charts import (
    LEGEND,
    MonthlySeries,
    RankingSeries,
    draw_monthly,
    draw_ranking,
    monthly_png,
    ranking_png,
)
from bot.render.telegram_html import html_problem
from bot.render.visuals import (
    MAX_CAPTION,
    MonthlyChart,
    RankingChart,
    chart,
    chart_caption,
    csv_caption,
    csv_export,
)
from tests.conftest import TODAY
from tests.test_charts import LONG, WIDE, box, part, texts, tick_labels, value_labels

CJK = re.compile(r"[\u3400-\u9fff]")
#: What matplotlib says of a glyph no font of a text has: a warning from its text layout
#: ("Glyph 31232 (\N{CJK UNIFIED IDEOGRAPH-7A00}) missing from font(s) DejaVu Sans."), or a
#: log line from mathtext ("Font 'default' does not have a glyph for …").
MISSING = re.compile(r"missing from font|does not have a glyph")


def lookup_of(snapshot: Snapshot, series: str) -> Lookup:
    return Lookup(snapshot, lambda: TODAY, series)


Answer = MonthlyChart | RankingChart


def chart_of(snapshot: Snapshot, series: str, query: str, language: Language = "zh") -> Answer:
    answer = chart(lookup_of(snapshot, series), query, language)
    assert isinstance(answer, MonthlyChart | RankingChart), answer
    return answer


def figure_of(answer: Answer) -> Figure:
    if isinstance(answer, MonthlyChart):
        return draw_monthly(answer.series)
    return draw_ranking(answer.series)


@pytest.fixture(scope="module")
def cjk() -> str:
    """The CJK font, registered with matplotlib; the test is skipped without it, except in
    CI, where it fails."""
    family = cjk_font()
    if family is None:
        said = f"{CJK_FAMILY} is not installed: run `make fonts` (Debian's fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(said)
        pytest.skip(said)
    return family


def reported_missing(draw: Callable[[], bytes], caplog: pytest.LogCaptureFixture) -> list[str]:
    """What matplotlib warns and logs of missing glyphs while ``draw`` runs."""
    caplog.clear()
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # every warning, even one said before
        draw()
    said = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    return [s for s in said if MISSING.search(s)]


def every_text(figure: Figure) -> Iterator[Text]:
    yield from texts(figure)
    yield from tick_labels(figure)


def not_in_its_fonts(text: Text) -> set[str]:
    """The characters of ``text`` that none of the fonts it is drawn with has (its family
    list: DejaVu Sans, then the CJK font)."""
    props = text.get_fontproperties()
    fonts = []
    for family in props.get_family():
        one = props.copy()
        one.set_family([family])
        fonts.append(get_font(findfont(one, fallback_to_default=False)))
    return {
        c
        for c in text.get_text()
        if not c.isspace() and not any(font.get_char_index(ord(c)) for font in fonts)
    }


#: Charts in Chinese: magnets in tonnes, gallium in kg, tungsten's spans, germanium's span
#: ranking with lower bounds, a month of many partners, a range with missing months.
ZH_CHARTS = [
    ("85051110", ""),
    ("85051110", "US"),
    ("85051110", "TH 2025"),
    ("85051110", "top 2025-06"),
    ("gallium", "DE"),
    ("gallium", "top 2025-06"),
    ("tungsten", "top"),
    ("germanium", "top 2025"),
]


@pytest.mark.parametrize(("series", "query"), ZH_CHARTS)
def test_a_chinese_chart_has_every_glyph_and_makes_a_png(
    snapshot: Snapshot, cjk: str, caplog: pytest.LogCaptureFixture, series: str, query: str
) -> None:
    answer = chart_of(snapshot, series, query)
    drawn: list[bytes] = []
    figures: list[Figure] = []

    def draw() -> bytes:  # drawn here, not taken from the chart cache: every glyph laid out
        figures.append(figure_of(answer))
        drawn.append(png(figures[-1]))
        return drawn[-1]

    assert reported_missing(draw, caplog) == []
    (image,) = drawn
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    assert (width, height) == (1200, 750)
    chinese = [t for t in every_text(figures[0]) if CJK.search(t.get_text())]
    assert chinese, "a Chinese chart with no Chinese text"
    for text in every_text(figures[0]):
        assert not not_in_its_fonts(text), (text.get_text(), not_in_its_fonts(text))
    assert cjk in chinese[0].get_fontproperties().get_family()


def test_the_glyph_check_sees_a_glyph_that_is_missing(
    cjk: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The check above is not blind: Chinese in Latin-only DejaVu Sans is reported."""
    figure = new_figure()
    figure.text(0.1, 0.5, "稀土永磁体", family=["DejaVu Sans"])
    missing = reported_missing(lambda: png(figure), caplog)
    assert len(missing) == 5 and "missing from font(s) DejaVu Sans" in missing[0]
    assert not_in_its_fonts(figure.texts[0]) == set("稀土永磁体")


def test_latin_text_keeps_its_font_and_chinese_falls_back(cjk: str) -> None:
    figure = new_figure()
    text = figure.text(0.1, 0.5, "China 中国")
    families = text.get_fontproperties().get_family()
    assert families[-1] == cjk and families[0] != cjk
    first = get_font(findfont(text.get_fontproperties(), fallback_to_default=False))
    assert first.family_name == "DejaVu Sans"  # as every English chart has always been


TITLES = [
    (
        "85051110",
        "",
        "中国稀土永磁体出口",
        "月度数据，2023年7月至2026年3月（单位：吨）",
    ),
    (
        "85051110",
        "US",
        "中国对美国的稀土永磁体出口",
        "月度数据，2024年5月至2026年3月（单位：吨）",
    ),
    (
        "gallium",
        "DE",
        "中国对德国的镓出口",
        "月度数据，2024年4月至2025年10月（单位：千克）",
    ),
    (
        "85051110",
        "top 2025-06",
        "中国稀土永磁体出口去向",
        "2025年6月，单位：吨 · 中国出口总量：3,188 吨",
    ),
    (
        "gallium",
        "top 2025-06",
        "中国镓出口去向",
        "2025年6月，单位：千克 · 中国出口总量：4,260 千克",
    ),
    (
        "tungsten",
        "top",
        "中国钨（仲钨酸铵）出口去向",
        "2025年1–11月，单位：吨 · 中国出口总量：243 吨",
    ),
    (
        "germanium",
        "top 2025",
        "中国锗出口去向",
        "2025年，单位：千克 · 中国出口总量：≈11,756† 千克",
    ),
]


@pytest.mark.parametrize(("series", "query", "title", "subtitle"), TITLES)
def test_chinese_titles_and_subtitles(
    snapshot: Snapshot, series: str, query: str, title: str, subtitle: str
) -> None:
    drawn = chart_of(snapshot, series, query).series
    assert (drawn.title, drawn.subtitle) == (title, subtitle)
    figure = figure_of(chart_of(snapshot, series, query))
    assert part(figure, "title").get_text().replace("\n", "") == title
    on_chart = part(figure, "subtitle").get_text()  # wrapped to the width, if need be
    assert re.sub(r"\s", "", on_chart) == re.sub(r"\s", "", subtitle)


CAPTIONS = [
    (
        "85051110",
        "",
        "🌐 <b>中国出口总量</b>，区间内最新：2026年3月：5,238 吨 · 环比 +10.5% · 同比 -1.6%\n"
        "≈ 推算值（浅色、斜线） · 无数据：未公布，并非为零。\n"
        "来源：/sources 2026-03",
    ),
    (
        "85051110",
        "US",
        "🇺🇸 <b>美国</b>，区间内最新：2026年3月：406 吨 · 环比 -9.5% · 同比 -30.6% · "
        "占总量 7.8%\n"
        "≈ 推算值（浅色、斜线） · 无数据：未公布，并非为零。\n"
        "来源：/sources US 2026-03",
    ),
    (
        "gallium",
        "DE",
        "🇩🇪 <b>镓：德国</b>，区间内最新：2025年10月：10,000 千克 · 环比 +100.0% · "
        "占总量 64.2%\n"
        "无数据：未公布，并非为零。\n"
        "来源：/sources 镓 DE 2025-10",
    ),
    (
        "gallium",
        "top 2025-06",
        "🏆 <b>镓：贸易伙伴，2025年6月</b>：中国出口总量 4,260 千克。仅显示有公布数字的国家。\n"
        "表格与来源：/top 镓 2025-06",
    ),
    (
        "tungsten",
        "top",
        "🏆 <b>钨（仲钨酸铵）：贸易伙伴，2025年1–11月</b>：中国出口总量 243 吨。"
        "仅显示有公布数字的国家。\n"
        "表格与来源：/top 钨 2025-YTD11",
    ),
]


@pytest.mark.parametrize(("series", "query", "caption"), CAPTIONS)
def test_chinese_captions(snapshot: Snapshot, series: str, query: str, caption: str) -> None:
    answer = chart_of(snapshot, series, query)
    said = chart_caption(answer, lookup_of(snapshot, series).info, "zh")
    assert said == caption
    assert html_problem(said, MAX_CAPTION) is None


def test_a_caption_says_how_many_partners_are_not_drawn(snapshot: Snapshot) -> None:
    answer = chart_of(snapshot, "gallium", "top 2025-06")
    assert isinstance(answer, RankingChart)
    many = replace(answer, series=replace(answer.series, more=25))
    said = chart_caption(many, lookup_of(snapshot, "gallium").info, "zh")
    shown = len(answer.series.bars)
    assert f"仅显示有公布数字的国家；图中为前 {shown} 名（共 {shown + 25} 个，" in said
    assert "/top 镓 2025-06 50 可列出 50 个）。" in said


PROBLEMS = [
    (
        "tungsten",
        "",
        "中国钨（仲钨酸铵）出口只公布合计数（2024年；2025年1–11月），没有逐月数据，因此无法绘制"
        "月度图表。合计数：/exports 钨 2025-YTD11。",
    ),
    (
        "tungsten",
        "top 2024",
        "2024年没有任何国家的钨（仲钨酸铵）数据，只有中国出口总量（782 吨），因此无法绘制贸易"
        "伙伴图表。有分国别数据的最近时间段：/chart 钨 top 2025-YTD11。",
    ),
    (
        "rare_earths",
        "top 2025",
        "2025年没有任何国家的稀土数据，只有中国出口总量（62,584.7 吨），因此无法绘制贸易伙伴"
        "图表。来源只给出了中国稀土出口总量：/chart 稀土 可绘制其走势。",
    ),
    ("germanium", "top foo 2025", "无法将“foo”识别为时段。"),
]


@pytest.mark.parametrize(("series", "query", "said"), PROBLEMS)
def test_why_there_is_no_chart_in_chinese(
    snapshot: Snapshot, series: str, query: str, said: str
) -> None:
    answer = chart(lookup_of(snapshot, series), query, "zh")
    assert isinstance(answer, PeriodProblem), answer
    assert answer.message == said  # plain text: answers.problem escapes it
    assert said in answers.problem(answer, "zh")


def test_months_units_names_and_legend_in_chinese(snapshot: Snapshot) -> None:
    monthly = chart_of(snapshot, "gallium", "DE")
    assert isinstance(monthly, MonthlyChart)
    assert [b.label for b in monthly.series.bars][:2] == ["4月\n2024年", "5月\n2024年"]
    figure = draw_monthly(monthly.series)
    ticks = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert ticks[:3] == ["4月\n2024年", "6月", "8月"] and "2月\n2025年" in ticks
    assert figure.axes[0].yaxis.label.get_text() == "千克"
    assert "无数据" in [t.get_text() for t in figure.axes[0].texts]
    legend = [t.get_text() for lg in figure.legends for t in lg.get_texts()]
    assert legend == ["公布值", "无数据：未公布"]
    ranking = chart_of(snapshot, "germanium", "top 2025")
    assert isinstance(ranking, RankingChart)
    labels = [b.label for b in ranking.series.bars]
    assert labels[:3] == ["俄罗斯", "比利时", "德国"]
    values = [t.get_text() for t in value_labels(draw_ranking(ranking.series))]
    assert values[-2:] == [" 1,950+ 千克（17%+）", " 2,335+ 千克（20%+）"]
    footer = part(draw_ranking(ranking.series), "footer").get_text().replace("\n", "")
    assert footer.startswith("来源：") and footer.endswith(" · 各数字的来源：/sources")


def test_csv_captions_in_chinese(snapshot: Snapshot) -> None:
    gallium = lookup_of(snapshot, "gallium")
    export = csv_export(gallium, "2025")
    assert not isinstance(export, Problem)
    assert csv_caption(export, gallium.info, "zh") == (
        "📄 镓：19 行：本机器人所用每个数字的时间段、贸易伙伴、数量（千克）、美元金额、状态和"
        "来源（德国、日本、中国出口总量）。"
    )
    magnets = lookup_of(snapshot, "85051110")
    export = csv_export(magnets, "all 2025-06")
    assert not isinstance(export, Problem)
    assert csv_caption(export, magnets.info, "zh").endswith("泰国、美国及另外 1 个）。")


def zh_figures(snapshot: Snapshot) -> list[tuple[str, MonthlySeries | RankingSeries, Figure]]:
    found: list[tuple[str, MonthlySeries | RankingSeries, Figure]] = []
    for series, query in ZH_CHARTS:
        answer = chart_of(snapshot, series, query)
        found.append((f"{series} {query}", answer.series, figure_of(answer)))
    long = replace(
        LONG,
        title="中国对刚果民主共和国以及一个名称非常长的分组的稀土永磁体出口，标题长到需要换行",
        subtitle="月度数据，2023年7月至2026年3月（单位：吨）· 副标题也长到需要分成两行来显示才行",
        language="zh",
    )
    wide = replace(WIDE, title="中国稀土永磁体出口去向", language="zh")
    found += [("long", long, draw_monthly(long)), ("wide", wide, draw_ranking(wide))]
    for _name, _series, figure in found:
        figure.draw_without_rendering()
    return found


def overlapping_ticks(figure: Figure) -> list[tuple[str, str]]:
    """Month labels (first lines) that overlap each other, and year labels (second lines)."""
    axes = figure.axes[0]
    labels = [t.get_text() for t in axes.get_xticklabels()]
    found = []
    for row in (0, 1):
        axes.set_xticks(axes.get_xticks(), [[*t.split("\n"), ""][row] for t in labels])
        drawn = [t for t in axes.get_xticklabels() if t.get_text()]
        for i, first in enumerate(drawn):
            for other in drawn[i + 1 :]:
                if box(figure, first).overlaps(box(figure, other)):
                    found.append((first.get_text(), other.get_text()))
    axes.set_xticks(axes.get_xticks(), labels)
    return found


def test_chinese_charts_are_laid_out_like_the_english_ones(snapshot: Snapshot, cjk: str) -> None:
    """Nothing overlaps or leaves the figure: long Chinese titles wrap between characters."""
    for name, _series, figure in zh_figures(snapshot):
        inside = figure.bbox
        for text in texts(figure):
            extent = box(figure, text)
            assert inside.x0 <= extent.x0 and extent.x1 <= inside.x1, (name, text.get_text())
            assert inside.y0 <= extent.y0 and extent.y1 <= inside.y1, (name, text.get_text())
        parts = [box(figure, part(figure, gid)) for gid in ("title", "subtitle", "footer")]
        plot = figure.axes[0].get_tightbbox()
        assert plot is not None
        for i, first in enumerate([*parts, plot]):
            assert not any(first.overlaps(other) for other in [*parts, plot][i + 1 :]), name
        if isinstance(_series, MonthlySeries):  # months apart, and years apart
            assert not overlapping_ticks(figure), name
    long_title = part(zh_figures(snapshot)[-2][2], "title").get_text()
    assert "\n" in long_title and " " not in long_title


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("China → Germany, magnets", ["China", "→", "Germany,", "magnets"]),
        ("中国（镓）出口", ["中", "国", "（镓）", "出", "口"]),
        ("2025年6月，单位：吨", ["2025年", "6月，", "单", "位：", "吨"]),
        ("来源：a.com、b.com · /sources", ["来", "源：", "a.com、", "b.com", "·", "/sources"]),
    ],
)
def test_words_break_chinese_between_characters_and_english_at_spaces(
    text: str, split: list[str]
) -> None:
    assert [word for _space, word in words(text)] == split
    assert "".join(space + word for space, word in words(text)) == text


def test_wrap_keeps_english_as_it_was() -> None:
    figure = new_figure()
    text = figure.text(0, 0, "Sources: a.example.com, b.example.com · each figure's source")
    wrap(text, 200, renderer_of(figure))
    assert text.get_text().replace("\n", " ") == (
        "Sources: a.example.com, b.example.com · each figure's source"
    )


ENGLISH_CHARTS = [
    *[("85051110", q) for q in ("", "DE", "TH 2025", "EU", "top", "top 2025-06", "top H1 2025")],
    *[("gallium", q) for q in ("", "DE", "top 2025-06")],
    *[("germanium", q) for q in ("", "DE", "top", "top 2025")],
    ("tungsten", "top"),
    ("antimony", ""),
    ("terbium", ""),
]


@pytest.mark.parametrize(("series", "query"), ENGLISH_CHARTS)
def test_english_captions_are_those_the_bot_always_sent(
    snapshot: Snapshot, series: str, query: str
) -> None:
    lookup = lookup_of(snapshot, series)
    answer = chart(lookup, query)
    assert isinstance(answer, MonthlyChart | RankingChart), answer
    assert chart_caption(answer, lookup.info) == phone.chart_caption(answer, lookup.info)
    assert chart(lookup, query, "en") == answer


@pytest.mark.parametrize(
    ("series", "query"), [("85051110", "all"), ("85051110", "DE 2025"), ("gallium", "2025")]
)
def test_english_csv_captions_are_those_the_bot_always_sent(
    snapshot: Snapshot, series: str, query: str
) -> None:
    lookup = lookup_of(snapshot, series)
    export = csv_export(lookup, query)
    assert not isinstance(export, Problem)
    assert csv_caption(export, lookup.info) == phone.csv_caption(export, lookup.info)


def test_each_language_is_its_own_chart(snapshot: Snapshot, cjk: str) -> None:
    """The series (the chart cache's key, here and in the chart process) carries the language."""
    english, chinese = (chart_of(snapshot, "gallium", "DE", lang) for lang in ("en", "zh"))
    assert english.series != chinese.series and english.series.language == "en"
    assert isinstance(english, MonthlyChart) and isinstance(chinese, MonthlyChart)
    assert monthly_png(english.series) != monthly_png(chinese.series)
    assert LEGEND["missing"] == "n/a not published"  # the English legend, as it was
    top = [chart_of(snapshot, "gallium", "top 2025-06", lang) for lang in ("en", "zh")]
    assert top[0].series != top[1].series
    assert isinstance(top[0], RankingChart) and isinstance(top[1], RankingChart)
    assert ranking_png(top[0].series) != ranking_png(top[1].series)


ZH_USER = {"id": 1002, "is_bot": False, "first_name": "Li", "language_code": "zh-hans"}


async def test_chart_and_csv_answer_in_the_users_language(chat: LocalChat, cjk: str) -> None:
    """A private chat of a Chinese-speaking user, and a request written in Chinese, get the
    Chinese chart (drawn in the chart process, the same PNG as drawn here) and captions."""
    calls = await chat.send("/chart gallium DE", user=ZH_USER, chat_id=1002)
    assert [c.method for c in calls] == ["sendPhoto"], calls
    caption = str(calls[0].params["caption"])
    assert caption.startswith("🇩🇪 <b>镓：德国</b>，区间内最新：2025年10月：10,000 千克")
    drawn_here = monthly_png(chart_of(chat_snapshot(chat), "gallium", "DE").series)
    assert calls[0].files["photo"] == drawn_here
    calls = await chat.send("/chart 德国")
    assert str(calls[0].params["caption"]).startswith("🇩🇪 <b>德国</b>，区间内最新：")
    calls = await chat.send("/chart DE")
    assert str(calls[0].params["caption"]).startswith("🇩🇪 <b>Germany</b>, latest in range:")
    calls = await chat.send("/csv gallium 2025", user=ZH_USER, chat_id=1002)
    assert [c.method for c in calls] == ["sendDocument"]
    assert str(calls[0].params["caption"]).startswith("📄 镓：19 行：")
    calls = await chat.send("/csv gallium 2025")
    assert str(calls[0].params["caption"]).startswith("📄 Gallium: 19 rows: period, partner")
    calls = await chat.send("/chart tungsten", user=ZH_USER, chat_id=1002)
    assert "中国钨（仲钨酸铵）出口只公布合计数" in str(calls[0].params["text"])


def chat_snapshot(chat: LocalChat) -> Snapshot:
    from bot.services import SERVICES_KEY, Services

    services: Services = chat.application.bot_data[SERVICES_KEY]
    return services.data.current


@pytest.fixture
def chat(auto_chat: LocalChat) -> LocalChat:
    """The local private chat with no language chosen: these tests are about the reply's
    language, which the rules choose."""
    return auto_chat
