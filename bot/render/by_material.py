"""Telegram HTML for the answers about materials as such: every material for one partner
(``/exports all DE 2025-10``), two materials named in one question, a material's name
mistyped, and a series with no figures loaded yet."""

from __future__ import annotations

from bot.data.dataset import COMTRADE_SERIES
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
from bot.series_choice import (
    AllMaterials,
    MaterialRow,
    MaterialTypo,
    TwoMaterials,
    material_name,
    series_word,
    with_series,
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


def capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def two_materials(answer: TwoMaterials, intent: Intent) -> str:
    """Two materials named: neither is picked; each one's command, and ``/exports all``."""
    command = COMMANDS[intent]
    names = " and ".join(info.name for info in answer.named)
    rest = " ".join(w for w in (answer.partner, answer.period) if w)
    lines = [
        f"🤔 You named two materials, {esc(names)}. I answer about one at a time, so I have "
        "not picked one:"
    ]
    for info in answer.named:
        asked = with_series(info.key, rest)
        slash = "comtrade" if info.key == COMTRADE_SERIES and command == "exports" else command
        if info.key == COMTRADE_SERIES and command == "exports":
            asked = rest
        lines.append(f"• {esc(capital(info.name))}: /{slash} {esc(asked)}".rstrip())
    if command == "exports" and " vs " not in answer.partner:  # every material: one partner
        lines.append(f"Every material in one answer: /exports all {esc(rest)}".rstrip())
    return "\n".join(lines)


def material_typo(answer: MaterialTypo, intent: Intent) -> str:
    """A material's name mistyped: named back, with the command it probably meant."""
    command = COMMANDS[intent]
    word = quote_input(answer.word)
    lines = [
        f"🤔 I don't know a material or country called “{word}”. Did you mean "
        f"{esc(answer.suggestion.name)}? /{command} {esc(answer.corrected)}"
    ]
    if answer.partners:
        lines.append("Or the country:")
        lines += [
            f"• {p.flag} {esc(p.name)}: {esc(answer.partner_command(p.code))}"
            for p in answer.partners
        ]
    return "\n".join(lines)


def no_monthly(who: Partner, series: str, latest: Period) -> str:
    """A chart asked of a series (or partner) with only totals of spans (tungsten)."""
    name = material_name(series)
    command = f"/{series_command('exports', series)}{command_arg(who)} {latest.code}"
    place = "China's total" if who.code == WORLD else who.name
    return (
        f"{who.flag} No monthly {esc(name)} figures to chart for {esc(place)}: the sources "
        f"give only totals of spans, the latest for {esc(latest.label)}: {esc(command)}"
    )


def no_data(series: str, name: str) -> str:
    if series == COMTRADE_SERIES:
        return NO_COMTRADE
    return f"No {esc(name)} figures are loaded yet. /help lists the materials that have some."


def every_material(answer: AllMaterials) -> list[str]:
    """Each material's figure for one partner and period, one line each, with its unit,
    changes where known and sources; the materials without a figure named briefly."""
    who, period = answer.partner, answer.period
    notes = Footnotes()
    place = "China's exports" if who.code == WORLD else f"China → {who.name}"
    when = period.label if period is not None else "the latest period of each"
    lines = [f"{who.flag} <b>Every material: {esc(place)}, {esc(when)}</b>", ""]
    none, commands = [], []
    for row in answer.rows:
        line = _line(row, notes, with_period=period is None)
        if line is None:
            none.append(_none(row))
            continue
        lines.append(line)
        found = row.answer
        assert isinstance(found, MonthAnswer | SpanAnswer)
        code = found.metrics.period.code
        commands.append(f"/{series_command('exports', row.info.key)}{command_arg(who)} {code}")
    if len(lines) == 2:
        lines.append("No material has a figure for this partner and period.")
    if none:
        which = (
            f"for {who.name} in {period.label}"
            if period is not None and who.code != WORLD
            else (f"in {period.label}" if period is not None else f"for {who.name}")
        )
        lines.append(f"No figure {esc(which)}: {', '.join(none)}.")
    blocks = ["\n".join(lines), *legend(notes.shown)]
    if notes.lines():
        blocks.append("<b>Sources</b>\n" + "\n".join(notes.lines()))
    if commands:
        blocks.append("In full: " + esc(" · ".join(commands)))
    return fit(blocks)


def _line(row: MaterialRow, notes: Footnotes, with_period: bool) -> str | None:
    """``• Gallium: 10,000 kg¹ · m/m +100% · y/y +25%``; ``None`` without a figure."""
    found = row.answer
    name = esc(capital(row.info.name))
    if isinstance(found, MonthAnswer) and found.metrics.tonnes is not None:
        m = found.metrics
        assert m.tonnes is not None
        label = f", {esc(m.period.label)}" if with_period else ""
        parts = [f"• <b>{name}</b>{label}: <b>{sourced_tonnes(m.tonnes)}</b>{notes.mark(m.tonnes)}"]
        if m.mom is not None:
            parts.append(f"m/m {change_pct(m.mom)}")
        if m.yoy is not None:
            parts.append(f"y/y {change_pct(m.yoy)}")
        return " · ".join(parts)
    if isinstance(found, SpanAnswer) and found.metrics.total.value is not None:
        s = found.metrics
        total = s.total.value
        assert total is not None
        label = f", {esc(s.period.label)}" if with_period else ""
        parts = [f"• <b>{name}</b>{label}: <b>{sourced_tonnes(total)}</b>{notes.mark(total)}"]
        if s.yoy is not None:
            parts.append(f"y/y {change_pct(s.yoy)}")
        return " · ".join(parts)
    if isinstance(found, SpanAnswer) and found.metrics.total.months_known:
        span = found.metrics.total
        label = f", {esc(found.metrics.period.label)}" if with_period else ""
        known = months_known(span.months_known, span.months_total)
        return f"• <b>{name}</b>{label}: total not known ({known})"
    return None


def _none(row: MaterialRow) -> str:
    """A material without a figure, and why when it is known: ``rare earths (only China's
    total)``."""
    name = esc(row.info.name)
    found = row.answer
    if isinstance(found, NoFigure) and found.total:
        command = f"/exports {series_word(row.info.key)} {found.period.code}"
        return f"{name} (only China's total: {esc(command)})"
    return name
