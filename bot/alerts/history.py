"""Whether a stated figure meets a threshold, and whether a month is a record.

A figure known only from one side (a source's "200+": :attr:`~bot.alerts.stated.Stated.least`)
decides a comparison only when every value it may have decides it the same way; otherwise the
answer is ``None``: not known, and the rule does not fire.

A record is the highest (or lowest) month of a partner's quantity, or of its share, in the
data's history up to and including the month: strictly above (below) every earlier known
month. It needs :data:`MIN_HISTORY` earlier known months: with fewer, a month is never a record
(a partner's first months would all be records).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.alerts.rules import Comparison, Metric
from bot.alerts.stated import Stated, state
from bot.metrics import Metrics
from bot.reading.periods import Period

#: The earlier known months a record needs: with fewer, no month is a record.
MIN_HISTORY = 12


def meets(figure: Stated, comparison: Comparison, threshold: float) -> bool | None:
    """Whether ``figure`` meets ``comparison`` with ``threshold`` (``BELOW`` and ``ABOVE``
    strict); ``None`` when a figure known from one side does not tell."""
    line = Decimal(repr(float(threshold)))
    lo, hi = figure.least, figure.most
    decided = {
        Comparison.BELOW: (hi < line, lo >= line),
        Comparison.ABOVE: (lo > line, hi <= line),
        Comparison.AT_MOST: (hi <= line, lo > line),
        Comparison.AT_LEAST: (lo >= line, hi < line),
    }
    if comparison not in decided:
        raise ValueError(f"not a comparison with a threshold: {comparison}")
    surely, surely_not = decided[comparison]
    return True if surely else False if surely_not else None


@dataclass(frozen=True)
class Earlier:
    """An earlier known month of the same figure."""

    period: Period
    figure: Stated


@dataclass(frozen=True)
class Record:
    """A month that beats every earlier known month: ``kind`` is ``RECORD_HIGH`` or
    ``RECORD_LOW``, ``previous`` the earlier month that held the record (its figure as stated,
    with its sources; of months equal as stated, the latest), ``months`` how many earlier
    months were compared."""

    kind: Comparison
    previous: Earlier
    months: int


def history(metric: Metric, code: str, period: Period, metrics: Metrics) -> list[Earlier]:
    """Every month before ``period`` in which ``code``'s ``metric`` (a quantity or a share) is
    known, oldest first, each stated as its own month's answer states it."""
    found = []
    for month in metrics.months_with_data(code):
        if month >= period:
            break
        figure = state(metric, metrics.month(code, month), metrics)
        if isinstance(figure, Stated):
            found.append(Earlier(month, figure))
    return found


def record(current: Stated, earlier: list[Earlier], kind: Comparison) -> Record | bool | None:
    """``current`` as a record of ``kind`` (``RECORD_HIGH`` or ``RECORD_LOW``) against the
    ``earlier`` months: the :class:`Record` when it is one, ``False`` when it is not, ``None``
    when a figure known from one side does not tell. Callers check :data:`MIN_HISTORY`."""
    if not earlier:
        return False
    if kind is Comparison.RECORD_HIGH:
        best = max(earlier, key=lambda e: (e.figure.most, e.figure.least, e.period))
        surely = all(current.least > e.figure.most for e in earlier)
        surely_not = any(e.figure.least >= current.most for e in earlier)
    else:
        best = min(earlier, key=lambda e: (e.figure.least, e.figure.most, -e.period.month_index))
        surely = all(current.most < e.figure.least for e in earlier)
        surely_not = any(e.figure.most <= current.least for e in earlier)
    if surely:
        return Record(kind, best, len(earlier))
    return False if surely_not else None
