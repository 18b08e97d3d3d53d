"""/subscribe, /unsubscribe, /status and the operator commands, through the real Application;
membership changes and group upgrades; revisions. The network is the offline layer."""

from __future__ import annotations

import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.config import Settings
from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES as DATASET
from bot.datastore import DataStore
from bot.offline import BOT_USER, ApiCall
from bot.push.delivery import DeliveryWorker, Limits, RetryPolicy
from bot.push.releases import check_releases
from bot.push.schema import NewMessage
from bot.push.storage import Store
from bot.records import ACTIVE, PAUSED
from bot.services import Services
from bot.updates import message_dict
from tests.conftest import DATA_DIR, TODAY

GROUP = -100_555
ADMIN, MEMBER = 11, 12
ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


def user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


def in_group(**extra: object) -> dict[str, object]:
    return {"chat_id": GROUP, "chat_type": "supergroup", **extra}


@pytest.fixture
async def group_chat(services: Services) -> AsyncIterator[LocalChat]:
    async with LocalChat(services) as chat:
        chat.request.member_status[ADMIN] = "administrator"
        yield chat


def sent_to(calls: list[ApiCall], chat_id: int) -> list[dict[str, Any]]:
    return [
        c.params for c in calls if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id
    ]


async def test_private_subscribe_gets_the_latest_summary_right_away(services: Services) -> None:
    async with LocalChat(services) as chat:
        calls = await chat.send("/subscribe")
        texts = replies(calls)
        assert texts[0].startswith("✅ Subscribed this chat")
        assert "China's rare-earth magnet exports, March 2026" in texts[1]
        assert len(texts) == 2  # the latest month only, not the history
        again = replies(await chat.send("/subscribe"))
        assert again == ["✅ This chat is already subscribed. /status shows the details."]
        status = replies(await chat.send("/status"))[0]
        assert "is subscribed" in status and "Last summary received: March 2026" in status
        assert "Next: April 2026, expected around 20 May 2026" in status and "overdue" in status
        assert "Unsubscribed" in replies(await chat.send("/unsubscribe"))[0]
        assert "is not subscribed" in replies(await chat.send("/status"))[0]


async def test_a_non_administrator_is_refused_politely(group_chat: LocalChat) -> None:
    texts = replies(await group_chat.send("/subscribe", user=user(MEMBER), **in_group()))
    assert texts == [
        "🔒 Only this group's administrators can change its subscription. "
        "Ask an admin, or subscribe in a private chat with me."
    ]
    store = group_chat.application.bot_data["services"].store
    assert await store.subscriptions_of(GROUP) == []
    texts = replies(await group_chat.send("/unsubscribe", user=user(MEMBER), **in_group()))
    assert texts[0].startswith("🔒")


async def test_an_administrator_and_an_anonymous_administrator_may(group_chat: LocalChat) -> None:
    texts = replies(await group_chat.send("/subscribe", user=user(ADMIN), **in_group()))
    assert texts[0].startswith("✅ Subscribed this chat")
    store = group_chat.application.bot_data["services"].store
    (sub,) = await store.subscriptions_of(GROUP)
    assert sub.subscribed_by == ADMIN and sub.status == ACTIVE
    as_group = {"id": GROUP, "type": "supergroup", "title": "Local group"}
    texts = replies(
        await group_chat.send(
            "/unsubscribe", user=ANONYMOUS_ADMIN, sender_chat=as_group, **in_group()
        )
    )
    assert texts[0].startswith("👋 Unsubscribed this chat")


async def test_a_topic_subscription_posts_to_its_topic(group_chat: LocalChat) -> None:
    calls = await group_chat.send("/subscribe", user=user(ADMIN), **in_group(thread_id=77))
    params = sent_to(calls, GROUP)
    assert len(params) == 2 and all(int(p["message_thread_id"]) == 77 for p in params)
    assert "Subscribed this topic" in str(params[0]["text"])
    store = group_chat.application.bot_data["services"].store
    (sub,) = await store.subscriptions_of(GROUP)
    assert sub.thread_id == 77


def membership_update(chat: dict[str, object], old: str, new: str) -> dict[str, object]:
    member = {"user": BOT_USER, "status": new} | ({"until_date": 0} if new == "kicked" else {})
    return {
        "update_id": int(time.time() * 1000) % 1_000_000,
        "my_chat_member": {
            "chat": chat,
            "from": user(ADMIN),
            "date": int(time.time()),
            "old_chat_member": {"user": BOT_USER, "status": old},
            "new_chat_member": member,
        },
    }


