"""The monthly news summary, in the structure of the article the product grew from, for every
series: one template, with only what the series' data has, in English or Chinese.

A lead paragraph (the month's total with both changes, the half year or year to date with its
change, the notable partners), a key-data table in monospace that fits a phone, every partner
with its changes, the editor's note when there is one, and the sources. Percentages are stated
as the sources published them where they did. Every footnote mark sits on the figure or
percentage it sources, and only sources that a mark cites are listed. The material and its
unit come from the series' description (``SummaryAnswer.info``); a section the data has
nothing for (no partners, no note) is left out, never printed empty.

In Chinese every sentence is a catalog message with its figures as placeholders; the footnote
marks are numbered as in English (a mark means the same source in both); the editor's note is
its Chinese text (``2025-06.zh.md``), or a line saying it has none yet, never the English.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache

from bot.data.series import SeriesInfo
from bot.figures import Change, Sourced
from bot.i18n import Language, ntr, tr
from bot.i18n.formats import locale, partner_name, period_label, short_label
from bot.lookup import NoFigure, Problem
from bot.metrics import EU, MonthMetrics
from bot.reading.partners import in_sentence, partner
from bot.reading.periods import Period
from bot.render.answers import no_figure, problem
from bot.render.format import (
    Footnotes,
    esc,
    fit,
    fixed,
    fold,
    legend,
    months_known,
    per_unit,
    sourced_tonnes,
    times,
)
from bot.render.material import as_html, command_word, is_magnets, noun
from bot.summaries import SummaryAnswer

#: The key-data table's widest line: a phone shows about this many monospace characters
#: (a Chinese character takes two).
TABLE_WIDTH = 34
#: Short table labels for names longer than a table label may be.
SHORT_NAMES = {"US": "US", "EU": "EU-27", "GB": "UK"}
SHORT_NAMES_ZH = {"EU": "欧盟"}
LABEL_WIDTH = 13
#: What separates the sentences of a paragraph, and the parts of a partner's line.
SENTENCE_GAP: dict[Language, str] = {"en": " ", "zh": ""}
PART_GAP: dict[Language, str] = {"en": "; ", "zh": "；"}


class _Writer:
    """Writes figures and percentages with the footnote mark of their source."""

    def __init__(self, notes: Footnotes, language: Language = "en") -> None:
        self.notes = notes
        self.language = language

    def t(self, item: Sourced) -> str:
        return f"{sourced_tonnes(item, self.language)}{self.notes.mark(item)}"

    def pct(self, change: Change) -> str:
        """The size of a change, ``157.5%``, marked with its source when published;
        ``648-fold`` for a computed change to many times its base."""
        if (factor := fold(change)) is not None:
            # TRANSLATORS: the size of a rise to many times its base, after "up"/"rose".
            return tr(self.language, "{factor}-fold", factor=times(factor, self.language))
        size = f"{fixed(abs(change.pct or 0), change.pct_decimals, language=self.language)}%"
        if change.published is not None:
            size += self.notes.mark_change(change.published)
        return size


def span_label(period: Period, language: Language = "en") -> str:
    """A period's label, a year to date named as English names it: January to June is the
    first half (``H1 2025`` / ``2025年上半年``), January to March the first quarter."""
    if period.kind == "ytd" and period.last_month == 6:
        period = Period(period.year, 1, 6, "half")
    elif period.kind == "ytd" and period.last_month == 3:
        period = Period(period.year, 1, 3, "quarter")
    return period_label(period, language)


def _month_name(base: Period, current: Period, language: Language = "en") -> str:
    """``May`` / ``5月`` for a month of the same year, else ``December 2024`` /
    ``2024年12月``."""
    if not (base.year == current.year and base.is_month):
        return period_label(base, language)
    if language == "en":
        return base.label.split()[0]
    return _month_alone(base.first_month, language)


@lru_cache(maxsize=32)
def _month_alone(month: int, language: Language) -> str:
    """A month without its year as CLDR writes it: ``5月``."""
    from babel.dates import format_skeleton

    return format_skeleton("MMM", date(2000, month, 1), locale=locale(language))


def _from(change: Change, size: str, month: str, base: str, language: Language) -> str:
    """A change on the month before: ``up 157.5% from May (1,238 t)``."""
    if change.absolute >= 0:
        return tr(language, "up {pct} from {period} ({base})", pct=size, period=month, base=base)
    return tr(language, "down {pct} from {period} ({base})", pct=size, period=month, base=base)


def _against(change: Change, size: str, period: str, base: str, language: Language) -> str:
    """A change on a year earlier: ``38.1% below June 2024 (≈5,150 t)``."""
    if change.absolute >= 0:
        return tr(language, "{pct} above {period} ({base})", pct=size, period=period, base=base)
    return tr(language, "{pct} below {period} ({base})", pct=size, period=period, base=base)


def _on(change: Change, size: str, period: str, base: str, language: Language) -> str:
    """A change on the same span a year earlier: ``down 18.9% on H1 2024 (≈27,520 t)``."""
    if change.absolute >= 0:
        return tr(language, "up {pct} on {period} ({base})", pct=size, period=period, base=base)
    return tr(language, "down {pct} on {period} ({base})", pct=size, period=period, base=base)


def _material(info: SeriesInfo, language: Language) -> str:
    """What China exported, in a sentence: ``rare-earth permanent magnets`` / ``稀土永磁体``."""
    if language == "en":
        return noun(info)
    return info.name_zh or info.name


def _first_sentence(answer: SummaryAnswer, w: _Writer, language: Language) -> str:
    world, month = answer.world, answer.period
    assert world.tonnes is not None
    amount = w.t(world.tonnes)
    clauses = []
    if world.mom is not None and world.mom.pct is not None:
        base = world.mom.base
        size = w.pct(world.mom)
        name = esc(_month_name(base.period, month, language))
        clauses.append(_from(world.mom, size, name, w.t(base), language))
    if world.yoy is not None and world.yoy.pct is not None:
        base = world.yoy.base
        size = w.pct(world.yoy)
        when = esc(period_label(base.period, language))
        clauses.append(_against(world.yoy, size, when, w.t(base), language))
    values = {
        "amount": amount,
        "material": as_html(_material(answer.info, language)),
        "month": esc(period_label(month, language)),
    }
    if len(clauses) == 2:
        return tr(
            language,
            "China exported <b>{amount}</b> of {material} in {month}, {change} and {other}.",
            change=clauses[0],
            other=clauses[1],
            **values,
        )
    if clauses:
        return tr(
            language,
            "China exported <b>{amount}</b> of {material} in {month}, {change}.",
            change=clauses[0],
            **values,
        )
    return tr(language, "China exported <b>{amount}</b> of {material} in {month}.", **values)


def _notable_sentence(
    answer: SummaryAnswer, m: MonthMetrics, w: _Writer, language: Language
) -> str:
    assert m.mom is not None and m.tonnes is not None
    base = m.mom.base
    who = partner(m.partner)
    values = {
        "partner": esc(in_sentence(who) if language == "en" else partner_name(who, language)),
        "pct": w.pct(m.mom),
        "amount": w.t(m.tonnes),
        "base": w.t(base),
        "month": esc(_month_name(base.period, answer.period, language)),
    }
    rose = m.mom.absolute >= 0
    if m.yoy is not None and m.yoy.pct is not None:
        size = w.pct(m.yoy)
        when = esc(period_label(m.yoy.base.period, language))
        change = _against(m.yoy, size, when, w.t(m.yoy.base), language)
        if rose:
            return tr(
                language,
                "Exports to {partner} rose {pct} to {amount}, from {base} in {month}, {change}.",
                change=change,
                **values,
            )
        return tr(
            language,
            "Exports to {partner} fell {pct} to {amount}, from {base} in {month}, {change}.",
            change=change,
            **values,
        )
    if rose:
        return tr(
            language,
            "Exports to {partner} rose {pct} to {amount}, from {base} in {month}.",
            **values,
        )
    return tr(
        language, "Exports to {partner} fell {pct} to {amount}, from {base} in {month}.", **values
    )


def lead(answer: SummaryAnswer, w: _Writer, language: Language = "en") -> str:
    """The lead paragraph."""
    sentences = [_first_sentence(answer, w, language)]
    cumulative = _cumulative_sentence(answer, w, language)
    sentences += [cumulative] if cumulative else []
    sentences += [_notable_sentence(answer, m, w, language) for m in answer.notable]
    return SENTENCE_GAP[language].join(sentences)


def _cumulative_sentence(answer: SummaryAnswer, w: _Writer, language: Language = "en") -> str:
    total, previous, change = answer.cumulative, answer.cumulative_prev, answer.cumulative_change
    if total.period.last_month == 1:
        return ""  # January's year to date is the month itself
    label = esc(span_label(total.period, language))
    if total.value is None:
        known = months_known(total.months_known, total.months_total, language)
        return tr(
            language, "The total for {period} is not known ({known}).", period=label, known=known
        )
    amount = w.t(total.value)
    if change is not None and change.pct is not None and previous.value is not None:
        size = w.pct(change)
        when = esc(span_label(previous.period, language))
        stated = _on(change, size, when, w.t(previous.value), language)
        return tr(
            language,
            "In {period} exports totalled {amount}, {change}.",
            period=label,
            amount=amount,
            change=stated,
        )
    return tr(language, "In {period} exports totalled {amount}.", period=label, amount=amount)


def width(text: str) -> int:
    """How many monospace columns ``text`` takes: a wide (Chinese) character two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table_label(code: str, language: Language = "en") -> str:
    """A partner's label in the table: its name, or a short name that is never cut."""
    if language == "en":
        name = partner(code).name
        return SHORT_NAMES.get(code, name if len(name) <= LABEL_WIDTH else code)
    name = SHORT_NAMES_ZH.get(code) or partner_name(partner(code), language)
    return name if width(name) <= LABEL_WIDTH else code


