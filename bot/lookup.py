"""The service between a parsed question and the metrics: which partner, which period,
and what answer (or what problem) follows. Pure Python; the renderer turns results into text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar, cast

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.translations import NO_TRANSLATIONS, Translations
from bot.datastore import Snapshot
from bot.figures import Sourced, Total
from bot.i18n import Named, Said, both, in_quotes, said
from bot.metrics import WORLD, MonthMetrics, SpanMetrics, is_country
from bot.period_choice import (
    MIN_RANKED,
    PeriodChoice,
    broad_month,
    command_for,
    nearest_spans,
    span_parts,
    spans_of,
)
from bot.period_choice import (
    PeriodProblem as PeriodProblem,
)
from bot.period_choice import (
    Resolved as Resolved,
)
from bot.period_choice import (
    SpanParts as SpanParts,
)
from bot.ranking import MAX_TOP, CountProblem, TopAnswer, known_months, rank
from bot.reading.grammar import Reading, read
from bot.reading.misreadings import Misreading
from bot.reading.partners import Ambiguous, Found, NotFound, Partner, partner, suggestions
from bot.reading.periods import Period
from bot.reading.query import (
    Latest,
    PeriodSpec,
    Query,
    resolve_partner_text,
)
from bot.summaries import SummaryAnswer, build_summary

DEFAULT_TOP = 10
#: Answers remembered per snapshot before the memo starts again.
MEMO_SIZE = 4096
T = TypeVar("T")


@dataclass(frozen=True)
class PartnerProblem:
    problem: Ambiguous | NotFound
    #: The question asked again with a partner, ``{}`` where its code goes (``/exports
    #: gallium {} 2025-10``), so a suggestion keeps the material and period; empty:
    #: ``/exports {}``.
    ask_again: str = ""

    def command(self, code: str) -> str:
        """The command that asks the question again for the partner ``code``."""
        return (self.ask_again or "/exports {}").replace("{}", code)


@dataclass(frozen=True)
class NoFigure:
    """The partner has no figure for the month; the nearest months that have one."""

    partner: Partner
    period: Period
    before: Period | None
    after: Period | None
    partner_has_data: bool
    series: str = CUSTOMS_SERIES
    #: China's total has a figure for the period (the sources give no split by partner).
    total: bool = False
    #: The partner's spans with a figure nearest the period (tungsten's Jan–Nov 2025).
    spans: tuple[Period, ...] = ()
    #: A partner asked: China's total has a figure for the period.
    world: bool = False


@dataclass(frozen=True)
class MonthAnswer:
    partner: Partner
    metrics: MonthMetrics
    series: str = CUSTOMS_SERIES
    #: When this month has few partners: the latest month with broad coverage.
    broad: Period | None = None
    #: The Chinese texts of the figures' notes and derivations (the snapshot's).
    translations: Translations = NO_TRANSLATIONS


@dataclass(frozen=True)
class SpanAnswer:
    partner: Partner
    metrics: SpanMetrics
    series: str = CUSTOMS_SERIES
    parts: SpanParts | None = None
    #: The Chinese texts of the figures' notes and derivations (the snapshot's).
    translations: Translations = NO_TRANSLATIONS


@dataclass(frozen=True)
class NotUnderstood:
    """A plain message in which neither a partner nor a period could be found."""

    text: str


Problem = PartnerProblem | PeriodProblem
ExportsAnswer = MonthAnswer | SpanAnswer | NoFigure | Problem


@dataclass(frozen=True)
class CompareAnswer:
    """Several partners side by side, one period, the same metrics."""

    period: Period
    partners: tuple[Partner, ...]
    rows: tuple[MonthMetrics | SpanMetrics, ...]
    series: str = CUSTOMS_SERIES
    #: For a span whose total is not known: the sum of its known months (a lower bound).
    lower: tuple[Sourced | None, ...] = ()


class NoSeries(Exception):
    """The series asked for has no data yet (no Comtrade file imported)."""


class Lookup:
    """Answers questions from one data snapshot and series; ``today`` decides what is in the
    future. China's 85051110 is the default; UN Comtrade's HS 850511 is never mixed in."""

    def __init__(
        self, snapshot: Snapshot, today: Callable[[], date], series: str = CUSTOMS_SERIES
    ) -> None:
        metrics = snapshot.series_metrics(series)
        if metrics is None:
            raise NoSeries(series)
        self.snapshot = snapshot
        self.metrics = metrics
        self.series = series
        #: The series' description: names, unit, release timing.
        self.info = metrics.info
        self.today = today
        self.periods = PeriodChoice(metrics, today)
        #: Answers already given from this snapshot (see :func:`bot.conversation.ask`).
        self.memo: dict[Hashable, object] = {}

    # -- shared steps ----------------------------------------------------------------------

    def partner_of(self, query: Query) -> Partner | PartnerProblem:
        if not query.has_partner:
            return partner(WORLD)
        found = resolve_partner_text(query.partner_text)
        return found.partner if isinstance(found, Found) else PartnerProblem(found)

    def resolve(
        self, spec: PeriodSpec, partner_code: str = WORLD, previous: Period | None = None
    ) -> Resolved | PeriodProblem:
        """The period ``spec`` names, with a note when a choice was made. With no period, a
        partner that has no monthly figure (tungsten's yearly totals) gets its latest span."""
        if isinstance(spec, Latest) and self.metrics.latest_month(partner_code) is None:
            span = self.latest_span(partner_code)
            if span is not None:
                note = said("no period given, and no month has a figure: the latest")
                return Resolved(span, note)
        return self.periods.resolve(spec, partner_code, previous)

    def latest_span(self, code: str) -> Period | None:
        """The span with a figure for ``code`` that ends last (the longer one on a tie)."""

        def latest() -> Period | None:
            periods = map(Period.parse_code, self.metrics.resolved.periods(self.metrics.unit))
            have = [p for p in periods if not p.is_month and self.metrics.figure(code, p)]
            return max(have, key=lambda p: (p.year, p.last_month, -p.first_month), default=None)

        return self.remember(("latest_span", code), latest)

    def problem(self, message: Said | Misreading | str) -> PeriodProblem:
        """A problem with the question, said with the data's coverage."""
        return self.periods.problem(message)

    def period_of(self, spec: PeriodSpec, partner_code: str = WORLD) -> Period | PeriodProblem:
        """The period ``spec`` names for this partner (see :meth:`resolve`)."""
        found = self.resolve(spec, partner_code)
        return found.period if isinstance(found, Resolved) else found

    def summary_month(self, text: str) -> Period | PeriodProblem:
        """The month named by ``text`` for a summary (no partner allowed), or the latest."""
        reading = read(text)
        if reading.period_error:
            return self.problem(reading.period_error)
        stray = [p.text for p in reading.partners] + list(reading.unknown)
        if stray:
            return self.problem(
                said("I couldn't read “{words}” as a month.", words=" ".join(stray))
            )
        found = self.resolve(reading.period)
        if not isinstance(found, Resolved):
            return found
        return self.only_month(found.period)

    def only_month(self, period: Period) -> Period | PeriodProblem:
        """``period`` when it is a month a summary can be of; else why not."""
        if not self.metrics.partners():  # published only as totals of spans (tungsten)
            latest = spans_of(self.metrics, WORLD)[-1]
            return self.problem(
                said(
                    "Summaries are monthly, and {material} is published only as yearly and "
                    "year-to-date totals, not month by month. Its latest total: {command}",
                    material=Named(self.info.name, self.info.name_zh),
                    command=command_for(self.metrics, WORLD, latest),
                )
            )
        if not period.is_month:
            last = self.metrics.coverage.last_month
            example = min(Period.month(period.year, period.last_month), last).code
            return self.problem(
                said(
                    "Summaries are monthly; {period} is a span. Try {example}.",
                    period=period,
                    example=example,
                )
            )
        return period

    def partners_of(self, reading: Reading) -> tuple[Partner, ...] | PartnerProblem:
        """The partners a reading names (none when it names none)."""
        found = []
        for words in reading.partners:
            if not isinstance(words.result, Found):
                return PartnerProblem(words.result)
            found.append(words.result.partner)
        said_more = reading.has_period or reading.intents
        if not found and reading.unknown and not said_more:  # the unknown words were a name
            name = " ".join(reading.unknown)
            return PartnerProblem(NotFound(name, suggestions(name)))
        return tuple(dict.fromkeys(found))

    # -- answers ---------------------------------------------------------------------------

    def exports(self, text: str) -> ExportsAnswer:
        """The ``/exports`` answer for one partner (the buttons, /sources and the CLI)."""
        reading = read(text)
        who = self.partners_of(reading)
        if isinstance(who, PartnerProblem):
            return who
        if reading.unknown:
            words = tuple(in_quotes(word) for word in reading.unknown)
            return self.problem(
                said("I did not understand {words}; ask with /exports first.", words=words)
            )
        if reading.direction in ("imports", "to_china"):
            return self.problem(
                said("I did not understand the direction of trade; ask with /exports first.")
            )
        if len(who) > 1:
            return self.problem(
                said("This answer is for one partner; {names} are several.", names=both(who))
            )
        if reading.period_error:
            return self.problem(reading.period_error)
        one = who[0] if who else partner(WORLD)
        found = self.resolve(reading.period, one.code)
        if not isinstance(found, Resolved):
            return found
        return self.exports_for(one, found.period)

    def remember(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, remembered under ``key`` for this snapshot (answers are pure for one
        snapshot and day, so ``key`` holds what the answer depends on, the day included).
        At :data:`MEMO_SIZE` answers the memo starts again."""
        if key in self.memo:
            return cast(T, self.memo[key])
        if len(self.memo) >= MEMO_SIZE:
            self.memo.clear()
        found = self.memo[key] = make()
        return found

    def exports_of(self, code: str, spec: PeriodSpec) -> ExportsAnswer:
        """The ``/exports`` answer for a partner known by its code (a button's), with no
        words to read."""

        def answer() -> ExportsAnswer:
            found = self.resolve(spec, code)
            return (
                self.exports_for(partner(code), found.period)
                if isinstance(found, Resolved)
                else found
            )

        return self.remember(("exports_of", code, spec, self.today()), answer)

    def exports_for(self, who: Partner, period: Period) -> MonthAnswer | SpanAnswer | NoFigure:
        """The figures for ``who`` and ``period``, however the question named them
        (remembered per snapshot: many questions name the same partner and period)."""
        key = ("exports", who, period, self.today())  # months not yet due depend on the day
        return self.remember(key, lambda: self._exports_for(who, period))

    def _exports_for(self, who: Partner, period: Period) -> MonthAnswer | SpanAnswer | NoFigure:
        if not period.is_month:
            span = self.metrics.span(who.code, period)
            if span.total.value is None and not self.metrics.months_with_data(who.code):
                has_data = self.latest_span(who.code) is not None
                return self.no_figure(who, period, None, None, has_data)
            parts = self.span_parts(who.code, span.total)
            return SpanAnswer(who, span, self.series, parts, self.snapshot.translations)
        result = self.metrics.month(who.code, period)
        if result.tonnes is None:
            before, after = self.metrics.nearest_months(who.code, period)
            has_data = bool(before or after) or self.latest_span(who.code) is not None
            return self.no_figure(who, period, before, after, has_data)
        broad = self.broad_month(period)
        return MonthAnswer(who, result, self.series, broad, self.snapshot.translations)

    def no_figure(
        self, who: Partner, period: Period, before: Period | None, after: Period | None, has: bool
    ) -> NoFigure:
        """No figure for ``who`` in ``period``: the nearest months and spans it has, and
        whether China's total has one (alone, or besides the countries')."""
        country = who.code != WORLD
        total = country and self.only_total(period)
        world = country and self.metrics.total(WORLD, period).value is not None
        spans = nearest_spans(self.metrics, who.code, period, before, after)
        return NoFigure(who, period, before, after, has, self.series, total, spans, world)

    def only_total(self, period: Period) -> bool:
        """Whether the sources give China's total for ``period`` but no country's figure."""
        if period.is_month:
            return self.metrics.figure(WORLD, period) is not None and not self.metrics.ranking(
                period
            )
        if self.metrics.total(WORLD, period).value is None:
            return False
        countries = (c for c in self.metrics.partners() if c != WORLD and is_country(c))
        return not any(self.metrics.total(c, period).value is not None for c in countries)

    def span_parts(self, code: str, total: Total) -> SpanParts | None:
        """The known parts of a span with months missing (``None`` when none is missing)."""
        return span_parts(self.metrics, code, total, self.today())

    def broad_month(self, month: Period) -> Period | None:
        """The latest month with broad coverage, when ``month`` has few partners."""
        if len(self.metrics.ranking(month)) >= MIN_RANKED:
            return None
        return broad_month(self.metrics)

    def top_for(
        self, period: Period, count: int | None = None
    ) -> TopAnswer | Problem | CountProblem:
        """Partners ranked for ``period`` (see :func:`bot.ranking.rank`): every partner is
        ranked once per snapshot and period, and each count is the top of that ranking."""
        count = DEFAULT_TOP if count is None else count
        if not 1 <= count <= MAX_TOP:
            return CountProblem(count)

        def ranking() -> TopAnswer | CountProblem:
            broad = self.broad_month(period) if period.is_month else None
            return rank(self.metrics, period, MAX_TOP, broad)

        full = self.remember(("top", period), ranking)
        return replace(full, rows=full.rows[:count]) if isinstance(full, TopAnswer) else full

    def summary(self, text: str) -> SummaryAnswer | NoFigure | Problem:
        """The monthly news summary for ``text`` (a month, or the latest)."""
        period = self.summary_month(text)
        if not isinstance(period, Period):
            return period
        return self.summary_for(period)

    def summary_for(self, period: Period) -> SummaryAnswer | NoFigure | Problem:
        """The summary of ``period`` (every partner's month: remembered per snapshot)."""
        return self.remember(("summary", period), lambda: self._summary_for(period))

    def _summary_for(self, period: Period) -> SummaryAnswer | NoFigure | Problem:
        month = self.only_month(period)
        if not isinstance(month, Period):
            return month
        notes = self.snapshot.notes_of(self.series)
        answer = build_summary(self.metrics, month, notes.get(month))
        if answer is None:
            before, after = self.metrics.nearest_months(WORLD, month)
            return NoFigure(partner(WORLD), month, before, after, True, self.series)
        return answer

    def compare_for(self, partners: tuple[Partner, ...], period: Period) -> CompareAnswer:
        """The partners side by side for one period (remembered per snapshot)."""
        return self.remember(("compare", partners, period), lambda: self._compare(partners, period))

    def _compare(self, partners: tuple[Partner, ...], period: Period) -> CompareAnswer:
        if period.is_month:
            rows: tuple[MonthMetrics | SpanMetrics, ...] = tuple(
                self.metrics.month(p.code, period) for p in partners
            )
        else:
            rows = tuple(self.metrics.span(p.code, period) for p in partners)
        lower = tuple(
            known_months(self.metrics, p.code, period)
            if isinstance(m, SpanMetrics) and m.total.value is None
            else None
            for p, m in zip(partners, rows, strict=True)
        )
        return CompareAnswer(period, partners, rows, self.series, lower)

    def common_latest(self, partners: tuple[Partner, ...]) -> Resolved:
        """The latest month in which every partner has a figure (else China's latest)."""
        sets = [set(self.metrics.months_with_data(p.code)) for p in partners]
        common = set.intersection(*sets) if sets else set()
        if common:
            note = said("no period given: the latest month all have a figure")
            return Resolved(max(common), note)
        return Resolved(
            self.metrics.coverage.last_month,
            said("no period given, and no month has a figure for all of them: the latest month"),
        )
