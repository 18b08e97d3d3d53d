"""Telegram HTML for ``/top``: partners ranked for a month or a span, with their sources, for
any series (the title names its material, quantities carry its unit)."""

from __future__ import annotations

from functools import partial
from unicodedata import east_asian_width

from bot.data.series import SeriesInfo
from bot.i18n import Language, ntr, tr
from bot.i18n.formats import clauses, partner_name, period_label, say
from bot.lookup import Problem
from bot.ranking import CountProblem, TopAnswer, TopRow
from bot.render.answers import problem
from bot.render.format import Footnotes, esc, fit, fixed, legend, share, sourced_tonnes
from bot.render.material import as_html, command_word

NAME_WIDTH = 13


def top(answer: TopAnswer | Problem | CountProblem, language: Language = "en") -> list[str]:
    """The ranking, a monospace table that stays aligned on a phone."""
    if not isinstance(answer, TopAnswer):
        return [problem(answer, language)]
    notes = Footnotes()
    period = answer.period
    label = partial(period_label, language=language)
    material = as_html(info_name(answer.info, language))
    when = esc(label(period))
    title = tr(
        language, "Top buyers of China's {material}, {period}", material=material, period=when
    )
    lines = [f"🏆 <b>{title}</b>"]
    world = answer.world
    if world is not None:
        total = f"<b>{sourced_tonnes(world, language)}</b>{notes.mark(world)}"
        lines.append(tr(language, "China's total: {total}", total=total))
    elif period.is_month:
        lines.append(tr(language, "China's total: not published for this month"))
    else:
        lines.append(tr(language, "China's total: not published for this period"))
    if not answer.rows:
        if period.is_month:
            lines.append(tr(language, "No country has a published figure for this month."))
        else:
            lines.append(tr(language, "No country has a published figure for this period."))
        lines += _pointer(answer, language)
        return fit(["\n".join(lines)])
    rows = []
    for row in answer.rows:
        notes.mark(row.value)
        floor = row.value.is_lower_bound or row.partial is not None
        part = ""
        if row.share_pct is not None:
            part = ("≥" if floor else "") + f"{fixed(row.share_pct, 1, language=language)}%"
        name = fitted(partner_name(row.partner, language), NAME_WIDTH)
        place = f"{row.rank:>2}" if row.rank else " •"
        at_least = row.partial is not None and not row.value.is_lower_bound
        amount = ("≥" if at_least else "") + sourced_tonnes(row.value, language)
        rows.append(f"{place} {name} {right(amount, 10)} {part:>6}")
    lines.append("<pre>" + esc("\n".join(rows)) + "</pre>")
    lines += _lower_bounds(answer, language)
    if answer.unranked:
        why = say(answer.unranked, language)
        lines.append(tr(language, "No rank numbers: {why}.", why=why))
    for bloc in answer.blocs:
        name = esc(partner_name(bloc.partner, language))
        amount = f"{sourced_tonnes(bloc.value, language)}{notes.mark(bloc.value)}"
        if bloc.share_pct is not None:
            part = share(bloc.share_pct, bloc.value.is_lower_bound, language)
            text = tr(
                language,
                "{partner}: {amount}, {share} of the total (a bloc; overlaps the countries above)",
                partner=name,
                amount=amount,
                share=part,
            )
        else:
            text = tr(
                language,
                "{partner}: {amount} (a bloc; overlaps the countries above)",
                partner=name,
                amount=amount,
            )
        lines.append(f"{bloc.partner.flag} {text}")
    lines.append("<i>" + _caveat(answer, language) + "</i>")
    lines += _pointer(answer, language)
    shown = [r.value for r in (*answer.rows, *answer.blocs)]
    blocks = ["\n".join(lines), *legend([*shown, *([world] if world else [])], language)]
    blocks.append("<b>" + tr(language, "Sources") + "</b>\n" + "\n".join(notes.lines()))
    return fit(blocks)


def _caveat(answer: TopAnswer, language: Language) -> str:
    """How many partners have a figure, what they cover, and that the rest is not known."""
    month = answer.period.is_month
    if answer.ranked:
        if month:
            only = ntr(
                language,
                "Only {n} country has a published figure for this month",
                "Only {n} countries have a published figure for this month",
                answer.ranked,
            )
        else:
            only = ntr(
                language,
                "Only {n} country has a total for this period",
                "Only {n} countries have a total for this period",
                answer.ranked,
            )
    elif month:
        only = tr(language, "No country has a published figure for this month")
    else:
        only = tr(language, "No country has a total for this period")
    if answer.covered_pct is not None:
        floor = any(r.value.is_lower_bound or r.partial for r in answer.rows)
        covered = share(answer.covered_pct, False, language)
        if floor:
            return tr(
                language,
                "{only}; the ones shown cover at least {share} of China's total. The rest is "
                "not broken down in the sources.",
                only=only,
                share=covered,
            )
        return tr(
            language,
            "{only}; the ones shown cover {share} of China's total. The rest is not broken "
            "down in the sources.",
            only=only,
            share=covered,
        )
    return tr(language, "{only}. The rest is not broken down in the sources.", only=only)