async def test_removed_pauses_and_added_back_resumes(group_chat: LocalChat) -> None:
    await group_chat.send("/subscribe", user=user(ADMIN), **in_group())
    store = group_chat.application.bot_data["services"].store
    chat = {"id": GROUP, "type": "supergroup", "title": "Local group"}
    await group_chat.process(membership_update(chat, "member", "kicked"))
    (sub,) = await store.subscriptions_of(GROUP)
    assert sub.status == PAUSED and "removed" in (sub.paused_reason or "")
    await group_chat.process(membership_update(chat, "left", "member"))
    (sub,) = await store.subscriptions_of(GROUP)
    assert sub.status == ACTIVE


async def test_a_group_upgrade_moves_the_subscription(group_chat: LocalChat) -> None:
    old, new = -555, -100_777
    await group_chat.send("/subscribe", user=user(ADMIN), chat_id=old, chat_type="group")
    store = group_chat.application.bot_data["services"].store
    service = message_dict("", chat_id=old, chat_type="group") | {"migrate_to_chat_id": new}
    service.pop("text")
    await group_chat.process({"update_id": 5001, "message": service})
    assert await store.subscriptions_of(old) == []
    (sub,) = await store.subscriptions_of(new)
    assert sub.status == ACTIVE and sub.chat_type == "supergroup"
    second = message_dict("", chat_id=new, chat_type="supergroup") | {"migrate_from_chat_id": old}
    second.pop("text")
    await group_chat.process({"update_id": 5002, "message": second})
    assert len(await store.subscriptions_of(new)) == 1


async def test_operator_commands_are_for_operators_only(services: Services) -> None:
    async with LocalChat(services) as chat:
        assert replies(await chat.send("/stats"))[0].startswith("🔒")
        assert replies(await chat.send("/preview"))[0].startswith("🔒")
    services.settings = type(services.settings)(
        data_dir=DATA_DIR,
        database_url=services.settings.database_url,
        admin_user_ids=frozenset({1001}),
    )
    async with LocalChat(services) as chat:
        await chat.send("/subscribe")
        stats = replies(await chat.send("/stats"))[0]
        assert "Subscriptions: 1 active, 0 paused" in stats and "1 sent" in stats
        preview = replies(await chat.send("/preview"))[0]
        assert "China's rare-earth magnet exports, March 2026" in preview
        group = replies(await chat.send("/stats", chat_id=-1, chat_type="supergroup"))
        assert group[0].startswith("🔒")


async def test_a_revised_figure_sends_a_notice_to_those_who_got_the_month(
    services: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    services.data = DataStore(folder)  # this test's own data, which it revises
    async with LocalChat(services) as chat:
        await chat.send("/subscribe")  # gets March 2026
        store, lookup = services.store, services.lookup()
        assert (await check_releases(store, lookup)).baseline
        csv = folder / "magnet_exports.csv"
        csv.write_text(csv.read_text().replace("2026-03,US,tonnes,406,", "2026-03,US,tonnes,410,"))
        assert services.data.reload() is None

        report = await check_releases(store, services.lookup())
        assert report.revised == ["2026-03"] and report.queued == 1
        await services.delivery.drain()  # type: ignore[union-attr]
        notice = [m for m in await store.messages(chat_id=1001) if m.kind.startswith("revision")]
        assert notice[0].status == "sent" and notice[0].dataset == DATASET
        assert "Revised</b>: United States, March 2026: 406 t → 410 t" in notice[0].text
        assert (await check_releases(store, services.lookup())).queued == 0  # once only


async def test_stats_never_shows_the_token_an_error_echoed(tmp_path: Path) -> None:
    token = "123456:SECRET-token_value"
    url = f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}"
    settings = Settings(
        data_dir=DATA_DIR, database_url=url, token=token, admin_user_ids=frozenset({1001})
    )
    store = await Store.open(url)
    await store.enqueue([NewMessage(-5, 0, "85051110", "2026-03", "summary", "text")])

    class EchoingBot(Bot):
        async def send_message(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            raise BadRequest(f"Not found: /bot{token}/sendMessage")

    worker = DeliveryWorker(store, EchoingBot(token), Limits(), RetryPolicy(max_attempts=1))
    await worker.drain(timeout=5)
    services = Services(settings, DataStore(DATA_DIR), lambda: TODAY, store)
    async with LocalChat(services) as chat:
        text = replies(await chat.send("/stats"))[0]
    assert "1 failed" in text and "SECRET" not in text and "[secret]" in text
    await store.close()
