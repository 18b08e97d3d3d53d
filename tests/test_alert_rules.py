"""Alert rules (issue 16): typed rules in both languages and the exact rule each gives, unclear
ones and the problem each gives (every unknown word named as typed), keys that read back, and
each rule said back in English and Chinese. Against the real catalog of series."""

from __future__ import annotations

import html

import pytest

from bot.alerts import AlertProblem, AlertRule, Comparison, Metric, Trouble, read_alert
from bot.alerts.describe import describe, example_rule, explain
from bot.alerts.rules import MAX_KEY_BYTES, Understood
from bot.data.series import Catalog, project_catalog
from bot.datastore import Snapshot
from bot.render.alerts import EXAMPLES

M = "85051110"  # rare-earth magnets, the default series
T, MOM, YOY, S, R, D = Metric.TONNES, Metric.MOM, Metric.YOY, Metric.SHARE, Metric.RANK, Metric.YTD
LT, GT, LE, GE = Comparison.BELOW, Comparison.ABOVE, Comparison.AT_MOST, Comparison.AT_LEAST
HI, LO, REC = Comparison.RECORD_HIGH, Comparison.RECORD_LOW, Comparison.RECORD


@pytest.fixture(scope="module")
def catalog(request: pytest.FixtureRequest) -> Catalog:
    snapshot: Snapshot = request.getfixturevalue("snapshot")
    return snapshot.catalog


RULES: list[tuple[str, AlertRule]] = [
    # the issue's own examples
    ("US mom < -25%", AlertRule(M, "US", MOM, LT, -25)),
    ("DE share > 30%", AlertRule(M, "DE", S, GT, 30)),
    ("gallium WORLD yoy < -50%", AlertRule("gallium", "WORLD", YOY, LT, -50)),
    ("JP below 200 t", AlertRule(M, "JP", T, LT, 200)),
    ("US record", AlertRule(M, "US", T, REC)),
    ("美国 环比 < -25%", AlertRule(M, "US", MOM, LT, -25)),
    # natural variants, English
    ("US m/m below -25%", AlertRule(M, "US", MOM, LT, -25)),
    ("DE share above 30%", AlertRule(M, "DE", S, GT, 30)),
    ("gallium total y/y < -50", AlertRule("gallium", "WORLD", YOY, LT, -50)),
    ("JP tonnes < 200", AlertRule(M, "JP", T, LT, 200)),
    ("US rank <= 3", AlertRule(M, "US", R, LE, 3)),
    ("US ytd > 2000 t", AlertRule(M, "US", D, GT, 2000)),
    ("US month-on-month falls below -25%", AlertRule(M, "US", MOM, LT, -25)),
    ("United States year over year < -10 percent", AlertRule(M, "US", YOY, LT, -10)),
    ("South Korea share >= 10%", AlertRule(M, "KR", S, GE, 10)),
    ("IN share at least 5%", AlertRule(M, "IN", S, GE, 5)),
    ("US mom falls more than 25%", AlertRule(M, "US", MOM, LT, -25)),
    ("US yoy up by more than 100%", AlertRule(M, "US", YOY, GT, 100)),
    ("US top 3", AlertRule(M, "US", R, LE, 3)),
    ("US rank < 4", AlertRule(M, "US", R, LE, 3)),
    ("US rank > 5", AlertRule(M, "US", R, GE, 6)),
    ("US out of the top 5", AlertRule(M, "US", R, GE, 6)),
    ("US ytd >= 2,000.5 t", AlertRule(M, "US", D, GE, 2000.5)),
    ("US below 500 kg", AlertRule(M, "US", T, LT, 0.5)),
    ("gallium JP below 2 t", AlertRule("gallium", "JP", T, LT, 2000)),
    ("gallium JP kg < 200", AlertRule("gallium", "JP", T, LT, 200)),
    ("germanium DE tonnes at most 1", AlertRule("germanium", "DE", T, LE, 1000)),
    ("US record high", AlertRule(M, "US", T, HI)),
    ("DE share record low", AlertRule(M, "DE", S, LO)),
    ("rare earths mom > 10%", AlertRule("rare_earths", "WORLD", MOM, GT, 10)),
    ("rare-earth magnets US < 200 t", AlertRule(M, "US", T, LT, 200)),
    ("China US mom < -25%", AlertRule(M, "US", MOM, LT, -25)),
    ("alert me when US mom < -25%", AlertRule(M, "US", MOM, LT, -25)),
    ("EU share < 20%", AlertRule(M, "EU", S, LT, 20)),
    ("🇯🇵 yoy > 0%", AlertRule(M, "JP", YOY, GT, 0)),
    ("antimony US 200t or more", AlertRule("antimony", "US", T, GE, 200)),
    ("US mom < −25%", AlertRule(M, "US", MOM, LT, -25)),  # a true minus sign
    # Chinese
    ("美国 同比 下降超过 50%", AlertRule(M, "US", YOY, LT, -50)),
    ("德国 占比 > 30%", AlertRule(M, "DE", S, GT, 30)),
    ("日本 低于 200 吨", AlertRule(M, "JP", T, LT, 200)),
    ("美国 创纪录", AlertRule(M, "US", T, REC)),
    ("美国 创新高", AlertRule(M, "US", T, HI)),
    ("美国 创新低", AlertRule(M, "US", T, LO)),
    ("镓 总量 同比 < -50%", AlertRule("gallium", "WORLD", YOY, LT, -50)),
    ("美国环比低于-25%", AlertRule(M, "US", MOM, LT, -25)),
    ("德国 占比 不低于 30%", AlertRule(M, "DE", S, GE, 30)),
    ("美国 前三名", AlertRule(M, "US", R, LE, 3)),
    ("美国 跌出前三", AlertRule(M, "US", R, GE, 4)),
    ("美国 排名 <= 3", AlertRule(M, "US", R, LE, 3)),
    ("美国 年初至今 > 2000 吨", AlertRule(M, "US", D, GT, 2000)),
    ("镓 日本 低于 2 吨", AlertRule("gallium", "JP", T, LT, 2000)),
    ("镓 日本 低于 500 千克", AlertRule("gallium", "JP", T, LT, 500)),
    ("锗 德国 同比 增长超过 20%", AlertRule("germanium", "DE", YOY, GT, 20)),
    ("稀土 总量 同比 > 20%", AlertRule("rare_earths", "WORLD", YOY, GT, 20)),
    ("对美 环比 < -25%", AlertRule(M, "US", MOM, LT, -25)),
    ("德国 占比 创历史新高", AlertRule(M, "DE", S, HI)),
    ("美国 同比 下降超过 五十%", AlertRule(M, "US", YOY, LT, -50)),
    # traditional characters and full-width forms
    ("美國 環比 ＜ －25％", AlertRule(M, "US", MOM, LT, -25)),
    ("德國 份額 > 30％", AlertRule(M, "DE", S, GT, 30)),
    ("鎵 日本 同比 > 100%", AlertRule("gallium", "JP", YOY, GT, 100)),
    ("美國 創新高", AlertRule(M, "US", T, HI)),
    ("日本 低於 200 噸", AlertRule(M, "JP", T, LT, 200)),
    ("ＵＳ ｍｏｍ ＜ －２５％", AlertRule(M, "US", MOM, LT, -25)),
]


