"""An alert rule as the bot keeps it, and what stops a typed rule from being one.

An :class:`AlertRule` is a series (a catalog key), a partner (an ISO code, a source grouping,
or ``WORLD`` for China's total), a :class:`Metric`, a :class:`Comparison` and a threshold in the
metric's own terms: a percentage for the changes and the share, a quantity in the series' unit
for a month's exports and the year to date, a whole rank. Its :meth:`AlertRule.key` is a short
ASCII string for storage and button data; :meth:`AlertRule.from_key` reads it back.

An :class:`AlertProblem` lists the :class:`Issue` found in a typed rule (words not understood,
what is missing, what contradicts), each naming the words as typed, and what was understood,
so the reply can give an example built from the user's own partner and material.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

#: China's total, as a rule's partner.
WORLD = "WORLD"
#: The most bytes a rule's key may take (Telegram's button data is 64 bytes in all).
MAX_KEY_BYTES = 40


class Metric(Enum):
    """What a rule watches, with the letter its key writes."""

    TONNES = "T"  # a month's exports, in the series' unit
    MOM = "M"  # the change on the month before, in %
    YOY = "Y"  # the change on the same month a year earlier, in %
    SHARE = "S"  # the share of China's total, in %
    RANK = "R"  # the rank among the partners with a figure
    YTD = "D"  # the year to date, in the series' unit

    @property
    def is_percentage(self) -> bool:
        return self in (Metric.MOM, Metric.YOY, Metric.SHARE)

    @property
    def is_quantity(self) -> bool:
        return self in (Metric.TONNES, Metric.YTD)

    @property
    def is_change(self) -> bool:
        return self in (Metric.MOM, Metric.YOY)


class Comparison(Enum):
    """How a figure meets the threshold, with the code its key writes. ``BELOW`` and
    ``ABOVE`` are strict; ``AT_MOST`` and ``AT_LEAST`` (typed ``<=``, ``>=``, "at most",
    不超过) include it. A record is the highest or lowest figure in the data's history."""

    BELOW = "lt"
    ABOVE = "gt"
    AT_MOST = "le"
    AT_LEAST = "ge"
    RECORD_HIGH = "hi"
    RECORD_LOW = "lo"
    RECORD = "rc"

    @property
    def is_record(self) -> bool:
        return self in (Comparison.RECORD_HIGH, Comparison.RECORD_LOW, Comparison.RECORD)


#: The metrics a record may be of: a month's quantity and the share (a change or a rank has
#: no history of its own to beat).
RECORD_METRICS = (Metric.TONNES, Metric.SHARE)


@dataclass(frozen=True)
class AlertRule:
    """One alert: when ``partner``'s ``metric`` of ``series`` meets ``comparison`` with
    ``threshold`` (``None`` for a record)."""

    series: str
    partner: str
    metric: Metric
    comparison: Comparison
    threshold: float | None = None

    def __post_init__(self) -> None:
        if self.comparison.is_record != (self.threshold is None):
            raise ValueError(f"a record has no threshold, any other rule one: {self!r}")
        if ":" in self.series or ":" in self.partner or not self.series or not self.partner:
            raise ValueError(f"not a series and partner a key can hold: {self!r}")
        if self.comparison.is_record and self.metric not in RECORD_METRICS:
            raise ValueError(f"no record is kept of {self.metric.name}: {self!r}")
        if self.metric is Metric.RANK and not self.comparison.is_record:
            whole = self.threshold is not None and self.threshold == int(self.threshold) >= 1
            if not whole or self.comparison not in (Comparison.AT_MOST, Comparison.AT_LEAST):
                raise ValueError(f"a rank is at most or at least a whole place: {self!r}")

    def key(self) -> str:
        """``85051110:US:Mlt-25``: series, partner, the metric's letter, the comparison's
        code and the threshold (none for a record), at most :data:`MAX_KEY_BYTES` bytes."""
        return f"{self.series}:{self.partner}:{self.metric.value}{self.comparison.value}" + (
            "" if self.threshold is None else number_text(self.threshold)
        )

    @classmethod
    def from_key(cls, key: str) -> AlertRule:
        """The rule a :meth:`key` gives; ``ValueError`` for anything else (an old or forged
        button's data)."""
        parts = key.split(":")
        if len(parts) != 3 or len(parts[2]) < 3 or len(key.encode()) > MAX_KEY_BYTES:
            raise ValueError(f"not an alert rule's key: {key!r}")
        series, partner, rest = parts
        metric = Metric(rest[0])
        comparison = Comparison(rest[1:3])
        written = rest[3:]
        threshold = float(written) if written else None
        if written and number_text(threshold or 0.0) != written:
            raise ValueError(f"not a threshold a key writes: {key!r}")
        return cls(series, partner, metric, comparison, threshold)


def number_text(value: float) -> str:
    """A threshold as a key writes it: the shortest text that reads back as ``value``,
    without a trailing ``.0`` (``-25``, ``0.5``, ``2000``)."""
    text = repr(float(value))
    return text.removesuffix(".0")


class Trouble(Enum):
    """Why a typed rule is not a rule."""

    UNKNOWN_WORDS = "unknown_words"
    EMPTY = "empty"
    NO_METRIC = "no_metric"
    NO_COMPARISON = "no_comparison"
    NO_THRESHOLD = "no_threshold"
    TWO_PARTNERS = "two_partners"
    AMBIGUOUS_PARTNER = "ambiguous_partner"
    TWO_MATERIALS = "two_materials"
    REFERENCE_SERIES = "reference_series"
    TWO_METRICS = "two_metrics"
    TWO_COMPARISONS = "two_comparisons"
    TWO_THRESHOLDS = "two_thresholds"
    TWO_UNITS = "two_units"
    UNIT_OF_PERCENTAGE = "unit_of_percentage"  # "share > 30 t"
    PERCENT_OF_QUANTITY = "percent_of_quantity"  # "tonnes < 20%"
    UNIT_OF_RANK = "unit_of_rank"  # "rank < 3 t", "rank < 3%"
    OUT_OF_RANGE = "out_of_range"  # a share above 100%, a rank below 1, a fall beyond -100%
    NOT_WHOLE = "not_whole"  # a rank of 2.5
    RANK_IN_WORDS = "rank_in_words"  # "rank below 3": a lower number or a lower place?
    CHANGE_OF_LEVEL = "change_of_level"  # "share falls more than 5%"
    SIGNED_CHANGE = "signed_change"  # "falls more than -50%"
    RECORD_WITH_THRESHOLD = "record_with_threshold"
    RECORD_OF_METRIC = "record_of_metric"  # "rank record", "yoy record"
    TOTAL_HAS_NO_SHARE = "total_has_no_share"  # China's total has no share or rank


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a typed rule and the words it is about, as typed."""

    trouble: Trouble
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Understood:
    """What a typed rule did name, for an example that keeps it (``None``: not named)."""

    series: str
    partner: str | None = None
    metric: Metric | None = None


@dataclass(frozen=True)
class AlertProblem:
    """A typed rule that is not one: its issues, first the words not understood."""

    issues: tuple[Issue, ...]
    understood: Understood

    @property
    def troubles(self) -> tuple[Trouble, ...]:
        return tuple(issue.trouble for issue in self.issues)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Every word not understood, as typed, in order."""
        return tuple(
            word
            for issue in self.issues
            if issue.trouble is Trouble.UNKNOWN_WORDS
            for word in issue.words
        )
