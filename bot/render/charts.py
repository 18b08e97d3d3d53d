"""Charts as PNG: a partner's monthly quantities, and the partners of one month, for any series:
titles name the material and values carry its unit (``t``, ``kg``), from the series'
description (``Metrics.info``).

The series are plain data (what is plotted is testable without looking at pixels). PNGs are
drawn with matplotlib's object API on the Agg backend (no pyplot, whose global figure state is
not thread-safe), one figure at a time (matplotlib's font, text and mathtext caches are shared
by all threads and not locked), and memoised on the series itself, so a chart is drawn once
per query and data version.
Labels carry the marks the text answers use: ``≈`` derived, ``+`` at least (a lower bound),
``†`` a low-reliability source; the legend lists only the marks a chart uses.

A series is drawn in one language (its ``language``): every text on the chart, partner and
material names, months and units (``吨``, ``千克``) in it, so a chart is memoised per language.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlparse

from bot.data.series import SeriesInfo
from bot.i18n import Language, tr
from bot.i18n.formats import listing, partner_name, period_label, short_label
from bot.metrics import WORLD, Metrics
from bot.ranking import TopAnswer
from bot.reading.partners import Partner
from bot.reading.periods import Period

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation
    from matplotlib.ticker import FuncFormatter

from bot.data.dataset import Figure as SourceFigure
from bot.render import chart_layout as layout
from bot.render.format import DERIVED_MARK, LOW_MARK, amount, per_unit
from bot.render.material import is_magnets

_ONE_AT_A_TIME = threading.Lock()  # held while a figure is drawn, from any thread
REPORTED, DERIVED, MISSING = "#1f5f99", "#8fb3d9", "#6b6b6b"
MAX_MONTHS = 36
#: The bars a ranking chart draws (readable on a phone); the rest are counted in its subtitle.
MAX_BARS = 15
LOWER_MARK = "+"
LEGEND_KEYS = ("reported", "derived", "lower_bound", "low", "missing")


def legend_label(key: str, language: Language = "en") -> str:
    """The legend's words for the mark ``key`` (one of :data:`LEGEND_KEYS`)."""
    if key == "reported":
        return tr(language, "reported")
    if key == "derived":
        return tr(language, "{mark} derived", mark=DERIVED_MARK)
    if key == "lower_bound":
        return tr(language, "{mark} at least", mark=LOWER_MARK)
    if key == "low":
        return tr(language, "{mark} low-reliability source", mark=LOW_MARK)
    return tr(language, "{mark} not published", mark=tr(language, "n/a"))


#: The legend's words in English.
LEGEND = {key: legend_label(key) for key in LEGEND_KEYS}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: the sources give no figure (a gap, never zero)
    derived: bool
    decimals: int = 0
    lower_bound: bool = False  # the source says "at least" ("200+")
    low: bool = False  # from a low-reliability source

    @classmethod
    def of(cls, label: str, figure: SourceFigure) -> Bar:
        return cls(
            label,
            figure.value,
            not figure.is_reported,
            figure.decimals,
            figure.is_lower_bound,
            figure.reliability == "low",
        )

    @property
    def value_label(self) -> str:
        """The value with its marks, as the text answers write it: ``≈449``, ``200+``."""
        if self.value is None:
            return "n/a"
        mark = DERIVED_MARK if self.derived else ""
        more = LOWER_MARK if self.lower_bound else ""
        low = LOW_MARK if self.low else ""
        return f"{mark}{self.value:,.{min(self.decimals, 1)}f}{more}{low}"


@dataclass(frozen=True)
class MonthlySeries:
    title: str
    subtitle: str
    bars: tuple[Bar, ...]
    sources: tuple[str, ...]
    #: The values' unit, on the value axis: ``t`` or ``kg`` (``吨``, ``千克``).
    unit: str = "t"
    #: The language of every text on the chart.
    language: Language = "en"


@dataclass(frozen=True)
class RankingSeries:
    title: str
    subtitle: str
    bars: tuple[Bar, ...]  # largest first, at most :data:`MAX_BARS`
    world: Bar | None  # China's total
    sources: tuple[str, ...]
    #: Partners with a figure that are not drawn (after the first :data:`MAX_BARS`).
    more: int = 0
    #: The values' unit, after each bar's value: ``t`` or ``kg`` (``吨``, ``千克``).
    unit: str = "t"
    #: The language of every text on the chart.
    language: Language = "en"


def source_names(urls_or_titles: list[str]) -> tuple[str, ...]:
    """Short source names for a footer: the site of each address, else the title."""
    names = []
    for item in urls_or_titles:
        if item.startswith("http"):
            name = urlparse(item).netloc.removeprefix("www.")
        else:  # no address: the publisher, as the title names it in brackets
            brackets = re.findall(r"\(([^;()]+)", item)
            name = brackets[-1].strip() if brackets else item[:30]
        if name and name not in names:
            names.append(name)
    return tuple(names)


