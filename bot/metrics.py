"""The metrics module: what the data says about a partner and a period.

Pure Python and pandas, no Telegram. :class:`Metrics` is built once from the resolved figures
and answers from dictionaries, so every lookup is constant time. Missing inputs give ``None``,
never 0.

Changes are computed like for like: when the source of this month's figure also gives the
month it is compared with (within rounding of the chosen figure), that source's pair is
used, so the change matches the source's own percentage.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.data.dataset import Figure
from bot.data.resolve import Key, Resolved, resolve_all
from bot.figures import Change, Sourced, Total, sourced_from
from bot.reading.partners import GROUPINGS
from bot.reading.periods import Period

WORLD = "WORLD"
EU = "EU"


def is_country(partner: str) -> bool:
    return partner not in GROUPINGS


@dataclass(frozen=True, eq=False)
class MonthMetrics:
    """Everything the data says about one partner in one month.

    Built once per data snapshot and shared, so it compares and hashes by identity.
    """

    partner: str
    period: Period
    tonnes: Sourced | None
    mom: Change | None
    yoy: Change | None
    world: Sourced | None
    share_pct: float | None
    rank: int | None
    ranked: int
    ytd: Total
    ytd_yoy: Change | None
    usd: Sourced | None
    usd_per_tonne: float | None

    def inputs(self) -> list[Sourced]:
        """Every sourced number behind this result, in reading order."""
        items: list[Sourced | None] = [
            self.tonnes,
            self.mom.base if self.mom else None,
            self.yoy.base if self.yoy else None,
            self.world if self.partner != WORLD else None,
            self.ytd.value,
            self.ytd_yoy.base if self.ytd_yoy else None,
            self.usd,
        ]
        return [i for i in items if i is not None]

    def as_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "period": self.period.code,
            "tonnes": self.tonnes.value if self.tonnes else None,
            "status": self.tonnes.status if self.tonnes else None,
            "mom_abs": self.mom.absolute if self.mom else None,
            "mom_pct": _round(self.mom.pct) if self.mom else None,
            "yoy_abs": self.yoy.absolute if self.yoy else None,
            "yoy_pct": _round(self.yoy.pct) if self.yoy else None,
            "share_pct": _round(self.share_pct),
            "rank": self.rank,
            "ranked_partners": self.ranked,
            "ytd_tonnes": self.ytd.value.value if self.ytd.value else None,
            "ytd_basis": self.ytd.basis,
            "ytd_yoy_pct": _round(self.ytd_yoy.pct) if self.ytd_yoy else None,
            "usd": self.usd.value if self.usd else None,
            "usd_per_tonne": _round(self.usd_per_tonne),
            "sources": [s.as_dict() for s in self.inputs()],
        }


@dataclass(frozen=True, eq=False)
class SpanMetrics:
    """A partner's total over a year, half, quarter or year to date (shared, by identity)."""

    partner: str
    period: Period
    total: Total
    yoy: Change | None
    world: Total | None
    share_pct: float | None
    usd: Sourced | None
    usd_per_tonne: float | None

    def inputs(self) -> list[Sourced]:
        items: list[Sourced | None] = [
            self.total.value,
            self.yoy.base if self.yoy else None,
            self.usd,
            self.world.value if self.world is not None and self.partner != WORLD else None,
        ]
        return [i for i in items if i is not None]

    def as_dict(self) -> dict[str, Any]:
        value = self.total.value
        return {
            "partner": self.partner,
            "period": self.period.code,
            "tonnes": value.value if value else None,
            "status": value.status if value else None,
            "basis": self.total.basis,
            "months_known": self.total.months_known,
            "months_total": self.total.months_total,
            "mom_pct": None,
            "yoy_pct": _round(self.yoy.pct) if self.yoy else None,
            "share_pct": _round(self.share_pct),
            "rank": None,
            "ytd_tonnes": None,
            "usd": self.usd.value if self.usd else None,
            "usd_per_tonne": _round(self.usd_per_tonne),
            "sources": [s.as_dict() for s in self.inputs()],
        }


