"""The monthly push in each chat's language: a chat that chose Chinese (``/lang zh``) gets its
summary, its digest and its welcome in Chinese, an English chat in English, from the same
release; a digest's parts are recorded per language. On SQLite, and on PostgreSQL too when
TEST_POSTGRES_URL is set."""

from __future__ import annotations

from pathlib import Path

from bot.console import LocalChat
from bot.push.releases import SUMMARY, check_releases, digest_kind
from bot.push.schema import DIGEST
from bot.services import Services
from tests.test_materials_push import (
    MINERALS_FILE,
    TOGETHER,
    last_row,
    news,
    own_data,
    publish,
)

ZH_CHAT, EN_CHAT = 3001, 3002


def user(chat_id: int) -> dict[str, object]:
    return {"id": chat_id, "is_bot": False, "first_name": "U"}


async def chinese_and_english(chat: LocalChat, subscribe: str) -> None:
    """Two private chats send ``subscribe``: ``ZH_CHAT`` after choosing Chinese, ``EN_CHAT``
    with no choice (English, its user's Telegram language being unknown)."""
    await chat.send("/lang zh", chat_id=ZH_CHAT, user=user(ZH_CHAT))
    for chat_id in (ZH_CHAT, EN_CHAT):
        await chat.send(subscribe, chat_id=chat_id, user=user(chat_id))


async def test_each_chat_gets_the_release_in_its_own_language(
    services: Services, tmp_path: Path
) -> None:
    folder = own_data(services, tmp_path, TOGETHER)
    store = services.store
    async with LocalChat(services) as chat:
        await chinese_and_english(chat, "/subscribe gallium dysprosium")
        welcome_zh = (await store.messages(chat_id=ZH_CHAT))[-1].text
        welcome_en = (await store.messages(chat_id=EN_CHAT))[-1].text
        assert "镓" in welcome_zh and "千克" in welcome_zh and "Gallium" not in welcome_zh
        assert "Gallium" in welcome_en and " kg" in welcome_en
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline

        before = await last_row(store)
        await publish(services, folder, {})  # gallium and dysprosium on the same check
        (zh,) = await news(store, ZH_CHAT, before)
        (en,) = await news(store, EN_CHAT, before)
        assert zh[0] == en[0] == DIGEST and zh[2] != en[2], "each language its own digest"
        covered = [("dysprosium", "2025-12"), ("gallium", "2025-12")]
        assert en[2] == digest_kind(covered) and zh[2] == digest_kind(covered, "zh")
        text_zh = (await store.messages(chat_id=ZH_CHAT))[-1].text
        text_en = (await store.messages(chat_id=EN_CHAT))[-1].text
        assert "<b>镓，2025年12月</b>" in text_zh and "10,809 千克" in text_zh
        assert "<b>Gallium (镓), December 2025</b>" in text_en and "10,809 kg" in text_en

        status = "\n".join(m for m in await _replies(chat, "/status", ZH_CHAT))
        assert status.count("最近收到的摘要：2025年12月") == 2, "the Chinese digest counts"
        again = await check_releases(store, services.lookup(), services.lookup)
        assert again.queued == 0, "nothing twice"


async def test_a_single_series_summary_is_in_the_chats_language(
    services: Services, tmp_path: Path
) -> None:
    folder = own_data(services, tmp_path, {"gallium": "2025-12"})
    store = services.store
    async with LocalChat(services) as chat:
        await chinese_and_english(chat, "/subscribe gallium")
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        before = await last_row(store)
        await publish(services, folder, {})
        assert await news(store, ZH_CHAT, before) == [("gallium", "2025-12", SUMMARY)]
        assert await news(store, EN_CHAT, before) == [("gallium", "2025-12", SUMMARY)]
        zh = (await store.messages(chat_id=ZH_CHAT))[-1].text
        en = (await store.messages(chat_id=EN_CHAT))[-1].text
        assert "2025年12月" in zh and "千克" in zh and "December 2025" in en and " kg" in en


async def _replies(chat: LocalChat, text: str, chat_id: int) -> list[str]:
    calls = await chat.send(text, chat_id=chat_id, user=user(chat_id))
    return [str(c.params.get("text", "")) for c in calls if c.method == "sendMessage"]


async def test_a_revision_notice_is_in_each_chats_language(
    services: Services, tmp_path: Path
) -> None:
    folder = own_data(services, tmp_path, {"gallium": "2025-12"})
    store = services.store
    async with LocalChat(services) as chat:
        await chinese_and_english(chat, "/subscribe gallium")
        await check_releases(store, services.lookup(), services.lookup)
        await publish(services, folder, {})
        csv = folder / MINERALS_FILE
        revised = "gallium,2025-12,WORLD,kg,10900,"
        csv.write_text(csv.read_text().replace("gallium,2025-12,WORLD,kg,10809,", revised))
        assert services.data.reload() is None
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.released == [("gallium", "2025-12", "revised")] and report.queued == 2
        notices = {
            chat_id: [m.text for m in await store.messages(chat_id=chat_id) if "revision" in m.kind]
            for chat_id in (ZH_CHAT, EN_CHAT)
        }
        assert notices[EN_CHAT] == [
            "✏️ <b>Revised, gallium</b>: China&#x27;s total, December 2025: 10,809 kg → 10,900 kg\n"
            "Details: /sources gallium WORLD 2025-12"
        ]
        assert notices[ZH_CHAT] == [
            "✏️ <b>已修订：镓</b>：中国出口总量，2025年12月：10,809 千克 → 10,900 千克\n"
            "详情：/sources 镓 WORLD 2025-12"
        ]


async def test_the_push_follows_the_language_the_subscribe_was_answered_in(
    services: Services, tmp_path: Path
) -> None:
    """No /lang: the welcome and the news are in the language the /subscribe was answered in
    (a user whose Telegram is in Chinese; an English user who wrote it in Chinese); /lang en
    later wins over it."""
    folder = own_data(services, tmp_path, TOGETHER)
    store = services.store
    zh_user = {"id": ZH_CHAT, "is_bot": False, "first_name": "李", "language_code": "zh-hans"}
    async with LocalChat(services) as chat:
        calls = await chat.send("/subscribe gallium", chat_id=ZH_CHAT, user=zh_user)
        assert calls[0].params["text"].startswith("✅ 本聊天已订阅")
        assert await store.chat_language(ZH_CHAT) is None, "not a choice: /lang shows none"
        welcome = (await store.messages(chat_id=ZH_CHAT))[-1].text
        assert "<b>中国镓出口，2025年11月</b>" in welcome
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        before = await last_row(store)
        await publish(services, folder, {})
        assert await news(store, ZH_CHAT, before)
        assert "<b>中国镓出口，2025年12月</b>" in (await store.messages(chat_id=ZH_CHAT))[-1].text
        await chat.send("/lang en", chat_id=ZH_CHAT, user=zh_user)
        assert await store.push_language(ZH_CHAT) == "en"
        en_user = {"id": EN_CHAT, "is_bot": False, "first_name": "Ann", "language_code": "en"}
        calls = await chat.send("/subscribe 镓", chat_id=EN_CHAT, user=en_user)
        assert calls[0].params["text"].startswith("✅ 本聊天已订阅"), "asked in Chinese"
        assert await store.push_language(EN_CHAT) == "zh", "as its /subscribe was answered"