def material(info: SeriesInfo, language: Language = "en") -> str:
    """The series' material in ``language``: ``gallium`` / ``镓`` (its ``name_zh``)."""
    return info.name_zh if language == "zh" and info.name_zh else info.name


def exports_title(info: SeriesInfo, language: Language = "en") -> str:
    """``China's exports of gallium`` / ``中国镓出口``; ``China's rare-earth magnet exports``
    (:data:`bot.render.material.MAGNET_TITLE`) / ``中国稀土永磁体出口``."""
    if is_magnets(info):
        return tr(language, "China's rare-earth magnet exports")
    if info.reference:
        return tr(language, "China's exports, {material}", material=material(info, language))
    return tr(language, "China's exports of {material}", material=material(info, language))


def unit_word(unit: str, language: Language = "en") -> str:
    """A series' unit in a subtitle: ``tonnes`` / ``吨``, ``kg`` / ``千克``."""
    return tr(language, "kg") if unit == "kg" else tr(language, "tonnes")


def month_tick(month: Period, language: Language = "en") -> str:
    """A month under its bar, in two short lines: ``Jun`` over ``25`` / ``6月`` over
    ``2025年`` (CLDR's month and year; a Chinese chart says the year where it changes)."""
    if language == "en":
        return f"{month.short_label[:3]}\n{month.year % 100:02d}"
    from babel.dates import format_skeleton

    from bot.i18n.formats import locale

    first = date(month.year, month.first_month, 1)
    where = locale(language)
    name, year = (format_skeleton(skeleton, first, locale=where) for skeleton in ("MMM", "y"))
    return f"{name}\n{year}"


def monthly_series(
    metrics: Metrics, who: Partner, months: list[Period], language: Language = "en"
) -> MonthlySeries:
    bars, sources = [], []
    for month in months[-MAX_MONTHS:]:
        resolved = metrics.figure(who.code, month)
        label = month_tick(month, language)
        if resolved is None:
            bars.append(Bar(label, None, False))
            continue
        bars.append(Bar.of(label, resolved.chosen))
        sources.append(resolved.chosen.source_url or resolved.chosen.source_title)
    info = metrics.info
    if who.code == WORLD:
        target = exports_title(info, language)
    else:
        target = tr(
            language,
            "China → {partner}, {material}",
            partner=partner_name(who, language),
            material=material(info, language),
        )
    first, last = months[-MAX_MONTHS:][0], months[-1]
    subtitle = tr(
        language,
        "Monthly, {first} to {last} ({unit})",
        first=short_label(first, language),
        last=short_label(last, language),
        unit=unit_word(info.unit, language),
    )
    unit = per_unit(info.unit, language)
    return MonthlySeries(target, subtitle, tuple(bars), source_names(sources), unit, language)


def ranking_series(
    metrics: Metrics, month: Period, names: dict[str, str], language: Language = "en"
) -> RankingSeries:
    """The partners of ``month``, largest first: the first :data:`MAX_BARS` drawn, the number
    of the others said in the subtitle. ``names`` has the drawn partners' names (in
    ``language``)."""
    ranking = metrics.ranking(month)
    bars, sources = [], []
    for code, _value in ranking[:MAX_BARS]:
        resolved = metrics.figure(code, month)
        assert resolved is not None
        bars.append(Bar.of(names[code], resolved.chosen))
        sources.append(resolved.chosen.source_url or resolved.chosen.source_title)
    world = metrics.figure(WORLD, month)
    if world is not None:
        sources.append(world.chosen.source_url or world.chosen.source_title)
    total = Bar.of(tr(language, "China"), world.chosen) if world is not None else None
    return _ranking(metrics.info, month, bars, total, len(ranking), sources, language)


def top_series(answer: TopAnswer, language: Language = "en") -> RankingSeries:
    """A span's ranking as ``/top`` gives it (published span totals, and lower bounds from
    published parts and known months, marked ``+``), largest first: the first
    :data:`MAX_BARS` drawn, the number of the others said in the subtitle."""
    bars, sources = [], []
    for row in answer.rows[:MAX_BARS]:
        value = row.value
        lower = value.is_lower_bound or row.partial is not None
        derived, low = value.is_derived, value.is_low_reliability
        name = partner_name(row.partner, language)
        bars.append(Bar(name, value.value, derived, value.decimals, lower, low))
        sources += [_source_of(f.chosen) for f in value.figures]
    world = answer.world
    total = None
    if world is not None:
        sources += [_source_of(f.chosen) for f in world.figures]
        derived, floor, low = world.is_derived, world.is_lower_bound, world.is_low_reliability
        china = tr(language, "China")
        total = Bar(china, world.value, derived, world.decimals, floor, low)
    countries = max(answer.countries, len(bars))
    return _ranking(answer.info, answer.period, bars, total, countries, sources, language)


