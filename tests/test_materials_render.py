"""Every rendered answer names its series and keeps its unit: the monthly summary, /top, charts,
CSV files, /sources, revision notices and the operator's reload report, for each material,
with the real figures of ``data/critical_minerals.csv`` (gallium stays in kg, never tonnes).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from bot.data.series import SeriesInfo
from bot.datastore import DataChanges, Snapshot, ValueChange, load_snapshot
from bot.lookup import Lookup, NoFigure, SpanAnswer
from bot.period_choice import PeriodProblem
from bot.reading.periods import Period
from bot.render import visuals
from bot.render.admin import reload_held, reload_report, series_name
from bot.render.answers import problem
from bot.render.charts import draw_monthly, draw_ranking
from bot.render.material import command_word, slug
from bot.render.ranking import top
from bot.render.revisions import Change, revision_notice
from bot.render.sources import aggregate_check, sources
from bot.render.summary import summary
from bot.render.telegram_html import html_problem, to_plain
from bot.summaries import SummaryAnswer
from tests.conftest import DATA_DIR, TODAY

MARKS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹˒]")
#: A quantity in tonnes or in kg, as the answers write them ("5,000 kg", "≈2,566 t").
IN_TONNES, IN_KG = re.compile(r"\d[+†]? t\b"), re.compile(r"\d[+†]? kg\b")


def plain(messages: list[str]) -> str:
    """The messages as a reader sees them, footnote marks left out."""
    return MARKS.sub("", "\n".join(to_plain(m) for m in messages))


def valid(messages: list[str]) -> None:
    for message in messages:
        assert html_problem(message) is None, (html_problem(message), message)


def lookup_of(snapshot: Snapshot, series: str) -> Lookup:
    return Lookup(snapshot, lambda: TODAY, series)


def materials(snapshot: Snapshot) -> list[SeriesInfo]:
    """Every material but rare-earth magnets (the series the bot started with)."""
    return [info for info in snapshot.catalog.materials if info.key != "85051110"]


def month(code: str) -> Period:
    return Period.parse_code(code)


# -- the monthly summary ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "period", "headline"),
    [
        (
            "gallium",
            "2025-10",
            "China exported 15,570 kg of gallium in October 2025, up 211.4% from September "
            "(5,000 kg).",
        ),
        (
            "germanium",
            "2025-07",
            "China exported 763 kg of germanium in July 2025, up 694.8% from June (96 kg).",
        ),
        (
            "dysprosium",
            "2025-10",
            "China exported 3,501 kg of dysprosium in October 2025, down 80.6% from September "
            "(18,043 kg).",
        ),
        (
            "terbium",
            "2025-10",
            "China exported 12,200 kg of terbium in October 2025, up 174.2% from September "
            "(4,450 kg).",
        ),
        (
            "rare_earths",
            "2025-11",
            "China exported 5,493.9 t of rare earths in November 2025, up 26.5% from October "
            "(4,343.5 t) and 24.4% above November 2024 (4,416 t).",
        ),
        (
            "antimony",
            "2024-12",
            "China exported 1,721 t of antimony in December 2024, up 113.0% from November "
            "(808 t) and 56.9% below December 2023 (3,989 t). In 2024 exports totalled 38,632 t, "
            "down 24.1% on 2023 (≈50,900 t).",
        ),
        (
            "graphite",
            "2024-02",
            "China exported 1,549 t of spherical graphite in February 2024, up 52.3% from "
            "January (1,017 t). In Jan–Feb 2024 exports totalled 2,566 t, down 64.6% on Jan–Feb "
            "2023 (7,240 t).",
        ),
    ],
)
def test_the_summary_names_the_material_in_its_unit(
    snapshot: Snapshot, series: str, period: str, headline: str
) -> None:
    info = snapshot.catalog[series]
    messages = summary(lookup_of(snapshot, series).summary_for(month(period)))
    valid(messages)
    text = plain(messages)
    assert text.startswith(f"📰 China's exports of {info.name}, {month(period).label}\n")
    assert headline in text
    table = messages[0].split("<pre>")[1].split("</pre>")[0]
    assert table.splitlines()[0].split() == [info.unit_label, "m/m%", "y/y%"]
    other = IN_TONNES if info.unit == "kg" else IN_KG
    assert not other.search(text), other.search(text)
    assert f"{info.unit_label}: {'kilograms' if info.unit == 'kg' else 'tonnes'};" in text
    assert f"Every figure's source: /sources {command_word(info)}{period}" in text
    assert "magnet" not in text.lower()


def test_a_summary_shows_only_the_sections_the_data_has(snapshot: Snapshot) -> None:
    """Rare earths have only China's total: no partner section, no empty heading; gallium in
    October 2025 names Germany in the lead and lists Japan; dysprosium's partners (no change
    to state) are listed by partner."""
    rare_earths = plain(summary(lookup_of(snapshot, "rare_earths").summary_for(month("2025-10"))))
    assert "China exported 4,343.5 t of rare earths in October 2025" in rare_earths
    assert "🌍" not in rare_earths and "partners" not in rare_earths
    assert "Why it matters" not in rare_earths and "What's next" not in rare_earths
    gallium = plain(summary(lookup_of(snapshot, "gallium").summary_for(month("2025-10"))))
    assert "Exports to Germany rose 100.0% to 10,000 kg, from 5,000 kg in September." in gallium
    assert "🌍 Other partners, October 2025\n• 🇯🇵 Japan: 5,000 kg\n" in gallium
    dysprosium = plain(summary(lookup_of(snapshot, "dysprosium").summary_for(month("2025-10"))))
    assert "🌍 By partner, October 2025\n• 🇰🇷 South Korea: 2,701 kg\n" in dysprosium


def test_every_month_of_every_series_renders_in_its_unit(snapshot: Snapshot) -> None:
    for info in snapshot.catalog.materials:
        find = lookup_of(snapshot, info.key)
        other = IN_TONNES if info.unit == "kg" else IN_KG
        for when in find.metrics.months_with_data("WORLD"):
            answer = find.summary_for(when)
            assert isinstance(answer, SummaryAnswer) and answer.info == info
            messages = summary(answer)
            valid(messages)
            assert all(len(m) <= 4096 for m in messages)
            text = plain(messages)
            assert not other.search(text), (info.key, when, other.search(text))
            assert f"{info.unit_label} m/m% y/y%" in " ".join(text.split())


def test_a_series_without_months_has_no_summary_and_the_renderer_says_so(
    snapshot: Snapshot,
) -> None:
    answer = lookup_of(snapshot, "tungsten").summary_for(month("2025-11"))
    assert isinstance(answer, PeriodProblem)
    (message,) = summary(answer)
    assert html_problem(message) is None and "only as yearly" in message


def test_each_series_summary_shows_its_own_editors_note(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    notes = folder / "notes" / "gallium"
    notes.mkdir(parents=True)
    (notes / "2025-10.md").write_text(
        "## Why it matters\n- A test note for gallium.\n## What's next\n- Nothing.\n",
        encoding="utf-8",
    )
    snapshot = load_snapshot(folder)
    gallium = plain(summary(lookup_of(snapshot, "gallium").summary_for(month("2025-10"))))
    assert "💡 Why it matters\n• A test note for gallium." in gallium
    assert "🔭 What's next\n• Nothing." in gallium
    for other in ("85051110", "rare_earths", "germanium"):
        text = plain(summary(lookup_of(snapshot, other).summary_for(month("2025-10"))))
        assert "A test note for gallium" not in text and "Why it matters" not in text


# -- /top ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "period", "expected"),
    [
        (
            "gallium",
            "2025-10",
            [
                "🏆 Top buyers of China's gallium, October 2025",
                "China's total: 15,570 kg",
                "Germany        10,000 kg  64.2%",
                "Japan           5,000 kg  32.1%",
            ],
        ),
        (
            "gallium",
            "2025",
            [
                "China's total: 62,615 kg",
                "Germany       ≥22,000 kg ≥35.1%",
                "No country has a total for this period; the ones shown cover at least 57.5%",
            ],
        ),
        (
            "rare_earths",
            "2025-10",
            [
                "🏆 Top buyers of China's rare earths, October 2025",
                "China's total: 4,343.5 t",
                "No country has a published figure for this month.",
            ],
        ),
        ("tungsten", "2024", ["🏆 Top buyers of China's tungsten (APT), 2024", "total: 782 t"]),
    ],
)
def test_top_names_the_material_and_its_unit(
    snapshot: Snapshot, series: str, period: str, expected: list[str]
) -> None:
    answer = lookup_of(snapshot, series).top_for(month(period))
    messages = top(answer)
    valid(messages)
    text = plain(messages)
    for line in expected:
        assert line in text, line
    assert "magnet" not in text.lower()


# -- charts --------------------------------------------------------------------------------


def test_charts_name_the_material_and_carry_its_unit(snapshot: Snapshot) -> None:
    gallium = lookup_of(snapshot, "gallium")
    world = visuals.chart(gallium, "")
    assert isinstance(world, visuals.MonthlyChart)
    assert world.series.title == "China's exports of gallium"
    assert world.series.subtitle == "Monthly, Mar 2023 to Dec 2025 (kg)"
    assert world.series.unit == "kg"
    assert draw_monthly(world.series).axes[0].get_ylabel() == "kg"
    germany = visuals.chart(gallium, "DE")
    assert isinstance(germany, visuals.MonthlyChart)
    assert germany.series.title == "China → Germany, gallium"
    assert [b.value for b in germany.series.bars if b.value] == [3500, 2000, 5000, 5000, 10000]
    ranking = visuals.chart(gallium, "top 2025-10")
    assert isinstance(ranking, visuals.RankingChart)
    assert ranking.series.title == "Who buys China's gallium"
    assert ranking.series.subtitle == "October 2025, kg · China's total: 15,570 kg"
    labels = [t.get_text() for t in draw_ranking(ranking.series).axes[0].texts]
    assert labels == [" 5,000 kg (32%)", " 10,000 kg (64%)"]
    magnets = visuals.chart(lookup_of(snapshot, "85051110"), "top 2025-06")
    assert isinstance(magnets, visuals.RankingChart)
    assert magnets.series.subtitle == "June 2025, tonnes · China's total: 3,188 t"
    us = visuals.chart(lookup_of(snapshot, "85051110"), "US")
    assert isinstance(us, visuals.MonthlyChart) and us.series.unit == "t"
    assert us.series.title == "China → United States, rare-earth magnets"


def test_a_month_of_zero_is_marked_zero_not_left_blank(snapshot: Snapshot) -> None:
    """Dysprosium in May 2025: exports stopped (0 kg), unlike the months with no figure."""
    answer = visuals.chart(lookup_of(snapshot, "dysprosium"), "")
    assert isinstance(answer, visuals.MonthlyChart)
    bars = answer.series.bars
    zero = [i for i, b in enumerate(bars) if b.value == 0]
    assert [bars[i].label for i in zero] == ["May\n25"]
    texts = draw_monthly(answer.series).axes[0].texts
    assert [t.get_position()[0] for t in texts if t.get_text() == "0"] == zero


@pytest.mark.parametrize(
    ("series", "query", "said"),
    [
        (
            "tungsten",
            "",
            "China's exports of tungsten (APT) are published only as totals (2024; Jan–Nov "
            "2025), not month by month, so there is no monthly chart. A total: /exports tungsten "
            "2025-YTD11.",
        ),
        (
            "tungsten",
            "JP",
            "The sources give Japan only totals of tungsten (APT) (Jan–Nov 2025), not month by "
            "month, so there is no monthly chart. A total: /exports tungsten JP 2025-YTD11.",
        ),
        (
            "germanium",
            "BE",
            "The sources give Belgium only totals of germanium (H1 2025), not month by month",
        ),
        (
            "rare_earths",
            "top 2025-10",
            "No country has a figure for rare earths in October 2025, only China's total "
            "(4,343.5 t), so there is no partner chart. The sources give only China's total for "
            "rare earths: /chart rare-earths draws it.",
        ),
        (
            "gallium",
            "top 2025-08",
            "No country has a figure for gallium in August 2025, only China's total (7,201 kg), "
            "so there is no partner chart. The latest earlier month with partners: /chart "
            "gallium top 2025-07.",
        ),
        (
            "85051110",
            "top 2024-02",
            "No country has a figure for rare-earth magnets in February 2024, only China's total "
            "(3,326 t), so there is no partner chart.",
        ),
    ],
)
def test_no_chart_to_draw_is_a_clear_text_answer(
    snapshot: Snapshot, series: str, query: str, said: str
) -> None:
    """Never "no figures" for a series that has totals, nor an empty chart."""
    answer = visuals.chart(lookup_of(snapshot, series), query)
    assert isinstance(answer, PeriodProblem)
    text = problem(answer)
    assert html_problem(text) is None
    assert said in to_plain(text)


# -- CSV -----------------------------------------------------------------------------------


def rows_of(export: visuals.CsvExport) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(export.encode().decode("utf-8-sig")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


@pytest.mark.parametrize(
    ("series", "query", "filename", "row"),
    [
        (
            "gallium",
            "2025",
            "exportwatch-gallium-2025.csv",
            {"period": "2025-10", "partner": "DE", "kg": "10000"},
        ),
        ("gallium", "DE", "exportwatch-gallium-de.csv", {"period": "2024-04", "kg": "3500"}),
        (
            "rare_earths",
            "2025",
            "exportwatch-rare-earths-2025.csv",
            {"period": "2025-10", "partner": "WORLD", "tonnes": "4343.5"},
        ),
        ("tungsten", "", "exportwatch-tungsten.csv", {"period": "2024", "tonnes": "782"}),
        ("85051110", "US 2025", "exportwatch-us-2025.csv", {"period": "2025-06", "tonnes": "353"}),
    ],
)
def test_csv_has_the_series_and_its_unit_in_every_row(
    snapshot: Snapshot, series: str, query: str, filename: str, row: dict[str, str]
) -> None:
    info = snapshot.catalog[series]
    export = visuals.csv_export(lookup_of(snapshot, series), query)
    assert isinstance(export, visuals.CsvExport)
    assert export.filename == filename
    header, rows = rows_of(export)
    quantity = info.unit
    assert header == [
        "period", "partner", quantity, "lower_bound", "usd", "status", "source", "source_url",
        "series", "unit",
    ]  # fmt: skip
    assert rows and all(r["series"] == series and r["unit"] == info.unit for r in rows)
    assert any(row.items() <= r.items() for r in rows), row
    assert all(r[quantity] or r["usd"] for r in rows)


def test_csv_file_names_name_the_material(snapshot: Snapshot) -> None:
    for info in materials(snapshot):
        if info.key not in snapshot.series:
            continue
        request = visuals.csv_request(lookup_of(snapshot, info.key), "all")
        assert isinstance(request, visuals.CsvRequest)
        assert request.filename == f"exportwatch-{slug(info)}.csv"
        assert visuals.CsvRequest("DE", month("2025"), info.key).filename == (
            f"exportwatch-{slug(info)}-de-2025.csv"
        )


# -- /sources ------------------------------------------------------------------------------


def test_sources_name_the_material_and_use_its_unit(snapshot: Snapshot) -> None:
    gallium = lookup_of(snapshot, "gallium")
    messages = sources(gallium.exports("DE 2025-10"))
    valid(messages)
    text = plain(messages)
    assert text.startswith("📚 Sources: gallium, Germany, October 2025\n")
    assert "October 2025: 10,000 kg — reported" in text
    assert "(10,000 kg / 5,000 kg - 1)" in text
    assert not IN_TONNES.search(text)
    quarter = gallium.exports("2025-Q2")
    assert isinstance(quarter, SpanAnswer)
    checked = plain(sources(quarter))
    assert "Q2 2025 check: sum of the months 9,037.0 kg; no published total to compare." in checked
    year = plain(sources(lookup_of(snapshot, "rare_earths").exports("2024")))
    assert "2024 check: sum of the months" in year and " t vs published 55,431 t" in year
    magnets = plain(sources(lookup_of(snapshot, "85051110").exports("US 2025-06")))
    assert magnets.startswith("📚 Sources: United States, June 2025\n")


def test_the_aggregate_check_is_in_the_unit_it_is_given(snapshot: Snapshot) -> None:
    total = lookup_of(snapshot, "gallium").metrics.total("WORLD", month("2025-Q2"))
    assert "9,037.0 kg" in aggregate_check(total, "kg")


# -- revision notices and the reload report ------------------------------------------------


@pytest.mark.parametrize(
    ("series", "changes", "expected"),
    [
        (
            None,
            [Change("US", 406, 410)],
            "✏️ <b>Revised</b>: United States, March 2026: 406 t → 410 t\n"
            "Details: /sources US 2026-03",
        ),
        (
            "gallium",
            [Change("DE", 10000, 10500)],
            "✏️ <b>Revised, gallium</b>: Germany, March 2026: 10,000 kg → 10,500 kg\n"
            "Details: /sources gallium DE 2026-03",
        ),
        (
            "rare_earths",
            [Change("WORLD", 4343.5, 4350), Change("JP", None, 30)],
            "✏️ <b>Revised figures, rare earths, March 2026</b>\n"
            "• China's total: 4,343.5 t → 4,350 t\n• Japan: new figure, 30 t\n"
            "Details: /sources rare-earths 2026-03",
        ),
    ],
)
def test_a_revision_notice_names_the_series_and_its_unit(
    snapshot: Snapshot, series: str | None, changes: list[Change], expected: str
) -> None:
    info = snapshot.catalog[series] if series else None
    notice = revision_notice(month("2026-03"), changes, info)
    assert html_problem(notice) is None
    assert notice.replace("&#x27;", "'") == expected
    if series:  # the key does as well as the description
        assert revision_notice(month("2026-03"), changes, series) == notice


def test_the_reload_report_names_each_series_with_its_unit(snapshot: Snapshot) -> None:
    changes = DataChanges(
        "a",
        "b",
        changes={
            "85051110": (ValueChange(("2025-06", "US", "tonnes"), 353, 360),),
            "gallium": (
                ValueChange(("2025-10", "DE", "kg"), 10000, 10500),
                ValueChange(("2025-10", "DE", "usd"), None, 1000),
            ),
            "HS850511": (ValueChange(("2025-06", "US", "tonnes"), 1, None),),
        },
    )
    (report,) = reload_report(changes, None, snapshot.catalog)
    assert html_problem(report) is None
    assert "<b>China 85051110</b>: 0 added, 1 revised, 0 withdrawn" in report
    assert "• United States, June 2025: 353 t → 360 t" in report
    assert "<b>China gallium</b>: 1 added, 1 revised, 0 withdrawn" in report
    assert "• Germany, October 2025: 10,000 kg → 10,500 kg" in report
    assert "<b>UN Comtrade HS 850511</b>: 0 added, 0 revised, 1 withdrawn" in report
    (held,) = reload_held(changes)  # the project's catalog by default
    assert "<b>China gallium</b>" in held and "10,000 kg → 10,500 kg" in held
    assert series_name("85051110") == "China 85051110" and series_name("new") == "China new"


# -- one series' words ask for that series --------------------------------------------------


def test_the_commands_offered_name_the_series_they_answer_for(snapshot: Snapshot) -> None:
    catalog = snapshot.catalog
    for info in catalog.series:
        word = command_word(info).strip()
        assert (catalog.find(word) if word else catalog["85051110"]) == info, info.key


def test_no_magnet_wording_reaches_another_series(snapshot: Snapshot) -> None:
    """The bot's own words (titles, leads, tables, headings, file names) for every other
    series: the sources' titles and notes may speak of magnets, the bot may not."""
    for info in materials(snapshot):
        if info.key not in snapshot.series:
            continue
        find = lookup_of(snapshot, info.key)
        last = find.metrics.coverage.last_month
        written = plain(summary(find.summary_for(last))).split("\nSources\n")[0]
        ranked = plain(top(find.top_for(last))).split("\nSources\n")[0]
        heading = plain(sources(find.exports(last.code))).splitlines()[0]
        chart = visuals.chart(find, "")
        assert not isinstance(chart, visuals.RankingChart | NoFigure)
        if isinstance(chart, visuals.MonthlyChart):
            drawn = f"{chart.series.title} {chart.series.subtitle}"
        else:
            drawn = problem(chart)
        export = visuals.csv_export(find, "")
        assert isinstance(export, visuals.CsvExport)
        for text in (written, ranked, heading, drawn, export.filename):
            assert "magnet" not in text.lower() and "85051110" not in text, (info.key, text)
