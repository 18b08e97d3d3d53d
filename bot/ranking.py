"""Partners ranked for a month or a span, and when a ranking is not one.

A month ranks the countries with a figure. A span (half, quarter, year, year to date) ranks
the countries whose total is known (published, or every month known); a country with only
some months known is listed with the sum of those months as a lower bound ("≥"), and when
such a lower bound already exceeds a known total the order is not certain, so no rank
numbers are given. Fewer than :data:`bot.period_choice.MIN_RANKED` countries are not ranked.
Values are quantities in the series' unit (tonnes or kg, never converted); the answer carries
the series' description (``TopAnswer.info``) for the renderer to name the material and unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo, project_catalog
from bot.figures import Sourced, Status
from bot.metrics import EU, WORLD, Metrics, is_country
from bot.period_choice import MIN_RANKED
from bot.reading.partners import Partner, partner
from bot.reading.periods import Period

MAX_TOP = 50
#: The note on a sum of the months known, which is a lower bound of a span's total.
KNOWN_MONTHS = "sum of the months known"
_TOO_FEW = "too few countries have {what} to rank them"
#: A country in a span's ranking: (its total or known months' sum, its code, its row if made).
Entry = tuple[float, str, "TopRow | None"]


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
    #: The series ranked (rare-earth magnets unless said): its material and unit.
    info: SeriesInfo = field(default_factory=lambda: project_catalog()[CUSTOMS_SERIES])

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
        ranking = metrics.ranking(period)  # countries, largest first
        rows = []
        for code, _ in ranking[:count]:  # only the rows shown are read
            tonnes, share = metrics.tonnes_and_share(code, period)
            if tonnes is not None:
                rows.append(TopRow(0, partner(code), tonnes, share))
        bloc = metrics.month(EU, period)
        blocs = (TopRow(0, partner(EU), bloc.tonnes, bloc.share_pct),) if bloc.tonnes else ()
        unranked = "" if len(ranking) >= MIN_RANKED else _TOO_FEW.format(what="a figure")
        numbered = [
            TopRow(0 if unranked else i + 1, row.partner, row.value, row.share_pct)
            for i, row in enumerate(rows)
        ]
        return TopAnswer(
            period, world, tuple(numbered), blocs, len(ranking), broad, unranked, metrics.info
        )
    world = metrics.total(WORLD, period).value
    known, partial = _span_rows(metrics, period, world)
    eu = metrics.span(EU, period)
    blocs = (TopRow(0, partner(EU), eu.total.value, eu.share_pct),) if eu.total.value else ()
    known.sort(key=lambda entry: (-entry[0], entry[1]))
    unranked = _why_unranked([value for value, _, _ in known], [v for v, _, _ in partial])
    listed = [(entry, 0 if unranked else i + 1, False) for i, entry in enumerate(known)]
    listed += [(entry, 0, True) for entry in partial]
    if unranked:  # no order to keep: everyone by what is known of them
        listed.sort(key=lambda item: (-item[0][0], item[0][1]))
    shown = tuple(
        _numbered(_made(metrics, period, world, entry, is_partial), number)
        for entry, number, is_partial in listed[:count]
    )
    return TopAnswer(period, world, shown, blocs, len(known), broad, unranked, metrics.info)


def _made(
    metrics: Metrics, period: Period, world: Sourced | None, entry: Entry, is_partial: bool
) -> TopRow:
    """An entry's row, made now if it was not made to find its value."""
    value, code, row = entry
    if row is None:
        row = (_partial_row if is_partial else _total_row)(metrics, code, period, world)
    assert row is not None and row.value.value == value
    return row


def _numbered(row: TopRow, number: int) -> TopRow:
    return TopRow(number, row.partner, row.value, row.share_pct, row.partial)


def _total_row(metrics: Metrics, code: str, period: Period, world: Sourced | None) -> TopRow:
    total = metrics.total(code, period).value
    assert total is not None
    share = total.value / world.value * 100 if world is not None and world.value else None
    return TopRow(0, partner(code), total, share)


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
) -> tuple[list[Entry], list[Entry]]:
    """Countries with a known span total, and those with only some months known, as
    (value, code, row): the row is made only when shown, unless a published total had to be
    weighed to find the value."""
    known: list[Entry] = []
    partial: list[Entry] = []
    for code in metrics.partners():
        if not is_country(code):
            continue
        values = metrics.month_values(code, period)
        if values is None:  # a published total: the rules decide
            total = metrics.total(code, period).value
            if total is not None:
                known.append((total.value, code, _total_row(metrics, code, period, world)))
            elif (row := _partial_row(metrics, code, period, world)) is not None:
                partial.append((row.value.value, code, row))
            continue
        figures = [value for value in values if value is not None]
        if len(figures) == len(values):
            known.append((sum(figures), code, None))
        elif figures:
            partial.append((sum(figures), code, None))
    return known, partial


def _partial_row(
    metrics: Metrics, code: str, period: Period, world: Sourced | None
) -> TopRow | None:
    lower = known_months(metrics, code, period)
    if lower is None:
        return None
    share = lower.value / world.value * 100 if world is not None and world.value else None
    size = (len(lower.figures), len(period.months()))
    return TopRow(0, partner(code), lower, share, size)


def _why_unranked(totals: list[float], partial: list[float]) -> str:
    lowest = min(totals, default=0.0)
    if any(value > lowest for value in partial):
        return (
            "some countries' known months already add up to more than other countries' "
            "totals, so the order is not certain"
        )
    if len(totals) < MIN_RANKED:
        return _TOO_FEW.format(what="a figure" if not partial else "a total")
    return ""
