"""Retention, on each database backend: finished outbox rows older than OUTBOX_RETENTION_DAYS
are deleted in batches, pending and sending rows never; what was delivered is never sent again
once its row is gone (the release, a second /subscribe, the same message queued again), and
revision notices and /status still know who got a month. The SQLite file gives the space back
and stays bounded; an older database is upgraded (and, on SQLite, converted once)."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import inspect, select, text, update

from bot.console import LocalChat, replies
from bot.datastore import DataStore
from bot.push.leadership import Leadership, Lease
from bot.push.releases import check_releases
from bot.push.schema import SCHEMA_VERSION, NewMessage, delivered, outbox, schema_version, utcnow
from bot.push.storage import Store
from bot.records import DROPPED, FAILED, PENDING, SENDING
from bot.scheduler import RETENTION_EVERY_SECONDS, RETENTION_JOB, run_retention, schedule_jobs
from bot.services import Services
from tests.conftest import DATA_DIR
from tests.faults import message

LATER = timedelta(days=1)
TEXT = "x" * 1300  # about a monthly summary's size


async def deliver_all(store: Store) -> int:
    """Claim and mark sent whatever is due, as the worker does once Telegram accepted it (the
    marks of one claim at once, as the worker's sends finish together)."""
    count = 0
    while claimed := await store.claim_due(64):
        marks = [store.mark_sent(m.id, 10_000 + m.id, token=0) for m in claimed]
        assert all(await asyncio.gather(*marks))
        count += len(claimed)
    return count


async def delivered_keys(store: Store) -> set[tuple[int, str]]:
    async with store.engine.connect() as conn:
        rows = await conn.execute(select(delivered.c.chat_id, delivered.c.kind))
        return {(int(chat), str(kind)) for chat, kind in rows}


async def test_history_is_pruned_and_waiting_messages_are_kept(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.enqueue([message(chat) for chat in range(1, 7)])
        long_ago = utcnow() - timedelta(days=40)
        (five,) = await store.messages(chat_id=5)
        await store.mark_retry(five.id, "timeout", long_ago, False)  # due 40 days ago
        claimed = await store.claim_due(5)  # chat 6 stays pending
        assert [m.chat_id for m in claimed] == [5, 1, 2, 3, 4], "the longest due first"
        late, sent, failed, dropped, retried = claimed
        await store.mark_sent(late.id, 501, token=0)  # due 40 days ago, sent now
        await store.mark_sent(sent.id, 502, token=0)
        await store.mark_done(failed.id, FAILED, "gave up", token=0)
        await store.mark_done(dropped.id, DROPPED, "blocked", token=0)
        await store.mark_retry(retried.id, "timeout", long_ago, True, token=0)  # pending, old

        assert await store.prune_outbox(utcnow() - timedelta(days=30)) == 0, "all too recent"
        assert await store.prune_outbox(utcnow() + LATER, batch=3) == 4  # two batches
        left = {m.chat_id: m.status for m in await store.messages()}
        assert left == {4: PENDING, 6: PENDING}
        assert await delivered_keys(store) == {(1, "summary"), (5, "summary")}

        await store.enqueue([message(chat) for chat in range(1, 6)])
        again = {m.chat_id: m.status for m in await store.messages()}
        assert again == {2: PENDING, 3: PENDING, 4: PENDING, 6: PENDING}, (
            "failed and dropped were never delivered, so may be queued again; delivered ones not"
        )
    finally:
        await store.close()


async def test_a_row_being_sent_is_never_pruned(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.enqueue([message(1)])
        assert len(await store.claim_due(1)) == 1
        async with store.engine.begin() as conn:  # claimed long ago, its outcome unknown
            old = utcnow() - timedelta(days=400)
            await conn.execute(update(outbox).values(next_attempt_at=old, created_at=old))
        assert await store.prune_outbox(utcnow() + LATER) == 0
        assert [m.status for m in await store.messages()] == [SENDING]
    finally:
        await store.close()


async def test_a_pruned_release_is_not_sent_again(services: Services, tmp_path: Path) -> None:
    """Through the real Application: a chat got March 2026 and its row was pruned. The release
    watcher, a second /subscribe and the same message queued again send nothing; /status
    still shows the summary; a revision still reaches the chat, once."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    services.data = DataStore(folder)
    async with LocalChat(services) as chat:
        store = services.store
        assert "March 2026" in replies(await chat.send("/subscribe"))[1]
        assert (await check_releases(store, services.lookup())).baseline
        (summary,) = await store.messages(chat_id=1001)
        assert await store.prune_outbox(utcnow() + LATER) == 1
        assert await store.messages() == []

        assert (await check_releases(store, services.lookup())).queued == 0
        await chat.send("/unsubscribe")
        answers = replies(await chat.send("/subscribe"))
        assert answers[0].startswith("✅ Subscribed") and len(answers) == 1, "no summary again"
        key = (summary.chat_id, summary.thread_id, summary.dataset, summary.month, summary.kind)
        await store.enqueue([NewMessage(*key, summary.text)])
        assert await store.messages() == []
        status = replies(await chat.send("/status"))[0]
        assert "Last summary received: March 2026, sent " in status and "sent ?" not in status

        csv = folder / "magnet_exports.csv"
        csv.write_text(csv.read_text().replace("2026-03,US,tonnes,406,", "2026-03,US,tonnes,410,"))
        assert services.data.reload() is None
        report = await check_releases(store, services.lookup())
        assert report.revised == ["2026-03"] and report.queued == 1, "who got it is remembered"
        await services.delivery.drain()  # type: ignore[union-attr]
        texts = chat.request.sent_texts()
        assert sum("United States, March 2026: 406 t → 410 t" in t for t in texts) == 1
        assert sum("rare-earth magnet exports, March 2026" in t for t in texts) == 1


def file_bytes(path: Path) -> int:
    """The SQLite file and its write-ahead log."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


async def test_the_sqlite_file_stays_bounded_and_gives_the_space_back(tmp_path: Path) -> None:
    path = tmp_path / "bounded.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    after: list[int] = []
    try:
        for month in range(1, 6):  # five monthly broadcasts to 1,500 chats: 7,500 deliveries
            rows = [
                NewMessage(c, 0, "85051110", f"2025-{month:02d}", "summary", TEXT)
                for c in range(1, 1501)
            ]
            await store.enqueue(rows)
            assert await deliver_all(store) == 1500
            peak = file_bytes(path)
            assert await store.prune_outbox(utcnow() + LATER) == 1500
            assert await store.reclaim_space() > 0
            async with store.engine.connect() as conn:  # the log emptied, as when reused
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            after.append(file_bytes(path))
            assert after[-1] < peak / 2, (after[-1], peak)
    finally:
        await store.close()
    # What stays is the keys of what was delivered (7,500 of them), not the messages: one
    # broadcast's rows alone take about 2 MB.
    assert path.stat().st_size < 1_200_000, path.stat().st_size
    assert after[-1] < after[0] + 1_500_000, after


async def test_an_older_sqlite_file_is_converted_once_and_then_gives_space_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:  # made by an earlier version: no auto-vacuum
        old.execute("PRAGMA journal_mode=WAL")
        old.execute("CREATE TABLE earlier (x INTEGER)")
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    try:
        async with store.engine.connect() as conn:
            assert await conn.scalar(text("PRAGMA auto_vacuum")) == 0
        await store.enqueue(
            [NewMessage(c, 0, "85051110", "2026-03", "summary", TEXT) for c in range(1, 2001)]
        )
        await deliver_all(store)
        full = file_bytes(path)
        assert await store.prune_outbox(utcnow() + LATER) == 2000
        assert await store.reclaim_space() > 0
        async with store.engine.connect() as conn:
            assert await conn.scalar(text("PRAGMA auto_vacuum")) == 2  # incremental now
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert file_bytes(path) < full / 4, (file_bytes(path), full)
    finally:
        await store.close()


async def test_a_database_from_schema_3_is_upgraded(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.enqueue([message(1), message(2)])
    (first, _) = await store.claim_due(2)
    await store.mark_sent(first.id, 7, token=0)
    async with store.engine.begin() as conn:  # as schema 3 left it
        await conn.execute(text("DROP TABLE delivered"))
        await conn.execute(text("DROP INDEX outbox_due"))
        await conn.execute(text("CREATE INDEX outbox_due ON outbox (status, next_attempt_at)"))
        await conn.execute(update(schema_version).values(version=3))
    await store.close()
    store = await Store.open(database_url)
    try:
        async with store.engine.connect() as conn:
            assert await conn.scalar(select(schema_version.c.version)) == SCHEMA_VERSION >= 4
            indexes = await conn.run_sync(lambda sync: inspect(sync).get_indexes("outbox"))
        (due,) = [i for i in indexes if i["name"] == "outbox_due"]
        assert due["column_names"] == ["status", "next_attempt_at", "id"]
        assert await delivered_keys(store) == {(1, "summary")}, "the sent row's key was kept"
        assert await store.release_claims() == 1
        assert await store.prune_outbox(utcnow() + LATER) == 1
        await store.enqueue([message(1), message(2)])
        assert [m.chat_id for m in await store.messages()] == [2], "chat 1 got it already"
    finally:
        await store.close()


async def test_the_lease_holder_prunes_at_start_up_and_every_hour(services: Services) -> None:
    from bot.app import build_application
    from bot.offline import OfflineRequest

    application = build_application(services, request=OfflineRequest())
    await application.initialize()
    schedule_jobs(application)
    assert application.job_queue is not None
    (job,) = application.job_queue.get_jobs_by_name(RETENTION_JOB)
    assert job.job.trigger.interval.total_seconds() == RETENTION_EVERY_SECONDS == 3600
    first = job.job.trigger.start_date
    assert first <= datetime.now(first.tzinfo) + timedelta(seconds=5), "at start-up"
    await application.shutdown()

    store = services.store
    await store.migrate()
    await store.enqueue([message(1), message(2)])
    await deliver_all(store)
    async with store.engine.begin() as conn:  # chat 1's was sent 31 days ago
        old = utcnow() - timedelta(days=31)
        where = outbox.c.chat_id == 1
        await conn.execute(update(outbox).where(where).values(sent_at=old, next_attempt_at=old))
    follower = Leadership(Lease(store.engine, 30, holder="another"), _nothing, _nothing)
    services.leadership = follower  # not leading: another process prunes
    assert await run_retention(services) == 0
    services.leadership = None  # one process on its own runs the background work
    assert services.settings.outbox_retention_days == 30
    assert await run_retention(services) == 1
    assert [m.chat_id for m in await store.messages()] == [2]
    await store.close()


async def _nothing() -> None:
    return None
