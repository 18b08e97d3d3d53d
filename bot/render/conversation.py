"""Telegram HTML for a question's reply: what was understood, then the answer it asked for.

The "I read this as" line comes first whenever the words left a choice (a year, "last
month") or held a word the bot did not understand, so no answer states a period or partner
other than the one asked without saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from bot.conversation import (
    SINGLE_ANSWERS,
    ChartRequest,
    Heard,
    MaterialsList,
    NoData,
    OtherTrade,
    Reply,
    Unclear,
)
from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.figures import Change, Sourced
from bot.i18n import Language, tr
from bot.i18n.formats import clauses, listing, partner_name, period_label, say
from bot.lookup import CompareAnswer, NoFigure, NotUnderstood, PartnerProblem, PeriodProblem
from bot.metrics import WORLD, MonthMetrics, SpanMetrics
from bot.ranking import CountProblem, TopAnswer
from bot.reading.partners import Partner
from bot.render import answers, by_material
from bot.render.format import (
    MAX_MESSAGE,
    Footnotes,
    change_pct,
    esc,
    fit,
    fixed,
    legend,
    pct,
    per_unit,
    quote_input,
    sourced_tonnes,
)
from bot.render.materials import materials_text
from bot.render.ranking import fitted, right, top, width
from bot.render.sources import sources
from bot.render.summary import summary
from bot.series_choice import AllMaterials, MaterialTypo, TwoMaterials, material_name, unit_label
from bot.summaries import SummaryAnswer

NAME_WIDTH = 8


def _read_parts(what: Heard, language: Language) -> list[str]:
    """The material, partners and period a question was read as, in ``language``."""
    parts = [what.material.said_in(language)] if what.material else []
    parts += [partner_name(p, language) for p in what.partners]
    if what.period is not None:
        parts.append(period_label(what.period, language))
    return parts


def _notes(what: Heard, language: Language) -> str:
    return clauses((say(note, language) for note in what.notes), language)


def heard(what: Heard, language: Language = "en") -> str:
    """``🔎 I read this as: Germany · Q3 2025 (Q3 without a year: …). I did not understand “x”.``"""
    parts = _read_parts(what, language)
    notes = tr(language, " ({notes})", notes=_notes(what, language)) if what.notes else ""
    words = ", ".join(f"“{quote_input(w)}”" for w in what.unknown)
    read = esc(" · ".join(parts))
    if parts and what.unknown:
        return "🔎 " + tr(
            language,
            "I read this as: {read}{notes}. I did not understand {words}.",
            read=read,
            notes=notes,
            words=words,
        )
    if parts:
        return "🔎 " + tr(language, "I read this as: {read}{notes}.", read=read, notes=notes)
    if what.unknown:
        return "🔎" + notes + " " + tr(language, "I did not understand {words}.", words=words)
    return "🔎" + notes + "."


def unclear(answer: Unclear, what: Heard, language: Language = "en") -> str:
    """No figures when a word was not understood; what could be read, as a command."""
    if answer.reason is not None:
        return f"🤔 {say(answer.reason, language)}"
    words = ", ".join(f"“{quote_input(w)}”" for w in answer.words)
    lines = [
        "🤔 "
        + tr(
            language,
            "I did not understand {words}, so I have not answered: it may change the question.",
            words=words,
        )
    ]
    parts = _read_parts(what, language)
    if parts and answer.command:
        notes = tr(language, " ({notes})", notes=_notes(what, language)) if what.notes else ""
        lines.append(
            tr(
                language,
                "What I could read: {read}{notes}. Ask that with {command}",
                read=esc(" · ".join(parts)),
                notes=notes,
                command=esc(answer.command),
            )
        )
    return "\n".join(lines)


def other_trade(answer: OtherTrade, language: Language = "en") -> str:
    if answer.direction == "imports":
        text = tr(
            language,
            "The data is China's exports of rare-earth magnets (tariff line 85051110) and the "
            "other export-controlled materials to each partner; China's imports are not in it. "
            "For China's exports to a country ask, for example, /exports DE 2025-06 or "
            "/exports gallium DE.",
        )
    else:
        text = tr(
            language,
            "The data is China's exports of rare-earth magnets (tariff line 85051110) and the "
            "other export-controlled materials to each partner; other countries' exports to "
            "China are not in it. For China's exports to a country ask, for example, "
            "/exports DE 2025-06 or /exports gallium DE.",
        )
    return "🔄 " + text


def reply(answer: Reply, language: Language = "en") -> list[str]:
    """The reply's messages (empty for a chart, which the chart handler sends)."""
    return list(_reply(answer, language))


@lru_cache(maxsize=2048)
def _reply(answer: Reply, language: Language) -> tuple[str, ...]:
    """Replies are immutable and shared per snapshot, so the text is memoised."""
    return tuple(_render(answer, language))


