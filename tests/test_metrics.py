"""The metrics module, above all the seed article's Key Data Summary, figure by figure."""

from __future__ import annotations

import pytest

from bot.datastore import Snapshot
from bot.metrics import Metrics
from bot.reading.periods import Period

JUNE = Period.month(2025, 6)


@pytest.fixture
def metrics(snapshot: Snapshot) -> Metrics:
    return snapshot.metrics


def test_june_2025_total_and_its_changes(metrics: Metrics) -> None:
    world = metrics.month("WORLD", JUNE)
    assert world.tonnes is not None and world.tonnes.value == 3188
    # +157.5% vs May: Reuters gives both months (3,188 t and 1,238 t), so the pair is
    # taken like for like; the more precise SMM May figure (1,238.47 t) would give +157.4%.
    assert world.mom is not None and world.mom.pct == pytest.approx(157.51, abs=0.01)
    assert world.mom.base.value == 1238 and world.mom.base.note == "same source as this month"
    # 38.1% below June 2024 (≈5,150 t, derived from that same percentage).
    assert world.yoy is not None and round(world.yoy.pct or 0, 1) == -38.1
    assert world.yoy.base.is_derived


def test_first_half_2025(metrics: Metrics) -> None:
    half = metrics.span("WORLD", Period.parse_code("2025-H1"))
    assert half.total.value is not None and half.total.value.value == 22319
    assert half.total.basis == "published"  # Feb and Mar are derived, so the sum is not used
    assert half.yoy is not None and round(half.yoy.pct or 0, 1) == -18.9
    assert half.total.mismatch_pct is not None and abs(half.total.mismatch_pct) < 0.5
    ytd = metrics.month("WORLD", JUNE).ytd
    assert ytd.value is not None and ytd.value.value == 22319


def test_united_states_june_2025(metrics: Metrics) -> None:
    us = metrics.month("US", JUNE)
    assert us.tonnes is not None and us.tonnes.value == 353
    # Published: +660% (Reuters), from 46 t (the seed article). The most precise May figure
    # is 46.4 t (SCMP); the base used is the 46 t the published change names, from which the
    # arithmetic gives +667.4%, stated beside the published +660%.
    assert us.mom is not None and us.mom.base.value == 46
    assert us.mom.base.note == "the base the source names"
    assert us.mom.pct == 660 and us.mom.published is not None
    assert us.mom.computed_pct == pytest.approx(667.39, abs=0.01)
    assert us.share_pct == pytest.approx(353 / 3188 * 100)
    assert (us.rank, us.ranked) == (2, 5)


def test_india_june_2025(metrics: Metrics) -> None:
    india = metrics.month("IN", JUNE)
    assert india.tonnes is not None and india.tonnes.value == 172
    assert india.mom is not None and india.mom.base.value == 150
    # Published "+15%": 172 / 150 - 1 = +14.67%, which rounds to 15%.
    assert india.mom.pct == 15 and india.mom.pct_decimals == 0
    assert india.mom.computed_pct == pytest.approx(14.67, abs=0.01)


def test_missing_inputs_are_none_never_zero(metrics: Metrics) -> None:
    india = metrics.month("IN", JUNE)
    assert india.yoy is None  # no June 2024 figure for India
    assert india.usd is None and india.usd_per_tonne is None
    assert india.ytd.value is None and india.ytd.months_known == 2
    nothing = metrics.month("FR", JUNE)
    assert nothing.tonnes is None and nothing.share_pct is None and nothing.rank is None
    assert nothing.as_dict()["tonnes"] is None


def test_a_partial_sum_is_never_a_total(metrics: Metrics) -> None:
    eu = metrics.span("EU", Period.parse_code("2025-H1"))
    assert eu.total.months_known == 2 and eu.total.months_sum is None
    assert eu.total.basis == "published" and eu.total.value is not None
    assert eu.total.value.value == 8360
    japan = metrics.total("JP", Period.parse_code("2025-Q3"))
    assert japan.value is None and japan.basis is None and japan.months_known == 2


def test_a_complete_span_is_summed_and_checked(metrics: Metrics) -> None:
    year = metrics.total("WORLD", Period.parse_code("2025"))
    assert year.months_known == 12 and year.months_sum is not None
    assert year.published is not None and year.published.value == 57392
    assert year.mismatch_pct is not None and abs(year.mismatch_pct) < 0.5
    second_half = metrics.total("WORLD", Period.parse_code("2025-H2"))
    assert second_half.basis == "sum" and second_half.value is not None
    expected = 5577.13 + 6145.623 + 5774 + 5473 + 6149.95 + 5952
    assert second_half.value.value == pytest.approx(expected)


def test_usd_and_usd_per_tonne(metrics: Metrics) -> None:
    november = metrics.month("WORLD", Period.month(2025, 11))
    assert november.usd is not None and november.usd.value == 301_800_000
    assert november.usd_per_tonne == pytest.approx(301_800_000 / 6149.95)


def test_share_and_rank_cover_countries_only(metrics: Metrics) -> None:
    ranking = metrics.ranking(JUNE)
    assert [code for code, _ in ranking] == ["DE", "US", "TH", "IN", "JP"]
    eu = metrics.month("EU", JUNE)
    assert eu.rank is None and eu.share_pct == pytest.approx(1364 / 3188 * 100)


def test_lookups_are_precomputed(metrics: Metrics) -> None:
    assert metrics.month("US", JUNE) is metrics.month("US", JUNE)


def test_nearest_months_with_a_figure(metrics: Metrics) -> None:
    before, after = metrics.nearest_months("US", Period.month(2024, 12))
    assert before == Period.month(2024, 11) and after == Period.month(2025, 1)
    assert metrics.figure("US", Period.month(2024, 12)) is None


def test_json_shape(metrics: Metrics) -> None:
    data = metrics.month("US", JUNE).as_dict()
    for key in ("partner", "period", "tonnes", "status", "mom_pct", "yoy_pct", "share_pct"):
        assert key in data
    assert data["partner"] == "US" and data["period"] == "2025-06"
    # every month of H1 2025 is reported: the sum of months (2,511.4 t), not the published 2,510
    assert data["ytd_tonnes"] == pytest.approx(2511.4) and data["usd"] is None
    assert data["sources"][0]["figures"][0]["source_url"].startswith("https://")
