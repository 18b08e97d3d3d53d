"""A rule's figure for one month, as the bot's own answer states it, or why there is none.

The figure is read from the answer ``/exports`` gives for the partner and month (the month's
:class:`~bot.figures.MonthMetrics`; the year to date from the answer to ``/exports … 2025-YTD06``),
at the precision that answer shows it: a quantity to at most one decimal, a share to one, a
change as published (``-52%``) or computed to one decimal, a rank as a place. A rule compares
that stated figure, so a message never says "−25.0%, below your line of −25%".

A figure the data does not have is never taken as zero: :class:`Gap` says why it could not be
read, with a sentence in the reader's language (:attr:`Missing.why`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from bot.alerts.rules import WORLD, Metric
from bot.data.changes import ChosenChange
from bot.figures import Change, MonthMetrics, Sourced, Total
from bot.i18n import Said, said
from bot.metrics import Metrics
from bot.period_choice import MIN_RANKED
from bot.reading.partners import partner


class Gap(Enum):
    """Why a rule could not be checked for a month (it then never fires)."""

    NO_FIGURE = "no_figure"  # the partner has no figure for the month
    NO_BASE = "no_base"  # no figure for the month a change compares with
    FROM_ZERO = "from_zero"  # the month compared with is zero: no percentage exists
    NO_TOTAL = "no_total"  # no total of China's for the month: no share
    NOT_A_PARTNER = "not_a_partner"  # China's total has no share or rank
    NOT_RANKED = "not_ranked"  # a grouping such as the EU is not ranked
    TOO_FEW_RANKED = "too_few_ranked"  # fewer than MIN_RANKED countries have a figure
    YTD_NOT_KNOWN = "ytd_not_known"  # months missing and no total published
    LOWER_BOUND = "lower_bound"  # a figure is "at least" and cannot tell
    SHORT_HISTORY = "short_history"  # a record needs 12 earlier known months


@dataclass(frozen=True)
class Missing:
    """What stopped a rule's check: the :class:`Gap` and a sentence saying it (a
    :class:`~bot.i18n.Said`, put in the reader's language when shown, as in ``/preview``)."""

    gap: Gap
    why: Said


@dataclass(frozen=True)
class Stated:
    """A rule's figure for one month as the answer states it, and what it rests on.

    ``value`` is the figure at the precision shown (a percentage for a change or a share, a
    quantity in the series' unit, a place for a rank); ``sources`` are the sourced numbers it
    rests on, in the order the answer cites them (the same objects the answers mark), and
    ``published`` the percentage a source published when a change is stated as published.
    """

    metric: Metric
    value: Decimal
    #: The least and the most the true figure may be: the value itself, unless a figure
    #: behind it is a lower bound (a source's "200+" is 200 or more; a change on a base of
    #: "200+" at most the one stated; a place below a "200+" may be passed by it).
    least: Decimal
    most: Decimal
    sources: tuple[Sourced, ...]
    #: The partner's quantity that month (for a year to date: the year to date's).
    quantity: Sourced
    change: Change | None = None
    #: China's total that month (a share's).
    world: Sourced | None = None
    rank: int | None = None
    ranked: int = 0
    #: The year to date as ``/exports … YTD`` gives it (how it was found: a sum, published).
    total: Total | None = None

    @property
    def published(self) -> ChosenChange | None:
        """The percentage a source published, when the change is stated as published."""
        return self.change.published if self.change is not None else None


def at_shown(value: float, places: int) -> Decimal:
    """``value`` as the answers show it: rounded half up to ``places`` decimals (the answers'
    :func:`bot.render.format.fixed`)."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded


def quantity_places(item: Sourced) -> int:
    """The decimals a quantity is shown with: as its source gives it, at most one."""
    return min(item.decimals, 1)


#: No end to what a figure known from one side may be.
UNBOUNDED = Decimal("Infinity")


def _range(
    value: Decimal, at_least: bool = False, at_most: bool = False
) -> tuple[Decimal, Decimal]:
    """The least and most of a figure that is ``value``, or known from one side."""
    return (-UNBOUNDED if at_most else value), (UNBOUNDED if at_least else value)


def state(
    metric: Metric, m: MonthMetrics, metrics: Metrics, ytd: Total | None = None
) -> Stated | Missing:
    """The figure ``metric`` watches in ``m``, a partner's month (``ytd``: its year to date as
    the span's answer gives it, for :attr:`Metric.YTD`), or what is missing."""
    if metric is Metric.YTD:
        return _year_to_date(ytd if ytd is not None else m.ytd)
    if m.tonnes is None:
        who = partner(m.partner)
        return Missing(
            Gap.NO_FIGURE,
            said("{partner} has no figure for {period}", partner=who, period=m.period),
        )
    tonnes = m.tonnes
    if metric is Metric.TONNES:
        value = at_shown(tonnes.value, quantity_places(tonnes))
        return Stated(metric, value, *_range(value, tonnes.is_lower_bound), (tonnes,), tonnes)
    if metric in (Metric.MOM, Metric.YOY):
        return _change(metric, m)
    if m.partner == WORLD:
        return Missing(Gap.NOT_A_PARTNER, said("China's total has no share or rank"))
    if metric is Metric.SHARE:
        return _share(m)
    return _rank(m, metrics)


