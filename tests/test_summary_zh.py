"""The monthly summary in Chinese: the seed article's Key Data Summary figure by figure, as the
English summary states it; a few months and materials sentence by sentence; every month of
every series valid, within one message, its table within a phone's width and its sources the
English ones; and the editor's note in Chinese, or a line in Chinese saying it has none."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.data.dataset import CUSTOMS_SERIES
from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.reading.periods import Period
from bot.render.summary import TABLE_WIDTH, summary, table_rows, width
from bot.render.telegram_html import html_problem, to_plain
from bot.summaries import SummaryAnswer
from tests.conftest import TODAY

MARKS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def unmarked(text: str) -> str:
    return re.sub(f"[{MARKS}˒]", "", text)


def answer_of(snapshot: Snapshot, series: str, month: str) -> SummaryAnswer:
    found = Lookup(snapshot, lambda: TODAY, series).summary_for(Period.parse_code(month))
    assert isinstance(found, SummaryAnswer), (series, month)
    return found


def table_of(message: str) -> list[str]:
    """The key-data table's lines, each with its runs of spaces made one."""
    table = to_plain(message.split("<pre>")[1].split("</pre>")[0])
    return [" ".join(line.split()) for line in table.splitlines()]


def lead_of(message: str) -> str:
    return unmarked(to_plain(message)).split("📊")[0]


def test_summary_june_2025_in_chinese_states_the_seeds_key_data_as_the_english_does(
    lookup: Lookup,
) -> None:
    """The seed's Key Data Summary: 3,188 t (+157.5% on May), 353 t to the US (+660% on May,
    from 46 t), 38.1% below June 2024, H1 22,319 t (-18.9%), India 172 t (+15% on May's 150
    t). Each sentence of the English lead beside the Chinese one that says the same."""
    answer = lookup.summary("2025-06")
    assert isinstance(answer, SummaryAnswer)
    [english] = summary(answer)
    [chinese] = summary(answer, "zh")
    for said, chinese_said in (
        (
            "China exported 3,188 t of rare-earth permanent magnets in June 2025, up 157.5% "
            "from May (1,238 t) and 38.1% below June 2024 (≈5,150 t).",
            "2025年6月中国出口稀土永磁体3,188 吨，环比增长157.5%（5月为1,238 吨），"
            "同比下降38.1%（2024年6月为≈5,150 吨）。",
        ),
        (
            "In H1 2025 exports totalled 22,319 t, down 18.9% on H1 2024 (≈27,520 t).",
            "2025年上半年出口合计22,319 吨，同比下降18.9%（2024年上半年为≈27,520 吨）。",
        ),
        (
            "Exports to the United States rose 660% to 353 t, from 46 t in May, 52% below "
            "June 2024 (≈735 t).",
            "对美国出口353 吨，环比增长660%（5月为46 吨），同比下降52%（2024年6月为≈735 吨）。",
        ),
        (
            "Exports to India rose 15% to 172 t, from 150 t in May.",
            "对印度出口172 吨，环比增长15%（5月为150 吨）。",
        ),
    ):
        assert said in lead_of(english), said
        assert chinese_said in lead_of(chinese), chinese_said
    assert "<b>3,188 吨¹</b>" in chinese  # the month's total stands out, with its source
    assert {
        "2025年6月 3,188 +157.5 -38.1",
        "2025年5月 1,238",
        "2024年6月 ≈5,150",
        "2025年上半年 22,319 -18.9",
        "2024年上半年 ≈27,520",
        "美国 353 +660 -52",
        "印度 172 +15",
    } <= set(table_of(chinese))
    assert table_of(chinese)[0] == "吨 环比% 同比%"


