"""Typed values the metrics module returns: sourced figures, changes, span totals and the
month and span results, with their JSON form (``python -m bot metrics --json``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from bot.data.changes import ChosenChange
from bot.data.dataset import Figure
from bot.data.resolve import Resolved
from bot.i18n import Said
from bot.reading.periods import Period

Status = Literal["reported", "derived"]
WORLD = "WORLD"


class Taken(Enum):
    """Why a change's base is not the chosen figure: like for like, or the base a published
    change names ("from 46 t"). The value is the metrics' note in English."""

    SAME_SOURCE = "same source as this month"
    NAMED_BASE = "the base the source names"


@dataclass(frozen=True)
class Sourced:
    """A number used in an answer, with the resolved figures it rests on.

    ``figures`` holds one entry for a single figure and one per month for a sum of months.
    ``used`` is the figure whose value was taken (it may be an agreeing alternate when a
    change is computed like for like from one source; ``taken`` says why). ``note`` is the
    metrics' own note in English (``metrics --json``). ``set_aside`` says why the number is
    not used (a published total its own source's months contradict).
    """

    role: str
    partner: str
    period: Period
    value: float
    status: Status
    figures: tuple[Resolved, ...]
    used: Figure | None = None
    note: str = ""
    taken: Taken | None = None
    set_aside: Said | None = None

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
        "rules": [str(rule) for rule in resolved.rules],
        "alternates": [
            {"value": f.value, "status": f.status, "source_title": f.source_title}
            for f in resolved.candidates
            if f is not figure
        ],
    }


def sourced_from(
    role: str,
    resolved: Resolved,
    used: Figure | None = None,
    note: str = "",
    taken: Taken | None = None,
    set_aside: Said | None = None,
) -> Sourced:
    """A resolved figure as a number of an answer (a base ``taken`` otherwise than chosen,
    a figure ``set_aside``: their ``note`` says so in English)."""
    figure = used or resolved.chosen
    if taken is not None:
        note = taken.value
    if set_aside is not None:
        note = f"not used: {set_aside}"
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
        taken=taken,
        set_aside=set_aside,
    )


@dataclass(frozen=True)
class Change:
    """The change from ``base`` to the value it is compared with.

    ``computed_pct`` is worked out from the two figures; ``published`` is the percentage a
    source gave for this change, if any. :attr:`pct` is the one to state: the published one
    when there is one. ``circular`` is true when a figure compared was itself derived from
    the published percentage, so recomputing it would only echo (or, by rounding, seem to
    contradict) the source.
    """

    base: Sourced
    absolute: float
    computed_pct: float | None
    published: ChosenChange | None = None
    circular: bool = False
    #: Set when the two figures cover different scopes (the series' description says how,
    #: in English and, when it gives one, in Chinese).
    scope_note: str = ""
    scope_note_zh: str = ""

    @classmethod
    def between(
        cls,
        value: float,
        base: Sourced,
        published: ChosenChange | None = None,
        circular: bool = False,
        scope_note: tuple[str, str] = ("", ""),
    ) -> Change:
        """``scope_note``: what to say of different scopes, in English and in Chinese."""
        pct = (value / base.value - 1) * 100 if base.value else None
        english, chinese = scope_note
        return cls(base, value - base.value, pct, published, circular, english, chinese)

    @property
    def pct(self) -> float | None:
        """The percentage stated: as published when a source gave it, else computed."""
        return self.published.pct if self.published is not None else self.computed_pct

    @property
    def pct_decimals(self) -> int:
        """Decimals to state :attr:`pct` with: as published, else one."""
        return self.published.decimals if self.published is not None else 1

    @property
    def recomputed(self) -> float | None:
        """The computed percentage, or ``None`` when it only echoes the published one."""
        return None if self.circular else self.computed_pct

    def as_dict(self, prefix: str) -> dict[str, Any]:
        """``mom_abs``, ``mom_pct``, ``mom_pct_published``, ``mom_pct_computed``, ..."""
        return {
            f"{prefix}_abs": self.absolute,
            f"{prefix}_pct": _round(self.pct),
            f"{prefix}_pct_published": self.published.pct if self.published else None,
            f"{prefix}_pct_computed": _round(self.recomputed),
        }


def change_dict(change: Change | None, prefix: str) -> dict[str, Any]:
    """A change's JSON fields, ``null`` when there is no change."""
    if change is None:
        return dict.fromkeys(
            (f"{prefix}_abs", f"{prefix}_pct", f"{prefix}_pct_published", f"{prefix}_pct_computed")
        )
    return change.as_dict(prefix)


