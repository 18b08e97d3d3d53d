"""Telegram HTML for answers: ``/exports``, ``/top``, ``/sources``, help and problems.

Every dynamic value passes through :func:`bot.render.format.esc`; every function returns messages
of at most 4096 characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.data.series import SeriesInfo
from bot.figures import Change, Sourced, Total
from bot.lookup import (
    ExportsAnswer,
    MonthAnswer,
    NoFigure,
    NotUnderstood,
    PeriodProblem,
    Problem,
    SpanAnswer,
)
from bot.metrics import WORLD, Coverage, MonthMetrics
from bot.period_choice import MIN_RANKED
from bot.ranking import MAX_TOP, CountProblem
from bot.reading.partners import Ambiguous, Partner, partner
from bot.reading.periods import Period
from bot.render.format import (
    Footnotes,
    arrow,
    change_pct,
    esc,
    figure_note,
    fit,
    legend,
    months_known,
    quote_input,
    recomputed,
    share,
    sourced_tonnes,
    sourced_usd,
    tonnes_change,
    value_line,
)
from bot.render.materials import materials_help
from bot.render.nearby import command_arg as command_arg
from bot.render.nearby import no_figure as no_figure
from bot.render.nearby import series_command as series_command
from bot.render.nearby import span_parts
from bot.series_choice import material_name

#: The line that labels an answer from UN Comtrade's broader product.
COMTRADE_LABEL = (
    "<i>UN Comtrade, HS 850511: all metal permanent magnets, a broader product than China's "
    "85051110 rare-earth magnets. A separate series, never mixed with it.</i>"
)


NO_COMTRADE = (
    "No UN Comtrade figures are loaded yet. An operator can fetch a month with "
    "<code>python -m bot data fetch comtrade --period 2025-06</code> or import a Comtrade+ "
    "CSV file; /exports answers from China's customs tariff line 85051110."
)


def _heading(who: Partner, period: Period, series: str) -> list[str]:
    if series == COMTRADE_SERIES:
        return [title(who, period), COMTRADE_LABEL, ""]
    return [title(who, period, series), ""]


def title(who: Partner, period: Period, series: str = CUSTOMS_SERIES) -> str:
    """``🇩🇪 China → Germany, June 2025``; a material other than magnets is named:
    ``🇩🇪 China's exports of gallium → Germany, June 2025``."""
    when = esc(period.label)
    if series not in (CUSTOMS_SERIES, COMTRADE_SERIES):
        what = f"China's exports of {esc(material_name(series))}"
        if who.code == WORLD:
            return f"{who.flag} <b>{what}, {when}</b>"
        return f"{who.flag} <b>{what} → {esc(who.name)}, {when}</b>"
    if who.code == WORLD:
        return f"{who.flag} <b>China's exports, {when}</b>"
    return f"{who.flag} <b>China → {esc(who.name)}, {when}</b>"


def _change_line(label: str, change: Change | None, missing: str, notes: Footnotes) -> str:
    if change is None:
        return f"{label}: n/a ({esc(missing)})"
    base = change.base
    stated = f"<b>{change_pct(change)}</b>"
    if change.pct is None:  # from a month of zero (exports stopped): no percentage exists
        stated = "<b>up from zero</b>" if change.absolute > 0 else "<b>zero again</b>"
    if change.published is not None:
        stated += f", as reported{notes.mark_change(change.published)}"
    how = {"same source as this month": " same source", "the base the source names": ""}
    detail = (
        f"{tonnes_change(change.absolute, base)} vs {sourced_tonnes(base)} in "
        f"{esc(base.period.label)}{notes.mark(base)}{how.get(base.note, '')}"
    )
    if (computed := recomputed(change)) is not None:
        detail += f"; {computed} computed from these figures"
    line = f"{arrow(change.absolute)} {label}: {stated} ({detail})"
    return line + (f"\n⚠️ <i>{esc(change.scope_note)}</i>" if change.scope_note else "")


