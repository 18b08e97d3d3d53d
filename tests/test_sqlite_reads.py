"""The quick read path on SQLite (``bot/push/reads.py``): the rows the engine would give,
what other connections committed since, a read that would wait for a lock waiting off the
event loop, a deleted or replaced file refused as through the pool, and the connections closed
with the store. On PostgreSQL reads go through the engine."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.data.dataset import CUSTOMS_SERIES as DATASET
from bot.push.releases import SUMMARY
from bot.push.schema import NewMessage, subscriptions
from bot.push.storage import Store
from bot.push.subscriptions import STATUS_QUERY
from bot.push.watch import DatabaseFileGone

#: The moment the status reads are made at (what waits for its hours is due after it).
NOW = datetime(2026, 6, 20, 12, 0)


async def sqlite_store(path: Path) -> Store:
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    assert store.reads is not None
    return store


async def engine_rows(store: Store, chat: int) -> list[dict[str, object]]:
    async with store.engine.connect() as conn:
        found = await conn.execute(STATUS_QUERY, {"chat": chat, "thread": 0, "now": NOW})
        return [dict(row._mapping) for row in found]


async def test_a_read_gives_the_rows_the_engine_gives(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        assert (store.reads is None) == database_url.startswith("postgresql")
        await store.subscribe(5, 0, "private", 9)
        await store.enqueue([NewMessage(5, 0, DATASET, "2026-03", SUMMARY, "March")])
        (queued,) = await store.messages(5)
        await store.mark_sent(queued.id, 1)
        for chat in (5, 6):  # subscribed with a summary received; unknown
            rows = [
                dict(row)
                for row in await store.read(STATUS_QUERY, {"chat": chat, "thread": 0, "now": NOW})
            ]
            assert rows == await engine_rows(store, chat)
        (row,) = await store.read(STATUS_QUERY, {"chat": 5, "thread": 0, "now": NOW})
        assert row["subscribed_by"] == 9 and row["last_month"] == "2026-03"
        assert row["subscribed_at"].year >= 2026 and row["last_at"] is not None
    finally:
        await store.close()


async def test_the_read_connection_sees_what_others_committed_since(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    store, other = await sqlite_store(path), await sqlite_store(path)
    try:
        key = {"chat": 5, "thread": 0, "now": NOW}
        ((row,), (again,)) = [await store.read(STATUS_QUERY, key) for _ in range(2)]
        assert row["status"] is None and again["status"] is None
        await other.subscribe(5, 0, "private", None)  # another process's engine
        assert (await store.read(STATUS_QUERY, key))[0]["status"] == "active"
        with sqlite3.connect(path) as outside:  # and a plain connection
            outside.execute("UPDATE subscriptions SET status = 'paused'")
        assert (await store.read(STATUS_QUERY, key))[0]["status"] == "paused"
        assert store.reads is not None and store.reads.at_once is not None
        assert not store.reads.at_once.in_transaction, "no read transaction is left open"
        assert store.reads.waiting is None, "no read waited for a lock"
    finally:
        await store.close()
        await other.close()


@pytest.mark.parametrize("opened", [True, False], ids=["open", "not-yet-open"])
async def test_a_deleted_file_is_refused_and_not_made_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, opened: bool
) -> None:
    path = tmp_path / "bot.db"
    store = await sqlite_store(path)
    key = {"chat": 5, "thread": 0, "now": NOW}
    if opened:
        await store.read(STATUS_QUERY, key)
    for leftover in tmp_path.glob("bot.db*"):
        leftover.unlink()
    with caplog.at_level(logging.ERROR):
        for _ in range(2):
            with pytest.raises(DatabaseFileGone, match="was deleted"):
                await store.read(STATUS_QUERY, key)
    assert not path.exists(), "no new, empty database appears in its place"
    assert [r.getMessage() for r in caplog.records].count(
        f"the database file {path} was deleted while the bot was running; nothing is written "
        "to it any more: restore it, or restart the bot"
    ) == 1, "the log says so, once"
    await store.close()


async def test_a_replaced_file_is_refused_until_it_is_back(tmp_path: Path) -> None:
    path, aside = tmp_path / "bot.db", tmp_path / "aside.db"
    store = await sqlite_store(path)
    key = {"chat": 5, "thread": 0, "now": NOW}
    try:
        await store.read(STATUS_QUERY, key)
        path.rename(aside)
        sqlite3.connect(path).close()  # another, empty file in its place
        with pytest.raises(DatabaseFileGone, match="was replaced"):
            await store.read(STATUS_QUERY, key)
        aside.replace(path)  # the operator puts the database back
        assert (await store.read(STATUS_QUERY, key))[0]["status"] is None
    finally:
        await store.close()


async def test_close_closes_the_read_connections(tmp_path: Path) -> None:
    before = set(threading.enumerate())  # an earlier test's thread may end meanwhile
    path = tmp_path / "bot.db"
    store = await sqlite_store(path)
    assert store.reads is not None
    await store.engine.dispose()  # the pool's connections would keep the lock from being taken
    with exclusive_lock(path) as lock:
        reading = asyncio.create_task(
            store.read(STATUS_QUERY, {"chat": 5, "thread": 0, "now": NOW})
        )
        await asyncio.sleep(0.1)
        lock.close()
        await reading
    at_once, waiting = store.reads.at_once, store.reads.waiting
    assert at_once is not None and waiting is not None
    await store.close()
    assert store.reads.at_once is None and store.reads.waiting is None
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        at_once.execute("SELECT 1")
    with pytest.raises(ValueError, match="closed"):
        await waiting.execute_fetchall("SELECT 1")
    started = [t for t in threading.enumerate() if t not in before]
    for thread in started:  # a closed connection's thread ends just after close() returns
        thread.join(timeout=5)
    alive = [t for t in started if t.is_alive()]
    assert not alive, f"the driver's threads are gone: {alive}"


@contextmanager
def exclusive_lock(path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the file's lock, as only an exclusive one does in WAL mode."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")  # the lock is kept until the connection closes
        yield connection
    finally:
        connection.close()


async def test_a_read_that_would_wait_for_a_lock_waits_off_the_event_loop(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    store = await sqlite_store(path)
    other = await sqlite_store(path)
    await other.subscribe(5, 0, "private", None)
    await other.close()
    await store.engine.dispose()  # the pool's connections would keep the lock from being taken
    try:
        with exclusive_lock(path) as lock:
            loop = asyncio.get_running_loop()
            began = loop.time()
            reading = asyncio.create_task(
                store.read(STATUS_QUERY, {"chat": 5, "thread": 0, "now": NOW})
            )
            await asyncio.sleep(0.2)
            assert loop.time() - began < 1.0, "the event loop went on meanwhile"
            assert not reading.done(), "the read waits for the lock"
            lock.close()
            (row,) = await asyncio.wait_for(reading, 10)
        assert row["status"] == "active"
        assert store.reads is not None and store.reads.waiting is not None
    finally:
        await store.close()


async def test_the_read_connection_writes_nothing(tmp_path: Path) -> None:
    store = await sqlite_store(tmp_path / "bot.db")
    try:
        await store.read(STATUS_QUERY, {"chat": 5, "thread": 0, "now": NOW})
        assert store.reads is not None and store.reads.at_once is not None
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.reads.at_once.execute("DELETE FROM subscriptions")
    finally:
        await store.close()


async def test_a_list_bound_to_in_is_read_through_the_engine(tmp_path: Path) -> None:
    store = await sqlite_store(tmp_path / "bot.db")
    try:
        query = select(subscriptions).where(subscriptions.c.chat_id.in_([1, 2]))
        with pytest.raises(ValueError, match="through the engine"):
            await store.read(query, {})
    finally:
        await store.close()
