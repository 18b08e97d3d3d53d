"""The monthly news summary, in the structure of the article the product grew from, for every
series: one template, with only what the series' data has.

A lead paragraph (the month's total with both changes, the half year or year to date with its
change, the notable partners), a key-data table in monospace that fits a phone, every partner
with its changes, the editor's note when there is one, and the sources. Percentages are stated
as the sources published them where they did. Every footnote mark sits on the figure or
percentage it sources, and only sources that a mark cites are listed. The material and its
unit come from the series' description (``SummaryAnswer.info``); a section the data has
nothing for (no partners, no note) is left out, never printed empty.
"""

from __future__ import annotations

from functools import lru_cache

from bot.data.series import SeriesInfo
from bot.figures import Change, Sourced
from bot.lookup import NoFigure, Problem
from bot.metrics import EU
from bot.reading.partners import in_sentence, partner
from bot.reading.periods import Period
from bot.render.answers import no_figure, problem
from bot.render.format import (
    UNIT_LABELS,
    Footnotes,
    esc,
    fit,
    fixed,
    fold,
    legend,
    months_known,
    sourced_tonnes,
    times,
    unit_of,
)
from bot.render.material import as_html, command_word, exports_title, noun, unit_legend
from bot.summaries import SummaryAnswer

#: The key-data table's widest line: a phone shows about this many monospace characters.
TABLE_WIDTH = 34
#: Short table labels for names longer than a table label may be.
SHORT_NAMES = {"US": "US", "EU": "EU-27", "GB": "UK"}
LABEL_WIDTH = 13


class _Writer:
    """Writes figures and percentages with the footnote mark of their source."""

    def __init__(self, notes: Footnotes) -> None:
        self.notes = notes

    def t(self, item: Sourced) -> str:
        return f"{sourced_tonnes(item)}{self.notes.mark(item)}"

    def pct(self, change: Change) -> str:
        """The size of a change, ``157.5%``, marked with its source when published;
        ``648-fold`` for a computed change to many times its base."""
        if (factor := fold(change)) is not None:
            return f"{times(factor)}-fold"
        size = f"{fixed(abs(change.pct or 0), change.pct_decimals)}%"
        if change.published is not None:
            size += self.notes.mark_change(change.published)
        return size


def _month_name(base: Period, current: Period) -> str:
    """``May`` for a month of the same year, else ``December 2024``."""
    label = base.label
    return label.split()[0] if base.year == current.year and base.is_month else label


def _up(change: Change, up: str, down: str) -> str:
    return up if change.absolute >= 0 else down


def lead(answer: SummaryAnswer, w: _Writer) -> str:
    """The lead paragraph."""
    world, month = answer.world, answer.period
    assert world.tonnes is not None
    text = (
        f"China exported <b>{w.t(world.tonnes)}</b> of {as_html(noun(answer.info))} "
        f"in {esc(month.label)}"
    )
    clauses = []
    if world.mom is not None and world.mom.pct is not None:
        base = world.mom.base
        clauses.append(
            f"{_up(world.mom, 'up', 'down')} {w.pct(world.mom)} from "
            f"{esc(_month_name(base.period, month))} ({w.t(base)})"
        )
    if world.yoy is not None and world.yoy.pct is not None:
        base = world.yoy.base
        clauses.append(
            f"{w.pct(world.yoy)} {_up(world.yoy, 'above', 'below')} "
            f"{esc(base.period.label)} ({w.t(base)})"
        )
    text += (", " + " and ".join(clauses) if clauses else "") + "."
    text += _cumulative_sentence(answer, w)
    for m in answer.notable:
        assert m.mom is not None and m.tonnes is not None
        base = m.mom.base
        text += (
            f" Exports to {esc(in_sentence(partner(m.partner)))} "
            f"{_up(m.mom, 'rose', 'fell')} {w.pct(m.mom)} to {w.t(m.tonnes)}, "
            f"from {w.t(base)} in {esc(_month_name(base.period, month))}"
        )
        if m.yoy is not None and m.yoy.pct is not None:
            word = _up(m.yoy, "above", "below")
            text += f", {w.pct(m.yoy)} {word} {esc(m.yoy.base.period.label)} ({w.t(m.yoy.base)})"
        text += "."
    return text


