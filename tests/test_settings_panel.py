"""``/settings`` through the real Application: the panel in both languages, its buttons (time
zone, hours, materials, language), typed settings, words not understood, and administrators in
groups. The network is the offline layer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.console import LocalChat, replies
from bot.reading.callbacks import MAX_BYTES
from bot.reading.chat_time import DeliveryHours, Zone
from bot.services import Services
from tests.test_chat_language import buttons, sent, user

ME = 1001
GROUP = -100_777
ADMIN, MEMBER = 11, 12


@pytest.fixture
async def group(sqlite_services: Services) -> AsyncIterator[LocalChat]:
    async with LocalChat(sqlite_services) as chat:
        chat.request.member_status[ADMIN] = "administrator"
        yield chat


def in_group(user_id: int) -> dict[str, object]:
    return {"chat_id": GROUP, "chat_type": "supergroup", "user": user(user_id)}


async def test_the_panel_shows_every_setting_with_its_buttons(chat: LocalChat) -> None:
    call = sent(await chat.send("/settings"))
    assert call.params["text"] == (
        "⚙️ <b>This chat's settings</b>\n"
        "🌐 Language: English\n"
        "🕗 Time zone: UTC (the bot's default)\n"
        "⏰ Delivery hours: any time\n"
        "📦 Materials: not subscribed (/subscribe)\n\n"
        "Change them below, or type:\n"
        "/settings timezone Tokyo · /settings timezone UTC+8 · /settings timezone default\n"
        "/settings hours 8-20 · /settings hours any"
    )
    assert buttons(call) == [
        ("✓ English", "set:pl:en"),
        ("中文", "set:pl:zh"),
        ("🕗 Time zone", "set:tz"),
        ("⏰ Delivery hours", "set:hours"),
    ]


async def test_every_button_s_data_fits_telegram_s_64_bytes(chat: LocalChat) -> None:
    await chat.send("/subscribe")
    shown = sent(await chat.send("/settings")).result
    seen = []
    for view in ("set:tz", "set:hours", "set:mat"):
        edit = sent(await chat.press(shown, view), "editMessageText")
        seen += [data for _, data in buttons(edit)]
    assert len(seen) > 20
    assert all(len(data.encode()) <= MAX_BYTES for data in seen)


async def test_the_buttons_set_the_zone_and_the_hours_and_show_the_panel_again(
    chat: LocalChat,
) -> None:
    shown = sent(await chat.send("/settings")).result
    zones = sent(await chat.press(shown, "set:tz"), "editMessageText")
    assert ("Tokyo UTC+9", "set:tz:Asia/Tokyo") in buttons(zones)
    assert buttons(zones)[-2:] == [
        ("✓ The bot's default: UTC", "set:tz:-"),
        ("« Back", "set:menu"),
    ]
    panel = sent(await chat.press(zones.result, "set:tz:Asia/Tokyo"), "editMessageText")
    assert "🕗 Time zone: Tokyo time, UTC+9\n" in panel.params["text"]
    hours = sent(await chat.press(panel.result, "set:hours"), "editMessageText")
    assert [label for label, _ in buttons(hours)] == [
        "✓ any time",
        "08:00–20:00",
        "09:00–18:00",
        "07:00–22:00",
        "« Back",
    ]
    panel = sent(await chat.press(hours.result, "set:hours:540-1080"), "editMessageText")
    assert (
        "⏰ Delivery hours: 09:00–18:00 (a summary published outside these hours waits until "
        "09:00)" in panel.params["text"]
    )
    store = chat.application.bot_data["services"].store
    choices = await store.chat_choices(ME)
    assert (choices.zone, choices.hours) == (Zone("Asia/Tokyo"), DeliveryHours(540, 1080))
    back = sent(await chat.press(panel.result, "set:tz:-"), "editMessageText")
    assert "🕗 Time zone: UTC (the bot's default)" in back.params["text"]
    assert (await store.chat_choices(ME)).zone is None


async def test_the_materials_buttons_add_and_remove_but_never_the_last(chat: LocalChat) -> None:
    await chat.send("/subscribe")
    shown = sent(await chat.send("/settings")).result
    view = sent(await chat.press(shown, "set:mat"), "editMessageText")
    assert ("✓ rare-earth magnets", "set:mat:85051110") in buttons(view)
    calls = await chat.press(view.result, "set:mat:gallium")
    edit = sent(calls, "editMessageText")
    assert ("✓ gallium", "set:mat:gallium") in buttons(edit)
    welcome = [c for c in calls if c.method == "sendMessage"]
    assert len(welcome) == 1 and "gallium" in welcome[0].params["text"], "its latest month"
    await chat.press(edit.result, "set:mat:gallium")
    store = chat.application.bot_data["services"].store
    assert await store.series_of(ME, 0) == ["85051110"]
    last = await chat.press(edit.result, "set:mat:85051110")
    assert [c.method for c in last] == ["answerCallbackQuery"]
    assert last[0].params["text"] == (
        "That is the last material: /unsubscribe stops the subscription."
    )
    assert await store.series_of(ME, 0) == ["85051110"]


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        (
            "/settings timezone Atlantis",
            "I don't know the time zone “Atlantis”. Send a city (Tokyo, 上海), a zone name "
            "(Asia/Shanghai) or an offset (UTC+8).",
        ),
        (
            "/settings hours morning",
            "I don't understand the hours “morning”. Send them as from-to in the chat's local "
            "time, on the 24-hour clock, e.g. /settings hours 8-20 or /settings hours "
            "22:00-06:00, or /settings hours any.",
        ),
        (
            "/settings colour blue",
            "There is no setting “colour”. Send /settings alone for the buttons, or /settings "
            "timezone …, /settings hours …, /lang ….",
        ),
        ("/settings timezone <b>", "I don't know the time zone “&lt;b&gt;”."),
    ],
)
async def test_a_word_not_understood_is_named_and_nothing_changes(
    chat: LocalChat, typed: str, reply: str
) -> None:
    (text,) = replies(await chat.send(typed))
    assert text.startswith(reply)
    choices = await chat.application.bot_data["services"].store.chat_choices(ME)
    assert (choices.zone, choices.hours) == (None, None)


async def test_a_country_with_several_zones_lists_them(chat: LocalChat) -> None:
    (text,) = replies(await chat.send("/settings timezone United States"))
    assert text.startswith("“United States” has several time zones: ")
    assert "Chicago UTC-" in text and "New York UTC-5" in text
    assert text.endswith("Send /settings timezone with a city, e.g. /settings timezone New York.")


async def test_settings_lang_is_lang(chat: LocalChat) -> None:
    assert replies(await chat.send("/settings lang zh"))[0].startswith("✅ 本聊天的语言已设为")


async def test_the_panel_in_chinese(auto_chat: LocalChat) -> None:
    await auto_chat.send("/lang zh")
    await auto_chat.send("/settings timezone 香港")
    reply = replies(await auto_chat.send("/settings hours 9点到18点"))[0]
    assert reply == (
        "✅ 月度摘要今后只在 09:00–18:00（香港时间 UTC+8）送达；此时段以外发布的摘要将顺延至 "
        "09:00 推送。"
    )
    call = sent(await auto_chat.send("/settings"))
    assert call.params["text"].startswith(
        "⚙️ <b>本聊天的设置</b>\n🌐 语言：中文\n🕗 时区：香港时间 UTC+8\n"
        "⏰ 推送时段：09:00–18:00（此时段以外发布的摘要将顺延至 09:00 推送）\n"
    )
    assert [label for label, _ in buttons(call)] == ["English", "✓ 中文", "🕗 时区", "⏰ 推送时段"]
    panel = sent(await auto_chat.press(call.result, "set:pl:en"), "editMessageText")
    assert panel.params["text"].startswith("⚙️ <b>This chat's settings</b>\n🌐 Language: English")


async def test_in_a_group_anyone_looks_and_only_administrators_change(group: LocalChat) -> None:
    panel = sent(await group.send("/settings", **in_group(MEMBER)))
    assert "Administrators can change them below, or type:" in panel.params["text"]
    refused = "🔒 Only this group's administrators can change its settings."
    assert replies(await group.send("/settings hours 8-20", **in_group(MEMBER))) == [refused]
    pressed = await group.press(panel.result, "set:hours:480-1200")  # pressed by the local user
    assert [c.method for c in pressed] == ["getChatMember", "answerCallbackQuery"]
    assert pressed[1].params["text"] == refused and pressed[1].params["show_alert"]
    store = group.application.bot_data["services"].store
    assert (await store.chat_choices(GROUP)).hours is None
    (done,) = replies(await group.send("/settings hours 8-20", **in_group(ADMIN)))
    assert done.startswith("✅ The monthly summary now comes only from 08:00–20:00")
    assert (await store.chat_choices(GROUP)).hours == DeliveryHours(480, 1200)


async def test_a_setting_named_alone_offers_its_choices(chat: LocalChat) -> None:
    zones = sent(await chat.send("/settings timezone"))
    assert zones.params["text"].startswith("🕗 Choose this chat's time zone")
    assert ("Shanghai UTC+8", "set:tz:Asia/Shanghai") in buttons(zones)
    hours = sent(await chat.send("/settings 时段"))
    assert ("08:00–20:00", "set:hours:480-1200") in buttons(hours)
    panel = sent(await chat.press(hours.result, "set:hours:480-1200"), "editMessageText")
    assert "⏰ Delivery hours: 08:00–20:00" in panel.params["text"]


@pytest.mark.parametrize(
    "typed",
    [
        "/settings 时区上海",
        "/settings 时区：上海",
        "/settings 时区\u3000上海",
        "/settings 時區 上海",
    ],
)
async def test_a_chinese_setting_word_is_read_however_it_is_typed(
    chat: LocalChat, typed: str
) -> None:
    (reply,) = replies(await chat.send(typed))
    assert reply.startswith("✅ This chat's time zone is now Shanghai time, UTC+8.")


async def test_the_zone_goes_back_to_the_bot_s_default(chat: LocalChat) -> None:
    await chat.send("/settings timezone Tokyo")
    (reply,) = replies(await chat.send("/settings 时区 默认"))
    assert reply.startswith("✅ This chat's time zone is the bot's default again: UTC.")
    store = chat.application.bot_data["services"].store
    assert (await store.chat_choices(ME)).zone is None


async def test_a_material_button_says_what_it_did(chat: LocalChat) -> None:
    await chat.send("/subscribe")
    view = sent(await chat.send("/settings")).result
    view = sent(await chat.press(view, "set:mat"), "editMessageText").result
    added = sent(await chat.press(view, "set:mat:gallium"), "answerCallbackQuery")
    assert added.params["text"] == "Added: gallium. Its latest month comes now."
    removed = sent(await chat.press(view, "set:mat:gallium"), "answerCallbackQuery")
    assert removed.params["text"] == "Removed: gallium."
