"""Telegram HTML for ``/sources``: every figure behind an answer, its source, derivation,
alternates, the rule that chose it, its revisions, the published percentages with their
sources, and the check of sums against totals. Quantities carry their series' unit (``t``,
``kg``); the heading names the material of any series but rare-earth magnets."""

from __future__ import annotations

from functools import lru_cache

from bot.data.dataset import COMTRADE_SERIES, exact
from bot.data.series import SeriesInfo
from bot.figures import Change, Sourced, Total
from bot.lookup import (
    ExportsAnswer,
    MonthAnswer,
    NoFigure,
    PartnerProblem,
    PeriodProblem,
    SpanAnswer,
)
from bot.reading.periods import Period
from bot.render.answers import COMTRADE_LABEL, no_figure, problem
from bot.render.format import (
    UNIT_LABELS,
    change_pct,
    esc,
    fit,
    fixed,
    link,
    months_known,
    pct,
    tonnes,
    unit_of,
    usd,
)
from bot.render.material import as_html, info_of, is_magnets


def _amount(
    value: float, decimals: int, metric: str, derived: bool = False, bound: bool = False
) -> str:
    if metric == "usd":
        return usd(value)
    unit = metric if metric in UNIT_LABELS else "tonnes"
    return tonnes(value, decimals, derived, bound, unit)


def sourced_block(item: Sourced) -> str:
    """One figure in ``/sources``: value, status, source, derivation, rule, alternates."""
    metric = item.figures[0].metric
    amount = _amount(item.value, item.decimals, metric, item.is_derived, item.is_lower_bound)
    lines = [f"<b>{esc(item.role)}: {amount}</b>"]
    if item.note.startswith("not used"):
        lines[0] = f"<b>{esc(item.role)} (not used): {amount}</b>"
        lines.append(f"Not used: {esc(item.note.removeprefix('not used: '))}")
    if len(item.figures) > 1:
        lines[0] += f" — sum of {len(item.figures)} months"
    for resolved in item.figures:
        used = item.used if item.used is not None and len(item.figures) == 1 else resolved.chosen
        status = "reported" if used.is_reported else f"derived: {esc(used.derivation)}"
        if used.reliability == "low":
            status += " (low reliability †)"
        if len(item.figures) > 1:
            month = esc(Period.parse_code(resolved.period).label)
            lines.append(f"{month}: {_amount(used.value, used.decimals, metric)}, {status}")
        else:
            lines[0] += f" — {status}"
        lines.append(f"Source: {link(used.source_title, used.source_url)}")
        if used.history:
            steps = [
                f"{_amount(r.value, r.decimals, metric)} ({esc(r.imported)})" for r in used.history
            ]
            now = _amount(used.value, used.decimals, metric)
            lines.append(f"Revised: {' → '.join(steps)} → {now} now")
        if used.note:
            lines.append(f"Note: {esc(used.note)}")
        rule = "; ".join(resolved.rules)
        if item.note == "same source as this month" and len(item.figures) == 1:
            rule += "; this source's own figure used for the change (like for like)"
        if item.note == "the base the source names" and len(item.figures) == 1:
            rule += "; this figure used for the change: it is the base the published change names"
        lines.append(f"Rule: {esc(rule)}")
        others = [f for f in resolved.candidates if f is not used]
        if others:
            alts = "; ".join(
                f"{_amount(f.value, f.decimals, metric)} ({esc(f.status)}"
                f"{', low reliability' if f.reliability == 'low' else ''}) "
                f"{link(f.source_title, f.source_url)}"
                for f in others
            )
            lines.append(f"Alternates: {alts}")
    return "\n".join(lines)


def sources(answer: ExportsAnswer, info: SeriesInfo | None = None) -> list[str]:
    """The ``/sources`` reply: every figure behind the ``/exports`` answer. ``info`` is the
    answer's series (by default the one its ``series`` key names)."""
    return list(_sources(answer, info))


@lru_cache(maxsize=1024)
def _sources(answer: ExportsAnswer, info: SeriesInfo | None) -> tuple[str, ...]:
    """Answers are immutable, so the text is memoised (a press of a sources button twice
    renders it once)."""
    return tuple(_render_sources(answer, info))


