"""What a new-user trial in English and Chinese found in the reading of questions, through the
real Application: follow-ups after every kind of answer (``/exports all``, ``/chart``,
``/top``, ``/sources``), unit words, material words never dropped silently, suggested
commands that keep what the user typed, traditional Chinese names, common Chinese phrasings,
partners named in Chinese from pycountry's translations, ``/comtrade`` with a material, and
typed HTML echoed whole."""

from __future__ import annotations

import pytest

from bot.console import LocalChat, replies
from bot.offline import ApiCall
from bot.reading.grammar import read
from bot.reading.partners import Ambiguous, Found, find_partner
from bot.render.format import MAX_MESSAGE
from bot.render.telegram_html import html_problem, to_plain

NOT_ANSWERED = "so I have not answered"


async def said(chat: LocalChat, text: str) -> str:
    """The bot's reply to ``text`` as plain text (every message checked as Telegram HTML)."""
    calls = await chat.send(text)
    texts = [str(c.params["text"]) for c in calls if c.method == "sendMessage"]
    for message in texts:
        assert html_problem(message) is None and len(message) <= MAX_MESSAGE
    photos = [to_plain(str(c.params.get("caption", ""))) for c in calls if c.method == "sendPhoto"]
    assert texts or photos, text
    return "\n".join([*(to_plain(t) for t in texts), *photos])


def photo(calls: list[ApiCall]) -> ApiCall:
    found = [c for c in calls if c.method == "sendPhoto"]
    assert len(found) == 1, [c.method for c in calls]
    return found[0]


def check(text: str, expected: tuple[str, ...], forbidden: tuple[str, ...] = ()) -> None:
    for part in expected:
        assert part in text, (part, text)
    for part in forbidden:
        assert part not in text, (part, text)


# -- 1. every answered question is the context of the next follow-up -----------------------

#: (the questions of one session, and for the last one what the reply must and must not say)
SESSIONS = [
    (
        ["gallium DE 2025-07", "/exports all JP 2025-10", "那上个月呢"],
        ("Every material: China → Japan, September 2025",),
        ("June 2025", "Germany"),
    ),
    (
        ["gallium DE 2025-07", "/exports all JP 2025-10", "那上个月呢", "and Germany?"],
        ("Every material: China → Germany, September 2025",),
        ("June 2025",),
    ),
    (
        ["/exports all JP 2025-10", "what about the month before?"],
        ("Every material: China → Japan, September 2025",),
        ("November",),
    ),
    (
        ["/exports all 2025", "and 2024?"],
        ("Every material: China's exports, 2024",),
        ("gallium · Japan",),
    ),
    (
        ["/exports magnets JP 2025-12", "/exports 全部 德国 2025年10月", "那日本呢"],
        ("Every material: China → Japan, October 2025", "Terbium: 5,200 kg"),
        ("December",),
    ),
    (
        ["/exports all JP 2025-10", "前一个月呢?"],
        ("Every material: China → Japan, September 2025",),
        ("follows a question",),
    ),
    (
        ["all materials to Japan in October 2025", "and Germany?"],
        ("Every material: China → Germany, October 2025", "Gallium: 10,000 kg"),
        (),
    ),
    (  # a material named after every material asks about it alone, same partner and month
        ["/exports all JP 2025-10", "what about gallium?"],
        ("China's exports of gallium → Japan, October 2025", "5,000 kg"),
        ("Every material",),
    ),
    (
        ["/exports DE 2025-09", "/top gallium 2025-10", "那日本呢"],
        ("China's exports of gallium → Japan, October 2025", "5,000 kg"),
        ("· September",),
    ),
    (
        ["/exports DE 2025-09", "/summary antimony 2025-06", "the month before"],
        ("antimony", "May 2025"),
        ("September",),
    ),
    (
        ["/exports DE 2025-09", "/sources gallium DE 2025-10", "and Japan?"],
        ("Sources: gallium, Japan, October 2025", "rohstoff.net"),
        ("· September",),
    ),
]


@pytest.mark.parametrize(
    ("session", "expected", "forbidden"), SESSIONS, ids=[" → ".join(s[0]) for s in SESSIONS]
)
async def test_a_follow_up_follows_the_answer_just_given(
    chat: LocalChat, session: list[str], expected: tuple[str, ...], forbidden: tuple[str, ...]
) -> None:
    for question in session[:-1]:
        await said(chat, question)
    check(await said(chat, session[-1]), expected, forbidden)