def _lower_bounds(answer: TopAnswer, language: Language) -> list[str]:
    """What each lower bound ("≥") adds up: the months known, or published totals of parts
    of the period (H1 inside the year) and the months known outside them."""
    partial_rows = [r for r in answer.rows if r.partial]
    if not partial_rows:
        return []
    if not any(r.parts for r in partial_rows):
        known = clauses(
            (
                tr(
                    language,
                    "{partner} {known} of {months}",
                    partner=partner_name(r.partner, language),
                    known=r.partial[0],
                    months=r.partial[1],
                )
                for r in partial_rows
                if r.partial
            ),
            language,
        )
        return [
            tr(
                language,
                "≥: the sum of the months known, no total published ({known} months).",
                known=esc(known),
            )
        ]
    known = clauses((_known_of(row, language) for row in partial_rows), language)
    return [
        tr(
            language,
            "≥: no total published; the sum of the published totals of parts of the period "
            "and the months known ({known}).",
            known=esc(known),
        )
    ]


def _known_of(row: TopRow, language: Language) -> str:
    """``Russia: H1 2025 total and 3 of the other 6 months``, ``Vietnam: 1 of 12 months``."""
    assert row.partial is not None
    known, months = row.partial
    name = partner_name(row.partner, language)
    if not row.parts:
        return tr(
            language,
            "{partner}: {known} of {months} months",
            partner=name,
            known=known,
            months=months,
        )
    inside = sum(p.last_month - p.first_month + 1 for p in row.parts)
    spans = (" and " if language == "en" else "和").join(
        period_label(p, language) for p in row.parts
    )
    if len(row.parts) > 1:
        totals = tr(language, "{spans} totals", spans=spans)
    else:
        totals = tr(language, "{spans} total", spans=spans)
    other, outside = months - inside, known - inside
    if not other:
        return tr(language, "{partner}: {totals}", partner=name, totals=totals)
    if not outside:
        return tr(
            language,
            "{partner}: {totals}, none of the other {other} months",
            partner=name,
            totals=totals,
            other=other,
        )
    return tr(
        language,
        "{partner}: {totals} and {outside} of the other {other} months",
        partner=name,
        totals=totals,
        outside=outside,
        other=other,
    )


def _pointer(answer: TopAnswer, language: Language) -> list[str]:
    """Where the figures by country are when this period has few or none: the latest month
    with broad coverage, else the latest period with more countries' figures; or that the
    sources give only China's total."""
    label = esc(period_label(answer.period, language))
    word = as_html(command_word(answer.info, language))
    if answer.broad is not None and answer.broad != answer.period:
        return [
            tr(
                language,
                "{period} has figures for few partners. The latest month with broad coverage "
                "is {broad}: {command}",
                period=label,
                broad=esc(period_label(answer.broad, language)),
                command=f"/top {word}{answer.broad.code}",
            )
        ]
    split = answer.split
    if split is not None and split != answer.period:
        values = {
            "period": label,
            "split": esc(period_label(split, language)),
            "command": f"/top {word}{split.code}",
        }
        if answer.rows and split.is_month:
            message = tr(
                language,
                "{period} has figures for few partners. The latest month with more of them "
                "is {split}: {command}",
                **values,
            )
        elif answer.rows:
            message = tr(
                language,
                "{period} has figures for few partners. The latest period with more of them "
                "is {split}: {command}",
                **values,
            )
        elif split.is_month:
            message = tr(
                language,
                "{period} has no figure by country. The latest month with figures by country "
                "is {split}: {command}",
                **values,
            )
        else:
            message = tr(
                language,
                "{period} has no figure by country. The latest period with figures by "
                "country is {split}: {command}",
                **values,
            )
        return [message]
    if answer.total_only:
        return [
            tr(
                language,
                "The sources give only China's total for {material}, not a figure by country.",
                material=as_html(info_name(answer.info, language)),
            )
        ]
    return []


def width(text: str) -> int:
    """Columns ``text`` takes in a monospace font: Chinese characters take two."""
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def fitted(text: str, columns: int) -> str:
    """``text`` cut and padded to ``columns`` monospace columns (left-aligned)."""
    while width(text) > columns:
        text = text[:-1]
    return text + " " * (columns - width(text))


def right(text: str, columns: int) -> str:
    """``text`` right-aligned in ``columns`` monospace columns."""
    return " " * max(columns - width(text), 0) + text


def info_name(info: SeriesInfo, language: Language) -> str:
    """The series' own name in ``language`` (its description's ``name_zh`` in Chinese)."""
    return info.name_zh if language == "zh" and info.name_zh else info.name
