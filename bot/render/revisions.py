"""The short notice subscribers get when a figure of a month they were sent changes.

Quantities carry the series' unit (``t``, ``kg``); a notice for any series but rare-earth
magnets names its material and asks for the details in it (``/sources gallium 2025-10``).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.series import SeriesInfo
from bot.i18n import Language, tr
from bot.i18n.formats import partner_name, period_label
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.format import amount, esc, fit
from bot.render.material import as_html, command_word, info_of, is_magnets


@dataclass(frozen=True)
class Change:
    partner: str
    before: float | None
    after: float | None


def _tonnes(value: float, info: SeriesInfo, language: Language) -> str:
    """``590 t``, ``15,570 kg``: a quantity in the series' unit, at most one decimal."""
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    if language == "en":
        return f"{text} {info.unit_label}"
    return amount(text, info.unit, language)


def revision_notice(
    month: Period,
    changes: list[Change],
    info: SeriesInfo | str | None = None,
    language: Language = "en",
) -> str:
    """``✏️ Revised: United States, August 2025: 590 t → 595 t``; a list for several.
    ``info`` is the series or its key (rare-earth magnets by default):
    ``✏️ Revised, gallium: …``."""
    series = info_of(info)
    word = as_html(command_word(series, language))
    when = esc(period_label(month, language))
    material = as_html(series.name_zh if language == "zh" and series.name_zh else series.name)
    magnets = is_magnets(series)
    if len(changes) == 1 and None not in (changes[0].before, changes[0].after):
        (change,) = changes
        assert change.before is not None and change.after is not None
        values = {
            "partner": esc(partner_name(partner(change.partner), language)),
            "period": when,
            "before": _tonnes(change.before, series, language),
            "after": _tonnes(change.after, series, language),
        }
        if magnets:
            head = tr(language, "<b>Revised</b>: {partner}, {period}: {before} → {after}", **values)
        else:
            head = tr(
                language,
                "<b>Revised, {material}</b>: {partner}, {period}: {before} → {after}",
                material=material,
                **values,
            )
        details = f"/sources {word}{change.partner} {month.code}"
        return f"✏️ {head}\n" + tr(language, "Details: {command}", command=details)
    if magnets:
        title = tr(language, "Revised figures, {period}", period=when)
    else:
        title = tr(
            language, "Revised figures, {material}, {period}", material=material, period=when
        )
    lines = [f"✏️ <b>{title}</b>"]
    for change in changes:
        name = esc(partner_name(partner(change.partner), language))
        if change.before is None and change.after is not None:
            after = _tonnes(change.after, series, language)
            lines.append(
                "• " + tr(language, "{partner}: new figure, {after}", partner=name, after=after)
            )
        elif change.after is None and change.before is not None:
            before = _tonnes(change.before, series, language)
            lines.append(
                "• "
                + tr(
                    language,
                    "{partner}: {before} → withdrawn by the sources",
                    partner=name,
                    before=before,
                )
            )
        elif change.before is not None and change.after is not None:
            before = _tonnes(change.before, series, language)
            after = _tonnes(change.after, series, language)
            lines.append(f"• {name}: {before} → {after}")
    lines.append(tr(language, "Details: {command}", command=f"/sources {word}{month.code}"))
    return fit(["\n".join(lines)])[0]
