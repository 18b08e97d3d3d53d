"""Choosing one figure when several sources give one (period, partner, metric).

The rules, applied in order (the README lists them too):

1. Official statistics (imported customs or UN Comtrade files) before press reports; then
   normal reliability before low.
2. Reported before derived.
3. Figures that agree within rounding (differ by at most one unit of the coarser figure's last
   digit, as 3,188 and 3,187, or 46 and 46.4) are one figure, given by several sources.
4. When the remaining figures still disagree, the group chosen is, in order: the one closest to
   what the published cumulative totals (year to date, H1, Q1, year) leave for this month once
   the other months are taken off; the more precise (for derived figures, a first-order
   derivation before a second-order one, then the rate stated with more digits); the one
   given by more sources; the one first in the file.
5. Within the chosen group, the most precise figure; then the value more sources give; then
   the first in the file.

Every candidate is kept as an alternate, and the rules that decided are recorded, each said
where it is made (:class:`~bot.i18n.Said`: its period named in the reader's language when shown).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bot.data.dataset import Figure
from bot.data.table import FigureTable
from bot.i18n import Said, said
from bot.reading.periods import Period

Key = tuple[str, str, str]  # (period, partner, metric)

if TYPE_CHECKING:
    import pandas as pd


_ONE_MINUS = re.compile(r"\(1\s*[-+]\s*0\.(\d+)\)")
_DIVISOR = re.compile(r"[/x]\s*(\d+)\.(\d+)\b")
_PERCENT = re.compile(r"(\d+)(?:\.(\d+))?%")

#: The rule of a figure (or a published percentage) no other source gives.
ONLY_SOURCE = said("only source")


@dataclass(frozen=True)
class Resolved:
    """The figure chosen for one key, with every candidate and the rules that decided."""

    period: str
    partner: str
    metric: str
    chosen: Figure
    candidates: tuple[Figure, ...]
    agreeing: tuple[Figure, ...]
    rules: tuple[Said, ...]
    #: Whether the sources still disagreed once rules 1 to 3 were applied (rule 4 decided).
    disputed: bool = False

    @property
    def value(self) -> float:
        return self.chosen.value

    @property
    def status(self) -> str:
        return self.chosen.status

    @property
    def alternates(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.candidates if f is not self.chosen)


def agree_within_rounding(a: Figure, b: Figure) -> bool:
    """True when two figures differ by at most one unit of the coarser one's last digit."""
    unit = 10.0 ** -min(a.decimals, b.decimals)
    return abs(a.value - b.value) <= unit + 1e-9


def precision(figure: Figure) -> tuple[int, int]:
    """Sort key: higher is more precise.

    Reported figures rank by their decimals. Derived figures rank first-order before
    second-order (a derivation that uses another derived figure), then by the digits of the
    rate they use (0.381 beats 1.02); sums and differences of figures count as exact.
    """
    if figure.is_reported:
        return (1, figure.decimals)
    text = figure.derivation
    order = 2 if "derived" in text.lower() else 1
    digits = [len(m.group(1)) for m in _ONE_MINUS.finditer(text)]
    digits += [len(m.group(2)) for m in _DIVISOR.finditer(text)]
    digits += [len(m.group(2) or "") + 2 for m in _PERCENT.finditer(text)]
    rate_digits = min(digits) if digits else 9
    return (-order, rate_digits)


def _clusters(figures: list[Figure]) -> list[list[Figure]]:
    """Group figures that agree within rounding (single linkage on sorted values)."""
    ordered = sorted(figures, key=lambda f: f.value)
    groups: list[list[Figure]] = []
    for figure in ordered:
        if groups and any(agree_within_rounding(figure, f) for f in groups[-1]):
            groups[-1].append(figure)
        else:
            groups.append([figure])
    return groups


