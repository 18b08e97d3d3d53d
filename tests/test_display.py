"""Numbers as they are shown: half-up rounding, lower bounds, what a total is, totals that
never rest on a rejected figure, and the JSON fields of months and spans."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from bot.console import LocalChat, replies
from bot.data.dataset import Figure
from bot.datastore import Snapshot
from bot.figures import FIELDS
from bot.metrics import Metrics
from bot.reading.periods import Period
from bot.render.format import fixed, pct, tonnes, usd
from bot.render.telegram_html import to_plain


async def text_of(chat: LocalChat, command: str) -> str:
    return "\n".join(to_plain(t) for t in replies(await chat.send(command)))


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (fixed(6149.95, 1), "6,150.0"),  # stored as 6,149.9499…: half-even would give 6,149.9
        (usd(106_850_000), "$106.9m"),
        (tonnes(0.125, 3), "0.1 t"),
        (fixed(2.5), "3"),
        (fixed(-2.5), "-3"),
        (pct(-0.04), "+0.0%"),
        (pct(28.285, 2), "+28.29%"),
        (usd(1_025_000_000), "$1.03bn"),
    ],
)
def test_display_rounding_is_half_up(shown: str, expected: str) -> None:
    assert shown == expected


async def test_answers_round_half_up(chat: LocalChat) -> None:
    text = await text_of(chat, "/exports EU 2025-11")
    assert "of 6,150.0 t" in text and "$106.9m" in text
    assert "6,149.9" not in text and "$106.8m" not in text


async def test_a_lower_bound_is_shown_as_one_everywhere(chat: LocalChat) -> None:
    exports = await text_of(chat, "/exports TH 2025-06")
    assert "200+ t" in exports and "Share of China's total: at least 6.3%" in exports
    assert "+ a lower bound" in exports
    top = await text_of(chat, "/top 2025-06")
    assert "Thailand" in top and "200+ t  ≥6.3%" in top
    [document] = [c for c in await chat.send("/csv TH") if c.method == "sendDocument"]
    rows = list(csv.DictReader(io.StringIO(document.files["document"].decode("utf-8-sig"))))
    assert [(r["period"], r["tonnes"], r["lower_bound"]) for r in rows] == [
        ("2025-06", "200", "yes")
    ]


def _figure(period: str, value: float, source: str, note: str = "", **kw: str) -> Figure:
    return Figure(
        period, "TH", "tonnes", value, 0, kw.get("status", "reported"),
        kw.get("reliability", "normal"), source, "", kw.get("derivation", ""), note, "t.csv", 1,
    )  # fmt: skip


def test_a_total_that_includes_a_lower_bound_is_one() -> None:
    figures = [_figure(f"2025-{m:02d}", 10, "A") for m in (1, 2)]
    figures.append(_figure("2025-03", 200, "B", 'lower bound; source says "200+"'))
    total = Metrics(figures).total("TH", Period.parse_code("2025-Q1"))
    assert total.value is not None and total.value.is_lower_bound
    assert total.basis == "sum" and total.sources == 2  # a mixed sum says so


async def test_published_total_is_said_only_of_a_published_total(chat: LocalChat) -> None:
    derived = await text_of(chat, "/exports 2024-H1")
    assert "≈27,520 t" in derived and "derived total" in derived
    assert "published total" not in derived
    published = await text_of(chat, "/exports 2025-H1")
    assert "22,319 t" in published and "(published total)" in published
    sources = await text_of(chat, "/sources 2025-Q1")
    assert "vs derived total ≈15,267 t" in sources and "vs published" not in sources


def test_a_derived_total_has_its_own_basis(snapshot: Snapshot) -> None:
    june = snapshot.metrics.month("WORLD", Period.month(2024, 6)).as_dict()
    assert june["ytd_basis"] == "derived" and june["ytd_tonnes"] == 27520


async def test_a_total_never_rests_on_a_rejected_figure(chat: LocalChat) -> None:
    # globalspark's 2025 total for Japan counts its December 411.3 t, rejected for Reuters'
    # 280 t; the year to date is not known rather than built on the rejected figure.
    text = await text_of(chat, "/exports JP 2025-12")
    assert "Year to date (2025): not known" in text
    assert "the published total 4,877.6 t† is not used" in text.replace("³", "")
    assert "counts December 2025 as 411.3 t, where the sources' 280 t is used" in text
    assert "Total: not known" in await text_of(chat, "/exports JP 2025")


def test_a_total_from_a_source_whose_month_is_rejected_is_not_used() -> None:
    months = [_figure(f"2025-{m:02d}", 10, "A") for m in (1, 2, 3)]
    rival = _figure("2025-03", 99, "B", reliability="low")
    quarter = _figure("2025-Q1", 119, "B", reliability="low")
    total = Metrics([*months, rival, quarter]).total("TH", Period.parse_code("2025-Q1"))
    assert total.value is not None and total.value.value == 30 and total.basis == "sum"
    assert total.published is None and total.rejected is not None
    alone = Metrics([months[0], rival, quarter, replace(months[2], value=10.2)])
    assert alone.total("TH", Period.parse_code("2025-Q1")).value is None


async def test_a_value_per_tonne_from_two_sources_says_so(chat: LocalChat) -> None:
    assert "(value and tonnes from different sources)" in await text_of(chat, "/exports 2025-H1")
    assert "different sources" not in await text_of(chat, "/exports EU 2025-11")


def test_spans_give_the_same_json_fields_as_months(snapshot: Snapshot) -> None:
    month = snapshot.metrics.month("US", Period.month(2025, 6)).as_dict()
    span = snapshot.metrics.span("WORLD", Period.parse_code("2025-H1")).as_dict()
    assert tuple(month) == tuple(span) == FIELDS
    assert span["mom_pct"] is None and span["rank"] is None and span["ytd_tonnes"] is None
    assert span["yoy_pct"] == -18.9 and span["basis"] == "published"
    assert month["basis"] is None and month["lower_bound"] is False
