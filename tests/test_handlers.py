"""Commands and questions through the real PTB Application; only the network is replaced.

The ``chat`` fixture fails a test if the bot's error handler fired, and the offline network
answers an invalid HTML or over-long message with Telegram's 400, so every reply here is
valid Telegram HTML within 4096 characters.
"""

from __future__ import annotations

import re

import pytest
from telegram import Update
from telegram.ext import CallbackQueryHandler, InlineQueryHandler

from bot.console import LocalChat, replies
from bot.offline import BOT_USER
from bot.render.telegram_html import html_problem, to_plain
from bot.updates import callback_update, message_dict

GROUP = {"chat_id": -100123, "chat_type": "supergroup"}


async def ask(chat: LocalChat, text: str, **kwargs: object) -> list[str]:
    texts = replies(await chat.send(text, **kwargs))
    for text_ in texts:
        assert html_problem(text_) is None
    return texts


async def one(chat: LocalChat, text: str, **kwargs: object) -> str:
    texts = await ask(chat, text, **kwargs)
    assert len(texts) == 1, texts
    return to_plain(texts[0])


async def test_start_and_help_list_commands_and_coverage(chat: LocalChat) -> None:
    for command in ("/start", "/help"):
        text = await one(chat, command)
        for name in ("/exports", "/top", "/summary", "/sources", "/subscribe", "/status", "/help"):
            assert name in text
        assert "July 2023 to March 2026" in text
        assert "190 figures" in text and "Germany" in text and "India" in text


async def test_exports_us_latest_month(chat: LocalChat) -> None:
    text = await one(chat, "/exports US")
    assert "United States, March 2026" in text and "406 t" in text
    assert "y/y: -30.6%, as reported" in text and "584 t in March 2025" in text
    assert "≈449 t in February 2026" in text  # the derived base is marked
    assert "Reuters via Mining.com" in text


async def test_exports_us_june_2025(chat: LocalChat) -> None:
    text = await one(chat, "/exports US 2025-06")
    assert "353 t" in text and "m/m: +660%, as reported" in text and "46 t in May 2025" in text
    assert "+667.4% computed from these figures" in text
    assert "y/y: -52%, as reported" in text and "Share of China's total: 11.1%" in text
    assert "Rank: #2 of 5 countries" in text
    # every month of H1 2025 has a reported figure: their sum, not the published 2,510 t
    assert "Year to date (H1 2025): 2,511.4 t" in text and "sum of the months" in text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/exports India May 2025", "China → India, May 2025"),
        ("/exports 美国 6月", "United States, June 2025"),
        ("/exports EU H1 2025", "8,360 t"),
        ("/exports", "China's exports, March 2026"),
        ("/exports usa 2025/06", "353 t"),
        ("/exports@ExportWatchBot DE 2025-07", "1,116 t"),
    ],
)
async def test_exports_forms(chat: LocalChat, command: str, expected: str) -> None:
    assert expected in await one(chat, command)


async def test_a_figures_caveat_is_shown_with_it(chat: LocalChat) -> None:
    text = await one(chat, "/exports Thailand 2025-06")
    assert "200+ t" in text and 'Note on this figure: lower bound; source says "200+"' in text


async def test_a_low_reliability_figure_is_flagged(chat: LocalChat) -> None:

    text = await one(chat, "/exports JP 2025")
    assert "4,877.6 t†" in text and "† from a source of low reliability" in text
    february = await one(chat, "/exports 2025-02")  # derived, compared like for like
    assert "≈3,586 t" in february and "-2,770 t vs 6,356 t in January 2025" in february


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/top", "Top buyers of China's rare-earth magnets, March 2026"),
        ("/summary", "China's rare-earth magnet exports, March 2026"),
        ("/sources", "Sources: China's total, March 2026"),
    ],
)
async def test_no_arguments_means_the_latest_month(
    chat: LocalChat, command: str, expected: str
) -> None:
    assert expected in await one(chat, command)


async def test_a_missing_month_says_so_and_names_the_nearest(chat: LocalChat) -> None:
    text = await one(chat, "/exports US 2024-12")
    assert "No figure for United States in December 2024" in text
    assert "/exports US 2024-11" in text and "/exports US 2025-01" in text


async def test_top(chat: LocalChat) -> None:
    text = await one(chat, "/top 2025-06 3")
    assert "China's total: 3,188 t" in text
    assert "1 Germany" in text and "3 Thailand" in text and "India" not in text.split("EU")[0]
    assert "Only 5 countries have a published figure" in text


async def test_summary_june_2025_states_every_key_figure(chat: LocalChat) -> None:
    text = re.sub("[⁰¹²³⁴⁵⁶⁷⁸⁹˒]", "", await one(chat, "/summary 2025-06"))  # no marks
    # The seed's Key Data Summary, figure by figure: tests/test_summary.py.
    for figure in ("3,188 t", "157.5%", "353 t", "46 t", "660%", "38.1% below June 2024"):
        assert figure in text, figure
    for figure in ("22,319 t", "18.9%", "172 t", "150 t", "15%"):
        assert figure in text, figure
    assert "Why it matters" in text and "What's next" in text
    assert "Other partners" in text


