"""Rankings and summaries at scale work out only the partners they show, and show exactly
what working out every partner would."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import scaled_copy
from bot.datastore import load_snapshot
from bot.metrics import EU, Metrics, MonthMetrics, is_country
from bot.ranking import TopAnswer, TopRow, rank
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.summary import summary
from bot.summaries import LISTED, NOTABLE, SummaryAnswer, _notable, build_summary

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Metrics:
    """The real data and 200 synthetic partners' months (10x the real file)."""
    folder = tmp_path_factory.mktemp("wide") / "data"
    scaled_copy(DATA, folder, 10)
    return load_snapshot(folder).metrics


@pytest.fixture(scope="module")
def real() -> Metrics:
    return load_snapshot(DATA).metrics


def every_month(metrics: Metrics) -> list[Period]:
    return [m for m in metrics.months_with_data("WORLD") if metrics.ranking(m)]


def notable_of_everyone(metrics: Metrics, month: Period) -> tuple[MonthMetrics, ...]:
    """The notable partners as chosen from every partner's month, worked out in full."""
    everyone = [metrics.month(code, month) for code, _ in metrics.ranking(month)]
    if metrics.figure(EU, month):
        everyone.append(metrics.month(EU, month))
    everyone.sort(key=lambda m: -(m.tonnes.value if m.tonnes else 0))
    return _notable(tuple(everyone))


@pytest.mark.parametrize("data", ["real", "wide"])
def test_a_summary_names_the_partners_working_out_everyone_would(
    data: str, real: Metrics, wide: Metrics
) -> None:
    metrics = real if data == "real" else wide
    for month in every_month(metrics):
        answer = build_summary(metrics, month, None)
        assert isinstance(answer, SummaryAnswer)
        expected = notable_of_everyone(metrics, month)
        assert [m.partner for m in answer.notable] == [m.partner for m in expected], month
        countries = [m.partner for m in answer.partners if is_country(m.partner)]
        others = [c for c, _ in metrics.ranking(month) if c not in countries]
        assert len(countries) <= LISTED + NOTABLE
        assert answer.unlisted == len(others)


def test_a_summary_of_two_hundred_partners_lists_ten_and_counts_the_rest(wide: Metrics) -> None:
    month = Period.parse_code("2026-03")
    answer = build_summary(wide, month, None)
    assert isinstance(answer, SummaryAnswer) and answer.unlisted > 150
    text = "\n".join(summary(answer))
    assert f"{answer.unlisted} more have a figure (/top 2026-03 50 lists the largest 50)" in text
    assert len(summary(answer)) == 1  # one message, not a list of 200 partners


def rows_of_everyone(metrics: Metrics, period: Period) -> list[TopRow]:
    """/top's rows as worked out from every partner's whole month or span."""
    rows = []
    for code in metrics.partners():
        if not is_country(code):
            continue
        if period.is_month:
            month = metrics.month(code, period)
            if month.tonnes is not None:
                rows.append(TopRow(0, partner(code), month.tonnes, month.share_pct))
        else:
            span = metrics.span(code, period)
            if span.total.value is not None:
                rows.append(TopRow(0, partner(code), span.total.value, span.share_pct))
    return sorted(rows, key=lambda r: (-r.value.value, r.partner.code))


@pytest.mark.parametrize("data", ["real", "wide"])
def test_top_ranks_as_working_out_everyone_would(data: str, real: Metrics, wide: Metrics) -> None:
    metrics = real if data == "real" else wide
    periods = every_month(metrics)
    periods += [Period.parse_code(c) for c in ("2025", "2025-H1", "2025-Q3", "2024")]
    for period in periods:
        answer = rank(metrics, period, 50)
        assert isinstance(answer, TopAnswer)
        expected = rows_of_everyone(metrics, period)
        got = [r for r in answer.rows if r.partial is None]  # totals, not known months only
        assert [(r.partner.code, r.value, r.share_pct) for r in got] == [
            (r.partner.code, r.value, r.share_pct) for r in expected[: len(got)]
        ], period
