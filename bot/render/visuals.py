"""Charts and CSV as services: which series or rows a request asks for (no Telegram).

Both follow the series of the :class:`~bot.lookup.Lookup` they are given: a chart names its
material and unit, a CSV file has the series' key and unit in every row and its quantities
in that unit (the quantity column is named by it: ``tonnes`` or ``kg``). A series published
only as yearly or year-to-date totals (tungsten) has no monthly chart, and says so.

A chart, its caption and what is said when there is none are in the language asked for
(``language``, English unless said); a CSV file's columns and codes are the same in every
language (they are read by programs), its caption is in the language asked for.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo
from bot.figures import Sourced
from bot.i18n import Language, ntr, tr
from bot.i18n.formats import clauses, listing, partner_name, period_label
from bot.lookup import (
    Lookup,
    MonthAnswer,
    NoFigure,
    PartnerProblem,
    PeriodProblem,
    Problem,
    Resolved,
    SpanAnswer,
)
from bot.metrics import EU, WORLD, Metrics, MonthMetrics, SpanMetrics, is_country
from bot.ranking import MAX_TOP, TopAnswer
from bot.reading.grammar import read
from bot.reading.partners import Ambiguous, Found, Partner, partner
from bot.reading.periods import Period
from bot.reading.query import Latest, PeriodSpec, parse_query, resolve_partner_text
from bot.render.charts import (
    LOWER_MARK,
    MAX_BARS,
    MonthlySeries,
    RankingSeries,
    exports_title,
    legend_keys,
    material,
    monthly_series,
    ranking_series,
    top_series,
)
from bot.render.format import (
    DERIVED_MARK,
    LOW_MARK,
    change_pct,
    esc,
    share,
    sourced_tonnes,
    tonnes,
)
from bot.render.material import command_word, info_of, slug
from bot.series_choice import series_word

#: The columns of a CSV file of a series in tonnes; a series in kg has ``kg`` for ``tonnes``.
CSV_COLUMNS = (
    "period",
    "partner",
    "tonnes",
    "lower_bound",
    "usd",
    "status",
    "source",
    "source_url",
    "series",
    "unit",
)


def csv_columns(unit: str) -> tuple[str, ...]:
    """The columns of a series in ``unit``: the quantity column is named by its unit."""
    return tuple(unit if column == "tonnes" else column for column in CSV_COLUMNS)


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
    world: MonthMetrics | SpanMetrics

    @property
    def total(self) -> Sourced | None:
        """China's total: the month's figure, or the span's total."""
        world = self.world
        return world.tonnes if isinstance(world, MonthMetrics) else world.total.value


ChartAnswer = MonthlyChart | RankingChart | NoFigure | Problem


def chart(lookup: Lookup, text: str, language: Language = "en") -> ChartAnswer:
    """``/chart [country] [range]`` or ``/chart top [period]``, drawn in ``language``."""
    words = text.split()
    if words and words[0].casefold() in TOP_WORDS:
        return _ranking(lookup, " ".join(words[1:]), language)
    query = parse_query(text)
    who = lookup.partner_of(query)
    if isinstance(who, PartnerProblem):
        return who
    if query.period_error or query.leftover:
        return lookup.problem(query.period_error or query.leftover or "")
    metrics = lookup.metrics
    have = metrics.months_with_data(who.code)
    if not have:
        return _no_months(lookup, who, language)
    months = _months(lookup, query.period, who.code, have, language)
    if isinstance(months, PeriodProblem):
        return months
    with_figure = [m for m in months if metrics.figure(who.code, m)]
    if not with_figure:
        before, after = metrics.nearest_months(who.code, months[-1])
        return NoFigure(who, months[-1], before, after, True, lookup.series)
    series = monthly_series(metrics, who, months, language)
    return MonthlyChart(who, series, metrics.month(who.code, with_figure[-1]))


