"""Telegram HTML for ``/sources``: every figure behind an answer, its source, derivation,
alternates, the rule that chose it, its revisions, the published percentages with their
sources, and the check of sums against totals. Quantities carry their series' unit (``t``,
``kg``); the heading names the material of any series but rare-earth magnets.

In Chinese every label is Chinese, and so are the notes and derivations the project wrote on
figures (their Chinese texts are data: :mod:`bot.data.translations`); what the sources wrote
(titles, quotations) stays as written. The rules that chose a figure and the reasons a figure
is not used are said by the data and metrics wings (:class:`~bot.i18n.Said`), and put in the
reader's language here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.data.dataset import COMTRADE_SERIES, Figure, exact
from bot.data.resolve import ONLY_SOURCE
from bot.data.series import SeriesInfo
from bot.data.translations import NO_TRANSLATIONS, Translations
from bot.figures import WORLD, Change, Sourced, Taken, Total
from bot.i18n import Language, tr
from bot.i18n.formats import clauses, partner_name, period_label, say
from bot.lookup import (
    ExportsAnswer,
    MonthAnswer,
    NoFigure,
    PartnerProblem,
    PeriodProblem,
    SpanAnswer,
)
from bot.reading.periods import Period
from bot.render.answers import comtrade_label, no_figure, problem
from bot.render.figure_text import derivation_in, note_in
from bot.render.format import (
    UNIT_LABELS,
    amount,
    change_pct,
    esc,
    fit,
    fixed,
    link,
    months_known,
    pct,
    per_unit,
    tonnes,
    unit_of,
    usd,
)
from bot.render.material import as_html, info_of, is_magnets, name_in


def _amount(
    value: float,
    decimals: int,
    metric: str,
    derived: bool = False,
    bound: bool = False,
    language: Language = "en",
) -> str:
    if metric == "usd":
        return usd(value, language)
    unit = metric if metric in UNIT_LABELS else "tonnes"
    return tonnes(value, decimals, derived, bound, unit, language)


def role(item: Sourced, language: Language = "en") -> str:
    """What a figure is in an answer: ``June 2025``, ``China's total June 2025``, ``Total
    Jan–Jun 2025`` (the metrics' own words in English; in Chinese ``2025年6月中国出口总量``,
    and China's total over a span is named so: ``2025年第3季度中国出口总量``)."""
    if language == "en":
        return item.role
    when = period_label(item.period, language)
    if item.role.startswith("Published total "):
        return tr(language, "Published total {period}", period=when)
    if item.role.startswith("Total ") and item.partner != WORLD:
        return tr(language, "Total {period}", period=when)
    if item.role.startswith(("China's total ", "Total ")):  # China's total over a span too
        return tr(language, "China's total {period}", period=when)
    if item.role.startswith("value "):
        return tr(language, "value {period}", period=when)
    return when


def _status(status: str, language: Language) -> str:
    if status == "reported":
        return tr(language, "reported")
    if status == "derived":
        return tr(language, "derived")
    return status


def _imported(text: str, language: Language) -> str:
    """Which import a revised value came from: ``import 2 (customs-2025-06.csv, …)``."""
    found = re.fullmatch(r"import (\d+) \((.*)\)", text)
    if language == "en" or found is None:
        return text
    return tr(language, "import {number} ({detail})", number=found[1], detail=found[2])


def sourced_block(
    item: Sourced, translations: Translations = NO_TRANSLATIONS, language: Language = "en"
) -> str:
    """One figure in ``/sources``: value, status, source, derivation, rule, alternates; the
    project's notes and derivations in ``language`` from ``translations``."""
    metric = item.figures[0].metric

    def quantity(value: float, decimals: int, derived: bool = False, bound: bool = False) -> str:
        return _amount(value, decimals, metric, derived, bound, language)

    stated = quantity(item.value, item.decimals, item.is_derived, item.is_lower_bound)
    named = esc(role(item, language))
    if item.set_aside is not None:
        head = tr(language, "{role} (not used): {amount}", role=named, amount=stated)
        why = say(item.set_aside, language, escape=False)
        lines = [f"<b>{head}</b>", tr(language, "Not used: {why}", why=esc(why))]
    else:
        head = tr(language, "{role}: {amount}", role=named, amount=stated)
        lines = [f"<b>{head}</b>"]
    if len(item.figures) > 1:
        n = len(item.figures)
        lines[0] = tr(language, "{figure} — sum of {n} months", figure=lines[0], n=n)
    for resolved in item.figures:
        used = item.used if item.used is not None and len(item.figures) == 1 else resolved.chosen
        if used.is_reported:
            status = tr(language, "reported")
        else:
            derivation = derivation_in(used.derivation, translations, language)
            status = tr(language, "derived: {derivation}", derivation=esc(derivation))
        if used.reliability == "low":
            status = tr(language, "{status} (low reliability †)", status=status)
        if len(item.figures) > 1:
            month = esc(period_label(Period.parse_code(resolved.period), language))
            lines.append(
                tr(
                    language,
                    "{month}: {amount}, {status}",
                    month=month,
                    amount=quantity(used.value, used.decimals),
                    status=status,
                )
            )
        else:
            lines[0] = tr(language, "{figure} — {status}", figure=lines[0], status=status)
        lines.append(
            tr(language, "Source: {source}", source=link(used.source_title, used.source_url))
        )
        if used.history:
            steps = [
                tr(
                    language,
                    "{amount} ({imported})",
                    amount=quantity(r.value, r.decimals),
                    imported=esc(_imported(r.imported, language)),
                )
                for r in used.history
            ]
            now = quantity(used.value, used.decimals)
            lines.append(
                tr(language, "Revised: {steps} → {now} now", steps=" → ".join(steps), now=now)
            )
        if used.note:
            note = note_in(used.note, translations, language)
            lines.append(tr(language, "Note: {note}", note=esc(note)))
        rules = [say(rule, language, escape=False) for rule in resolved.rules]
        if item.taken is Taken.SAME_SOURCE and len(item.figures) == 1:
            rules.append(
                tr(language, "this source's own figure used for the change (like for like)")
            )
        if item.taken is Taken.NAMED_BASE and len(item.figures) == 1:
            rules.append(
                tr(
                    language,
                    "this figure used for the change: it is the base the published change names",
                )
            )
        lines.append(tr(language, "Rule: {rule}", rule=esc(clauses(rules, language))))
        others = [f for f in resolved.candidates if f is not used]
        if others:
            alts = clauses([_alternate(f, metric, language) for f in others], language)
            lines.append(tr(language, "Alternates: {alternates}", alternates=alts))
    return "\n".join(lines)


def _alternate(figure: Figure, metric: str, language: Language) -> str:
    """``353 t (reported) <a …>Reuters</a>``: a figure not chosen, with its source."""
    value = _amount(figure.value, figure.decimals, metric, language=language)
    source = link(figure.source_title, figure.source_url)
    status = esc(_status(figure.status, language))
    if figure.reliability == "low":
        return tr(
            language,
            "{amount} ({status}, low reliability) {source}",
            amount=value,
            status=status,
            source=source,
        )
    return tr(language, "{amount} ({status}) {source}", amount=value, status=status, source=source)


def sources(
    answer: ExportsAnswer, info: SeriesInfo | None = None, language: Language = "en"
) -> list[str]:
    """The ``/sources`` reply: every figure behind the ``/exports`` answer. ``info`` is the
    answer's series (by default the one its ``series`` key names)."""
    return list(_sources(answer, info, language))


@lru_cache(maxsize=1024)
def _sources(answer: ExportsAnswer, info: SeriesInfo | None, language: Language) -> tuple[str, ...]:
    """Answers are immutable, so the text is memoised (a press of a sources button twice
    renders it once)."""
    return tuple(_render_sources(answer, info, language))


def _heading(who_name: str, material: str, when: str, language: Language) -> str:
    if material:
        return tr(
            language,
            "Sources: {material}, {partner}, {period}",
            material=material,
            partner=who_name,
            period=when,
        )
    return tr(language, "Sources: {partner}, {period}", partner=who_name, period=when)


def _render_sources(
    answer: ExportsAnswer, info: SeriesInfo | None, language: Language
) -> list[str]:
    if isinstance(answer, NoFigure):
        return [no_figure(answer, "sources")]
    if isinstance(answer, PartnerProblem | PeriodProblem):
        return [problem(answer, language)]
    who, m = answer.partner, answer.metrics
    series = info_of(info or answer.series)
    named = not (is_magnets(series) or series.reference)
    material = as_html(name_in(series, language)) if named else ""
    when = esc(period_label(m.period, language))
    heading = _heading(esc(partner_name(who, language)), material, when, language)
    blocks = [f"📚 <b>{heading}</b>"]
    if answer.series == COMTRADE_SERIES:
        blocks[0] += "\n" + comtrade_label(language)
    translations = answer.translations
    blocks += [sourced_block(item, translations, language) for item in m.inputs()]
    changes: list[tuple[str, Change | None]]
    if isinstance(answer, MonthAnswer):
        month = answer.metrics
        changes = [
            (tr(language, "m/m"), month.mom),
            (tr(language, "y/y"), month.yoy),
            (tr(language, "Year to date y/y"), month.ytd_yoy),
        ]
    else:
        changes = [(tr(language, "y/y"), answer.metrics.yoy)]
    blocks += [
        change_block(name, change, translations, language)
        for name, change in changes
        if change is not None
    ]
    if answer.metrics.per_unit_why is not None:
        why = esc(say(answer.metrics.per_unit_why, language, escape=False))
        unit = per_unit(series.unit, language)
        blocks.append(tr(language, "<b>Value per {unit}</b>: not given: {why}", unit=unit, why=why))
    total = answer.metrics.total if isinstance(answer, SpanAnswer) else answer.metrics.ytd
    blocks.append(aggregate_check(total, series.unit, language))
    return fit(blocks)


def change_block(
    name: str,
    change: Change,
    translations: Translations = NO_TRANSLATIONS,
    language: Language = "en",
) -> str:
    """A change in ``/sources``: the percentage stated, who published it, the computation.
    ``name`` is the change's name in ``language`` (``m/m``, ``环比``); the note on it in
    ``language`` from ``translations``."""
    base = change.base
    head = tr(
        language,
        "Change {name}, on {period}: {change}",
        name=esc(name),
        period=esc(period_label(base.period, language)),
        change=change_pct(change, language),
    )
    head = f"<b>{head}</b>"
    published = change.published
    if published is None:
        quotient = esc(_quotient(change, language))
        return tr(
            language,
            "{head} — computed from the figures ({quotient})",
            head=head,
            quotient=quotient,
        )
    first = published.chosen
    lines = [
        tr(language, "{head} — as reported", head=head),
        tr(language, "Source: {source}", source=link(first.source_title, first.source_url)),
    ]
    if first.note:
        note = note_in(first.note, translations, language)
        lines.append(tr(language, "Note: {note}", note=esc(note)))
    if published.base is not None:
        stated = amount(esc(exact(published.base)), unit_of(base), language)
        lines.append(tr(language, "Base named by the source: {amount}", amount=stated))
    if published.rules != (ONLY_SOURCE,):
        rules = clauses([say(rule, language, escape=False) for rule in published.rules], language)
        lines.append(tr(language, "Rule: {rule}", rule=esc(rules)))
    others = [
        f"{fixed(c.pct, c.decimals, sign=True, language=language)}% "
        f"{link(c.source_title, c.source_url)}"
        for c in published.alternates
    ]
    if others:
        lines.append(tr(language, "Also published: {others}", others=clauses(others, language)))
    if change.circular:
        lines.append(
            tr(language, "Not recomputed: a figure compared was derived from this percentage.")
        )
    elif change.computed_pct:
        lines.append(
            tr(
                language,
                "Computed: {pct} from the figures ({quotient})",
                pct=esc(pct(change.computed_pct, 2, language)),
                quotient=esc(_quotient(change, language)),
            )
        )
    return "\n".join(lines)


def _quotient(change: Change, language: Language = "en") -> str:
    """``353 t / 46 t - 1``: the arithmetic of a computed change."""
    base = change.base
    value = base.value + change.absolute
    unit = unit_of(base)
    now = amount(fixed(value, base.decimals, language=language), unit, language)
    then = amount(fixed(base.value, base.decimals, language=language), unit, language)
    return f"{now} / {then} - 1"


def aggregate_check(total: Total, unit: str = "tonnes", language: Language = "en") -> str:
    """The check of a span's months against its published total, in ``unit``."""
    label = esc(period_label(total.period, language))
    if total.months_sum is None:
        known = months_known(total.months_known, total.months_total, language)
        return tr(
            language,
            "<b>{period} check</b>: {known}, so the months are not added up (a partial sum "
            "is never a total).",
            period=label,
            known=known,
        )
    months = tonnes(total.months_sum, 1, unit=unit, language=language)
    if total.published is None:
        return tr(
            language,
            "<b>{period} check</b>: sum of the months {sum}; no published total to compare.",
            period=label,
            sum=months,
        )
    mismatch = total.mismatch_pct or 0.0
    if abs(mismatch) <= 0.5:
        verdict = tr(language, "agrees within 0.5%")
    else:
        verdict = tr(language, "⚠️ differs by more than 0.5%")
    chosen = total.published.chosen
    kind = tr(language, "published") if chosen.is_reported else tr(language, "derived total")
    stated = tonnes(
        chosen.value, chosen.decimals, not chosen.is_reported, unit=unit, language=language
    )
    return tr(
        language,
        "<b>{period} check</b>: sum of the months {sum} vs {kind} {total}: {pct}, {verdict}.",
        period=label,
        sum=months,
        kind=kind,
        total=stated,
        pct=pct(mismatch, 2, language),
        verdict=verdict,
    )