def _ranking(
    info: SeriesInfo,
    period: Period,
    bars: list[Bar],
    total: Bar | None,
    countries: int,
    sources: list[str],
    language: Language,
) -> RankingSeries:
    """A ranking chart's series: its title and subtitle (the period, unit, China's total and
    how many partners are not drawn)."""
    said = amount(total.value_label, info.unit, language) if total else tr(language, "n/a")
    more = countries - len(bars)
    subtitle = tr(
        language,
        "{period}, {unit} · China's total: {amount}",
        period=period_label(period, language),
        unit=unit_word(info.unit, language),
        amount=said,
    )
    if more:
        subtitle = tr(
            language,
            "{subtitle} · the top {shown} of {count} partners",
            subtitle=subtitle,
            shown=len(bars),
            count=countries,
        )
    return RankingSeries(
        tr(language, "Who buys China's {material}", material=material(info, language)),
        subtitle,
        tuple(bars),
        total,
        source_names(sources),
        more,
        per_unit(info.unit, language),
        language,
    )


def _source_of(figure: SourceFigure) -> str:
    return figure.source_url or figure.source_title


def footer(sources: tuple[str, ...], language: Language = "en") -> str:
    names = listing(sources[:6], language)
    if len(sources) > 6:
        names = tr(language, "{names} and others", names=names)
    return tr(language, "Sources: {names} · each figure's source: /sources", names=names)


def legend_keys(bars: tuple[Bar, ...]) -> list[str]:
    """The legend entries a chart of ``bars`` needs (keys of :data:`LEGEND`), in order."""
    used = {
        "reported": any(b.value is not None and not b.derived for b in bars),
        "derived": any(b.value is not None and b.derived for b in bars),
        "lower_bound": any(b.lower_bound for b in bars),
        "low": any(b.low for b in bars),
        "missing": any(b.value is None for b in bars),
    }
    keys = [key for key in LEGEND_KEYS if used[key]]
    return [] if keys == ["reported"] else keys  # nothing to tell apart


def _handles(keys: list[str], language: Language) -> list[Artist]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = []
    for key in keys:
        label = legend_label(key, language)
        if key == "reported":
            handles.append(Patch(facecolor=REPORTED, label=label))
        elif key == "derived":
            handles.append(Patch(facecolor=DERIVED, hatch="//", edgecolor="white", label=label))
        else:  # a mark in the labels, not a colour: no symbol
            handles.append(Line2D([], [], linestyle="none", label=label))
    return handles


def labelled(bars: tuple[Bar, ...]) -> list[int]:
    """The bars that carry their value: the highest, the latest, and any with a mark that
    only a label shows (a lower bound, a low-reliability source)."""
    known = [i for i, b in enumerate(bars) if b.value is not None]
    if not known:
        return []
    highest = max(known, key=lambda i: bars[i].value or 0.0)
    marked = {i for i in known if bars[i].lower_bound or bars[i].low}
    return sorted({highest, known[-1], *marked})


@lru_cache(maxsize=128)
def monthly_png(series: MonthlySeries) -> bytes:
    """The monthly chart as PNG, drawn once per series."""
    with _ONE_AT_A_TIME:
        return layout.png(draw_monthly(series))


