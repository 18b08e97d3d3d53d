"""The monthly summary's content: China's month, its partners, the notable ones and the year
so far, each change with the percentage a source published where one did.

Pure Python over :class:`bot.metrics.Metrics`; :mod:`bot.render.summary` turns it into text.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.notes import EditorNote
from bot.figures import Change, Total
from bot.metrics import EU, WORLD, Metrics, MonthMetrics, is_country
from bot.reading.periods import Period

#: How many partners the lead paragraph names.
NOTABLE = 3


@dataclass(frozen=True)
class SummaryAnswer:
    """``partners``: every partner with a figure, largest first (the EU-27 too);
    ``notable``: the countries the lead names (published changes first, then the largest
    moves on the month before), largest move first; ``cumulative``: the half year or year to
    date, with the same span a year earlier and the change between them."""

    period: Period
    world: MonthMetrics
    partners: tuple[MonthMetrics, ...]
    notable: tuple[MonthMetrics, ...]
    cumulative: Total
    cumulative_prev: Total
    cumulative_change: Change | None
    note: EditorNote | None


def _notable(partners: tuple[MonthMetrics, ...]) -> tuple[MonthMetrics, ...]:
    """The countries whose change on the month before the sources highlighted (a published
    percentage), then the largest moves, ordered by the size of the move."""
    moved = [m for m in partners if m.mom and m.mom.pct is not None and is_country(m.partner)]

    def size(m: MonthMetrics) -> float:
        return abs(m.mom.pct or 0) if m.mom else 0.0

    picked = sorted(moved, key=lambda m: (m.mom is None or m.mom.published is None, -size(m)))
    return tuple(sorted(picked[:NOTABLE], key=lambda m: -size(m)))


def build_summary(
    metrics: Metrics, period: Period, note: EditorNote | None
) -> SummaryAnswer | None:
    """The summary of ``period``; ``None`` when China's total for it is not known."""
    world = metrics.month(WORLD, period)
    if world.tonnes is None:
        return None
    codes = [code for code, _ in metrics.ranking(period)]
    if metrics.figure(EU, period):
        codes.append(EU)
    partners = tuple(metrics.month(code, period) for code in codes)
    partners = tuple(sorted(partners, key=lambda m: -(m.tonnes.value if m.tonnes else 0)))
    cumulative = world.ytd
    previous = metrics.total(WORLD, cumulative.period.year_earlier())
    return SummaryAnswer(
        period, world, partners, _notable(partners), cumulative, previous, world.ytd_yoy, note
    )
