"""The monthly news summary, in the structure of the article the product grew from.

Headline paragraph, a key-data block in monospace (it stays aligned on a phone, since
Telegram has no tables), the half-year or year-to-date line, notable movers, the editor's
note when there is one, and the sources.
"""

from __future__ import annotations

from bot.figures import Change, Sourced
from bot.lookup import NoFigure, Problem
from bot.metrics import MonthMetrics
from bot.reading.partners import in_sentence, partner
from bot.render.answers import no_figure, problem
from bot.render.format import Footnotes, esc, fit, legend, pct, sourced_tonnes
from bot.summaries import SummaryAnswer

NAME_WIDTH = 14


def _direction(change: Change, up: str, down: str) -> str:
    return up if change.absolute >= 0 else down


def _month_name(m: MonthMetrics) -> str:
    return m.period.label.split()[0]


def headline(answer: SummaryAnswer) -> str:
    world = answer.world
    assert world.tonnes is not None
    text = (
        f"China exported <b>{sourced_tonnes(world.tonnes)}</b> of rare-earth permanent magnets "
        f"in {esc(answer.period.label)}"
    )
    clauses = []
    if world.mom is not None and world.mom.pct is not None:
        base = world.mom.base
        word = _direction(world.mom, "up", "down")
        clauses.append(
            f"{word} {abs(world.mom.pct):.1f}% from {esc(base.period.label.split()[0])} "
            f"({sourced_tonnes(base)})"
        )
    if world.yoy is not None and world.yoy.pct is not None:
        base = world.yoy.base
        word = _direction(world.yoy, "above", "below")
        clauses.append(
            f"{abs(world.yoy.pct):.1f}% {word} {esc(base.period.label)} ({sourced_tonnes(base)})"
        )
    if clauses:
        text += ", " + " and ".join(clauses)
    text += "."
    if answer.movers:
        mover = answer.movers[0]
        assert mover.mom is not None and mover.tonnes is not None and mover.mom.pct is not None
        verb = _direction(mover.mom, "rose", "fell")
        text += (
            f" Exports to {esc(in_sentence(partner(mover.partner)))} {verb} "
            f"{abs(mover.mom.pct):.1f}% "
            f"to {sourced_tonnes(mover.tonnes)}, from {sourced_tonnes(mover.mom.base)} in "
            f"{esc(mover.mom.base.period.label.split()[0])}."
        )
    return text


def _row(name: str, value: str, change: str = "") -> str:
    return f"{name[:NAME_WIDTH]:<{NAME_WIDTH}} {value:>10} {change:>8}".rstrip()


def key_data(answer: SummaryAnswer, notes: Footnotes) -> str:
    """The aligned key-data block."""
    world = answer.world
    assert world.tonnes is not None
    notes.mark(world.tonnes)
    rows = [
        _row("", "tonnes", "m/m"),
        _row(
            f"Total {world.period.short_label}",
            sourced_tonnes(world.tonnes),
            pct(world.mom.pct if world.mom else None),
        ),
    ]
    if world.yoy is not None:
        notes.mark(world.yoy.base)
        rows.append(
            _row(f" vs {world.yoy.base.period.short_label}", sourced_tonnes(world.yoy.base), "")
        )
        rows.append(_row("  y/y change", "", pct(world.yoy.pct)))
    cumulative, previous = answer.cumulative, answer.cumulative_prev
    label = cumulative.period.label
    if cumulative.value is not None:
        notes.mark(cumulative.value)
        rows.append(_row(label, sourced_tonnes(cumulative.value), ""))
        if previous.value is not None:
            notes.mark(previous.value)
            change = (cumulative.value.value / previous.value.value - 1) * 100
            rows.append(_row(f" vs {previous.period.label}", sourced_tonnes(previous.value), ""))
            rows.append(_row("  y/y change", "", pct(change)))
    else:
        rows.append(_row(label, "not known", ""))
    rows.append("")
    for m in answer.partners:
        assert m.tonnes is not None
        notes.mark(m.tonnes)
        name = "EU-27" if m.partner == "EU" else partner(m.partner).name
        rows.append(_row(name, sourced_tonnes(m.tonnes), pct(m.mom.pct) if m.mom else ""))
    return "📊 <b>Key data</b>\n<pre>" + esc("\n".join(rows)) + "</pre>"


def movers(answer: SummaryAnswer, notes: Footnotes) -> str | None:
    if not answer.movers:
        return None
    lines = ["📈 <b>Notable movers</b> (vs the month before)"]
    for m in answer.movers:
        assert m.mom is not None and m.tonnes is not None
        base: Sourced = m.mom.base
        lines.append(
            f"• {partner(m.partner).flag} {esc(partner(m.partner).name)}: "
            f"{sourced_tonnes(base)}{notes.mark(base)} → {sourced_tonnes(m.tonnes)} "
            f"({pct(m.mom.pct)})"
        )
    return "\n".join(lines)


def _bullets(heading: str, items: tuple[str, ...]) -> str | None:
    if not items:
        return None
    return heading + "\n" + "\n".join(f"• {esc(item)}" for item in items)


def _items(answer: SummaryAnswer) -> list[Sourced]:
    """Every sourced number the summary shows."""
    items = list(answer.world.inputs())
    for m in answer.partners:
        items += [i for i in (m.tonnes, m.mom.base if m.mom else None) if i is not None]
    items += [t.value for t in (answer.cumulative, answer.cumulative_prev) if t.value is not None]
    return items


def summary(answer: SummaryAnswer | NoFigure | Problem) -> list[str]:
    """The ``/summary`` reply; optional blocks are dropped before anything is cut."""
    if isinstance(answer, NoFigure):
        return [no_figure(answer, "summary")]
    if not isinstance(answer, SummaryAnswer):
        return [problem(answer)]
    notes = Footnotes()
    title = f"📰 <b>China's rare-earth magnet exports, {esc(answer.period.label)}</b>"
    blocks = [title, headline(answer), key_data(answer, notes)]
    optional = [movers(answer, notes)]
    if answer.note is not None:
        optional.append(_bullets("💡 <b>Why it matters</b>", answer.note.why))
        optional.append(_bullets("🔭 <b>What's next</b>", answer.note.next))
        optional.append("<i>Why it matters and What's next: ExportWatch editor's note.</i>")
    blocks += [b for b in optional if b]
    blocks += legend(_items(answer))
    source_block = "<b>Sources</b>\n" + "\n".join(notes.lines())
    more = f"Every figure's source: /sources {answer.period.code}"
    messages = fit([*blocks, source_block, more])
    if len(messages) > 1:
        messages = fit([*blocks, more])
    return messages
