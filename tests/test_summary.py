"""The monthly summary, quotable: the seed article's numbers as it states them, a key-data
table that fits a phone, and footnote marks that belong to their figures."""

from __future__ import annotations

import re

import pytest

from bot.console import LocalChat, replies
from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.reading.periods import Period
from bot.render.summary import TABLE_WIDTH, summary, table_label, table_rows
from bot.render.telegram_html import html_problem, to_plain
from bot.summaries import SummaryAnswer

MARKS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT = str.maketrans(MARKS, "0123456789")


def unmarked(text: str) -> str:
    return re.sub(f"[{MARKS}˒]", "", text)


def months(snapshot: Snapshot) -> list[str]:
    return [m.code for m in snapshot.metrics.months_with_data("WORLD")]


async def test_summary_june_2025_reads_like_the_articles_key_data_summary(
    chat: LocalChat,
) -> None:
    """3,188 t, +157.5% m/m, -38.1% y/y; United States 353 t from 46 t (+660%);
    H1 22,319 t, -18.9%; India 172 t from 150 t (+15%): as the article states them."""
    [message] = replies(await chat.send("/summary 2025-06"))
    text = unmarked(to_plain(message))
    lead = text.split("📊")[0]
    for sentence in (
        "China exported 3,188 t of rare-earth permanent magnets in June 2025, up 157.5% from "
        "May (1,238 t) and 38.1% below June 2024 (≈5,150 t).",
        "In H1 2025 exports totalled 22,319 t, down 18.9% on H1 2024 (≈27,520 t).",
        "Exports to the United States rose 660% to 353 t, from 46 t in May",
        "Exports to India rose 15% to 172 t, from 150 t in May.",
    ):
        assert sentence in lead, sentence
    table = message.split("<pre>")[1].split("</pre>")[0]
    rows = {" ".join(line.split()) for line in table.splitlines()}
    assert {"Jun 2025 3,188 +157.5 -38.1", "May 2025 1,238", "Jun 2024 ≈5,150"} <= rows
    assert {"H1 2025 22,319 -18.9", "H1 2024 ≈27,520"} <= rows
    assert {"US 353 +660 -52", "India 172 +15"} <= rows


async def test_every_mark_belongs_to_its_figure_and_every_listed_source_is_cited(
    chat: LocalChat, snapshot: Snapshot
) -> None:
    metrics = snapshot.metrics
    for month in months(snapshot):
        text = "\n".join(to_plain(m) for m in replies(await chat.send(f"/summary {month}")))
        body, _, listed = text.partition("\nSources\n")
        titles = {
            int(number.translate(SUPERSCRIPT)): title
            for number, title in re.findall(f"^([{MARKS}]+) (.+)$", listed, re.MULTILINE)
        }
        cited = {int(m.translate(SUPERSCRIPT)) for m in re.findall(f"[{MARKS}]+", body)}
        assert cited == set(titles), month  # nothing listed that no mark cites, and vice versa
        for value, marks in re.findall(rf"≈?([\d,.]+)\+? t†?([{MARKS}˒]+)", body):
            sources = {titles[int(m.translate(SUPERSCRIPT))] for m in marks.split("˒")}
            amount = float(value.replace(",", ""))
            givers = {
                f.source_title
                for f in metrics.figures
                if f.metric == "tonnes" and abs(f.value - amount) < 0.051
            }
            if givers:  # a sum of months has no single figure; its marks are its months'
                assert sources <= givers, (month, value, sources)
        for value, mark in re.findall(rf"([\d.]+)%([{MARKS}])", body):
            title = titles[int(mark.translate(SUPERSCRIPT))]
            published = {
                c.chosen.source_title
                for c in metrics.changes.values()
                if abs(c.pct) == float(value)
            }
            assert title in published, (month, value, title)


def test_the_table_fits_a_phone_and_no_label_is_cut(lookup: Lookup, snapshot: Snapshot) -> None:
    for month in months(snapshot):
        answer = lookup.summary(month)
        assert isinstance(answer, SummaryAnswer)
        message = summary(answer)[0]
        table = to_plain(message.split("<pre>")[1].split("</pre>")[0])
        assert all(len(line) <= TABLE_WIDTH for line in table.splitlines()), (month, table)
        period = Period.parse_code(month)
        cumulative = period.year_to_date()
        allowed = {
            "",
            period.short_label,
            period.previous().short_label,
            period.year_earlier().short_label,
            cumulative.label,
            cumulative.year_earlier().label,
            *(table_label(m.partner) for m in answer.notable),
        }
        assert {row[0] for row in table_rows(answer)} <= allowed, month
    assert table_label("US") == "US" and table_label("EU") == "EU-27"


def test_year_to_date_labels_are_whole(lookup: Lookup) -> None:
    answer = lookup.summary("2025-07")
    assert isinstance(answer, SummaryAnswer)
    labels = [row[0] for row in table_rows(answer)]
    assert "Jan–Jul 2025" in labels and "Jan–Jul 2024" in labels
    message = to_plain(summary(answer)[0])
    assert "In Jan–Jul 2025 exports totalled 27,897 t" in unmarked(message)


@pytest.mark.parametrize("month", ["2025-06", "2025-07", "2025-10", "2026-03"])
def test_the_pushed_summary_is_valid_telegram_html_within_the_limit(
    lookup: Lookup, month: str
) -> None:
    answer = lookup.summary(month)
    assert isinstance(answer, SummaryAnswer)
    messages = summary(answer)
    assert len(messages) == 1
    assert all(html_problem(m) is None and len(m) <= 4096 for m in messages)


def test_a_lower_bound_reads_as_one_in_the_summary(lookup: Lookup) -> None:
    answer = lookup.summary("2025-06")
    assert isinstance(answer, SummaryAnswer)
    text = to_plain(summary(answer)[0])
    assert "Thailand: 200+ t" in unmarked(text) and "+ a lower bound" in text


def test_the_lead_names_partners_with_a_published_change_first(lookup: Lookup) -> None:
    answer = lookup.summary("2025-06")
    assert isinstance(answer, SummaryAnswer)
    assert [m.partner for m in answer.notable] == ["US", "DE", "IN"]
    assert answer.cumulative_change is not None and answer.cumulative_change.pct == -18.9
