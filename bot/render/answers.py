"""Telegram HTML for answers: ``/exports``, spans, missing figures and problems, in the
reader's language (``/help`` is in :mod:`bot.render.help`).

Every dynamic value passes through :func:`bot.render.format.esc`; every function returns messages
of at most 4096 characters.
"""

from __future__ import annotations

from functools import lru_cache, partial

from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.data.translations import NO_TRANSLATIONS, Translations
from bot.figures import Change, Sourced, Taken, Total
from bot.i18n import Language, ntr, tr
from bot.i18n.formats import listing, partner_name, period_label, say, sentences
from bot.lookup import (
    ExportsAnswer,
    MonthAnswer,
    NoFigure,
    NotUnderstood,
    PeriodProblem,
    Problem,
    SpanAnswer,
)
from bot.metrics import WORLD, MonthMetrics
from bot.period_choice import MIN_RANKED
from bot.ranking import MAX_TOP, CountProblem
from bot.reading.misreadings import Misreading
from bot.reading.partners import Ambiguous, Partner
from bot.reading.periods import Period
from bot.render.format import (
    Footnotes,
    arrow,
    change_pct,
    colon,
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
from bot.render.misreadings import said_of
from bot.render.nearby import command_arg as command_arg
from bot.render.nearby import no_figure as no_figure
from bot.render.nearby import series_command as series_command
from bot.render.nearby import span_parts
from bot.series_choice import material_name


def comtrade_label(language: Language = "en") -> str:
    """The line that labels an answer from UN Comtrade's broader product."""
    label = tr(
        language,
        "UN Comtrade, HS 850511: all metal permanent magnets, a broader product than China's "
        "85051110 rare-earth magnets. A separate series, never mixed with it.",
    )
    return f"<i>{label}</i>"


COMTRADE_LABEL = comtrade_label()

NO_COMTRADE = (
    "No UN Comtrade figures are loaded yet. An operator can fetch a month with "
    "<code>python -m bot data fetch comtrade --period 2025-06</code> or import a Comtrade+ "
    "CSV file; /exports answers from China's customs tariff line 85051110."
)


def _heading(who: Partner, period: Period, series: str, language: Language) -> list[str]:
    if series == COMTRADE_SERIES:
        return [title(who, period, series, language), comtrade_label(language), ""]
    return [title(who, period, series, language), ""]


def title(
    who: Partner, period: Period, series: str = CUSTOMS_SERIES, language: Language = "en"
) -> str:
    """``🇩🇪 China → Germany, June 2025``; a material other than magnets is named:
    ``🇩🇪 China's exports of gallium → Germany, June 2025``."""
    when = esc(period_label(period, language))
    name = esc(partner_name(who, language))
    if series not in (CUSTOMS_SERIES, COMTRADE_SERIES):
        material = esc(material_name(series, language))
        if who.code == WORLD:
            text = tr(
                language, "China's exports of {material}, {period}", material=material, period=when
            )
        else:
            text = tr(
                language,
                "China's exports of {material} → {partner}, {period}",
                material=material,
                partner=name,
                period=when,
            )
    elif who.code == WORLD:
        text = tr(language, "China's exports, {period}", period=when)
    else:
        text = tr(language, "China → {partner}, {period}", partner=name, period=when)
    return f"{who.flag} <b>{text}</b>"


def _change_line(
    label: str, change: Change | None, missing: str, notes: Footnotes, language: Language
) -> str:
    if change is None:
        return tr(language, "{label}: n/a ({why})", label=label, why=esc(missing))
    base = change.base
    stated = f"<b>{change_pct(change, language)}</b>"
    if change.pct is None:  # from a month of zero (exports stopped): no percentage exists
        if change.absolute > 0:
            stated = "<b>" + tr(language, "up from zero") + "</b>"
        else:
            stated = "<b>" + tr(language, "zero again") + "</b>"
    if change.published is not None:
        mark = notes.mark_change(change.published)
        stated = tr(language, "{change}, as reported{mark}", change=stated, mark=mark)
    detail = tr(
        language,
        "{change} vs {base} in {period}{mark}",
        change=tonnes_change(change.absolute, base, language=language),
        base=sourced_tonnes(base, language),
        period=esc(period_label(base.period, language)),
        mark=notes.mark(base),
    )
    if base.taken is Taken.SAME_SOURCE:
        detail += tr(language, " same source")
    if (computed := recomputed(change, language)) is not None:
        detail += tr(language, "; {pct} computed from these figures", pct=computed)
    line = tr(
        language,
        "{arrow} {label}: {change} ({detail})",
        arrow=arrow(change.absolute),
        label=label,
        change=stated,
        detail=detail,
    )
    scope = change.scope_note_zh if language == "zh" and change.scope_note_zh else change.scope_note
    return line + (f"\n⚠️ <i>{esc(scope)}</i>" if scope else "")


def _total_line(label: str, total: Total, notes: Footnotes, language: Language) -> str:
    label = esc(label)
    if total.value is None:
        known = months_known(total.months_known, total.months_total, language)
        if total.rejected is None or total.rejected_why is None:
            return tr(
                language,
                "{label}: not known ({known} and no total was published)",
                label=label,
                known=known,
            )
        rejected = total.rejected
        return tr(
            language,
            "{label}: not known ({known}; the published total {total}{mark} is not used: {why})",
            label=label,
            known=known,
            total=sourced_tonnes(rejected, language),
            mark=notes.mark(rejected),
            why=esc(say(total.rejected_why, language, escape=False)),
        )
    basis = total.basis or "derived"
    if basis == "published":
        how = tr(language, "published total")
    elif basis == "derived":
        how = tr(language, "derived total: computed from a published figure and a percentage")
    elif total.sources > 1:
        how = (
            tr(language, "sum of the months, from {n} sources", n=total.sources)
            if basis == "sum"
            else tr(language, "sum of the months, some derived, from {n} sources", n=total.sources)
        )
    else:
        how = (
            tr(language, "sum of the months")
            if basis == "sum"
            else tr(language, "sum of the months, some derived")
        )
    value = f"<b>{sourced_tonnes(total.value, language)}</b>{notes.mark(total.value)}"
    return tr(language, "{label}: {value} ({how})", label=label, value=value, how=how)


def exports(answer: ExportsAnswer, language: Language = "en") -> list[str]:
    """The ``/exports`` reply as one or more messages."""
    return list(_exports(answer, language))


@lru_cache(maxsize=2048)
def _exports(answer: ExportsAnswer, language: Language) -> tuple[str, ...]:
    """Answers are immutable and month results are shared per data snapshot, so the
    rendered text is memoised: a repeated question costs a dictionary lookup."""
    return tuple(_render_exports(answer, language))


def _render_exports(answer: ExportsAnswer, language: Language) -> list[str]:
    if isinstance(answer, MonthAnswer):
        return _month(
            answer.partner,
            answer.metrics,
            answer.series,
            answer.broad,
            answer.translations,
            language,
        )
    if isinstance(answer, SpanAnswer):
        return _span(answer, language)
    if isinstance(answer, NoFigure):
        return [no_figure(answer, "exports", language)]
    return [problem(answer, language)]


def question(answer: ExportsAnswer | NotUnderstood, language: Language = "en") -> list[str]:
    """A plain question's reply: the ``/exports`` answer, or how to ask."""
    if isinstance(answer, NotUnderstood):
        return [
            tr(
                language,
                "I answer questions about China's rare-earth magnet exports and the other "
                "export-controlled materials (rare earths, gallium, germanium, antimony, "
                "graphite, tungsten, dysprosium, terbium), for example “How much did China "
                "export to the US in June 2025?”, “india may”, “gallium Germany” or "
                "“德国 2025年7月”. /help lists every command.",
            )
        ]
    return exports(answer, language)


def _month(
    who: Partner,
    m: MonthMetrics,
    series: str = CUSTOMS_SERIES,
    broad: Period | None = None,
    translations: Translations = NO_TRANSLATIONS,
    language: Language = "en",
) -> list[str]:
    notes = Footnotes()
    assert m.tonnes is not None
    arg = command_arg(who)
    label = partial(period_label, language=language)
    lines = _heading(who, m.period, series, language)
    lines.append(f"<b>{sourced_tonnes(m.tonnes, language)}</b>{notes.mark(m.tonnes)}")
    lines += _note_line(m.tonnes, translations, language)

    prev, year_ago = m.period.previous(), m.period.year_earlier()
    no_prev = tr(language, "no figure for {period}", period=label(prev))
    no_year_ago = tr(language, "no figure for {period}", period=label(year_ago))
    lines.append(_change_line(tr(language, "m/m"), m.mom, no_prev, notes, language))
    lines.append(_change_line(tr(language, "y/y"), m.yoy, no_year_ago, notes, language))
    if who.code != WORLD:
        if m.share_pct is not None and m.world is not None:
            world = f"{sourced_tonnes(m.world, language)}{notes.mark(m.world)}"
            part = share(m.share_pct, m.tonnes.is_lower_bound, language)
            lines.append(
                tr(
                    language,
                    "Share of China's total: <b>{share}</b> (of {total})",
                    share=part,
                    total=world,
                )
            )
        else:
            when = esc(label(m.period))
            lines.append(
                tr(language, "Share of China's total: n/a (no total for {period})", period=when)
            )
    lines += _rank_lines(who, m, broad, series, language)
    ytd = tr(language, "Year to date ({period})", period=label(m.ytd.period))
    lines.append(_total_line(ytd, m.ytd, notes, language))
    if m.ytd_yoy is not None:
        change = m.ytd_yoy
        stated = change_pct(change, language)
        if change.published is not None:
            mark = notes.mark_change(change.published)
            stated = tr(language, "{change}, as reported{mark}", change=stated, mark=mark)
        base = f"{esc(label(change.base.period))}{notes.mark(change.base)}"
        lines.append("   " + tr(language, "{change} vs {period}", change=stated, period=base))
    if m.usd is not None:
        value = value_line(m.usd, m.usd_per_tonne, m.tonnes, m.per_unit_why, language)
        usd = f"<b>{sourced_usd(m.usd, language)}</b>{notes.mark(m.usd)}{value}"
        lines.append(tr(language, "Value: {value}", value=usd))
    blocks = ["\n".join(lines), *legend(notes.shown, language)]
    blocks.append(_sources_block(notes, language))
    detail = f"/{series_command('sources', series, language)}{arg} {m.period.code}"
    blocks.append(tr(language, "Detail: {command}", command=detail))
    return fit(blocks)


def _note_line(figure: Sourced, translations: Translations, language: Language) -> list[str]:
    """The parts of a figure's note that qualify it (approximate, a lower bound, a narrower
    scope), if any, in ``language``; the whole note is in /sources."""
    used = figure.used
    note = figure_note(used.note, translations, language) if used is not None else ""
    if not note:
        return []
    return ["<i>" + tr(language, "Note on this figure: {note}", note=esc(note[:200])) + "</i>"]


def _sources_block(notes: Footnotes, language: Language) -> str:
    return "<b>" + tr(language, "Sources") + "</b>\n" + "\n".join(notes.lines())


def _rank_lines(
    who: Partner, m: MonthMetrics, broad: Period | None, series: str, language: Language
) -> list[str]:
    """The rank, or why there is none: a rank among fewer than :data:`MIN_RANKED` countries
    is not a rank, and China's total has none."""
    if who.code == WORLD:
        return []
    if m.ranked >= MIN_RANKED:
        if m.rank is None:  # a grouping such as the EU is not ranked
            return []
        return [
            tr(
                language,
                "Rank: <b>#{rank}</b> of {ranked} countries with a figure this month",
                rank=m.rank,
                ranked=m.ranked,
            )
        ]
    when = esc(period_label(m.period, language))
    lines = [
        ntr(
            language,
            "Rank: none. Only {n} country has a figure for {period}, too few to rank.",
            "Rank: none. Only {n} countries have a figure for {period}, too few to rank.",
            m.ranked,
            period=when,
        )
    ]
    if broad is not None and broad != m.period:
        command = f"/{series_command('exports', series, language)}{command_arg(who)} {broad.code}"
        lines.append(
            tr(
                language,
                "The latest month with broad coverage is {period}: {command}",
                period=esc(period_label(broad, language)),
                command=command,
            )
        )
    return lines


def _span(answer: SpanAnswer, language: Language = "en") -> list[str]:
    who, m = answer.partner, answer.metrics
    notes = Footnotes()
    lines = _heading(who, m.period, answer.series, language)
    total = m.total
    lines.append(_total_line(tr(language, "Total"), total, notes, language))
    if total.value is not None:
        lines += _note_line(total.value, answer.translations, language)
    if total.basis == "published" and total.months_known:
        lines.append(
            tr(
                language,
                "Months with a figure: {known} of {total}",
                known=total.months_known,
                total=total.months_total,
            )
        )
    elif total.basis == "published" and not (answer.parts and answer.parts.missing):
        lines.append(tr(language, "No monthly figures: the sources give only totals of spans"))
    year_ago = esc(period_label(m.period.year_earlier(), language))
    no_total = tr(language, "no total for {period}", period=year_ago)
    lines.append(_change_line(tr(language, "y/y"), m.yoy, no_total, notes, language))
    if who.code != WORLD and m.share_pct is not None and m.world and m.world.value:
        world = f"{sourced_tonnes(m.world.value, language)}{notes.mark(m.world.value)}"
        bound = total.value is not None and total.value.is_lower_bound
        part = share(m.share_pct, bound, language)
        lines.append(
            tr(
                language,
                "Share of China's total: <b>{share}</b> (of {total})",
                share=part,
                total=world,
            )
        )
    if m.usd is not None:
        value = value_line(m.usd, m.usd_per_tonne, total.value, m.per_unit_why, language)
        usd = f"<b>{sourced_usd(m.usd, language)}</b>{notes.mark(m.usd)}{value}"
        lines.append(tr(language, "Value: {value}", value=usd))
    blocks = ["\n".join(lines)]
    if answer.parts is not None:
        blocks.append(span_parts(answer, answer.parts, notes, language))
    blocks += legend(notes.shown, language)
    if notes.lines():
        blocks.append(_sources_block(notes, language))
    detail = (
        f"/{series_command('sources', answer.series, language)}{command_arg(who)} {m.period.code}"
    )
    blocks.append(tr(language, "Detail: {command}", command=detail))
    return fit(blocks)


def problem(answer: Problem | CountProblem, language: Language = "en") -> str:
    if isinstance(answer, CountProblem):
        if answer.count > MAX_TOP:
            return "🔢 " + tr(
                language,
                "I list at most {most} partners; {count} is more than that.",
                most=MAX_TOP,
                count=answer.count,
            )
        return "🔢 " + tr(
            language,
            "The number of partners to list is 1 to {most}; {count} is not.",
            most=MAX_TOP,
            count=answer.count,
        )
    if isinstance(answer, PeriodProblem):
        said = answer.message
        message = say(said_of(said) if isinstance(said, Misreading) else said, language)
        if answer.spans:  # no monthly figures: the spans there are
            spans = listing((period_label(p, language) for p in answer.spans), language)
            listed = tr(language, "The data has no months, only totals: {spans}.", spans=esc(spans))
            return f"🗓 {message}\n{listed}"
        covers = tr(
            language,
            "The data covers {first} to {last}. Periods look like 2025-06, June 2025, 6月, "
            "H1 2025, Q1 2025, 2025 or latest.",
            first=esc(period_label(answer.first, language)),
            last=esc(period_label(answer.last, language)),
        )
        return f"🗓 {message}\n{covers}"
    found = answer.problem
    if isinstance(found, Ambiguous):
        options = "\n".join(
            "• "
            + colon(
                f"{o.flag} {esc(partner_name(o, language))}", esc(answer.command(o.code)), language
            )
            for o in found.options
        )
        several = tr(language, "“{text}” could be several countries:", text=quote_input(found.text))
        return f"🤔 {several}\n{options}"
    unknown = "🤔 " + tr(
        language, "I don't know a country called “{text}”.", text=quote_input(found.text)
    )
    if found.suggestions:
        options = "\n".join(
            "• "
            + colon(
                f"{s.flag} {esc(partner_name(s, language))}", esc(answer.command(s.code)), language
            )
            for s in found.suggestions
        )
        return sentences([unknown, tr(language, "Did you mean:")], language) + "\n" + options
    hint = tr(
        language,
        "Try a name (Germany), an ISO code (US, DEU) or a Chinese name (美国), "
        "for example /exports US 2025-06.",
    )
    return f"{unknown}\n{hint}"


def _option(who: Partner, command: str, language: Language) -> str:
    """``🇩🇪 Germany: /exports DE``: a country offered, with the command that asks for it."""
    return colon(f"{who.flag} {esc(partner_name(who, language))}", esc(command), language)
