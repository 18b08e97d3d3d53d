"""The Chinese answers to the questions a Chinese-speaking analyst, trader or journalist asks,
each compared exactly with its block in ``tests/golden/chinese_answers.md``.

Every answer there was checked by hand once, as a Chinese financial editor would: correct and
natural Chinese, one set of terms (环比, 同比, 吨, 千克, 年初至今, 来源), no English where Chinese
belongs (commands, codes, source titles and URLs stay as they are), the same numbers as the
English answer, every placeholder filled. The questions run through the real Application
(:class:`bot.console.LocalChat`), each in a chat of its own: a private chat of a user whose
Telegram app is in Chinese, a question written in Chinese, a user who chose ``/lang zh``, a
group whose administrator set ``/lang zh``, a button pressed under an answer, an inline query.

Where the bot's answer is wrong, mixed-language or clumsy, the golden block holds the answer
as it should read, and the question carries its :class:`Fix`: what the bot says now, and what
it should say. Such a question is an expected failure (strict), and fails in earnest if
anything else in its answer changes; once the bot is fixed it passes, and strictness says to
remove the :class:`Fix`.

A changed answer is a changed golden block, seen in review. After checking a change by hand,
``PYTHONPATH=. .venv/bin/python -m tests.test_chinese_answers`` rewrites the file (a block
whose whole answer is replaced by a :class:`Fix` is kept as it is).
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

from bot.config import Settings
from bot.console import LocalChat
from bot.datastore import DataStore
from bot.offline import ApiCall
from bot.push.storage import Store
from bot.render.telegram_html import MAX_TEXT, html_problem, to_plain
from bot.services import BotContext, Services
from bot.updates import LOCAL_USER, callback_update
from tests.conftest import DATA_DIR, TODAY

GOLDEN = Path(__file__).resolve().parent / "golden" / "chinese_answers.md"
ANSWER = "<!-- answer -->"

GROUP = -100_555
ADMIN: dict[str, Any] = {"id": 11, "is_bot": False, "first_name": "管理员"}
MEMBER: dict[str, Any] = {"id": 12, "is_bot": False, "first_name": "王"}
ZH_USER: dict[str, Any] = {
    "id": 21,
    "is_bot": False,
    "first_name": "李",
    "language_code": "zh-hans",
}
EN_USER: dict[str, Any] = {"id": 22, "is_bot": False, "first_name": "Ann", "language_code": "en"}

Sent = Literal["zh-app", "written", "lang-zh", "group", "group-admin", "inline"]

#: How each question is sent, as the golden file says it.
SENT: dict[Sent, str] = {
    "zh-app": "private chat; the user's Telegram app is in Chinese (zh-hans); no /lang",
    "written": (
        "private chat; no /lang, the Telegram app's language unknown; the question is written "
        "in Chinese"
    ),
    "lang-zh": "private chat; the user's Telegram app is in English and the chat chose /lang zh",
    "group": "a group whose administrator sent /lang zh; asked by a member",
    "group-admin": "a group whose administrator sent /lang zh; sent by the administrator",
    "inline": "inline query (@ExportWatchBot …) by a user whose Telegram app is in Chinese",
}


@dataclass(frozen=True)
class Fix:
    """A problem in an answer: ``wrong``, what it says now, should read ``right``. With
    ``wrong`` empty, the whole answer is wrong (English, say): the golden block holds it as it
    should read, and ``right`` says how."""

    why: str
    wrong: str
    right: str


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    sent: Sent
    asks: str  # what the question covers, for the reader of the golden file
    before: tuple[str, ...] = ()  # sent first in the same chat (by the administrator in groups)
    press: str = ""  # the label of the button pressed under the answer to ``text``
    fixes: tuple[Fix, ...] = ()


# -- the problems found, each with what it should read ------------------------------------------


def colon(label: str) -> Fix:
    """A bullet of a month or a span followed by an ASCII colon (bot/render/nearby.py)."""
    return Fix("an ASCII colon after a Chinese label", f"• {label}: ", f"• {label}：")


def commas(wrong: str) -> Fix:
    """Months listed with ASCII commas (bot/render/nearby.py: ``", ".join``)."""
    return Fix("a Chinese list separated by ASCII commas", wrong, wrong.replace(", ", "、"))


def colons(*labels: str) -> tuple[Fix, ...]:
    return tuple(colon(label) for label in labels)


UNRANKED_FIGURE = Fix(
    "the reason for no rank numbers is English (bot/ranking.py _TOO_FEW, not translated)",
    "不标排名：too few countries have a figure to rank them。",
    "不标排名：有数据的国家太少，无法排名。",
)
UNRANKED_TOTAL = Fix(
    "the reason for no rank numbers is English (bot/ranking.py _TOO_FEW, not translated)",
    "不标排名：too few countries have a total to rank them。",
    "不标排名：有合计数字的国家太少，无法排名。",
)


def at_least(share: str) -> Fix:
    return Fix(
        "“占…的 至少 x%”: “at least” dropped into the middle of the sentence",
        f"所列国家占中国出口总量的 至少 {share}。",
        f"所列国家合计至少占中国出口总量的 {share}。",
    )


STATUS_SPACE = Fix(
    "a space after “。” before the overdue note, and “下一个” where /materials says “下一期”",
    "下一个：2026年4月，预计在2026年5月20日前后（中国海关约在次月20日前后公布分国别明细）。 已逾期",
    "下一期：2026年4月，预计在2026年5月20日前后（中国海关约在次月20日前后公布分国别明细）。已逾期",
)


def rejected_total(period: str, period_zh: str, amount: str, used: str) -> Fix:
    return Fix(
        "why a published total is set aside is English in /exports (bot/render/answers.py "
        "_total_line passes the metrics' reason through esc(), not through sources.why_text)",
        f"its source counts {period} as {amount} t, where the sources' {used} t is used",
        f"其来源将{period_zh}记为 {amount} 吨，而采用的是各来源的 {used} 吨",
    )


QUESTIONS = [
    # -- help ---------------------------------------------------------------------------------
    Question(
        "start",
        "/start",
        "zh-app",
        "/start for a user whose app is in Chinese",
    ),
    Question(
        "help",
        "/help",
        "zh-app",
        "/help for a user whose app is in Chinese",
    ),
    # -- /exports: countries by Chinese name, code and English name ----------------------------
    Question(
        "exports-chinese-name",
        "/exports 美国",
        "zh-app",
        "a country by its Chinese name, the latest month",
    ),
    Question(
        "exports-code-month",
        "/exports DE 2025-06",
        "lang-zh",
        "a country by its ISO code and a month, in a chat that chose Chinese",
    ),
    Question(
        "exports-english-name",
        "/exports Japan",
        "group",
        "a country by its English name, the latest month, in a group set to Chinese",
    ),
    Question(
        "headline",
        "中国6月对美国出口了多少稀土磁铁？",
        "zh-app",
        "the issue's own question: a month without its year",
    ),
    # -- periods ------------------------------------------------------------------------------
    Question(
        "quarter",
        "日本 二季度",
        "written",
        "a quarter without its year",
    ),
    Question("quarter-sum", "美国 2025年第三季度", "written", "a quarter that is a sum of months"),
    Question(
        "half",
        "/exports 德国 2025年上半年",
        "zh-app",
        "a half with a published total",
    ),
    Question(
        "half-value",
        "/exports 欧盟 2025年上半年",
        "zh-app",
        "the EU's half year, with its value in US dollars",
    ),
    Question(
        "year",
        "印度 2025年",
        "written",
        "a year",
    ),
    Question("year-to-date", "/exports 美国 年初至今", "zh-app", "year to date"),
    Question("this-year", "德国 今年", "zh-app", "this year, which has no figure yet"),
    Question("latest", "最新", "written", "最新: China's total, the latest month"),
    Question("last-month", "上个月", "zh-app", "上个月, counted from today: after the data"),
    # -- follow-ups (private chats) -----------------------------------------------------------
    Question(
        "follow-up-partner",
        "那日本呢？",
        "zh-app",
        "a follow-up naming another partner",
        before=("中国6月对美国出口了多少稀土磁铁？",),
    ),
    Question(
        "follow-up-month",
        "上个月呢？",
        "zh-app",
        "a follow-up asking for the month before, which has no figure",
        before=("中国6月对美国出口了多少稀土磁铁？", "那日本呢？"),
    ),
    # -- comparisons and rankings -------------------------------------------------------------
    Question(
        "compare",
        "美国和德国",
        "zh-app",
        "two partners compared, no period",
    ),
    Question(
        "top-month",
        "/top 2025-06 5",
        "zh-app",
        "/top of a month, five partners",
    ),
    Question(
        "top-five",
        "前五名",
        "written",
        "前五名 with no period: the latest month",
    ),
    Question(
        "top-half",
        "/top 2025年上半年",
        "group",
        "/top of a half: lower bounds, no rank numbers",
    ),
    Question("top-who-bought", "2025年10月谁买得最多", "written", "who bought the most in a month"),
    Question(
        "top-germanium",
        "/top 锗 2025年上半年",
        "group",
        "/top of another material (kg), counting span totals",
    ),
    # -- the summary and the sources ----------------------------------------------------------
    Question(
        "summary",
        "/summary 2025-06",
        "zh-app",
        "the seed's month: every figure of its Key Data Summary",
    ),
    Question(
        "sources",
        "/sources US 2025-06",
        "zh-app",
        "the sources of every figure",
    ),
    # -- other materials ----------------------------------------------------------------------
    Question("gallium", "/exports 镓", "zh-app", "gallium (kg), China's total, the latest month"),
    Question(
        "gallium-kg", "镓出口德国多少公斤 2025年10月", "written", "gallium to Germany, asked in kg"
    ),
    Question(
        "gallium-scope",
        "/exports 镓 2024年8月",
        "zh-app",
        "gallium against a 2023 figure of narrower scope",
    ),
    Question(
        "germanium",
        "@ExportWatchBot 锗 德国 2025年10月",
        "group",
        "germanium to Germany, a plain question in a group",
    ),
    Question("antimony", "锑出口量下降了多少", "written", "antimony: how much did it fall"),
    Question("graphite", "石墨", "zh-app", "graphite alone: spherical graphite"),
    Question(
        "tungsten-span",
        "/exports 钨 2025年1-11月",
        "zh-app",
        "tungsten, which has only year-to-date and yearly totals",
    ),
    Question(
        "tungsten-year",
        "/exports 钨 2025",
        "zh-app",
        "tungsten for a year it has no total for",
    ),
    Question(
        "tungsten-top",
        "/top 钨",
        "group",
        "/top of tungsten: its latest span",
    ),
    Question("rare-earths", "/exports 稀土", "zh-app", "rare earths: China's total only"),
    Question("dysprosium", "/exports 镝", "zh-app", "dysprosium (kg)"),
    Question("terbium", "铽 日本", "written", "terbium to Japan (kg)"),
    Question(
        "all-materials",
        "全部 德国 2025年10月",
        "written",
        "every material for one partner and month",
    ),
    Question(
        "materials",
        "/materials",
        "zh-app",
        "the materials, their units and releases",
    ),
    # -- subscriptions in a group set to Chinese ----------------------------------------------
    Question(
        "status",
        "/status",
        "group",
        "/status of a group that has not subscribed",
    ),
    Question(
        "subscribe",
        "/subscribe 镓 锗",
        "group-admin",
        "subscribing to two materials by their Chinese names",
    ),
    Question(
        "status-subscribed",
        "/status",
        "group",
        "/status after subscribing to 镓 and 锗",
        before=("/subscribe 镓 锗",),
    ),
    Question(
        "unsubscribe",
        "/unsubscribe 镓",
        "group-admin",
        "stopping one of two materials",
        before=("/subscribe 镓 锗",),
    ),
    # -- what the bot cannot answer ------------------------------------------------------------
    Question(
        "typo",
        "/exports 德过",
        "zh-app",
        "a typo in a Chinese country name (德国)",
    ),
    Question(
        "typo-english",
        "/exports Germny",
        "zh-app",
        "a typo in an English country name",
    ),
    Question("unknown", "你好", "written", "words that ask nothing"),
    Question("outside", "/exports 美国 2020年5月", "zh-app", "a month before the data"),
    Question(
        "no-figure",
        "/exports 泰国 2025年5月",
        "zh-app",
        "a month with no figure",
    ),
    Question("imports", "中国从日本进口多少", "written", "China's imports: the data is exports"),
    # -- buttons and inline mode --------------------------------------------------------------
    Question(
        "button",
        "/exports 美国 2025-06",
        "zh-app",
        "the ◀ button under a Chinese answer",
        press="◀ 2025年5月",
    ),
    Question(
        "button-group",
        "/exports 德国 2025-07",
        "group",
        "the ▶ button under an answer in a group set to Chinese",
        press="2025年8月 ▶",
    ),
    Question("inline", "美国", "inline", "inline mode: a Chinese country name"),
]


# -- asking -------------------------------------------------------------------------------------


def sender(question: Question, first: bool) -> dict[str, Any]:
    """Who sends a message of ``question`` (``first``: one of its ``before`` messages)."""
    if question.sent in ("group", "group-admin"):
        return ADMIN if first or question.sent == "group-admin" else MEMBER
    return {"zh-app": ZH_USER, "lang-zh": EN_USER, "inline": ZH_USER}.get(question.sent, LOCAL_USER)


def where(question: Question, user: dict[str, Any]) -> dict[str, Any]:
    if question.sent in ("group", "group-admin"):
        return {"chat_id": GROUP, "chat_type": "supergroup", "user": user}
    return {"chat_id": user["id"], "user": user}


async def ask(services: Services, question: Question) -> list[ApiCall]:
    """The Bot API calls answering ``question`` in a new chat; fails if any handler raised."""
    errors: list[BaseException] = []

    async def record(update: object, context: BotContext) -> None:
        if context.error is not None:
            errors.append(context.error)

    async with LocalChat(services) as chat:
        chat.application.add_error_handler(record)
        chat.request.member_status[int(ADMIN["id"])] = "administrator"
        if question.sent in ("group", "group-admin"):
            await chat.send("/lang zh", **where(question, ADMIN))
        elif question.sent == "lang-zh":
            await chat.send("/lang zh", **where(question, EN_USER))
        for text in question.before:
            await chat.send(text, **where(question, sender(question, first=True)))
        user = sender(question, first=False)
        if question.sent == "inline":
            query = {"id": "9", "from": user, "query": question.text, "offset": ""}
            calls = await chat.process({"update_id": 90_000, "inline_query": query})
        else:
            calls = await chat.send(question.text, **where(question, user))
        if question.press:
            message, data = button(calls, question.press)
            calls = await chat.process(callback_update(data, message, user=user))
    assert not errors, f"the bot's error handler fired: {errors!r}"
    return calls


def button(calls: list[ApiCall], label: str) -> tuple[dict[str, Any], str]:
    """The message with the button ``label`` and the button's callback data."""
    for call in calls:
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for each in row:
                if each["text"] == label:
                    return call.result, str(each["callback_data"])
    raise AssertionError(f"no button “{label}”")