def _total_line(label: str, total: Total, notes: Footnotes) -> str:
    if total.value is None:
        known = months_known(total.months_known, total.months_total)
        if total.rejected is None:
            return f"{esc(label)}: not known ({known} and no total was published)"
        rejected = total.rejected
        return (
            f"{esc(label)}: not known ({known}; the published total "
            f"{sourced_tonnes(rejected)}{notes.mark(rejected)} is not used: "
            f"{esc(total.rejected_why)})"
        )
    mixed = f", from {total.sources} sources" if total.sources > 1 else ""
    how = {
        "sum": f"sum of the months{mixed}",
        "sum-derived": f"sum of the months, some derived{mixed}",
        "published": "published total",
        "derived": "derived total: computed from a published figure and a percentage",
    }[total.basis or "derived"]
    return f"{esc(label)}: <b>{sourced_tonnes(total.value)}</b>{notes.mark(total.value)} ({how})"


def exports(answer: ExportsAnswer) -> list[str]:
    """The ``/exports`` reply as one or more messages."""
    return list(_exports(answer))


@lru_cache(maxsize=2048)
def _exports(answer: ExportsAnswer) -> tuple[str, ...]:
    """Answers are immutable and month results are shared per data snapshot, so the
    rendered text is memoised: a repeated question costs a dictionary lookup."""
    return tuple(_render_exports(answer))


def _render_exports(answer: ExportsAnswer) -> list[str]:
    if isinstance(answer, MonthAnswer):
        return _month(answer.partner, answer.metrics, answer.series, answer.broad)
    if isinstance(answer, SpanAnswer):
        return _span(answer)
    if isinstance(answer, NoFigure):
        return [no_figure(answer, "exports")]
    return [problem(answer)]


def question(answer: ExportsAnswer | NotUnderstood) -> list[str]:
    """A plain question's reply: the ``/exports`` answer, or how to ask."""
    if isinstance(answer, NotUnderstood):
        return [
            "I answer questions about China's rare-earth magnet exports and the other "
            "export-controlled materials (rare earths, gallium, germanium, antimony, graphite, "
            "tungsten, dysprosium, terbium), for example “How much did China export to the US "
            "in June 2025?”, “india may”, “gallium Germany” or “德国 2025年7月”. /help lists "
            "every command."
        ]
    return exports(answer)


def _month(
    who: Partner, m: MonthMetrics, series: str = CUSTOMS_SERIES, broad: Period | None = None
) -> list[str]:
    notes = Footnotes()
    assert m.tonnes is not None
    arg = command_arg(who)
    lines = _heading(who, m.period, series)
    lines.append(f"<b>{sourced_tonnes(m.tonnes)}</b>{notes.mark(m.tonnes)}")
    lines += _note_line(m.tonnes)

    prev, year_ago = m.period.previous(), m.period.year_earlier()
    lines.append(_change_line("m/m", m.mom, f"no figure for {prev.label}", notes))
    lines.append(_change_line("y/y", m.yoy, f"no figure for {year_ago.label}", notes))
    if who.code != WORLD:
        if m.share_pct is not None and m.world is not None:
            world = f"{sourced_tonnes(m.world)}{notes.mark(m.world)}"
            part = share(m.share_pct, m.tonnes.is_lower_bound)
            lines.append(f"Share of China's total: <b>{part}</b> (of {world})")
        else:
            lines.append(f"Share of China's total: n/a (no total for {esc(m.period.label)})")
    lines += _rank_lines(who, m, broad, series)
    ytd_label = m.ytd.period.label
    lines.append(_total_line(f"Year to date ({ytd_label})", m.ytd, notes))
    if m.ytd_yoy is not None:
        ytd = m.ytd_yoy
        stated = change_pct(ytd)
        if ytd.published is not None:
            stated += f", as reported{notes.mark_change(ytd.published)}"
        lines.append(f"   {stated} vs {esc(ytd.base.period.label)}{notes.mark(ytd.base)}")
    if m.usd is not None:
        value = value_line(m.usd, m.usd_per_tonne, m.tonnes, m.per_unit_why)
        lines.append(f"Value: <b>{sourced_usd(m.usd)}</b>{notes.mark(m.usd)}{value}")
    blocks = ["\n".join(lines), *legend(notes.shown)]
    blocks.append("<b>Sources</b>\n" + "\n".join(notes.lines()))
    blocks.append(f"Detail: /{series_command('sources', series)}{arg} {m.period.code}")
    return fit(blocks)


