"""What an answer says when the figure asked for is missing: the months and spans near it
that have one, China's total for the period, the months after the data (not in it yet, or
not published yet), each with the command that asks for it."""

from __future__ import annotations

from functools import partial

from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.i18n import Language, tr
from bot.i18n.formats import listing, partner_name, period_label, short_label
from bot.lookup import NoFigure, SpanAnswer, SpanParts
from bot.metrics import WORLD
from bot.period_choice import overlaps
from bot.reading.partners import Partner
from bot.reading.periods import Period
from bot.render.format import Footnotes, colon, esc, sourced_tonnes
from bot.series_choice import material_name, series_word


def series_command(command: str, series: str, language: Language = "en") -> str:
    """The command that asks again in the same series: ``exports`` → ``comtrade``,
    ``exports gallium``, ``sources rare-earths`` (``sources 稀土`` in Chinese); rare-earth
    magnets need no word."""
    if series == COMTRADE_SERIES and command == "exports":
        return "comtrade"
    word = series_word(series, language)
    return f"{command} {word}" if word else command


def command_arg(who: Partner) -> str:
    return "" if who.code == WORLD else f" {who.code}"


def span_parts(
    answer: SpanAnswer, parts: SpanParts, notes: Footnotes, language: Language = "en"
) -> str:
    """What is known inside a span with months missing, and the commands for the periods
    near it with a figure."""
    label = partial(period_label, language=language)
    short = partial(short_label, language=language)
    within = parts.months or parts.partials or parts.missing or parts.later or parts.unpublished
    lines = []
    if within:
        span = esc(label(answer.metrics.period))
        lines.append("<b>" + tr(language, "Within {period}", period=span) + "</b>")
    for m in parts.months:
        assert m.tonnes is not None
        amount = f"{sourced_tonnes(m.tonnes, language)}{notes.mark(m.tonnes)}"
        lines.append("• " + colon(esc(short(m.period)), amount, language))
    for total in parts.partials:
        assert total.value is not None
        amount = f"{sourced_tonnes(total.value, language)}{notes.mark(total.value)}"
        lines.append(
            "• "
            + tr(
                language,
                "{period}, published total: {amount}",
                period=esc(label(total.period)),
                amount=amount,
            )
        )
    if parts.missing:
        names = esc(listing((short(p) for p in parts.missing), language))
        lines.append(tr(language, "No figure for: {months}", months=names))
    if parts.later:  # due by today, but not in the data: the sources may well have them
        later = esc(_run(parts.later, language))
        lines.append(tr(language, "Not in the data yet: {months}", months=later))
    if parts.unpublished:  # not due yet: they cannot have been published
        unpublished = esc(_run(parts.unpublished, language))
        lines.append(tr(language, "Not published yet: {months}", months=unpublished))
    command = series_command("exports", answer.series, language)
    arg = command_arg(answer.partner)
    if parts.nearest:
        if any(not p.is_month for p in parts.nearest):
            lines.append(tr(language, "Periods near it with a total:"))
        else:
            lines.append(tr(language, "Months with a figure:"))
        lines += [
            "• " + colon(esc(label(p)), f"/{command}{arg} {p.code}", language)
            for p in parts.nearest
        ]
    return "\n".join(lines)


def _run(months: tuple[Period, ...], language: Language) -> str:
    """``Mar 2024 to Dec 2024``; ``Dec 2025`` alone."""
    first, last = short_label(months[0], language), short_label(months[-1], language)
    return first if first == last else tr(language, "{first} to {last}", first=first, last=last)


def no_figure(answer: NoFigure, command: str, language: Language = "en") -> str:
    """No figure for the partner and period: what the sources give instead (China's total
    for the period, the partner's nearest months and spans with a figure)."""
    who, period = answer.partner, answer.period
    arg = command_arg(who)
    series = answer.series
    command = series_command(command, series, language)
    exports = series_command("exports", series, language)
    named = series not in (CUSTOMS_SERIES, COMTRADE_SERIES)
    material = esc(material_name(series, language))
    name = esc(partner_name(who, language))
    when = esc(period_label(period, language))
    ask_total = f"/{exports} {period.code}"
    if named:
        total = tr(
            language,
            "The sources give only China's total {material} exports for {period}, not a "
            "figure by country: {command}",
            material=material,
            period=when,
            command=ask_total,
        )
    else:
        total = tr(
            language,
            "The sources give only China's total exports for {period}, not a figure by "
            "country: {command}",
            period=when,
            command=ask_total,
        )
    if not answer.partner_has_data:
        if series == COMTRADE_SERIES:
            first = tr(language, "UN Comtrade gives no figures for <b>{partner}</b>.", partner=name)
        elif named:
            first = tr(
                language,
                "The sources give no {material} figures for <b>{partner}</b>.",
                material=material,
                partner=name,
            )
        else:
            first = tr(language, "The sources give no figures for <b>{partner}</b>.", partner=name)
        first = f"{who.flag} {first}"
        if answer.total:
            return f"{first}\n{total}"
        if named:
            return first + " " + tr(language, "China's total: {command}", command=f"/{exports}")
        return first + " " + tr(language, "/help lists the partners that have some.")
    months = [p for p in (answer.before, answer.after) if p is not None]
    if period.is_month and not months and answer.spans:
        why = tr(language, "the sources give only totals of spans, not months")
    else:
        why = tr(language, "the sources do not give one")
    if named:
        missing = tr(
            language,
            "No figure for <b>{partner}</b> in {period} ({material}): {why}.",
            partner=name,
            period=when,
            material=material,
            why=why,
        )
    else:
        missing = tr(
            language,
            "No figure for <b>{partner}</b> in {period}: {why}.",
            partner=name,
            period=when,
            why=why,
        )
    lines = [f"{who.flag} {missing}"]
    if answer.total and not any(overlaps(p, period) for p in answer.spans):
        lines.append(total)
    elif answer.world or answer.total:
        lines.append(
            tr(language, "China's total for {period}: {command}", period=when, command=ask_total)
        )
    label = partial(period_label, language=language)
    if not answer.spans:
        if months:
            lines.append(tr(language, "Nearest months with a figure:"))
            lines += [
                "• " + colon(esc(label(p)), f"/{command}{arg} {p.code}", language) for p in months
            ]
        return "\n".join(lines)
    if who.code == WORLD:
        lines.append(tr(language, "Nearest figures:"))
    else:
        lines.append(tr(language, "Nearest figures for {partner}:", partner=name))
    for p in sorted((*months, *answer.spans), key=lambda p: (p.year, p.last_month, p.first_month)):
        if p.is_month:
            lines.append("• " + colon(esc(label(p)), f"/{command}{arg} {p.code}", language))
        else:
            total_of = tr(language, "{period} (total)", period=esc(label(p)))
            lines.append("• " + colon(total_of, f"/{exports}{arg} {p.code}", language))
    return "\n".join(lines)
