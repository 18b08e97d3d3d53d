"""The service between a parsed question and the metrics: which partner, which period,
and what answer (or what problem) follows. Pure Python; the renderer turns results into text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.datastore import Snapshot
from bot.metrics import EU, WORLD, MonthMetrics, SpanMetrics
from bot.reading.partners import Ambiguous, Found, NotFound, Partner, partner
from bot.reading.periods import Period
from bot.reading.query import (
    Latest,
    MonthOnly,
    PeriodSpec,
    Query,
    parse_query,
    resolve_partner_text,
)
from bot.summaries import SummaryAnswer, build_summary

DEFAULT_TOP = 10
MAX_TOP = 25


@dataclass(frozen=True)
class PartnerProblem:
    problem: Ambiguous | NotFound


@dataclass(frozen=True)
class PeriodProblem:
    message: str
    first: Period
    last: Period


@dataclass(frozen=True)
class NoFigure:
    """The partner has no figure for the month; the nearest months that have one."""

    partner: Partner
    period: Period
    before: Period | None
    after: Period | None
    partner_has_data: bool
    series: str = CUSTOMS_SERIES


@dataclass(frozen=True)
class MonthAnswer:
    partner: Partner
    metrics: MonthMetrics
    series: str = CUSTOMS_SERIES


@dataclass(frozen=True)
class SpanAnswer:
    partner: Partner
    metrics: SpanMetrics
    series: str = CUSTOMS_SERIES


@dataclass(frozen=True)
class NotUnderstood:
    """A plain message in which neither a partner nor a period could be found."""

    text: str


Problem = PartnerProblem | PeriodProblem
ExportsAnswer = MonthAnswer | SpanAnswer | NoFigure | Problem


@dataclass(frozen=True)
class TopRow:
    rank: int
    partner: Partner
    metrics: MonthMetrics


@dataclass(frozen=True)
class TopAnswer:
    period: Period
    world: MonthMetrics
    rows: tuple[TopRow, ...]
    blocs: tuple[TopRow, ...]
    ranked: int

    @property
    def covered_pct(self) -> float | None:
        """Share of China's total that the ranked countries cover."""
        world = self.world.tonnes
        if world is None or not world.value:
            return None
        shown = sum(r.metrics.tonnes.value for r in self.rows if r.metrics.tonnes)
        return shown / world.value * 100


#: Words that, leading a question, ask for UN Comtrade's HS 850511 series.
COMTRADE_WORDS = frozenset({"comtrade", "hs6", "850511", "hs850511"})


def split_series(text: str) -> tuple[str, str]:
    """``"comtrade US 2025-06"`` → (the Comtrade series, ``"US 2025-06"``)."""
    first, _, rest = text.strip().partition(" ")
    if first.lower() in COMTRADE_WORDS:
        return COMTRADE_SERIES, rest.strip()
    return CUSTOMS_SERIES, text


class NoSeries(Exception):
    """The series asked for has no data yet (no Comtrade file imported)."""


