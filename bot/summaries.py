"""The monthly summary's content: China's month, its partners, the notable ones and the year
so far, each change with the percentage a source published where one did, for any series
(a series with only China's total has no partners and no notable ones).

Pure Python over :class:`bot.metrics.Metrics`; :mod:`bot.render.summary` turns it into text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.notes import EditorNote
from bot.data.series import SeriesInfo, project_catalog
from bot.figures import Change, Total
from bot.metrics import EU, WORLD, Metrics, MonthMetrics, is_country
from bot.reading.periods import Period

#: How many partners the summary lists by name besides the notable ones (the rest are counted).
LISTED = 10
#: How many partners the lead paragraph names.
NOTABLE = 3


@dataclass(frozen=True)
class SummaryAnswer:
    """``partners``: the notable partners and the :data:`LISTED` largest others, largest
    first (the EU-27 too), ``unlisted`` counting the countries with a figure left out;
    ``notable``: the countries the lead names (published changes first, then the largest
    moves on the month before), largest move first; ``cumulative``: the half year or year to
    date, with the same span a year earlier and the change between them; ``note``: the
    editor's note of the month, with its Chinese text when the editor has written it
    (:meth:`bot.data.notes.EditorNote.written_in`); ``info``: the series (its material and
    unit), rare-earth magnets unless said. The same answer is rendered in every language."""

    period: Period
    world: MonthMetrics
    partners: tuple[MonthMetrics, ...]
    notable: tuple[MonthMetrics, ...]
    cumulative: Total
    cumulative_prev: Total
    cumulative_change: Change | None
    note: EditorNote | None
    unlisted: int = 0
    info: SeriesInfo = field(default_factory=lambda: project_catalog()[CUSTOMS_SERIES])


def _notable(partners: tuple[MonthMetrics, ...]) -> tuple[MonthMetrics, ...]:
    """The countries whose change on the month before the sources highlighted (a published
    percentage), then the largest moves, ordered by the size of the move."""
    moved = [m for m in partners if m.mom and m.mom.pct is not None and is_country(m.partner)]

    def size(m: MonthMetrics) -> float:
        return abs(m.mom.pct or 0) if m.mom else 0.0

    picked = sorted(moved, key=lambda m: (m.mom is None or m.mom.published is None, -size(m)))
    return tuple(sorted(picked[:NOTABLE], key=lambda m: -size(m)))


def build_summary(
    metrics: Metrics, period: Period, note: EditorNote | None
) -> SummaryAnswer | None:
    """The summary of ``period``; ``None`` when China's total for it is not known."""
    world = metrics.month(WORLD, period)
    if world.tonnes is None:
        return None
    ranked = [code for code, _ in metrics.ranking(period)]
    notable = _notable(_by_tonnes(metrics, period, _move_candidates(metrics, period, ranked)))
    named = {m.partner for m in notable}
    listed = [c for c in ranked if c not in named][:LISTED]
    codes = [c for c in ranked if c in named or c in listed]
    unlisted = len(ranked) - len(codes)
    if metrics.figure(EU, period):
        codes.append(EU)
    partners = _by_tonnes(metrics, period, codes)
    cumulative = world.ytd
    previous = metrics.total(WORLD, cumulative.period.year_earlier())
    return SummaryAnswer(
        period,
        world,
        partners,
        notable,
        cumulative,
        previous,
        world.ytd_yoy,
        note,
        unlisted,
        metrics.info,
    )


def _by_tonnes(metrics: Metrics, period: Period, codes: list[str]) -> tuple[MonthMetrics, ...]:
    """The partners' months, largest first (in ``codes``' order among equals)."""
    months = [metrics.month(code, period) for code in codes]
    return tuple(sorted(months, key=lambda m: -(m.tonnes.value if m.tonnes else 0)))


def _move_candidates(metrics: Metrics, period: Period, ranked: list[str]) -> list[str]:
    """The countries that may be notable: each whose change on the month before may be
    stated other than as the arrays computed it (a published percentage, alternates for the
    month before), and the :data:`NOTABLE` largest of those whose change is certain. The
    others cannot be among the notable, so their months are not worked out."""
    certain, others = [], []
    for position, code in enumerate(ranked):
        pct = metrics.plain_change_pct(code, period)
        if pct is not None:
            certain.append((-abs(pct), position, code))
        elif metrics.published(code, period, "m/m") is not None or metrics.figure(
            code, period.previous()
        ):
            others.append(code)
    largest = [code for _, _, code in sorted(certain)[:NOTABLE]]
    return [code for code in ranked if code in largest or code in others]
