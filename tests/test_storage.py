"""The database: versioned schema, the idempotent outbox, claims, retries and failures."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from telegram import Bot
from telegram.error import TimedOut

from bot.push.delivery import DeliveryWorker, Limits, RetryPolicy, Window
from bot.push.schema import (
    SCHEMA_VERSION,
    NewMessage,
    SchemaError,
    schema_version,
    utcnow,
)
from bot.push.storage import Store
from bot.push.subscriptions import stats
from bot.records import FAILED, PENDING, SENDING, SENT
from bot.render.subscriptions import stats as render_stats


def message(chat: int, kind: str = "summary", text: str = "hello") -> NewMessage:
    return NewMessage(chat, 0, "85051110", "2026-03", kind, text)


async def test_schema_is_created_versioned_and_kept(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.subscribe(5, 0, "private", 5)
    await store.close()
    again = await Store.open(database_url)  # start-up on an existing database keeps its data
    assert [s.chat_id for s in await again.subscriptions_of(5)] == [5]
    async with again.engine.begin() as conn:
        assert (await conn.execute(select(schema_version.c.version))).scalar() == SCHEMA_VERSION
        await conn.execute(update(schema_version).values(version=SCHEMA_VERSION + 1))
    await again.close()
    with pytest.raises(SchemaError, match="knows up to"):
        await Store.open(database_url)


async def test_the_sqlite_file_goes_under_a_folder_it_creates(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'db.sqlite'}")
    await store.close()
    assert (tmp_path / "var" / "db.sqlite").is_file()


async def test_a_second_enqueue_of_the_same_message_is_a_no_op(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(1), message(2)])
    await store.enqueue([message(1, text="changed"), message(1, kind="revision:x")])
    rows = await store.messages()
    assert [(m.chat_id, m.kind, m.text) for m in rows] == [
        (1, "summary", "hello"),
        (2, "summary", "hello"),
        (1, "revision:x", "hello"),
    ]
    await store.close()


async def test_claims_take_one_message_per_chat_and_survive_a_restart(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(1), message(1, kind="revision:a"), message(2)])
    first = await store.claim_due(10)
    assert sorted(m.chat_id for m in first) == [1, 2]
    assert await store.claim_due(10) == []  # chat 1's second message waits for the first
    assert await store.release_claims() == 2  # as after a crash: claimed rows are due again
    assert {m.status for m in await store.messages()} == {PENDING}
    await store.close()


async def test_network_errors_back_off_then_fail_and_show_in_stats(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(7)])

    class DownBot(Bot):
        async def send_message(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            raise TimedOut("connect timeout")

    policy = RetryPolicy(max_attempts=3, backoff_base=0.01, backoff_cap=0.02)
    worker = DeliveryWorker(store, DownBot("1:x"), Limits(), policy)
    await worker.drain(timeout=5)
    await _wait_until_done(worker)
    (row,) = await store.messages()
    assert row.status == FAILED and row.attempts == 3 and "timeout" in (row.last_error or "")
    text = render_stats(await stats(store))
    assert "1 failed" in text and "gave up after 3 attempts" in text
    await store.close()


async def _wait_until_done(worker: DeliveryWorker) -> None:
    for _ in range(50):
        if not [m for m in await worker.store.messages() if m.status in (PENDING, SENDING)]:
            return
        await worker.drain(timeout=5)


async def test_a_row_is_marked_sent_only_after_telegram_accepted(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(3)])
    seen: list[str] = []

    class WatchingBot(Bot):
        async def send_message(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            seen.extend(m.status for m in await store.messages())
            raise TimedOut("no answer")

    worker = DeliveryWorker(store, WatchingBot("1:x"), policy=RetryPolicy(max_attempts=5))
    assert await worker.run_once() == 1
    await worker.idle()
    (row,) = await store.messages()
    assert seen == [SENDING] and row.status == PENDING and row.status != SENT
    assert row.attempts == 1
    await store.close()


def test_the_window_never_allows_more_than_its_count_in_a_period() -> None:
    window = Window(count=29, period=1.0)
    now, sends = 0.0, []
    for _ in range(200):
        now += window.wait(now)
        window.record(now)
        sends.append(now)
    assert all(sends[i + 29] - sends[i] >= 1.0 - 1e-9 for i in range(len(sends) - 29))
    assert sends[-1] == pytest.approx(199 / 29, rel=0.01)  # and no slower than that


def test_limits_scale_together() -> None:
    scaled = Limits().scaled(10)
    assert (scaled.overall_per_second, scaled.group_per_minute) == (300, 200)
    assert RetryPolicy(backoff_base=2, backoff_cap=60).delay(10) == 60
    assert utcnow() - utcnow() < timedelta(seconds=1)