class Lookup:
    """Answers questions from one data snapshot and series; ``today`` decides what is in the
    future. China's 85051110 is the default; UN Comtrade's HS 850511 is never mixed in."""

    def __init__(
        self, snapshot: Snapshot, today: Callable[[], date], series: str = CUSTOMS_SERIES
    ) -> None:
        metrics = snapshot.metrics if series == CUSTOMS_SERIES else snapshot.comtrade
        if metrics is None:
            raise NoSeries(series)
        self.snapshot = snapshot
        self.metrics = metrics
        self.series = series
        self.today = today

    # -- shared steps ----------------------------------------------------------------------

    def partner_of(self, query: Query) -> Partner | PartnerProblem:
        if not query.has_partner:
            return partner(WORLD)
        found = resolve_partner_text(query.partner_text)
        return found.partner if isinstance(found, Found) else PartnerProblem(found)

    def period_of(self, spec: PeriodSpec, partner_code: str = WORLD) -> Period | PeriodProblem:
        coverage = self.metrics.coverage
        first, last = coverage.first_month, coverage.last_month
        if isinstance(spec, Latest):
            latest = self.metrics.latest_month(partner_code) or self.metrics.latest_month(WORLD)
            return latest or last
        if isinstance(spec, MonthOnly):
            year = self.metrics.latest_year_of(spec.month, partner_code)
            if year is None:
                name = Period.month(2000, spec.month).label.split()[0]
                return self.problem(f"No year has a figure for {name}.")
            return Period.month(year, spec.month)
        today = self.today()
        if (spec.year, spec.first_month) > (today.year, today.month):
            return self.problem(f"{spec.label} is in the future.")
        if spec.year < first.year - 1 or spec.year > last.year + 1:
            return self.problem(f"{spec.label} is outside the data.")
        return spec

    def problem(self, message: str) -> PeriodProblem:

        coverage = self.metrics.coverage
        return PeriodProblem(message, coverage.first_month, coverage.last_month)

    def one_month(self, text: str, only_months: str) -> Period | PeriodProblem:
        """The month named by ``text`` (no partner allowed), or the latest."""
        query = parse_query(text)
        if query.period_error:
            return self.problem(query.period_error)
        if query.has_partner:
            return self.problem(f"I couldn't read “{query.partner_text}” as a month.")
        period = self.period_of(query.period)
        if isinstance(period, Period) and not period.is_month:
            example = self.metrics.coverage.last_month.code
            return self.problem(f"{only_months}; {period.label} is a span. Try {example}.")
        return period

    def _parse(self, text: str) -> tuple[Query, Partner, Period] | Problem:
        query = parse_query(text)
        found = self.partner_of(query)
        if isinstance(found, PartnerProblem):
            return found
        if query.period_error:
            return self.problem(query.period_error)
        period = self.period_of(query.period, found.code)
        if isinstance(period, PeriodProblem):
            return period
        return query, found, period

    # -- answers ---------------------------------------------------------------------------

    def exports(self, text: str) -> ExportsAnswer:
        """The answer to ``/exports`` arguments or a plain question."""
        parsed = self._parse(text)
        if not isinstance(parsed, tuple):
            return parsed
        _query, who, period = parsed
        if not period.is_month:
            return SpanAnswer(who, self.metrics.span(who.code, period), self.series)
        result = self.metrics.month(who.code, period)
        if result.tonnes is None:
            before, after = self.metrics.nearest_months(who.code, period)
            has_data = bool(self.metrics.months_with_data(who.code))
            return NoFigure(who, period, before, after, has_data, self.series)
        return MonthAnswer(who, result, self.series)

    def question(self, text: str) -> ExportsAnswer | NotUnderstood:
        """A plain question gets the ``/exports`` answer, unless nothing in it made sense."""
        answer = self.exports(text)
        query = parse_query(text)
        if (
            isinstance(answer, PartnerProblem)
            and isinstance(answer.problem, NotFound)
            and not answer.problem.suggestions
            and isinstance(query.period, Latest)
        ):
            return NotUnderstood(text)
        return answer

    def top(self, text: str) -> TopAnswer | Problem:
        """Partners ranked for a month; ``text`` is ``[period] [n]``."""
        count = DEFAULT_TOP
        match = re.search(r"(?:^|\s)(\d{1,2})\s*$", text)
        if match:
            count = max(1, min(MAX_TOP, int(match[1])))
            text = text[: match.start()]
        period = self.one_month(text, "/top ranks one month")
        if not isinstance(period, Period):
            return period
        ranking = self.metrics.ranking(period)
        rows = tuple(
            TopRow(i + 1, partner(code), self.metrics.month(code, period))
            for i, (code, _value) in enumerate(ranking[:count])
        )
        bloc = self.metrics.month(EU, period)
        blocs = (TopRow(0, partner(EU), bloc),) if bloc.tonnes else ()
        return TopAnswer(period, self.metrics.month(WORLD, period), rows, blocs, len(ranking))

    def summary(self, text: str) -> SummaryAnswer | NoFigure | Problem:
        """The monthly news summary for ``text`` (a month, or the latest)."""
        period = self.one_month(text, "Summaries are monthly")
        if not isinstance(period, Period):
            return period
        answer = build_summary(self.metrics, period, self.snapshot.notes.get(period))
        if answer is None:
            before, after = self.metrics.nearest_months(WORLD, period)
            return NoFigure(partner(WORLD), period, before, after, True)
        return answer
