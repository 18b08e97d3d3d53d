"""The problems the reader's grammar, the lookup and the conversation find in a question are
said in the reader's language: asked in Chinese through the real Application, each answer
says it in Chinese, with no Latin word left but the commands, codes and words the user typed;
asked in English, it says what it always said. The grammar's problems are values
(:mod:`bot.reading.misreadings`), worded in :mod:`bot.render.misreadings`; a message that
module can say and no case here builds fails :func:`test_every_misreading_message_is_built`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from bot.console import LocalChat
from bot.conversation import SERIES_ONLY_EXPORTS, Heard, Unclear
from bot.i18n import Said
from bot.i18n.formats import say
from bot.lookup import Lookup, PeriodProblem
from bot.reading.misreadings import (
    Misreading,
    NoFirstQuarters,
    NoSuchMonth,
    NoSuchSpan,
    NotFromJanuary,
    NotMonthSpan,
    OtherPartners,
    TwoPeriods,
    UnknownWords,
    Unreadable,
)
from bot.render import answers
from bot.render.conversation import unclear
from bot.render.misreadings import said_of
from bot.render.telegram_html import MAX_TEXT, html_problem, to_plain

ROOT = Path(__file__).resolve().parent.parent

#: (a question in Chinese, its problem's line; the question in English, the line as before).
CASES = [
    (
        "/exports 美国 2025-13",
        "🗓 无法将“2025-13”识别为时段：一年只有12个月，没有13月。",
        "/exports US 2025-13",
        "🗓 I couldn't read “2025-13” as a period: there is no month 13.",
    ),
    (
        "/exports 美国 2025年5季度",
        "🗓 无法将“2025年5季度”识别为时段：一年只有四个季度，没有第5季度。",
        "/exports US Q5 2025",
        "🗓 I couldn't read “Q5 2025” as a period: there is no Q5.",
    ),
    (
        "/exports 美国 H3 2025",
        "🗓 无法将“H3 2025”识别为时段：一年只有上半年和下半年，没有 H3。",
        "/exports US H3 2025",
        "🗓 I couldn't read “H3 2025” as a period: there is no H3.",
    ),
    (
        "/exports 美国 前5季度",
        "🗓 无法将“前5季度”识别为时段：一年只有四个季度，没有前5季度。",
        "/exports US 前5季度",
        "🗓 I couldn't read “前5季度” as a period: there is no first 5 quarters.",
    ),
    (
        "/exports 美国 7-3月",
        "🗓 无法将“7-3月”识别为时段：7至3不是有效的月份区间。",
        "/exports US ytd 13",
        "🗓 I couldn't read “ytd 13” as a period: 1 to 13 is not a span of months.",
    ),
    (
        "/exports 美国 3-5月",
        "🗓 无法将“3-5月”识别为时段：我只计算从1月开始的累计（年初至今）、半年、季度和全年的合计；"
        "3–5月不在其列。",
        "/exports US Mar-May 2025",
        "🗓 I couldn't read “Mar-May 2025” as a period: I total spans that start in January "
        "(year to date), halves, quarters and years; Mar–May is not one of them.",
    ),
    (
        "/exports 美国 2025-6-7",
        "🗓 无法将“7”识别为时段。",
        "/exports US 2025-6-7",
        "🗓 I couldn't read “7” as a period.",
    ),
    (
        "/exports 美国 2025年6月 2025年7月",
        "🗓 我读到了两个时段：“2025年6月”和“2025年7月”；请一次只问一个。",
        "/exports US June 2025 July 2025",
        "🗓 I read two periods, “June 2025” and “July 2025”; ask for one at a time.",
    ),
    (
        "/chart 美国 德国",
        "🗓 这里一次只回答一个贸易伙伴；“德国”需要另行提问。",
        "/chart US DE",
        "🗓 This answers one partner at a time; “DE” would need its own request.",
    ),
    (
        "/csv 美国 日本 德国",
        "🗓 这里一次只回答一个贸易伙伴；“日本”、“德国”需要另行提问。",
        "/csv US JP DE",
        "🗓 This answers one partner at a time; “JP”, “DE” would need its own request.",
    ),
    (
        "/chart 美国 <b>",
        "🗓 我没有理解“<b>”。",
        "/chart US <b>",
        "🗓 I did not understand “<b>”.",
    ),
    (
        "/summary 2025年上半年",
        "🗓 摘要按月编写；2025年上半年是一个时段，不是单个月份。请试试 2025-06。",
        "/summary H1 2025",
        "🗓 Summaries are monthly; H1 2025 is a span. Try 2025-06.",
    ),
    (
        "/summary 钨 2025年6月",
        "🗓 摘要按月编写，而钨（仲钨酸铵）只公布全年和年初至今的合计数，没有逐月数据。"
        "最近的合计数：/exports tungsten 2025-YTD11",
        "/summary tungsten 2025-06",
        "🗓 Summaries are monthly, and tungsten (APT) is published only as yearly and "
        "year-to-date totals, not month by month. Its latest total: /exports tungsten 2025-YTD11",
    ),
    (
        "所有材料 美国 xyz",
        "🗓 我没有理解“xyz”；/exports all 只回答一个贸易伙伴、一个时段。",
        "/exports all US xyz",
        "🗓 I did not understand “xyz”; /exports all answers one partner and period.",
    ),
    (
        "/exports all 美国 排名",
        "🗓 我没有理解这部分内容；/exports all 只回答一个贸易伙伴、一个时段。",
        "/exports all US top",
        "🗓 I did not understand that; /exports all answers one partner and period.",
    ),
    (
        "/exports all 美国 德国",
        "🗓 /exports all 一次只查询一个贸易伙伴；美国和德国是多个贸易伙伴。",
        "/exports all US DE",
        "🗓 /exports all is for one partner at a time; United States and Germany are several.",
    ),
    (
        "所有材料 美国 2025年13月",
        "🗓 无法将“2025年13月”识别为时段：一年只有12个月，没有13月。",
        "/exports all US 2025-13",
        "🗓 I couldn't read “2025-13” as a period: there is no month 13.",
    ),
    (
        "美国 德国 图表",
        "🗓 一张图表只显示一个贸易伙伴；请试试 /chart US 或 /chart DE。",
        "US DE chart",
        "🗓 A chart shows one partner; try /chart US or /chart DE.",
    ),
    (
        "对比美国",
        "🗓 如需对比，请说出两个或更多贸易伙伴，例如 /exports US vs DE。",
        "compare US",
        "🗓 To compare, name two or more partners, for example /exports US vs DE.",
    ),
    (
        "美国" * 101,
        "🤔 问题超过了我能读取的长度（200 个字符），因此我没有回答：后面的内容可能会改变问题。"
        "请一次只问一个问题。",
        "US " * 70,
        "🤔 That is longer than I read (200 characters), so I have not answered: the rest may "
        "change the question. Ask one question at a time.",
    ),
    (
        "/comtrade 镓",
        "🤔 /comtrade 依据联合国商品贸易统计数据库的 HS 850511 作答，该编码只涵盖永磁体（所有金属"
        "永磁体，产品范围比中国的 85051110 更广），不含镓。查询镓请用 /exports gallium",
        "/comtrade gallium",
        "🤔 /comtrade answers from UN Comtrade's HS 850511, which is permanent magnets only (all "
        "metal permanent magnets, a broader product than China's 85051110), not gallium. For "
        "gallium ask /exports gallium",
    ),
]

#: What may stay in Latin letters in a Chinese answer: commands and their words, codes.
COMMAND = re.compile(r"/[a-z]+(?: (?:all|vs|tungsten|gallium|[A-Z]{2}|\d{4}-\w+))*")
KEPT = ("HS 850511",)


def latin_left(text: str, question: str) -> list[str]:
    """The Latin words of a Chinese answer once the commands, codes and the words the user
    typed are taken away."""
    for typed in sorted(question.split(), key=len, reverse=True):
        text = text.replace(typed, "")
    for kept in KEPT:
        text = text.replace(kept, "")
    return re.findall(r"[A-Za-z]+", COMMAND.sub("", text))


async def replies(chat: LocalChat, *questions: str) -> str:
    """The bot's last reply (plain text), every message checked as Telegram HTML."""
    texts: list[str] = []
    for question in questions:
        calls = await chat.send(question)
        texts = [str(c.params["text"]) for c in calls if c.method == "sendMessage"]
        for message in texts:
            assert html_problem(message) is None and len(message) <= MAX_TEXT
    return "\n".join(to_plain(t) for t in texts)


