"""The benchmark of a lookup with every series loaded vs only magnets (``bench/series_lookup.py``):
its queries are distinct and cover every series, its baseline has only the magnets' figures,
and a tiny run prints both ratios with their spread and verdict.

Nothing here is timed: the benchmark prints its ratios; these tests check what it measures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import series_lookup
from bench.series_lookup import magnets_only, queries, series_lookup_costs
from bot.data.dataset import CUSTOMS_SERIES
from bot.datastore import Snapshot, load_snapshot
from tests.conftest import DATA_DIR


def test_the_queries_are_distinct_and_cover_every_series_and_month(snapshot: Snapshot) -> None:
    asked = queries(snapshot)
    assert len({(key, who.code, month) for key, who, month in asked}) == len(asked)
    assert {key for key, _, _ in asked} == set(snapshot.series)  # all nine, tungsten too
    for key, metrics in snapshot.series.items():
        months = {month for k, _, month in asked if k == key}
        assert min(months) == metrics.coverage.first_month
        assert max(months) == metrics.coverage.last_month
    keys = [key for key, _, _ in asked[:50]]
    assert len(set(keys)) > 3  # shuffled: the series are mixed, not one after another
    assert asked == queries(snapshot)  # the same mix on every run


def test_the_baseline_has_only_the_magnets_figures(tmp_path: Path, snapshot: Snapshot) -> None:
    only = load_snapshot(magnets_only(DATA_DIR, tmp_path))
    assert list(only.series) == [CUSTOMS_SERIES]
    assert len(snapshot.series) == 9
    assert only.metrics.coverage == snapshot.metrics.coverage  # the same magnet figures


def test_a_tiny_run_measures_each_side_in_every_round() -> None:
    costs = series_lookup_costs(DATA_DIR, rounds=2, limit=12, passes=2)
    assert (costs.series, costs.magnet_queries, costs.mix_queries) == (9, 12, 12)
    for side in (costs.only_magnets, costs.all_same, costs.all_mix):
        assert len(side) == 2 and all(seconds > 0 for seconds in side)


def test_a_tiny_run_prints_both_ratios(capsys: pytest.CaptureFixture[str]) -> None:
    series_lookup.main(rounds=1, limit=10, passes=1)
    lines = capsys.readouterr().out.strip().split("\n")
    assert len(lines) == 2
    ratio = r"[\d.]+x \([\d.]+–[\d.]+x\) \(goal at most 1\.2x: (meets goal|MISSES goal)\)"
    assert re.search(rf"all 9 series loaded vs only magnets, the same 10 .*: {ratio}", lines[0])
    assert re.search(rf"a mix of 10 distinct \(series, partner, month\) .*: {ratio}", lines[1])
    assert all(line.endswith(" µs") for line in lines)
