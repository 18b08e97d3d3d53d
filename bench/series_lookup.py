"""A lookup's cost per query with every series loaded vs only rare-earth magnets (issue 14:
"the lookup stays constant time per query with all series loaded").

On the real data: the data folder as it is (every series in ``data/``) against a copy with
only the magnets' file. Each query is a distinct (series, partner, month) asked for the first
time (every month of each series' coverage, for each partner with a monthly figure, or China's
total; a month without a figure is asked too, as users do), answered as ``/exports`` answers
it: the series' lookup, then :meth:`bot.lookup.Lookup.exports_for`. Every pass loads fresh
snapshots, so no answer is remembered from an earlier one; a side's cost in a round is its
quickest of three passes. Two ratios, each the median of the rounds with its range (goal for
both: at most 1.2x):

1. The same magnet queries with all series loaded vs only magnets: what loading the other
   series costs a query.
2. The whole mix, every series, with all loaded vs the magnet queries with only magnets: what
   a query costs now vs before the other series came.
"""

from __future__ import annotations

import gc
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mix import forget_answers  # noqa: E402
from bench.report import at_most, spread, verdict  # noqa: E402
from bot.data.dataset import CUSTOMS_SERIES  # noqa: E402
from bot.datastore import Snapshot, load_snapshot  # noqa: E402
from bot.lookup import Lookup  # noqa: E402
from bot.metrics import WORLD  # noqa: E402
from bot.reading.partners import Partner, partner  # noqa: E402
from bot.reading.periods import Period  # noqa: E402

ROUNDS = 7
#: Fresh snapshots each side answers the queries from in a round (its cost: the quickest,
#: the least disturbed by other work on the machine).
PASSES = 3
GOAL = 1.2
DATA = ROOT / "data"
MAGNETS_FILE = "magnet_exports.csv"
TODAY = date(2026, 11, 29)

Query = tuple[str, Partner, Period]


def magnets_only(data: Path, folder: Path) -> Path:
    """A copy of ``data`` whose only figures are the magnets' (every other file kept)."""
    copy = folder / "magnets-only"
    shutil.copytree(data, copy)
    for path in copy.glob("*.csv"):
        if path.name != MAGNETS_FILE:
            path.unlink()
    return copy


def queries(snapshot: Snapshot, seed: int = 14) -> list[Query]:
    """Every distinct (series, partner, month) of the snapshot's coverage, shuffled."""
    found: list[Query] = []
    for key, metrics in snapshot.series.items():
        first, last = metrics.coverage.first_month, metrics.coverage.last_month
        months = [first.shift_months(i) for i in range(last.month_index - first.month_index + 1)]
        for code in metrics.partners() or (WORLD,):
            found.extend((key, partner(code), month) for month in months)
    random.Random(seed).shuffle(found)
    return found


def per_query(snapshot: Snapshot, asked: list[Query]) -> float:
    """Seconds per query, each answered for the first time from ``snapshot``."""
    lookups = {key: Lookup(snapshot, lambda: TODAY, key) for key, _, _ in asked}
    forget_answers()
    gc.collect()
    start = time.perf_counter()
    for key, who, month in asked:
        lookups[key].exports_for(who, month)
    return (time.perf_counter() - start) / len(asked)


@dataclass(frozen=True)
class SeriesLookupCosts:
    """Seconds per query in each round: magnet queries with only magnets loaded, the same
    with all series loaded, and the whole mix with all loaded."""

    series: int
    magnet_queries: int
    mix_queries: int
    only_magnets: list[float]
    all_same: list[float]
    all_mix: list[float]


def series_lookup_costs(
    data: Path = DATA, rounds: int = ROUNDS, limit: int | None = None, passes: int = PASSES
) -> SeriesLookupCosts:
    """The costs per query over ``rounds`` of ``passes`` each (at most ``limit`` queries of
    each kind)."""
    with tempfile.TemporaryDirectory() as scratch:
        only_folder = magnets_only(data, Path(scratch))
        everything = load_snapshot(data)
        every_query = queries(everything)
        mix = every_query[:limit]
        magnet = [q for q in every_query if q[0] == CUSTOMS_SERIES][:limit]
        only: list[float] = []
        same: list[float] = []
        whole: list[float] = []
        for round_ in range(rounds):
            sides = [(only, only_folder, magnet), (same, data, magnet), (whole, data, mix)]
            if round_ % 2:  # alternate the order, so neither side always runs first
                sides.reverse()
            for costs, folder, asked in sides:  # fresh snapshots: no answer remembered
                runs = [per_query(load_snapshot(folder), asked) for _ in range(passes)]
                costs.append(min(runs))
    return SeriesLookupCosts(len(everything.series), len(magnet), len(mix), only, same, whole)


def print_series_lookup(costs: SeriesLookupCosts) -> None:
    """The two ratios with their spread and verdicts."""
    base = costs.only_magnets
    same = [a / b for a, b in zip(costs.all_same, base, strict=True)]
    mix = [a / b for a, b in zip(costs.all_mix, base, strict=True)]

    def micro(values: list[float]) -> str:
        return f"{statistics.median(values) * 1e6:.3g} µs"

    print(
        f"lookup per query, all {costs.series} series loaded vs only magnets, the same "
        f"{costs.magnet_queries} distinct magnet queries: {spread(same, 'x')} "
        f"(goal at most {GOAL}x: {verdict(at_most(same, GOAL))}); "
        f"{micro(costs.all_same)} vs {micro(base)}"
    )
    print(
        f"lookup per query, a mix of {costs.mix_queries} distinct (series, partner, month) "
        f"queries over all {costs.series} series vs {costs.magnet_queries} magnet queries with "
        f"only magnets loaded: {spread(mix, 'x')} "
        f"(goal at most {GOAL}x: {verdict(at_most(mix, GOAL))}); "
        f"{micro(costs.all_mix)} vs {micro(base)}"
    )


def main(rounds: int = ROUNDS, limit: int | None = None, passes: int = PASSES) -> None:
    print_series_lookup(series_lookup_costs(DATA, rounds, limit, passes))


if __name__ == "__main__":
    main()
