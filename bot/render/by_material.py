"""Telegram HTML for the answers about materials as such: every material for one partner
(``/exports all DE 2025-10``), two materials named in one question, a material's name
mistyped, and a series with no figures loaded yet."""

from __future__ import annotations

from bot.data.dataset import COMTRADE_SERIES
from bot.i18n import Language, tr
from bot.i18n.formats import listing, partner_name, period_label
from bot.lookup import MonthAnswer, NoFigure, SpanAnswer
from bot.metrics import WORLD
from bot.reading.grammar import Intent
from bot.reading.partners import Partner
from bot.reading.periods import Period
from bot.render.answers import NO_COMTRADE, command_arg, series_command
from bot.render.format import (
    Footnotes,
    change_pct,
    esc,
    fit,
    legend,
    months_known,
    quote_input,
    sourced_tonnes,
)
from bot.render.material import all_word, capital, command_word, name_in
from bot.series_choice import (
    AllMaterials,
    MaterialRow,
    MaterialTypo,
    TwoMaterials,
    material_name,
    series_word,
)

#: The command each kind of answer is asked with.
COMMANDS: dict[Intent, str] = {
    "exports": "exports",
    "compare": "exports",
    "top": "top",
    "chart": "chart",
    "summary": "summary",
    "sources": "sources",
    "materials": "exports",
}


def _names(named: list[str], language: Language) -> str:
    """``gallium and germanium`` / ``镓和锗``; three or more: ``镓、锗和锑``."""
    if language == "en":
        return " and ".join(named)
    if len(named) <= 2:
        return "和".join(named)
    return "、".join(named[:-1]) + "和" + named[-1]


def two_materials(answer: TwoMaterials, intent: Intent, language: Language = "en") -> str:
    """Two materials named: neither is picked; each one's command, and ``/exports all``."""
    command = COMMANDS[intent]
    names = _names([name_in(info, language) for info in answer.named], language)
    rest = " ".join(w for w in (answer.partner, answer.period) if w)
    said = tr(
        language,
        "You named two materials, {names}. I answer about one at a time, so I have not picked one:",
        names=esc(names),
    )
    lines = [f"🤔 {said}"]
    for info in answer.named:
        asked = " ".join(w for w in (command_word(info, language).strip(), rest) if w)
        slash = "comtrade" if info.key == COMTRADE_SERIES and command == "exports" else command
        if info.key == COMTRADE_SERIES and command == "exports":
            asked = rest
        name = esc(capital(name_in(info, language)))
        asked_for = f"/{slash} {esc(asked)}".rstrip()
        lines.append(tr(language, "• {name}: {command}", name=name, command=asked_for))
    if command == "exports" and " vs " not in answer.partner:  # every material: one partner
        every = f"/exports {all_word(language)} {esc(rest)}".rstrip()
        lines.append(tr(language, "Every material in one answer: {command}", command=every))
    return "\n".join(lines)


def material_typo(answer: MaterialTypo, intent: Intent, language: Language = "en") -> str:
    """A material's name mistyped: named back, with the command it probably meant."""
    command = COMMANDS[intent]
    said = tr(
        language,
        "I don't know a material or country called “{word}”. Did you mean {material}? {command}",
        word=quote_input(answer.word),
        material=esc(name_in(answer.suggestion, language)),
        command=f"/{command} {esc(answer.corrected)}",
    )
    lines = [f"🤔 {said}"]
    if answer.partners:
        lines.append(tr(language, "Or the country:"))
        lines += [
            tr(
                language,
                "• {name}: {command}",
                name=f"{p.flag} {esc(partner_name(p, language))}",
                command=esc(answer.partner_command(p.code)),
            )
            for p in answer.partners
        ]
    return "\n".join(lines)


def no_monthly(who: Partner, series: str, latest: Period, language: Language = "en") -> str:
    """A chart asked of a series (or partner) with only totals of spans (tungsten)."""
    name = material_name(series, language)
    command = f"/{series_command('exports', series, language)}{command_arg(who)} {latest.code}"
    if language == "en":
        place = "China's total" if who.code == WORLD else who.name
    else:
        place = partner_name(who, language)
    said = tr(
        language,
        "No monthly {material} figures to chart for {place}: the sources give only totals of "
        "spans, the latest for {period}: {command}",
        material=esc(name),
        place=esc(place),
        period=esc(period_label(latest, language)),
        command=esc(command),
    )
    return f"{who.flag} {said}"


def no_comtrade(language: Language = "en") -> str:
    """No UN Comtrade figures loaded: how an operator fetches them (:data:`NO_COMTRADE`)."""
    if language == "en":
        return NO_COMTRADE
    return tr(
        language,
        "No UN Comtrade figures are loaded yet. An operator can fetch a month with "
        "<code>python -m bot data fetch comtrade --period 2025-06</code> or import a "
        "Comtrade+ CSV file; /exports answers from China's customs tariff line 85051110.",
    )