def problem_line(answer: str) -> str:
    return next(line for line in answer.splitlines() if line.startswith(("🗓", "🤔")))


@pytest.mark.parametrize(("chinese", "said_zh", "english", "said_en"), CASES)
async def test_a_problem_is_said_in_chinese(
    auto_chat: LocalChat, chinese: str, said_zh: str, english: str, said_en: str
) -> None:
    answer = await replies(auto_chat, chinese)
    assert problem_line(answer) == said_zh
    assert not latin_left(answer, chinese), answer


@pytest.mark.parametrize(("chinese", "said_zh", "english", "said_en"), CASES)
async def test_the_english_problem_is_unchanged(
    chat: LocalChat, chinese: str, said_zh: str, english: str, said_en: str
) -> None:
    assert problem_line(await replies(chat, english)) == said_en


async def test_a_follow_up_before_each_material_s_latest_period(auto_chat: LocalChat) -> None:
    answer = await replies(auto_chat, "全部 日本", "前一个月呢?")
    assert problem_line(answer).startswith(
        "🗓 您上一个问题查询的是每种材料各自的最近时段，而这些时段各不相同，因此没有统一的"
        "“前一个时段”。请直接说明月份，例如 /exports all JP 20"
    )
    assert not latin_left(answer, ""), answer


