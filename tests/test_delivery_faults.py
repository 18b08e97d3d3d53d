"""The database fails under the delivery worker: a SQLite file locked by a second connection,
or PostgreSQL cut off behind a proxy, right after Telegram accepted a message. The worker
records the outcome when the database is back (never sending again), the chat's next message
follows without a restart, and a lease lost during the stall does not send anything twice.
Also: the worker stops even when stopped just as it is woken."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from telegram import Bot
from telegram.error import TimedOut

from bot.offline import OfflineRequest
from bot.push.delivery import DeliveryWorker, Limits, RetryPolicy
from bot.push.leadership import Leadership, Lease
from bot.push.storage import Store
from bot.records import SENT
from tests.fake_telegram import FakeTelegram
from tests.faults import (
    QUICK_DATABASE_RETRY,
    TOKEN,
    AfterSend,
    CuttableProxy,
    SqliteLock,
    all_sent,
    message,
    until,
)


@dataclass
class Fault:
    """Makes the database fail (``start``) and answer again (``end``)."""

    url: str
    lock: SqliteLock | None = None
    proxy: CuttableProxy | None = None

    async def start(self) -> None:
        if self.lock is not None:
            self.lock.take()  # "database is locked" for every write of the bot
        if self.proxy is not None:
            await self.proxy.cut()  # PostgreSQL unreachable, open connections reset

    async def end(self) -> None:
        if self.lock is not None:
            self.lock.give_back()
        if self.proxy is not None:
            await self.proxy.restore()


@asynccontextmanager
async def faulty_database(database_url: str) -> AsyncIterator[tuple[Store, Fault]]:
    """A store whose database can be made to fail for real: SQLite through a second
    connection's write lock, PostgreSQL through a proxy that is cut."""
    if database_url.startswith("sqlite"):
        store = Store(database_url, busy_timeout=0.05)
        await store.migrate()
        lock = SqliteLock(Path(make_url(database_url).database or ""))
        try:
            yield store, Fault(database_url, lock=lock)
        finally:
            lock.close()
            await store.close()
        return
    url = make_url(database_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    store = Store(proxied)
    await store.migrate()
    try:
        yield store, Fault(proxied, proxy=proxy)
    finally:
        await proxy.restore()
        await store.close()
        await proxy.close()


async def test_a_database_failure_after_the_send_is_recorded_later_and_the_chat_goes_on(
    database_url: str,
) -> None:
    chats = list(range(1, 21))
    async with faulty_database(database_url) as (store, fault):
        await store.enqueue([message(c) for c in chats] + [message(1, "revision:a")])
        with FakeTelegram(TOKEN) as tg:
            bot = AfterSend(tg, fault.start)  # the database fails once Telegram accepted one
            worker = DeliveryWorker(
                store, bot, Limits().scaled(20), database_retry=QUICK_DATABASE_RETRY
            )
            await worker.start()
            try:
                await until(lambda: len(tg.delivered) == len(chats))  # sent, none recorded
                await until(lambda: worker.database_errors >= 3)  # and it kept trying
                await fault.end()
                await until(lambda: all_sent(store))  # without a restart
            finally:
                await worker.stop()
        counts = tg.delivered_count()
        assert counts[1] == 2, "the chat's next message followed once the first was recorded"
        assert all(counts[c] == 1 for c in chats[1:]), "nothing was sent twice"


async def test_a_lease_lost_during_the_stall_sends_nothing_twice(database_url: str) -> None:
    async with faulty_database(database_url) as (store, fault):
        await store.enqueue([message(1), message(2)])
        with FakeTelegram(TOKEN) as tg:
            bot = AfterSend(tg, fault.start)
            lease = Lease(store.engine, 0.9, holder="the only process")
            workers: list[DeliveryWorker] = []

            async def lead() -> None:
                worker = DeliveryWorker(
                    store, bot, lease=lease, database_retry=QUICK_DATABASE_RETRY
                )
                workers.append(worker)
                await worker.start()

            async def follow() -> None:
                await workers[-1].stop(wait=0.05)

            leadership = Leadership(lease, lead, follow)
            await leadership.start()
            try:
                await until(lambda: len(workers) == 1 and not leadership.leading)  # lost it
                await fault.end()
                await until(lambda: len(workers) == 2 and leadership.leading)  # and back
                await until(lambda: workers[-1].stale_released)  # the handover is over
                await until(lambda: all_sent(store))
            finally:
                await leadership.stop()
        assert tg.delivered_count() == {1: 1, 2: 1}


class FlakyBot(Bot):
    """Times out on the first send to each chat, then delivers through the fake server."""

    def __init__(self, tg: FakeTelegram) -> None:
        super().__init__(TOKEN, base_url=f"{tg.url}/bot")
        self._failed: set[int] = set()

    async def send_message(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        chat = kwargs["chat_id"]
        assert isinstance(chat, int)
        if chat not in self._failed:
            self._failed.add(chat)
            raise TimedOut("no answer")
        return await super().send_message(*args, **kwargs)  # type: ignore[arg-type]


async def test_drain_waits_for_a_message_retried_later(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(1)])
    policy = RetryPolicy(max_attempts=3, backoff_base=0.3, backoff_cap=0.3)
    try:
        with FakeTelegram(TOKEN) as tg:
            worker = DeliveryWorker(store, FlakyBot(tg), policy=policy)
            await worker.drain(timeout=30)
            assert tg.delivered_count() == {1: 1}
        assert [m.status for m in await store.messages()] == [SENT]
    finally:
        await store.close()


async def test_drain_claims_again_when_a_send_ends_during_its_claim(database_url: str) -> None:
    """The flaky PostgreSQL case: the chat's first message was recorded while the claim that
    found nothing was under way; that claim must not end the drain."""
    store = await Store.open(database_url)
    await store.enqueue([message(1), message(1, "revision:a")])
    try:
        with FakeTelegram(TOKEN) as tg:
            worker = DeliveryWorker(store, AfterSend(tg, lambda: None))
            claim = store.claim_due

            async def claim_during_the_first_send(limit: int, fence: object = None) -> object:
                found = await claim(limit)
                if not found:  # the first message's send and record finish now
                    await until(lambda: not worker._in_flight)
                return found

            assert await worker.run_once() == 1
            store.claim_due = claim_during_the_first_send  # type: ignore[assignment,method-assign]
            await worker.drain(timeout=30)
            assert tg.delivered_count() == {1: 2}
    finally:
        await store.close()


async def test_a_worker_stopped_just_as_it_is_woken_stops(tmp_path: Path) -> None:
    """With asyncio.wait_for (Python 3.11) the cancel was lost when the wake-up came with it,
    and stop() waited for ever."""
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'stop.db'}")
    try:
        for _ in range(20):
            worker = DeliveryWorker(store, Bot(TOKEN, request=OfflineRequest()), poll_seconds=30)
            await worker.start()
            await asyncio.sleep(0.02)  # nothing is due: it waits to be woken
            worker.wake()
            await asyncio.wait_for(worker.stop(), timeout=5)
    finally:
        await store.close()