def published_dict(change: Change | None, comparison: str) -> dict[str, Any] | None:
    """The published change behind ``change``, with its sources, for ``sources``."""
    if change is None or change.published is None:
        return None
    chosen = change.published
    return {
        "comparison": comparison,
        "pct": chosen.pct,
        "base": chosen.base,
        "source_title": chosen.chosen.source_title,
        "source_url": chosen.chosen.source_url or None,
        "note": chosen.chosen.note or None,
        "rules": [str(rule) for rule in chosen.rules],
        "alternates": [
            {"pct": c.pct, "source_title": c.source_title, "source_url": c.source_url or None}
            for c in chosen.alternates
        ],
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


Basis = Literal["sum", "published", "derived", "sum-derived"]


@dataclass(frozen=True)
class Total:
    """A span's total (a year, half, quarter or year to date) and how it was found.

    ``basis`` is ``"sum"`` when every month is known and reported, ``"published"`` when a
    published aggregate is used, ``"derived"`` when that aggregate was derived from a published
    figure and a percentage, ``"sum-derived"`` when all months are known but some are derived
    and nothing is published; ``None`` when the total is not known. A partial sum is never a
    total. ``rejected`` is a published aggregate that was not used, and ``rejected_why`` says
    why (it counts a month the sources' chosen figure contradicts).
    """

    partner: str
    period: Period
    value: Sourced | None
    basis: Basis | None
    months_known: int
    months_total: int
    months_sum: float | None
    published: Resolved | None
    rejected: Sourced | None = None
    rejected_why: Said | None = None

    @property
    def mismatch_pct(self) -> float | None:
        """How far the sum of months is from the published total, in percent."""
        if self.months_sum is None or self.published is None or not self.published.value:
            return None
        return (self.months_sum / self.published.value - 1) * 100

    @property
    def sources(self) -> int:
        """How many sources the total's figures come from (more than one: a mixed sum)."""
        if self.value is None:
            return 0
        if self.value.used is not None:
            return 1
        return len({r.chosen.source_url or r.chosen.source_title for r in self.value.figures})


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
    #: Why no value per unit is given though a value and a quantity are (``None`` otherwise).
    per_unit_why: Said | None = None

    def inputs(self) -> list[Sourced]:
        """Every sourced number behind this result, in reading order."""
        items: list[Sourced | None] = [
            self.tonnes,
            self.mom.base if self.mom else None,
            self.yoy.base if self.yoy else None,
            self.world if self.partner != WORLD else None,
            self.ytd.value,
            self.ytd.rejected,
            self.ytd_yoy.base if self.ytd_yoy else None,
            self.usd,
        ]
        return [i for i in items if i is not None]

    def as_dict(self) -> dict[str, Any]:
        """The JSON result; a span's has the same fields (README, Command line)."""
        changes = [(self.mom, "m/m"), (self.yoy, "y/y"), (self.ytd_yoy, "ytd y/y")]
        return _fields(
            self.partner,
            self.period,
            self.tonnes,
            {
                **change_dict(self.mom, "mom"),
                **change_dict(self.yoy, "yoy"),
                "share_pct": _round(self.share_pct),
                "rank": self.rank,
                "ranked_partners": self.ranked,
                "ytd_tonnes": self.ytd.value.value if self.ytd.value else None,
                "ytd_basis": self.ytd.basis,
                **change_dict(self.ytd_yoy, "ytd_yoy"),
                "usd": self.usd.value if self.usd else None,
                "usd_per_tonne": _round(self.usd_per_tonne),
            },
            changes,
            self.inputs(),
        )


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
    #: Why no value per unit is given though a value and a total are (``None`` otherwise).
    per_unit_why: Said | None = None

    def inputs(self) -> list[Sourced]:
        items: list[Sourced | None] = [
            self.total.value,
            self.total.rejected,
            self.yoy.base if self.yoy else None,
            self.usd,
            self.world.value if self.world is not None and self.partner != WORLD else None,
        ]
        return [i for i in items if i is not None]

    def as_dict(self) -> dict[str, Any]:
        """The same fields as a month's; month-only ones are ``null``."""
        return _fields(
            self.partner,
            self.period,
            self.total.value,
            {
                "basis": self.total.basis,
                "months_known": self.total.months_known,
                "months_total": self.total.months_total,
                **change_dict(None, "mom"),
                **change_dict(self.yoy, "yoy"),
                "share_pct": _round(self.share_pct),
                **change_dict(None, "ytd_yoy"),
                "usd": self.usd.value if self.usd else None,
                "usd_per_tonne": _round(self.usd_per_tonne),
            },
            [(self.yoy, "y/y")],
            self.inputs(),
        )


#: Every field of ``metrics --json``, in order; months and spans give them all.
FIELDS = (
    "partner",
    "period",
    "tonnes",
    "status",
    "lower_bound",
    "basis",
    "months_known",
    "months_total",
    *(f"{p}_{f}" for p in ("mom", "yoy") for f in ("abs", "pct", "pct_published", "pct_computed")),
    "share_pct",
    "rank",
    "ranked_partners",
    "ytd_tonnes",
    "ytd_basis",
    *(f"ytd_yoy_{f}" for f in ("abs", "pct", "pct_published", "pct_computed")),
    "usd",
    "usd_per_tonne",
    "published_changes",
    "sources",
)


def _fields(
    partner: str,
    period: Period,
    value: Sourced | None,
    specific: dict[str, Any],
    changes: list[tuple[Change | None, str]],
    inputs: list[Sourced],
) -> dict[str, Any]:
    """The JSON object with every field in :data:`FIELDS` (``null`` where it does not apply)."""
    known = {
        "partner": partner,
        "period": period.code,
        "tonnes": value.value if value else None,
        "status": value.status if value else None,
        "lower_bound": value.is_lower_bound if value else None,
        **specific,
        "published_changes": [d for c, name in changes if (d := published_dict(c, name))],
        "sources": [s.as_dict() for s in inputs],
    }
    return {field: known.get(field) for field in FIELDS}
