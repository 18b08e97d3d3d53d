"""The digest in Chinese: several materials released together (or welcomed at once), a block
each with its month's total and changes in Chinese, the overdue note with its date as CLDR
writes it, the commands unchanged; split between blocks as in English; and a new subscriber's
summary of one material opened by the overdue note in Chinese."""

from __future__ import annotations

from datetime import date

import pytest

import bot.render.digest as digest_render
from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.reading.periods import Period
from bot.render.digest import digest, late, packed_digest, series_title, welcome_summary
from bot.render.summary import summary
from bot.render.telegram_html import html_problem
from bot.summaries import SummaryAnswer
from tests.conftest import TODAY

NEWS = "📰 <b>数据新增月份</b>："
WELCOME = "📬 <b>您订阅的各材料的最新月份</b>："

#: Each block as the Chinese digest writes it (checked by hand once against the English).
BLOCKS = {
    ("gallium", "2025-12"): (
        "<b>镓，2025年12月</b>\n"
        "中国出口<b>10,809 千克</b>，环比增长49.0%（2025年11月为≈7,254 千克），"
        "同比增长68.4%（2024年12月为6,420 千克）。\n"
        "完整摘要：/summary 镓 2025-12 · 来源：/sources 镓 2025-12"
    ),
    ("germanium", "2025-06"): (
        "<b>锗，2025年6月</b>\n"
        "中国出口<b>96 千克</b>，环比下降85.8%（2025年5月为675 千克），"
        "同比下降92.8%（2024年6月为1,328 千克）。\n"
        "完整摘要：/summary 锗 2025-06 · 来源：/sources 锗 2025-06"
    ),
    ("antimony", "2025-06"): (
        "<b>锑，2025年6月</b>\n"
        "中国出口<b>107 吨</b>，同比下降96.7%（2024年6月为3,199 吨）。\n"
        "完整摘要：/summary 锑 2025-06 · 来源：/sources 锑 2025-06"
    ),
    ("85051110", "2025-06"): (
        "<b>稀土永磁体，2025年6月</b>\n"
        "中国出口<b>3,188 吨</b>，环比增长157.5%（2025年5月为1,238 吨），"
        "同比下降38.1%（2024年6月为≈5,150 吨）。\n"
        "完整摘要：/summary 2025-06 · 来源：/sources 2025-06"
    ),
    ("rare_earths", "2025-12"): (
        "<b>稀土，2025年12月</b>\n"
        "中国出口<b>4,392 吨</b>，环比下降20.1%（2025年11月为5,493.9 吨），"
        "同比增长32.1%（2024年12月为3,326 吨）。\n"
        "完整摘要：/summary 稀土 2025-12 · 来源：/sources 稀土 2025-12"
    ),
    ("graphite", "2024-02"): (
        "<b>球形石墨，2024年2月</b>\n"
        "中国出口<b>1,549 吨</b>，环比增长52.3%（2024年1月为1,017 吨）。\n"
        "完整摘要：/summary 石墨 2024-02 · 来源：/sources 石墨 2024-02"
    ),
}
#: The overdue note of a welcome on TODAY, after each block's figures.
OVERDUE = {
    (
        "gallium",
        "2025-12",
    ): "⚠️ 数据中尚无更晚的月份，但2026年1月的数据原预计约在2026年2月20日发布。",
    (
        "graphite",
        "2024-02",
    ): "⚠️ 数据中尚无更晚的月份，但2024年3月的数据原预计约在2024年4月20日发布。",
    ("rare_earths", "2025-12"): (
        "⚠️ 数据中尚无更晚的月份，但2026年1月的数据原预计约在2026年2月10日发布。"
    ),
}


def item(snapshot: Snapshot, series: str, month: str) -> tuple[Lookup, SummaryAnswer]:
    lookup = Lookup(snapshot, lambda: TODAY, series)
    answer = lookup.summary_for(Period.parse_code(month))
    assert isinstance(answer, SummaryAnswer)
    return lookup, answer