@pytest.mark.parametrize(("typed", "rule"), RULES, ids=[typed for typed, _ in RULES])
def test_a_typed_rule_gives_exactly_its_rule(catalog: Catalog, typed: str, rule: AlertRule) -> None:
    assert read_alert(typed, catalog) == rule


def test_the_tables_are_large_and_in_both_languages() -> None:
    chinese = [t for t, _ in RULES if not t.isascii() and any("\u4e00" <= c <= "\u9fff" for c in t)]
    assert len(RULES) >= 40 and len(chinese) >= 20
    assert len(PROBLEMS) >= 20


PROBLEMS: list[tuple[str, tuple[Trouble, ...], tuple[str, ...]]] = [
    # typed, the troubles found (in order), and every word named, as typed
    ("", (Trouble.EMPTY,), ()),
    ("US", (Trouble.NO_METRIC, Trouble.NO_COMPARISON, Trouble.NO_THRESHOLD), ()),
    ("US mom -25%", (Trouble.NO_COMPARISON,), ()),
    ("US mom <", (Trouble.NO_THRESHOLD,), ()),
    ("US below -25%", (Trouble.NO_METRIC,), ()),
    ("JP below 200", (Trouble.NO_METRIC,), ()),
    ("hello US mom < -25%", (Trouble.UNKNOWN_WORDS,), ("hello",)),
    ("US mom < -25% since May", (Trouble.UNKNOWN_WORDS,), ("since", "May")),
    ("美国 环比 < -25% 吧吧", (Trouble.UNKNOWN_WORDS,), ("吧吧",)),
    ("US Germny mom < -25%", (Trouble.UNKNOWN_WORDS,), ("Germny",)),
    ("galium US mom < -25%", (Trouble.UNKNOWN_WORDS,), ("galium",)),
    ("US DE mom < -25%", (Trouble.TWO_PARTNERS,), ("US", "DE")),
    ("美国 德国 占比 > 30%", (Trouble.TWO_PARTNERS,), ("美国", "德国")),
    ("Congo share > 5%", (Trouble.AMBIGUOUS_PARTNER,), ("Congo",)),
    ("gallium germanium US mom < -25%", (Trouble.TWO_MATERIALS,), ("gallium", "germanium")),
    ("镓 锗 美国 环比 < -25%", (Trouble.TWO_MATERIALS,), ("镓", "锗")),
    ("comtrade US mom < 1%", (Trouble.REFERENCE_SERIES,), ("comtrade",)),
    ("US mom yoy < -25%", (Trouble.TWO_METRICS,), ("mom", "yoy")),
    (
        "US mom < -25% > 10%",
        (Trouble.TWO_COMPARISONS, Trouble.TWO_THRESHOLDS),
        ("<", ">", "-25%", "10%"),
    ),
    ("US 2025 mom < -25", (Trouble.TWO_THRESHOLDS,), ("2025", "-25")),
    ("US < 200 t 200 kg", (Trouble.TWO_THRESHOLDS, Trouble.TWO_UNITS), ("200", "200", "t", "kg")),
    ("US share > 30 t", (Trouble.UNIT_OF_PERCENTAGE,), ("t",)),
    ("美国 环比 < 25 吨", (Trouble.UNIT_OF_PERCENTAGE,), ("吨",)),
    ("US tonnes > 30%", (Trouble.PERCENT_OF_QUANTITY,), ("30%",)),
    ("US rank < 3%", (Trouble.UNIT_OF_RANK,), ("3%",)),
    ("US share > 130%", (Trouble.OUT_OF_RANGE,), ("130%",)),
    ("US share < -5%", (Trouble.OUT_OF_RANGE,), ("-5%",)),
    ("US rank < 1", (Trouble.OUT_OF_RANGE,), ("1",)),
    ("US rank >= 1", (Trouble.OUT_OF_RANGE,), ("1",)),
    ("US yoy < -150%", (Trouble.OUT_OF_RANGE,), ("-150%",)),
    ("US < -5 t", (Trouble.OUT_OF_RANGE,), ("-5",)),
    ("US < 5000000 t", (Trouble.OUT_OF_RANGE,), ("5000000",)),
    ("US rank <= 2.5", (Trouble.NOT_WHOLE,), ("2.5",)),
    ("US rank below 3", (Trouble.RANK_IN_WORDS,), ("below",)),
    ("美国 排名 低于 3", (Trouble.RANK_IN_WORDS,), ("低于",)),
    ("US share falls more than 5%", (Trouble.CHANGE_OF_LEVEL,), ("falls more than",)),
    ("US mom falls more than -25%", (Trouble.SIGNED_CHANGE,), ("falls more than", "-25%")),
    (
        "US record > 200",
        (Trouble.TWO_COMPARISONS, Trouble.RECORD_WITH_THRESHOLD),
        ("record", ">", "200"),
    ),
    ("美国 创新高 200 吨", (Trouble.RECORD_WITH_THRESHOLD,), ("200",)),
    ("US yoy record", (Trouble.RECORD_OF_METRIC,), ("yoy",)),
    ("share > 30%", (Trouble.TOTAL_HAS_NO_SHARE,), ("share",)),
    ("镓 总量 排名 <= 3", (Trouble.TOTAL_HAS_NO_SHARE,), ("排名",)),
    (
        "US mom < -25% 创新高",
        (Trouble.TWO_COMPARISONS, Trouble.RECORD_WITH_THRESHOLD, Trouble.RECORD_OF_METRIC),
        ("创新高", "<", "-25%", "mom"),
    ),
    (
        "hello",
        (Trouble.UNKNOWN_WORDS, Trouble.NO_METRIC, Trouble.NO_COMPARISON, Trouble.NO_THRESHOLD),
        ("hello",),
    ),
]


