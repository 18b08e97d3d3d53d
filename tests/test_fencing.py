"""Fencing, on each database backend: two workers share the database; the first loses the lease
with a send in flight. It can claim nothing more, the new holder leaves its row alone until it
has given it up, and the chat gets the message once. Also: marks check the claim (sent marks
made together too, in one transaction), and an older database is upgraded to carry the fencing
token."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, select, text
from telegram import Bot

from bot.push.delivery import DeliveryWorker
from bot.push.leadership import Lease
from bot.push.schema import delivered
from bot.push.storage import Store
from bot.records import PENDING, SENDING, SENT
from tests.fake_telegram import FakeTelegram
from tests.faults import TOKEN, message, until


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class HangingBot(Bot):
    """Sends through the fake server; the send to ``chat`` waits until ``go`` is set."""

    def __init__(self, tg: FakeTelegram, chat: int, go: asyncio.Event) -> None:
        super().__init__(TOKEN, base_url=f"{tg.url}/bot")
        self._chat, self._go = chat, go

    async def send_message(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs["chat_id"] == self._chat:
            await self._go.wait()
        return await super().send_message(*args, **kwargs)


async def status_of(store: Store, chat: int) -> str:
    (row,) = await store.messages(chat_id=chat)
    return row.status


async def test_the_new_holder_never_sends_a_row_the_old_one_has_in_flight(
    database_url: str,
) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(1), message(2), message(3)])
    go = asyncio.Event()
    try:
        with FakeTelegram(TOKEN) as tg:
            old_lease = Lease(store.engine, 60, holder="old", clock=Clock(1_000))
            assert await old_lease.acquire()
            old = DeliveryWorker(store, HangingBot(tg, 1, go), lease=old_lease)
            assert await old.run_once() == 3
            await until(lambda: tg.delivered_count() == {2: 1, 3: 1})  # chat 1's send hangs

            # The old holder stalls past its lease; another process takes over.
            new_lease = Lease(store.engine, 60, holder="new", clock=Clock(1_061))
            assert await new_lease.acquire()
            assert new_lease.generation == (old_lease.generation or 0) + 1
            await store.enqueue([message(4)])
            assert await old.run_once() == 0, "a worker whose lease was taken claims nothing"

            new = DeliveryWorker(store, Bot(TOKEN, base_url=f"{tg.url}/bot"), lease=new_lease)
            await new.start()
            await until(lambda: tg.delivered_count()[4] == 1)  # the new holder is sending
            assert tg.delivered_count()[1] == 0 and await status_of(store, 1) == SENDING

            go.set()  # the old send completes; the old worker records it under its claim

            async def recorded() -> bool:
                return await status_of(store, 1) == SENT

            await until(recorded)
            await old.idle()
            await new.stop()
        assert tg.delivered_count() == {1: 1, 2: 1, 3: 1, 4: 1}
    finally:
        await store.close()


async def test_marks_change_only_the_claim_they_were_made_for(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(1)])
    try:
        first = Lease(store.engine, 30, holder="first", clock=Clock(1_000))
        second = Lease(store.engine, 30, holder="second", clock=Clock(1_031))
        assert await first.acquire()
        (row,) = await store.claim_due(10, first)
        assert await second.acquire()
        assert await store.claim_due(10, first) == []
        assert await store.release_claims(older_than=second.generation) == 1
        (again,) = await store.claim_due(10, second)
        assert again.id == row.id
        assert not await store.mark_done(row.id, "failed", "late", first.generation)
        assert await status_of(store, 1) == SENDING
        assert await store.mark_sent(row.id, 7, second.generation)
        assert await status_of(store, 1) == SENT
    finally:
        await store.close()


async def test_a_sent_message_released_meanwhile_is_still_recorded(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(1)])
    try:
        (row,) = await store.claim_due(10)
        assert await store.release_claims() == 1
        assert await status_of(store, 1) == PENDING
        assert await store.mark_sent(row.id, 7, token=0)  # not sent again: it went out
        assert await status_of(store, 1) == SENT
    finally:
        await store.close()


async def test_a_database_from_before_fencing_is_upgraded(database_url: str) -> None:
    store = await Store.open(database_url)
    async with store.engine.begin() as conn:  # as schema 2 left it
        await conn.execute(text("ALTER TABLE outbox DROP COLUMN claim_token"))
        await conn.execute(text("ALTER TABLE leases DROP COLUMN generation"))
        await conn.execute(text("UPDATE schema_version SET version = 2"))
    await store.close()
    store = await Store.open(database_url)
    try:
        await store.enqueue([message(1)])
        lease = Lease(store.engine, 30, holder="after the upgrade")
        assert await lease.acquire() and lease.generation == 1
        assert len(await store.claim_due(10, lease)) == 1
    finally:
        await store.close()


async def test_sent_marks_made_together_are_one_transaction_each_on_its_own_claim(
    database_url: str,
) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(1), message(2), message(3)])
    commits: list[object] = []
    try:
        ours, theirs = await store.claim_due(2)  # chat 3 is left pending
        (waiting,) = await store.messages(chat_id=3)
        event.listen(store.engine.sync_engine, "commit", commits.append)
        recorded = await asyncio.gather(
            store.mark_sent(ours.id, 11, token=0),
            store.mark_sent(theirs.id, 12, token=5),  # claimed under token 0, not 5
            store.mark_sent(waiting.id, 13, token=5),  # released meanwhile: still recorded
            store.mark_sent(999_999, 14, token=0),  # no such row
        )
        assert list(recorded) == [True, False, True, False]
        assert len(commits) == 1, "one transaction for the four marks"
        assert {(m.chat_id, m.status) for m in await store.messages()} == {
            (1, SENT),
            (2, SENDING),
            (3, SENT),
        }
        async with store.engine.connect() as conn:
            kept = await conn.execute(select(delivered.c.chat_id).order_by(delivered.c.chat_id))
            assert [chat for (chat,) in kept] == [1, 3], "the keys of what was recorded"
    finally:
        await store.close()


def test_closing_the_store_writes_the_sent_marks_still_waiting(database_url: str) -> None:
    """A mark made just before shut-down is written before the store closes, not lost with
    the event loop's last tasks."""

    async def send_then_close() -> None:
        store = await Store.open(database_url)
        await store.enqueue([message(1)])
        (claimed,) = await store.claim_due(1)
        marked = asyncio.ensure_future(store.mark_sent(claimed.id, 5, token=0))
        await asyncio.sleep(0)  # the mark waits for others to be written with it
        await store.close()
        assert marked.done() and marked.result()

    async def status() -> str:
        store = await Store.open(database_url)
        try:
            return await status_of(store, 1)
        finally:
            await store.close()

    asyncio.run(send_then_close())
    assert asyncio.run(status()) == SENT
