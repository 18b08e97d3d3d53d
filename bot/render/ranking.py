"""Telegram HTML for ``/top``: partners ranked for a month or a span, with their sources, for
any series (the title names its material, quantities carry its unit)."""

from __future__ import annotations

from bot.lookup import Problem
from bot.ranking import CountProblem, TopAnswer, TopRow
from bot.render.answers import problem
from bot.render.format import Footnotes, esc, fit, fixed, legend, share, sourced_tonnes
from bot.render.material import as_html, command_word

NAME_WIDTH = 13


def top(answer: TopAnswer | Problem | CountProblem) -> list[str]:
    """The ranking, a monospace table that stays aligned on a phone."""
    if not isinstance(answer, TopAnswer):
        return [problem(answer)]
    notes = Footnotes()
    period = answer.period
    unit = "month" if period.is_month else "period"
    material = as_html(answer.info.name)
    lines = [f"🏆 <b>Top buyers of China's {material}, {esc(period.label)}</b>"]
    world = answer.world
    if world is not None:
        lines.append(f"China's total: <b>{sourced_tonnes(world)}</b>{notes.mark(world)}")
    else:
        lines.append(f"China's total: not published for this {unit}")
    if not answer.rows:
        lines.append(f"No country has a published figure for this {unit}.")
        lines += _pointer(answer)
        return fit(["\n".join(lines)])
    rows = []
    for row in answer.rows:
        notes.mark(row.value)
        floor = row.value.is_lower_bound or row.partial is not None
        part = ""
        if row.share_pct is not None:
            part = ("≥" if floor else "") + f"{fixed(row.share_pct, 1)}%"
        name = row.partner.name[:NAME_WIDTH]
        place = f"{row.rank:>2}" if row.rank else " •"
        at_least = row.partial is not None and not row.value.is_lower_bound
        amount = ("≥" if at_least else "") + sourced_tonnes(row.value)
        rows.append(f"{place} {name:<{NAME_WIDTH}} {amount:>10} {part:>6}")
    lines.append("<pre>" + esc("\n".join(rows)) + "</pre>")
    lines += _lower_bounds(answer)
    if answer.unranked:
        lines.append(f"No rank numbers: {esc(answer.unranked)}.")
    for bloc in answer.blocs:
        of = bloc.share_pct
        part = f", {share(of, bloc.value.is_lower_bound)} of the total" if of is not None else ""
        lines.append(
            f"{bloc.partner.flag} {esc(bloc.partner.name)}: {sourced_tonnes(bloc.value)}"
            f"{notes.mark(bloc.value)}{part} (a bloc; overlaps the countries above)"
        )
    countries = "country has" if answer.ranked == 1 else "countries have"
    what = "published figure for this month" if period.is_month else "total for this period"
    caveat = (
        f"Only {answer.ranked} {countries} a {what}"
        if answer.ranked
        else f"No country has a {what}"
    )
    if answer.covered_pct is not None:
        floor = any(r.value.is_lower_bound or r.partial for r in answer.rows)
        caveat += f"; the ones shown cover {share(answer.covered_pct, floor)} of China's total"
    lines.append(f"<i>{caveat}. The rest is not broken down in the sources.</i>")
    lines += _pointer(answer)
    shown = [r.value for r in (*answer.rows, *answer.blocs)]
    blocks = ["\n".join(lines), *legend([*shown, *([world] if world else [])])]
    blocks.append("<b>Sources</b>\n" + "\n".join(notes.lines()))
    return fit(blocks)


def _lower_bounds(answer: TopAnswer) -> list[str]:
    """What each lower bound ("≥") adds up: the months known, or published totals of parts
    of the period (H1 inside the year) and the months known outside them."""
    partial = [r for r in answer.rows if r.partial]
    if not partial:
        return []
    if not any(r.parts for r in partial):
        known = "; ".join(
            f"{r.partner.name} {r.partial[0]} of {r.partial[1]}" for r in partial if r.partial
        )
        return [f"≥: the sum of the months known, no total published ({esc(known)} months)."]
    known = "; ".join(_known_of(row) for row in partial)
    return [
        "≥: no total published; the sum of the published totals of parts of the period and "
        f"the months known ({esc(known)})."
    ]


def _known_of(row: TopRow) -> str:
    """``Russia: H1 2025 total and 3 of the other 6 months``, ``Vietnam: 1 of 12 months``."""
    assert row.partial is not None
    known, months = row.partial
    if not row.parts:
        return f"{row.partner.name}: {known} of {months} months"
    inside = sum(p.last_month - p.first_month + 1 for p in row.parts)
    totals = " and ".join(p.label for p in row.parts)
    totals += " totals" if len(row.parts) > 1 else " total"
    other, outside = months - inside, known - inside
    if not other:
        return f"{row.partner.name}: {totals}"
    if not outside:
        return f"{row.partner.name}: {totals}, none of the other {other} months"
    return f"{row.partner.name}: {totals} and {outside} of the other {other} months"


def _pointer(answer: TopAnswer) -> list[str]:
    """Where the figures by country are when this period has few or none: the latest month
    with broad coverage, else the latest period with more countries' figures; or that the
    sources give only China's total."""
    label, word = esc(answer.period.label), as_html(command_word(answer.info))
    if answer.broad is not None and answer.broad != answer.period:
        return [
            f"{label} has figures for few partners. The latest month with broad "
            f"coverage is {esc(answer.broad.label)}: /top {word}{answer.broad.code}"
        ]
    split = answer.split
    if split is not None and split != answer.period:
        kind = "month" if split.is_month else "period"
        if answer.rows:
            lead = f"{label} has figures for few partners. The latest {kind} with more of them"
        else:
            lead = f"{label} has no figure by country. The latest {kind} with figures by country"
        return [f"{lead} is {esc(split.label)}: /top {word}{split.code}"]
    if answer.total_only:
        return [
            f"The sources give only China's total for {as_html(answer.info.name)}, "
            "not a figure by country."
        ]
    return []