def _note_line(figure: Sourced) -> list[str]:
    """The parts of a figure's note that qualify it (approximate, a lower bound, a narrower
    scope), if any; the whole note is in /sources."""
    note = figure_note(figure.used.note) if figure.used is not None else ""
    return [f"<i>Note on this figure: {esc(note[:200])}</i>"] if note else []


def _rank_lines(who: Partner, m: MonthMetrics, broad: Period | None, series: str) -> list[str]:
    """The rank, or why there is none: a rank among fewer than :data:`MIN_RANKED` countries
    is not a rank, and China's total has none."""
    if who.code == WORLD:
        return []
    if m.ranked >= MIN_RANKED:
        if m.rank is None:  # a grouping such as the EU is not ranked
            return []
        return [f"Rank: <b>#{m.rank}</b> of {m.ranked} countries with a figure this month"]
    countries = "country has" if m.ranked == 1 else "countries have"
    lines = [
        f"Rank: none. Only {m.ranked} {countries} a figure for {esc(m.period.label)}, "
        "too few to rank."
    ]
    if broad is not None and broad != m.period:
        command = series_command("exports", series)
        lines.append(
            f"The latest month with broad coverage is {esc(broad.label)}: "
            f"/{command}{command_arg(who)} {broad.code}"
        )
    return lines


def _span(answer: SpanAnswer) -> list[str]:
    who, m = answer.partner, answer.metrics
    notes = Footnotes()
    lines = _heading(who, m.period, answer.series)
    total = m.total
    lines.append(_total_line("Total", total, notes))
    if total.value is not None:
        lines += _note_line(total.value)
    if total.basis == "published" and total.months_known:
        lines.append(f"Months with a figure: {total.months_known} of {total.months_total}")
    elif total.basis == "published" and not (answer.parts and answer.parts.missing):
        lines.append("No monthly figures: the sources give only totals of spans")
    year_ago = m.period.year_earlier()
    lines.append(_change_line("y/y", m.yoy, f"no total for {year_ago.label}", notes))
    if who.code != WORLD and m.share_pct is not None and m.world and m.world.value:
        world = f"{sourced_tonnes(m.world.value)}{notes.mark(m.world.value)}"
        part = share(m.share_pct, total.value is not None and total.value.is_lower_bound)
        lines.append(f"Share of China's total: <b>{part}</b> (of {world})")
    if m.usd is not None:
        value = value_line(m.usd, m.usd_per_tonne, total.value, m.per_unit_why)
        lines.append(f"Value: <b>{sourced_usd(m.usd)}</b>{notes.mark(m.usd)}{value}")
    blocks = ["\n".join(lines)]
    if answer.parts is not None:
        blocks.append(span_parts(answer, answer.parts, notes))
    blocks += legend(notes.shown)
    if notes.lines():
        blocks.append("<b>Sources</b>\n" + "\n".join(notes.lines()))
    detail = series_command("sources", answer.series)
    blocks.append(f"Detail: /{detail}{command_arg(who)} {m.period.code}")
    return fit(blocks)