def _best_in_cluster(cluster: list[Figure]) -> Figure:
    def key(f: Figure) -> tuple[tuple[int, int], int, int]:
        same = sum(1 for g in cluster if g.value == f.value)
        return (precision(f), same, -f.line)

    return max(cluster, key=key)


#: What each published cumulative total (its period) leaves for a month.
Residuals = list[tuple[Period, float]]


def _choose(candidates: list[Figure], residuals: Residuals) -> Resolved:
    rules: list[Said] = []
    pool = candidates
    official = [f for f in pool if f.reliability == "official"]
    if official and len(official) < len(pool):
        rules.append(said("official statistics before press reports"))
        pool = official
    normal = [f for f in pool if f.reliability != "low"]
    if normal and len(normal) < len(pool):
        rules.append(said("normal reliability before low"))
        pool = normal
    reported = [f for f in pool if f.is_reported]
    if reported and len(reported) < len(pool):
        rules.append(said("reported before derived"))
        pool = reported
    clusters = _clusters(pool)
    cluster = clusters[0]
    if len(clusters) > 1:
        cluster = _pick_cluster(clusters, residuals, rules)
    chosen = _best_in_cluster(cluster)
    if len(cluster) > 1:
        values = {f.value for f in cluster}
        if len(values) > 1:
            rules.append(
                said(
                    "{n} sources agree within rounding: the most precise, then the value more "
                    "sources give",
                    n=len(cluster),
                )
            )
        else:
            rules.append(said("{n} sources give the same figure", n=len(cluster)))
    if not rules:
        rules.append(ONLY_SOURCE)
    first = candidates[0]
    return Resolved(
        period=first.period,
        partner=first.partner,
        metric=first.metric,
        chosen=chosen,
        candidates=tuple(candidates),
        agreeing=tuple(cluster),
        rules=tuple(rules),
        disputed=len(clusters) > 1,
    )


def _pick_cluster(
    clusters: list[list[Figure]], residuals: Residuals, rules: list[Said]
) -> list[Figure]:
    if residuals:
        total, left = residuals[0]

        def distance(cluster: list[Figure]) -> float:
            return min(abs(f.value - left) for f in cluster)

        ranked = sorted(clusters, key=distance)
        if distance(ranked[0]) < distance(ranked[1]):
            rules.append(
                said(
                    "sources disagree: closest to what the published {period} total leaves",
                    period=total,
                )
            )
            return ranked[0]

    def key(cluster: list[Figure]) -> tuple[tuple[int, int], int, int]:
        return (max(precision(f) for f in cluster), len(cluster), -min(f.line for f in cluster))

    ranked = sorted(clusters, key=key, reverse=True)
    best, runner_up = key(ranked[0]), key(ranked[1])
    if best[0] != runner_up[0]:
        rules.append(said("sources disagree: the more precise figure or derivation"))
    elif best[1] != runner_up[1]:
        rules.append(said("sources disagree: the figure more sources give"))
    else:
        rules.append(said("sources disagree: the first in the file"))
    return ranked[0]


def _residuals(provisional: Mapping[Key, Resolved], keys: Iterable[Key]) -> dict[Key, Residuals]:
    """For each monthly key: what each published cumulative total leaves for it."""
    out: dict[Key, Residuals] = defaultdict(list)
    for key in keys:
        code, partner, metric = key
        month = Period.parse_code(code)
        if not month.is_month:
            continue
        for last in range(month.last_month, 13):
            span = Period(month.year, 1, last, "ytd")
            for total_code in span.aggregate_codes():
                total = provisional.get((total_code, partner, metric))
                if total is None:
                    continue
                others = [
                    provisional.get((m.code, partner, metric)) for m in span.months() if m != month
                ]
                if all(o is not None for o in others):
                    left = total.value - sum(o.value for o in others if o is not None)
                    out[key].append((Period.parse_code(total_code), left))
                break
    return out