@pytest.mark.parametrize(
    ("released", "names"),
    [
        ([("gallium", "2025-12"), ("germanium", "2025-06")], "镓、锗"),
        ([("85051110", "2025-06"), ("antimony", "2025-06"), ("germanium", "2025-06")], None),
        ([("rare_earths", "2025-12"), ("graphite", "2024-02")], "稀土、球形石墨"),
    ],
)
def test_a_digest_of_materials_released_together_in_chinese(
    snapshot: Snapshot, released: list[tuple[str, str]], names: str | None
) -> None:
    items = [(lookup.info, answer) for lookup, answer in (item(snapshot, *r) for r in released)]
    [message] = digest(items, language="zh")
    heading, *blocks = message.split("\n\n")
    listed = "、".join(info.name_zh for info, _ in items)
    assert heading == NEWS + listed and (names is None or listed == names)
    assert blocks == [BLOCKS[r] for r in released]
    assert "⚠️" not in message  # news: no overdue note
    assert html_problem(message) is None
    [english] = digest(items)
    assert [b.count("\n") for b in english.split("\n\n")] == [
        b.count("\n") for b in message.split("\n\n")
    ]  # the same lines as the English digest


@pytest.mark.parametrize(
    "welcomed",
    [
        [("gallium", "2025-12"), ("graphite", "2024-02")],
        [("rare_earths", "2025-12"), ("gallium", "2025-12")],
    ],
)
def test_a_welcome_digest_in_chinese_says_which_months_are_overdue(
    snapshot: Snapshot, welcomed: list[tuple[str, str]]
) -> None:
    items = [(lookup.info, answer) for lookup, answer in (item(snapshot, *w) for w in welcomed)]
    [message] = digest(items, TODAY, "zh")
    heading, *blocks = message.split("\n\n")
    assert heading == WELCOME + "、".join(info.name_zh for info, _ in items)
    for key, block in zip(welcomed, blocks, strict=True):
        figures, commands = BLOCKS[key].rsplit("\n", 1)
        assert block == f"{figures}\n{OVERDUE[key]}\n{commands}"


def test_no_overdue_note_before_the_release_day(snapshot: Snapshot) -> None:
    lookup, answer = item(snapshot, "gallium", "2025-12")
    assert late(lookup.info, answer.period, date(2026, 2, 20), language="zh") is None
    note = late(lookup.info, answer.period, date(2026, 2, 21), language="zh")
    assert note == OVERDUE[("gallium", "2025-12")]


def test_a_long_chinese_digest_is_split_between_blocks(
    snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(digest_render, "LIMIT", 400)
    keys = list(BLOCKS)
    items = [(lookup.info, answer) for lookup, answer in (item(snapshot, *k) for k in keys)]
    parts = packed_digest(items, language="zh")
    assert len(parts) > 1 and all(len(p.text) <= 400 for p in parts)
    assert [i for p in parts for i in p.covers] == list(range(len(keys)))
    for part in parts:
        for index in part.covers:
            assert BLOCKS[keys[index]] in part.text  # never a block cut in two
    english = packed_digest(items)
    assert all(len(p.text) <= 400 for p in english)


def test_a_welcome_summary_of_one_material_in_chinese(snapshot: Snapshot) -> None:
    lookup, answer = item(snapshot, "graphite", "2024-02")
    parts = welcome_summary(lookup.info, answer.period, summary(answer, "zh"), TODAY, "zh")
    note, first = parts[0].split("\n\n", 1)
    assert note == "⚠️ 数据中尚无球形石墨更晚的月份，但2024年3月的数据原预计约在2024年4月20日发布。"
    assert first.startswith("📰 <b>中国球形石墨出口，2024年2月</b>")
    english = welcome_summary(lookup.info, answer.period, summary(answer), TODAY)
    assert english[0].startswith(
        "⚠️ Nothing later of spherical graphite is in the data, though March 2024 was "
        "expected around 20 April 2024.\n\n"
    )


def test_a_material_is_named_by_its_chinese_name(snapshot: Snapshot) -> None:
    catalog = snapshot.catalog
    assert series_title(catalog["gallium"], "zh") == "镓"
    assert series_title(catalog["tungsten"], "zh") == "钨（仲钨酸铵）"
    assert series_title(catalog["gallium"]) == "Gallium (镓)"
    assert series_title(catalog["tungsten"]) == "Tungsten (APT) / 钨（仲钨酸铵）"
