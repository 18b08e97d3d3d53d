"""Which period a question's words name in this data: the year a bare "Q3" or "May" gets,
"last month" as a date, the month before a previous question's, and the one message for a
period outside the data. Each choice the words did not make comes back as a note, so the
answer can say it.

And what the data has around a period: a partner's spans, the nearest ones, the known
parts of a span whose total is not known, and which months after the data are due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from weakref import WeakKeyDictionary

from bot.data.dataset import CUSTOMS_SERIES
from bot.figures import Total
from bot.i18n import MonthName, Said, Words, said
from bot.metrics import WORLD, Metrics, MonthMetrics
from bot.reading.misreadings import Misreading
from bot.reading.partners import partner
from bot.reading.period_grammar import Latest, MonthOnly, PeriodSpec, Relative, Unanchored
from bot.reading.periods import Kind, Period

#: A rank among fewer countries than this is not a rank.
MIN_RANKED = 3


@dataclass(frozen=True)
class PeriodProblem:
    #: What is wrong, put in the reader's language when rendered: a message, what the
    #: reader's grammar could not read (worded by ``bot.render.misreadings``), or a text
    #: already in the reader's language (a chart's, made where the language is known).
    message: Said | Misreading | str
    first: Period
    last: Period
    #: For a series with no monthly figures (tungsten): the spans it has, said instead of
    #: the months from ``first`` to ``last``.
    spans: tuple[Period, ...] = ()


@dataclass(frozen=True)
class Resolved:
    """A period and, when the words left a choice, how it was made."""

    period: Period
    note: Said | None = None


#: How many years back a relative year is.
YEARS_BACK = {"this_year": 0, "last_year": 1, "year_before_last": 2}


@lru_cache(maxsize=8)
def first_period(metrics: Metrics) -> Period:
    """The earliest period any quantity figure covers (a year total may predate the months)."""
    periods = [Period.parse_code(code) for code in metrics.resolved.periods(metrics.unit)]
    return min(periods, key=lambda p: (p.year, p.first_month))


@lru_cache(maxsize=8)
def last_month(metrics: Metrics) -> Period:
    """The last month any quantity figure covers: the monthly figures' last month, or a
    later span's (rare earths' Jan–Feb 2026 after December 2025)."""
    periods = [Period.parse_code(code) for code in metrics.resolved.periods(metrics.unit)]
    last = max(periods, key=lambda p: (p.year, p.last_month))
    return max(metrics.coverage.last_month, Period.month(last.year, last.last_month))


#: Each metrics' spans by partner, kept as long as the metrics are (a reload drops them).
_SPANS: WeakKeyDictionary[Metrics, dict[str, tuple[Period, ...]]] = WeakKeyDictionary()


def spans_of(metrics: Metrics, code: str) -> tuple[Period, ...]:
    """The spans (years, halves, quarters, years to date) ``code`` has a quantity figure
    for, in time order."""
    known = _SPANS.setdefault(metrics, {})
    if code not in known:
        periods = map(Period.parse_code, metrics.resolved.periods(metrics.unit))
        found = [p for p in periods if not p.is_month and metrics.figure(code, p) is not None]
        known[code] = tuple(sorted(found, key=lambda p: (p.year, p.last_month, p.first_month)))
    return known[code]


def overlaps(a: Period, b: Period) -> bool:
    """Whether two periods share a month."""
    return a.year == b.year and a.first_month <= b.last_month and b.first_month <= a.last_month


def nearest_spans(
    metrics: Metrics, code: str, period: Period, before: Period | None, after: Period | None
) -> tuple[Period, ...]:
    """The spans with a figure for ``code`` nearest to ``period``: those that share a month
    with it, the last one before it and the first one after it, each only when it is nearer
    than the month with a figure on that side (``before``, ``after``)."""
    spans = [s for s in spans_of(metrics, code) if s != period]
    start, end = period.months()[0], period.months()[-1]
    inside = [s for s in spans if overlaps(s, period)]
    earlier = [
        s for s in spans if s.months()[-1] < start and (before is None or s.months()[-1] > before)
    ]
    later = [s for s in spans if s.months()[0] > end and (after is None or s.months()[0] < after)]
    chosen = [*earlier[-1:], *inside[:3], *later[:1]]
    return tuple(sorted(chosen, key=lambda p: (p.year, p.last_month, p.first_month)))


def command_for(metrics: Metrics, code: str, period: Period) -> str:
    """``/exports graphite US 2024-YTD02``: the command that asks for ``period``."""
    info = metrics.info
    word = "" if info.key == CUSTOMS_SERIES else info.key.replace("_", "-")
    command = "/comtrade" if info.reference else " ".join(w for w in ("/exports", word) if w)
    return " ".join(w for w in (command, "" if code == WORLD else code, period.code) if w)


def _before(period: Period) -> Period | None:
    """The month before a month; the quarter, half or year before a span."""
    if period.is_month:
        return period.previous()
    if period.kind in ("quarter", "half"):
        months = period.last_month - period.first_month + 1
        first = period.first_month - months
        year = period.year if first >= 1 else period.year - 1
        first = first if first >= 1 else first + 12
        return Period(year, first, first + months - 1, period.kind)
    if period.kind == "year":
        return period.year_earlier()
    return None


@lru_cache(maxsize=8)
def broad_month(metrics: Metrics) -> Period | None:
    """The latest month in which at least half as many countries have a figure as in the
    best-covered month (and at least :data:`MIN_RANKED`)."""
    counts = {m: len(metrics.ranking(m)) for m in metrics.months_with_data(WORLD)}
    if not counts:
        return None
    needed = max(MIN_RANKED, -(-max(counts.values()) // 2))
    broad = [m for m, n in counts.items() if n >= needed]
    return max(broad) if broad else None


@dataclass(frozen=True)
class SpanParts:
    """What is known inside a span whose total is not: the months that have a figure, the
    months missing, the published totals of parts of it, and spans near it that have one."""

    months: tuple[MonthMetrics, ...]
    missing: tuple[Period, ...]
    partials: tuple[Total, ...]
    nearest: tuple[Period, ...]
    #: Months after the data's last month, due by today: not in the data yet.
    later: tuple[Period, ...] = ()
    #: Months after the data's last month not due yet: not published yet.
    unpublished: tuple[Period, ...] = ()


def _months_kind(period: Period) -> tuple[int, int, Kind]:
    return period.first_month, period.last_month, period.kind


def _parts_of(span: Period) -> list[Period]:
    """The halves, quarters and year-to-date spans that lie inside ``span``."""
    year = span.year
    candidates = [Period.parse_code(f"{year}-H{h}") for h in (1, 2)]
    candidates += [Period.parse_code(f"{year}-Q{q}") for q in (1, 2, 3, 4)]
    candidates += [Period(year, 1, last, "ytd") for last in (2, 4, 5, 7, 8, 9, 10, 11)]
    inside = [
        p
        for p in candidates
        if span.first_month <= p.first_month
        and p.last_month <= span.last_month
        and (p.first_month, p.last_month) != (span.first_month, span.last_month)
    ]
    return inside


def span_parts(metrics: Metrics, code: str, total: Total, today: date) -> SpanParts | None:
    """The known parts of a span with months missing (``None`` when none is missing): its
    months with a figure, those missing, the published totals of parts of it, spans near
    it with a total, and the months after the data's last month, split by whether they
    were due by ``today`` (not in the data yet) or not (not published yet)."""
    if total.months_known == total.months_total:
        return None
    period = total.period
    months = tuple(m for m in (metrics.month(code, p) for p in period.months()) if m.tonnes)
    have = {m.period for m in months}
    last = metrics.coverage.last_month
    monthly = bool(metrics.months_with_data(code))  # else only spans are published
    missing = tuple(p for p in period.months() if p not in have and p <= last and monthly)
    partials = tuple(
        part
        for sub in _parts_of(period)
        if (part := metrics.total(code, sub)).value is not None and part.basis == "published"
    )
    covered = {m for part in partials for m in part.period.months()}
    beyond = [p for p in period.months() if p > last and p not in covered]
    later = tuple(p for p in beyond if due(metrics, p) <= today)
    unpublished = tuple(p for p in beyond if due(metrics, p) > today)
    nearest = list(dict.fromkeys(t.period for t in partials))
    for other in (period.year_earlier(), Period(period.year + 1, *_months_kind(period))):
        if metrics.total(code, other).value is not None:
            nearest.append(other)
    if not nearest:  # no span near it has a total: the months that have a figure
        first, end = period.months()[0], period.months()[-1]
        before = metrics.nearest_months(code, first)[0]
        after = metrics.nearest_months(code, end)[1]
        nearest = [p for p in (before, *sorted(have), after) if p is not None]
    if not (months or missing or partials or nearest or beyond):
        return None  # only this span's total is published: nothing more to say
    return SpanParts(months, missing, partials, tuple(nearest), later, unpublished)


def due(metrics: Metrics, month: Period) -> date:
    """When ``month`` is expected to be published (its series' release day)."""
    return metrics.info.expected_release(month.previous())


class PeriodChoice:
    """Resolves period specs against one metrics snapshot; ``today`` bounds the future."""

    def __init__(self, metrics: Metrics, today: Callable[[], date]) -> None:
        self.metrics = metrics
        self.today = today

    def resolve(
        self, spec: PeriodSpec, partner_code: str = WORLD, previous: Period | None = None
    ) -> Resolved | PeriodProblem:
        """The period ``spec`` names, and a note when a choice was made (a year the words
        did not give, "last month" as a date). ``previous`` is the last question's period."""
        if isinstance(spec, Latest):
            return self._latest(partner_code)
        if isinstance(spec, MonthOnly):
            year = self.metrics.latest_year_of(spec.month, partner_code)
            name = MonthName(spec.month)
            if year is None:
                return self.problem(said("No year has a figure for {month}.", month=name))
            return Resolved(
                Period.month(year, spec.month),
                said(
                    "{month} without a year: {year}, the latest {month} with a figure",
                    month=name,
                    year=year,
                ),
            )
        if isinstance(spec, Unanchored):
            return self._unanchored(spec, partner_code)
        if isinstance(spec, Relative):
            return self._relative(spec, partner_code, previous)
        return self.in_range(spec)

    def in_range(self, period: Period, note: Said | None = None) -> Resolved | PeriodProblem:
        """``period`` when the data can have figures for it; else the one out-of-range
        message, with the data's coverage."""
        today = self.today()
        first = first_period(self.metrics)
        last = last_month(self.metrics)
        future = (period.year, period.first_month) > (today.year, today.month)
        after = (period.year, period.first_month) > (last.year, last.last_month)
        before = (period.year, period.last_month) < (first.year, first.first_month)
        if future:
            return self.problem(
                said("{period} is outside the data: it is in the future.", period=period)
            )
        if after:
            month = Period.month(period.year, period.first_month)
            if self.due(month) > today:  # not due yet: it cannot have been published
                why = said("{period} is outside the data: it is not published yet.", period=period)
            else:
                why = said(
                    "{period} is outside the data: it is not in the data yet.", period=period
                )
            return self.problem(why)
        if before:
            return self.problem(said("{period} is outside the data.", period=period))
        return Resolved(period, note)

    def due(self, month: Period) -> date:
        """When ``month`` is expected to be published (its series' release day)."""
        return due(self.metrics, month)

    def _unanchored(self, spec: Unanchored, partner_code: str) -> Resolved | PeriodProblem:
        last = self.metrics.coverage.last_month.year
        first = first_period(self.metrics).year
        years = range(last, first - 1, -1)
        for code in dict.fromkeys((partner_code, WORLD)):
            for year in years:
                period = spec.in_year(year)
                if (year, period.last_month) > (last, self.metrics.coverage.last_month.last_month):
                    continue
                if self.metrics.total(code, period).value is not None or any(
                    self.metrics.figure(code, m) for m in period.months()
                ):
                    note = said(
                        "{span} without a year: {year}, the latest with figures",
                        span=spec,
                        year=year,
                    )
                    return Resolved(period, note)
        return self.problem(said("No year has figures for {span}.", span=spec))

    def _latest(self, partner_code: str) -> Resolved:
        """The partner's latest month, and a note when the data goes further."""
        last = self.metrics.coverage.last_month
        latest = self.metrics.latest_month(partner_code) or last
        end = (latest.year, latest.last_month)
        later = [s for s in spans_of(self.metrics, partner_code) if (s.year, s.last_month) > end]
        who = partner(partner_code)
        if later:
            span = later[-1]
            command = command_for(self.metrics, partner_code, span)
            if latest == last or partner_code == WORLD:
                note = said(
                    "no period given: the latest month; a later total exists: {span}, {command}",
                    span=span,
                    command=command,
                )
                return Resolved(latest, note)
            note = said(
                "no period given: {partner}'s latest month with a figure; a later total "
                "exists: {span}, {command}",
                partner=who,
                span=span,
                command=command,
            )
            return Resolved(latest, note)
        if latest == last or partner_code == WORLD:
            return Resolved(latest)
        note = said("no period given: {partner}'s latest month with a figure", partner=who)
        return Resolved(latest, note)

    def _relative(
        self, spec: Relative, partner_code: str, previous: Period | None
    ) -> Resolved | PeriodProblem:
        today = self.today()
        this_month = Period.month(today.year, today.month)
        words = Words(spec.name)
        if spec.name in ("month_before", "quarter_before", "year_before"):
            return self._before(spec, previous)
        if spec.core is not None:
            year = today.year - YEARS_BACK[spec.name]
            core = spec.core
            anchored = (
                Period.month(year, core.month)
                if isinstance(core, MonthOnly)
                else core.in_year(year)
            )
            return self.in_range(anchored, said("{words}: {year}", words=words, year=year))
        if spec.name in ("this_month", "last_month"):
            period = this_month if spec.name == "this_month" else this_month.previous()
            return self.in_range(period, said("{words}: {period}", words=words, period=period))
        if spec.name == "last_quarter":
            quarter = (today.month - 1) // 3  # the quarter before this one, 0 = Q4 last year
            year = today.year if quarter else today.year - 1
            period = Period.parse_code(f"{year}-Q{quarter or 4}")
            return self.in_range(period, said("{words}: {period}", words=words, period=period))
        if spec.name in ("last_year", "year_before_last"):
            period = Period.parse_code(str(today.year - YEARS_BACK[spec.name]))
            return self.in_range(period, said("{words}: {period}", words=words, period=period))
        return self._this_year(partner_code, words)

    def _this_year(self, partner_code: str, words: Words) -> Resolved | PeriodProblem:
        """This year so far: January to the partner's latest month this year."""
        year = self.today().year
        latest = self.metrics.latest_month(partner_code) or self.metrics.coverage.last_month
        if latest.year != year:
            if self.metrics.coverage.last_month.year == year and partner_code != WORLD:
                return self.problem(
                    said(
                        "{partner} has no figure for {year} yet; its latest is {period}.",
                        partner=partner(partner_code),
                        year=year,
                        period=latest,
                    )
                )
            if self.due(Period.month(year, 1)) > self.today():
                return self.problem(
                    said("{year} is outside the data: none of it is published yet.", year=year)
                )
            return self.problem(
                said(
                    "{year} is outside the data: its months are not in the data yet (the "
                    "latest is {period}).",
                    year=year,
                    period=self.metrics.coverage.last_month,
                )
            )
        period = Period(year, 1, latest.last_month, "ytd")
        if latest.last_month == 1:
            period = Period.month(year, 1)
        note = said("{words}: {period}, the months published", words=words, period=period)
        return Resolved(period, note)

    def _before(self, spec: Relative, previous: Period | None) -> Resolved | PeriodProblem:
        """The month, quarter or year before the previous question's period."""
        words = Words(spec.name)
        if previous is None:
            return self.problem(
                said("“{words}” follows a question; name the period instead.", words=words)
            )
        if spec.name == "year_before":
            period: Period | None = previous.year_earlier()
        elif spec.name == "quarter_before" and previous.kind != "quarter":
            return self.problem(said("“{words}” follows a question about a quarter.", words=words))
        else:
            period = _before(previous)
        if period is None:
            return self.problem(said("There is no period just before {period}.", period=previous))
        if spec.name == "month_before" and not previous.is_month:
            words = Words("period_before")
        return self.in_range(period, said("{words}: {period}", words=words, period=period))

    def problem(self, message: Said | Misreading | str) -> PeriodProblem:
        """A problem with the data's coverage: its months, or its spans when it has none."""
        coverage = self.metrics.coverage
        spans = () if self.metrics.partners() else spans_of(self.metrics, WORLD)
        return PeriodProblem(message, coverage.first_month, coverage.last_month, spans)