def _cell_t(item: Sourced | None, language: Language = "en") -> str:
    """A quantity without its unit (the column's header has it): ``≈5,150``, ``200+``."""
    if item is None:
        return tr(language, "n/a")
    return sourced_tonnes(item, language, unit_shown=False)


def _cell_pct(change: Change | None, language: Language = "en") -> str:
    if change is None or change.pct is None:
        return ""
    if (factor := fold(change)) is not None:
        return f"×{times(factor, language)}"
    return fixed(change.pct, change.pct_decimals, sign=True, language=language)


def table_rows(answer: SummaryAnswer, language: Language = "en") -> list[tuple[str, str, str, str]]:
    """The key data: label, quantity, m/m %, y/y % (an empty row separates the partners)."""
    world = answer.world
    month = short_label(world.period, language)
    rows = [
        (
            month,
            _cell_t(world.tonnes, language),
            _cell_pct(world.mom, language),
            _cell_pct(world.yoy, language),
        )
    ]
    for change in (world.mom, world.yoy):
        if change is not None:
            label = short_label(change.base.period, language)
            rows.append((label, _cell_t(change.base, language), "", ""))
    total, previous = answer.cumulative, answer.cumulative_prev
    if total.period.last_month > 1:
        cell = _cell_pct(answer.cumulative_change, language)
        rows.append((span_label(total.period, language), _cell_t(total.value, language), "", cell))
        if previous.value is not None:
            label = span_label(previous.period, language)
            rows.append((label, _cell_t(previous.value, language), "", ""))
    if answer.notable:
        rows.append(("", "", "", ""))
    for m in answer.notable:
        label = table_label(m.partner, language)
        cells = (_cell_t(m.tonnes, language), _cell_pct(m.mom, language))
        rows.append((label, *cells, _cell_pct(m.yoy, language)))
    return rows