@pytest.mark.parametrize(
    ("typed", "troubles", "words"), PROBLEMS, ids=[typed or "(empty)" for typed, _, _ in PROBLEMS]
)
def test_an_unclear_rule_gives_its_problem_and_names_its_words(
    catalog: Catalog, typed: str, troubles: tuple[Trouble, ...], words: tuple[str, ...]
) -> None:
    problem = read_alert(typed, catalog)
    assert isinstance(problem, AlertProblem)
    assert problem.troubles == troubles
    assert tuple(word for issue in problem.issues for word in issue.words) == words
    for word in problem.unknown:
        assert word in typed  # named exactly as typed


def test_unknown_words_are_named_as_typed_whatever_the_form(catalog: Catalog) -> None:
    problem = read_alert("ＵＳ ｈｅｌｌｏ mom < -25% 歷史", catalog)
    assert isinstance(problem, AlertProblem)
    assert problem.unknown == ("ｈｅｌｌｏ", "歷史")


def test_a_problem_keeps_what_was_understood_for_its_example(catalog: Catalog) -> None:
    problem = read_alert("gallium DE share", catalog)
    assert isinstance(problem, AlertProblem)
    assert problem.understood == Understood("gallium", "DE", S)
    assert example_rule(problem) == "/alert gallium DE share > 30%"
    total = read_alert("gallium total rank", catalog)
    assert isinstance(total, AlertProblem)
    assert example_rule(total) == "/alert gallium US rank <= 3"  # China's total has no rank
    kg = read_alert("germanium JP", catalog)
    assert isinstance(kg, AlertProblem)
    assert example_rule(kg) == "/alert germanium JP mom < -25%"