def _render(answer: Reply, language: Language) -> list[str]:
    messages = _messages(answer, language)
    own = Unclear | OtherTrade | TwoMaterials | MaterialTypo | NoData | MaterialsList
    if isinstance(answer.answer, own):
        return messages
    if isinstance(answer.answer, ChartRequest) and answer.heard.worth_saying:
        return [heard(answer.heard, language)]  # the chart follows: how the words were read
    return with_heard(answer, messages, language)


def with_heard(answer: Reply, messages: list[str], language: Language = "en") -> list[str]:
    """``messages`` with the "I read this as" line first, when there is something to say
    (a problem about a material names it there: its text names no series)."""
    problem = isinstance(answer.answer, PeriodProblem | PartnerProblem | CountProblem)
    named = bool(answer.heard.material) and problem
    if not (answer.heard.worth_saying or named) or not messages:
        return messages
    line = heard(answer.heard, language)
    first = f"{line}\n\n{messages[0]}"
    if len(first) <= MAX_MESSAGE:
        return [first, *messages[1:]]
    return [line, *messages]


def _messages(answer: Reply, language: Language) -> list[str]:
    found = answer.answer
    if isinstance(found, ChartRequest):
        return []
    if isinstance(found, Unclear):
        return [unclear(found, answer.heard, language)]
    if isinstance(found, OtherTrade):
        return [other_trade(found, language)]
    if isinstance(found, TwoMaterials):
        return [by_material.two_materials(found, answer.intent, language)]
    if isinstance(found, MaterialTypo):
        return [by_material.material_typo(found, answer.intent, language)]
    if isinstance(found, AllMaterials):
        return by_material.every_material(found, language)
    if isinstance(found, NoData):
        return [by_material.no_data(found.series, found.name, language)]
    if isinstance(found, MaterialsList):
        return materials_text(list(found.rows), language)
    if answer.intent == "sources" and isinstance(found, SINGLE_ANSWERS):
        return sources(found, language=language)
    if isinstance(found, NotUnderstood):
        return answers.question(found, language)
    if isinstance(found, TopAnswer | CountProblem):
        return top(found, language)
    if isinstance(found, SummaryAnswer) or (
        answer.intent == "summary" and isinstance(found, NoFigure)
    ):
        return summary(found, language)
    if isinstance(found, CompareAnswer):
        return compare(found, language)
    return answers.exports(found, language)


#: The widths of the comparison's columns after the name: quantity, changes, share.
WIDTHS = (10, 7, 7, 6)


def _row(cells: list[str], widths: tuple[int, ...] = WIDTHS) -> str:
    """A row of the comparison's table, aligned in monospace columns (a Chinese character
    takes two)."""
    name, *rest = cells
    return fitted(name, NAME_WIDTH) + "".join(
        right(cell, w) for cell, w in zip(rest, widths, strict=False)
    )


def _short_names(partners: Sequence[Partner], language: Language) -> list[str]:
    """The partners' names if every one fits the table's first column, else every code
    (never some of each); China's total is "Total" (总量) either way."""
    names = [
        tr(language, "Total") if who.code == WORLD else partner_name(who, language)
        for who in partners
    ]
    if all(width(name) <= NAME_WIDTH for name in names):
        return names
    pairs = zip(partners, names, strict=True)
    return [name if who.code == WORLD else who.code for who, name in pairs]


def _short_pct(change: Change | None, language: Language) -> str:
    """A change as published when it was (``+660%``), else computed, kept narrow; in
    Chinese the header carries the ``%`` and a missing one is ``—``."""
    if change is None or change.pct is None:
        return "n/a" if language == "en" else "—"
    if change.published is not None:
        stated = change_pct(change, language)
    elif abs(change.pct) >= 100:
        stated = f"{fixed(change.pct, 0, sign=True, language=language)}%"
    else:
        stated = pct(change.pct, language=language)
    return stated if language == "en" else stated.removesuffix("%")


def _cell(value: Sourced, language: Language, at_least: bool = False) -> str:
    """A quantity in the table: with its unit in English (``564 t``), bare in Chinese, where
    the header names the unit."""
    return ("≥" if at_least else "") + sourced_tonnes(value, language, unit_shown=language == "en")


