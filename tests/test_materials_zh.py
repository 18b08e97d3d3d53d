"""The answers about materials in Chinese: ``/exports all DE 2025-10``, two materials named,
a mistyped material, a series with no figures, ``/materials`` and the materials part of
``/help``, and how a series is named in titles. Checked by hand once against the real data
of ``data/``; every reply is valid Telegram HTML within 4096 characters."""

from __future__ import annotations

import pytest

from bot.data.series import SeriesInfo
from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.materials import MaterialRow, materials
from bot.reading.grammar import Intent
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render import material
from bot.render.by_material import every_material as render_every_material
from bot.render.by_material import (
    material_typo,
    no_comtrade,
    no_data,
    no_monthly,
    two_materials,
)
from bot.render.materials import materials_help, materials_text
from bot.render.telegram_html import html_problem, to_plain
from bot.series_choice import AllMaterials, MaterialTypo, TwoMaterials, choose, every_material
from tests.conftest import TODAY

EVERY_MATERIAL_DE = """\
🇩🇪 所有材料：中国 → 德国，2025年10月

• 稀土永磁体：1,118 吨¹ · 环比 -13.2% · 同比 +55.9%
• 镓：10,000 千克² · 环比 +100.0%
• 锗：222 千克² · 环比 +38.7%
2025年10月德国无数据：稀土（仅有中国出口总量：/exports 稀土 2025-10）、锑、球形石墨、\
钨（仲钨酸铵）、镝、铽。

来源
¹ 創9個月新高 陸稀土磁鐵對美出口量大幅回升 (Yahoo TW / CTi, 2025-11-22; cites Reuters & Nikkei)
² Höchster Stand seit 2022: Chinas Galliumexport erreicht Rekordwert (rohstoff.net)

完整回答：/exports DE 2025-10 · /exports 镓 DE 2025-10 · /exports 锗 DE 2025-10"""

MATERIALS_HEADER = (
    "📦 材料：中国出口的 9 个系列。可在命令中写上其中一种，也可以再加上贸易伙伴和月份；"
    "不写时，回答的是稀土永磁体。各系列的数量均以其自身单位列出。"
)

HELP = [
    "<b>材料</b>",
    "稀土永磁体（默认）、稀土、镓、锗、锑、球形石墨、钨（仲钨酸铵）、镝、铽。",
    "/exports 镓 德国 2025-10：在贸易伙伴和时段前写上材料名",
    "/exports 全部 德国 2025-10：一个贸易伙伴在一个月份的所有材料",
    "/materials：各材料的单位、覆盖月份和下次发布时间",
]


def valid(messages: list[str]) -> None:
    for message in messages:
        assert html_problem(message) is None, (html_problem(message), message)
        assert len(message) <= 4096


def every(snapshot: Snapshot, text: str) -> AllMaterials:
    found = every_material(lambda key: Lookup(snapshot, lambda: TODAY, key), snapshot.catalog, text)
    assert isinstance(found, AllMaterials)
    return found


# -- /exports all ---------------------------------------------------------------------------


def test_every_material_for_germany_in_october_2025(snapshot: Snapshot) -> None:
    messages = render_every_material(every(snapshot, "DE 2025-10"), "zh")
    valid(messages)
    assert [to_plain(m) for m in messages] == [EVERY_MATERIAL_DE]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (  # each material's latest period, named on its line
            "",
            [
                "🌐 所有材料：中国出口，各自的最近时段",
                "• 镓，2025年12月：10,809 千克³ · 环比 +49.0% · 同比 +68.4%",
                "• 钨（仲钨酸铵），2025年1–11月：243 吨⁷",
            ],
        ),
        (  # China's total: no partner to name
            "2025-06",
            [
                "🌐 所有材料：中国出口，2025年6月",
                "• 锑：107 吨⁴ · 同比 -96.7%",
                "2025年6月无数据：球形石墨、钨（仲钨酸铵）。",
            ],
        ),
        (  # a year with months missing; materials with only China's total
            "US 2025",
            [
                "🇺🇸 所有材料：中国 → 美国，2025年",
                "• 铽：合计未知（12 个月中有 1 个月有数据）",
                "2025年美国无数据：稀土（仅有中国出口总量：/exports 稀土 2025）、"
                "镓（仅有中国出口总量：/exports 镓 2025）、锗（仅有中国出口总量：/exports 锗 "
                "2025）、锑、球形石墨、钨（仲钨酸铵）、镝。",
                "完整回答：/exports US 2025 · /exports 铽 US 2025",
            ],
        ),
    ],
)
def test_every_material_in_chinese(snapshot: Snapshot, text: str, lines: list[str]) -> None:
    messages = render_every_material(every(snapshot, text), "zh")
    valid(messages)
    shown = "\n".join(to_plain(m) for m in messages).splitlines()
    for line in lines:
        assert line in shown, line