# -- keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "rule"), RULES, ids=[typed for typed, _ in RULES])
def test_every_rule_read_back_from_its_key(typed: str, rule: AlertRule) -> None:
    key = rule.key()
    assert key.isascii() and len(key.encode()) <= MAX_KEY_BYTES
    assert AlertRule.from_key(key) == rule


def test_keys_are_stable_and_compact() -> None:
    assert AlertRule(M, "US", MOM, LT, -25).key() == "85051110:US:Mlt-25"
    assert AlertRule("gallium", "WORLD", YOY, LT, -50).key() == "gallium:WORLD:Ylt-50"
    assert AlertRule(M, "US", T, REC).key() == "85051110:US:Trc"
    assert AlertRule(M, "US", D, GE, 2000.5).key() == "85051110:US:Dge2000.5"
    assert AlertRule(M, "US", T, LT, 0.5).key() == "85051110:US:Tlt0.5"
    longest = AlertRule("rare_earths", "NORTH_AMERICA", D, GE, 1_199_999.999)
    assert len(longest.key()) <= MAX_KEY_BYTES


@pytest.mark.parametrize(
    "key",
    [
        "",
        "85051110:US",
        "85051110:US:Xlt-25",
        "85051110:US:Mzz-25",
        "85051110:US:Mlt",  # a threshold missing
        "85051110:US:Trc5",  # a record with one
        "85051110:US:Mlt-25.0",  # not as a key writes it
        "85051110:US:Mltabc",
        "85051110:US:Rlt3",  # a rank is at most or at least a place
        "85051110:US:Yhi",  # no record of a change
        "85051110:US:Mlt-25:x",
        "a" * 35 + ":US:Mlt-25",
    ],
)
def test_a_key_that_is_none_is_refused(key: str) -> None:
    with pytest.raises(ValueError):
        AlertRule.from_key(key)


def test_the_model_refuses_rules_that_are_none() -> None:
    with pytest.raises(ValueError):
        AlertRule(M, "US", MOM, LT, None)
    with pytest.raises(ValueError):
        AlertRule(M, "US", R, LE, 2.5)
    with pytest.raises(ValueError):
        AlertRule(M, "US", YOY, REC)


# -- said back -----------------------------------------------------------------------------

DESCRIBED: list[tuple[str, str, str]] = [
    (
        "US mom < -25%",
        "United States: alert when the month-on-month change falls below −25%",
        "美国：环比低于 −25% 时提醒",
    ),
    (
        "DE share > 30%",
        "Germany: alert when the share of China's total rises above 30%",
        "德国：在中国出口总量中的占比高于 30% 时提醒",
    ),
    (
        "gallium WORLD yoy < -50%",
        "China's total (gallium): alert when the year-on-year change falls below −50%",
        "中国出口总量（镓）：同比低于 −50% 时提醒",
    ),
    (
        "JP below 200 t",
        "Japan: alert when a month's exports fall below 200 t",
        "日本：月出口量低于 200 吨时提醒",
    ),
    (
        "US record",
        "United States: alert when a month's exports are the highest or the lowest in the data's history",  # noqa: E501
        "美国：月出口量创历史新高或新低时提醒",
    ),
    (
        "美国 创新高",
        "United States: alert when a month's exports are the highest in the data's history",
        "美国：月出口量创历史新高时提醒",
    ),
    (
        "DE share record low",
        "Germany: alert when the share of China's total is the lowest in the data's history",
        "德国：在中国出口总量中的占比创历史新低时提醒",
    ),
    (
        "US rank <= 3",
        "United States: alert when it ranks in the top 3",
        "美国：排名进入前3名时提醒",
    ),
    (
        "美国 跌出前三",
        "United States: alert when it ranks #4 or lower",
        "美国：排名在第4名或之后时提醒",
    ),
    (
        "US ytd >= 2,000.5 t",
        "United States: alert when the year to date is 2,000.5 t or more",
        "美国：年初至今累计出口量不低于 2,000.5 吨时提醒",
    ),
    (
        "gallium JP below 2 t",
        "Japan (gallium): alert when a month's exports fall below 2,000 kg",
        "日本（镓）：月出口量低于 2,000 千克时提醒",
    ),
    (
        "US yoy > 30%",
        "United States: alert when the year-on-year change rises above +30%",
        "美国：同比高于 +30% 时提醒",
    ),
    (
        "IN share at least 5%",
        "India: alert when the share of China's total is 5% or more",
        "印度：在中国出口总量中的占比不低于 5% 时提醒",
    ),
    (
        "tungsten JP ytd < 100 t",
        "Japan (tungsten (APT)): alert when the year to date falls below 100 t",
        "日本（钨（仲钨酸铵））：年初至今累计出口量低于 100 吨时提醒",
    ),
]