def _cumulative_sentence(answer: SummaryAnswer, w: _Writer) -> str:
    total, previous, change = answer.cumulative, answer.cumulative_prev, answer.cumulative_change
    if total.period.last_month == 1:
        return ""  # January's year to date is the month itself
    label = esc(total.period.label)
    if total.value is None:
        known = months_known(total.months_known, total.months_total)
        return f" The total for {label} is not known ({known})."
    text = f" In {label} exports totalled {w.t(total.value)}"
    if change is not None and change.pct is not None and previous.value is not None:
        word = _up(change, "up", "down")
        text += f", {word} {w.pct(change)} on {esc(previous.period.label)} ({w.t(previous.value)})"
    return text + "."


def table_label(code: str) -> str:
    """A partner's label in the table: its name, or a short name that is never cut."""
    name = partner(code).name
    return SHORT_NAMES.get(code, name if len(name) <= LABEL_WIDTH else code)


def _cell_t(item: Sourced | None) -> str:
    """A quantity without its unit (the column's header has it)."""
    if item is None:
        return "n/a"
    return sourced_tonnes(item).replace(f" {UNIT_LABELS[unit_of(item)]}", "", 1)


def _cell_pct(change: Change | None) -> str:
    if change is None or change.pct is None:
        return ""
    if (factor := fold(change)) is not None:
        return f"×{times(factor)}"
    return fixed(change.pct, change.pct_decimals, sign=True)


def table_rows(answer: SummaryAnswer) -> list[tuple[str, str, str, str]]:
    """The key data: label, quantity, m/m %, y/y % (an empty row separates the partners)."""
    world = answer.world
    month = world.period.short_label
    rows = [(month, _cell_t(world.tonnes), _cell_pct(world.mom), _cell_pct(world.yoy))]
    for change in (world.mom, world.yoy):
        if change is not None:
            rows.append((change.base.period.short_label, _cell_t(change.base), "", ""))
    total, previous = answer.cumulative, answer.cumulative_prev
    if total.period.last_month > 1:
        cell = _cell_pct(answer.cumulative_change)
        rows.append((total.period.label, _cell_t(total.value), "", cell))
        if previous.value is not None:
            rows.append((previous.period.label, _cell_t(previous.value), "", ""))
    if answer.notable:
        rows.append(("", "", "", ""))
    for m in answer.notable:
        label = table_label(m.partner)
        rows.append((label, _cell_t(m.tonnes), _cell_pct(m.mom), _cell_pct(m.yoy)))
    return rows


def key_data(answer: SummaryAnswer) -> str:
    """The aligned key-data table: every column sized to its widest cell, the quantity's
    header its unit (``t``, ``kg``)."""
    header = ("", answer.info.unit_label, "m/m%", "y/y%")
    rows = table_rows(answer)
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    lines = [
        f"{a:<{widths[0]}} {b:>{widths[1]}} {c:>{widths[2]}} {d:>{widths[3]}}".rstrip()
        for a, b, c, d in (header, *rows)
    ]
    lines = [line if line.strip() else "" for line in lines]
    return "📊 <b>Key data</b>\n<pre>" + esc("\n".join(lines)) + "</pre>"