async def test_sources_show_rules_derivations_and_alternates(chat: LocalChat) -> None:
    text = "\n".join(to_plain(t) for t in await ask(chat, "/sources US 2025-06"))
    assert "May 2025: 46 t — reported" in text and "the base the published change names" in text
    assert "normal reliability before low" in text
    assert "47 t (reported, low reliability)" in text
    assert "derived: 353 t / (1-0.52)" in text
    assert "H1 2025 check" in text


async def test_sources_report_the_aggregate_check(chat: LocalChat) -> None:
    text = "\n".join(to_plain(t) for t in await ask(chat, "/sources 2025"))
    assert "2025 check: sum of the months" in text and "vs published 57,392 t" in text
    assert "agrees within 0.5%" in text


@pytest.mark.parametrize(
    "question",
    [
        "How much did China export to the US in June 2025?",
        "us june 2025",
        "美国 2025年6月",
    ],
)
async def test_plain_questions_get_the_exports_answer(chat: LocalChat, question: str) -> None:
    assert await one(chat, question) == await one(chat, "/exports US 2025-06")


async def test_groups_answer_only_when_addressed(chat: LocalChat) -> None:
    assert await ask(chat, "india may", **GROUP) == []
    mentioned = await one(chat, "@ExportWatchBot india may", **GROUP)
    assert "China → India, May 2025" in mentioned
    bot_message = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": -100123, "type": "supergroup"},
        "from": BOT_USER,
        "text": "earlier answer",
    }
    replied = await one(chat, "德国 2025年7月", reply_to=bot_message, **GROUP)
    assert "德国，2025年7月" in replied  # a group that chose no language: asked in Chinese


async def test_an_edited_message_is_not_answered_again(chat: LocalChat) -> None:
    before = len(chat.request.calls)
    edited = {**message_dict("/exports US"), "edit_date": 1}
    update = Update.de_json({"update_id": 99, "edited_message": edited}, chat.application.bot)
    await chat.application.process_update(update)
    assert chat.request.calls[before:] == []


def test_buttons_and_inline_queries_are_taken_by_their_handlers_alone(chat: LocalChat) -> None:
    """Their handlers come first (the message handlers need not read them): that changes
    nothing only while no other handler would take them, even a press under a message that
    starts with a command."""
    command = {**message_dict("/subscribe now"), "from": BOT_USER}
    command["entities"] = [{"type": "bot_command", "offset": 0, "length": 10}]
    pressed = [
        callback_update("v1:x:US:2025-06", message) for message in (command, message_dict("x"))
    ]
    asked = {
        "update_id": 7,
        "inline_query": {"id": "1", "from": BOT_USER, "query": "US", "offset": ""},
    }
    (handlers,) = chat.application.handlers.values()
    for data in [*pressed, asked]:
        update = Update.de_json(data, chat.application.bot)
        taking = [h for h in handlers if h.check_update(update) not in (None, False)]
        kind = CallbackQueryHandler if update.callback_query else InlineQueryHandler
        assert [type(h) for h in taking] == [kind], data


BAD_INPUTS = [
    ("/exports Atlantis", "I don't know a country called “Atlantis”"),
    ("/exports Congo", "could be several countries"),
    ("/exports Germny", "Did you mean"),
    ("/exports US 2031-01", "is in the future"),
    ("/exports US 2025-13", "there is no month 13"),
    ("/exports US 1999-01", "outside the data"),
    ("/exports US 12345", "couldn't read “12345”"),
    ("/exports <b>", "I don't know a country called “<b>”"),
    ("/exports &", "I don't know a country called “&”"),
    ("/exports _*[", "I don't know a country called"),
    ("/exports 🦄🦄", "I don't know a country called"),
    ("/exports مصر", "I don't know a country called"),
    ("/exports \u202eUS\u0007", "United States"),
    ("/exports France", "The sources give no figures for France"),
    ("/top 2025-06 US", "so United States is not picked out"),
    ("/summary 2023-09", "No figure for China's total in September 2023"),
    ("/summary 2031-01", "is in the future"),
    ("/sources Atlantis", "I don't know a country called"),
    ("/nonsense", "I don't know /nonsense"),
    ("hello there", "I answer questions about China's rare-earth magnet exports"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_INPUTS)
async def test_bad_input_gets_a_friendly_valid_reply(
    chat: LocalChat, text: str, expected: str
) -> None:
    assert expected in await one(chat, text)


async def test_a_5000_character_argument(chat: LocalChat) -> None:
    text = await one(chat, "/exports " + "x" * 5000)
    assert "longer than I read (200 characters)" in text and len(text) < 400


async def test_every_command_for_every_month_fits_telegram(chat: LocalChat) -> None:
    months = ["2024-06", "2025-05", "2025-06", "2025-08", "2025-11", "2026-03"]
    for month in months:
        for command in (f"/summary {month}", f"/top {month} 25", f"/sources {month}"):
            assert await ask(chat, command)  # each checked by the offline Bot API
    for partner in ("US", "DE", "EU", "JP", "IN", "WORLD"):
        for period in ("2025", "2025-H1", "2025-Q3", "2025-10"):
            assert await ask(chat, f"/sources {partner} {period}")