def answers_of(questions: list[Question]) -> dict[str, list[ApiCall] | BaseException]:
    """Each question's calls (or what it raised), asked once for all the tests here."""
    store = DataStore(DATA_DIR)

    async def run() -> dict[str, list[ApiCall] | BaseException]:
        found: dict[str, list[ApiCall] | BaseException] = {}
        with tempfile.TemporaryDirectory() as folder:
            for question in questions:
                url = f"sqlite+aiosqlite:///{folder}/{question.key}.db"
                settings = Settings(data_dir=DATA_DIR, database_url=url)
                services = Services(settings, store, lambda: TODAY, Store(url))
                try:
                    found[question.key] = await ask(services, question)
                except Exception as error:  # reported by the question's own tests
                    found[question.key] = error
        return found

    return asyncio.run(run())


# -- what a user sees, as the golden file writes it ---------------------------------------------

#: The clock of the database, not the tests' fixed day: when a chat subscribed and when a
#: summary was sent. Shown as placeholders.
SINCE = re.compile(r"（自\d{4}年\d{1,2}月\d{1,2}日起）")
SENT_AT = re.compile(r"发送于 \d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2} UTC")


def masked(text: str) -> str:
    return SENT_AT.sub("发送于 〈发送时间〉 UTC", SINCE.sub("（自〈订阅之日〉起）", text))