@pytest.mark.parametrize(
    ("typed", "english", "chinese"), DESCRIBED, ids=[t for t, _, _ in DESCRIBED]
)
def test_a_rule_is_said_back_in_both_languages(
    catalog: Catalog, typed: str, english: str, chinese: str
) -> None:
    rule = read_alert(typed, catalog)
    assert isinstance(rule, AlertRule)
    assert describe(rule, "en") == english
    assert describe(rule, "zh") == chinese


def test_every_rule_the_reader_gives_can_be_said(catalog: Catalog) -> None:
    for typed, rule in RULES:
        for language in ("en", "zh"):
            assert describe(rule, language), typed


def test_a_problem_is_said_with_an_example_in_both_languages(catalog: Catalog) -> None:
    problem = read_alert("hello US mom < -25%", catalog)
    assert isinstance(problem, AlertProblem)
    assert explain(problem, "en") == (
        "I did not understand “hello”, so I have not set an alert. "
        "For example: /alert US mom &lt; -25%"
    )
    assert (
        explain(problem, "zh")
        == "我没有理解“hello”，所以没有设置提醒。例如：/alert 美国 环比 &lt; -25%"
    )
    share = read_alert("US share > 130%", catalog)
    assert isinstance(share, AlertProblem)
    assert explain(share, "zh") == (
        "占比介于 0% 和 100% 之间：“130%”没有可提醒的情况。例如：/alert 美国 占比 &gt; 30%"
    )


def test_every_problem_can_be_said_and_escapes_the_words(catalog: Catalog) -> None:
    for typed, _, _ in PROBLEMS:
        problem = read_alert(typed, catalog)
        assert isinstance(problem, AlertProblem)
        for language in ("en", "zh"):
            assert "For example: /alert" in explain(problem, "en")
            assert explain(problem, language)
    marked = read_alert("<i>x US mom < -25%", catalog)
    assert isinstance(marked, AlertProblem)
    assert "<i>" not in explain(marked, "en")


def test_every_example_the_bot_offers_reads_back_as_a_rule() -> None:
    """The rules /alerts offers and the examples a problem ends with, in both languages,
    are rules the reader takes."""
    catalog = project_catalog()
    for language, examples in EXAMPLES.items():
        for example in examples:
            typed = html.unescape(example).removeprefix("/alert ")
            assert isinstance(read_alert(typed, catalog), AlertRule), (language, example)
    for metric in Metric:
        for series, partner in (("85051110", "US"), ("gallium", "WORLD"), ("gallium", None)):
            problem = AlertProblem((), Understood(series, partner, metric))
            for language in ("en", "zh"):
                typed = example_rule(problem, language).removeprefix("/alert ")
                assert isinstance(read_alert(typed, catalog), AlertRule), (language, typed)


def test_total_and_in_are_never_dropped_from_a_watchlist_or_a_rule() -> None:
    from bot.alerts.watching import read_watch

    catalog = project_catalog()
    assert read_watch("美国 德国 总量", catalog).partners == ("WORLD", "US", "DE")
    assert read_watch("DE total", catalog).partners == ("WORLD", "DE")
    lowercase = read_watch("us in", catalog)
    assert [(u.word, u.maybe) for u in lowercase.unread] == [("in", ("IN",))]
    assert read_watch("DE IN", catalog).partners == ("DE", "IN")
    alone = read_alert("in below 100 t", catalog)
    assert isinstance(alone, AlertProblem) and alone.issues[0].words == ("in",)
    beside = read_alert("US in tonnes below 100", catalog)
    assert isinstance(beside, AlertRule) and beside.partner == "US"
