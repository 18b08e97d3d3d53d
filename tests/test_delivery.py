"""The monthly push through flood limits, blocked and deleted chats, group upgrades and
dropped connections: every live chat gets exactly one summary, the others the documented
outcome. The bot talks HTTP to the fake Telegram server."""

from __future__ import annotations

from pathlib import Path

from bot.data.dataset import CUSTOMS_SERIES as DATASET
from bot.push.delivery import Limits
from bot.records import ACTIVE, DROPPED, PAUSED, SENT
from bot.scheduler import run_release_check
from tests.fake_telegram import FakeTelegram
from tests.live import NEW_MONTH, TOKEN, data_before_new_month, live_bot, publish_new_month

SCALE = 20  # limits 20x Telegram's (600/s, 400/min per group), same ratio


async def test_a_thousand_chats_with_faults(tmp_path: Path, database_url: str) -> None:
    private = list(range(1, 701))
    groups = [-1_000_000 - i for i in range(1, 301)]
    blocked = set(private[:40] + groups[:10])
    deleted = set(private[40:60])
    upgraded = {g: -1_009_000_000 + i for i, g in enumerate(groups[10:30])}
    flaky = set(private[60:110])
    data = data_before_new_month(tmp_path / "data")
    with FakeTelegram(TOKEN, overall_per_second=30 * SCALE, group_per_minute=20 * SCALE) as tg:
        tg.behaviour.blocked |= blocked
        tg.behaviour.deleted |= deleted
        tg.behaviour.migrated |= upgraded
        tg.behaviour.drop_connections |= {chat: 1 for chat in flaky}
        async with live_bot(tg, data, database_url, Limits().scaled(SCALE)) as bot:
            store = bot.services.store
            for chat in private + groups:
                await store.subscribe(chat, 0, "private" if chat > 0 else "supergroup", None)
            first = await run_release_check(bot.services)
            assert first is not None, "the only process runs the release watcher"
            assert first.baseline and first.queued == 0  # nobody is sent the history
            publish_new_month(data)
            report = await run_release_check(bot.services)
            assert report is not None
            assert report.announced == [NEW_MONTH] and report.queued == 1000
            await bot.worker.drain(timeout=120)
            again = await run_release_check(bot.services)  # nothing new: nothing queued
            assert again is not None and again.queued == 0

            counts = tg.delivered_count()
            live = [c for c in private + groups if c not in blocked | deleted | set(upgraded)]
            assert all(counts[c] == 1 for c in live), "every live chat gets exactly one"
            assert all(counts[new] == 1 for new in upgraded.values())
            assert not any(counts[c] for c in blocked | deleted | set(upgraded))
            assert tg.responses["429"] == 0 and tg.responses["dropped"] == len(flaky)
            text = tg.messages_to(live[0])[0].text
            assert "China's rare-earth magnet exports, March 2026" in text

            for chat in blocked | deleted:
                (sub,) = await store.subscriptions_of(chat)
                assert sub.status == PAUSED and sub.paused_reason
            for old, new in upgraded.items():
                assert await store.subscriptions_of(old) == []
                (sub,) = await store.subscriptions_of(new)
                assert sub.status == ACTIVE and sub.chat_type == "supergroup"
            outcomes = await store.outbox_counts()
            assert outcomes[SENT] == len(live) + len(upgraded)
            assert outcomes[DROPPED] == len(blocked | deleted) + len(upgraded)
            sent = await store.messages(chat_id=live[0])
            assert [(m.dataset, m.month, m.kind) for m in sent] == [(DATASET, NEW_MONTH, "summary")]


async def test_429_is_waited_out_and_nothing_is_lost(tmp_path: Path, database_url: str) -> None:
    chats = list(range(1, 61))
    data = data_before_new_month(tmp_path / "data")
    # The server allows 20/s while the bot paces for 60/s: it must get 429s and obey them.
    with FakeTelegram(TOKEN, overall_per_second=20, group_per_minute=20) as tg:
        async with live_bot(tg, data, database_url, Limits().scaled(2)) as bot:
            for chat in chats:
                await bot.services.store.subscribe(chat, 0, "private", None)
            await run_release_check(bot.services)
            publish_new_month(data)
            await run_release_check(bot.services)
            await bot.worker.drain(timeout=120)
            assert tg.responses["429"] > 0 and bot.worker.retry_afters > 0
            assert all(tg.delivered_count()[c] == 1 for c in chats)


async def test_a_group_upgraded_mid_broadcast_keeps_its_subscription(
    tmp_path: Path, database_url: str
) -> None:
    groups = [-2_000_000 - i for i in range(1, 41)]
    upgraded, new_id = groups[-1], -1_002_000_000_001
    data = data_before_new_month(tmp_path / "data")
    with FakeTelegram(TOKEN, overall_per_second=600, group_per_minute=400) as tg:
        async with live_bot(tg, data, database_url, Limits().scaled(SCALE)) as bot:
            store = bot.services.store
            for chat in groups:
                await store.subscribe(chat, 0, "group", None)
            await run_release_check(bot.services)
            publish_new_month(data)
            await run_release_check(bot.services)
            await bot.worker.run_once()  # the broadcast has started...
            tg.behaviour.migrated[upgraded] = new_id  # ...when the group is upgraded
            await bot.worker.drain(timeout=60)
            assert len(tg.messages_to(new_id)) + len(tg.messages_to(upgraded)) == 1
            (sub,) = await store.subscriptions_of(new_id) or await store.subscriptions_of(upgraded)
            assert sub.status == ACTIVE