async def test_a_follow_up_after_a_chart_follows_the_chart(chat: LocalChat) -> None:
    await said(chat, "/exports DE 2025-09")
    await said(chat, "/chart gallium DE 2025-07")
    sent = photo(await chat.send("那日本呢"))
    assert sent.file_names["photo"].startswith("exportwatch-chart-gallium-jp-")
    caption = to_plain(str(sent.params["caption"]))
    assert "Japan" in caption and "September" not in caption
    text = await said(chat, "and the month before?")  # still the chart's material, Japan
    assert "gallium" in text.lower() and "Japan" in text


async def test_every_material_after_its_latest_asks_for_a_period(chat: LocalChat) -> None:
    await said(chat, "/exports all JP")
    text = await said(chat, "the month before")
    assert "each material's latest" in text and "/exports all JP 2025-" in text


# -- 2. unit words: named when they are not the material's unit, harmless when they are ------

UNITS = [
    (
        "gallium exports to Germany in tonnes October 2025",
        ("10,000 kg", "gallium is published in kg, and figures are never converted", "“tonnes”"),
    ),
    ("镓 德国 2025年10月 吨", ("10,000 kg", "gallium is published in kg", "“吨”")),
    ("germanium in tonnes 2025-10", ("1,258 kg", "germanium is published in kg", "“tonnes”")),
    ("/exports DE 2025-10 kg", ("1,118 t", "rare-earth magnets are published in tonnes", "“kg”")),
    ("/exports all DE 2025-10 tonnes", ("Gallium: 10,000 kg", "its own unit", "“tonnes”")),
]


@pytest.mark.parametrize(("question", "expected"), UNITS, ids=[u[0] for u in UNITS])
async def test_another_unit_is_named_and_never_converted(
    chat: LocalChat, question: str, expected: tuple[str, ...]
) -> None:
    check(await said(chat, question), expected, (NOT_ANSWERED,))


SAME_UNIT = [
    ("镓出口德国多少公斤 2025年10月", "10,000 kg"),
    ("gallium kg Germany 2025-10", "10,000 kg"),
    ("镓 德国 2025年10月 千克", "10,000 kg"),
    ("terbium US 2025-10 kilograms", "6,000 kg"),
    ("/exports DE 2025-10 tonnes", "1,118 t"),
    ("2025年10月对德国出口多少吨", "1,118 t"),
    ("antimony 2024-09 t", "6,533 t"),
    ("锑 2024年9月 吨", "6,533 t"),
]


@pytest.mark.parametrize(("question", "figure"), SAME_UNIT, ids=[u[0] for u in SAME_UNIT])
async def test_the_materials_own_unit_is_a_harmless_word(
    chat: LocalChat, question: str, figure: str
) -> None:
    check(
        await said(chat, question), (figure,), (NOT_ANSWERED, "not understand", "never converted")
    )


# -- 3. material words alone are named, and a mistyped name of two words is suggested --------

NAMED = [
    ("rare Germany 2025-10", "“rare”", "/exports DE 2025-10"),
    ("earth Germany 2025-10", "“earth”", "/exports DE 2025-10"),
    ("rare magnets US", "“rare”", "/exports US"),
]


@pytest.mark.parametrize(("question", "word", "command"), NAMED, ids=[n[0] for n in NAMED])
async def test_half_a_material_name_is_named(
    chat: LocalChat, question: str, word: str, command: str
) -> None:
    check(await said(chat, question), (word, NOT_ANSWERED, command), ("1,118 t",))


async def test_a_mistyped_name_of_two_words_is_suggested_whole(chat: LocalChat) -> None:
    text = await said(chat, "rare earht exports october")
    check(text, ("“rare earht”", "Did you mean rare earths?", "/exports rare-earths october"))


# -- 4. suggested commands keep what the user typed; ignored arguments are named ---------------

