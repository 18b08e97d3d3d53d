"""The metrics module: what the data says about a partner and a period.

Pure Python and pandas, no Telegram. :class:`Metrics` is built once from the resolved figures
and answers from dictionaries, so every lookup is constant time. Missing inputs give ``None``,
never 0.

Changes are computed like for like: when the source of this month's figure also gives the
month it is compared with (within rounding of the chosen figure), that source's pair is
used, so the change matches the source's own percentage. Where a source published the
percentage itself (``data/changes/``), that percentage is the one stated, and a base figure it
names ("from 46 t") is the base used.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.data.changes import ChangeKey, ChosenChange, PublishedChange, choose_changes
from bot.data.dataset import CUSTOMS_SERIES, Figure
from bot.data.resolve import Resolved, ResolvedTable
from bot.data.series import SeriesInfo, project_catalog
from bot.data.table import FigureTable
from bot.figures import WORLD as WORLD
from bot.figures import Change, Sourced, Taken, Total, sourced_from
from bot.figures import MonthMetrics as MonthMetrics
from bot.figures import SpanMetrics as SpanMetrics
from bot.i18n import Said
from bot.month_grid import MonthGrid, month_of
from bot.reading.partners import GROUPINGS
from bot.reading.periods import Period
from bot.why_not import no_value_per_unit, total_set_aside

EU = "EU"


def is_country(partner: str) -> bool:
    return partner not in GROUPINGS


def span_order(period: Period) -> tuple[int, int, int]:
    """Spans by when they end, the longer first on a tie (``max`` gives the latest)."""
    return (period.year, period.last_month, -period.first_month)


@dataclass(frozen=True)
class Coverage:
    first_month: Period
    last_month: Period
    partners: tuple[str, ...]
    sources: int
    figures: int


def _source(figure: Figure | PublishedChange) -> str:
    return figure.source_url or figure.source_title


def _same_source(a: Figure, b: Figure) -> bool:
    return _source(a) == _source(b)


class Metrics:
    """Indexed figures and the questions the bot answers from them."""

    def __init__(
        self,
        figures: Iterable[Figure] | FigureTable,
        changes: Iterable[PublishedChange] = (),
        inputs: object = None,
        info: SeriesInfo | None = None,
    ) -> None:
        #: What the figures were read from (files and digests), to know when to rebuild.
        self.inputs = inputs
        #: The series these figures belong to (rare-earth magnets unless said).
        self.info = info or project_catalog()[CUSTOMS_SERIES]
        #: The series' quantity metric (``tonnes`` or ``kg``): figures keep it, unconverted.
        self.unit = self.info.unit
        self.table = figures if isinstance(figures, FigureTable) else FigureTable.of(figures)
        self.resolved = ResolvedTable(self.table)
        self.changes: dict[ChangeKey, ChosenChange] = choose_changes(changes, self._figure_source)
        self.grid = MonthGrid(self.resolved.frame, self.unit)
        self._spans = self._span_index()
        first, last = self._covered()
        self.coverage = Coverage(
            first_month=first,
            last_month=last,
            partners=self.grid.partners,
            sources=self.table.sources(),
            figures=len(self.table),
        )
        self.table.compact()  # answered from lists and arrays from here on, without pandas
        self.resolved.compact()
        self._span_cache: dict[tuple[str, Period], SpanMetrics] = {}
        self._month_cache: dict[tuple[str, Period], MonthMetrics] = {}

    def _covered(self) -> tuple[Period, Period]:
        """The first and last month the figures cover: the monthly ones', or for a series
        published only as years and year-to-date spans, the spans' months."""
        if self.grid.last >= 0:
            return self.grid.first_month(), month_of(self.grid.last)
        spans = [Period.parse_code(code) for code in self.resolved.periods(self.unit)]
        if not spans:
            raise ValueError(f"no {self.unit} figures")
        first = min(spans, key=lambda p: (p.year, p.first_month))
        last = max(spans, key=lambda p: (p.year, p.last_month))
        return Period.month(first.year, first.first_month), Period.month(last.year, last.last_month)

    def _span_index(self) -> dict[str, tuple[Period, ...]]:
        """Each partner's spans with a figure of the series' unit, oldest first."""
        spans = {
            code: period
            for code in self.resolved.periods(self.unit)
            if not (period := Period.parse_code(code)).is_month
        }
        found: dict[str, list[Period]] = {}
        for code, partner in self.resolved.partners_of(self.unit, spans):
            found.setdefault(partner, []).append(spans[code])
        return {p: tuple(sorted(found[p], key=span_order)) for p in sorted(found)}

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure, made as objects (for tests and small tables)."""
        return tuple(self.table.figures())

    # -- lookups -------------------------------------------------------------------------

    def figure(self, partner: str, period: Period, metric: str | None = None) -> Resolved | None:
        """The chosen figure of ``metric`` (the series' unit by default)."""
        return self.resolved.get((period.code, partner, metric or self.unit))

    def partners(self) -> tuple[str, ...]:
        """Partners with at least one monthly tonnage figure."""
        return self.coverage.partners

    def span_partners(self) -> tuple[str, ...]:
        """Partners with a quantity figure for a span (half, quarter, year, year to date),
        some of whom have no monthly figure at all (Belgium's germanium in H1 2025)."""
        return tuple(self._spans)

    def spans_of(self, partner: str) -> tuple[Period, ...]:
        """A partner's spans with a quantity figure, oldest first."""
        return self._spans.get(partner, ())

    def months_with_data(self, partner: str) -> list[Period]:
        return self.grid.months(partner)

    def latest_month(self, partner: str = WORLD) -> Period | None:
        return self.grid.latest(partner)

    def nearest_months(self, partner: str, month: Period) -> tuple[Period | None, Period | None]:
        """The closest months before and after ``month`` that have a figure."""
        months = self.grid.months(partner)
        i = bisect.bisect_left(months, month)
        before = months[i - 1] if i > 0 else None
        j = i + 1 if i < len(months) and months[i] == month else i
        after = months[j] if j < len(months) else None
        return before, after

    def latest_year_of(self, month_number: int, partner: str) -> int | None:
        """The latest year in which ``month_number`` has a figure (partner first, then any)."""
        for candidates in (self.grid.months(partner), self.grid.months(WORLD)):
            years = [m.year for m in candidates if m.first_month == month_number]
            if years:
                return max(years)
        return None

    def month(self, partner: str, month: Period) -> MonthMetrics:
        """A partner's month: made when first asked for, then looked up."""
        key = (partner, month)
        made = self._month_cache.get(key)
        if made is None:
            made = self._month_cache[key] = self._compute_month(partner, month)
        return made

    def tonnes_and_share(self, partner: str, month: Period) -> tuple[Sourced | None, float | None]:
        """A partner's tonnes in a month and its share of China's total, as :meth:`month`
        gives them, without working out the rest of the month."""
        return self._sourced(month.label, partner, month), self.grid.at(
            self.grid.share, partner, month
        )

    def month_values(self, partner: str, period: Period) -> list[float | None] | None:
        """Each month's figure of a span, from the month arrays (``None`` for a month
        without one); ``None`` instead when a source published a total for the span, which
        only :meth:`total` weighs against the months."""
        if any((code, partner, self.unit) in self.resolved for code in period.aggregate_codes()):
            return None
        return [self.grid.at(self.grid.value, partner, month) for month in period.months()]

    def plain_change_pct(self, partner: str, month: Period) -> float | None:
        """The change on the month before when it is certain to be the plain one of the
        arrays (no published percentage, one agreeing figure for the month before); ``None``
        when it is not certain, or there is none."""
        base = (month.previous().code, partner, self.unit)
        if self.published(partner, month, "m/m") is not None or not self.resolved.single(base):
            return None
        return self.grid.at(self.grid.mom, partner, month)

    def span(self, partner: str, period: Period) -> SpanMetrics:
        """A span's metrics, computed once and then looked up."""
        key = (partner, period)
        if key not in self._span_cache:
            self._span_cache[key] = self._compute_span(partner, period)
        return self._span_cache[key]

    def _compute_span(self, partner: str, period: Period) -> SpanMetrics:
        total = self.total(partner, period)
        yoy = self._total_change(total, self.total(partner, period.year_earlier()))
        world = self.total(WORLD, period) if partner != WORLD else total
        share = None
        if total.value and world.value and world.value.value:
            share = total.value.value / world.value.value * 100
        usd = self._usd(partner, period)
        per_tonne, why = self._per_unit(usd, total.value, total.published)
        return SpanMetrics(partner, period, total, yoy, world, share, usd, per_tonne, why)

    def ranking(self, month: Period) -> list[tuple[str, float]]:
        """Countries with a figure in ``month``, largest first."""
        return self.grid.ranking(month)

    def total(self, partner: str, period: Period) -> Total:
        """A span's total by the aggregate rules (see :class:`bot.figures.Total`)."""
        months = period.months()
        found = [self.figure(partner, m) for m in months]
        known = [r for r in found if r is not None]
        published = next(
            (
                r
                for code in period.aggregate_codes()
                if (r := self.resolved.get((code, partner, self.unit)))
            ),
            None,
        )
        role = f"Total {period.label}"
        rejected, why = None, None
        if published is not None and (why := total_set_aside(published, known, self.unit)):
            rejected = sourced_from(f"Published total {period.label}", published, set_aside=why)
            published = None
        months_sum = sum(r.value for r in known) if len(known) == len(months) else None
        all_reported = all(r.chosen.is_reported for r in known)
        value: Sourced | None = None
        basis: Any = None
        if months_sum is not None and (all_reported or published is None):
            status: Any = "reported" if all_reported else "derived"
            value = Sourced(
                role, partner, period, months_sum, status, tuple(known), note="sum of months"
            )
            basis = "sum" if all_reported else "sum-derived"
        elif published is not None:
            basis = "published" if published.chosen.is_reported else "derived"
            value = sourced_from(role, published, note=f"{basis} total")
        return Total(
            partner,
            period,
            value,
            basis,
            len(known),
            len(months),
            months_sum,
            published,
            rejected,
            why,
        )

    def published(self, partner: str, period: Period, comparison: str) -> ChosenChange | None:
        """The change a source published for ``period`` (a span under any of its codes)."""
        codes = [period.code] if period.is_month else period.aggregate_codes()
        return next(
            (c for code in codes if (c := self.changes.get((code, partner, comparison)))), None
        )

    # -- computation ---------------------------------------------------------------------

    def _sourced(
        self, role: str, partner: str, period: Period, metric: str | None = None
    ) -> Sourced | None:
        resolved = self.figure(partner, period, metric)
        return sourced_from(role, resolved) if resolved else None

    def _figure_source(self, key: ChangeKey) -> str | None:
        code, partner, _ = key
        resolved = self.resolved.get((code, partner, self.unit))
        return _source(resolved.chosen) if resolved else None

    def _base(
        self, current: Resolved, partner: str, period: Period, stated: float | None
    ) -> Sourced | None:
        """The comparison figure: the one a published change names ("from 46 t"), else the
        current figure's own source's when it gives one, else the chosen figure."""
        base = self.figure(partner, period)
        if base is None:
            return None
        role = period.label
        own = [f for f in base.agreeing if _same_source(f, current.chosen)]
        if stated is not None:
            named = [f for f in base.agreeing if abs(f.value - stated) < 1e-9]
            named.sort(key=lambda f: (f not in own, f is not base.chosen, f.line))
            if named and named[0] in own:
                return sourced_from(role, base, used=named[0], taken=Taken.SAME_SOURCE)
            if named:
                return sourced_from(role, base, used=named[0], taken=Taken.NAMED_BASE)
        for figure in own:
            if figure is not base.chosen:
                return sourced_from(role, base, used=figure, taken=Taken.SAME_SOURCE)
        return sourced_from(role, base)

    def _change(
        self, current: Resolved, value: Sourced, base_period: Period, comparison: str
    ) -> Change | None:
        """A month's change on ``base_period``, with the percentage a source published."""
        published = self.published(current.partner, value.period, comparison)
        stated = published.base if published else None
        base = self._base(current, current.partner, base_period, stated)
        if base is None:
            return None
        circular = _circular(published, value, base)
        return Change.between(value.value, base, published, circular, self._scopes(value, base))

    def _total_change(self, total: Total, previous: Total) -> Change | None:
        """A span's change on the same span a year earlier."""
        if total.value is None or previous.value is None:
            return None
        published = self.published(total.partner, total.period, "y/y")
        circular = _circular(published, total.value, previous.value)
        scopes = self._scopes(total.value, previous.value)
        return Change.between(total.value.value, previous.value, published, circular, scopes)

    def _scopes(self, current: Sourced, base: Sourced) -> tuple[str, str]:
        """What the description says (in English and Chinese) when one figure compared
        covers a narrower scope (its note names the series' ``narrower_scope`` marker) and
        the other does not; else nothing."""
        marker = self.info.scope_marker.lower()
        if not marker:
            return "", ""
        narrow = [any(marker in f.note.lower() for f in _figures(x)) for x in (current, base)]
        if narrow[0] == narrow[1]:
            return "", ""
        return self.info.scope_says, self.info.scope_says_zh

    def _usd(self, partner: str, period: Period) -> Sourced | None:
        return self._sourced(f"value {period.label}", partner, period, "usd")

    def _compute_month(self, partner: str, month: Period) -> MonthMetrics:
        current = self.figure(partner, month)
        tonnes = sourced_from(month.label, current) if current else None
        mom = yoy = None
        if current is not None and tonnes is not None:
            mom = self._change(current, tonnes, month.previous(), "m/m")
            yoy = self._change(current, tonnes, month.year_earlier(), "y/y")
        world = self._sourced(f"China's total {month.label}", WORLD, month)
        share = tonnes.value / world.value * 100 if tonnes and world and world.value else None
        rank, ranked = self.grid.rank_of(partner, month)
        ytd = self.total(partner, month.year_to_date())
        ytd_yoy = self._total_change(ytd, self.total(partner, month.year_to_date().year_earlier()))
        usd = self._usd(partner, month)
        per_tonne, why = self._per_unit(usd, tonnes, current)
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
            why,
        )

    def _per_unit(
        self, value: Sourced | None, amount: Sourced | None, quantity: Resolved | None
    ) -> tuple[float | None, Said | None]:
        """The value per unit of quantity, or ``None`` and why not (no reason when there is
        no value or quantity to divide). ``quantity`` is the period's own quantity figure,
        with its alternates. Not computed when the figures do not belong together
        (:func:`bot.why_not.no_value_per_unit`)."""
        if value is None or amount is None or not amount.value:
            return None, None
        why = no_value_per_unit(value, amount, quantity, self.unit)
        return (None, why) if why is not None else (value.value / amount.value, None)


def _figures(item: Sourced) -> list[Figure]:
    return [item.used] if item.used is not None else [r.chosen for r in item.figures]


def _circular(published: ChosenChange | None, current: Sourced, base: Sourced) -> bool:
    """True when a figure compared was derived from the published percentage: by the source
    that published it, or by the source of the other figure (which states the percentage)."""
    if published is None:
        return False
    here, there = _figures(current), _figures(base)
    for figures, others in ((here, there), (there, here)):
        sources = {*published.sources, *(_source(f) for f in others)}
        if any(not f.is_reported and _source(f) in sources for f in figures):
            return True
    return False