def key_data(answer: SummaryAnswer, language: Language = "en") -> str:
    """The aligned key-data table: every column sized to its widest cell (in monospace
    columns), the quantity's header its unit (``t``, ``kg``; ``吨``, ``千克``)."""
    unit = per_unit(answer.info.unit, language)
    header = ("", unit, tr(language, "m/m%"), tr(language, "y/y%"))
    rows = table_rows(answer, language)
    widths = [max(width(row[i]) for row in (header, *rows)) for i in range(4)]

    def line(cells: tuple[str, str, str, str]) -> str:
        first, *rest = cells
        text = first + " " * (widths[0] - width(first))
        for cell, size in zip(rest, widths[1:], strict=True):
            text += " " + " " * (size - width(cell)) + cell
        return text.rstrip()

    lines = [line(cells) for cells in (header, *rows)]
    lines = [text if text.strip() else "" for text in lines]
    title = tr(language, "Key data")
    return "📊 <b>" + title + "</b>\n<pre>" + esc("\n".join(lines)) + "</pre>"


def partners_block(answer: SummaryAnswer, w: _Writer, language: Language = "en") -> str | None:
    """Every partner the lead does not name, with its changes and their bases."""
    others = [m for m in answer.partners if m not in answer.notable]
    if not others:
        return None
    when = esc(period_label(answer.period, language))
    if answer.notable:
        heading = tr(language, "Other partners, {period}", period=when)
    else:
        heading = tr(language, "By partner, {period}", period=when)
    lines = [f"🌍 <b>{heading}</b>"]
    for m in others:
        assert m.tonnes is not None
        who = partner(m.partner)
        if language == "en":
            name = "EU-27" if m.partner == EU else who.name
        else:
            name = partner_name(who, language)
        parts = [f"{w.t(m.tonnes)}"]
        for monthly, change in ((True, m.mom), (False, m.yoy)):
            if change is not None and change.pct is not None:
                sign = "+" if change.absolute >= 0 else "-"
                size = f"×{times(f, language)}" if (f := fold(change)) is not None else None
                size = size or sign + w.pct(change)
                base = w.t(change.base)
                if monthly:
                    parts.append(tr(language, "m/m {change} from {base}", change=size, base=base))
                else:
                    parts.append(tr(language, "y/y {change} from {base}", change=size, base=base))
        figures = PART_GAP[language].join(parts)
        lines.append(
            f"• {who.flag} "
            + tr(language, "{partner}: {figures}", partner=esc(name), figures=figures)
        )
    if answer.unlisted:
        top = f"/top {as_html(command_word(answer.info, language))}{answer.period.code} 50"
        more = ntr(
            language,
            "{n} more country has a figure ({command} lists the largest 50)",
            "{n} more have a figure ({command} lists the largest 50)",
            answer.unlisted,
            command=top,
        )
        lines.append(f"• {more}")
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