def spans_of(metrics: Metrics, code: str) -> list[Period]:
    """The spans (years, halves, year to date) for which ``code`` has a quantity figure."""
    found = {
        Period.parse_code(period)
        for period, who, metric in metrics.resolved
        if who == code and metric == metrics.unit
    }
    spans = [p for p in found if not p.is_month]
    return sorted(spans, key=lambda p: (p.year, p.first_month, p.last_month))


def _no_months(lookup: Lookup, who: Partner, language: Language = "en") -> NoFigure | Problem:
    """A partner with no month to chart: said plainly when the series or the partner has
    totals for spans only (no months at all is not "no figures"). The problems' messages are
    plain text (``answers.problem`` escapes them)."""
    metrics, info = lookup.metrics, lookup.info
    spans = spans_of(metrics, who.code)
    if not spans:
        return NoFigure(who, metrics.coverage.last_month, None, None, False, lookup.series)
    totals = clauses((period_label(p, language) for p in spans), language)
    ask = f"/exports {command_word(info, language)}{'' if who.code == WORLD else who.code + ' '}"
    command = f"{ask}{spans[-1].code}"
    if who.code == WORLD:
        said = tr(
            language,
            "{exports} are published only as totals ({totals}), not month by month, so there "
            "is no monthly chart. A total: {command}.",
            exports=exports_title(info, language),
            totals=totals,
            command=command,
        )
    else:
        said = tr(
            language,
            "The sources give {partner} only totals of {material} ({totals}), not month by "
            "month, so there is no monthly chart. A total: {command}.",
            partner=partner_name(who, language),
            material=material(info, language),
            totals=totals,
            command=command,
        )
    return lookup.problem(said)


