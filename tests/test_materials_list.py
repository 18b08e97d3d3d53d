"""``/materials``, and the materials in ``/help`` and ``/start``, on the real data.

The rows come from :func:`bot.materials.materials` (no Telegram); the replies go through the
real Application, whose offline network rejects invalid HTML and messages over 4096
characters.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from bot.app import MENU
from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo
from bot.datastore import Snapshot
from bot.materials import MaterialRow, command_word, first_sentence, material_row, materials
from bot.reading.periods import Period
from bot.render.help import help_text
from bot.render.materials import ALL_EXAMPLE, MATERIAL_EXAMPLE, materials_text
from bot.render.telegram_html import html_problem, to_plain
from handlers import COMMANDS
from tests.conftest import TODAY

# key, unit, first month, latest month (None: no monthly figure), next month, expected release
MATERIALS = [
    ("85051110", "tonnes", "2023-07", "2026-03", "2026-04", date(2026, 5, 20)),
    ("rare_earths", "tonnes", "2023-03", "2025-12", "2026-01", date(2026, 2, 10)),
    ("gallium", "kg", "2023-03", "2025-12", "2026-01", date(2026, 2, 20)),
    ("germanium", "kg", "2023-03", "2025-10", "2025-11", date(2025, 12, 20)),
    ("antimony", "tonnes", "2023-10", "2025-06", "2025-07", date(2025, 8, 20)),
    ("graphite", "tonnes", "2023-11", "2024-02", "2024-03", date(2024, 4, 20)),
    ("tungsten", "tonnes", None, None, "2025-12", date(2026, 1, 20)),
    ("dysprosium", "kg", "2024-06", "2025-12", "2026-01", date(2026, 2, 20)),
    ("terbium", "kg", "2024-06", "2025-12", "2026-01", date(2026, 2, 20)),
]


def month(code: str | None) -> Period | None:
    return Period.parse_code(code) if code else None


def rows_by_key(snapshot: Snapshot, today: date = TODAY) -> dict[str, MaterialRow]:
    return {row.info.key: row for row in materials(snapshot, today)}


def block_of(text: str, name: str) -> str:
    """The block of the material whose title (``1. Name · …``) names ``name``."""
    titles = re.compile(rf"(<b>)?\d+\. {re.escape(name)}(</b>)? · ", re.IGNORECASE)
    blocks = [b for b in text.split("\n\n") if titles.match(b)]
    assert len(blocks) == 1, (name, blocks)
    return blocks[0]


def test_every_material_is_listed_in_the_catalogs_order_and_no_reference_series(
    snapshot: Snapshot,
) -> None:
    keys = [row.info.key for row in materials(snapshot, TODAY)]
    assert keys == [key for key, *_ in MATERIALS]
    assert keys == [info.key for info in snapshot.catalog.materials]
    assert "HS850511" not in keys  # UN Comtrade's is a reference series, not a material


@pytest.mark.parametrize(("key", "unit", "first", "latest", "following", "expected"), MATERIALS)
def test_each_materials_unit_coverage_and_next_release(
    snapshot: Snapshot,
    key: str,
    unit: str,
    first: str | None,
    latest: str | None,
    following: str,
    expected: date,
) -> None:
    row = rows_by_key(snapshot)[key]
    assert row.has_figures and row.info.unit == unit
    assert (row.first_month, row.latest_month) == (month(first), month(latest))
    if latest is not None:
        metrics = snapshot.series[key]
        assert row.latest_month == metrics.coverage.last_month
        assert row.months_with_figures == len(
            {m for p in metrics.partners() for m in metrics.months_with_data(p)}
        )
    assert row.next_release is not None
    assert row.next_release.month == Period.parse_code(following)
    assert row.next_release.expected == expected
    assert row.next_release.overdue  # TODAY (29 November 2026) is past every one


@pytest.mark.parametrize(("key", "unit", "first", "latest", "following", "expected"), MATERIALS)
def test_each_materials_block_says_its_unit_latest_month_and_how_to_ask(
    snapshot: Snapshot,
    key: str,
    unit: str,
    first: str | None,
    latest: str | None,
    following: str,
    expected: date,
) -> None:
    info = snapshot.catalog[key]
    block = to_plain(block_of(materials_text(materials(snapshot, TODAY))[0], info.name))
    lines = block.split("\n")
    assert info.name_zh in lines[0] and f"in {unit}" in lines[0]
    assert lines[1] == first_sentence(info.description)
    latest_label = Period.parse_code(latest).short_label if latest else "none"
    assert f"Latest month: {latest_label}" in block
    day = f"{expected.day} {expected:%b %Y}"
    assert f"Next: {Period.parse_code(following).short_label}, expected about {day}" in block
    assert "(overdue: not in the data yet)" in block
    assert lines[-1] == f"/exports {command_word(info)}"
    assert snapshot.catalog.find(command_word(info)) == info  # the example names this series


def test_tungsten_is_covered_by_its_yearly_spans_only(snapshot: Snapshot) -> None:
    row = rows_by_key(snapshot)["tungsten"]
    assert row.first_month is None and row.latest_month is None
    assert row.spans == (Period.parse_code("2024"), Period.parse_code("2025-YTD11"))
    block = to_plain(block_of(materials_text(materials(snapshot, TODAY))[0], "tungsten (APT)"))
    assert "No monthly figures; totals of spans only: 2024 · Jan–Nov 2025" in block
    assert "Latest month: none" in block and "Months:" not in block


def test_overdue_only_once_today_is_past_the_expected_day(snapshot: Snapshot) -> None:
    info, metrics = snapshot.catalog[CUSTOMS_SERIES], snapshot.metrics  # March 2026 is the last
    on_the_day = material_row(info, metrics, date(2026, 5, 20)).next_release
    day_after = material_row(info, metrics, date(2026, 5, 21)).next_release
    assert on_the_day is not None and not on_the_day.overdue
    assert day_after is not None and day_after.overdue
    text = materials_text([material_row(info, metrics, date(2026, 4, 30))])[0]
    assert "expected about 20 May 2026" in text and "overdue" not in text


def test_a_series_described_without_figures_says_so(snapshot: Snapshot) -> None:
    without = replace(snapshot, series={k: m for k, m in snapshot.series.items() if k != "terbium"})
    row = rows_by_key(without)["terbium"]
    assert not row.has_figures and row.next_release is None and row.latest_month is None
    block = to_plain(block_of(materials_text(materials(without, TODAY))[0], "terbium"))
    assert block.split("\n")[2:] == ["No figures loaded yet.", "/exports terbium"]


def test_the_codes_are_given_once(snapshot: Snapshot) -> None:
    rows = rows_by_key(snapshot)
    assert "85051110" in rows[CUSTOMS_SERIES].covers and rows[CUSTOMS_SERIES].codes == ()
    assert "25041091" in rows["graphite"].covers
    info = replace(snapshot.catalog["gallium"], codes=("81129289",))
    row = material_row(info, snapshot.series["gallium"], TODAY)
    assert row.codes == ("81129289",)
    assert "Codes: 81129289." in materials_text([row])[0]


def test_first_sentence() -> None:
    assert first_sentence("One (a). Two. Three") == "One (a)."
    assert first_sentence('Exports of "rare earths" here.') == 'Exports of "rare earths" here.'
    assert first_sentence("Since 1 August 2023. Reuters' 2023 figures") == "Since 1 August 2023."


def test_the_list_is_one_valid_message_with_all_nine(snapshot: Snapshot) -> None:
    messages = materials_text(materials(snapshot, TODAY))
    assert len(messages) == 1
    assert html_problem(messages[0]) is None and len(messages[0]) <= 4096
    # as many again would not fit one message: they are split, each message valid
    doubled = materials_text(materials(snapshot, TODAY) * 2)
    assert len(doubled) == 2 and all(html_problem(m) is None for m in doubled)


def test_names_are_escaped(snapshot: Snapshot) -> None:
    info = replace(snapshot.catalog["gallium"], name="<gallium & co>", description="A <b>. B")
    text = materials_text([material_row(info, snapshot.series["gallium"], TODAY)])[0]
    assert "&lt;gallium &amp; co&gt;" in text and "A &lt;b&gt;." in text
    assert html_problem(text) is None


async def test_materials_command_lists_every_material(chat: LocalChat, snapshot: Snapshot) -> None:
    texts = replies(await chat.send("/materials"))
    assert len(texts) == 1 and html_problem(texts[0]) is None
    text = to_plain(texts[0])
    for info in snapshot.catalog.materials:
        assert info.name_zh in block_of(text, info.name)
    assert "UN Comtrade" not in text
    assert "Latest month: Mar 2026" in block_of(text, "rare-earth magnets")


def test_materials_is_a_command_and_in_the_menu() -> None:
    assert "materials" in COMMANDS
    assert "materials" in [command.command for command in MENU]


@pytest.mark.parametrize("command", ["/help", "/start"])
async def test_help_names_every_material_with_examples(
    chat: LocalChat, snapshot: Snapshot, command: str
) -> None:
    texts = replies(await chat.send(command))
    assert len(texts) == 1 and html_problem(texts[0]) is None
    text = to_plain(texts[0])
    for info in snapshot.catalog.materials:
        assert f"{info.name} {info.name_zh}" in text
    assert "HS 850511 联合国" not in text  # the reference series is not a material
    assert MATERIAL_EXAMPLE in text and ALL_EXAMPLE in text and "/materials" in text


def test_help_takes_its_materials_from_the_catalog(snapshot: Snapshot) -> None:
    only = SeriesInfo(
        "lithium", "lithium", "锂", "tonnes", "Lithium.", "detail", (("tonnes", 1.0),)
    )
    text = help_text(snapshot.metrics.coverage, materials=[only])
    names = text.split("<b>Materials</b>\n")[1].split("\n")[0]
    assert names == "lithium 锂."


def test_the_help_examples_have_figures(snapshot: Snapshot) -> None:
    _, material, partner, code = MATERIAL_EXAMPLE.split()
    info = snapshot.catalog.find(material)
    assert info is not None
    assert snapshot.series[info.key].figure(partner, Period.parse_code(code)) is not None
    _, word, partner, code = ALL_EXAMPLE.split()
    assert word == "all"
    having = [
        key
        for key, metrics in snapshot.series.items()
        if metrics.figure(partner, Period.parse_code(code)) is not None
    ]
    assert len(having) >= 2, having