def partners_block(answer: SummaryAnswer, w: _Writer) -> str | None:
    """Every partner the lead does not name, with its changes and their bases."""
    others = [m for m in answer.partners if m not in answer.notable]
    if not others:
        return None
    heading = "Other partners" if answer.notable else "By partner"
    lines = [f"🌍 <b>{heading}, {esc(answer.period.label)}</b>"]
    for m in others:
        assert m.tonnes is not None
        who = partner(m.partner)
        name = "EU-27" if m.partner == EU else who.name
        parts = [f"{w.t(m.tonnes)}"]
        for label, change in (("m/m", m.mom), ("y/y", m.yoy)):
            if change is not None and change.pct is not None:
                sign = "+" if change.absolute >= 0 else "-"
                size = f"×{times(f)}" if (f := fold(change)) is not None else sign + w.pct(change)
                parts.append(f"{label} {size} from {w.t(change.base)}")
        lines.append(f"• {who.flag} {esc(name)}: " + "; ".join(parts))
    if answer.unlisted:
        more = "1 more country has" if answer.unlisted == 1 else f"{answer.unlisted} more have"
        top = f"/top {as_html(command_word(answer.info))}{answer.period.code} 50"
        lines.append(f"• {more} a figure ({top} lists the largest 50)")
    return "\n".join(lines)


def _bullets(heading: str, items: tuple[str, ...]) -> str | None:
    if not items:
        return None
    return heading + "\n" + "\n".join(f"• {esc(item)}" for item in items)


def _items(answer: SummaryAnswer) -> list[Sourced]:
    """Every sourced number the summary shows (for the legend: no mark explained that is
    not shown; the month's value and a rejected total are not shown)."""
    world = answer.world
    items = [i for i in (world.tonnes, *(c.base for c in (world.mom, world.yoy) if c)) if i]
    for m in answer.partners:
        changes = (m.mom, m.yoy)
        items += [i for i in (m.tonnes, *(c.base for c in changes if c)) if i is not None]
    items += [t.value for t in (answer.cumulative, answer.cumulative_prev) if t.value is not None]
    return items


def published(info: SeriesInfo) -> str:
    """The key-data table's legend: its unit, and how its percentages are stated."""
    return (
        f"<i>{as_html(unit_legend(info))}; m/m, y/y: change in %, as the text above states it: a "
        "percentage with a footnote mark there is as its source published it, the others are "
        "computed.</i>"
    )


def summary(answer: SummaryAnswer | NoFigure | Problem) -> list[str]:
    """The ``/summary`` reply: one message when it fits Telegram's limit, else several; the
    editor's note is left out before any figure or source would have to be."""
    return list(_summary(answer))


@lru_cache(maxsize=256)
def _summary(answer: SummaryAnswer | NoFigure | Problem) -> tuple[str, ...]:
    """A summary lists every partner, so its text is memoised: the summary of one month,
    however it was asked (and pushed to each subscriber), is written once."""
    return tuple(_render_summary(answer))


def _render_summary(answer: SummaryAnswer | NoFigure | Problem) -> list[str]:
    if isinstance(answer, NoFigure):
        return [no_figure(answer, "summary")]
    if not isinstance(answer, SummaryAnswer):
        return [problem(answer)]
    notes = Footnotes()
    w = _Writer(notes)
    info = answer.info
    title = f"📰 <b>{as_html(exports_title(info))}, {esc(answer.period.label)}</b>"
    blocks = [title, lead(answer, w), key_data(answer), published(info)]
    blocks += [b for b in [partners_block(answer, w)] if b]
    optional: list[str] = []
    if answer.note is not None:
        optional += [
            b
            for b in (
                _bullets("💡 <b>Why it matters</b>", answer.note.why),
                _bullets("🔭 <b>What's next</b>", answer.note.next),
                "<i>Why it matters and What's next: ExportWatch editor's note.</i>",
            )
            if b
        ]
    closing = [
        *legend(_items(answer)),
        "<b>Sources</b>\n" + "\n".join(notes.lines()),
        f"Every figure's source: /sources {as_html(command_word(info))}{answer.period.code}",
    ]
    messages = fit([*blocks, *optional, *closing])
    if len(messages) > 1:
        shorter = fit([*blocks, *closing])
        messages = shorter if len(shorter) == 1 else messages
    return messages
