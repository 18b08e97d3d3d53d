"""Published changes: the percentages the sources themselves give (``data/changes/*.csv``).

A source that writes "up 660% from May" has published a change. The bot states it as
published ("+660%, as reported") rather than only recomputing it from the figures, which can
differ by rounding, or contradict the source outright when the base figure was itself derived
from that percentage. Rows are checked like the figures (a bad file is rejected whole with its
line) and chosen per (period, partner, comparison) by :func:`choose_changes`:

1. Percentages that agree within rounding (at most one unit of the coarser one's last digit,
   as 157.5% and 158%) are one change, given by several sources.
2. When groups disagree: the group with the source of the period's own figure (like for
   like); then the one more sources give; then the first in the file.
3. Within the group: the source of the period's figure, then the most precise, then the first
   in the file. A base stated by any source of the group ("from 46 t") is kept.

The rules that decided are recorded, each said where it is made (:class:`~bot.i18n.Said`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.data.dataset import DataFileError, distinct_rows, read_csv
from bot.data.problems import (
    empty,
    not_a_number,
    not_a_partner_code,
    not_a_web_address,
    not_finite,
    not_one_of,
    quoted,
)
from bot.data.resolve import ONLY_SOURCE
from bot.i18n import Said, said
from bot.reading.partners import is_partner_code
from bot.reading.periods import Period, PeriodError

#: The folder, inside the data folder, that holds the published changes.
FOLDER = "changes"
COLUMNS = (
    "period",
    "partner",
    "comparison",
    "pct",
    "base",
    "source_title",
    "source_url",
    "note",
)
REQUIRED = ("period", "partner", "comparison", "pct", "source_title")
#: ``m/m`` on the month before (months only); ``y/y`` on the same period a year earlier.
COMPARISONS = ("m/m", "y/y")

ChangeKey = tuple[str, str, str]  # (period code, partner, comparison)


@dataclass(frozen=True)
class PublishedChange:
    """One percentage change as one source published it (of tonnes)."""

    period: str
    partner: str
    comparison: str
    pct: float
    decimals: int
    base: float | None
    base_decimals: int
    source_title: str
    source_url: str
    note: str
    file: str
    line: int

    @property
    def source(self) -> str:
        return self.source_url or self.source_title


@dataclass(frozen=True)
class ChosenChange:
    """The published change stated for one key, with every source that gave one."""

    chosen: PublishedChange
    candidates: tuple[PublishedChange, ...]
    agreeing: tuple[PublishedChange, ...]
    rules: tuple[Said, ...]

    @property
    def pct(self) -> float:
        return self.chosen.pct

    @property
    def decimals(self) -> int:
        return self.chosen.decimals

    @property
    def base(self) -> float | None:
        """The base figure a source of the chosen group states ("from 46 t"), if any."""
        stated = [c for c in (self.chosen, *self.agreeing) if c.base is not None]
        return stated[0].base if stated else None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.source for c in self.agreeing))

    @property
    def alternates(self) -> tuple[PublishedChange, ...]:
        return tuple(c for c in self.candidates if c is not self.chosen)


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _number(path: Path, line: int, column: str, text: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise DataFileError(path, line, not_a_number(column, quoted(text))) from None
    if not math.isfinite(value):
        raise DataFileError(path, line, not_finite(column, quoted(text)))
    return value


def parse_change(path: Path, line: int, row: dict[str, str]) -> PublishedChange:
    """Check one row of a changes file and make it a :class:`PublishedChange`."""
    for column in REQUIRED:
        if not row[column].strip():
            raise DataFileError(path, line, empty(column))
    try:
        period = Period.parse_code(row["period"])
    except PeriodError:
        problem = said(
            "{column} {value} is not a period code", column="period", value=quoted(row["period"])
        )
        raise DataFileError(path, line, problem) from None
    if not is_partner_code(row["partner"]):
        raise DataFileError(path, line, not_a_partner_code(row["partner"]))
    comparison = row["comparison"].strip()
    if comparison not in COMPARISONS:
        raise DataFileError(path, line, not_one_of("comparison", comparison, COMPARISONS))
    if comparison == "m/m" and not period.is_month:
        problem = said("an {comparison} change is for a month", comparison="m/m")
        raise DataFileError(path, line, problem)
    pct_text = row["pct"].strip().removesuffix("%")
    pct = _number(path, line, "pct", pct_text)
    if pct <= -100:
        problem = said(
            "{column} {value} is {limit} or less", column="pct", value=pct_text, limit="-100%"
        )
        raise DataFileError(path, line, problem)
    base_text = row["base"].strip()
    base = _number(path, line, "base", base_text) if base_text else None
    if base is not None and base <= 0:
        problem = said("{column} {value} is not positive", column="base", value=base_text)
        raise DataFileError(path, line, problem)
    url = row["source_url"].strip()
    if url and not url.startswith(("http://", "https://")):
        raise DataFileError(path, line, not_a_web_address(url))
    return PublishedChange(
        period=period.code,
        partner=row["partner"].strip(),
        comparison=comparison,
        pct=pct,
        decimals=_decimals(pct_text),
        base=base,
        base_decimals=_decimals(base_text.replace(",", "")),
        source_title=row["source_title"].strip(),
        source_url=url,
        note=row["note"].strip(),
        file=path.name,
        line=line,
    )


def load_changes_file(path: Path) -> list[PublishedChange]:
    """Read and check one changes file; raise :class:`DataFileError` on the first problem.
    Read like the figures: only a regular file, of a bounded size."""
    frame, _raw = read_csv(path, COLUMNS)
    rows = distinct_rows(path, frame, list(COLUMNS))
    return [parse_change(path, line, row) for line, row in rows]


def load_changes(data_dir: Path) -> list[PublishedChange]:
    """Every published change in ``data_dir/changes/*.csv`` (none when the folder is absent)."""
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return []
    return [c for path in sorted(folder.glob("*.csv")) for c in load_changes_file(path)]


def agree(a: PublishedChange, b: PublishedChange) -> bool:
    """True when two percentages differ by at most one unit of the coarser one's last digit."""
    return abs(a.pct - b.pct) <= 10.0 ** -min(a.decimals, b.decimals) + 1e-9


def _groups(changes: list[PublishedChange]) -> list[list[PublishedChange]]:
    groups: list[list[PublishedChange]] = []
    for change in sorted(changes, key=lambda c: c.pct):
        if groups and any(agree(change, c) for c in groups[-1]):
            groups[-1].append(change)
        else:
            groups.append([change])
    return groups


def choose(candidates: list[PublishedChange], figure_source: str | None) -> ChosenChange:
    """The change stated for one key, by the rules in the module docstring."""
    rules: list[Said] = []
    groups = _groups(candidates)

    def own(c: PublishedChange) -> bool:
        return figure_source is not None and c.source == figure_source

    group = groups[0]
    if len(groups) > 1:

        def rank(g: list[PublishedChange]) -> tuple[bool, int, int]:
            return (any(own(c) for c in g), len({c.source for c in g}), -min(c.line for c in g))

        ranked = sorted(groups, key=rank, reverse=True)
        group = ranked[0]
        best, runner_up = rank(ranked[0]), rank(ranked[1])
        if best[0] != runner_up[0]:
            rules.append(said("sources disagree: the source of this period's figure"))
        elif best[1] != runner_up[1]:
            rules.append(said("sources disagree: the percentage more sources give"))
        else:
            rules.append(said("sources disagree: the first in the file"))
    chosen = max(group, key=lambda c: (own(c), c.decimals, -c.line))
    sources = len({c.source for c in group})
    if sources > 1 and len({c.pct for c in group}) == 1:
        rules.append(said("{n} sources give the same percentage", n=sources))
    elif sources > 1:
        rules.append(said("{n} sources agree within rounding: the most precise", n=sources))
    if not rules:
        rules.append(ONLY_SOURCE)
    return ChosenChange(chosen, tuple(candidates), tuple(group), tuple(rules))


def choose_changes(
    changes: Iterable[PublishedChange], figure_source: Callable[[ChangeKey], str | None]
) -> dict[ChangeKey, ChosenChange]:
    """Choose one change per key; ``figure_source`` names the source of the period's figure."""
    grouped: dict[ChangeKey, list[PublishedChange]] = defaultdict(list)
    for change in changes:
        grouped[(change.period, change.partner, change.comparison)].append(change)
    return {key: choose(group, figure_source(key)) for key, group in grouped.items()}
