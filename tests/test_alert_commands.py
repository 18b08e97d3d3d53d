"""``/alert``, ``/alerts`` and ``/watch`` through the real Application (issue 16): a rule said
back and saved with its button, an unclear one explained, the list and its delete buttons, the
limit of 20, watchlists, administrators in groups and forum topics, in English and Chinese.
The network is the offline layer, which rejects invalid Telegram HTML."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.alerts import AlertRule, Comparison, Metric
from bot.app import menu
from bot.console import LocalChat, replies
from bot.offline import ApiCall
from bot.push.storage import Store
from bot.reading.callbacks import MAX_BYTES
from bot.records import MAX_ALERTS, Watchlist
from bot.services import BotContext, Services
from bot.updates import callback_update, message_dict

ME = 1001
GROUP = -100_888
ADMIN, MEMBER = 11, 12
M = "85051110"
DOWN = AlertRule(M, "US", Metric.MOM, Comparison.BELOW, -25)
US_DOWN_EN = "United States: alert when the month-on-month change falls below −25%"
US_DOWN_ZH = "美国：环比低于 −25% 时提醒"
REFUSED_EN = "🔒 Only this group's administrators can set or delete its alerts."


def store_of(chat: LocalChat) -> Store:
    services: Services = chat.application.bot_data["services"]
    return services.store


def sent(calls: list[ApiCall], method: str = "sendMessage") -> ApiCall:
    (found,) = [c for c in calls if c.method == method]
    return found


def buttons(call: ApiCall) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


def note(calls: list[ApiCall]) -> tuple[str | None, bool]:
    answer = sent(calls, "answerCallbackQuery")
    return answer.params.get("text"), bool(answer.params.get("show_alert"))


def user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


def in_group(user_id: int, **extra: object) -> dict[str, object]:
    return {"chat_id": GROUP, "chat_type": "supergroup", "user": user(user_id), **extra}


@pytest.fixture
async def group(sqlite_services: Services) -> AsyncIterator[LocalChat]:
    """A group where ``ADMIN`` administers; fails if any handler raised."""
    errors: list[BaseException] = []

    async def record(update: object, context: BotContext) -> None:
        if context.error is not None:
            errors.append(context.error)

    async with LocalChat(sqlite_services) as chat:
        chat.request.member_status[ADMIN] = "administrator"
        chat.application.add_error_handler(record)
        yield chat
    assert not errors, f"the bot's error handler fired: {errors!r}"


# -- /alert: said back, saved with its button --------------------------------------------------


async def test_a_clear_rule_is_said_back_and_saved_with_its_button(chat: LocalChat) -> None:
    shown = sent(await chat.send("/alert US mom < -25%"))
    assert shown.params["text"] == f"🔔 Set this alert?\n{US_DOWN_EN}"
    assert buttons(shown) == [("✅ Save", f"al:save:{DOWN.key()}"), ("✖️ Cancel", "al:no")]
    assert await store_of(chat).alerts_of(ME) == [], "nothing saved before the press"
    done = sent(await chat.press(shown.result, f"al:save:{DOWN.key()}"), "editMessageText")
    assert done.params["text"] == (
        f"✅ Alert saved: {US_DOWN_EN}\nI will tell this chat when a month's figures meet it. "
        "/alerts lists them."
    )
    assert buttons(done) == [], "the buttons go"
    (alert,) = await store_of(chat).alerts_of(ME)
    assert (alert.rule, alert.thread_id, alert.set_by) == (DOWN, 0, ME)
    again = sent(await chat.press(shown.result, f"al:save:{DOWN.key()}"), "editMessageText")
    assert again.params["text"] == f"This alert is set already: {US_DOWN_EN}\n/alerts lists them."
    assert len(await store_of(chat).alerts_of(ME)) == 1


async def test_cancel_saves_nothing(chat: LocalChat) -> None:
    shown = sent(await chat.send("/alert DE share > 30%")).result
    done = sent(await chat.press(shown, "al:no"), "editMessageText")
    assert done.params["text"] == "✖️ Not saved."
    assert await store_of(chat).alerts_of(ME) == []


async def test_an_unclear_rule_names_every_unknown_word_and_gives_an_example(
    chat: LocalChat,
) -> None:
    calls = await chat.send("/alert US mom banana A&B")
    (text,) = replies(calls)
    assert text.startswith("I did not understand “banana”, “A&amp;B”, so I have not set an alert.")
    assert text.endswith("For example: /alert US mom &lt; -25%")
    assert buttons(sent(calls)) == []
    assert replies(await chat.send("/alert")) == [
        "Tell me the rule: a partner, a figure, a comparison and a threshold. For example: "
        "/alert US mom &lt; -25%"
    ]
    no_comparison = replies(await chat.send("/alert US mom 25%"))[0]
    assert "below, above, &lt;, &gt;, or a record?" in no_comparison
    assert await store_of(chat).alerts_of(ME) == []


async def test_a_rule_in_chinese_is_answered_and_saved_in_chinese(auto_chat: LocalChat) -> None:
    shown = sent(await auto_chat.send("/alert 美国 环比 < -25%"))
    assert shown.params["text"] == f"🔔 设置这条提醒吗？\n{US_DOWN_ZH}"
    assert buttons(shown) == [("✅ 保存", f"al:save:{DOWN.key()}"), ("✖️ 取消", "al:no")]
    done = sent(await auto_chat.press(shown.result, f"al:save:{DOWN.key()}"), "editMessageText")
    assert done.params["text"] == (
        f"✅ 提醒已保存：{US_DOWN_ZH}\n当某月数据满足条件时，我会在本聊天通知。"
        "/alerts 可列出所有提醒。"
    )
    unclear = replies(await auto_chat.send("/alert 美国 环比 香蕉"))[0]
    assert "“香蕉”" in unclear


async def test_every_button_s_data_fits_and_a_forged_one_gets_a_note(chat: LocalChat) -> None:
    longest = "/alert spherical graphite WORLD_EX_US ytd >= 123456.75 t"
    shown = sent(await chat.send(longest))
    assert all(len(data.encode()) <= MAX_BYTES for _, data in buttons(shown))
    forged = (  # keys no typed rule gives: an unknown partner, a negative quantity, a
        # share above 100%, the share of China's total, a record with a threshold, a reference
        "al:save:85051110:XX:Tlt200",
        "al:save:85051110:US:Tlt-5",
        "al:save:85051110:US:Sgt300",
        "al:save:85051110:WORLD:Sgt30",
        "al:save:85051110:US:Thi5",
        "al:save:HS850511:US:Tlt200",
    )
    for data in (
        "al:save:nonsense",
        "al:save:85051110:US:Qlt5",
        *forged,
        "al:del:x",
        "al:what",
        "al:",
    ):
        calls = await chat.press(shown.result, data)
        assert note(calls) == ("This button no longer works. Send /alert or /alerts again.", True)
        assert not [c for c in calls if c.method == "editMessageText"]
    assert await store_of(chat).alerts_of(ME) == []


# -- /alerts: the list and its delete buttons ------------------------------------------------


async def test_alerts_lists_each_with_a_delete_button_and_deletes(chat: LocalChat) -> None:
    empty = replies(await chat.send("/alerts"))[0]
    assert empty.startswith("🔕 This chat has no alerts.\nSet one in plain words")
    assert "/alert US mom &lt; -25%\n/alert DE share &gt; 30%" in empty
    store = store_of(chat)
    await store.add_alert(ME, 0, DOWN, ME)
    await store.add_alert(
        ME, 0, AlertRule("gallium", "JP", Metric.TONNES, Comparison.BELOW, 200), ME
    )
    shown = sent(await chat.send("/alerts"))
    first, second = await store.alerts_of(ME)
    assert shown.params["text"] == (
        "<b>🔔 This chat's alerts: 2 (at most 20)</b>\n"
        f"1. {US_DOWN_EN}\n"
        "2. Japan (gallium): alert when a month's exports fall below 200 kg\n\n"
        "Delete one with its button. Another: /alert DE share &gt; 30%"
    )
    assert buttons(shown) == [("🗑 1", f"al:del:{first.id}"), ("🗑 2", f"al:del:{second.id}")]
    calls = await chat.press(shown.result, f"al:del:{first.id}")
    edited = sent(calls, "editMessageText")
    assert edited.params["text"].startswith(
        f"🗑 Deleted: {US_DOWN_EN}\n<b>🔔 This chat's alerts: 1 (at most 20)</b>\n1. Japan"
    )
    assert buttons(edited) == [("🗑 1", f"al:del:{second.id}")]
    assert [a.id for a in await store.alerts_of(ME)] == [second.id]
    again = await chat.press(shown.result, f"al:del:{first.id}")
    assert note(again) == ("This alert was deleted already.", False)


async def test_a_delete_button_never_deletes_another_chat_s_alert(chat: LocalChat) -> None:
    store = store_of(chat)
    _, theirs = await store.add_alert(555, 0, DOWN, 555)
    assert theirs is not None
    shown = sent(await chat.send("/alerts")).result
    calls = await chat.press(shown, f"al:del:{theirs.id}")
    assert note(calls) == ("This alert was deleted already.", False)
    assert [a.id for a in await store.alerts_of(555)] == [theirs.id]


async def test_the_twenty_first_alert_is_refused(chat: LocalChat) -> None:
    store = store_of(chat)
    for i in range(MAX_ALERTS):
        await store.add_alert(ME, 0, AlertRule(M, "JP", Metric.TONNES, Comparison.ABOVE, i + 1), ME)
    shown = sent(await chat.send("/alert US mom < -25%")).result
    done = sent(await chat.press(shown, f"al:save:{DOWN.key()}"), "editMessageText")
    assert done.params["text"] == (
        "Not saved: this chat has 20 alerts, the most it may have. Delete one with /alerts first."
    )
    assert await store.count_alerts(ME) == MAX_ALERTS
    listed = sent(await chat.send("/alerts"))
    assert len(buttons(listed)) == MAX_ALERTS and len(listed.params["text"]) < 4096
    assert [len(row) for row in listed.params["reply_markup"]["inline_keyboard"]] == [5] * 4


async def test_alerts_in_a_chat_that_chose_chinese(chat: LocalChat) -> None:
    await chat.send("/lang zh")
    await store_of(chat).add_alert(ME, 0, DOWN, ME)
    shown = sent(await chat.send("/alerts"))
    assert shown.params["text"] == (
        "<b>🔔 本聊天的提醒：1 条（最多 20 条）</b>\n"
        f"1. {US_DOWN_ZH}\n\n"
        "用对应按钮删除。再设一条：/alert 德国 占比 &gt; 30%"
    )
    assert (
        replies(await chat.send("/alert US mom < -25%"))[0] == f"🔔 设置这条提醒吗？\n{US_DOWN_ZH}"
    )


async def test_a_paused_alert_says_so(chat: LocalChat) -> None:
    store = store_of(chat)
    await store.add_alert(ME, 0, DOWN, ME)
    await store.set_status(ME, "paused", "Forbidden: bot was blocked by the user")
    text = replies(await chat.send("/alerts"))[0]
    assert f"1. {US_DOWN_EN} (⏸ paused while the bot could not write here)" in text


# -- groups: anyone reads, administrators set and delete ---------------------------------------


async def test_in_a_group_only_administrators_set_an_alert(group: LocalChat) -> None:
    calls = await group.send("/alert US mom < -25%", **in_group(MEMBER))
    assert replies(calls) == [
        f"🔔 I read this alert as:\n{US_DOWN_EN}\n🔒 Only this group's administrators can set it."
    ]
    assert buttons(sent(calls)) == []
    shown = sent(await group.send("/alert US mom < -25%", **in_group(ADMIN))).result
    pressed = await group.process(callback_update(f"al:save:{DOWN.key()}", shown, user(MEMBER)))
    assert note(pressed) == (REFUSED_EN, True)
    assert await store_of(group).alerts_of(GROUP) == []
    cancel = await group.process(callback_update("al:no", shown, user(MEMBER)))
    assert note(cancel) == (REFUSED_EN, True)
    done = await group.process(callback_update(f"al:save:{DOWN.key()}", shown, user(ADMIN)))
    assert sent(done, "editMessageText").params["text"].startswith("✅ Alert saved:")
    (alert,) = await store_of(group).alerts_of(GROUP)
    assert alert.set_by == ADMIN


async def test_in_a_group_anyone_lists_and_only_administrators_delete(group: LocalChat) -> None:
    store = store_of(group)
    _, alert = await store.add_alert(GROUP, 0, DOWN, ADMIN)
    assert alert is not None
    shown = sent(await group.send("/alerts", **in_group(MEMBER)))
    assert shown.params["text"].endswith(
        "Administrators delete one with its button. Another: /alert DE share &gt; 30%"
    )
    refused = await group.process(callback_update(f"al:del:{alert.id}", shown.result, user(MEMBER)))
    assert note(refused) == (REFUSED_EN, True)
    assert len(await store.alerts_of(GROUP)) == 1
    await group.process(callback_update(f"al:del:{alert.id}", shown.result, user(ADMIN)))
    assert await store.alerts_of(GROUP) == []


async def test_an_anonymous_administrator_may_set_one(group: LocalChat) -> None:
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
    as_group = {"id": GROUP, "type": "supergroup", "title": "Local group"}
    calls = await group.send(
        "/alert US mom < -25%",
        chat_id=GROUP,
        chat_type="supergroup",
        user=anonymous,
        sender_chat=as_group,
    )
    assert buttons(sent(calls))[0][0] == "✅ Save"


async def test_in_a_forum_topic_the_alerts_are_the_topic_s(group: LocalChat) -> None:
    store = store_of(group)
    await store.add_alert(GROUP, 0, DOWN, ADMIN)
    shown = sent(await group.send("/alert DE share > 30%", **in_group(ADMIN, thread_id=77)))
    assert int(shown.params["message_thread_id"]) == 77
    rule = AlertRule(M, "DE", Metric.SHARE, Comparison.ABOVE, 30)
    await group.process(callback_update(f"al:save:{rule.key()}", shown.result, user(ADMIN)))
    assert [(a.thread_id, a.rule) for a in await store.alerts_of(GROUP)] == [(0, DOWN), (77, rule)]
    listed = replies(await group.send("/alerts", **in_group(MEMBER, thread_id=77)))[0]
    assert listed.startswith(
        "<b>🔔 This topic's alerts: 1 (this chat may have 20 in all)</b>\n1. Germany:"
    )
    assert "United States" not in listed
    whole = replies(await group.send("/alerts", **in_group(MEMBER)))[0]
    assert "Germany" not in whole and "United States" in whole


async def test_a_group_upgrade_and_the_bot_s_removal_reach_the_alerts(group: LocalChat) -> None:
    old, new = -556, -100_999
    store = store_of(group)
    await store.add_alert(old, 0, DOWN, ADMIN)
    await store.set_watchlist(old, 0, M, ["DE"])
    service = message_dict("", chat_id=old, chat_type="group") | {"migrate_to_chat_id": new}
    service.pop("text")
    await group.process({"update_id": 7001, "message": service})
    assert [a.rule for a in await store.alerts_of(new)] == [DOWN]
    assert await store.watchlists_of(new, 0) == [Watchlist(new, 0, M, ("DE",))]
    chat = {"id": new, "type": "supergroup", "title": "Local group"}
    await group.process(membership(chat, "member", "kicked"))
    assert [a.paused for a in await store.alerts_of(new)] == [True]
    await group.process(membership(chat, "left", "member"))
    assert [a.paused for a in await store.alerts_of(new)] == [False]


def membership(chat: dict[str, object], old: str, new: str) -> dict[str, Any]:
    bot = {"id": 777000111, "is_bot": True, "first_name": "ExportWatch"}
    member = {"user": bot, "status": new} | ({"until_date": 0} if new == "kicked" else {})
    return {
        "update_id": 7100 + len(new),
        "my_chat_member": {
            "chat": chat,
            "from": user(ADMIN),
            "date": 0,
            "old_chat_member": {"user": bot, "status": old},
            "new_chat_member": member,
        },
    }


# -- /watch ------------------------------------------------------------------------------------


async def test_watch_sets_shows_and_clears(chat: LocalChat) -> None:
    store = store_of(chat)
    assert replies(await chat.send("/watch"))[0].startswith("👀 This chat watches no partners.\n")
    assert replies(await chat.send("/watch DE JP KR")) == [
        "✅ Watching, in rare-earth magnets: Germany, Japan, South Korea.\nAfter each new month, "
        "one short message with just their lines (exports, changes, share). /watch off clears it."
    ]
    await chat.send("/watch 镓 DE JP")
    await chat.send("/watch Germany, Japan and South Korea")  # the same, in names
    assert await store.watchlists_of(ME, 0) == [
        Watchlist(ME, 0, M, ("DE", "JP", "KR")),
        Watchlist(ME, 0, "gallium", ("DE", "JP")),
    ]
    assert replies(await chat.send("/watch")) == [
        "👀 This chat watches:\nrare-earth magnets: Germany, Japan, South Korea\n"
        "gallium: Germany, Japan\nAfter each new month, one short message with just these "
        "partners' lines (exports, changes, share). /watch off clears it."
    ]
    assert replies(await chat.send("/watch gallium off")) == [
        "✅ The watchlist of gallium is cleared."
    ]
    assert replies(await chat.send("/watch off")) == ["✅ The watchlist is cleared."]
    assert replies(await chat.send("/watch off")) == ["There was no watchlist to clear."]
    assert await store.watchlists_of(ME, 0) == []


async def test_an_unknown_partner_is_named_and_nothing_is_saved(chat: LocalChat) -> None:
    await chat.send("/watch US")
    before = await store_of(chat).watchlists_of(ME, 0)
    assert replies(await chat.send("/watch DE Germny <i>")) == [
        "I did not recognise “Germny” (did you mean Germany (DE)?), “&lt;i&gt;” as a partner, "
        "so nothing was saved. For example: /watch DE JP KR"
    ]
    assert replies(await chat.send("/watch Congo"))[0].startswith(
        "I did not recognise “Congo” (several countries: "
    )
    assert replies(await chat.send("/watch galium DE"))[0].startswith(
        "I did not recognise “galium” (did you mean gallium?)"
    )
    assert replies(await chat.send("/watch 镓 锗 DE")) == [
        "A watchlist is for one material: gallium, germanium are several. For example: "
        "/watch gallium DE JP"
    ]
    eleven = "/watch US DE JP KR IN VN TH FR GB IT ES"
    assert replies(await chat.send(eleven)) == [
        "A watchlist holds at most 10 partners; 11 were named, so nothing was saved."
    ]
    assert await store_of(chat).watchlists_of(ME, 0) == before


async def test_watch_in_chinese(auto_chat: LocalChat) -> None:
    assert replies(await auto_chat.send("/watch 德国 日本 韩国")) == [
        "✅ 已关注（稀土永磁体）：德国、日本、韩国。\n"
        "每有新月份数据，将发来一条简短消息，只列出它们的数据（出口量、变化、占比）。"
        "/watch 关闭 可清除。"
    ]
    assert replies(await auto_chat.send("/watch 镓 德过")) == [
        "我没有认出“德过”（您是不是想说德国（DE）？）是哪个贸易伙伴，因此未保存任何内容。"
        "例如：/watch DE JP KR"
    ]
    assert replies(await auto_chat.send("/watch 关闭")) == ["✅ 关注列表已清除。"]


async def test_in_a_group_only_administrators_change_the_watchlist(group: LocalChat) -> None:
    assert replies(await group.send("/watch DE", **in_group(MEMBER))) == [
        "🔒 Only this group's administrators can change its watchlist."
    ]
    assert await store_of(group).watchlists_of(GROUP, 0) == []
    await group.send("/watch DE", **in_group(ADMIN, thread_id=9))
    assert await store_of(group).watchlists_of(GROUP, 9) == [Watchlist(GROUP, 9, M, ("DE",))]
    shown = replies(await group.send("/watch", **in_group(MEMBER, thread_id=9)))[0]
    assert shown.startswith("👀 This topic watches:\nrare-earth magnets: Germany\n")


# -- the menu and /help ------------------------------------------------------------------------


def test_the_menu_has_the_commands_in_both_languages() -> None:
    for language in ("en", "zh"):
        commands = {c.command: c.description for c in menu(language)}
        assert {"alert", "alerts", "watch"} <= set(commands)
        assert "/alert" in commands["alert"] and "/watch" in commands["watch"]


async def test_help_names_the_commands(chat: LocalChat) -> None:
    english = replies(await chat.send("/help"))[0]
    assert "/alert US mom &lt; -25%" in english and "/alerts" in english and "/watch DE" in english
    await chat.send("/lang zh")
    chinese = replies(await chat.send("/help"))[0]
    assert "用日常语言设置提醒" in chinese and "/watch 镓 德国 日本" in chinese