def draw_monthly(series: MonthlySeries) -> Figure:
    """Bars per month; derived bars lighter and hatched; missing months marked, not zero, and
    a month of zero marked 0 (exports stopped), not left blank."""
    figure = layout.new_figure()
    axes = figure.add_subplot()
    positions = range(len(series.bars))
    drawn = axes.bar(
        positions,
        [b.value or 0.0 for b in series.bars],
        color=[DERIVED if b.derived else REPORTED for b in series.bars],
        edgecolor="white",
        width=0.8,
    )
    for bar, data in zip(drawn, series.bars, strict=True):
        bar.set_hatch("//" if data.derived else "")
        bar.set_visible(data.value is not None)
    top = max((b.value for b in series.bars if b.value is not None), default=1.0)
    missing = tr(series.language, "n/a")
    for x, data in enumerate(series.bars):
        if data.value is None:
            axes.text(
                x, top * 0.02, missing, ha="center", va="bottom", rotation=90,
                fontsize=layout.FOOTER_PT, color=MISSING,
            )  # fmt: skip
        elif data.value == 0 and x not in labelled(series.bars):  # a real zero: exports stopped
            axes.text(
                x, 0, "0", ha="center", va="bottom", fontsize=layout.FOOTER_PT, color=layout.INK
            )
    labels = [_value_label(axes, i, series.bars[i]) for i in labelled(series.bars)]
    step = -(-len(series.bars) // 12)  # at most twelve month labels: readable on a phone
    ticks = [x for x in positions if (len(series.bars) - 1 - x) % step == 0]
    labels_of = [series.bars[x].label for x in ticks]
    if series.language != "en":  # a Chinese year (2025年) is wide: said when it changes
        labels_of = _years_once(labels_of)
    axes.set_xticks(ticks, labels_of, fontsize=layout.BODY_PT)
    axes.set_xlim(-0.6, len(series.bars) - 0.4)
    axes.set_ylim(0, top * 1.15)
    _style(axes, "y")
    unit = axes.set_ylabel(series.unit, fontsize=layout.BODY_PT, color=layout.MUTED)
    if series.language != "en":  # 吨, 千克: Chinese is read upright
        unit.set(rotation=0, horizontalalignment="right")
    layout.header_and_footer(
        figure,
        series.title,
        series.subtitle,
        _handles(legend_keys(series.bars), series.language),
        footer(series.sources, series.language),
    )
    layout.fit_axes(figure, axes)
    if layout.separate(figure, labels):
        layout.fit_axes(figure, axes)
    return figure


def _years_once(labels: list[str]) -> list[str]:
    """Month labels (``6月`` over ``2025年``) with the year under the first and where it
    changes only; not under the first when the next label says the next year (the two would
    touch: a tick is about 80 pixels from the next, a Chinese year 108 wide)."""
    split = [label.partition("\n") for label in labels]
    years = [year for _month, _, year in split]
    shown = []
    for i, (month, _, year) in enumerate(split):
        said = i == 0 or year != years[i - 1]
        if i == 0 and len(years) > 1 and years[1] != year:
            said = False
        shown.append(f"{month}\n{year}" if said else month)
    return shown


def _value_label(axes: Axes, x: int, bar: Bar) -> Annotation:
    label = axes.annotate(
        bar.value_label,
        (x, bar.value or 0.0),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=layout.BODY_PT,
        fontweight="bold",
        color=layout.INK,
    )
    label.set_gid("value")
    return label


@lru_cache(maxsize=64)
def ranking_png(series: RankingSeries) -> bytes:
    """The ranking chart as PNG, drawn once per series."""
    with _ONE_AT_A_TIME:
        return layout.png(draw_ranking(series))


def draw_ranking(series: RankingSeries) -> Figure:
    """Horizontal bars, largest on top, each labelled with its quantity (in the series' unit)
    and share of China's total (the total is in the subtitle)."""
    figure = layout.new_figure()
    axes = figure.add_subplot()
    bars = list(reversed(series.bars))
    drawn = axes.barh(
        range(len(bars)),
        [b.value or 0.0 for b in bars],
        color=[DERIVED if b.derived else REPORTED for b in bars],
        edgecolor="white",
        height=0.75,
    )
    world = series.world.value if series.world else None
    for bar, data in zip(drawn, bars, strict=True):
        bar.set_hatch("//" if data.derived else "")
        width = data.value or 0.0
        more = LOWER_MARK if data.lower_bound else ""  # a lower bound's share is one too
        share = (
            tr(series.language, " ({share})", share=f"{width / world:.0%}{more}") if world else ""
        )
        label = axes.text(
            width, bar.get_y() + bar.get_height() / 2, f" {data.value_label} {series.unit}{share}",
            va="center", fontsize=layout.BODY_PT, color=layout.INK,
        )  # fmt: skip
        label.set_gid("value")
    axes.set_yticks(range(len(bars)), [b.label for b in bars], fontsize=layout.BODY_PT)
    widest = max((b.value or 0.0 for b in bars), default=1.0)
    axes.set_xlim(0, widest * 1.02)
    axes.set_ylim(len(bars) - 0.4 - max(len(bars), 5), len(bars) - 0.4)  # no fat bars
    _style(axes, "x")
    axes.xaxis.set_visible(False)  # every bar carries its value
    axes.spines["bottom"].set_visible(False)
    axes.spines["left"].set_bounds(-0.5, len(bars) - 0.5)
    layout.header_and_footer(
        figure,
        series.title,
        series.subtitle,
        _handles(legend_keys(series.bars), series.language),
        footer(series.sources, series.language),
    )
    layout.fit_axes(figure, axes)
    return figure


def _style(axes: Axes, value_axis: Literal["x", "y"]) -> None:
    """Light grid on the value axis, thousands separators, no box."""
    from matplotlib.ticker import MaxNLocator

    axis = axes.yaxis if value_axis == "y" else axes.xaxis
    axis.set_major_formatter(_thousands())
    axis.set_major_locator(MaxNLocator(nbins=4))
    axes.tick_params(labelsize=layout.BODY_PT, colors=layout.MUTED, labelcolor=layout.INK)
    axes.grid(axis=value_axis, color="#e5e5e5")
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)


def _thousands() -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{value:,.0f}")
