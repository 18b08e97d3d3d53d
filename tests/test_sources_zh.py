"""``/sources`` in Chinese: every label around a figure is Chinese (its role, status, source,
rule, alternates, revisions, the published percentages and the check of sums), and so are the
notes and derivations the project wrote (``data/translations/zh.csv``), while what the sources
wrote (titles, quotations) stays as written. The texts are the real figures of
``data/critical_minerals.csv``, checked by hand once."""

from __future__ import annotations

import re

import pytest

from bot.data.dataset import Figure, Revision
from bot.data.resolve import Resolved
from bot.datastore import Snapshot
from bot.figures import sourced_from
from bot.i18n import Said, said
from bot.i18n.formats import say
from bot.lookup import Lookup, MonthAnswer, SpanAnswer
from bot.render.sources import sourced_block, sources
from bot.render.telegram_html import html_problem, to_plain
from tests.conftest import TODAY

#: /sources JP 2025-07: June's figure is derived from July's and the +76% a source published
#: for the change, so that percentage is stated as published and not recomputed.
DERIVED_AND_PUBLISHED = """\
📚 来源：日本，2025年7月

2025年7月：232 吨，公布值
来源：China's rare earth magnet exports to the US hit six-month high (ibnews, 2025-08-21; \
cites Ferroalloy Online / GACC)
选取规则：唯一来源

2025年6月：≈132 吨，推算值：232 吨（7月，ibnews）/ 1.76（环比+76%，GreenergyDaily/彭博社）\
= 约132 吨
来源：China's rare earth magnet exports to the US hit six-month high (ibnews, 2025-08-21; \
cites Ferroalloy Online / GACC)
选取规则：唯一来源

2025年7月中国出口总量：5,577.1 吨，公布值
来源：Dependency & Independence: European Rare Earth Analysis [SMM Analysis] (SMM, 2025-08-26)
选取规则：2 个来源在四舍五入范围内一致：先取最精确的，再取更多来源给出的数值
备选数字：5,577 吨（公布值）China's rare earth magnet exports hit six-month high in July \
(Reuters via Kitco, 2025-08-20)

环比（相对2025年6月）：+76%，来源公布
来源：GreenergyDaily (citing Bloomberg); article title and address not recorded
备注："+76% MoM"；用于推算2025年6月对日出口数字
未重新计算：所比较的数字之一是由这一百分比推算得出的。

2025年1–7月核对：7 个月中有 2 个月有数据，因此不将各月相加（部分月份之和不能当作合计）。"""


def lookup_of(snapshot: Snapshot, series: str) -> Lookup:
    return Lookup(snapshot, lambda: TODAY, series)


def chinese(snapshot: Snapshot, series: str, question: str) -> list[str]:
    return sources(lookup_of(snapshot, series).exports(question), language="zh")


def plain(messages: list[str]) -> str:
    return "\n".join(to_plain(m) for m in messages)


def test_a_month_with_a_derived_figure_and_a_published_percentage(snapshot: Snapshot) -> None:
    messages = chinese(snapshot, "85051110", "JP 2025-07")
    assert len(messages) == 1
    assert plain(messages) == DERIVED_AND_PUBLISHED