def problem(answer: Problem | CountProblem) -> str:
    if isinstance(answer, CountProblem):
        if answer.count > MAX_TOP:
            return f"🔢 I list at most {MAX_TOP} partners; {answer.count} is more than that."
        return f"🔢 The number of partners to list is 1 to {MAX_TOP}; {answer.count} is not."
    if isinstance(answer, PeriodProblem):
        if answer.spans:  # no monthly figures: the spans there are
            spans = ", ".join(p.label for p in answer.spans)
            return f"🗓 {esc(answer.message)}\nThe data has no months, only totals: {esc(spans)}."
        return (
            f"🗓 {esc(answer.message)}\nThe data covers {esc(answer.first.label)} to "
            f"{esc(answer.last.label)}. Periods look like 2025-06, June 2025, 6月, H1 2025, "
            "Q1 2025, 2025 or latest."
        )
    found = answer.problem
    if isinstance(found, Ambiguous):
        options = "\n".join(
            f"• {o.flag} {esc(o.name)}: {esc(answer.command(o.code))}" for o in found.options
        )
        return f"🤔 “{quote_input(found.text)}” could be several countries:\n{options}"
    if found.suggestions:
        options = "\n".join(
            f"• {s.flag} {esc(s.name)}: {esc(answer.command(s.code))}" for s in found.suggestions
        )
        unknown = f"🤔 I don't know a country called “{quote_input(found.text)}”."
        return f"{unknown} Did you mean:\n{options}"
    return (
        f"🤔 I don't know a country called “{quote_input(found.text)}”.\n"
        "Try a name (Germany), an ISO code (US, DEU) or a Chinese name (美国), "
        "for example /exports US 2025-06."
    )


def help_text(
    coverage: Coverage, greeting: bool = False, materials: Sequence[SeriesInfo] | None = None
) -> str:
    """``/help`` (and ``/start`` with ``greeting``): the materials (``materials``, else the
    project's catalog), the commands with examples, and the default series' coverage."""
    names = ", ".join(
        esc(partner(code).name) for code in coverage.partners if code != WORLD and len(code) == 2
    )
    intro = "👋 Hello! " if greeting else ""
    return "\n".join(
        [
            f"{intro}<b>ExportWatch</b> tells you how much of each export-controlled material "
            "China sells to whom, month by month, and where every figure comes from.",
            "",
            *materials_help(materials),
            "",
            "<b>Commands</b>",
            "/exports US: tonnes, changes, share and rank for the latest month",
            "/exports US 2025-06 · /exports India May 2025 · /exports 美国 6月",
            "/exports EU H1 2025: a half, quarter, year or year to date",
            "/exports: China's total for the latest month",
            "/exports US vs DE: partners side by side",
            "/top 2025-06 5 · /top H1 2025: partners ranked for a month or a span (1 to 50)",
            "/chart US · /chart DE 2025 · /chart top 2025-06: charts to see the trend",
            "/csv US 2025 · /csv all: the figures and their sources as a CSV file",
            "/summary 2025-06: the month's news summary",
            "/sources US 2025-06: the source of every figure, derivations and alternates",
            "/comtrade US 2025-06: UN Comtrade's HS 850511, a broader product, kept apart",
            "/subscribe: the monthly summary here as soon as a month is published "
            "(group admins; in a forum topic, to that topic) · /unsubscribe · /status",
            "/help: this message",
            "",
            "Or just ask: “How much did China export to the US in June 2025?”, “india may”, "
            "“top 5 in June”, “德国 2025年第三季度”, “美国和德国”, then “what about Japan?” or "
            "“那日本呢?”. In a group, mention me or reply to me. In any chat, type "
            "@ and my name followed by a country to share an answer.",
            "",
            "<b>Data</b>",
            f"Rare-earth magnets (China tariff line 85051110): {esc(coverage.first_month.label)} "
            f"to {esc(coverage.last_month.label)}; every material's months: /materials",
            f"Countries with magnet figures: {names}; also the EU-27 and China's total",
            f"{coverage.figures} figures from {coverage.sources} sources: official customs "
            "files when imported, and published reports (Reuters, SCMP, Shanghai Metals "
            "Market, Adamas, S&amp;P Global and others).",
            "≈ marks a derived figure. A month the sources do not give is missing, never zero.",
        ]
    )
