"""Typed values the metrics module returns: sourced figures, changes and span totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.data.dataset import Figure
from bot.data.resolve import Resolved
from bot.reading.periods import Period

Status = Literal["reported", "derived"]


@dataclass(frozen=True)
class Sourced:
    """A number used in an answer, with the resolved figures it rests on.

    ``figures`` holds one entry for a single figure and one per month for a sum of months.
    ``used`` is the figure whose value was taken (it may be an agreeing alternate when a
    change is computed like for like from one source).
    """

    role: str
    partner: str
    period: Period
    value: float
    status: Status
    figures: tuple[Resolved, ...]
    used: Figure | None = None
    note: str = ""

    @property
    def is_derived(self) -> bool:
        return self.status == "derived"

    @property
    def is_low_reliability(self) -> bool:
        """True when a figure behind this number comes from a low-reliability source."""
        figures = [self.used] if self.used is not None else [r.chosen for r in self.figures]
        return any(f.reliability == "low" for f in figures)

    @property
    def is_lower_bound(self) -> bool:
        """True when a figure behind this number is a lower bound ("200+")."""
        figures = [self.used] if self.used is not None else [r.chosen for r in self.figures]
        return any(f.is_lower_bound for f in figures)

    @property
    def decimals(self) -> int:
        if self.used is not None:
            return self.used.decimals
        return max((r.chosen.decimals for r in self.figures), default=0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "partner": self.partner,
            "period": self.period.code,
            "value": self.value,
            "status": self.status,
            "note": self.note or None,
            "figures": [figure_dict(r, self.used) for r in self.figures],
        }


def figure_dict(resolved: Resolved, used: Figure | None = None) -> dict[str, Any]:
    """One resolved figure with its source, derivation and the rules that chose it."""
    figure = used if used is not None and used in resolved.candidates else resolved.chosen
    return {
        "period": resolved.period,
        "partner": resolved.partner,
        "metric": resolved.metric,
        "value": figure.value,
        "status": figure.status,
        "reliability": figure.reliability,
        "source_title": figure.source_title,
        "source_url": figure.source_url or None,
        "derivation": figure.derivation or None,
        "rules": list(resolved.rules),
        "alternates": [
            {"value": f.value, "status": f.status, "source_title": f.source_title}
            for f in resolved.candidates
            if f is not figure
        ],
    }


def sourced_from(
    role: str, resolved: Resolved, used: Figure | None = None, note: str = ""
) -> Sourced:
    figure = used or resolved.chosen
    status: Status = "reported" if figure.is_reported else "derived"
    return Sourced(
        role=role,
        partner=resolved.partner,
        period=Period.parse_code(resolved.period),
        value=figure.value,
        status=status,
        figures=(resolved,),
        used=figure,
        note=note,
    )


@dataclass(frozen=True)
class Change:
    """The change from ``base`` to the value it is compared with."""

    base: Sourced
    absolute: float
    pct: float | None

    @classmethod
    def between(cls, value: float, base: Sourced) -> Change:
        pct = (value / base.value - 1) * 100 if base.value else None
        return cls(base=base, absolute=value - base.value, pct=pct)


@dataclass(frozen=True)
class Total:
    """A span's total (a year, half, quarter or year to date) and how it was found.

    ``basis`` is ``"sum"`` when every month is known and reported, ``"published"`` when a
    published aggregate is used, ``"sum-derived"`` when all months are known but some are
    derived and nothing is published; ``None`` when the total is not known. A partial sum is
    never a total.
    """

    partner: str
    period: Period
    value: Sourced | None
    basis: Literal["sum", "published", "sum-derived"] | None
    months_known: int
    months_total: int
    months_sum: float | None
    published: Resolved | None

    @property
    def mismatch_pct(self) -> float | None:
        """How far the sum of months is from the published total, in percent."""
        if self.months_sum is None or self.published is None or not self.published.value:
            return None
        return (self.months_sum / self.published.value - 1) * 100