KEPT = [
    (
        "镓和锗 德国和日本 2025年10月",
        ("/exports gallium DE vs JP 2025-10", "/exports germanium DE vs JP 2025-10"),
        ("/exports gallium 2025年10月", "/exports all 2025"),
    ),
    ("gallium Germny 2025-10", ("“Germny”", "/exports gallium DE 2025-10"), ("/exports DE\n",)),
    ("/exports Germny 2025-10", ("/exports DE 2025-10",), ()),
    ("/chart gallium Germny", ("/chart gallium DE",), ()),
    ("germanum 2025-10", ("/exports germanium 2025-10", "/exports DE 2025-10"), ()),
    ("gallium germanium DE 2025-10", ("/exports all DE 2025-10",), ()),
    ("/exports all Germny 2025-10", ("/exports all DE 2025-10",), ()),
    ("/exports all DE vs Japn 2025-10", ("/exports all JP 2025-10",), ("vs",)),
    ("/sources gallium Germny 2025-10", ("/sources gallium DE 2025-10",), ()),
]


@pytest.mark.parametrize(("question", "expected", "forbidden"), KEPT, ids=[k[0] for k in KEPT])
async def test_a_suggested_command_keeps_the_material_partners_and_period(
    chat: LocalChat, question: str, expected: tuple[str, ...], forbidden: tuple[str, ...]
) -> None:
    check(await said(chat, question) + "\n", expected, forbidden)


IGNORED = [
    ("/status 镓", ("/status shows every material of this chat", "“镓” is not needed")),
    ("/help gallium", ("“gallium” is not needed", "/exports gallium")),
]


@pytest.mark.parametrize(("command", "expected"), IGNORED, ids=[i[0] for i in IGNORED])
async def test_an_argument_a_command_does_not_use_is_named(
    chat: LocalChat, command: str, expected: tuple[str, ...]
) -> None:
    check(await said(chat, command), expected)


async def test_materials_with_a_material_shows_that_one(chat: LocalChat) -> None:
    text = await said(chat, "/materials gallium")
    assert "Gallium · 镓 · in kg" in text and "Germanium" not in text
    text = await said(chat, "/materials 镓 锗")
    assert "Gallium" in text and "Germanium" in text and "Antimony" not in text
    text = await said(chat, "/materials blorp")
    assert "“blorp”" in text and "Antimony" in text  # named, then every material


# -- 5. traditional Chinese names, and a Chinese name one character off ------------------------

TRADITIONAL = [
    ("鎵 德國 2025年10月", "gallium", "10,000 kg"),
    ("鍺 俄羅斯 2025年10月", "germanium", "930 kg"),
    ("銻 2024年9月", "antimony", "6,533 t"),
    ("鎢 日本", "tungsten (APT)", "138 t"),
    ("鏑 韓國 2025年10月", "dysprosium", "2,701 kg"),
    ("鋱 日本 2025年10月", "terbium", "5,200 kg"),
    ("中國10月對日本出口多少鏑", "dysprosium → Japan, October 2025", "300 kg"),
    ("金屬鎵 德國 2025年10月", "gallium", "10,000 kg"),
]


@pytest.mark.parametrize(
    ("question", "name", "figure"), TRADITIONAL, ids=[t[0] for t in TRADITIONAL]
)
async def test_traditional_material_names_are_read(
    chat: LocalChat, question: str, name: str, figure: str
) -> None:
    check(await said(chat, question), (f"China's exports of {name}", figure), (NOT_ANSWERED,))


async def test_a_chinese_material_name_one_character_off_is_suggested(chat: LocalChat) -> None:
    text = await said(chat, "稀士出口 2025年10月")
    check(text, ("“稀士”", "Did you mean rare earths?", "/exports rare-earths 2025-10"))


# -- 6. common Chinese phrasings and partners --------------------------------------------------