def compare(answer: CompareAnswer, language: Language = "en") -> list[str]:
    """Partners side by side: one table, the same metrics, every figure's source."""
    notes = Footnotes()
    period = answer.period
    zh = language == "zh"
    names = ("、" if zh else " vs ").join(partner_name(p, language) for p in answer.partners)
    series = answer.series
    when = esc(period_label(period, language))
    if series not in (CUSTOMS_SERIES, COMTRADE_SERIES):
        material = esc(material_name(series, language))
        title = tr(
            language,
            "China's exports of {material}: {partners}, {period}",
            material=material,
            partners=esc(names),
            period=when,
        )
    else:
        title = tr(
            language, "China's exports: {partners}, {period}", partners=esc(names), period=when
        )
    lines = [f"⚖️ <b>{title}</b>"]
    unit = unit_label(series)
    heading = per_unit(unit, language) if zh else unit
    heads = [tr(language, "m/m"), tr(language, "y/y"), tr(language, "share")]
    mom, yoy, part_of = [head + "%" for head in heads] if zh else heads
    rows = [["", heading, mom, yoy, part_of] if period.is_month else ["", heading, yoy, part_of]]
    shown: list[Sourced] = []
    marks = []
    missing = "n/a" if not zh else "—"
    lower = answer.lower or (None,) * len(answer.rows)
    labels = _short_names(answer.partners, language)
    for who, m, known, label in zip(answer.partners, answer.rows, lower, labels, strict=True):
        value = m.tonnes if isinstance(m, MonthMetrics) else m.total.value
        cell, part = missing, missing
        if value is not None:
            cell = _cell(value, language)
        elif known is not None:  # a span with months missing: at least the known months
            cell, value = _cell(known, language, at_least=True), known
        if value is not None:
            marks.append(f"{esc(partner_name(who, language))}{notes.mark(value)}")
            shown.append(value)
        floor = value is not None and (value.is_lower_bound or value is known)
        if m.share_pct is not None or (known is not None and value is known):
            share_pct = m.share_pct if m.share_pct is not None else _share_of(known, m)
            if share_pct is not None:
                stated = fixed(share_pct, 1, language=language) + ("" if zh else "%")
                part = ("≥" if floor else "") + stated
        moves = [_short_pct(m.mom, language)] if isinstance(m, MonthMetrics) else []
        rows.append([label, cell, *moves, _short_pct(m.yoy, language), part])
    widths: tuple[int, ...] = WIDTHS
    if zh:  # the unit is in the header: the quantity column as wide as its widest cell
        widths = (max(width(row[1]) for row in rows), 7, 7, 7)
    # a column never narrower than its widest cell and a space (100.0% is wider than 6)
    widths = tuple(
        max(w, 1 + max((width(row[i + 1]) for row in rows[1:] if i + 1 < len(row)), default=0))
        for i, w in enumerate(widths)
    )
    table = "\n".join(_row(row, widths) for row in rows)
    lines.append("<pre>" + esc(table) + "</pre>")
    if marks:
        sources_of = listing(marks, language)
        if unit == "kg":
            lines.append(tr(language, "Sources of the kg: {sources}", sources=sources_of))
        else:
            lines.append(tr(language, "Sources of the tonnes: {sources}", sources=sources_of))
    if any(k is not None for k in lower):
        lines.append(
            tr(language, "≥: no total is published; the sum of the months that have a figure.")
        )
    lines += _ranks(answer, language)
    changes = tr(language, "Changes compare each partner's own figures; share is of China's total.")
    lines.append(f"<i>{changes}</i>")
    blocks = ["\n".join(lines), *legend(shown, language)]
    if shown:  # no figure, no sources to list
        blocks.append("<b>" + tr(language, "Sources") + "</b>\n" + "\n".join(notes.lines()))
    command = answers.series_command("exports", series, language)
    each = " · ".join(f"/{command} {p.code} {period.code}" for p in answer.partners)
    blocks.append(tr(language, "Each one in full: {commands}", commands=esc(each)))
    return fit(blocks)


def _share_of(known: Sourced | None, m: MonthMetrics | SpanMetrics) -> float | None:
    """The share of China's total that a lower bound is, at least."""
    world = m.world.value if isinstance(m, SpanMetrics) and m.world is not None else None
    if known is None or world is None or not world.value:
        return None
    return known.value / world.value * 100


def _ranks(answer: CompareAnswer, language: Language) -> list[str]:
    ranked = [
        (who, m)
        for who, m in zip(answer.partners, answer.rows, strict=True)
        if isinstance(m, MonthMetrics) and m.rank is not None and m.ranked >= 3
    ]
    if not ranked:
        return []
    of = ranked[0][1]
    assert isinstance(of, MonthMetrics)
    places = [
        tr(language, "{partner} #{rank}", partner=partner_name(who, language), rank=m.rank)
        for who, m in ranked
        if isinstance(m, MonthMetrics)
    ]
    joined = ("，" if language == "zh" else ", ").join(places)
    return [
        tr(
            language,
            "Rank among the {n} countries with a figure: {places}",
            n=of.ranked,
            places=esc(joined),
        )
    ]
