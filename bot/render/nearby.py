"""What an answer says when the figure asked for is missing: the months and spans near it
that have one, China's total for the period, the months after the data (not in it yet, or
not published yet), each with the command that asks for it."""

from __future__ import annotations

from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.lookup import NoFigure, SpanAnswer, SpanParts
from bot.metrics import WORLD
from bot.period_choice import overlaps
from bot.reading.partners import Partner
from bot.reading.periods import Period
from bot.render.format import Footnotes, esc, sourced_tonnes
from bot.series_choice import material_name, series_word


def series_command(command: str, series: str) -> str:
    """The command that asks again in the same series: ``exports`` → ``comtrade``,
    ``exports gallium``, ``sources rare-earths``; rare-earth magnets need no word."""
    if series == COMTRADE_SERIES and command == "exports":
        return "comtrade"
    word = series_word(series)
    return f"{command} {word}" if word else command


def command_arg(who: Partner) -> str:
    return "" if who.code == WORLD else f" {who.code}"


def span_parts(answer: SpanAnswer, parts: SpanParts, notes: Footnotes) -> str:
    """What is known inside a span with months missing, and the commands for the periods
    near it with a figure."""
    label = answer.metrics.period.label
    within = parts.months or parts.partials or parts.missing or parts.later or parts.unpublished
    lines = [f"<b>Within {esc(label)}</b>"] if within else []
    for m in parts.months:
        assert m.tonnes is not None
        lines.append(
            f"• {esc(m.period.short_label)}: {sourced_tonnes(m.tonnes)}{notes.mark(m.tonnes)}"
        )
    for total in parts.partials:
        assert total.value is not None
        lines.append(
            f"• {esc(total.period.label)}, published total: {sourced_tonnes(total.value)}"
            f"{notes.mark(total.value)}"
        )
    if parts.missing:
        names = ", ".join(p.short_label for p in parts.missing)
        lines.append(f"No figure for: {esc(names)}")
    if parts.later:  # due by today, but not in the data: the sources may well have them
        lines.append(f"Not in the data yet: {esc(_run(parts.later))}")
    if parts.unpublished:  # not due yet: they cannot have been published
        lines.append(f"Not published yet: {esc(_run(parts.unpublished))}")
    command = series_command("exports", answer.series)
    arg = command_arg(answer.partner)
    if parts.nearest:
        spans = any(not p.is_month for p in parts.nearest)
        lines.append("Periods near it with a total:" if spans else "Months with a figure:")
        lines += [f"• {esc(p.label)}: /{command}{arg} {p.code}" for p in parts.nearest]
    return "\n".join(lines)


def _run(months: tuple[Period, ...]) -> str:
    """``Mar 2024 to Dec 2024``; ``Dec 2025`` alone."""
    first, last = months[0], months[-1]
    return first.short_label if first == last else f"{first.short_label} to {last.short_label}"


def no_figure(answer: NoFigure, command: str) -> str:
    """No figure for the partner and period: what the sources give instead (China's total
    for the period, the partner's nearest months and spans with a figure)."""
    who, period = answer.partner, answer.period
    arg = command_arg(who)
    series = answer.series
    command = series_command(command, series)
    exports = series_command("exports", series)
    named = series not in (CUSTOMS_SERIES, COMTRADE_SERIES)
    what = f"{material_name(series)} " if named else ""
    total = (
        f"The sources give only China's total {esc(what)}exports for {esc(period.label)}, "
        f"not a figure by country: /{exports} {period.code}"
    )
    if not answer.partner_has_data:
        sources = "UN Comtrade gives" if series == COMTRADE_SERIES else "The sources give"
        first = f"{who.flag} {sources} no {esc(what)}figures for <b>{esc(who.name)}</b>."
        if answer.total:
            return f"{first}\n{total}"
        if named:
            return f"{first} China's total: /{exports}"
        return f"{first} /help lists the partners that have some."
    months = [p for p in (answer.before, answer.after) if p is not None]
    why = "the sources do not give one"
    if period.is_month and not months and answer.spans:
        why = "the sources give only totals of spans, not months"
    lines = [
        f"{who.flag} No figure for <b>{esc(who.name)}</b> in {esc(period.label)}"
        f"{f' ({esc(material_name(series))})' if named else ''}: {why}."
    ]
    if answer.total and not any(overlaps(p, period) for p in answer.spans):
        lines.append(total)
    elif answer.world or answer.total:
        lines.append(f"China's total for {esc(period.label)}: /{exports} {period.code}")
    if not answer.spans:
        if months:
            lines.append("Nearest months with a figure:")
            lines += [f"• {esc(p.label)}: /{command}{arg} {p.code}" for p in months]
        return "\n".join(lines)
    place = "" if who.code == WORLD else f" for {esc(who.name)}"
    lines.append(f"Nearest figures{place}:")
    for p in sorted((*months, *answer.spans), key=lambda p: (p.year, p.last_month, p.first_month)):
        asked = command if p.is_month else exports
        kind = "" if p.is_month else " (total)"
        lines.append(f"• {esc(p.label)}{kind}: /{asked}{arg} {p.code}")
    return "\n".join(lines)