def published(info: SeriesInfo, language: Language = "en") -> str:
    """The key-data table's legend: its unit, and how its percentages are stated."""
    unit = tr(language, "kg: kilograms") if info.unit == "kg" else tr(language, "t: tonnes")
    text = tr(
        language,
        "{unit}; m/m, y/y: change in %, as the text above states it: a percentage with a "
        "footnote mark there is as its source published it, the others are computed.",
        unit=unit,
    )
    return f"<i>{text}</i>"


def title(info: SeriesInfo, period: Period, language: Language = "en") -> str:
    """``📰 China's rare-earth magnet exports, June 2025`` / ``中国稀土永磁体出口，2025年6月``;
    ``China's exports of gallium, October 2025`` / ``中国镓出口，2025年10月``."""
    when = esc(period_label(period, language))
    if is_magnets(info):
        text = tr(language, "China's rare-earth magnet exports, {period}", period=when)
    else:
        name = as_html(info.name if language == "en" else info.name_zh or info.name)
        if info.reference:
            text = tr(language, "China's exports, {material}, {period}", material=name, period=when)
        else:
            text = tr(
                language, "China's exports of {material}, {period}", material=name, period=when
            )
    return f"📰 <b>{text}</b>"


def editor_note(answer: SummaryAnswer, language: Language = "en") -> list[str]:
    """The editor's note in ``language`` under its two headings; in a language it is not
    written in yet, one line that says so (never the note in another language)."""
    if answer.note is None:
        return []
    note = answer.note.written_in(language)
    if note is None:
        missing = tr(
            language, "The editor's note for this month is not written in this language yet."
        )
        return [f"💡 <i>{missing}</i>"]
    why = "💡 <b>" + tr(language, "Why it matters") + "</b>"
    following = "🔭 <b>" + tr(language, "What's next") + "</b>"
    credit = tr(language, "Why it matters and What's next: ExportWatch editor's note.")
    blocks = (_bullets(why, note.why), _bullets(following, note.next), f"<i>{credit}</i>")
    return [b for b in blocks if b]


def summary(answer: SummaryAnswer | NoFigure | Problem, language: Language = "en") -> list[str]:
    """The ``/summary`` reply: one message when it fits Telegram's limit, else several; the
    editor's note is left out before any figure or source would have to be."""
    return list(_summary(answer, language))


@lru_cache(maxsize=256)
def _summary(answer: SummaryAnswer | NoFigure | Problem, language: Language) -> tuple[str, ...]:
    """A summary lists every partner, so its text is memoised: the summary of one month,
    however it was asked (and pushed to each subscriber), is written once per language."""
    return tuple(_render_summary(answer, language))


def _render_summary(answer: SummaryAnswer | NoFigure | Problem, language: Language) -> list[str]:
    if isinstance(answer, NoFigure):
        return [no_figure(answer, "summary", language)]
    if not isinstance(answer, SummaryAnswer):
        return [problem(answer, language)]
    notes = Footnotes()
    w = _Writer(notes, language)
    info = answer.info
    blocks = [title(info, answer.period, language), lead(answer, w, language)]
    blocks += [key_data(answer, language), published(info, language)]
    blocks += [b for b in [partners_block(answer, w, language)] if b]
    optional = editor_note(answer, language)
    command = f"/sources {as_html(command_word(info, language))}{answer.period.code}"
    closing = [
        *legend(_items(answer), language),
        "<b>" + tr(language, "Sources") + "</b>\n" + "\n".join(notes.lines()),
        tr(language, "Every figure's source: {command}", command=command),
    ]
    messages = fit([*blocks, *optional, *closing])
    if len(messages) > 1:
        shorter = fit([*blocks, *closing])
        messages = shorter if len(shorter) == 1 else messages
    return messages
