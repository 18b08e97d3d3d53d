"""Partners ranked for a month or a span, and when a ranking is not one.

A month ranks the countries with a figure. A span (half, quarter, year, year to date) ranks
the countries whose total is known (published, or every month known); a country with only
some months known is listed with the sum of those months as a lower bound ("≥"), and when
such a lower bound already exceeds a known total the order is not certain, so no rank
numbers are given. Fewer than :data:`bot.period_choice.MIN_RANKED` countries are not ranked.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.figures import Sourced, Status
from bot.metrics import EU, WORLD, Metrics, is_country
from bot.period_choice import MIN_RANKED
from bot.reading.partners import Partner, partner
from bot.reading.periods import Period

MAX_TOP = 50
#: The note on a sum of the months known, which is a lower bound of a span's total.
KNOWN_MONTHS = "sum of the months known"


@dataclass(frozen=True)
class CountProblem:
    """``/top`` asked for a count outside 1 to :data:`MAX_TOP`."""

    count: int


@dataclass(frozen=True)
class TopRow:
    rank: int  # 0: not ranked
    partner: Partner
    value: Sourced
    share_pct: float | None
    #: For a span total that is not known: (months known, months in the span).
    partial: tuple[int, int] | None = None


@dataclass(frozen=True)
class TopAnswer:
    period: Period
    world: Sourced | None
    rows: tuple[TopRow, ...]
    blocs: tuple[TopRow, ...]
    ranked: int
    #: When the month has few partners: the latest month with broad coverage.
    broad: Period | None = None
    #: Why the rows carry no rank numbers ("" when they do).
    unranked: str = ""

    @property
    def covered_pct(self) -> float | None:
        """Share of China's total that the listed countries cover (at least)."""
        if self.world is None or not self.world.value:
            return None
        return sum(r.value.value for r in self.rows) / self.world.value * 100


def rank(
    metrics: Metrics, period: Period, count: int, broad: Period | None = None
) -> TopAnswer | CountProblem:
    """The top ``count`` partners for ``period``."""
    if not 1 <= count <= MAX_TOP:
        return CountProblem(count)
    if period.is_month:
        world = metrics.month(WORLD, period).tonnes
        rows = []
        for code, _ in metrics.ranking(period):  # the ranked countries, each read, not worked out
            tonnes, share = metrics.tonnes_and_share(code, period)
            if tonnes is not None:
                rows.append(TopRow(0, partner(code), tonnes, share))
        bloc = metrics.month(EU, period)
        blocs = (TopRow(0, partner(EU), bloc.tonnes, bloc.share_pct),) if bloc.tonnes else ()
        partial: list[TopRow] = []
    else:
        world = metrics.total(WORLD, period).value
        rows, partial = _span_rows(metrics, period, world)
        eu = metrics.span(EU, period)
        blocs = (TopRow(0, partner(EU), eu.total.value, eu.share_pct),) if eu.total.value else ()
    rows.sort(key=lambda row: (-row.value.value, row.partner.code))
    unranked = _why_unranked(rows, partial)
    numbered = [
        TopRow(0 if unranked else i + 1, row.partner, row.value, row.share_pct)
        for i, row in enumerate(rows)
    ]
    listed = numbered + partial
    if unranked:  # no order to keep: everyone by what is known of them
        listed.sort(key=lambda row: (-row.value.value, row.partner.code))
    shown = tuple(listed[:count])
    return TopAnswer(period, world, shown, blocs, len(rows), broad, unranked)


def known_months(metrics: Metrics, code: str, period: Period) -> Sourced | None:
    """The sum of the months of ``period`` that have a figure: a lower bound of its total."""
    months = [r for m in period.months() if (r := metrics.figure(code, m)) is not None]
    if not months:
        return None
    status: Status = "reported" if all(r.chosen.is_reported for r in months) else "derived"
    value = sum(r.value for r in months)
    role = f"Known months of {period.label}"
    return Sourced(role, code, period, value, status, tuple(months), note=KNOWN_MONTHS)


def _span_rows(
    metrics: Metrics, period: Period, world: Sourced | None
) -> tuple[list[TopRow], list[TopRow]]:
    """Countries with a known span total, and those with only some months known."""
    known, partial = [], []
    for code in metrics.partners():
        if not is_country(code):
            continue
        total = metrics.total(code, period).value  # the total alone, not the whole span
        if total is not None:
            share = total.value / world.value * 100 if world is not None and world.value else None
            known.append(TopRow(0, partner(code), total, share))
            continue
        lower = known_months(metrics, code, period)
        if lower is None:
            continue
        share = lower.value / world.value * 100 if world is not None and world.value else None
        size = (len(lower.figures), len(period.months()))
        partial.append(TopRow(0, partner(code), lower, share, size))
    return known, partial


def _why_unranked(rows: list[TopRow], partial: list[TopRow]) -> str:
    lowest = min((row.value.value for row in rows), default=0.0)
    if any(row.value.value > lowest for row in partial):
        return (
            "some countries' known months already add up to more than other countries' "
            "totals, so the order is not certain"
        )
    if len(rows) < MIN_RANKED:
        what = "a figure" if not partial else "a total"
        return f"too few countries have {what} to rank them"
    return ""