def _months(
    lookup: Lookup, spec: PeriodSpec, code: str, have: list[Period], language: Language = "en"
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
                label = period_label(period, language)
                return lookup.problem(
                    tr(language, "{period} has no month in the data yet.", period=label)
                )
    count = last.month_index - first.month_index + 1
    return [first.shift_months(i) for i in range(count)]


def _ranking(
    lookup: Lookup, text: str, language: Language = "en"
) -> RankingChart | NoFigure | Problem:
    """The partners of a month, or of a span as ``/top`` ranks them."""
    month = _ranked_period(lookup, text, language)
    if not isinstance(month, Period):
        return month
    if not month.is_month:
        return _span_ranking(lookup, month, language)
    metrics = lookup.metrics
    if not metrics.ranking(month):
        return _no_ranking(lookup, month, language)
    names = {
        code: partner_name(partner(code), language) for code, _ in metrics.ranking(month)[:MAX_BARS]
    }
    series = ranking_series(metrics, month, names, language)
    return RankingChart(month, series, metrics.month(WORLD, month))


def _no_partners(
    language: Language, info: SeriesInfo, period: Period, total: str | None, offer: str
) -> str:
    """No country has a figure for ``period``, only China's ``total`` (when there is one),
    and what is offered instead (``offer``, a sentence, or ``""``): plain text."""
    name, when = material(info, language), period_label(period, language)
    if total is None:
        said = tr(
            language,
            "No country has a figure for {material} in {period}, so there is no partner chart.",
            material=name,
            period=when,
        )
    else:
        said = tr(
            language,
            "No country has a figure for {material} in {period}, only China's total "
            "({amount}), so there is no partner chart.",
            material=name,
            period=when,
            amount=total,
        )
    return tr(language, "{sentence} {next}", sentence=said, next=offer) if offer else said


def _no_ranking(lookup: Lookup, month: Period, language: Language = "en") -> NoFigure | Problem:
    """A month no country has a figure for: China's total alone is no partner chart."""
    metrics, info = lookup.metrics, lookup.info
    world = metrics.figure(WORLD, month)
    if world is None:
        before, after = metrics.nearest_months(WORLD, month)
        return NoFigure(partner(WORLD), month, before, after, True, lookup.series)
    chosen = world.chosen
    total = tonnes(
        chosen.value, chosen.decimals, not chosen.is_reported, unit=info.unit, language=language
    )
    word = command_word(info, language)
    ranked = [m for m in metrics.months_with_data(WORLD) if m < month and metrics.ranking(m)]
    if ranked:
        offer = tr(
            language,
            "The latest earlier month with partners: {command}.",
            command=f"/chart {word}top {ranked[-1].code}",
        )
    elif metrics.partners() == (WORLD,):
        offer = _only_total(info, language)
    else:
        offer = tr(language, "No earlier month has partner figures either.")
    return lookup.problem(_no_partners(language, info, month, total, offer))


def _only_total(info: SeriesInfo, language: Language) -> str:
    """The sources give only China's total for the material: the command that charts it."""
    return tr(
        language,
        "The sources give only China's total for {material}: {command} draws it.",
        material=material(info, language),
        command=f"/chart {command_word(info, language)}".strip(),
    )


def _ranked_period(lookup: Lookup, text: str, language: Language = "en") -> Period | PeriodProblem:
    """The month or span ``text`` names (no partner allowed); with none, the latest month,
    or the latest span of a series with no monthly figure (tungsten)."""
    reading = read(text)
    if reading.period_error:
        return lookup.problem(reading.period_error)
    stray = [p.text for p in reading.partners] + list(reading.unknown)
    if stray:
        return lookup.problem(
            tr(language, "I couldn't read “{text}” as a period.", text=" ".join(stray))
        )
    found = lookup.resolve(reading.period)
    return found.period if isinstance(found, Resolved) else found


def _span_ranking(
    lookup: Lookup, span: Period, language: Language = "en"
) -> RankingChart | Problem:
    """A span's partners as ``/top`` ranks them: published span totals, and lower bounds
    (published parts and known months) marked as such."""
    answer = lookup.top_for(span, MAX_TOP)
    if not isinstance(answer, TopAnswer):
        label = period_label(span, language)
        return lookup.problem(tr(language, "{period} has no ranking.", period=label))
    if not answer.rows:
        return _no_span_ranking(lookup, answer, language)
    world = lookup.metrics.span(WORLD, span)
    return RankingChart(span, top_series(answer, language), world)


def _no_span_ranking(lookup: Lookup, answer: TopAnswer, language: Language = "en") -> Problem:
    """A span no country has a figure for: where the figures by country are, if anywhere."""
    info, world = lookup.info, answer.world
    total = None
    if world is not None:
        total = tonnes(
            world.value, world.decimals, world.is_derived, unit=info.unit, language=language
        )
    if answer.split is not None:
        offer = tr(
            language,
            "The latest period with figures by country: {command}.",
            command=f"/chart {command_word(info, language)}top {answer.split.code}",
        )
    elif answer.total_only:
        offer = _only_total(info, language)
    else:
        offer = ""
    return lookup.problem(_no_partners(language, info, answer.period, total, offer))


#: The longest caption Telegram sends with a photo or a file.
MAX_CAPTION = 1024


def caption_mark(key: str, language: Language = "en") -> str:
    """A chart's mark (a key of :func:`~bot.render.charts.legend_keys`), explained in its
    caption."""
    if key == "derived":
        return tr(language, "{mark} derived figure (lighter, hatched)", mark=DERIVED_MARK)
    if key == "lower_bound":
        return tr(language, "{mark} at least (the source gives a lower bound)", mark=LOWER_MARK)
    if key == "low":
        return tr(language, "{mark} low-reliability source", mark=LOW_MARK)
    return tr(language, "{mark}: not published, never zero", mark=tr(language, "n/a"))


def _named(info: SeriesInfo | None, text: str, language: Language) -> str:
    """``text`` (HTML) led by the material's name, unless it is magnets (the default) or a
    reference series: ``Gallium: Germany`` / ``镓：德国``."""
    if info is None or info.key == CUSTOMS_SERIES or info.reference:
        return text
    name = material(info, language)
    return tr(language, "{material}: {text}", material=esc(name[:1].upper() + name[1:]), text=text)


def _word(info: SeriesInfo | None, language: Language) -> str:
    """The material's word in a command, after a space (`` gallium``, `` 镓``); none for
    magnets."""
    if info is None or info.key == CUSTOMS_SERIES or info.reference:
        return ""
    return f" {series_word(info.key, language)}"


def latest_line(m: MonthMetrics, language: Language = "en") -> str:
    """``March 2026: 406 t · m/m -9.6% · y/y -30.6% · 11.1% of total`` (plain text)."""
    amount = sourced_tonnes(m.tonnes, language) if m.tonnes else tr(language, "no figure")
    parts = [
        tr(language, "{period}: {amount}", period=period_label(m.period, language), amount=amount)
    ]
    if m.mom is not None:
        parts.append(tr(language, "m/m {change}", change=change_pct(m.mom, language)))
    if m.yoy is not None:
        parts.append(tr(language, "y/y {change}", change=change_pct(m.yoy, language)))
    if m.partner != WORLD and m.share_pct is not None:
        floor = m.tonnes is not None and m.tonnes.is_lower_bound
        parts.append(tr(language, "{share} of total", share=share(m.share_pct, floor, language)))
    return " · ".join(parts)


def chart_caption(
    answer: MonthlyChart | RankingChart, info: SeriesInfo | None = None, language: Language = "en"
) -> str:
    """The caption under a chart (Telegram HTML, at most :data:`MAX_CAPTION` characters);
    ``info`` is the series', named unless it is magnets."""
    word = _word(info, language)
    if isinstance(answer, MonthlyChart):
        who = answer.partner
        name = tr(language, "China's total") if who.code == WORLD else partner_name(who, language)
        latest = tr(
            language,
            "<b>{name}</b>, latest in range: {latest}",
            name=_named(info, esc(name), language),
            latest=esc(latest_line(answer.latest, language)),
        )
        lines = [f"{who.flag} {latest}"]
        keys = [key for key in legend_keys(answer.series.bars) if key != "reported"]
        if keys:
            marks = " · ".join(caption_mark(key, language) for key in keys)
            lines.append(tr(language, "{marks}.", marks=marks))
        code = "" if who.code == WORLD else f" {who.code}"
        command = f"/sources{word}{code} {answer.latest.period.code}"
        lines.append(tr(language, "Sources: {command}", command=esc(command)))
        return "\n".join(lines)[:MAX_CAPTION]
    world = answer.total
    total = sourced_tonnes(world, language) if world else tr(language, "not published")
    series, code = answer.series, answer.period.code
    drawn = ""
    if series.more:
        drawn = tr(
            language,
            "; the top {shown} of {count} are drawn ({command} lists 50)",
            shown=len(series.bars),
            count=len(series.bars) + series.more,
            command=esc(f"/top{word} {code} 50"),
        )
    heading = tr(language, "Partners, {period}", period=esc(period_label(answer.period, language)))
    said = tr(
        language,
        "<b>{heading}</b>: China's total {total}. Only countries with a published figure are "
        "shown{drawn}.",
        heading=_named(info, heading, language),
        total=total,
        drawn=drawn,
    )
    table = tr(language, "Table and sources: {command}", command=esc(f"/top{word} {code}"))
    return f"🏆 {said}\n{table}"[:MAX_CAPTION]


@dataclass(frozen=True)
class CsvExport:
    filename: str
    rows: list[dict[str, str]]
    #: The file's columns: :data:`CSV_COLUMNS`, the quantity named by its unit.
    columns: tuple[str, ...] = CSV_COLUMNS

    def encode(self) -> bytes:
        """UTF-8 with a byte-order mark, so spreadsheet programs read the names right."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class CsvRequest:
    """What ``/csv`` asks for: one partner (``code``) or all (``None``), and a span or every
    period (``None``), of one series (rare-earth magnets unless said)."""

    code: str | None
    span: Period | None
    series: str = CUSTOMS_SERIES

    @property
    def filename(self) -> str:
        """``exportwatch-us-2025.csv`` (magnets), ``exportwatch-gallium-2025.csv``,
        ``exportwatch-gallium-de-2025.csv``."""
        suffix = f"-{self.span.code}" if self.span else ""
        if self.series == CUSTOMS_SERIES:
            return f"exportwatch-{self.code or 'all'}{suffix}.csv".lower()
        who = f"-{self.code}" if self.code else ""
        return f"exportwatch-{slug(info_of(self.series))}{who}{suffix}.csv".lower()


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
    return CsvRequest(code, span, lookup.series)


def csv_rows(lookup: Lookup, request: CsvRequest) -> CsvExport:
    """The chosen figures (quantity in the series' unit, and USD) with their sources: linear
    in the figures, so the bot gathers them off the event loop, once per snapshot
    (``handlers/charts.py``)."""
    codes = None if request.code is None else {request.code}
    info = lookup.info
    rows = _rows(lookup, codes, request.span, info)
    return CsvExport(request.filename, rows, csv_columns(info.unit))


def csv_export(lookup: Lookup, text: str) -> CsvExport | Problem:
    """``/csv [country|all] [range]``: the request read, then its rows."""
    request = csv_request(lookup, text)
    return csv_rows(lookup, request) if isinstance(request, CsvRequest) else request


def csv_caption(
    export: CsvExport, info: SeriesInfo | None = None, language: Language = "en"
) -> str:
    """The message with a CSV file (Telegram HTML); ``info`` is the series', named with its
    unit."""
    codes = sorted({row["partner"] for row in export.rows})
    names = listing((esc(partner_name(partner(code), language)) for code in codes[:6]), language)
    if len(codes) > 6:
        names = tr(language, "{names} and {n} more", names=names, n=len(codes) - 6)
    if info is None or info.unit == "tonnes":
        quantity = tr(language, "tonnes")
    else:
        quantity = tr(language, "quantity in {unit}", unit=tr(language, "kg"))
    rows = len(export.rows)
    said = ntr(
        language,
        "{rows} row: period, partner, {quantity}, USD, status and source of each figure the "
        "bot uses ({names}).",
        "{rows} rows: period, partner, {quantity}, USD, status and source of each figure the "
        "bot uses ({names}).",
        rows,
        rows=f"{rows:,}",
        quantity=quantity,
        names=names,
    )
    return f"📄 {_named(info, said, language)}"[:MAX_CAPTION]


def _within(period: Period, span: Period | None) -> bool:
    if span is None:
        return True
    return (
        period.year == span.year
        and span.first_month <= period.first_month
        and period.last_month <= span.last_month
    )


def _rows(
    lookup: Lookup, codes: set[str] | None, span: Period | None, info: SeriesInfo
) -> list[dict[str, str]]:
    by_key: dict[tuple[str, str], dict[str, str]] = {}
    unit, columns = info.unit, csv_columns(info.unit)
    for (code, who, metric), resolved in lookup.metrics.resolved.items():
        if metric not in (unit, "usd") or (codes is not None and who not in codes):
            continue
        period = Period.parse_code(code)
        if not _within(period, span):
            continue
        row = by_key.setdefault(
            (code, who),
            dict.fromkeys(columns, "")
            | {"period": code, "partner": who, "series": info.key, "unit": unit},
        )
        figure = resolved.chosen
        row[metric] = f"{figure.value:.{figure.decimals}f}"
        if metric == unit and figure.is_lower_bound:
            row["lower_bound"] = "yes"  # the source gave "at least" this much ("200+")
        if metric == unit or not row["source"]:
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
            answers.append(SpanAnswer(partner(code), metrics.span(code, period), lookup.series))
        elif (month := metrics.month(code, period)).tonnes is not None:
            answers.append(MonthAnswer(partner(code), month, lookup.series))
    return answers
