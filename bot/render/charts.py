"""Charts as PNG: a partner's monthly tonnes, and the partners of one month.

The series are plain data (what is plotted is testable without looking at pixels). PNGs are
drawn with matplotlib's object API on the Agg backend (no pyplot, so it is safe in a worker
thread) and memoised on the series itself, so a chart is drawn once per query and data version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from bot.metrics import WORLD, Metrics
from bot.reading.partners import Partner
from bot.reading.periods import Period

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 6.25, 120  # 1200 x 750 px: sharp on a phone, small to send
REPORTED, DERIVED, MISSING = "#1f5f99", "#8fb3d9", "#9a9a9a"
MAX_MONTHS = 36


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: the sources give no figure (a gap, never zero)
    derived: bool


@dataclass(frozen=True)
class MonthlySeries:
    title: str
    subtitle: str
    bars: tuple[Bar, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RankingSeries:
    title: str
    subtitle: str
    bars: tuple[Bar, ...]  # largest first
    world: float | None
    sources: tuple[str, ...]


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
        bars.append(Bar(label, resolved.value, not resolved.chosen.is_reported))
        sources.append(resolved.chosen.source_url or resolved.chosen.source_title)
    target = "China's rare-earth magnet exports" if who.code == WORLD else f"China → {who.name}"
    first, last = months[-MAX_MONTHS:][0], months[-1]
    subtitle = f"Monthly, {first.short_label} to {last.short_label} (tonnes)"
    return MonthlySeries(target, subtitle, tuple(bars), source_names(sources))


def ranking_series(metrics: Metrics, month: Period, names: dict[str, str]) -> RankingSeries:
    bars, sources = [], []
    for code, value in metrics.ranking(month):
        resolved = metrics.figure(code, month)
        assert resolved is not None
        bars.append(Bar(names[code], value, not resolved.chosen.is_reported))
        sources.append(resolved.chosen.source_url or resolved.chosen.source_title)
    world = metrics.figure(WORLD, month)
    if world is not None:
        sources.append(world.chosen.source_url or world.chosen.source_title)
    return RankingSeries(
        "Who buys China's rare-earth magnets",
        f"{month.label}: countries with a published figure (tonnes)",
        tuple(bars),
        world.value if world else None,
        source_names(sources),
    )


def _figure() -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    figure.subplots_adjust(left=0.1, right=0.97, top=0.84, bottom=0.2)
    return figure


def _finish(figure: Figure, title: str, subtitle: str, sources: tuple[str, ...]) -> bytes:
    figure.suptitle(title, x=0.02, y=0.97, ha="left", fontsize=19, fontweight="bold")
    figure.text(0.02, 0.885, subtitle, ha="left", fontsize=13, color="#444444")
    footer = "Sources: " + ", ".join(sources[:6]) + (" and others" if len(sources) > 6 else "")
    figure.text(
        0.02, 0.015, footer + "  ·  ExportWatch, /sources for detail", fontsize=9, color="#555555"
    )
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@lru_cache(maxsize=128)
def monthly_png(series: MonthlySeries) -> bytes:
    """The monthly chart as PNG, drawn once per series."""
    figure = draw_monthly(series)
    return _finish(figure, series.title, series.subtitle, series.sources)


def draw_monthly(series: MonthlySeries) -> Figure:
    """Bars per month; derived bars lighter and hatched; missing months marked, not zero."""
    figure = _figure()

    axes = figure.add_subplot()
    positions = range(len(series.bars))
    values = [b.value or 0.0 for b in series.bars]
    colors = [DERIVED if b.derived else REPORTED for b in series.bars]
    hatches = ["//" if b.derived else "" for b in series.bars]
    bars = axes.bar(positions, values, color=colors, edgecolor="white", width=0.8)
    for bar, hatch, data in zip(bars, hatches, series.bars, strict=True):
        bar.set_hatch(hatch)
        if data.value is None:
            bar.set_visible(False)
    top = max((b.value for b in series.bars if b.value is not None), default=1.0)
    for x, data in enumerate(series.bars):
        if data.value is None:
            axes.text(
                x,
                top * 0.02,
                "n/a",
                ha="center",
                va="bottom",
                fontsize=9,
                color=MISSING,
                rotation=90,
            )
    step = 1 if len(series.bars) <= 14 else 3  # on a phone, every third month when many
    ticks = [x for x in positions if x % step == 0]
    axes.set_xticks(ticks, [series.bars[x].label for x in ticks], fontsize=12)

    axes.set_ylabel("tonnes", fontsize=13)
    axes.tick_params(axis="y", labelsize=12)
    axes.set_ylim(0, top * 1.12)
    axes.yaxis.set_major_formatter(_thousands())
    axes.grid(axis="y", color="#e5e5e5")
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    _legend(axes)
    return figure


@lru_cache(maxsize=64)
def ranking_png(series: RankingSeries) -> bytes:
    """Horizontal bars, largest on top, with China's total in the subtitle."""
    figure = _figure()
    figure.subplots_adjust(left=0.24, bottom=0.12)
    axes = figure.add_subplot()
    bars = list(reversed(series.bars))
    drawn = axes.barh(
        range(len(bars)),
        [b.value or 0.0 for b in bars],
        color=[DERIVED if b.derived else REPORTED for b in bars],
        edgecolor="white",
    )
    for bar, data in zip(drawn, bars, strict=True):
        bar.set_hatch("//" if data.derived else "")
        width = data.value or 0.0
        share = f"  {width:,.0f} t" + (f" ({width / series.world:.0%})" if series.world else "")
        axes.text(width, bar.get_y() + bar.get_height() / 2, share, va="center", fontsize=12)
    axes.set_yticks(range(len(bars)), [b.label for b in bars], fontsize=13)
    axes.set_xlabel("tonnes", fontsize=13)
    widest = max((b.value or 0.0 for b in bars), default=1.0)
    axes.set_xlim(0, widest * 1.35)
    axes.xaxis.set_major_formatter(_thousands())
    axes.spines[["top", "right"]].set_visible(False)
    _legend(axes)
    total = f"China's total: {series.world:,.0f} t" if series.world else "China's total: n/a"
    return _finish(figure, series.title, f"{series.subtitle}  ·  {total}", series.sources)


def _thousands() -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{value:,.0f}")


def _legend(axes: Axes) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=REPORTED, label="reported"),
        Patch(facecolor=DERIVED, hatch="//", edgecolor="white", label="≈ derived"),
    ]
    axes.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=2,
        fontsize=12,
        frameon=False,
    )