#: (series, month, what the Chinese summary says): sentences and lines, checked by hand once
#: against the English summary of the same month.
CASES = [
    (
        CUSTOMS_SERIES,
        "2025-07",
        [
            "📰 中国稀土永磁体出口，2025年7月",
            "2025年7月中国出口稀土永磁体5,577.1 吨，环比增长74.9%（6月为3,188 吨），"
            "同比增长5.7%（2024年7月为5,278 吨）。",
            "2025年1–7月出口合计27,897 吨，同比下降15.0%（2024年1–7月为32,812 吨）。",
            "对印度出口418 吨，环比增长143.0%（6月为172 吨），同比增长60%（2024年7月为≈261 吨）。",
            "对日本出口232 吨，环比增长76%（6月为≈132 吨）。",
            "🌍 其他贸易伙伴，2025年7月",
            "• 🇪🇺 欧盟（27国）：2,140 吨；环比 +56.9%（上月 1,364 吨）",
            "• 🇩🇪 德国：1,116 吨；环比 +46.1%（上月 764 吨）；同比 -3%（上年同期 ≈1,149 吨）",
            "2025年1–7月 27,897 -15.0",
        ],
    ),
    (
        CUSTOMS_SERIES,
        "2023-08",
        [
            "2023年8月中国出口稀土永磁体≈4,226 吨，环比下降11.1%（7月为≈4,755 吨）。",
            "2023年1–8月合计未知（8 个月中有 2 个月有数据）。",
            "2023年1–8月 无数据",
            "≈ 由公布的数字和百分比或占比推算得出。",
        ],
    ),
    (
        CUSTOMS_SERIES,
        "2024-05",
        ["🌍 各贸易伙伴，2024年5月", "• 🇺🇸 美国：689 吨"],
    ),
    (
        "gallium",
        "2025-10",
        [
            "📰 中国镓出口，2025年10月",
            "2025年10月中国出口镓15,570 千克，环比增长211.4%（9月为5,000 千克）。",
            "2025年1–10月合计未知（10 个月中有 8 个月有数据）。",
            "对德国出口10,000 千克，环比增长100.0%（9月为5,000 千克）。",
            "• 🇯🇵 日本：5,000 千克",
            "单位：千克；环比、同比：变化百分比",
            "每个数字的来源：/sources 镓 2025-10",
        ],
    ),
    (
        "gallium",
        "2025-04",  # a computed change to many times its base is stated as the factor
        [
            "2025年4月中国出口镓4,777 千克，环比增长至15.9倍（3月为300 千克），"
            "同比下降7.8%（2024年4月为5,182 千克）。",
            "2025年4月 4,777 ×15.9 -7.8",
        ],
    ),
    (
        "rare_earths",
        "2025-10",
        [
            "📰 中国稀土出口，2025年10月",
            "2025年10月中国出口稀土4,343.5 吨，环比增长8.6%（9月为4,000.3 吨），"
            "同比下降8.6%（2024年10月为4,753 吨）。",
            "2025年1–10月出口合计52,698.8 吨，同比增长10.5%（2024年1–10月为≈47,691 吨）。",
            "每个数字的来源：/sources 稀土 2025-10",
        ],
    ),
]


@pytest.mark.parametrize(("series", "month", "says"), CASES, ids=[f"{s}-{m}" for s, m, _ in CASES])
def test_chinese_summaries_of_months_and_materials(
    snapshot: Snapshot, series: str, month: str, says: list[str]
) -> None:
    [message] = summary(answer_of(snapshot, series, month), "zh")
    text = unmarked(to_plain(message))
    lines = text.splitlines() + table_of(message)
    for said in says:
        assert said in text or said in lines, said


#: Latin words a Chinese summary's text may have: the product, and the words of commands.
LATIN = {"ExportWatch", "sources", "top", "gallium", "germanium", "antimony", "graphite"}
LATIN |= {"tungsten", "dysprosium", "terbium", "rare-earths", "comtrade"}


