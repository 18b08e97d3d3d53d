"""The short notice subscribers get when a figure of a month they were sent changes."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.format import esc, fit


@dataclass(frozen=True)
class Change:
    partner: str
    before: float | None
    after: float | None


def _tonnes(value: float) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{text} t"


def revision_notice(month: Period, changes: list[Change]) -> str:
    """``✏️ Revised: United States, August 2025: 590 t → 595 t``; a list for several."""
    if len(changes) == 1 and None not in (changes[0].before, changes[0].after):
        (change,) = changes
        assert change.before is not None and change.after is not None
        name = esc(partner(change.partner).name)
        return (
            f"✏️ <b>Revised</b>: {name}, {esc(month.label)}: {_tonnes(change.before)} → "
            f"{_tonnes(change.after)}\nDetails: /sources {change.partner} {month.code}"
        )
    lines = [f"✏️ <b>Revised figures, {esc(month.label)}</b>"]
    for change in changes:
        name = esc(partner(change.partner).name)
        if change.before is None and change.after is not None:
            lines.append(f"• {name}: new figure, {_tonnes(change.after)}")
        elif change.after is None and change.before is not None:
            lines.append(f"• {name}: {_tonnes(change.before)} → withdrawn by the sources")
        elif change.before is not None and change.after is not None:
            lines.append(f"• {name}: {_tonnes(change.before)} → {_tonnes(change.after)}")
    lines.append(f"Details: /sources {month.code}")
    return fit(["\n".join(lines)])[0]
