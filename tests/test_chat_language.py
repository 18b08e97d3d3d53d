"""A chat's language through the real Application: ``/lang`` and its buttons, administrators
in groups, the language each kind of update is answered in, a group's upgrade, restarts, and
the command menu in both languages. The network is the offline layer."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update

from bot.console import LocalChat, replies
from bot.i18n import Language
from bot.offline import ApiCall
from bot.push.storage import Store
from bot.reading.callbacks import MAX_BYTES, decode
from bot.services import BotContext, Services
from bot.updates import LOCAL_USER, callback_update, message_dict, message_update
from handlers.language import reply_language_of

GROUP = -100_555
ME = 1001  # the local user, in its private chat
ADMIN, MEMBER = 11, 12
ZH_USER = {"id": 21, "is_bot": False, "first_name": "李", "language_code": "zh-hans"}
EN_USER = {"id": 22, "is_bot": False, "first_name": "Ann", "language_code": "en"}
FR_USER = {"id": 23, "is_bot": False, "first_name": "Léa", "language_code": "fr"}

SET_ZH = "✅ 本聊天的语言已设为<b>中文</b>：无论用哪种语言提问，我在这里都用该语言回答。"
SET_EN = (
    "✅ This chat's language is now <b>English</b>: I answer in it here, whatever language a "
    "question is written in."
)
UNKNOWN_EN = (
    "I don't know the language “{word}”. I answer in English (/lang en) or Chinese (/lang zh)."
)
UNKNOWN_ZH = "我不认识“{word}”这种语言。我可以用英文（/lang en）或中文（/lang zh）回答。"
REFUSED_EN = "🔒 Only this group's administrators can change its language."
REFUSED_ZH = "🔒 只有本群管理员可以更改本群的语言。"
EXPIRED_EN = "This button no longer works. Send /lang again."
HAN = re.compile(r"[\u4e00-\u9fff]")


assert LOCAL_USER["id"] == ME


def user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


def in_group(**extra: object) -> dict[str, object]:
    return {"chat_id": GROUP, "chat_type": "supergroup", **extra}


def services_of(chat: LocalChat) -> Services:
    services: Services = chat.application.bot_data["services"]
    return services


def store_of(chat: LocalChat) -> Store:
    return services_of(chat).store


def sent(calls: list[ApiCall], method: str = "sendMessage") -> ApiCall:
    (found,) = [c for c in calls if c.method == method]
    return found


def buttons(call: ApiCall) -> list[tuple[str, str]]:
    rows = call.params["reply_markup"]["inline_keyboard"]
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


@pytest.fixture
async def group(services: Services) -> AsyncIterator[LocalChat]:
    """A group chat (SQLite and PostgreSQL) where ``ADMIN`` administers; fails if any handler
    raised."""
    errors: list[BaseException] = []

    async def record(update: object, context: BotContext) -> None:
        if context.error is not None:
            errors.append(context.error)

    async with LocalChat(services) as chat:
        chat.request.member_status[ADMIN] = "administrator"
        chat.application.add_error_handler(record)
        yield chat
    assert not errors, f"the bot's error handler fired: {errors!r}"


# -- /lang with a language: set, answered in the new language -----------------------------------


@pytest.mark.parametrize(
    ("word", "language", "reply"),
    [
        ("zh", "zh", SET_ZH),
        ("中文", "zh", SET_ZH),
        ("chinese", "zh", SET_ZH),
        ("Chinese", "zh", SET_ZH),
        ("zh-TW", "zh", SET_ZH + "\n我用简体中文回答；繁体字的提问也能读懂。"),
        ("繁體中文", "zh", SET_ZH + "\n我用简体中文回答；繁体字的提问也能读懂。"),
        ("汉语", "zh", SET_ZH),
        ("en", "en", SET_EN),
        ("English", "en", SET_EN),
        ("英文", "en", SET_EN),
    ],
)
async def test_lang_sets_the_chat_s_language_and_answers_in_it(
    chat: LocalChat, word: str, language: Language, reply: str
) -> None:
    assert replies(await chat.send(f"/lang {word}")) == [reply]
    assert await store_of(chat).chat_language(ME) == language


async def test_the_new_language_answers_at_once_and_the_old_one_is_left(chat: LocalChat) -> None:
    assert replies(await chat.send("/lang zh")) == [SET_ZH]
    assert replies(await chat.send("/lang en")) == [SET_EN], "in the new language, not the old"
    assert replies(await chat.send("/lang english")) == [
        "This chat's language is already <b>English</b>."
    ]
    await chat.send("/lang 中文")
    assert replies(await chat.send("/lang zh")) == ["本聊天的语言已经是<b>中文</b>。"]


@pytest.mark.parametrize(
    ("word", "shown"),
    [
        ("fr", "fr"),
        ("français", "français"),
        ("klingon please", "klingon please"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("zh en", "zh en"),  # two languages: neither is picked
    ],
)
async def test_a_word_that_names_no_language_is_named_and_nothing_changes(
    chat: LocalChat, word: str, shown: str
) -> None:
    calls = await chat.send(f"/lang {word}")
    assert replies(calls) == [UNKNOWN_EN.format(word=shown)]
    assert [label for label, _ in buttons(sent(calls))] == ["English", "中文"]
    assert await store_of(chat).chat_language(ME) is None
    await chat.send("/lang zh")
    assert replies(await chat.send(f"/lang {word}")) == [UNKNOWN_ZH.format(word=shown)]
    assert await store_of(chat).chat_language(ME) == "zh"


# -- /lang alone: the language and two buttons ------------------------------------------------


async def test_lang_alone_says_there_is_none_and_offers_two_buttons(chat: LocalChat) -> None:
    call = sent(await chat.send("/lang"))
    assert call.params["text"] == (
        "🌐 No language is set for this chat: I answer in English, and a question written in "
        "Chinese in Chinese.\nChoose below, or send /lang en or /lang zh."
    )
    assert buttons(call) == [("English", "set:lang:en"), ("中文", "set:lang:zh")]
    for _, data in buttons(call):
        assert len(data.encode()) <= MAX_BYTES
        assert decode(data) is None, "not an answer's button"


async def test_lang_alone_for_a_chinese_telegram_user_is_in_chinese(chat: LocalChat) -> None:
    call = sent(await chat.send("/lang", user=ZH_USER, chat_id=ZH_USER["id"]))
    assert call.params["text"] == (
        "🌐 本聊天尚未设置语言：您的 Telegram 应用是中文，所以我用中文回答。\n"
        "请在下方选择，或发送 /lang en 或 /lang zh。"
    )


async def test_lang_alone_names_the_chosen_language_and_ticks_its_button(chat: LocalChat) -> None:
    await chat.send("/lang zh")
    call = sent(await chat.send("/lang"))
    assert call.params["text"] == (
        "🌐 本聊天的语言是<b>中文</b>。\n请在下方选择，或发送 /lang en 或 /lang zh。"
    )
    assert buttons(call) == [("English", "set:lang:en"), ("✓ 中文", "set:lang:zh")]
    await chat.send("/lang en")
    call = sent(await chat.send("/lang"))
    assert call.params["text"] == (
        "🌐 This chat's language is <b>English</b>.\nChoose below, or send /lang en or /lang zh."
    )
    assert buttons(call)[0] == ("✓ English", "set:lang:en")


# -- the buttons --------------------------------------------------------------------------------


async def test_a_button_sets_the_language_and_edits_the_message_in_it(chat: LocalChat) -> None:
    shown = sent(await chat.send("/lang")).result
    calls = await chat.press(shown, "set:lang:zh")
    assert sent(calls, "answerCallbackQuery").params.get("text") is None
    edit = sent(calls, "editMessageText")
    assert edit.params["text"] == SET_ZH
    assert buttons(edit) == [("English", "set:lang:en"), ("✓ 中文", "set:lang:zh")]
    assert await store_of(chat).chat_language(ME) == "zh"
    again = await chat.press(edit.result, "set:lang:zh")
    assert [c.method for c in again] == ["answerCallbackQuery"]
    assert again[0].params["text"] == "本聊天的语言已经是中文。", "a plain note, no HTML"
    back = await chat.press(edit.result, "set:lang:en")
    assert sent(back, "editMessageText").params["text"] == SET_EN


async def test_a_message_too_old_to_edit_gets_the_answer_anew(chat: LocalChat) -> None:
    shown = sent(await chat.send("/lang")).result
    chat.request.uneditable.add(shown["message_id"])
    calls = await chat.press(shown, "set:lang:zh")
    assert sent(calls).params["text"] == SET_ZH


@pytest.mark.parametrize(
    ("data", "note"),
    [
        ("set:lang:fr", EXPIRED_EN),
        ("set:lang:", EXPIRED_EN),
        ("set:tz:8", "This button no longer works. Send /settings again."),  # the panel's
        ("set:", "This button no longer works. Send /settings again."),
    ],
)
async def test_an_unknown_settings_button_gets_a_polite_note(
    chat: LocalChat, data: str, note: str
) -> None:
    shown = sent(await chat.send("/lang")).result
    calls = await chat.press(shown, data)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["text"] == note and calls[0].params["show_alert"]
    assert await store_of(chat).chat_language(ME) is None


async def test_the_answers_buttons_still_reach_their_handler(chat: LocalChat) -> None:
    answer = sent(await chat.send("/exports US 2025-06"))
    (previous, *_) = [data for _, data in buttons(answer)]
    calls = await chat.press(answer.result, previous)
    assert "May 2025" in sent(calls, "editMessageText").params["text"]
    for data in ("", "lang:zh", "v1:x:US:set"):  # no data, or none of ours: theirs to refuse
        (note,) = await chat.press(answer.result, data)
        assert note.params["text"].startswith("This button no longer works. Send /exports")


# -- groups: anyone sees, administrators change ------------------------------------------------


async def test_in_a_group_only_administrators_change_the_language(group: LocalChat) -> None:
    store = store_of(group)
    calls = await group.send("/lang zh", user=user(MEMBER), **in_group())
    assert replies(calls) == [REFUSED_EN]
    assert [c.method for c in calls].count("getChatMember") == 1
    assert await store.chat_language(GROUP) is None
    seen = sent(await group.send("/lang", user=user(MEMBER), **in_group()))
    assert seen.params["text"].endswith(
        "\nAdministrators can choose below, or send /lang en or /lang zh."
    )
    assert replies(await group.send("/lang zh", user=user(ADMIN), **in_group())) == [SET_ZH]
    assert await store.chat_language(GROUP) == "zh"
    assert replies(await group.send("/lang en", user=user(MEMBER), **in_group())) == [REFUSED_ZH]
    assert replies(await group.send("/lang", user=user(MEMBER), **in_group())) == [
        "🌐 本聊天的语言是<b>中文</b>。\n管理员可在下方选择，或发送 /lang en 或 /lang zh。"
    ]
    assert replies(await group.send("/lang fr", user=user(MEMBER), **in_group())) == [
        UNKNOWN_ZH.format(word="fr")
    ], "anyone may be told what the choices are"


async def test_an_anonymous_administrator_may(group: LocalChat) -> None:
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
    as_group = {"id": GROUP, "type": "supergroup", "title": "Local group"}
    calls = await group.send("/lang zh", user=anonymous, sender_chat=as_group, **in_group())
    assert replies(calls) == [SET_ZH]
    assert await store_of(group).chat_language(GROUP) == "zh"


async def test_in_a_group_only_administrators_press_the_buttons(group: LocalChat) -> None:
    shown = sent(await group.send("/lang", user=user(ADMIN), **in_group())).result
    refused = await group.process(callback_update("set:lang:zh", shown, user=user(MEMBER)))
    (note,) = [c for c in refused if c.method == "answerCallbackQuery"]
    assert note.params["text"] == REFUSED_EN and note.params["show_alert"]
    assert not [c for c in refused if c.method == "editMessageText"]
    assert await store_of(group).chat_language(GROUP) is None
    done = await group.process(callback_update("set:lang:zh", shown, user=user(ADMIN)))
    assert sent(done, "editMessageText").params["text"] == SET_ZH
    assert await store_of(group).chat_language(GROUP) == "zh"


# -- the language of each kind of update -------------------------------------------------------


def private(text: str, sender: dict[str, Any]) -> dict[str, Any]:
    return message_update(text, chat_id=sender["id"], user=sender)


def in_the_group(text: str, sender: dict[str, Any]) -> dict[str, Any]:
    return message_update(text, user=sender, **in_group())


def press_under(text: str, sender: dict[str, Any], chat_id: int) -> dict[str, Any]:
    chat_type = "private" if chat_id > 0 else "supergroup"
    under = message_dict(text, chat_id=chat_id, chat_type=chat_type)
    return callback_update("v1:x:US:2025-05", under, user=sender)


def press_inline(sender: dict[str, Any]) -> dict[str, Any]:
    """A press under a message posted through inline mode: no message, no chat."""
    return {
        "update_id": 90_001,
        "callback_query": {
            "id": "7",
            "from": sender,
            "chat_instance": "inline",
            "inline_message_id": "AAAA",
            "data": "v1:x:US:2025-05",
        },
    }


def inline(query: str, sender: dict[str, Any]) -> dict[str, Any]:
    return {
        "update_id": 90_002,
        "inline_query": {"id": "9", "from": sender, "query": query, "offset": ""},
    }


CHINESE_QUESTION = "中国6月对美国出口了多少稀土磁铁？"
CHINESE_ANSWER = "🇺🇸 美国，2025年6月：3,188 吨，环比 +157.5%"
ENGLISH_ANSWER = "🇺🇸 United States, June 2025: 3,188 t, +157.5% m/m"


@pytest.mark.parametrize(
    ("case", "update", "stored", "language"),
    [
        ("private, Chinese app", private("/exports US", ZH_USER), None, "zh"),
        ("private, English app", private("/exports US", EN_USER), None, "en"),
        ("private, French app", private("/exports US", FR_USER), None, "en"),
        ("private, Chinese words", private(CHINESE_QUESTION, EN_USER), None, "zh"),
        ("private, chosen wins", private(CHINESE_QUESTION, ZH_USER), "en", "en"),
        ("private, chosen Chinese", private("/exports US", EN_USER), "zh", "zh"),
        ("group, Chinese app", in_the_group("@ExportWatchBot US", ZH_USER), None, "en"),
        ("group, Chinese words", in_the_group("@ExportWatchBot 美国 6月", EN_USER), None, "zh"),
        ("group, chosen", in_the_group("@ExportWatchBot US", EN_USER), "zh", "zh"),
        ("group, chosen wins", in_the_group("/exports 美国 6月", ZH_USER), "en", "en"),
        ("button under Chinese", press_under(CHINESE_ANSWER, EN_USER, 22), None, "zh"),
        ("button under English", press_under(ENGLISH_ANSWER, ZH_USER, 21), None, "en"),
        ("button, chosen wins", press_under(ENGLISH_ANSWER, EN_USER, 22), "zh", "zh"),
        ("group button, Chinese", press_under(CHINESE_ANSWER, EN_USER, GROUP), None, "zh"),
        ("inline button, Chinese app", press_inline(ZH_USER), None, "zh"),
        ("inline button, French app", press_inline(FR_USER), None, "en"),
        ("inline, Chinese app", inline("US", ZH_USER), None, "zh"),
        ("inline, Chinese words", inline("美国 2025-06", EN_USER), None, "zh"),
        ("inline, English", inline("US", EN_USER), None, "en"),
        ("inline, nothing typed", inline("", FR_USER), None, "en"),
    ],
)
async def test_the_language_of_each_kind_of_update(
    chat: LocalChat,
    case: str,
    update: dict[str, Any],
    stored: Language | None,
    language: Language,
) -> None:
    parsed = Update.de_json(update, chat.application.bot)
    if stored is not None and parsed.effective_chat is not None:
        await store_of(chat).set_chat_language(parsed.effective_chat.id, stored)
    context = BotContext.from_update(parsed, chat.application)
    assert await reply_language_of(parsed, context) == language, case


async def test_inline_queries_never_read_the_database(chat: LocalChat) -> None:
    parsed = Update.de_json(inline("US", ZH_USER), chat.application.bot)
    context = BotContext.from_update(parsed, chat.application)
    assert await reply_language_of(parsed, context) == "zh"
    assert len(services_of(chat).languages) == 0


async def language_in(chat: LocalChat, chat_id: int, text: str = "/exports US") -> Language:
    chat_type = "private" if chat_id > 0 else "supergroup"
    parsed = Update.de_json(
        message_update(text, chat_id=chat_id, chat_type=chat_type), chat.application.bot
    )
    return await reply_language_of(parsed, BotContext.from_update(parsed, chat.application))


async def test_lang_here_is_followed_at_once_and_another_process_s_within_a_minute(
    chat: LocalChat,
) -> None:
    now = [1000.0]
    services = services_of(chat)
    services.languages.clock = lambda: now[0]
    assert await language_in(chat, ME) == "en"
    await chat.send("/lang zh")
    assert await language_in(chat, ME) == "zh", "at once"
    other = Store(services.settings.database_url)  # another process on the same database
    try:
        await other.set_chat_language(ME, "en")
    finally:
        await other.close()
    now[0] += 59
    assert await language_in(chat, ME) == "zh", "kept for a minute"
    now[0] += 2
    assert await language_in(chat, ME) == "en", "then read again"


# -- a group's upgrade, and restarts -------------------------------------------------------------


async def test_a_group_upgrade_moves_the_language(group: LocalChat) -> None:
    old, new = -555, -100_777
    await group.send("/lang zh", user=user(ADMIN), chat_id=old, chat_type="group")
    assert await language_in(group, old) == "zh"  # kept in this process for a minute
    service = message_dict("", chat_id=old, chat_type="group") | {"migrate_to_chat_id": new}
    service.pop("text")
    await group.process({"update_id": 6001, "message": service})
    assert await language_in(group, new) == "zh", "known at once under the new id"
    assert await language_in(group, old) == "en", "and no longer under the old one"
    second = message_dict("", chat_id=new, chat_type="supergroup") | {"migrate_from_chat_id": old}
    second.pop("text")
    await group.process({"update_id": 6002, "message": second})
    assert await store_of(group).chat_language(new) == "zh"
    assert replies(await group.send("/lang", user=user(MEMBER), chat_id=new))[0].startswith(
        "🌐 本聊天的语言是<b>中文</b>。"
    )


async def test_the_language_is_kept_across_restarts(services: Services) -> None:
    async with LocalChat(services) as chat:
        await chat.send("/lang zh")
    restarted = Services(
        services.settings, services.data, services.today, Store(services.settings.database_url)
    )
    async with LocalChat(restarted) as chat:
        assert replies(await chat.send("/lang"))[0].startswith("🌐 本聊天的语言是<b>中文</b>。")


# -- the command menu in both languages ------------------------------------------------------


async def test_the_menu_is_set_in_english_and_in_chinese(chat: LocalChat) -> None:
    calls = [c for c in chat.request.calls if c.method == "setMyCommands"]
    assert [c.params.get("language_code") for c in calls] == [None, "zh"]
    english, chinese = (
        {c["command"]: c["description"] for c in call.params["commands"]} for call in calls
    )
    assert list(english) == list(chinese), "the same commands, in the same order"
    assert list(english)[-3:] == ["lang", "settings", "help"]
    assert english["lang"] == "This chat's language: /lang zh (中文) or /lang en"
    assert chinese["lang"] == "本聊天的语言：/lang zh（中文）或 /lang en（英文）"
    assert chinese["exports"] == "吨数、环比同比、占比及排名：/exports US 2025-06"
    for command, description in chinese.items():
        assert 1 <= len(description) <= 256 and HAN.search(description), command
        assert description != english[command]
        assert all(word in description for word in english[command].split() if word[0] == "/")
    assert all(1 <= len(d) <= 256 for d in english.values())


@pytest.fixture
def chat(auto_chat: LocalChat) -> LocalChat:
    """The local private chat with no language chosen: these tests are about the reply's
    language, which the rules choose."""
    return auto_chat
