"""The digest a subscriber gets when several of its materials are released on the same check:
one message with a short block per series (its month's total and changes, and the commands
for the full summary and the sources) instead of a summary per series.

A new subscriber to several materials gets one too, headed as what it is (the latest month of
each, not news), and a block whose next month is overdue says so: nothing later is in the
data (graphite's figures end in February 2024). Only what the data holds is said, never what
the sources did.

A block names its material and unit from the series' description; split into several
messages only between blocks, each within Telegram's limit; each part says which blocks it
holds, so a material counts as received when the message with its block is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.data.series import SeriesInfo
from bot.figures import Change
from bot.reading.periods import Period
from bot.render.format import MAX_MESSAGE, change_pct, esc, fit, sourced_tonnes, with_chinese
from bot.render.material import command_word
from bot.summaries import SummaryAnswer

#: The longest message (a module setting, so tests can split a digest of a few blocks).
LIMIT = MAX_MESSAGE
NEWS = "📰 <b>New months in the data</b>"
WELCOME = "📬 <b>The latest month of each material you subscribed to</b>"


@dataclass(frozen=True)
class DigestPart:
    """One message of a digest and the items (by position) whose block it holds."""

    text: str
    covers: tuple[int, ...]


def series_title(info: SeriesInfo) -> str:
    """``Gallium (镓)``: the material's name, capitalised, with its Chinese name."""
    name = info.name[:1].upper() + info.name[1:]
    return with_chinese(name, info.name_zh)


def _change(change: Change | None, ahead: str, behind: str, base_label: str) -> str | None:
    if change is None or change.pct is None:
        return None
    word = ahead if change.absolute >= 0 else behind
    size = change_pct(change).lstrip("+-")
    return f"{word} {size} {base_label} ({sourced_tonnes(change.base)})"


def late(info: SeriesInfo, month: Period, today: date, of: str = "") -> str | None:
    """``⚠️ Nothing later is in the data, though March 2024 was expected around 20 April
    2024.`` when the month after ``month`` is overdue by the series' own release day (as
    ``/status`` says it), else None; ``of`` names the material after "later"."""
    expected = info.expected_release(month)
    if today <= expected:
        return None
    following = month.shift_months(1).label
    return (
        f"⚠️ Nothing later{esc(of)} is in the data, though {esc(following)} was expected around "
        f"{expected.day} {expected:%B %Y}."
    )


def block(info: SeriesInfo, answer: SummaryAnswer, note: str | None = None) -> str:
    """One series' block: its month's total with both changes, ``note`` (if any), and where
    to read more."""
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
    noted = f"{note}\n" if note else ""
    return (
        f"<b>{esc(series_title(info))}, {esc(month.label)}</b>\n"
        f"China exported <b>{esc(sourced_tonnes(world.tonnes))}</b>{changes}.\n"
        f"{noted}Full summary: /summary {esc(word)}{month.code} · sources: /sources {esc(word)}"
        f"{month.code}"
    )


def packed_digest(
    items: Sequence[tuple[SeriesInfo, SummaryAnswer]], welcome_on: date | None = None
) -> list[DigestPart]:
    """The digest of several series' months, in the order given: one message if it fits,
    else split between blocks. ``welcome_on``: a new subscriber's welcome on that day (its own
    heading, and a note on each month whose next one is overdue), not news."""
    names = ", ".join(dict.fromkeys(info.name for info, _ in items))
    heading = WELCOME if welcome_on is not None else NEWS
    blocks: list[tuple[str, int | None]] = [(f"{heading}: {esc(names)}", None)]
    for position, (info, answer) in enumerate(items):
        note = late(info, answer.period, welcome_on) if welcome_on is not None else None
        blocks.append((block(info, answer, note), position))
    parts: list[DigestPart] = []
    text, covers = "", tuple[int, ...]()
    for piece_of, index in blocks:
        for piece in fit([piece_of], LIMIT):  # one piece unless the block is over the limit
            joined = f"{text}\n\n{piece}" if text else piece
            if len(joined) > LIMIT:
                parts.append(DigestPart(text, covers))
                joined, covers = piece, ()
            text = joined
            if index is not None and index not in covers:
                covers += (index,)
    parts.append(DigestPart(text, covers))
    return parts


def digest(
    items: Sequence[tuple[SeriesInfo, SummaryAnswer]], welcome_on: date | None = None
) -> list[str]:
    """The digest's messages (see :func:`packed_digest`)."""
    return [part.text for part in packed_digest(items, welcome_on)]


def welcome_summary(info: SeriesInfo, month: Period, parts: list[str], today: date) -> list[str]:
    """A new subscriber's summary of one series: ``parts``, opened by a note when the month
    after ``month`` is overdue (a message of its own if the first part has no room for it)."""
    note = late(info, month, today, f" of {info.name}")
    if note is None:
        return parts
    if len(note) + 2 + len(parts[0]) <= LIMIT:
        return [f"{note}\n\n{parts[0]}", *parts[1:]]
    return [note, *parts]