PHRASES = [
    ("全部 日本", ("Every material: China → Japan",), ()),
    ("全部 日本 2025年10月", ("Every material: China → Japan, October 2025",), ()),
    ("镓出口给德国的数量是多少", ("China's exports of gallium → Germany", "kg"), ()),
    ("锑出口量下降了多少", ("China's exports of antimony",), ("降",)),
    ("锑出口减少了多少 2024年9月", ("China's exports of antimony, September 2024",), ()),
    ("锑出口量上涨了多少", ("China's exports of antimony",), ("上涨",)),
    ("镓出口暴跌", ("China's exports of gallium",), ("暴跌",)),
    ("氧化镝出口", ("China's exports of dysprosium",), ("氧化",)),
    ("氧化铽 美国 2025年10月", ("terbium → United States", "6,000 kg"), ()),
    ("dysprosium oxide KR 2025-10", ("dysprosium → South Korea", "2,701 kg"), ()),
    ("镓 来源", ("gallium", "Sources"), ("来源",)),
    ("gallium DE 2025-10 sources", ("gallium", "Germany", "rohstoff.net"), ()),
    ("有哪些材料", ("Materials", "Gallium · 镓 · in kg", "Terbium"), ()),
    ("which materials do you have?", ("Materials", "Antimony"), ()),
    ("比利时 2025年10月", ("Belgium",), ("比利时",)),
    ("爱沙尼亚", ("Estonia",), ("爱沙尼亚",)),
    ("俄羅斯 2025年10月", ("Russia",), ("俄羅斯",)),
    ("锗 俄羅斯 2025年10月", ("germanium → Russia", "930 kg"), ()),
    ("對比利時出口", ("Belgium",), ("比利時",)),
]


@pytest.mark.parametrize(
    ("question", "expected", "forbidden"), PHRASES, ids=[p[0] for p in PHRASES]
)
async def test_common_chinese_phrasings_are_read(
    chat: LocalChat, question: str, expected: tuple[str, ...], forbidden: tuple[str, ...]
) -> None:
    text = await said(chat, question)
    check(text, expected, (*forbidden, NOT_ANSWERED, "I don't know a country"))
    for word in forbidden:
        assert f"“{word}”" not in text


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("比利时", "BE"),
        ("比利時", "BE"),
        ("爱沙尼亚", "EE"),
        ("俄羅斯", "RU"),
        ("德國", "DE"),
        ("沙特阿拉伯", "SA"),
        ("新西兰", "NZ"),
        ("紐西蘭", "NZ"),
        ("中国", "WORLD"),
        ("中國", "WORLD"),
        ("南韩", "KR"),
        ("台湾", "TW"),
    ],
)
def test_chinese_partner_names_come_from_pycountrys_translations(name: str, code: str) -> None:
    reading = read(f"{name} 2025年10月")
    assert not reading.unknown and len(reading.partners) == 1
    result = reading.partners[0].result
    assert isinstance(result, Found) and result.partner.code == code


def test_congo_in_chinese_is_two_countries() -> None:
    found = find_partner("刚果")
    assert isinstance(found, Ambiguous)
    assert {p.code for p in found.options} == {"CG", "CD"}
    (words,) = read("刚果 2025年10月").partners
    assert isinstance(words.result, Ambiguous)


# -- 7. /comtrade with a material; typed HTML echoed whole -------------------------------------


@pytest.mark.parametrize(
    ("command", "offered"),
    [
        ("/comtrade gallium DE 2025-10", "For gallium ask /exports gallium DE 2025-10"),
        ("/comtrade 镓", "For gallium ask /exports gallium"),
        ("/comtrade magnets US 2025-06", "For rare-earth magnets ask /exports US 2025-06"),
    ],
)
async def test_comtrade_with_a_material_says_comtrade_is_magnets_only(
    chat: LocalChat, command: str, offered: str
) -> None:
    text = await said(chat, command)
    check(text, ("HS 850511", "permanent magnets only", offered), ("two materials",))


ECHOES = [
    ("<b>hello</b>", ("“&lt;b&gt;hello&lt;/b&gt;”",)),
    ("DE 2025-10 <b>x</b>", ("“&lt;b&gt;x&lt;/b&gt;”",)),
    ("镓 <i>德国</i>", ("“&lt;i&gt;”", "“&lt;/i&gt;”")),
]


@pytest.mark.parametrize(("question", "echoes"), ECHOES, ids=[e[0] for e in ECHOES])
async def test_typed_html_is_echoed_whole_and_escaped(
    chat: LocalChat, question: str, echoes: tuple[str, ...]
) -> None:
    raw = "\n".join(replies(await chat.send(question)))
    for echo in echoes:
        assert echo in raw, raw
    assert "“b&gt;" not in raw and "“&lt;/b" not in raw
