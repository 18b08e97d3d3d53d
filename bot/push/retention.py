"""Retention: finished outbox rows are deleted once older than ``OUTBOX_RETENTION_DAYS``.

What goes: sent rows, by when they were sent; failed and dropped rows too (history, never
delivered, so queueing them again later repeats nothing), by when they were last due, as they
keep no time of their own. What stays: pending and sending rows, however old, and the key of
every sent message in ``delivered`` (about 70 bytes each, written when Telegram accepted it):
a pruned message is never queued again, revision notices still reach the chats that got a
month, and ``/status`` still shows a chat's last summary.

Rows go in batches, each its own short transaction, so the database is never held for long.
SQLite then gives the freed pages back to the file system (incremental auto-vacuum, also in
bounded steps); a database made before this, without it, is converted once by a ``VACUUM``
after its first pruning. PostgreSQL's autovacuum makes the space reusable.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from bot.push.claims import keep_delivered, unindexed
from bot.push.schema import outbox, utcnow
from bot.records import DROPPED, FAILED, SENT

log = logging.getLogger(__name__)

PRUNE_BATCH = 1000  # rows deleted per transaction
VACUUM_STEP = 1024  # free pages given back per step (4 MiB at SQLite's default page size)
INCREMENTAL = 2  # PRAGMA auto_vacuum's value for incremental


def finished_before(before: datetime, by_id: bool = False) -> ColumnElement[bool]:
    """Rows that are history by ``before``: sent, failed or dropped, and done by then. The
    first two terms are a range of the ``outbox_due`` index (not ``by_id``: for a statement
    over rows given by id, which must look them up by id)."""
    status = unindexed(outbox.c.status) if by_id else outbox.c.status
    return (
        status.in_((SENT, FAILED, DROPPED))
        & (outbox.c.next_attempt_at < before)
        & (func.coalesce(outbox.c.sent_at, outbox.c.next_attempt_at) < before)
    )


class Retention:
    """Pruning the outbox and giving the space back (mixed into ``Store``)."""

    engine: AsyncEngine

    async def prune_outbox(self, before: datetime, batch: int = PRUNE_BATCH) -> int:
        """Delete the rows finished before ``before``, ``batch`` at a time; how many went.
        A sent row's key is copied to ``delivered`` first (it is there already unless the
        row was marked sent by other means)."""
        old = finished_before(before)
        total = 0
        while True:
            async with self.engine.begin() as conn:
                query = select(outbox.c.id, outbox.c.status).where(old).limit(batch)
                rows = (await conn.execute(query)).all()
                if rows:
                    sent = [row_id for row_id, status in rows if status == SENT]
                    if sent:
                        await keep_delivered(conn, sent)
                    ids = [row_id for row_id, _ in rows]
                    again = finished_before(before, by_id=True)
                    await conn.execute(outbox.delete().where(outbox.c.id.in_(ids) & again))
            total += len(rows)
            if len(rows) < batch:
                return total
            await asyncio.sleep(0)  # let other work in between batches

    async def reclaim_space(self) -> int:
        """SQLite: give the file's free pages back to the file system; the bytes given back
        (0 for another database). Converts a database without incremental auto-vacuum once."""
        if self.engine.dialect.name != "sqlite":
            return 0
        async with self.engine.connect() as conn:
            start = await _file_bytes(conn)
            if await conn.scalar(text("PRAGMA auto_vacuum")) != INCREMENTAL:
                log.warning(
                    "converting the database to incremental auto-vacuum, once (VACUUM of %.1f MB)",
                    start / 1e6,
                )
                await _script(conn, f"PRAGMA auto_vacuum = {INCREMENTAL}; VACUUM;")
            free = await conn.scalar(text("PRAGMA freelist_count"))
            while free:
                await _script(conn, f"PRAGMA incremental_vacuum({VACUUM_STEP});")
                left = await conn.scalar(text("PRAGMA freelist_count"))
                if left is None or left >= free:
                    break  # nothing more can be given back
                free = left
                await asyncio.sleep(0)  # let other work in between steps
            # Copy the moved pages home now if no one is reading (it never waits), so the file
            # is cut; the log itself is cut back to 4 MiB when next reused (journal_size_limit).
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
            return max(0, start - await _file_bytes(conn))

    async def apply_retention(self, days: float) -> int:
        """Prune what finished more than ``days`` ago and give the space back; rows pruned."""
        pruned = await self.prune_outbox(utcnow() - timedelta(days=days))
        freed = await self.reclaim_space()
        if pruned or freed:
            log.info(
                "outbox: pruned %d message(s) finished over %g days ago; %.1f MB given back",
                pruned,
                days,
                freed / 1e6,
            )
        return pruned


async def _file_bytes(conn: AsyncConnection) -> int:
    pages = await conn.scalar(text("PRAGMA page_count"))
    size = await conn.scalar(text("PRAGMA page_size"))
    return int(pages or 0) * int(size or 0)


async def _script(conn: AsyncConnection, sql: str) -> None:
    """Run ``sql`` to its end through the driver: Python's ``execute`` would step a pragma
    that returns a row per page once, so ``incremental_vacuum`` would free a single page."""
    raw = await conn.get_raw_connection()
    await raw.driver_connection.executescript(sql)  # type: ignore[union-attr]