async def test_the_follow_up_in_english_is_unchanged(chat: LocalChat) -> None:
    answer = await replies(chat, "all materials to Japan", "and the month before?")
    assert problem_line(answer).startswith(
        "🗓 Your last question asked for each material's latest period, and they differ, so "
        "there is no one period before it. Name the month, e.g. /exports all JP 20"
    )


def test_the_lookup_s_own_problems_in_both_languages(lookup: Lookup) -> None:
    """The problems of ``Lookup.exports`` and ``Lookup.summary`` (the command line and the
    operators' /preview reach them)."""
    cases = [
        (
            lookup.exports("US DE 2025-06"),
            "This answer is for one partner; United States and Germany are several.",
            "这个回答只针对一个贸易伙伴；美国和德国是多个贸易伙伴。",
        ),
        (
            lookup.exports("US xyz"),
            "I did not understand “xyz”; ask with /exports first.",
            "我没有理解“xyz”；请先用 /exports 提问。",
        ),
        (
            lookup.exports("China imports from Germany"),
            "I did not understand the direction of trade; ask with /exports first.",
            "我没有理解贸易方向；请先用 /exports 提问。",
        ),
        (
            lookup.summary("US 2025-06"),
            "I couldn't read “US” as a month.",
            "无法将“US”识别为月份。",
        ),
    ]
    for answer, english, chinese in cases:
        assert isinstance(answer, PeriodProblem)
        assert isinstance(answer.message, Said)
        assert str(answer.message) == english
        assert to_plain(answers.problem(answer, "zh")).splitlines()[0] == f"🗓 {chinese}"


def test_the_reference_series_reason_in_both_languages() -> None:
    answer = Unclear((), "", SERIES_ONLY_EXPORTS)
    assert to_plain(unclear(answer, Heard(), "en")) == (
        "🤔 UN Comtrade's HS 850511 answers one partner and period at a time, for example "
        "/comtrade US 2025-06. Rankings, charts, summaries and comparisons use China's customs "
        "series (85051110), never mixed with it: /top, /chart, /summary, /exports US vs DE."
    )
    chinese = to_plain(unclear(answer, Heard(), "zh"))
    assert chinese.startswith("🤔 联合国商品贸易统计数据库的 HS 850511 一次只回答一个贸易伙伴")
    assert not re.findall(r"[A-Za-z]+", COMMAND.sub("", chinese.replace("HS 850511", "")))