def fenced(text: str) -> str:
    return f"~~~\n{masked(text)}\n~~~"


def buttons_line(params: dict[str, Any]) -> list[str]:
    markup = params.get("reply_markup") or {}
    labels = [each["text"] for row in markup.get("inline_keyboard", []) for each in row]
    return ["buttons: " + " | ".join(labels)] if labels else []


def shown(calls: list[ApiCall]) -> str:
    """The replies as a user sees them: plain text, buttons, notices, inline results."""
    parts: list[str] = []
    for call in calls:
        params = call.params
        if call.method in ("sendMessage", "editMessageText"):
            kind = "message" if call.method == "sendMessage" else "the message is edited to"
            parts += [kind, fenced(to_plain(str(params["text"]))), *buttons_line(params)]
        elif call.method in ("sendPhoto", "sendDocument"):
            caption = to_plain(str(params.get("caption", "")))
            parts += [
                call.method.removeprefix("send").lower() + " with the caption",
                fenced(caption),
            ]
        elif call.method == "answerCallbackQuery" and params.get("text"):
            parts += ["notice", fenced(str(params["text"]))]
        elif call.method == "answerInlineQuery":
            for result in params["results"]:
                text = to_plain(result["input_message_content"]["message_text"])
                parts.append(f"inline result: {result['title']} — {result.get('description', '')}")
                parts += [fenced(text), *buttons_line(result)]
    return "\n".join(parts)


