"""The monthly summary's content: China's month, its partners, the movers and the year so far.

Pure Python over :class:`bot.metrics.Metrics`; :mod:`bot.render.summary` turns it into text.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.notes import EditorNote
from bot.figures import Total
from bot.metrics import EU, WORLD, Metrics, MonthMetrics, is_country
from bot.reading.periods import Period


@dataclass(frozen=True)
class SummaryAnswer:
    period: Period
    world: MonthMetrics
    partners: tuple[MonthMetrics, ...]
    movers: tuple[MonthMetrics, ...]
    cumulative: Total
    cumulative_prev: Total
    note: EditorNote | None


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
    movers = tuple(
        sorted(
            (m for m in partners if m.mom and m.mom.pct is not None and is_country(m.partner)),
            key=lambda m: -abs(m.mom.pct or 0) if m.mom else 0,
        )[:3]
    )
    cumulative = world.ytd
    previous = metrics.total(WORLD, cumulative.period.year_earlier())
    return SummaryAnswer(period, world, partners, movers, cumulative, previous, note)