def resolve_all(figures: Iterable[Figure]) -> dict[Key, Resolved]:
    """Choose one figure for every (period, partner, metric) by the rules above."""
    grouped: dict[Key, list[Figure]] = defaultdict(list)
    for figure in figures:
        grouped[(figure.period, figure.partner, figure.metric)].append(figure)
    provisional = {key: _choose(group, []) for key, group in grouped.items()}
    disputed = [key for key, r in provisional.items() if r.disputed]
    residuals = _residuals(provisional, disputed)
    for key in disputed:
        provisional[key] = _choose(grouped[key], residuals.get(key, []))
    return provisional


ONLY, SAME, RULED = 0, 1, 2  # how a key's figure is chosen: one source, agreeing sources, rules


class ResolvedTable(Mapping[Key, Resolved]):
    """:func:`resolve_all` over a whole :class:`FigureTable` at once.

    Keys with one figure, or with reported figures that all give the same value from equally
    reliable sources, are settled with array operations; only the keys whose sources differ go
    through the rules above one by one. A key's :class:`Resolved` is made when first asked for.
    :attr:`frame` has one row per key (``period``, ``partner``, ``metric``, ``value``,
    ``status``, ``row``: the chosen figure's row in the table), for whole-table computation.
    """

    def __init__(self, table: FigureTable) -> None:
        import pandas as pd

        self.table = table
        frame = table.frame
        combined = np.zeros(len(frame), dtype=np.int64)
        self._codes: list[dict[str, int]] = []
        for column in ("period", "partner", "metric"):
            codes, uniques = pd.factorize(frame[column])
            combined = combined * len(uniques) + codes
            self._codes.append({value: code for code, value in enumerate(uniques)})
        self._sizes = [len(c) for c in self._codes]
        group, distinct = pd.factorize(combined)  # keys numbered in order of first appearance
        self._group = dict(zip(distinct.tolist(), range(len(distinct)), strict=True))
        order = np.argsort(group, kind="stable")  # each key's rows, in file order
        counts = np.bincount(group) if len(group) else np.zeros(0, dtype=np.int64)
        self._starts = np.concatenate(([0], np.cumsum(counts)))
        self._order = order
        firsts = order[self._starts[:-1]]
        self._keys = frame[["period", "partner", "metric"]].to_numpy()[firsts]
        keys = self._keys
        chosen, kind = _settled(frame, group, order, self._starts, counts)
        self._kind, self._chosen = kind, chosen
        self._made: dict[Key, Resolved] = {}
        for g in np.flatnonzero(kind == RULED):
            key = (keys[g][0], keys[g][1], keys[g][2])
            self._made[key] = _choose(self._candidates(int(g)), [])
        disputed = [k for k, r in self._made.items() if r.disputed]
        residuals = _residuals(self, disputed)
        for key in disputed:
            self._made[key] = _choose(list(self._made[key].candidates), residuals.get(key, []))
        positions = {id(f): row for row, f in table.made().items()}
        for key, resolved in self._made.items():
            chosen[self._group_of(key)] = positions[id(resolved.chosen)]
        self._values = frame["value"].to_numpy()[chosen].tolist()
        self._frame: pd.DataFrame | None = None

    @property
    def frame(self) -> pd.DataFrame:
        """One row per key: ``period``, ``partner``, ``metric``, ``value``, ``status`` and
        ``row`` (the chosen figure's row in the table), for whole-table computation."""
        if self._frame is None:
            import pandas as pd

            statuses = self.table._columns["status"]
            self._frame = pd.DataFrame(
                {
                    "period": self._keys[:, 0],
                    "partner": self._keys[:, 1],
                    "metric": self._keys[:, 2],
                    "value": self._values,
                    "status": statuses[self._chosen],
                    "row": self._chosen,
                }
            )
        return self._frame

    def single(self, key: Key) -> bool:
        """Whether the key's figure is the only one its sources agree on (no alternate a
        like-for-like change could take instead)."""
        group = self._group_of(key)
        if group is None:
            return False
        made = self._made.get(key)
        return len(made.agreeing) == 1 if made is not None else bool(self._kind[group] == ONLY)

    def periods(self, metric: str) -> list[str]:
        """The period codes that have a figure of ``metric``."""
        keys = self._keys
        return sorted(set(keys[keys[:, 2] == metric, 0].tolist())) if len(keys) else []

    def partners_of(self, metric: str, periods: Collection[str]) -> list[tuple[str, str]]:
        """(period, partner) of every key of ``metric`` whose period is one of ``periods``,
        found over the whole table at once (a span index looks at a few of 400,000 keys)."""
        keys = self._keys
        if not len(keys) or not periods:
            return []
        wanted = (keys[:, 2] == metric) & np.isin(keys[:, 0], list(periods))
        return [(str(p), str(q)) for p, q in keys[wanted, :2].tolist()]

    def compact(self) -> None:
        """Let the pandas frame go (it is made again if asked for)."""
        self._frame = None

    def __getstate__(self) -> dict[str, object]:
        return self.__dict__ | {"_frame": None}

    def _candidates(self, group: int) -> list[Figure]:
        rows = self._order[self._starts[group] : self._starts[group + 1]]
        return [self.table.figure(int(r)) for r in rows]

    def __getitem__(self, key: Key) -> Resolved:
        made = self._made.get(key)
        if made is not None:
            return made
        group = self._group_of(key)
        if group is None:
            raise KeyError(key)
        candidates = tuple(self._candidates(group))
        chosen = self.table.figure(int(self._chosen[group]))
        agreeing: tuple[Figure, ...] = candidates
        rules = (said("{n} sources give the same figure", n=len(candidates)),)
        if self._kind[group] == ONLY:
            agreeing, rules = (chosen,), (ONLY_SOURCE,)
        made = self._made[key] = Resolved(*key, chosen, candidates, agreeing, rules)
        return made

    def _group_of(self, key: Key) -> int | None:
        """The key's number, or ``None`` when no figure has it."""
        combined = 0
        for part, codes, size in zip(key, self._codes, self._sizes, strict=True):
            code = codes.get(part)
            if code is None:
                return None
            combined = combined * size + code
        return self._group.get(combined)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 3 and self._group_of(key) is not None

    def __iter__(self) -> Iterator[Key]:
        return ((p, q, m) for p, q, m in self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def value(self, key: Key) -> float | None:
        """The chosen figure's value, without making its :class:`Resolved`."""
        group = self._group_of(key)
        return None if group is None else float(self._values[group])


def _settled(
    frame: pd.DataFrame,
    group: np.ndarray,
    order: np.ndarray,
    starts: np.ndarray,
    counts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(chosen row, :data:`ONLY`/:data:`SAME`/:data:`RULED`) per key, for the keys settled
    without the rules: one figure, or reported figures of one value, precision and
    reliability (the first line among them is chosen, as rule 5 would)."""
    if not len(group):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8)
    rows = frame.iloc[order]
    firsts = starts[:-1]
    same = np.ones(len(order), dtype=bool)
    for column in ("value", "decimals", "reliability", "status"):
        values = rows[column].to_numpy()
        same &= values == np.repeat(values[firsts], counts)
    same &= rows["status"].to_numpy() == "reported"
    all_same = np.logical_and.reduceat(same, firsts)
    lines = rows["line"].to_numpy()
    lowest = np.minimum.reduceat(lines, firsts)
    at_lowest = np.flatnonzero(lines == np.repeat(lowest, counts))
    _, first_lowest = np.unique(
        np.searchsorted(starts, at_lowest, side="right") - 1, return_index=True
    )
    chosen = order[at_lowest[first_lowest]]
    kind = np.where(counts == 1, ONLY, np.where(all_same, SAME, RULED)).astype(np.int8)
    return chosen.astype(np.int64), kind