def test_no_material_with_a_figure_is_said_so(snapshot: Snapshot) -> None:
    found = every(snapshot, "DE 2025-10")
    nothing = AllMaterials(found.partner, found.period, ())
    assert to_plain(render_every_material(nothing, "zh")[0]).splitlines()[-1] == (
        "该贸易伙伴在该时段没有任何材料的数据。"
    )


# -- two materials, a typo, no data, no months ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        (
            "gallium germanium DE 2025-10",
            "exports",
            "🤔 您提到了多种材料：镓和锗。我一次只回答一种，因此没有替您选择：\n"
            "• 镓：/exports 镓 DE 2025-10\n"
            "• 锗：/exports 锗 DE 2025-10\n"
            "所有材料一并回答：/exports 全部 DE 2025-10",
        ),
        (
            "gallium germanium antimony",
            "top",
            "🤔 您提到了多种材料：镓、锗和锑。我一次只回答一种，因此没有替您选择：\n"
            "• 镓：/top 镓\n"
            "• 锗：/top 锗\n"
            "• 锑：/top 锑",
        ),
        (
            "galium DE",
            "exports",
            "🤔 我不知道名为“galium”的材料或国家。您是不是要找镓？/exports gallium DE",
        ),
        (
            "germanum 2025-10",
            "sources",
            "🤔 我不知道名为“germanum”的材料或国家。您是不是要找锗？/sources germanium 2025-10\n"
            "或者是国家：\n"
            "• 🇩🇪 德国：/exports DE 2025-10",
        ),
    ],
)
def test_material_problems_in_chinese(
    snapshot: Snapshot, text: str, intent: Intent, expected: str
) -> None:
    problem = choose(snapshot.catalog, text).problem
    if isinstance(problem, TwoMaterials):
        said = two_materials(problem, intent, "zh")
    else:
        assert isinstance(problem, MaterialTypo)
        said = material_typo(problem, intent, "zh")
    valid([said])
    assert said == expected


def test_a_typo_that_may_be_a_country_offers_it_in_chinese(snapshot: Snapshot) -> None:
    gallium = snapshot.catalog["gallium"]
    typo = MaterialTypo("gallum", gallium, "gallium GE", (partner("GE"),), "{} 2025-10")
    assert material_typo(typo, "exports", "zh").splitlines()[1:] == [
        "或者是国家：",
        "• 🇬🇪 格鲁吉亚：/exports GE 2025-10",
    ]


def test_no_data_and_no_months_in_chinese() -> None:
    assert no_data("gallium", "gallium", "zh") == "尚未载入镓数据。/help 列出了已有数据的材料。"
    assert no_data("HS850511", "UN Comtrade HS 850511", "zh") == no_comtrade("zh")
    assert no_comtrade("zh").startswith("尚未载入联合国商品贸易统计（UN Comtrade）数据。")
    latest = Period.parse_code("2025-YTD11")
    assert no_monthly(partner("JP"), "tungsten", latest, "zh") == (
        "🇯🇵 日本没有可绘图的钨（仲钨酸铵）月度数据：来源只公布了时段合计，最近一期为"
        "2025年1–11月：/exports 钨 JP 2025-YTD11"
    )
    assert no_monthly(partner("WORLD"), "tungsten", latest, "zh").startswith(
        "🌐 中国出口总量没有可绘图的"
    )
    valid([no_comtrade("zh"), no_data("gallium", "gallium", "zh")])


# -- /materials and /help ---------------------------------------------------------------------


