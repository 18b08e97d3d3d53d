"""The written rules for choosing among sources, on the real data and on small cases."""

from __future__ import annotations

import dataclasses
from typing import Any

from bot.data.dataset import Figure
from bot.data.resolve import agree_within_rounding, precision, resolve_all
from bot.datastore import Snapshot

BASE = Figure(
    period="2025-06",
    partner="US",
    metric="tonnes",
    value=1.0,
    decimals=0,
    status="reported",
    reliability="normal",
    source_title="A",
    source_url="",
    derivation="",
    note="",
    file="f.csv",
    line=2,
)


def fig(value: float, decimals: int = 0, line: int = 2, **changes: Any) -> Figure:
    return dataclasses.replace(BASE, value=value, decimals=decimals, line=line, **changes)


def only(figures: list[Figure]) -> float:
    (resolved,) = resolve_all(figures).values()
    return resolved.value


def test_normal_reliability_before_low() -> None:
    assert only([fig(4343.5, 1, reliability="low"), fig(5473, line=3)]) == 5473


def test_reported_before_derived() -> None:
    derived = fig(5326, status="derived", derivation="6,146 t / 1.154")
    assert only([derived, fig(5325, line=3)]) == 5325


def test_agreeing_figures_give_the_most_precise() -> None:
    assert only([fig(46), fig(46.4, 1, line=3), fig(46, line=4)]) == 46.4
    assert agree_within_rounding(fig(3188), fig(3187))
    assert not agree_within_rounding(fig(1341.08, 2), fig(1346))


def test_equal_precision_goes_to_the_value_more_sources_give() -> None:
    assert only([fig(3187, line=2), fig(3188, line=3), fig(3188, line=4)]) == 3188


def test_a_precise_derivation_beats_a_rough_one() -> None:
    rough = fig(5175, status="derived", derivation="5,278 t / 1.02 = ~5,175 t")
    fine = fig(5150, status="derived", derivation="3,188 t / (1-0.381) = ~5,150 t", line=3)
    assert precision(fine) > precision(rough)
    assert only([rough, fine]) == 5150
    second_order = fig(576, status="derived", derivation="~242 t (Apr, derived) / (1-0.58)")
    first_order = fig(585, status="derived", derivation="406 t / (1-0.306)", line=3)
    assert only([second_order, first_order]) == 585


def test_published_totals_break_a_tie_between_disagreeing_months() -> None:
    months = [
        fig(100, period="2025-01"),
        fig(300, period="2025-03"),
        fig(600, period="2025-Q1"),
        fig(150, period="2025-02", line=3, status="derived", derivation="x / 1.5"),
        fig(200, period="2025-02", line=4, status="derived", derivation="x / 1.5"),
    ]
    resolved = resolve_all(months)[("2025-02", "US", "tonnes")]
    assert resolved.value == 200
    assert "published Q1 2025 total" in " ".join(map(str, resolved.rules))


def test_every_candidate_is_kept_as_an_alternate(snapshot: Snapshot) -> None:
    may_us = snapshot.metrics.resolved[("2025-05", "US", "tonnes")]
    assert may_us.value == 46.4
    assert sorted(f.value for f in may_us.alternates) == [46, 46, 46, 47]
    assert len(may_us.alternates) == len(may_us.candidates) - 1
    assert str(may_us.rules[0]) == "normal reliability before low"


def test_the_real_conflicts_are_resolved_by_the_rules(snapshot: Snapshot) -> None:
    resolved = snapshot.metrics.resolved
    assert resolved[("2025-10", "WORLD", "tonnes")].value == 5473
    assert resolved[("2025-12", "JP", "tonnes")].value == 280  # not the low 411.3
    assert resolved[("2025-06", "WORLD", "tonnes")].value == 3188
    assert resolved[("2024-06", "WORLD", "tonnes")].value == 5150
    year = resolved[("2025", "WORLD", "tonnes")]
    assert year.value == 57392 and str(year.rules[0]) == "normal reliability before low"
    march = resolved[("2025-03", "WORLD", "tonnes")]
    assert march.value == 5324 and tuple(map(str, march.rules)) == ("reported before derived",)
    assert sorted(f.value for f in march.alternates) == [5323, 5361, 5383]


def test_october_2025s_rare_earth_total_is_not_a_magnet_figure(snapshot: Snapshot) -> None:
    magnets = snapshot.metrics.resolved[("2025-10", "WORLD", "tonnes")]
    assert [f.value for f in magnets.candidates] == [5473]
    rare_earths = snapshot.series["rare_earths"].resolved[("2025-10", "WORLD", "tonnes")]
    assert rare_earths.value == 4343.5


def test_a_published_total_breaks_the_tie_between_the_real_derived_marches(
    snapshot: Snapshot,
) -> None:
    """Without the reported March 2025 figure, its three derived ones disagree; the
    published Q1 2025 total less January and February decides."""
    figures = [
        f
        for f in snapshot.metrics.figures
        if not (f.period == "2025-03" and f.partner == "WORLD" and f.is_reported)
    ]
    march = resolve_all(figures)[("2025-03", "WORLD", "tonnes")]
    assert sorted(f.value for f in march.candidates) == [5323, 5361, 5383]
    assert march.value == 5323 and "published Q1 2025 total" in str(march.rules[-1])
