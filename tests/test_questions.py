"""How questions are read: a table of questions in English and Chinese, each with its
expected reading (intent, partners, period), and a property test that no reply states a
period other than the one asked without saying so.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation import Asked, OtherTrade, Reply, ask
from bot.lookup import Lookup, PartnerProblem, PeriodProblem
from bot.reading.periods import MONTH_NAMES, Period
from bot.render.conversation import reply
from bot.render.telegram_html import html_problem, to_plain

FOLLOW = "follow-up"
#: The question is about trade the data does not cover (China's imports, exports to China).
NOT_EXPORTS = "not China's exports"
#: A chart with no period: every month the partner has.
EVERY_MONTH = "every month"
#: The previous question for the follow-ups in the table: /exports US 2025-06.
PREVIOUS = Asked("exports", ("US",), Period.month(2025, 6))

# (question, intent, partners, period code or "error"[, words not understood[, FOLLOW]])
QUESTIONS = [
    ("How much did China export to the US in June 2025?", "exports", "US", "2025-06"),
    ("exports to the united states in june 2025", "exports", "US", "2025-06"),
    ("US 2025-06", "exports", "US", "2025-06"),
    ("US 2025/06", "exports", "US", "2025-06"),
    ("US 06/2025", "exports", "US", "2025-06"),
    ("us jun 25", "exports", "US", "2025-06"),
    ("US June '25", "exports", "US", "2025-06"),
    ("Germany Q3", "exports", "DE", "2025-Q3"),
    ("germany q3", "exports", "DE", "2025-Q3"),
    ("Germany q3 2025", "exports", "DE", "2025-Q3"),
    ("Germany Q3 '25", "exports", "DE", "2025-Q3"),
    ("DE 2025 Q3", "exports", "DE", "2025-Q3"),
    ("India first half", "exports", "IN", "2025-H1"),
    ("India first half of 2025", "exports", "IN", "2025-H1"),
    ("India H1 2025", "exports", "IN", "2025-H1"),
    ("IN 2025-H1", "exports", "IN", "2025-H1"),
    ("Japan H2", "exports", "JP", "2025-H2"),
    ("Japan second half 2025", "exports", "JP", "2025-H2"),
    ("Korea Jan-Jul 2025", "exports", "KR", "2025-YTD07"),
    ("South Korea jan-jul 2025", "exports", "KR", "2025-YTD07"),
    ("KR Jan to Jul 2025", "exports", "KR", "2025-YTD07"),
    ("Vietnam this year", "exports", "VN", "error"),
    ("Vietnam last year", "exports", "VN", "2025"),
    ("US last month", "exports", "US", "error"),
    ("US this month", "exports", "US", "error"),
    ("US latest", "exports", "US", "2026-03"),
    ("US", "exports", "US", "2026-03"),
    ("Germany", "exports", "DE", "2025-12"),
    ("EU 2025", "exports", "EU", "2025"),
    ("EU H1 2025", "exports", "EU", "2025-H1"),
    ("world June 2025", "exports", "WORLD", "2025-06"),
    ("China total June 2025", "exports", "WORLD", "2025-06"),
    ("how much did china export in march 2026", "exports", "WORLD", "2026-03"),
    ("What did China ship to Thailand in June 2025?", "exports", "TH", "2025-06"),
    ("Thailand june", "exports", "TH", "2025-06"),
    ("india may", "exports", "IN", "2025-05"),
    ("India May 2025", "exports", "IN", "2025-05"),
    ("Netherlands 2025-08", "exports", "NL", "2025-08"),
    ("Who were the top buyers in September 2025?", "top", "", "2025-09"),
    ("top 5 in June", "top", "", "2025-06"),
    ("top five in june 2025", "top", "", "2025-06"),
    ("top buyers", "top", "", "2026-03"),
    ("ranking for H1 2025", "top", "", "2025-H1"),
    ("biggest buyers in 2025", "top", "", "2025"),
    ("chart for India", "chart", "IN", EVERY_MONTH),
    ("India chart", "chart", "IN", EVERY_MONTH),
    ("graph of US exports", "chart", "US", EVERY_MONTH),
    ("summary", "summary", "", "2026-03"),
    ("summary June 2025", "summary", "", "2025-06"),
    ("news summary for 2025-06", "summary", "", "2025-06"),
    ("compare US and Germany in 2025", "compare", "US DE", "2025"),
    ("US vs DE", "compare", "US DE", "2025-12"),
    ("US versus Germany June 2025", "compare", "US DE", "2025-06"),
    ("compare Japan with Korea in October 2025", "compare", "JP KR", "2025-10"),
    ("US and Germany", "compare", "US DE", "2025-12"),
    ("what about Japan?", "exports", "JP", "2025-06", (), FOLLOW),
    ("and the month before?", "exports", "US", "2025-05", (), FOLLOW),
    ("US 12345", "exports", "US", "error"),
    ("US fortnight", "exports", "US", "2026-03", ("fortnight",)),
    ("Q5 2025", "exports", "", "error"),
    ("US 2025-13", "exports", "US", "error"),
    ("Mar-May 2025", "exports", "", "error"),
    ("Germny", "exports", "", "error"),
    ("Congo 2025-06", "exports", "", "error"),
    ("美国 2025年第二季度", "exports", "US", "2025-Q2"),
    ("美国 2025年第二季度", "exports", "US", "2025-Q2"),
    ("美国 2025年二季度", "exports", "US", "2025-Q2"),
    ("美国 2025年2季度", "exports", "US", "2025-Q2"),
    ("美国 2025年Q2", "exports", "US", "2025-Q2"),
    ("美国 第二季度", "exports", "US", "2025-Q2"),
    ("美国 二季度", "exports", "US", "2025-Q2"),
    ("美国 Q2", "exports", "US", "2025-Q2"),
    ("美国 2季度", "exports", "US", "2025-Q2"),
    ("日本 上半年", "exports", "JP", "2025-H1"),
    ("日本 2025年上半年", "exports", "JP", "2025-H1"),
    ("日本 下半年", "exports", "JP", "2025-H2"),
    ("美国 五月", "exports", "US", "2025-05"),
    ("美国 5月", "exports", "US", "2025-05"),
    ("美国 2025年5月", "exports", "US", "2025-05"),
    ("美国 二〇二五年五月", "exports", "US", "2025-05"),
    ("美国 十二月", "exports", "US", "2025-12"),
    ("美国 2025年12月份", "exports", "US", "2025-12"),
    ("德国 前三季度", "exports", "DE", "2025-YTD09"),
    ("德国 2025年前三季度", "exports", "DE", "2025-YTD09"),
    ("韩国 1-7月", "exports", "KR", "2025-YTD07"),
    ("韩国 1至7月", "exports", "KR", "2025-YTD07"),
    ("韩国 2025年1-7月", "exports", "KR", "2025-YTD07"),
    ("韩国 2025年1到7月", "exports", "KR", "2025-YTD07"),
    ("越南 今年", "exports", "VN", "error"),
    ("越南 去年", "exports", "VN", "2025"),
    ("美国 上个月", "exports", "US", "error"),
    ("美国 本月", "exports", "US", "error"),
    ("美国 最新", "exports", "US", "2026-03"),
    ("美国", "exports", "US", "2026-03"),
    ("德国", "exports", "DE", "2025-12"),
    ("印度", "exports", "IN", "2025-10"),
    ("欧盟 2025年", "exports", "EU", "2025"),
    ("欧盟 2025年上半年", "exports", "EU", "2025-H1"),
    ("中国 2025年6月", "exports", "WORLD", "2025-06"),
    ("中国出口总量 2025年6月", "exports", "WORLD", "2025-06"),
    ("中国对美国出口多少 2025年6月", "exports", "US", "2025-06"),
    ("2025年6月中国对美国出口了多少稀土磁铁", "exports", "US", "2025-06"),
    ("中国对美出口 2025年6月", "exports", "US", "2025-06"),
    ("美國 2025年6月", "exports", "US", "2025-06"),
    ("德國 2025年7月", "exports", "DE", "2025-07"),
    ("韓國 2025年10月", "exports", "KR", "2025-10"),
    ("歐盟 2025年6月", "exports", "EU", "2025-06"),
    ("泰國 2025年6月", "exports", "TH", "2025-06"),
    ("越南 2025年9月", "exports", "VN", "2025-09"),
    ("印度 2025年6月", "exports", "IN", "2025-06"),
    ("日本 2025年12月", "exports", "JP", "2025-12"),
    ("美国 ２０２５年６月", "exports", "US", "2025-06"),
    ("美国 ２０２５年第２季度", "exports", "US", "2025-Q2"),
    ("２０２５年６月 前五名", "top", "", "2025-06"),
    ("2025年6月前五名", "top", "", "2025-06"),
    ("前五名", "top", "", "2026-03"),
    ("前十名 2025年上半年", "top", "", "2025-H1"),
    ("2025年排名", "top", "", "2025"),
    ("2025年9月排名", "top", "", "2025-09"),
    ("印度图表", "chart", "IN", EVERY_MONTH),
    ("美国走势图", "chart", "US", EVERY_MONTH),
    ("德国 图表 2025年", "chart", "DE", "2025"),
    ("总结", "summary", "", "2026-03"),
    ("2025年6月总结", "summary", "", "2025-06"),
    ("6月摘要", "summary", "", "2025-06"),
    ("美国和德国", "compare", "US DE", "2025-12"),
    ("美国和德国 2025年", "compare", "US DE", "2025"),
    ("美国与日本 2025年10月", "compare", "US JP", "2025-10"),
    ("对比美国和德国", "compare", "US DE", "2025-12"),
    ("比较 美国 德国 2025年6月", "compare", "US DE", "2025-06"),
    ("美国 vs 德国", "compare", "US DE", "2025-12"),
    ("那日本呢？", "exports", "JP", "2025-06", (), FOLLOW),
    ("那德国呢", "exports", "DE", "2025-06", (), FOLLOW),
    ("还有韩国呢?", "exports", "KR", "2025-06", (), FOLLOW),
    ("前一个月呢?", "exports", "US", "2025-05", (), FOLLOW),
    ("美国 十三月", "exports", "US", "error"),
    ("美国 2025年13月", "exports", "US", "error"),
    ("美国 第五季度", "exports", "US", "error"),
    ("美国 啦啦", "exports", "US", "2026-03", ("啦啦",)),
    ("美国 2025年6月5号", "exports", "US", "error", ("号",)),
    ("德国 3-5月", "exports", "DE", "error"),
    ("美国 2025年上半年 韩国", "compare", "US KR", "2025-H1"),
    ("美国 2025年6月 2024年6月", "exports", "US", "error"),
    ("Exports to Germany in July 2025", "exports", "DE", "2025-07"),
    ("Show me Vietnam 2025-09", "exports", "VN", "2025-09"),
    ("How many tonnes went to South Korea in October 2025?", "exports", "KR", "2025-10"),
    ("UK 2025-06", "exports", "GB", "2025-06"),
    ("Britain June 2025", "exports", "GB", "2025-06"),
    ("🇯🇵 2025-12", "exports", "JP", "2025-12"),
    ("Japan December 2025", "exports", "JP", "2025-12"),
    ("EU Q3 2025", "exports", "EU", "2025-Q3"),
    ("US 2025", "exports", "US", "2025"),
    ("US Q1 2026", "exports", "US", "2026-Q1"),
    ("India 2025-YTD07", "exports", "IN", "2025-YTD07"),
    ("top 3 2025-10", "top", "", "2025-10"),
    ("top 20 in Q3 2025", "top", "", "2025-Q3"),
    ("the month before", "exports", "US", "2025-05", (), FOLLOW),
    ("US third quarter 2025", "exports", "US", "2025-Q3"),
    ("US 1st half 2025", "exports", "US", "2025-H1"),
    ("Germany so far this year", "exports", "DE", "error"),
    ("US year to date", "exports", "US", "2026-YTD03"),
    ("US H3 2025", "exports", "US", "error"),
    ("US 2025 June", "exports", "US", "2025-06"),
    ("Germany, 2025-10", "exports", "DE", "2025-10"),
    ("US - October 2025", "exports", "US", "2025-10"),
    ("印度 2025年7月出口多少", "exports", "IN", "2025-07"),
    ("越南上半年", "exports", "VN", "2025-H1"),
    ("请问2025年10月对韩国出口多少吨", "exports", "KR", "2025-10"),
    ("2025年10月德国的数据", "exports", "DE", "2025-10"),
    ("欧盟 第三季度", "exports", "EU", "2025-Q3"),
    ("日本 2025年第四季度", "exports", "JP", "2025-Q4"),
    ("德国 去年", "exports", "DE", "2025"),
    # found by trying the bot as a new user
    ("how much to america last yr", "exports", "US", "2025"),
    ("美国前年", "exports", "US", "2024"),
    ("上季度 德国", "exports", "DE", "error"),
    ("China imports from Germany June 2025", "exports", "", NOT_EXPORTS),
    ("Japan exports to China June 2025", "exports", "", NOT_EXPORTS),
    ("中国从日本进口多少 2025年7月", "exports", "", NOT_EXPORTS),
    ("德国对中国出口 2025年6月", "exports", "", NOT_EXPORTS),
    ("US imports from China June 2025", "exports", "US", "2025-06"),
    ("美国从中国进口 2025年6月", "exports", "US", "2025-06"),
    ("US June 2025 in kg", "exports", "US", "2025-06"),  # a unit: said, never converted
    ("今年一季度 总量", "exports", "", "2026-Q1"),
    ("去年下半年 美国", "exports", "US", "2025-H2"),
    ("World YTD Sep 2025", "exports", "WORLD", "2025-YTD09"),
    ("25年6月 美国", "exports", "US", "2025-06"),
    ("25年上半年 美国", "exports", "US", "2025-H1"),
    ("top 10 Jun-25", "top", "", "2025-06"),
    ("US 1H25", "exports", "US", "2025-H1"),
    ("Germany 2H 2025", "exports", "DE", "2025-H2"),
    ("EU-27 july 2025", "exports", "EU", "2025-07"),
    ("last quarter", "exports", "", "error"),
    ("US since April 2025", "exports", "US", "2025-04", ("since",)),
    ("who bought the most magnets in oct 2025?", "top", "", "2025-10"),
    ("哪个国家买得最多", "top", "", "2026-03"),
    ("九月份谁买得最多?", "top", "", "2025-09"),
    ("請問一下，泰國今年的數據", "exports", "TH", "error"),
    ("給我看看越南的數據", "exports", "VN", "2025-12"),
    ("美国2025年6月同比增长多少", "exports", "US", "2025-06"),
    ("japan", "exports", "JP", "2025-12"),
    ("去年同期 美国", "exports", "US", "error"),
    # found in a second round
    ("how much did China buy from Japan in 2025", "exports", "", NOT_EXPORTS),
    ("magnets exported by Japan in 2025", "exports", "", NOT_EXPORTS),
    ("exports from the US in June 2025", "exports", "", NOT_EXPORTS),
    ("日本的出口量 2025年10月", "exports", "", NOT_EXPORTS),
    ("对日本的出口 2025年10月", "exports", "JP", "2025-10"),
    ("美国2025年前5个月", "exports", "US", "2025-YTD05"),
    ("US 3Q25", "exports", "US", "2025-Q3"),
    ("Korea's exports 2025-10", "exports", "", NOT_EXPORTS),
    ("India 2025 (May)", "exports", "IN", "2025-05"),
    ("Top-3 buyers, Q3 2025", "top", "", "2025-Q3"),
    ("US y/y change in 2025", "exports", "US", "2025"),
    ("从2025年1月到6月 美国", "exports", "US", "2025-YTD06"),
    ("美国 从1月到7月", "exports", "US", "2025-YTD07"),
    ("谁买得最少 2025年6月", "exports", "", "2025-06", ("最少",)),
    ("2025年6月最大的国家", "top", "", "2025-06"),
    ("美国全年出口", "exports", "US", "2026-03", ("全年",)),
    ("美国什么时候出口最多", "top", "", "2026-03", ("什么时候",)),
    ("US export value June 2025", "exports", "US", "2025-06"),
    ("美国出口额 2025年6月", "exports", "US", "2025-06"),
    ("chart top 2025-06", "chart", "", "2025-06"),
    ("2025年6月前五名图表", "chart", "", "2025-06"),
    ("German exports 2025-10", "exports", "", NOT_EXPORTS),
    ("0000", "exports", "", "error"),
    ("US & DE 2025-10", "compare", "US DE", "2025-10"),
    ("2025年9月哪个国家进口最多", "top", "", "2025-09"),
]


def _expect(row: tuple[object, ...]) -> tuple[str, str, str, str, tuple[str, ...], bool]:
    text, intent, partners, period, *rest = row
    unknown = rest[0] if rest else ()
    assert isinstance(text, str) and isinstance(intent, str) and isinstance(unknown, tuple)
    assert isinstance(partners, str) and isinstance(period, str)
    return text, intent, partners, period, unknown, FOLLOW in rest


def test_the_table_is_large_and_half_chinese() -> None:
    chinese = [r for r in QUESTIONS if any("\u4e00" <= c <= "\u9fff" for c in str(r[0]))]
    assert len(QUESTIONS) >= 150
    assert len(chinese) * 2 >= len(QUESTIONS)


@pytest.mark.parametrize("row", QUESTIONS, ids=[str(r[0]) for r in QUESTIONS])
def test_each_question_reads_as_expected(lookup: Lookup, row: tuple[object, ...]) -> None:
    text, intent, partners, period, unknown, follow = _expect(row)
    answer = ask(lookup, text, previous=PREVIOUS if follow else None, plain=True)
    assert answer.intent == intent
    assert " ".join(p.code for p in answer.heard.partners) == partners
    if period == NOT_EXPORTS:
        assert isinstance(answer.answer, OtherTrade)
    elif period == EVERY_MONTH:
        assert answer.heard.period is None
    elif period == "error":
        assert isinstance(answer.answer, PeriodProblem | PartnerProblem)
    else:
        assert answer.heard.period == Period.parse_code(period)
    assert answer.heard.unknown == unknown
    for message in reply(answer):
        assert html_problem(message) is None
    said = "\n".join(to_plain(m) for m in reply(answer))
    for word in unknown:
        assert f"did not understand “{word}”" in said


# -- the property: no reply states another period without saying so ----------------------

PARTNERS = ["US", "美国", "Germany", "德国", "India", "印度", "EU", "欧盟", "Japan", "日本", ""]
EXPLICIT = [
    lambda y, m: (f"{y}-{m:02d}", Period.month(y, m)),
    lambda y, m: (f"{MONTH_NAMES[m - 1]} {y}", Period.month(y, m)),
    lambda y, m: (f"{y}年{m}月", Period.month(y, m)),
    lambda y, m: (f"Q{(m + 2) // 3} {y}", Period.parse_code(f"{y}-Q{(m + 2) // 3}")),
    lambda y, m: (f"{y}年第{(m + 2) // 3}季度", Period.parse_code(f"{y}-Q{(m + 2) // 3}")),
    lambda y, m: (f"H{1 if m <= 6 else 2} {y}", Period.parse_code(f"{y}-H{1 if m <= 6 else 2}")),
    lambda y, m: (
        f"{y}年{'上' if m <= 6 else '下'}半年",
        Period.parse_code(f"{y}-H{1 if m <= 6 else 2}"),
    ),
    lambda y, m: (f"{y}年1-{m}月", Period(y, 1, m, "ytd") if m > 1 else Period.month(y, 1)),
    lambda y, m: (str(y), Period.parse_code(str(y))),
]
YEARLESS = [
    lambda m: (f"{MONTH_NAMES[m - 1]}", "month", m),
    lambda m: (f"{m}月", "month", m),
    lambda m: (f"Q{(m + 2) // 3}", "quarter", (m + 2) // 3),
    lambda m: (f"第{'一二三四'[(m + 2) // 3 - 1]}季度", "quarter", (m + 2) // 3),
    lambda m: ("上半年" if m <= 6 else "下半年", "half", 1 if m <= 6 else 2),
]
JUNK = ["", "blorp", "啦啦", "zzz"]


def _said(answer: Reply) -> str:
    return "\n".join(to_plain(m) for m in reply(answer))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(PARTNERS),
    st.integers(2023, 2026),
    st.integers(1, 12),
    st.sampled_from(EXPLICIT),
    st.sampled_from(JUNK),
)
def test_an_explicit_period_is_the_period_answered(lookup, who, year, month, form, junk):  # type: ignore[no-untyped-def]
    words, period = form(year, month)
    answer = ask(lookup, f"{who} {words} {junk}", plain=True)
    said = _said(answer)
    if isinstance(answer.answer, PeriodProblem):
        assert period.label in said  # "… is outside the data"
        return
    if isinstance(answer.answer, PartnerProblem):  # a lone unknown word is taken as a name
        assert not who and f"called “{junk}”" in said
        return
    assert answer.heard.period == period
    assert period.label in said
    if junk:
        assert f"did not understand “{junk}”" in said


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(PARTNERS), st.integers(1, 12), st.sampled_from(YEARLESS))
def test_a_period_without_a_year_says_which_year(lookup, who, month, form):  # type: ignore[no-untyped-def]
    words, kind, number = form(month)
    answer = ask(lookup, f"{who} {words}", plain=True)
    said = _said(answer)
    chosen = answer.heard.period
    if chosen is None:
        assert isinstance(answer.answer, PeriodProblem)
        return
    assert "I read this as" in said and chosen.label in said and "without a year" in said
    position = {"month": chosen.first_month, "quarter": (chosen.first_month + 2) // 3}
    position["half"] = 1 if chosen.first_month == 1 else 2
    assert chosen.kind == kind and position[kind] == number
