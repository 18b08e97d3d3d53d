"""The short notice subscribers get when a figure of a month they were sent changes.

Quantities carry the series' unit (``t``, ``kg``); a notice for any series but rare-earth
magnets names its material and asks for the details in it (``/sources gallium 2025-10``).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.series import SeriesInfo
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.format import esc, fit
from bot.render.material import as_html, command_word, info_of, is_magnets


@dataclass(frozen=True)
class Change:
    partner: str
    before: float | None
    after: float | None


def _tonnes(value: float, info: SeriesInfo | str | None = None) -> str:
    """``590 t``, ``15,570 kg``: a quantity in the series' unit (magnets' tonnes by default)."""
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{text} {info_of(info).unit_label}"


def revision_notice(
    month: Period, changes: list[Change], info: SeriesInfo | str | None = None
) -> str:
    """``✏️ Revised: United States, August 2025: 590 t → 595 t``; a list for several.
    ``info`` is the series or its key (rare-earth magnets by default):
    ``✏️ Revised, gallium: …``."""
    series = info_of(info)
    word = as_html(command_word(series))
    named = "" if is_magnets(series) else f", {as_html(series.name)}"
    if len(changes) == 1 and None not in (changes[0].before, changes[0].after):
        (change,) = changes
        assert change.before is not None and change.after is not None
        name = esc(partner(change.partner).name)
        return (
            f"✏️ <b>Revised{named}</b>: {name}, {esc(month.label)}: "
            f"{_tonnes(change.before, series)} → {_tonnes(change.after, series)}\n"
            f"Details: /sources {word}{change.partner} {month.code}"
        )
    lines = [f"✏️ <b>Revised figures{named}, {esc(month.label)}</b>"]
    for change in changes:
        name = esc(partner(change.partner).name)
        if change.before is None and change.after is not None:
            lines.append(f"• {name}: new figure, {_tonnes(change.after, series)}")
        elif change.after is None and change.before is not None:
            lines.append(f"• {name}: {_tonnes(change.before, series)} → withdrawn by the sources")
        elif change.before is not None and change.after is not None:
            before, after = _tonnes(change.before, series), _tonnes(change.after, series)
            lines.append(f"• {name}: {before} → {after}")
    lines.append(f"Details: /sources {word}{month.code}")
    return fit(["\n".join(lines)])[0]
