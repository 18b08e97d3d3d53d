"""Telegram HTML for ``/sources``: every figure behind an answer, its source, derivation,
alternates, the rule that chose it, its revisions, and the check of sums against totals."""

from __future__ import annotations

from bot.data.dataset import COMTRADE_SERIES
from bot.figures import Sourced, Total
from bot.lookup import ExportsAnswer, NoFigure, PartnerProblem, PeriodProblem, SpanAnswer
from bot.reading.periods import Period
from bot.render.answers import COMTRADE_LABEL, no_figure, problem
from bot.render.format import esc, fit, link, tonnes, usd


def _amount(value: float, decimals: int, metric: str, derived: bool = False) -> str:
    return usd(value) if metric == "usd" else tonnes(value, decimals, derived)


def sourced_block(item: Sourced) -> str:
    """One figure in ``/sources``: value, status, source, derivation, rule, alternates."""
    metric = item.figures[0].metric
    lines = [
        f"<b>{esc(item.role)}: {_amount(item.value, item.decimals, metric, item.is_derived)}</b>"
    ]
    if len(item.figures) > 1:
        lines[0] += f" — sum of {len(item.figures)} months"
    for resolved in item.figures:
        used = item.used if item.used is not None and len(item.figures) == 1 else resolved.chosen
        status = "reported" if used.is_reported else f"derived: {esc(used.derivation)}"
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


def sources(answer: ExportsAnswer) -> list[str]:
    """The ``/sources`` reply: every figure behind the ``/exports`` answer."""
    if isinstance(answer, NoFigure):
        return [no_figure(answer, "sources")]
    if isinstance(answer, PartnerProblem | PeriodProblem):
        return [problem(answer)]
    who, m = answer.partner, answer.metrics
    blocks = [f"📚 <b>Sources: {esc(who.name)}, {esc(m.period.label)}</b>"]
    if answer.series == COMTRADE_SERIES:
        blocks[0] += "\n" + COMTRADE_LABEL
    blocks += [sourced_block(item) for item in m.inputs()]
    total = answer.metrics.total if isinstance(answer, SpanAnswer) else answer.metrics.ytd
    blocks.append(aggregate_check(total))
    return fit(blocks)


def aggregate_check(total: Total) -> str:
    label = esc(total.period.label)
    if total.months_sum is None:
        return (
            f"<b>{label} check</b>: {total.months_known} of {total.months_total} months have a "
            "figure, so the months are not added up (a partial sum is never a total)."
        )
    if total.published is None:
        return (
            f"<b>{label} check</b>: sum of the months {tonnes(total.months_sum, 1)}; "
            "no published total to compare."
        )
    mismatch = total.mismatch_pct or 0.0
    verdict = "agrees within 0.5%" if abs(mismatch) <= 0.5 else "⚠️ differs by more than 0.5%"
    return (
        f"<b>{label} check</b>: sum of the months {tonnes(total.months_sum, 1)} vs published "
        f"{tonnes(total.published.value, total.published.chosen.decimals)}: "
        f"{mismatch:+.2f}%, {verdict}."
    )