def html_of(calls: list[ApiCall]) -> list[str]:
    """Every Telegram HTML text the answer sends: messages, edits, captions, inline results."""
    texts = []
    for call in calls:
        params = call.params
        if call.method in ("sendMessage", "editMessageText"):
            texts.append(str(params["text"]))
        elif "caption" in params:
            texts.append(str(params["caption"]))
        elif call.method == "answerInlineQuery":
            texts += [r["input_message_content"]["message_text"] for r in params["results"]]
    return texts


def corrected(answer: str, fixes: tuple[Fix, ...]) -> str:
    """``answer`` with each problem's text replaced by what it should read."""
    for fix in fixes:
        if fix.wrong:
            answer = answer.replace(fix.wrong, fix.right)
    return answer


def section(question: Question, answer: str) -> str:
    """A question's block of the golden file."""
    lines = [
        f"## {question.key}: {question.text}",
        "",
        f"- asks: {question.asks}",
        f"- sent: {SENT[question.sent]}",
    ]
    if question.before:
        lines.append("- before it: " + " → ".join(question.before))
    if question.press:
        lines.append(f"- then pressed: the button “{question.press}” under the answer")
    if question.fixes:
        lines.append("- known problems (the answer below is as it should read; the test xfails):")
        lines += [f"  - {why}" for why in dict.fromkeys(f.why for f in question.fixes)]
    return "\n".join([*lines, "", ANSWER, answer, ""])