#: Every misreading: its English, as the grammar always said it, and its Chinese.
MISREADINGS: list[tuple[Misreading, str, str]] = [
    (Unreadable("12345"), "I couldn't read “12345” as a period.", "无法将“12345”识别为时段。"),
    (
        Unreadable("2025-13", NoSuchMonth(13)),
        "I couldn't read “2025-13” as a period: there is no month 13.",
        "无法将“2025-13”识别为时段：一年只有12个月，没有13月。",
    ),
    (
        Unreadable("Q5", NoSuchSpan("quarter", 5)),
        "I couldn't read “Q5” as a period: there is no Q5.",
        "无法将“Q5”识别为时段：一年只有四个季度，没有第5季度。",
    ),
    (
        Unreadable("H3", NoSuchSpan("half", 3)),
        "I couldn't read “H3” as a period: there is no H3.",
        "无法将“H3”识别为时段：一年只有上半年和下半年，没有 H3。",
    ),
    (
        Unreadable("前6季度", NoFirstQuarters(6)),
        "I couldn't read “前6季度” as a period: there is no first 6 quarters.",
        "无法将“前6季度”识别为时段：一年只有四个季度，没有前6季度。",
    ),
    (
        Unreadable("9-2月", NotMonthSpan(9, 2)),
        "I couldn't read “9-2月” as a period: 9 to 2 is not a span of months.",
        "无法将“9-2月”识别为时段：9至2不是有效的月份区间。",
    ),
    (
        Unreadable("Oct-Dec", NotFromJanuary(10, 12)),
        "I couldn't read “Oct-Dec” as a period: I total spans that start in January (year to "
        "date), halves, quarters and years; Oct–Dec is not one of them.",
        "无法将“Oct-Dec”识别为时段：我只计算从1月开始的累计（年初至今）、半年、季度和全年的合计；"
        "10–12月不在其列。",
    ),
    (
        TwoPeriods(("May", "June", "<b>")),
        "I read two periods, “May” and “June” and “&lt;b&gt;”; ask for one at a time.",
        "我读到了两个时段：“May”和“June”和“&lt;b&gt;”；请一次只问一个。",
    ),
    (
        OtherPartners(("DE",)),
        "This answers one partner at a time; “DE” would need its own request.",
        "这里一次只回答一个贸易伙伴；“DE”需要另行提问。",
    ),
    (
        UnknownWords(("xyz", "&")),
        "I did not understand “xyz”, “&amp;”.",
        "我没有理解“xyz”、“&amp;”。",
    ),
]


@pytest.mark.parametrize(("misreading", "english", "chinese"), MISREADINGS)
def test_a_misreading_in_each_language(misreading: Misreading, english: str, chinese: str) -> None:
    said = said_of(misreading)
    assert say(said, "en") == english
    assert say(said, "zh") == chinese


def messages(said: Said) -> set[str]:
    """The catalog messages a :class:`Said` uses, within it too."""
    found = {said.message}
    for _, value in said.values:
        if isinstance(value, Said):
            found |= messages(value)
        elif isinstance(value, tuple):
            found |= {m for v in value if isinstance(v, Said) for m in messages(v)}
    return found


def test_every_misreading_message_is_built() -> None:
    """A new problem of the grammar gets its case in :data:`MISREADINGS`, and its Chinese."""
    path = ROOT / "bot" / "render" / "misreadings.py"
    made = {message for _, message, _, _ in extract_from_file("python", path, {"said": (1,)})}
    built = {m for misreading, _, _ in MISREADINGS for m in messages(said_of(misreading))}
    assert made <= built, made - built
