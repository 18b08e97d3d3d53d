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
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlparse

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
from bot.render.format import DERIVED_MARK, LOW_MARK
from bot.render.material import exports_title

_ONE_AT_A_TIME = threading.Lock()  # held while a figure is drawn, from any thread
REPORTED, DERIVED, MISSING = "#1f5f99", "#8fb3d9", "#6b6b6b"
MAX_MONTHS = 36
#: The bars a ranking chart draws (readable on a phone); the rest are counted in its subtitle.
MAX_BARS = 15
LOWER_MARK = "+"
LEGEND = {
    "reported": "reported",
    "derived": f"{DERIVED_MARK} derived",
    "lower_bound": f"{LOWER_MARK} at least",
    "low": f"{LOW_MARK} low-reliability source",
    "missing": "n/a not published",
}


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
    #: The values' unit, on the value axis: ``t`` or ``kg``.
    unit: str = "t"


@dataclass(frozen=True)
class RankingSeries:
    title: str
    subtitle: str
    bars: tuple[Bar, ...]  # largest first, at most :data:`MAX_BARS`
    world: Bar | None  # China's total
    sources: tuple[str, ...]
    #: Partners with a figure that are not drawn (after the first :data:`MAX_BARS`).
    more: int = 0
    #: The values' unit, after each bar's value: ``t`` or ``kg``.
    unit: str = "t"


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


def monthly_series(metrics: Metrics, who: Partner, months: list[Period]) -> MonthlySeries:
    bars, sources = [], []
    for month in months[-MAX_MONTHS:]:
        resolved = metrics.figure(who.code, month)
        label = f"{month.short_label[:3]}\n{month.year % 100:02d}"
        if resolved is None:
            bars.append(Bar(label, None, False))
            continue
        bars.append(Bar.of(label, resolved.chosen))
        sources.append(resolved.chosen.source_url or resolved.chosen.source_title)
    info = metrics.info
    target = exports_title(info) if who.code == WORLD else f"China → {who.name}, {info.name}"
    first, last = months[-MAX_MONTHS:][0], months[-1]
    subtitle = f"Monthly, {first.short_label} to {last.short_label} ({info.unit})"
    return MonthlySeries(target, subtitle, tuple(bars), source_names(sources), info.unit_label)


def ranking_series(metrics: Metrics, month: Period, names: dict[str, str]) -> RankingSeries:
    """The partners of ``month``, largest first: the first :data:`MAX_BARS` drawn, the number
    of the others said in the subtitle. ``names`` has the drawn partners' names."""
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
    total = Bar.of("China", world.chosen) if world is not None else None
    info = metrics.info
    amount = f"{total.value_label} {info.unit_label}" if total else "n/a"
    more = len(ranking) - len(bars)
    top = f" · the top {len(bars)} of {len(ranking)} partners" if more else ""
    return RankingSeries(
        f"Who buys China's {info.name}",
        f"{month.label}, {info.unit} · China's total: {amount}{top}",
        tuple(bars),
        total,
        source_names(sources),
        more,
        info.unit_label,
    )


def top_series(answer: TopAnswer) -> RankingSeries:
    """A span's ranking as ``/top`` gives it (published span totals, and lower bounds from
    published parts and known months, marked ``+``), largest first: the first
    :data:`MAX_BARS` drawn, the number of the others said in the subtitle."""
    bars, sources = [], []
    for row in answer.rows[:MAX_BARS]:
        value = row.value
        lower = value.is_lower_bound or row.partial is not None
        derived, low = value.is_derived, value.is_low_reliability
        bars.append(Bar(row.partner.name, value.value, derived, value.decimals, lower, low))
        sources += [_source_of(f.chosen) for f in value.figures]
    world = answer.world
    total = None
    if world is not None:
        sources += [_source_of(f.chosen) for f in world.figures]
        derived, floor, low = world.is_derived, world.is_lower_bound, world.is_low_reliability
        total = Bar("China", world.value, derived, world.decimals, floor, low)
    info = answer.info
    amount = f"{total.value_label} {info.unit_label}" if total else "n/a"
    more = max(answer.countries - len(bars), 0)
    top = f" · the top {len(bars)} of {answer.countries} partners" if more else ""
    return RankingSeries(
        f"Who buys China's {info.name}",
        f"{answer.period.label}, {info.unit} · China's total: {amount}{top}",
        tuple(bars),
        total,
        source_names(sources),
        more,
        info.unit_label,
    )


def _source_of(figure: SourceFigure) -> str:
    return figure.source_url or figure.source_title


def footer(sources: tuple[str, ...]) -> str:
    names = ", ".join(sources[:6]) + (" and others" if len(sources) > 6 else "")
    return f"Sources: {names} · each figure's source: /sources"


def legend_keys(bars: tuple[Bar, ...]) -> list[str]:
    """The legend entries a chart of ``bars`` needs (keys of :data:`LEGEND`), in order."""
    used = {
        "reported": any(b.value is not None and not b.derived for b in bars),
        "derived": any(b.value is not None and b.derived for b in bars),
        "lower_bound": any(b.lower_bound for b in bars),
        "low": any(b.low for b in bars),
        "missing": any(b.value is None for b in bars),
    }
    keys = [key for key in LEGEND if used[key]]
    return [] if keys == ["reported"] else keys  # nothing to tell apart


def _handles(keys: list[str]) -> list[Artist]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = []
    for key in keys:
        if key == "reported":
            handles.append(Patch(facecolor=REPORTED, label=LEGEND[key]))
        elif key == "derived":
            handles.append(
                Patch(facecolor=DERIVED, hatch="//", edgecolor="white", label=LEGEND[key])
            )
        else:  # a mark in the labels, not a colour: no symbol
            handles.append(Line2D([], [], linestyle="none", label=LEGEND[key]))
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
    for x, data in enumerate(series.bars):
        if data.value is None:
            axes.text(
                x, top * 0.02, "n/a", ha="center", va="bottom", rotation=90,
                fontsize=layout.FOOTER_PT, color=MISSING,
            )  # fmt: skip
        elif data.value == 0 and x not in labelled(series.bars):  # a real zero: exports stopped
            axes.text(
                x, 0, "0", ha="center", va="bottom", fontsize=layout.FOOTER_PT, color=layout.INK
            )
    labels = [_value_label(axes, i, series.bars[i]) for i in labelled(series.bars)]
    step = -(-len(series.bars) // 12)  # at most twelve month labels: readable on a phone
    ticks = [x for x in positions if (len(series.bars) - 1 - x) % step == 0]
    axes.set_xticks(ticks, [series.bars[x].label for x in ticks], fontsize=layout.BODY_PT)
    axes.set_xlim(-0.6, len(series.bars) - 0.4)
    axes.set_ylim(0, top * 1.15)
    _style(axes, "y")
    axes.set_ylabel(series.unit, fontsize=layout.BODY_PT, color=layout.MUTED)
    layout.header_and_footer(
        figure,
        series.title,
        series.subtitle,
        _handles(legend_keys(series.bars)),
        footer(series.sources),
    )
    layout.fit_axes(figure, axes)
    if layout.separate(figure, labels):
        layout.fit_axes(figure, axes)
    return figure


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
        share = f" ({width / world:.0%}{more})" if world else ""
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
        _handles(legend_keys(series.bars)),
        footer(series.sources),
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