def golden(path: Path = GOLDEN) -> dict[str, str]:
    """Each question's answer in the golden file, by key."""
    blocks = path.read_text(encoding="utf-8").split("\n## ")[1:]
    found = {}
    for block in blocks:
        key = block.split(":", 1)[0]
        found[key] = block.split(f"\n{ANSWER}\n", 1)[1].rstrip("\n")
    return found


# -- the tests ----------------------------------------------------------------------------------


class KnownProblem(AssertionError):
    """The answer differs from the golden one by exactly its known problems."""


def marked(question: Question) -> Any:
    if not question.fixes:
        return pytest.param(question, id=question.key)
    rights: dict[str, list[str]] = {}
    for fix in question.fixes:
        rights.setdefault(fix.why, []).append(f"“{fix.right}”")
    said = "; ".join(f"{why}; should read {', '.join(said)}" for why, said in rights.items())
    xfail = pytest.mark.xfail(strict=True, raises=KnownProblem, reason=said)
    return pytest.param(question, id=question.key, marks=xfail)


@pytest.fixture(scope="module")
def answers() -> dict[str, list[ApiCall] | BaseException]:
    return answers_of(QUESTIONS)


def calls_of(answers: dict[str, list[ApiCall] | BaseException], key: str) -> list[ApiCall]:
    found = answers[key]
    if isinstance(found, BaseException):
        raise found
    return found