def no_data(series: str, name: str, language: Language = "en") -> str:
    """A series named with no figures loaded; ``name`` is its English name (in Chinese
    the series' own Chinese name is used)."""
    if series == COMTRADE_SERIES:
        return no_comtrade(language)
    named = name if language == "en" else material_name(series, language)
    return tr(
        language,
        "No {material} figures are loaded yet. /help lists the materials that have some.",
        material=esc(named),
    )


def every_material(answer: AllMaterials, language: Language = "en") -> list[str]:
    """Each material's figure for one partner and period, one line each, with its unit,
    changes where known and sources; the materials without a figure named briefly."""
    who, period = answer.partner, answer.period
    notes = Footnotes()
    name = esc(partner_name(who, language))
    if period is not None:
        when = esc(period_label(period, language))
    else:
        when = esc(tr(language, "the latest period of each"))
    if who.code == WORLD:
        place = esc(tr(language, "China's exports"))
    else:
        place = tr(language, "China → {partner}", partner=name)
    title = tr(language, "Every material: {place}, {period}", place=place, period=when)
    lines = [f"{who.flag} <b>{title}</b>", ""]
    none, commands = [], []
    for row in answer.rows:
        line = _line(row, notes, period is None, language)
        if line is None:
            none.append(_none(row, language))
            continue
        lines.append(line)
        found = row.answer
        assert isinstance(found, MonthAnswer | SpanAnswer)
        code = found.metrics.period.code
        commands.append(
            f"/{series_command('exports', row.info.key, language)}{command_arg(who)} {code}"
        )
    if len(lines) == 2:
        lines.append(tr(language, "No material has a figure for this partner and period."))
    if none:
        listed = listing(none, language)
        if period is not None and who.code != WORLD:
            lines.append(
                tr(
                    language,
                    "No figure for {partner} in {period}: {materials}.",
                    partner=name,
                    period=when,
                    materials=listed,
                )
            )
        elif period is not None:
            lines.append(
                tr(language, "No figure in {period}: {materials}.", period=when, materials=listed)
            )
        else:
            lines.append(
                tr(
                    language,
                    "No figure for {partner}: {materials}.",
                    partner=name,
                    materials=listed,
                )
            )
    blocks = ["\n".join(lines), *legend(notes.shown, language)]
    if notes.lines():
        blocks.append("<b>" + tr(language, "Sources") + "</b>\n" + "\n".join(notes.lines()))
    if commands:
        blocks.append(tr(language, "In full: {commands}", commands=esc(" · ".join(commands))))
    return fit(blocks)


def _line(row: MaterialRow, notes: Footnotes, with_period: bool, language: Language) -> str | None:
    """``• Gallium: 10,000 kg¹ · m/m +100% · y/y +25%``; ``None`` without a figure."""
    found = row.answer
    name = f"<b>{esc(capital(name_in(row.info, language)))}</b>"

    def head(period: Period, stated: str) -> str:
        if with_period:
            when = esc(period_label(period, language))
            return tr(
                language,
                "{material}, {period}: {amount}",
                material=name,
                period=when,
                amount=stated,
            )
        return tr(language, "{material}: {amount}", material=name, amount=stated)

    if isinstance(found, MonthAnswer) and found.metrics.tonnes is not None:
        m = found.metrics
        assert m.tonnes is not None
        stated = f"<b>{sourced_tonnes(m.tonnes, language)}</b>{notes.mark(m.tonnes)}"
        parts = [f"• {head(m.period, stated)}"]
        if m.mom is not None:
            parts.append(tr(language, "m/m {change}", change=change_pct(m.mom, language)))
        if m.yoy is not None:
            parts.append(tr(language, "y/y {change}", change=change_pct(m.yoy, language)))
        return " · ".join(parts)
    if isinstance(found, SpanAnswer) and found.metrics.total.value is not None:
        s = found.metrics
        total = s.total.value
        assert total is not None
        stated = f"<b>{sourced_tonnes(total, language)}</b>{notes.mark(total)}"
        parts = [f"• {head(s.period, stated)}"]
        if s.yoy is not None:
            parts.append(tr(language, "y/y {change}", change=change_pct(s.yoy, language)))
        return " · ".join(parts)
    if isinstance(found, SpanAnswer) and found.metrics.total.months_known:
        span = found.metrics.total
        known = months_known(span.months_known, span.months_total, language)
        stated = tr(language, "total not known ({known})", known=known)
        return f"• {head(found.metrics.period, stated)}"
    return None


def _none(row: MaterialRow, language: Language) -> str:
    """A material without a figure, and why when it is known: ``rare earths (only China's
    total)``."""
    name = esc(name_in(row.info, language))
    found = row.answer
    if isinstance(found, NoFigure) and found.total:
        command = f"/exports {series_word(row.info.key, language)} {found.period.code}"
        return tr(
            language,
            "{material} (only China's total: {command})",
            material=name,
            command=esc(command),
        )
    return name