@dataclass(frozen=True)
class Coverage:
    first_month: Period
    last_month: Period
    partners: tuple[str, ...]
    sources: int
    figures: int


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _same_source(a: Figure, b: Figure) -> bool:
    return (a.source_url or a.source_title) == (b.source_url or b.source_title)


class Metrics:
    """Indexed figures and the questions the bot answers from them."""

    def __init__(self, figures: Iterable[Figure]) -> None:
        self.figures = tuple(figures)
        self.resolved: dict[Key, Resolved] = resolve_all(self.figures)
        self._months: dict[str, list[Period]] = defaultdict(list)
        self._by_month: dict[Period, list[tuple[str, float]]] = defaultdict(list)
        for (code, partner, metric), resolved in self.resolved.items():
            period = Period.parse_code(code)
            if metric == "tonnes" and period.is_month:
                self._months[partner].append(period)
                if is_country(partner):
                    self._by_month[period].append((partner, resolved.value))
        for months in self._months.values():
            months.sort()
        for rows in self._by_month.values():
            rows.sort(key=lambda row: (-row[1], row[0]))
        self._rank = {
            (partner, period): (i + 1, len(rows))
            for period, rows in self._by_month.items()
            for i, (partner, _) in enumerate(rows)
        }
        all_months = sorted({m for months in self._months.values() for m in months})
        self.coverage = Coverage(
            first_month=all_months[0],
            last_month=all_months[-1],
            partners=tuple(sorted(self._months)),
            sources=len({f.source_url or f.source_title for f in self.figures}),
            figures=len(self.figures),
        )
        self._span_cache: dict[tuple[str, Period], SpanMetrics] = {}
        self._month_cache: dict[tuple[str, Period], MonthMetrics] = {}
        for partner in self._months:
            for month in all_months:
                self._month_cache[(partner, month)] = self._compute_month(partner, month)

    # -- lookups -------------------------------------------------------------------------

    def figure(self, partner: str, period: Period, metric: str = "tonnes") -> Resolved | None:
        return self.resolved.get((period.code, partner, metric))

    def partners(self) -> tuple[str, ...]:
        """Partners with at least one monthly tonnage figure."""
        return self.coverage.partners

    def months_with_data(self, partner: str) -> list[Period]:
        return self._months.get(partner, [])

    def latest_month(self, partner: str = WORLD) -> Period | None:
        months = self._months.get(partner)
        return months[-1] if months else None

    def nearest_months(self, partner: str, month: Period) -> tuple[Period | None, Period | None]:
        """The closest months before and after ``month`` that have a figure."""
        months = self._months.get(partner, [])
        i = bisect.bisect_left(months, month)
        before = months[i - 1] if i > 0 else None
        j = i + 1 if i < len(months) and months[i] == month else i
        after = months[j] if j < len(months) else None
        return before, after

    def latest_year_of(self, month_number: int, partner: str) -> int | None:
        """The latest year in which ``month_number`` has a figure (partner first, then any)."""
        for candidates in (self._months.get(partner, []), self._months.get(WORLD, [])):
            years = [m.year for m in candidates if m.first_month == month_number]
            if years:
                return max(years)
        return None

    def month(self, partner: str, month: Period) -> MonthMetrics:
        """Constant-time lookup of a partner's month (computed on the fly off the grid)."""
        cached = self._month_cache.get((partner, month))
        return cached if cached is not None else self._compute_month(partner, month)

    def span(self, partner: str, period: Period) -> SpanMetrics:
        """A span's metrics, computed once and then looked up."""
        key = (partner, period)
        if key not in self._span_cache:
            self._span_cache[key] = self._compute_span(partner, period)
        return self._span_cache[key]

    def _compute_span(self, partner: str, period: Period) -> SpanMetrics:
        total = self.total(partner, period)
        previous = self.total(partner, period.year_earlier())
        yoy = (
            Change.between(total.value.value, previous.value)
            if total.value and previous.value
            else None
        )
        world = self.total(WORLD, period) if partner != WORLD else total
        share = None
        if total.value and world.value and world.value.value:
            share = total.value.value / world.value.value * 100
        usd = self._usd(partner, period)
        per_tonne = (
            usd.value / total.value.value if usd and total.value and total.value.value else None
        )
        return SpanMetrics(partner, period, total, yoy, world, share, usd, per_tonne)

    def ranking(self, month: Period) -> list[tuple[str, float]]:
        """Countries with a figure in ``month``, largest first."""
        return list(self._by_month.get(month, []))

    def total(self, partner: str, period: Period) -> Total:
        """A span's total by the aggregate rules (see :class:`bot.figures.Total`)."""
        months = period.months()
        found = [self.figure(partner, m) for m in months]
        known = [r for r in found if r is not None]
        published = next(
            (
                r
                for code in period.aggregate_codes()
                if (r := self.resolved.get((code, partner, "tonnes")))
            ),
            None,
        )
        months_sum = sum(r.value for r in known) if len(known) == len(months) else None
        all_reported = all(r.chosen.is_reported for r in known)
        value: Sourced | None = None
        basis: Any = None
        role = f"Total {period.label}"
        if months_sum is not None and (all_reported or published is None):
            status: Any = "reported" if all_reported else "derived"
            value = Sourced(
                role, partner, period, months_sum, status, tuple(known), note="sum of months"
            )
            basis = "sum" if all_reported else "sum-derived"
        elif published is not None:
            value = sourced_from(role, published, note="published total")
            basis = "published"
        return Total(partner, period, value, basis, len(known), len(months), months_sum, published)

    # -- computation ---------------------------------------------------------------------

    def _sourced(
        self, role: str, partner: str, period: Period, metric: str = "tonnes"
    ) -> Sourced | None:
        resolved = self.figure(partner, period, metric)
        return sourced_from(role, resolved) if resolved else None

    def _base(self, role: str, current: Resolved, partner: str, period: Period) -> Sourced | None:
        """The comparison figure, from the current figure's own source when it gives one."""
        base = self.figure(partner, period)
        if base is None:
            return None
        for figure in base.agreeing:
            if figure is not base.chosen and _same_source(figure, current.chosen):
                return sourced_from(role, base, used=figure, note="same source as this month")
        return sourced_from(role, base)

    def _usd(self, partner: str, period: Period) -> Sourced | None:
        return self._sourced(f"value {period.label}", partner, period, "usd")

    def _compute_month(self, partner: str, month: Period) -> MonthMetrics:
        current = self.figure(partner, month)
        tonnes = sourced_from(month.label, current) if current else None
        mom = yoy = None
        if current is not None and tonnes is not None:
            previous = self._base(month.previous().label, current, partner, month.previous())
            mom = Change.between(tonnes.value, previous) if previous else None
            earlier = self._base(month.year_earlier().label, current, partner, month.year_earlier())
            yoy = Change.between(tonnes.value, earlier) if earlier else None
        world = self._sourced(f"China's total {month.label}", WORLD, month)
        share = tonnes.value / world.value * 100 if tonnes and world and world.value else None
        rank, ranked = self._rank.get((partner, month), (None, len(self._by_month.get(month, []))))
        ytd = self.total(partner, month.year_to_date())
        ytd_prev = self.total(partner, month.year_to_date().year_earlier())
        ytd_yoy = None
        if ytd.value and ytd_prev.value:
            ytd_yoy = Change.between(ytd.value.value, ytd_prev.value)
        usd = self._usd(partner, month)
        per_tonne = usd.value / tonnes.value if usd and tonnes and tonnes.value else None
        return MonthMetrics(
            partner,
            month,
            tonnes,
            mom,
            yoy,
            world,
            share,
            rank,
            ranked,
            ytd,
            ytd_yoy,
            usd,
            per_tonne,
        )
