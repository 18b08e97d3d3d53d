"""Charts and CSV as services: which series or rows a request asks for (no Telegram)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.lookup import (
    Lookup,
    MonthAnswer,
    NoFigure,
    PartnerProblem,
    PeriodProblem,
    Problem,
    SpanAnswer,
)
from bot.metrics import EU, WORLD, MonthMetrics, is_country
from bot.reading.partners import Ambiguous, Found, Partner, partner
from bot.reading.periods import Period
from bot.reading.query import Latest, PeriodSpec, parse_query, resolve_partner_text
from bot.render.charts import (
    MAX_BARS,
    MonthlySeries,
    RankingSeries,
    monthly_series,
    ranking_series,
)

CSV_COLUMNS = (
    "period",
    "partner",
    "tonnes",
    "lower_bound",
    "usd",
    "status",
    "source",
    "source_url",
)
TOP_WORDS = ("top", "rank", "ranking", "排名")


@dataclass(frozen=True)
class MonthlyChart:
    partner: Partner
    series: MonthlySeries
    latest: MonthMetrics  # the last month of the range that has a figure, for the caption


@dataclass(frozen=True)
class RankingChart:
    period: Period
    series: RankingSeries
    world: MonthMetrics


ChartAnswer = MonthlyChart | RankingChart | NoFigure | Problem


def chart(lookup: Lookup, text: str) -> ChartAnswer:
    """``/chart [country] [range]`` or ``/chart top [period]``."""
    words = text.split()
    if words and words[0].casefold() in TOP_WORDS:
        return _ranking(lookup, " ".join(words[1:]))
    query = parse_query(text)
    who = lookup.partner_of(query)
    if isinstance(who, PartnerProblem):
        return who
    if query.period_error or query.leftover:
        return lookup.problem(query.period_error or query.leftover or "")
    metrics = lookup.metrics
    have = metrics.months_with_data(who.code)
    if not have:
        return NoFigure(who, metrics.coverage.last_month, None, None, False)
    months = _months(lookup, query.period, who.code, have)
    if isinstance(months, PeriodProblem):
        return months
    with_figure = [m for m in months if metrics.figure(who.code, m)]
    if not with_figure:
        before, after = metrics.nearest_months(who.code, months[-1])
        return NoFigure(who, months[-1], before, after, True)
    series = monthly_series(metrics, who, months)
    return MonthlyChart(who, series, metrics.month(who.code, with_figure[-1]))


def _months(
    lookup: Lookup, spec: PeriodSpec, code: str, have: list[Period]
) -> list[Period] | PeriodProblem:
    """The months to plot: all the partner's months by default; a year or span's months; the
    twelve months to a given month."""
    if isinstance(spec, Latest):
        first, last = have[0], have[-1]
    else:
        period = lookup.period_of(spec, code)

        if isinstance(period, PeriodProblem):
            return period
        if period.is_month:
            first, last = period.shift_months(-11), period
        else:
            first = Period.month(period.year, period.first_month)
            last = min(
                Period.month(period.year, period.last_month), lookup.metrics.coverage.last_month
            )
            if last < first:
                return lookup.problem(f"{period.label} has no month in the data yet.")
    count = last.month_index - first.month_index + 1
    return [first.shift_months(i) for i in range(count)]


def _ranking(lookup: Lookup, text: str) -> RankingChart | NoFigure | Problem:
    month = lookup.one_month(text, "A ranking chart is for one month")
    if not isinstance(month, Period):
        return month
    metrics = lookup.metrics
    if not metrics.ranking(month):
        before, after = metrics.nearest_months(WORLD, month)
        return NoFigure(partner(WORLD), month, before, after, True)
    names = {code: partner(code).name for code, _ in metrics.ranking(month)[:MAX_BARS]}
    return RankingChart(month, ranking_series(metrics, month, names), metrics.month(WORLD, month))


@dataclass(frozen=True)
class CsvExport:
    filename: str
    rows: list[dict[str, str]]

    def encode(self) -> bytes:
        """UTF-8 with a byte-order mark, so spreadsheet programs read the names right."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class CsvRequest:
    """What ``/csv`` asks for: one partner (``code``) or all (``None``), and a span or every
    period (``None``)."""

    code: str | None
    span: Period | None

    @property
    def filename(self) -> str:
        suffix = f"-{self.span.code}" if self.span else ""
        return f"exportwatch-{self.code or 'all'}{suffix}.csv".lower()