@pytest.mark.parametrize(
    ("series", "question", "lines"),
    [
        (  # a derived base, a published change with its base, agreeing sources, a total checked
            "85051110",
            "US 2025-06",
            [
                "📚 来源：美国，2025年6月",
                "2024年6月：≈735 吨，推算值：353 吨 / (1-0.52) = 约735 吨（2025年6月对美出口同比"
                "下降52%，南华早报）",
                "选取规则：一般可靠性来源优先于低可靠性来源；"
                "4 个来源在四舍五入范围内一致：先取最精确的，再取更多来源给出的数值；"
                "计算变化时采用此数字：它是公布的变化幅度所依据的基数",
                "环比（相对2025年5月）：+660%，来源公布",
                "来源所称基数：46 吨",
                "选取规则：3 个来源给出相同百分比",
                "计算值：按数字计算为 +667.39%（353 吨 / 46 吨 - 1）",
                "同比（相对2024年6月）：-52%，来源公布",
                "2025年上半年合计：2,511.4 吨（6 个月之和）",
                "2025年5月：46.4 吨，公布值",
                "2025年上半年核对：各月之和 2,511.4 吨，对比公布值 2,510 吨：差异 +0.06%，相差在 "
                "0.5% 以内。",
            ],
        ),
        (  # China's total: a published change and the one computed from the figures
            "85051110",
            "WORLD 2025-09",
            [
                "📚 来源：中国出口总量，2025年9月",
                "2024年1–9月中国出口总量：≈43,053 吨，推算值：38,138 吨（2024年1–8月，"
                "metalnomist）+ 4,915 吨（2024年9月，上海有色网）= 43,053 吨；核对：39,817 吨 / "
                "(1-0.075) = 约43,045 吨（路透社所报2025年1–9月 -7.5%）",
                "选取规则：公布值优先于推算值",
                "备选数字：4,914 吨（推算值）China's rare earth magnet exports dip 6.1% "
                "in September (Reuters via Telegraph India, 2025-10-20)",
                "环比（相对2025年8月）：-6.1%，来源公布",
                "计算值：按数字计算为 -6.05%（5,774.000 吨 / 6,145.623 吨 - 1）",
                "年初至今同比（相对2024年1–9月）：-7.5%，来源公布",
                "2025年1–9月核对：各月之和 39,817.2 吨，对比公布值 39,817 吨：差异 +0.00%，相差在 "
                "0.5% 以内。",
            ],
        ),
        (  # a material other than magnets is named, in its own unit; a computed change
            "gallium",
            "DE 2025-10",
            [
                "📚 来源：镓，德国，2025年10月",
                "2025年10月：10,000 千克，公布值",
                "2025年10月中国出口总量：15,570 千克，公布值",
                "环比（相对2025年9月）：+100.0%，按数字计算（10,000 千克 / 5,000 千克 - 1）",
                "2025年1–10月核对：10 个月中有 4 个月有数据，因此不将各月相加（部分月份之和不能当作"
                "合计）。",
            ],
        ),
        (  # a published total set aside; a low-reliability alternate
            "85051110",
            "JP 2025-12",
            [
                "选取规则：一般可靠性来源优先于低可靠性来源；2 个来源给出相同数字",
                "公布的2025年合计（未采用）：4,877.6 吨，公布值（低可靠性 †）",
                "未采用：其来源将2025年12月记为 411.3 吨，而采用的是各来源的 280 吨",
                "环比（相对2025年11月）：-8.2%，按数字计算（280 吨 / 305 吨 - 1）",
            ],
        ),
        (  # no value per kg, and why; a value in US dollars
            "gallium",
            "WORLD 2023-07",
            [
                "📚 来源：镓，中国出口总量，2023年7月",
                "备选数字：7,580 千克（公布值，低可靠性）China's gallium and germanium "
                "exports soared in Jul before export controls took effect in Aug (Yuan Talks)",
                "2023年6月：1,600 千克，公布值（低可靠性 †）",
                "2023年7月金额：218万美元，公布值（低可靠性 †）",
                "每千克单价：未给出：其来源给出的2023年7月数字为 7,580 千克，而采用的是各来源的 "
                "5,150 千克",
            ],
        ),
        (  # sources that disagree; China's total over a year
            "85051110",
            "WORLD 2024",
            [
                "2024年中国出口总量：58,120 吨，公布值",
                "选取规则：来源不一致：取文件中的第一个",
                "2024年金额：28.6亿美元，公布值",
                "每吨单价：未给出：其来源给出的2024年数字为 58,152 吨，"
                "而采用的是各来源的 58,120 吨",
            ],
        ),
        (  # a span: each month of a sum, and a sum with no published total
            "gallium",
            "2025-Q2",
            [
                "2025年第2季度中国出口总量：9,037 千克（3 个月之和）",
                "2025年5月：0 千克，公布值",
                "同比（相对2024年第2季度）：-42.0%，按数字计算（9,037 千克 / 15,576 千克 - 1）",
                "2025年第2季度核对：各月之和 9,037.0 千克；没有公布的合计可供比较。",
            ],
        ),
        (  # a partner's quarter: its months, then China's, named as China's
            "85051110",
            "DE 2025-Q3",
            [
                "2025年第3季度合计：3,745.1 吨（3 个月之和）",
                "选取规则：来源不一致：取更精确的数字或推算",
                "2025年第3季度中国出口总量：17,496.8 吨（3 个月之和）",
            ],
        ),
    ],
)
def test_sources_in_chinese(
    snapshot: Snapshot, series: str, question: str, lines: list[str]
) -> None:
    shown = plain(chinese(snapshot, series, question)).splitlines()
    for line in lines:
        assert line in shown, line