def test_the_materials_list_in_chinese(snapshot: Snapshot) -> None:
    messages = materials_text(materials(snapshot, TODAY), "zh")
    valid(messages)
    assert len(messages) == 1  # the nine series fit in one message
    blocks = to_plain(messages[0]).split("\n\n")
    assert blocks[0] == MATERIALS_HEADER
    assert blocks[1].splitlines() == [
        "1. 稀土永磁体 · rare-earth magnets · 单位：吨 · 默认",
        "海关编码：85051110 · 出口管制：2025年4月起 · 发布：海关分国别数据，次月20日前后",
        "月份：2023年7月至2026年3月（28 个月有数据）",
        "最近月份：2026年3月",
        "下一期：2026年4月，预计约于2026年5月20日发布（已逾期：数据中尚无）",
        "/exports 稀土磁铁",
    ]
    assert blocks[2].splitlines()[:2] == [
        "2. 稀土 · rare earths · 单位：吨",
        "发布：海关初步数据，次月10日前后",
    ]
    assert blocks[3].splitlines()[0] == "3. 镓 · gallium · 单位：千克"
    assert blocks[7].splitlines() == [
        "7. 钨（仲钨酸铵） · tungsten (APT) · 单位：吨",
        "出口管制：2025年2月起 · 发布：海关分国别数据，次月20日前后",
        "没有月度数据；只有时段合计：2024年 · 2025年1–11月",
        "最近月份：无",
        "下一期：2025年12月，预计约于2026年1月20日发布（已逾期：数据中尚无）",
        "/exports 钨",
    ]


def test_a_material_without_figures_and_no_materials_in_chinese(snapshot: Snapshot) -> None:
    rows = materials(snapshot, TODAY)
    gallium = rows[2]
    bare = [MaterialRow(gallium.info, gallium.covers, gallium.codes, gallium.word)]
    assert to_plain(materials_text(bare, "zh")[0]).splitlines()[-2:] == [
        "尚未载入数据。",
        "/exports 镓",
    ]
    assert materials_text([], "zh") == ["数据文件夹中没有任何材料的描述。"]


def test_the_materials_part_of_help_in_chinese() -> None:
    lines = materials_help(language="zh")
    valid(["\n".join(lines)])
    assert lines == HELP


# -- how a series is named ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "title", "noun", "legend"),
    [
        ("85051110", "中国稀土永磁体出口", "稀土永磁体", "单位：吨"),
        ("gallium", "中国镓出口", "镓", "单位：千克"),
        ("tungsten", "中国钨（仲钨酸铵）出口", "钨（仲钨酸铵）", "单位：吨"),
        (
            "HS850511",
            "中国出口，联合国商品贸易统计 HS 850511",
            "联合国商品贸易统计 HS 850511",
            "单位：吨",
        ),
    ],
)
def test_a_series_named_in_chinese(
    snapshot: Snapshot, key: str, title: str, noun: str, legend: str
) -> None:
    info: SeriesInfo = snapshot.catalog[key]
    assert material.exports_title(info, "zh") == title
    assert material.noun(info, "zh") == noun
    assert material.unit_legend(info, "zh") == legend


def test_one_material_at_a_time_in_chinese(snapshot: Snapshot) -> None:
    said = material.one_material_at_a_time("chart", snapshot.catalog.materials[:3], "DE", "zh")
    valid([said])
    assert said.splitlines() == [
        "🤔 /chart 一次只针对一种材料，因此我没有替您选择。各材料的命令：",
        "• 稀土永磁体：/chart DE",
        "• 稀土：/chart 稀土 DE",
        "• 镓：/chart 镓 DE",
        "所有材料一并回答：/exports 全部 DE",
    ]


def test_the_english_names_stay_as_they_were(snapshot: Snapshot) -> None:
    magnets, gallium = snapshot.catalog["85051110"], snapshot.catalog["gallium"]
    assert material.exports_title(magnets) == material.MAGNET_TITLE
    assert material.noun(magnets) == material.MAGNET_NOUN
    assert material.exports_title(gallium) == "China's exports of gallium"
    assert material.unit_legend(gallium) == "kg: kilograms"
    assert material.unit_legend(magnets) == "t: tonnes"
