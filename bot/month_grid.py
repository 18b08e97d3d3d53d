"""Every partner's monthly quantities (the series' unit: tonnes or kilograms) in one frame, with
the month-on-month, year-on-year, share,
rank and year-to-date columns computed over the whole table at once (merge, rank and cumulative
sum with pandas), never cell by cell.

Months are numbered ``year * 12 + month - 1`` so that the month before is ``- 1`` and the
same month a year earlier ``- 12``. A partner's row of a month is found through a small array
(partners × months), so a lookup is constant time and the grid holds no Python object per cell.
The arrays are the plain computation: the metrics module (:mod:`bot.metrics`) applies the
written rules (a published percentage, a base the source names, a published total) on top.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from bot.figures import WORLD
from bot.reading.partners import GROUPINGS
from bot.reading.periods import Period, PeriodError

if TYPE_CHECKING:
    import pandas as pd


def month_number(period: Period) -> int:
    return period.year * 12 + period.first_month - 1


def month_of(number: int) -> Period:
    return Period.month(number // 12, number % 12 + 1)


def _month_numbers(codes: pd.Series) -> np.ndarray:
    """Each period code's month number; -1 for a span (year, half, quarter, year to date)."""
    import pandas as pd

    def number(code: str) -> int:
        try:
            period = Period.parse_code(code)
        except PeriodError:
            return -1
        return month_number(period) if period.is_month else -1

    found, uniques = pd.factorize(codes)
    numbers: np.ndarray = np.array([number(code) for code in uniques], dtype=np.int64)[found]
    return numbers


class MonthGrid:
    """The monthly quantities of one series, as partners × months arrays (see the module
    docstring): ``value``, ``world``, ``share``, ``rank`` (0: not a ranked country or no
    figure), ``ranked``, ``mom``/``yoy`` (percent on the month before / a year earlier) and
    ``ytd`` (January to this month, when every one of those months has a figure)."""

    def __init__(self, resolved: pd.DataFrame, unit: str = "tonnes") -> None:
        import pandas as pd

        tonnes = resolved[resolved["metric"] == unit]
        numbers = _month_numbers(tonnes["period"])
        monthly = numbers >= 0
        ids, partners = pd.factorize(tonnes["partner"].to_numpy()[monthly], sort=True)
        months = numbers[monthly]
        self.partners: tuple[str, ...] = tuple(partners)
        self._partner_id = {p: i for i, p in enumerate(self.partners)}
        self.first = int(months.min()) - int(months.min()) % 12 if len(months) else 0
        self.last = int(months.max()) if len(months) else -1
        self.value = np.full((len(partners), self.last - self.first + 1), np.nan)
        self.value[ids, months - self.first] = tonnes["value"].to_numpy(dtype=float)[monthly]
        self._computed()
        self._month_lists: dict[str, list[Period]] = {}

    def _computed(self) -> None:
        value = self.value
        if not value.shape[1]:  # no monthly figure at all: nothing to compute
            self.share = self.mom = self.yoy = self.ytd = value
            self.world: np.ndarray = np.zeros(0)
            self.rank = self._ranked_order = np.zeros(value.shape, np.int64)
            self.ranked = np.zeros(0, np.int64)
            return
        known = ~np.isnan(value)
        world_id = self._partner_id.get(WORLD)
        self.world = value[world_id] if world_id is not None else np.full(value.shape[1], np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.share = value / np.where(self.world > 0, self.world, np.nan) * 100
            self.mom = _change(value, 1)
            self.yoy = _change(value, 12)
        country = np.array([p not in GROUPINGS for p in self.partners], dtype=bool)
        ranked_values = np.where(country[:, None] & known, -value, np.inf)
        order = np.argsort(ranked_values, axis=0, kind="stable")  # partners are sorted
        self.rank = np.zeros(value.shape, dtype=np.int64)
        np.put_along_axis(self.rank, order, np.arange(1, len(value) + 1)[:, None], axis=0)
        self.ranked = (country[:, None] & known).sum(axis=0)
        self.rank[~(country[:, None] & known)] = 0
        years = value.reshape(len(value), -1, 12) if value.shape[1] % 12 == 0 else None
        if years is None:  # pad to whole years (the grid starts in January)
            width = -(-value.shape[1] // 12) * 12
            padded = np.full((len(value), width), np.nan)
            padded[:, : value.shape[1]] = value
            years = padded.reshape(len(value), -1, 12)
        sums = np.nancumsum(years, axis=2).reshape(len(value), -1)[:, : value.shape[1]]
        complete = np.cumprod(~np.isnan(years), axis=2).reshape(len(value), -1)
        self.ytd = np.where(complete[:, : value.shape[1]] == 1, sums, np.nan)
        self._ranked_order = order

    def _cell(self, partner: str, month: Period) -> tuple[int, int] | None:
        pid, offset = self._partner_id.get(partner), month_number(month) - self.first
        if pid is None or not 0 <= offset < self.value.shape[1]:
            return None
        return (pid, offset) if not np.isnan(self.value[pid, offset]) else None

    def at(self, table: np.ndarray, partner: str, month: Period) -> float | None:
        """One cell of ``table`` (``share``, ``mom``, ...); ``None`` where it has no number."""
        cell = self._cell(partner, month)
        number = float(table[cell]) if cell is not None else math.nan
        return None if math.isnan(number) else number

    def rank_of(self, partner: str, month: Period) -> tuple[int | None, int]:
        """(rank among the countries with a figure, how many have one)."""
        offset = month_number(month) - self.first
        ranked = int(self.ranked[offset]) if 0 <= offset < len(self.ranked) else 0
        cell = self._cell(partner, month)
        rank = int(self.rank[cell]) if cell is not None else 0
        return (rank or None), ranked

    def ranking(self, month: Period) -> list[tuple[str, float]]:
        """Countries with a figure in ``month``, largest first."""
        offset = month_number(month) - self.first
        if not 0 <= offset < len(self.ranked):
            return []
        ids = self._ranked_order[: int(self.ranked[offset]), offset]
        return [(self.partners[i], float(self.value[i, offset])) for i in ids]

    def latest_ranked(self, more_than: int = 0) -> Period | None:
        """The latest month in which more than ``more_than`` countries have a figure."""
        offsets = np.flatnonzero(self.ranked > more_than)
        return month_of(self.first + int(offsets[-1])) if len(offsets) else None

    def months(self, partner: str) -> list[Period]:
        """A partner's months with a figure, oldest first (made once per partner)."""
        made = self._month_lists.get(partner)
        if made is None:
            pid = self._partner_id.get(partner)
            offsets = np.flatnonzero(~np.isnan(self.value[pid])) if pid is not None else ()
            made = self._month_lists[partner] = [month_of(self.first + int(o)) for o in offsets]
        return made

    def latest(self, partner: str) -> Period | None:
        months = self.months(partner)
        return months[-1] if months else None

    def first_month(self) -> Period:
        offsets = np.flatnonzero((~np.isnan(self.value)).any(axis=0))
        return month_of(self.first + int(offsets[0]))


def _change(value: np.ndarray, back: int) -> np.ndarray:
    """Percent change on the figure ``back`` months earlier (NaN where either is missing)."""
    base = np.full(value.shape, np.nan)
    if back < value.shape[1]:
        base[:, back:] = value[:, :-back]
    change: np.ndarray = (value / np.where(base > 0, base, np.nan) - 1) * 100
    return change