def test_every_month_of_every_series_reads_in_chinese(snapshot: Snapshot) -> None:
    """Valid Telegram HTML in one message, the table within a phone's width (a Chinese
    character is two columns), no English in the text, and the same sources under the same
    marks as the English summary (a mark means the same source in both languages)."""
    count = 0
    for series, metrics in snapshot.series.items():
        for period in metrics.months_with_data("WORLD"):
            answer = answer_of(snapshot, series, period.code)
            [chinese] = summary(answer, "zh")
            [english] = summary(answer)
            where = (series, period.code)
            assert html_problem(chinese) is None and len(chinese) <= 4096, where
            table = to_plain(chinese.split("<pre>")[1].split("</pre>")[0])
            assert all(width(line) <= TABLE_WIDTH for line in table.splitlines()), where
            body, _, sources = to_plain(chinese).partition("\n来源\n")
            assert set(re.findall(r"[A-Za-z][A-Za-z-]*", body)) <= LATIN, where
            assert (
                sources.split("\n\n")[0]
                == to_plain(english).split("\nSources\n")[1].split("\n\n")[0]
            ), where
            assert len(table_rows(answer, "zh")) == len(table_rows(answer)), where
            count += 1
    assert count > 100


def test_the_partners_not_listed_are_counted_in_chinese(lookup: Lookup) -> None:
    answer = lookup.summary("2025-06")
    assert isinstance(answer, SummaryAnswer)
    many = to_plain(summary(replace(answer, unlisted=12), "zh")[0])
    assert "• 另有 12 个国家有数据（/top 2025-06 50 列出最大的 50 个）" in many
    one = to_plain(summary(replace(answer, unlisted=1), "zh")[0])
    assert "• 另有 1 个国家有数据（/top 2025-06 50 列出最大的 50 个）" in one
    english = to_plain(summary(replace(answer, unlisted=1))[0])
    assert "• 1 more country has a figure (/top 2025-06 50 lists the largest 50)" in english


def test_english_is_the_default_and_each_language_is_memoised_apart(lookup: Lookup) -> None:
    answer = lookup.summary("2025-06")
    assert isinstance(answer, SummaryAnswer)
    assert summary(answer) == summary(answer, "en")
    assert summary(answer, "zh") != summary(answer)
    assert summary(answer, "zh") == summary(answer, "zh")


# -- the editor's note ----------------------------------------------------------------------


def test_the_june_note_is_shown_in_chinese_and_never_in_english(lookup: Lookup) -> None:
    answer = lookup.summary("2025-06")
    assert isinstance(answer, SummaryAnswer) and answer.note is not None
    text = to_plain(summary(answer, "zh")[0])
    assert "💡 为何重要\n• 永磁体用于电动汽车电机、风力涡轮机和大量消费电子产品；" in text
    assert "🔭 后续看点\n• 关注7月许可证审批能否保持节奏；" in text
    assert "“为何重要”与“后续看点”：ExportWatch 编辑说明。" in text
    assert "Why it matters" not in text and "Permanent magnets" not in text
    english = to_plain(summary(answer)[0])
    assert "💡 Why it matters\n• Permanent magnets sit inside" in english
    assert "为何重要" not in english


def test_a_note_without_chinese_text_says_so_in_chinese(lookup: Lookup) -> None:
    answer = lookup.summary("2025-06")
    assert isinstance(answer, SummaryAnswer) and answer.note is not None
    untranslated = replace(answer, note=replace(answer.note, zh=None))
    text = to_plain(summary(untranslated, "zh")[0])
    assert "💡 本月编辑说明暂无中文版本。" in text
    assert "为何重要" not in text and "Permanent magnets" not in text
    assert "Why it matters" not in text
    assert summary(untranslated) == summary(answer)  # English has its note either way


def test_a_month_without_a_note_has_no_note_line(lookup: Lookup) -> None:
    answer = lookup.summary("2025-07")
    assert isinstance(answer, SummaryAnswer) and answer.note is None
    text = summary(answer, "zh")[0]
    assert "编辑说明" not in text and "💡" not in text