QUESTIONS = [
    f"{who} {when}"
    for who in ("WORLD", "US", "DE", "JP", "IN", "EU", "BE")
    for when in (
        "2024-07",
        "2025-04",
        "2025-06",
        "2025-09",
        "2025-12",
        "2025",
        "2025-Q3",
        "2025-H1",
    )
]
#: The labels /sources writes in English: none may be left in a Chinese reply.
ENGLISH_LABELS = re.compile(
    r"Source: |Rule: |Alternates: |Note: |Revised: |Not used|Also published|Computed: |"
    r"Base named| check: | — |reported|derived|sources? (agree|give|disagree)|only source|"
    r"Value per|Change (m/m|y/y)"
)


def test_every_chinese_reply_is_valid_html_within_the_limit_and_all_in_chinese(
    snapshot: Snapshot,
) -> None:
    checked = 0
    for series in snapshot.series:
        lookup = lookup_of(snapshot, series)
        for question in QUESTIONS:
            answer = lookup.exports(question)
            if not isinstance(answer, MonthAnswer | SpanAnswer):
                continue  # no figure or a problem: rendered elsewhere (nearby, answers)
            messages = sources(answer, language="zh")
            for message in messages:
                assert html_problem(message) is None, (html_problem(message), message)
                assert len(message) <= 4096
            for line in plain(messages).splitlines():
                if line.startswith(("来源：", "备注：", "备选数字：", "其他来源公布：")):
                    continue  # a source's title or an editor's note follows: as written
                label = re.sub(r"推算值：.*", "", line)  # a derivation: the editor's words
                assert not ENGLISH_LABELS.search(label), (series, question, line)
            checked += 1
    assert checked > 100


def test_every_rule_the_data_records_is_said_in_chinese(snapshot: Snapshot) -> None:
    """The rules that chose each figure of the loaded data, and each published percentage
    (every rule the code can say is built in tests/test_rules_said.py)."""
    rules: set[Said] = set()
    for series in snapshot.series:
        metrics = lookup_of(snapshot, series).metrics
        for key in metrics.resolved:
            resolved = metrics.resolved[key]
            rules.update(resolved.rules)
        for change in metrics.changes.values():
            rules.update(change.rules)
    assert len(rules) >= 8
    for rule in rules:
        chinese_text = say(rule, "zh", escape=False)
        assert not re.search("[A-Za-z]{3,}", chinese_text), (rule, chinese_text)
        assert chinese_text != str(rule)


def _figure(value: float, reliability: str, history: tuple[Revision, ...] = ()) -> Figure:
    return Figure(
        "2025-06",
        "US",
        "tonnes",
        value,
        0,
        "reported",
        reliability,
        "China Customs statistics",
        "https://example.org/customs",
        "",
        "",
        "customs.csv",
        2,
        history=history,
    )


def test_a_revised_official_figure_in_chinese() -> None:
    revised = (Revision(353.48, 2, "import 1 (june.csv, 2026-07-20)"),)
    official = _figure(360, "official", revised)
    press = _figure(353, "normal")
    resolved = Resolved(
        "2025-06",
        "US",
        "tonnes",
        official,
        (official, press),
        (official,),
        (said("official statistics before press reports"),),
    )
    item = sourced_from("June 2025", resolved)
    assert to_plain(sourced_block(item, language="zh")).splitlines() == [
        "2025年6月：360 吨，公布值",
        "来源：China Customs statistics",
        "修订：353.5 吨（第 1 次导入（june.csv, 2026-07-20）） → 现为 360 吨",
        "选取规则：官方统计优先于媒体报道",
        "备选数字：353 吨（公布值）China Customs statistics",
    ]
    assert to_plain(sourced_block(item)).splitlines()[2] == (
        "Revised: 353.5 t (import 1 (june.csv, 2026-07-20)) → 360 t now"
    )


def test_the_language_is_part_of_the_memo(snapshot: Snapshot) -> None:
    answer = lookup_of(snapshot, "gallium").exports("DE 2025-10")
    english, chinese_text = sources(answer), sources(answer, language="zh")
    assert english[0].startswith("📚 <b>Sources: gallium, Germany, October 2025</b>")
    assert chinese_text[0].startswith("📚 <b>来源：镓，德国，2025年10月</b>")
    assert sources(answer) == english == sources(answer, None, "en")