def test_the_table_is_large_and_its_keys_are_the_golden_file_s() -> None:
    assert len(QUESTIONS) >= 40
    assert len({q.key for q in QUESTIONS}) == len(QUESTIONS)
    assert list(golden()) == [q.key for q in QUESTIONS], "one block per question, in order"
    chinese = [q for q in QUESTIONS if re.search(r"[\u4e00-\u9fff]", q.text)]
    assert len(chinese) >= len(QUESTIONS) // 2, "most questions are written in Chinese"


@pytest.mark.parametrize("question", [marked(q) for q in QUESTIONS])
def test_the_chinese_answer_is_the_one_checked_by_hand(
    answers: dict[str, list[ApiCall] | BaseException], question: Question
) -> None:
    answer = shown(calls_of(answers, question.key))
    expected = golden()[question.key]
    whole = [fix for fix in question.fixes if not fix.wrong]
    if not whole:  # nothing but the known problems differs
        for fix in question.fixes:
            assert fix.wrong in answer, f"gone, or changed: {fix.wrong!r}"
        assert corrected(answer, question.fixes) == expected
    if answer != expected:
        raise KnownProblem(question.key)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.key for q in QUESTIONS])
def test_every_chinese_answer_is_valid_telegram_html_within_4096_characters(
    answers: dict[str, list[ApiCall] | BaseException], question: Question
) -> None:
    texts = html_of(calls_of(answers, question.key))
    assert texts, "the question is answered"
    for text in texts:
        assert html_problem(text) is None, (html_problem(text), text)
        assert len(text) <= MAX_TEXT


def test_the_seed_s_key_data_summary_is_in_the_chinese_summary() -> None:
    """Every figure of the seed article's Key Data Summary, as the golden summary states it."""
    text = golden()["summary"]
    for said in (
        "2025年6月中国出口稀土永磁体3,188 吨¹，环比增长157.5%¹（5月为1,238 吨¹）",
        "同比下降38.1%¹（2024年6月为≈5,150 吨¹）",
        "2025年上半年出口合计22,319 吨¹，同比下降18.9%¹",
        "对美国出口353 吨¹，环比增长660%¹（5月为46 吨²）",
        "对印度出口172 吨⁷，环比增长15%⁶（5月为150 吨⁷）",
    ):
        assert said in text, said


# -- rewriting the golden file after a change has been checked by hand ---------------------------


def write(path: Path = GOLDEN) -> None:
    """Write the golden file from the bot's answers with the known problems corrected; a block
    whose whole answer a :class:`Fix` replaces is kept from the file as it is."""
    kept = golden(path) if path.exists() else {}
    answers = answers_of(QUESTIONS)
    blocks = []
    for question in QUESTIONS:
        answer = shown(calls_of(answers, question.key))
        if any(not fix.wrong for fix in question.fixes):
            answer = kept.get(question.key, answer)
        blocks.append(section(question, corrected(answer, question.fixes)))
    xfails = sum(bool(q.fixes) for q in QUESTIONS)
    problems = KNOWN_PROBLEMS.format(xfails=xfails) if xfails else NO_PROBLEM
    head = HEADER.format(count=len(QUESTIONS), problems=problems)
    path.write_text(head + "\n".join(blocks), encoding="utf-8")


HEADER = """\
# The Chinese answers, checked by hand

{count} questions a Chinese-speaking analyst, trader or journalist asks, each with the answer
the bot gives, as a user sees it (plain text; buttons by their labels), compared exactly by
`tests/test_chinese_answers.py`. Every answer was read once by a Chinese editor: correct and
natural Chinese, one set of terms (环比, 同比, 吨, 千克, 年初至今, 来源), no English where Chinese
belongs (commands, codes, source titles and URLs stay as they are), the numbers those of the
English answer. Data as of the tests' fixed day, {today}; when a chat subscribed and when a
summary was sent come from the clock and are shown as 〈订阅之日〉 and 〈发送时间〉.

{problems}

""".replace("{today}", TODAY.isoformat())
KNOWN_PROBLEMS = """\
{xfails} answers have known problems: their blocks show the answer as it should read, and the
problem is listed above the answer; the test of each fails (xfail, strict) until the bot is
fixed."""
NO_PROBLEM = """\
No answer has a known problem. A problem found is written as a `Fix` of its question: the block
then shows the answer as it should read and lists the problem above it, and the test fails
(xfail, strict) until the bot is fixed."""


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else GOLDEN)