def _render_sources(answer: ExportsAnswer, info: SeriesInfo | None) -> list[str]:
    if isinstance(answer, NoFigure):
        return [no_figure(answer, "sources")]
    if isinstance(answer, PartnerProblem | PeriodProblem):
        return [problem(answer)]
    who, m = answer.partner, answer.metrics
    series = info_of(info or answer.series)
    material = "" if is_magnets(series) or series.reference else f"{as_html(series.name)}, "
    blocks = [f"📚 <b>Sources: {material}{esc(who.name)}, {esc(m.period.label)}</b>"]
    if answer.series == COMTRADE_SERIES:
        blocks[0] += "\n" + COMTRADE_LABEL
    blocks += [sourced_block(item) for item in m.inputs()]
    if isinstance(answer, MonthAnswer):
        month = answer.metrics
        changes = [("m/m", month.mom), ("y/y", month.yoy), ("Year to date y/y", month.ytd_yoy)]
    else:
        changes = [("y/y", answer.metrics.yoy)]
    blocks += [change_block(name, change) for name, change in changes if change is not None]
    if answer.metrics.per_unit_why:
        unit = series.unit_label
        blocks.append(f"<b>Value per {unit}</b>: not given: {esc(answer.metrics.per_unit_why)}")
    total = answer.metrics.total if isinstance(answer, SpanAnswer) else answer.metrics.ytd
    blocks.append(aggregate_check(total, series.unit))
    return fit(blocks)


def change_block(name: str, change: Change) -> str:
    """A change in ``/sources``: the percentage stated, who published it, the computation."""
    base = change.base
    head = f"<b>Change {esc(name)}, on {esc(base.period.label)}: {change_pct(change)}</b>"
    computed = f"{pct(change.computed_pct, 2)} from the figures" if change.computed_pct else ""
    published = change.published
    if published is None:
        return f"{head} — computed from the figures ({esc(_quotient(change))})"
    first = published.chosen
    lines = [f"{head} — as reported", f"Source: {link(first.source_title, first.source_url)}"]
    if first.note:
        lines.append(f"Note: {esc(first.note)}")
    if published.base is not None:
        unit = UNIT_LABELS[unit_of(base)]
        lines.append(f"Base named by the source: {esc(exact(published.base))} {unit}")
    if published.rules != ("only source",):
        lines.append(f"Rule: {esc('; '.join(published.rules))}")
    others = [
        f"{fixed(c.pct, c.decimals, sign=True)}% {link(c.source_title, c.source_url)}"
        for c in published.alternates
    ]
    if others:
        lines.append(f"Also published: {'; '.join(others)}")
    if change.circular:
        lines.append("Not recomputed: a figure compared was derived from this percentage.")
    elif computed:
        lines.append(f"Computed: {esc(computed)} ({esc(_quotient(change))})")
    return "\n".join(lines)


def _quotient(change: Change) -> str:
    """``353 t / 46 t - 1``: the arithmetic of a computed change."""
    base = change.base
    value = base.value + change.absolute
    unit = UNIT_LABELS[unit_of(base)]
    return f"{fixed(value, base.decimals)} {unit} / {fixed(base.value, base.decimals)} {unit} - 1"


def aggregate_check(total: Total, unit: str = "tonnes") -> str:
    """The check of a span's months against its published total, in ``unit``."""
    label = esc(total.period.label)
    if total.months_sum is None:
        return (
            f"<b>{label} check</b>: {months_known(total.months_known, total.months_total)}, "
            "so the months are not added up (a partial sum is never a total)."
        )
    if total.published is None:
        return (
            f"<b>{label} check</b>: sum of the months {tonnes(total.months_sum, 1, unit=unit)}; "
            "no published total to compare."
        )
    mismatch = total.mismatch_pct or 0.0
    verdict = "agrees within 0.5%" if abs(mismatch) <= 0.5 else "⚠️ differs by more than 0.5%"
    chosen = total.published.chosen
    kind = "published" if chosen.is_reported else "derived total"
    amount = tonnes(chosen.value, chosen.decimals, not chosen.is_reported, unit=unit)
    months = tonnes(total.months_sum, 1, unit=unit)
    return (
        f"<b>{label} check</b>: sum of the months {months} vs {kind} "
        f"{amount}: {pct(mismatch, 2)}, {verdict}."
    )
