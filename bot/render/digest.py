"""The digest a subscriber gets when several of its materials are released on the same check:
one message with a short block per series (its month's total and changes, and the commands
for the full summary and the sources) instead of a summary per series.

A block names its material and unit from the series' description; split into several
messages only between blocks, each within Telegram's limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo
from bot.figures import Change
from bot.render.format import change_pct, esc, fit, sourced_tonnes, with_chinese
from bot.summaries import SummaryAnswer


def series_title(info: SeriesInfo) -> str:
    """``Gallium (镓)``: the material's name, capitalised, with its Chinese name."""
    name = info.name[:1].upper() + info.name[1:]
    return with_chinese(name, info.name_zh)


def command_word(info: SeriesInfo) -> str:
    """The word that asks for a series in a command, with a space after it (``gallium ``,
    ``rare-earths ``); nothing for rare-earth magnets, the default."""
    return "" if info.key == CUSTOMS_SERIES else info.key.replace("_", "-").lower() + " "


def _change(change: Change | None, ahead: str, behind: str, base_label: str) -> str | None:
    if change is None or change.pct is None:
        return None
    word = ahead if change.absolute >= 0 else behind
    size = change_pct(change).lstrip("+-")
    return f"{word} {size} {base_label} ({sourced_tonnes(change.base)})"


def block(info: SeriesInfo, answer: SummaryAnswer) -> str:
    """One series' block: its month's total with both changes, and where to read more."""
    world, month = answer.world, answer.period
    assert world.tonnes is not None
    clauses = [
        c
        for c in (
            _change(world.mom, "up", "down", f"from {world.mom.base.period.label}")
            if world.mom
            else None,
            _change(world.yoy, "up", "down", f"on {world.yoy.base.period.label}")
            if world.yoy
            else None,
        )
        if c
    ]
    changes = f", {' and '.join(esc(c) for c in clauses)}" if clauses else ""
    word = command_word(info)
    return (
        f"<b>{esc(series_title(info))}, {esc(month.label)}</b>\n"
        f"China exported <b>{esc(sourced_tonnes(world.tonnes))}</b>{changes}.\n"
        f"Full summary: /summary {esc(word)}{month.code} · sources: /sources {esc(word)}"
        f"{month.code}"
    )


def digest(items: Sequence[tuple[SeriesInfo, SummaryAnswer]]) -> list[str]:
    """The digest of several series' new months, in the order given: one message if it fits
    Telegram's limit, else split between blocks."""
    names = [info.name for info, _ in items]
    listed = ", ".join(dict.fromkeys(names))
    title = f"📰 <b>New months in the data</b>: {esc(listed)}"
    return fit([title, *(block(info, answer) for info, answer in items)])
