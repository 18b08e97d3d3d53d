"""Whether an alert rule fires for a month, and whether a revision makes a month cross its
line or no longer cross it. Pure: no Telegram, no database.

The figure is the one the bot's own answer gives: ``/exports <partner> <month>`` for the
quantity, the changes (a published percentage as published), the share and the rank, and
``/exports <partner> <year>-YTD<mm>`` for the year to date, with the same source objects the
answers cite (see :mod:`bot.alerts.stated`). :func:`evaluate` says what came of a check:

- :class:`Firing`: the figure meets the rule (the message cites its sources);
- :class:`Quiet`: the figure is known and does not meet it;
- :class:`Unchecked`: the figure is not known (missing, a change with no base or a base of
  zero, a year to date not known, a lower bound that does not tell, a record with fewer than
  twelve earlier known months), with why, for ``/preview``. Missing is never zero: an
  unchecked rule never fires.

:func:`check` is the firing or ``None``; :func:`crossed` compares a month before and after a
revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.alerts.history import MIN_HISTORY, Record, history, meets, record
from bot.alerts.rules import AlertRule, Comparison
from bot.alerts.stated import Gap, Missing, Stated, state
from bot.data.changes import ChosenChange
from bot.figures import MonthMetrics, Sourced, Total
from bot.i18n import said
from bot.lookup import Lookup, MonthAnswer, SpanAnswer
from bot.metrics import Metrics
from bot.reading.partners import partner
from bot.reading.periods import Period


@dataclass(frozen=True)
class Firing:
    """A rule met in a month: the figure as the answer states it, the comparison it met (a
    record rule's :attr:`Comparison.RECORD_HIGH` or ``RECORD_LOW``, whichever it was), the
    rule's threshold (``None`` for a record, which has ``record`` instead)."""

    rule: AlertRule
    period: Period
    figure: Stated
    comparison: Comparison
    threshold: float | None
    record: Record | None = None

    @property
    def sources(self) -> tuple[Sourced, ...]:
        """The sourced numbers behind the figure (a record's previous one last)."""
        earlier = (self.record.previous.figure.quantity,) if self.record is not None else ()
        return (*self.figure.sources, *earlier)

    @property
    def published(self) -> ChosenChange | None:
        """The published percentage stated, with its source, for a change."""
        return self.figure.published


@dataclass(frozen=True)
class Quiet:
    """A rule checked and not met: the figure is known and does not cross the line."""

    rule: AlertRule
    period: Period
    figure: Stated


@dataclass(frozen=True)
class Unchecked:
    """A rule that could not be checked for a month, and why (``missing.why``, a sentence in
    the reader's language when shown). It does not fire. ``figure`` is the month's figure
    when only the comparison could not be decided (a lower bound, a record's short history)."""

    rule: AlertRule
    period: Period
    missing: Missing
    figure: Stated | None = None

    @property
    def gap(self) -> Gap:
        return self.missing.gap


Outcome = Firing | Quiet | Unchecked
Source = Lookup | Metrics


def _metrics(rule: AlertRule, source: Source) -> Metrics:
    metrics = source.metrics if isinstance(source, Lookup) else source
    if metrics.info.key != rule.series:
        raise ValueError(f"{rule.key()} is not of the series {metrics.info.key}")
    return metrics


def _answers(
    rule: AlertRule, source: Source, metrics: Metrics, period: Period
) -> tuple[MonthMetrics, Total]:
    """The partner's month and its year to date, as the answers to ``/exports`` give them
    (the same objects: the metrics' month and span, made once per snapshot)."""
    if isinstance(source, Lookup):
        who = partner(rule.partner)
        month = source.exports_for(who, period)
        ytd = source.exports_for(who, period.year_to_date())
        if isinstance(month, MonthAnswer) and isinstance(ytd, SpanAnswer):
            return month.metrics, ytd.metrics.total
    # No figure (the answer says so) or no Lookup: the same month and span, from the metrics.
    return metrics.month(rule.partner, period), metrics.span(
        rule.partner, period.year_to_date()
    ).total


def evaluate(rule: AlertRule, source: Source, period: Period) -> Outcome:
    """What ``rule`` gives for ``period`` (a month) in the data of ``source`` (a
    :class:`~bot.lookup.Lookup` or the :class:`~bot.metrics.Metrics` of the rule's series).

    A record (``RECORD_HIGH``, ``RECORD_LOW``, ``RECORD``) fires when the month is strictly
    above (below) every earlier known month of the partner's quantity or share, and only with
    at least :data:`~bot.alerts.history.MIN_HISTORY` (12) earlier known months; with fewer it is
    :class:`Unchecked` (:attr:`Gap.SHORT_HISTORY`) and never fires."""
    if not period.is_month:
        raise ValueError(f"alerts are checked month by month, not for {period.code}")
    metrics = _metrics(rule, source)
    m, ytd = _answers(rule, source, metrics, period)
    figure = state(rule.metric, m, metrics, ytd)
    if isinstance(figure, Missing):
        return Unchecked(rule, period, figure)
    if rule.comparison.is_record:
        return _record(rule, period, figure, metrics)
    assert rule.threshold is not None
    met = meets(figure, rule.comparison, rule.threshold)
    if met is None:
        return Unchecked(rule, period, _one_side(), figure)
    if met:
        return Firing(rule, period, figure, rule.comparison, rule.threshold)
    return Quiet(rule, period, figure)


def check(rule: AlertRule, source: Source, period: Period) -> Firing | None:
    """The firing of ``rule`` for ``period``, or ``None`` when it does not fire (not met, or
    not known: :func:`evaluate` says which and why)."""
    outcome = evaluate(rule, source, period)
    return outcome if isinstance(outcome, Firing) else None


def _one_side() -> Missing:
    return Missing(
        Gap.LOWER_BOUND,
        said(
            "a figure behind it is a lower bound (its source says “at least”), so it may or "
            "may not cross the line"
        ),
    )


def _record(rule: AlertRule, period: Period, figure: Stated, metrics: Metrics) -> Outcome:
    earlier = history(rule.metric, rule.partner, period, metrics)
    if len(earlier) < MIN_HISTORY:
        why = said(
            "a record needs {least} earlier months with a figure; there are {n} before {period}",
            least=MIN_HISTORY,
            n=len(earlier),
            period=period,
        )
        return Unchecked(rule, period, Missing(Gap.SHORT_HISTORY, why), figure)
    kinds = {
        Comparison.RECORD_HIGH: (Comparison.RECORD_HIGH,),
        Comparison.RECORD_LOW: (Comparison.RECORD_LOW,),
        Comparison.RECORD: (Comparison.RECORD_HIGH, Comparison.RECORD_LOW),
    }[rule.comparison]
    found = [record(figure, earlier, kind) for kind in kinds]
    for result in found:
        if isinstance(result, Record):
            return Firing(rule, period, figure, result.kind, None, result)
    if None in found:
        return Unchecked(rule, period, _one_side(), figure)
    return Quiet(rule, period, figure)


# -- revisions ---------------------------------------------------------------------------


class Direction(Enum):
    """Which way a revision moved a month across a rule's line."""

    NOW_CROSSES = "now"
    NO_LONGER_CROSSES = "no_longer"


@dataclass(frozen=True)
class Crossing:
    """A revised month that now meets a rule it did not (``NOW_CROSSES``: ``after`` is the
    firing) or no longer meets one it did (``NO_LONGER_CROSSES``: ``before`` is the firing)."""

    rule: AlertRule
    period: Period
    direction: Direction
    before: Outcome
    after: Outcome

    @property
    def firing(self) -> Firing:
        """The side that fired: after a revision that now crosses, before one that no
        longer does."""
        side = self.after if self.direction is Direction.NOW_CROSSES else self.before
        assert isinstance(side, Firing)
        return side


def crossed(rule: AlertRule, before: Source, after: Source, period: Period) -> Crossing | None:
    """Whether the revision from the data of ``before`` to that of ``after`` makes ``period``
    cross ``rule``'s line (a figure added or revised so that it fires, or a record that was
    the lowest now the highest or the other way) or no longer cross it (a figure revised so
    that it does not, or withdrawn); ``None`` when it fires the same way both times or
    neither."""
    was, now = evaluate(rule, before, period), evaluate(rule, after, period)
    fired, fires = isinstance(was, Firing), isinstance(now, Firing)
    if fires and not fired:
        return Crossing(rule, period, Direction.NOW_CROSSES, was, now)
    if fired and not fires:
        return Crossing(rule, period, Direction.NO_LONGER_CROSSES, was, now)
    if isinstance(was, Firing) and isinstance(now, Firing) and was.comparison is not now.comparison:
        return Crossing(rule, period, Direction.NOW_CROSSES, was, now)  # the low now the high
    return None