def csv_request(lookup: Lookup, text: str) -> CsvRequest | Problem:
    """``/csv [country|all] [range]`` read (cheap: no figures are gathered)."""
    words = text.split()
    everyone = bool(words) and words[0].casefold() in ("all", "全部")
    query = parse_query(" ".join(words[1:]) if everyone else text)
    code: str | None = None
    if query.leftover:
        return lookup.problem(query.leftover)
    if not everyone and query.has_partner:
        who = lookup.partner_of(query)
        if isinstance(who, PartnerProblem):
            return who
        code = who.code
    if query.period_error:
        return lookup.problem(query.period_error)
    span: Period | None = None
    if not isinstance(query.period, Latest):
        found = lookup.period_of(query.period)
        if isinstance(found, PeriodProblem):
            return found
        span = found
    return CsvRequest(code, span)


def csv_rows(lookup: Lookup, request: CsvRequest) -> CsvExport:
    """The chosen figures (tonnes and USD) with their sources: linear in the figures, so
    the bot gathers them off the event loop, once per snapshot (``handlers/charts.py``)."""
    codes = None if request.code is None else {request.code}
    return CsvExport(request.filename, _rows(lookup, codes, request.span))


def csv_export(lookup: Lookup, text: str) -> CsvExport | Problem:
    """``/csv [country|all] [range]``: the request read, then its rows."""
    request = csv_request(lookup, text)
    return csv_rows(lookup, request) if isinstance(request, CsvRequest) else request


def _within(period: Period, span: Period | None) -> bool:
    if span is None:
        return True
    return (
        period.year == span.year
        and span.first_month <= period.first_month
        and period.last_month <= span.last_month
    )


def _rows(lookup: Lookup, codes: set[str] | None, span: Period | None) -> list[dict[str, str]]:
    by_key: dict[tuple[str, str], dict[str, str]] = {}
    for (code, who, metric), resolved in lookup.metrics.resolved.items():
        if metric not in ("tonnes", "usd") or (codes is not None and who not in codes):
            continue
        period = Period.parse_code(code)
        if not _within(period, span):
            continue
        row = by_key.setdefault(
            (code, who), dict.fromkeys(CSV_COLUMNS, "") | {"period": code, "partner": who}
        )
        figure = resolved.chosen
        row[metric] = f"{figure.value:.{figure.decimals}f}"
        if metric == "tonnes" and figure.is_lower_bound:
            row["lower_bound"] = "yes"  # the source gave "at least" this much ("200+")
        if metric == "tonnes" or not row["source"]:
            row["status"] = figure.status
            row["source"] = figure.source_title
            row["source_url"] = figure.source_url
    return sorted(by_key.values(), key=lambda r: (Period.parse_code(r["period"]), r["partner"]))


INLINE_TOP = 8


def inline_answers(lookup: Lookup, text: str) -> list[MonthAnswer | SpanAnswer]:
    """Answers offered in inline mode: the partners ``text`` may mean, or, for an empty
    query, China's total and the partners by their latest figure."""
    metrics = lookup.metrics
    query = parse_query(text)
    if not query.has_partner:
        latest: dict[str, float] = {}
        for code in metrics.partners():
            last = metrics.latest_month(code)
            figure = (
                metrics.figure(code, last) if last and (is_country(code) or code == EU) else None
            )
            if figure is not None:
                latest[code] = figure.value
        ranked = sorted(latest, key=lambda code: -latest[code])
        codes = [WORLD, *ranked[:INLINE_TOP]]
    else:
        found = resolve_partner_text(query.partner_text)
        if isinstance(found, Found):
            codes = [found.partner.code]
        elif isinstance(found, Ambiguous):
            codes = [o.code for o in found.options]
        else:
            codes = [s.code for s in found.suggestions]
    answers: list[MonthAnswer | SpanAnswer] = []
    for code in codes:
        period = lookup.period_of(query.period, code)
        if isinstance(period, PeriodProblem):
            continue
        if not period.is_month:
            answers.append(SpanAnswer(partner(code), metrics.span(code, period)))
        elif (month := metrics.month(code, period)).tonnes is not None:
            answers.append(MonthAnswer(partner(code), month))
    return answers