def _change(metric: Metric, m: MonthMetrics) -> Stated | Missing:
    assert m.tonnes is not None
    change = m.mom if metric is Metric.MOM else m.yoy
    base = m.period.previous() if metric is Metric.MOM else m.period.year_earlier()
    if change is None:
        return Missing(Gap.NO_BASE, said("no figure for {period} to compare with", period=base))
    if change.pct is None:
        return Missing(
            Gap.FROM_ZERO,
            said("{period} was zero, so there is no percentage change", period=base),
        )
    value = at_shown(change.pct, change.pct_decimals)
    at_least, at_most = m.tonnes.is_lower_bound, change.base.is_lower_bound
    if change.published is not None:
        at_least = at_most = False  # a published percentage is as published
    if at_least and at_most:
        return Missing(
            Gap.LOWER_BOUND,
            said("both figures compared are lower bounds, so the change is not known"),
        )
    least, most = _range(value, at_least, at_most)
    return Stated(metric, value, least, most, (m.tonnes, change.base), m.tonnes, change=change)


def _share(m: MonthMetrics) -> Stated | Missing:
    assert m.tonnes is not None
    if m.share_pct is None or m.world is None:
        return Missing(
            Gap.NO_TOTAL,
            said(
                "China's total for {period} is not in the data, so there is no share",
                period=m.period,
            ),
        )
    if m.tonnes.is_lower_bound and m.world.is_lower_bound:
        return Missing(
            Gap.LOWER_BOUND,
            said("the figure and China's total are both lower bounds, so the share is not known"),
        )
    value = at_shown(m.share_pct, 1)
    least, most = _range(value, m.tonnes.is_lower_bound, m.world.is_lower_bound)
    return Stated(Metric.SHARE, value, least, most, (m.tonnes, m.world), m.tonnes, world=m.world)


def _rank(m: MonthMetrics, metrics: Metrics) -> Stated | Missing:
    """The place, as the answer's "Rank: #2 of 5 countries": a rank among fewer than
    :data:`MIN_RANKED` countries is none, and a grouping is not ranked. A partner's own
    lower bound may stand higher (down to first place); each country below it with a lower
    bound may pass it (one place each)."""
    assert m.tonnes is not None
    if m.ranked < MIN_RANKED:
        return Missing(
            Gap.TOO_FEW_RANKED,
            said(
                "too few countries have a figure for {period} to rank them ({n}; a rank needs "
                "{least})",
                period=m.period,
                n=m.ranked,
                least=MIN_RANKED,
            ),
        )
    if m.rank is None:
        return Missing(
            Gap.NOT_RANKED,
            said("{partner} is a group of countries, not ranked", partner=partner(m.partner)),
        )
    below = metrics.ranking(m.period)[m.rank :]
    passing = sum(
        1
        for code, _ in below
        if (found := metrics.figure(code, m.period)) is not None and found.chosen.is_lower_bound
    )
    place = Decimal(m.rank)
    least = Decimal(1) if m.tonnes.is_lower_bound else place
    return Stated(
        Metric.RANK,
        place,
        least,
        place + passing,
        (m.tonnes,),
        m.tonnes,
        rank=m.rank,
        ranked=m.ranked,
    )


def _year_to_date(total: Total) -> Stated | Missing:
    if total.value is None and total.rejected_why is not None:
        return Missing(
            Gap.YTD_NOT_KNOWN,
            said(
                "the total for {period} is not known: the published total is not used ({why})",
                period=total.period,
                why=total.rejected_why,
            ),
        )
    if total.value is None:
        return Missing(
            Gap.YTD_NOT_KNOWN,
            said(
                "the total for {period} is not known ({known} of {months} months have a figure "
                "and no total was published)",
                period=total.period,
                known=total.months_known,
                months=total.months_total,
            ),
        )
    value = at_shown(total.value.value, quantity_places(total.value))
    least, most = _range(value, total.value.is_lower_bound)
    return Stated(Metric.YTD, value, least, most, (total.value,), total.value, total=total)
