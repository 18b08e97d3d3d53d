"""The digest a subscriber gets when several of its materials are released on the same check:
one message with a short block per series (its month's total and changes, and the commands
for the full summary and the sources) instead of a summary per series.

A new subscriber to several materials gets one too, headed as what it is (the latest month of
each, not news), and a block whose next month is overdue says so: nothing later is in the
data (graphite's figures end in February 2024). Only what the data holds is said, never what
the sources did.

A block names its material and unit from the series' description; split into several
messages only between blocks, each within Telegram's limit; each part says which blocks it
holds, so a material counts as received when the message with its block is sent. Every
function takes the chat's ``language`` (English unless said): in Chinese a material is named
by its Chinese name, dates and numbers as CLDR writes them (2026年2月20日).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.data.series import SeriesInfo
from bot.figures import Change
from bot.i18n import Language, tr
from bot.i18n.formats import locale, period_label
from bot.reading.periods import Period
from bot.render.format import MAX_MESSAGE, change_pct, esc, fit, sourced_tonnes, with_chinese
from bot.render.material import command_word
from bot.summaries import SummaryAnswer

#: The longest message (a module setting, so tests can split a digest of a few blocks).
LIMIT = MAX_MESSAGE
NEWS = "📰 <b>New months in the data</b>"
WELCOME = "📬 <b>The latest month of each material you subscribed to</b>"
#: What separates the materials named in a digest's heading.
LIST_GAP: dict[Language, str] = {"en": ", ", "zh": "、"}


@dataclass(frozen=True)
class DigestPart:
    """One message of a digest and the items (by position) whose block it holds."""

    text: str
    covers: tuple[int, ...]


def series_title(info: SeriesInfo, language: Language = "en") -> str:
    """``Gallium (镓)``: the material's name, capitalised, with its Chinese name; in Chinese
    the Chinese name alone, ``镓``."""
    if language != "en" and info.name_zh:
        return info.name_zh
    name = info.name[:1].upper() + info.name[1:]
    return with_chinese(name, info.name_zh)


def _material(info: SeriesInfo, language: Language) -> str:
    """The material in a sentence or a list: ``gallium`` / ``镓``."""
    return info.name_zh if language != "en" and info.name_zh else info.name


def _change(
    change: Change | None, monthly: bool, base_label: str, language: Language
) -> str | None:
    """``up 49.0% from November 2025 (≈7,254 kg)`` (``monthly``), ``up 68.4% on December
    2024 (6,420 kg)``: a change's size and direction, with its base."""
    if change is None or change.pct is None:
        return None
    size = change_pct(change, language).lstrip("+-")
    values = {
        "pct": size,
        "period": esc(base_label),
        "base": esc(sourced_tonnes(change.base, language)),
    }
    up = change.absolute >= 0
    if monthly:
        if up:
            return tr(language, "up {pct} from {period} ({base})", **values)
        return tr(language, "down {pct} from {period} ({base})", **values)
    if up:
        return tr(language, "up {pct} on {period} ({base})", **values)
    return tr(language, "down {pct} on {period} ({base})", **values)


def _day(day: date, language: Language) -> str:
    """``20 February 2026`` / ``2026年2月20日``."""
    if language == "en":
        return f"{day.day} {day:%B %Y}"
    from babel.dates import format_skeleton

    return format_skeleton("yMMMd", day, locale=locale(language))


def late(
    info: SeriesInfo, month: Period, today: date, named: bool = False, language: Language = "en"
) -> str | None:
    """``⚠️ Nothing later is in the data, though March 2024 was expected around 20 April
    2024.`` when the month after ``month`` is overdue by the series' own release day (as
    ``/status`` says it), else None; ``named``: the material is named ("Nothing later of
    gallium")."""
    expected = info.expected_release(month)
    if today <= expected:
        return None
    following = esc(period_label(month.shift_months(1), language))
    when = esc(_day(expected, language))
    if named:
        return tr(
            language,
            "⚠️ Nothing later of {material} is in the data, though {month} was expected "
            "around {date}.",
            material=esc(_material(info, language)),
            month=following,
            date=when,
        )
    return tr(
        language,
        "⚠️ Nothing later is in the data, though {month} was expected around {date}.",
        month=following,
        date=when,
    )


def block(
    info: SeriesInfo, answer: SummaryAnswer, note: str | None = None, language: Language = "en"
) -> str:
    """One series' block: its month's total with both changes, ``note`` (if any), and where
    to read more."""
    world, month = answer.world, answer.period
    assert world.tonnes is not None
    clauses = [
        c
        for c in (
            _change(world.mom, True, period_label(world.mom.base.period, language), language)
            if world.mom
            else None,
            _change(world.yoy, False, period_label(world.yoy.base.period, language), language)
            if world.yoy
            else None,
        )
        if c
    ]
    amount = esc(sourced_tonnes(world.tonnes, language))
    if len(clauses) == 2:
        line = tr(
            language,
            "China exported <b>{amount}</b>, {change} and {other}.",
            amount=amount,
            change=clauses[0],
            other=clauses[1],
        )
    elif clauses:
        line = tr(
            language, "China exported <b>{amount}</b>, {change}.", amount=amount, change=clauses[0]
        )
    else:
        line = tr(language, "China exported <b>{amount}</b>.", amount=amount)
    word = esc(command_word(info, language))
    heading = tr(
        language,
        "<b>{material}, {period}</b>",
        material=esc(series_title(info, language)),
        period=esc(period_label(month, language)),
    )
    more = tr(
        language,
        "Full summary: {summary} · sources: {sources}",
        summary=f"/summary {word}{month.code}",
        sources=f"/sources {word}{month.code}",
    )
    noted = f"{note}\n" if note else ""
    return f"{heading}\n{line}\n{noted}{more}"


def packed_digest(
    items: Sequence[tuple[SeriesInfo, SummaryAnswer]],
    welcome_on: date | None = None,
    language: Language = "en",
) -> list[DigestPart]:
    """The digest of several series' months, in the order given: one message if it fits,
    else split between blocks. ``welcome_on``: a new subscriber's welcome on that day (its own
    heading, and a note on each month whose next one is overdue), not news."""
    names = esc(LIST_GAP[language].join(dict.fromkeys(_material(i, language) for i, _ in items)))
    if welcome_on is not None:
        heading = tr(
            language,
            "📬 <b>The latest month of each material you subscribed to</b>: {materials}",
            materials=names,
        )
    else:
        heading = tr(language, "📰 <b>New months in the data</b>: {materials}", materials=names)
    blocks: list[tuple[str, int | None]] = [(heading, None)]
    for position, (info, answer) in enumerate(items):
        note = late(info, answer.period, welcome_on, language=language) if welcome_on else None
        blocks.append((block(info, answer, note, language), position))
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
    items: Sequence[tuple[SeriesInfo, SummaryAnswer]],
    welcome_on: date | None = None,
    language: Language = "en",
) -> list[str]:
    """The digest's messages (see :func:`packed_digest`)."""
    return [part.text for part in packed_digest(items, welcome_on, language)]


def welcome_summary(
    info: SeriesInfo, month: Period, parts: list[str], today: date, language: Language = "en"
) -> list[str]:
    """A new subscriber's summary of one series: ``parts``, opened by a note when the month
    after ``month`` is overdue (a message of its own if the first part has no room for it)."""
    note = late(info, month, today, named=True, language=language)
    if note is None:
        return parts
    if len(note) + 2 + len(parts[0]) <= LIMIT:
        return [f"{note}\n\n{parts[0]}", *parts[1:]]
    return [note, *parts]
