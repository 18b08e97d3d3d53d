"""The database: subscriptions, each chat's settings, the outbox of messages to deliver, and
releases seen.

SQLAlchemy Core over an async engine: SQLite by default, any SQLAlchemy URL through
``DATABASE_URL`` (PostgreSQL with ``postgresql+asyncpg://``). :meth:`Store.migrate` creates
or upgrades the versioned schema (``bot/push/schema.py``). Claims are in ``claims.py``, pruning
in ``retention.py``, the quick read ``/status`` makes of a SQLite file in ``reads.py``, each
chat's settings in ``chat_settings.py``, its alerts and watchlists in ``alert_store.py``.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, event, func, inspect, select, text, union_all, update
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.sql.elements import ColumnElement

from bot.push.alert_store import AlertStore, move_alerts, pause_alerts
from bot.push.chat_settings import ChatSettings, move_settings
from bot.push.claims import Claims, SentMark
from bot.push.reads import Reads, SqliteReads
from bot.push.retention import Retention
from bot.push.rows import delivered_to, queue_messages, write_release
from bot.push.rows import insert_ignoring_duplicates as insert_ignoring_duplicates
from bot.push.schema import (
    DIGEST,
    SCHEMA_VERSION,
    SUMMARY,
    UPGRADES,
    AddColumn,
    NewMessage,
    SchemaError,
    delivered,
    digest_parts,
    message_record,
    metadata,
    new_row,
    outbox,
    release_figures,
    releases,
    schema_version,
    subscription_record,
    subscriptions,
    utcnow,
)
from bot.push.series_store import SeriesStore, digest_chats, move_series
from bot.push.watch import FileWatch, sqlite_path
from bot.reading.chat_time import UTC_ZONE, Zone
from bot.records import ACTIVE, DROPPED, PAUSED, PENDING, SENDING, Message, Subscription


class Store(SeriesStore, AlertStore, ChatSettings, Claims, Retention, Reads):
    """Async access to the database; open with :meth:`open`, close with :meth:`close`."""

    def __init__(self, url: str, busy_timeout: float = 30.0, default_zone: Zone = UTC_ZONE) -> None:
        """Set up the engine (no I/O yet); call :meth:`migrate` before use. ``busy_timeout``:
        how long a SQLite write waits for another connection's lock before it fails."""
        self.url = url
        self.busy_timeout = busy_timeout
        #: The zone of a chat's delivery hours when it chose none: ``TIMEZONE``.
        self.default_zone = default_zone
        is_sqlite = url.startswith("sqlite")
        connect_args = {"timeout": busy_timeout} if is_sqlite else {}
        # updates are handled 64 at a time (bot.app): a server database gets a pool to match
        pool = {} if is_sqlite else {"pool_size": 16, "max_overflow": 16}
        self.engine = create_async_engine(url, connect_args=connect_args, **pool)
        self.sent_waiting: list[SentMark] = []
        self.sent_writer: asyncio.Task[None] | None = None
        path = sqlite_path(url) if is_sqlite else None
        #: The SQLite file, watched once opened (None for another database).
        self.file: FileWatch | None = None
        #: Quick reads of the SQLite file, ``reads.py`` (None for another database).
        self.reads: SqliteReads | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.file = FileWatch(path)
            self.file.install(self.engine)
            self.reads = SqliteReads(path, self.file, self.engine.dialect, busy_timeout)
        if is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)

    def file_problem(self) -> str | None:
        """What is wrong with the SQLite file (deleted or replaced), if anything."""
        return self.file.problem() if self.file is not None else None

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect, then create or upgrade the schema."""
        store = cls(url)
        await store.migrate()
        return store

    async def close(self) -> None:
        """Write the sent marks still waiting (for at most 5 s), then close the connections."""
        await self.sent_marks_written(5.0)
        if self.reads is not None:
            await self.reads.close()
        await self.engine.dispose()

    async def migrate(self) -> None:
        """Create the schema, or upgrade it to :data:`SCHEMA_VERSION`. Processes starting
        together take turns (:func:`lock_schema`): each reads the version once the one before
        has committed, so a step is never run twice at once."""
        if self.file is not None:
            self.file.check()  # once opened, a deleted file is not made again
            await sqlite_wal(self.file.path, self.busy_timeout)
        async with self.engine.begin() as conn:
            await lock_schema(conn)
            await conn.run_sync(metadata.create_all)
            version = (await conn.execute(select(schema_version.c.version))).scalar()
            if version is None:
                await conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
            elif version > SCHEMA_VERSION:
                raise SchemaError(
                    f"the database is at schema {version}; this bot knows up to {SCHEMA_VERSION}"
                )
            elif version < SCHEMA_VERSION:
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for sql in UPGRADES.get(step, ()):
                        await _upgrade(conn, sql)
                await conn.execute(update(schema_version).values(version=SCHEMA_VERSION))
        if self.file is not None:
            self.file.remember()

    # -- subscriptions (adding and removing them: ``series_store.py``) ---------------------

    async def set_status(
        self, chat_id: int, status: str, reason: str | None, thread_id: int | None = None
    ) -> int:
        """Pause or resume a chat's subscriptions (or one topic's), and its alerts with them;
        the number of subscriptions changed."""
        where = (subscriptions.c.chat_id == chat_id) & (subscriptions.c.status != status)
        if thread_id is not None:
            where = where & (subscriptions.c.thread_id == thread_id)
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(subscriptions)
                .where(where)
                .values(status=status, paused_reason=reason, updated_at=utcnow())
            )
            await pause_alerts(conn, chat_id, status == PAUSED, thread_id)
            return int(result.rowcount)

    async def subscription(self, chat_id: int, thread_id: int) -> Subscription | None:
        """The subscription of one chat or forum topic, if any."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(subscriptions).where(
                        (subscriptions.c.chat_id == chat_id)
                        & (subscriptions.c.thread_id == thread_id)
                    )
                )
            ).first()
            return subscription_record(row._mapping) if row is not None else None

    async def subscriptions_of(self, chat_id: int) -> list[Subscription]:

        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(subscriptions).where(subscriptions.c.chat_id == chat_id)
            )
            return [subscription_record(r._mapping) for r in rows]

    async def active_subscriptions(self) -> list[Subscription]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(subscriptions)
                .where(subscriptions.c.status == ACTIVE)
                .order_by(subscriptions.c.id)
            )
            return [subscription_record(r._mapping) for r in rows]

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: move its subscriptions, settings, alerts, watchlists
        and pending messages (in one transaction)."""
        async with self.engine.begin() as conn:
            moved = await conn.execute(
                select(subscriptions).where(subscriptions.c.chat_id == old_chat_id)
            )
            rows = [dict(r._mapping) | {"chat_id": new_chat_id} for r in moved]
            for row in rows:
                row.pop("id")
                row["chat_type"] = "supergroup"
            await insert_ignoring_duplicates(conn, subscriptions, rows)
            await conn.execute(subscriptions.delete().where(subscriptions.c.chat_id == old_chat_id))
            await move_series(conn, old_chat_id, new_chat_id)
            await move_settings(conn, old_chat_id, new_chat_id)
            await move_alerts(conn, old_chat_id, new_chat_id)
            waiting = outbox.c.status.in_((PENDING, SENDING)) & (outbox.c.chat_id == old_chat_id)
            pending = await conn.execute(select(outbox).where(waiting))
            copies = [
                dict(r._mapping) | {"chat_id": new_chat_id, "status": PENDING} for r in pending
            ]
            for copy in copies:
                copy.pop("id")
            await queue_messages(conn, copies, None)  # each keeps its due time
            await conn.execute(
                update(outbox)
                .where(waiting)
                .values(status=DROPPED, last_error=f"chat migrated to {new_chat_id}")
            )

    # -- outbox ----------------------------------------------------------------------------

    async def enqueue(self, messages: Iterable[NewMessage], at_once: bool = False) -> None:
        """Add messages, each due when its chat's delivery hours open (``at_once``: now, for
        a welcome); one whose (chat, topic, dataset, month, kind) is queued or was delivered
        (even if its row has been pruned since) is a no-op."""
        now = utcnow()
        rows = [new_row(m, now) for m in messages]
        async with self.engine.begin() as conn:
            await queue_messages(conn, rows, None if at_once else self.default_zone)

    async def messages(
        self, chat_id: int | None = None, status: str | None = None
    ) -> list[Message]:
        query = select(outbox).order_by(outbox.c.id)
        if chat_id is not None:
            query = query.where(outbox.c.chat_id == chat_id)
        if status is not None:
            query = query.where(outbox.c.status == status)
        async with self.engine.connect() as conn:
            return [message_record(r._mapping) for r in await conn.execute(query)]

    async def outbox_counts(self) -> dict[str, int]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(outbox.c.status, func.count()).group_by(outbox.c.status)
            )
            return {str(status): int(count) for status, count in rows}

    async def subscription_counts(self) -> dict[str, int]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(subscriptions.c.status, func.count()).group_by(subscriptions.c.status)
            )
            return {str(status): int(count) for status, count in rows}

    # -- releases --------------------------------------------------------------------------

    async def release_state(self, dataset: str) -> dict[str, dict[str, float]]:
        """Months seen so far, each with the figures (partner → tonnes) last announced."""
        async with self.engine.connect() as conn:
            months = await conn.execute(
                select(releases.c.month).where(releases.c.dataset == dataset)
            )
            state: dict[str, dict[str, float]] = {str(m): {} for (m,) in months}
            rows = await conn.execute(
                select(release_figures).where(release_figures.c.dataset == dataset)
            )
            for row in rows:
                state.setdefault(row.month, {})[row.partner] = float(row.value)
            return state

    async def record_release(
        self,
        dataset: str,
        figures: dict[str, dict[str, float]],
        announced: bool,
        messages: Iterable[NewMessage] = (),
    ) -> None:
        """Record months (or revised figures) and enqueue their messages in one transaction."""
        now = utcnow()
        async with self.engine.begin() as conn:
            await write_release(conn, dataset, figures, announced, now)
            rows = [new_row(m, now) for m in messages]
            await queue_messages(conn, rows, self.default_zone)

    async def chats_sent(self, dataset: str, month: str, kind: str) -> list[tuple[int, int]]:
        """(chat, topic) pairs that have the month's message of ``kind`` queued or sent (sent
        ones are in ``delivered``, also once their outbox row is pruned)."""
        waiting = select(outbox.c.chat_id, outbox.c.thread_id).where(
            (outbox.c.dataset == dataset)
            & (outbox.c.month == month)
            & (outbox.c.kind == kind)
            & outbox.c.status.in_((PENDING, SENDING))
        )
        async with self.engine.connect() as conn:
            chats = {(int(c), int(t)) for c, t in await conn.execute(waiting)}
            chats |= await delivered_to(conn, dataset, month, kind, None)
            if kind == SUMMARY:  # a digest counts as the summary of each month it covers
                chats |= await digest_chats(conn, dataset, month)
            return sorted(chats)

    async def last_delivered(
        self, chat_id: int, thread_id: int, dataset: str, kind: str
    ) -> tuple[str, datetime] | None:
        """The latest month whose message of ``kind`` a chat or topic got, and when: one
        look-up per month (``delivered`` is keyed by month first), among the months the release
        watcher has seen and those of the chat's rows not pruned yet, its digests' too (a welcome
        may come first; by the time its row is pruned, the watcher has seen its months)."""
        seen = select(releases.c.month).where(releases.c.dataset == dataset)
        queued = select(outbox.c.month).where(
            (outbox.c.chat_id == chat_id)
            & (outbox.c.thread_id == thread_id)
            & (outbox.c.dataset == dataset)
        )
        months = union_all(seen, queued, digested_months(chat_id, thread_id, dataset))
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(delivered.c.month, delivered.c.sent_at).where(
                    (delivered.c.dataset == dataset)
                    & delivered.c.month.in_(months)
                    & (delivered.c.kind == kind)
                    & (delivered.c.chat_id == chat_id)
                    & (delivered.c.thread_id == thread_id)
                )
            )
            latest = max(rows, key=lambda row: str(row.month), default=None)
            return (str(latest.month), latest.sent_at) if latest is not None else None


#: The PostgreSQL advisory lock a schema change holds until it commits ("EWSC").
SCHEMA_LOCK = 0x45575343


async def _upgrade(conn: AsyncConnection, step: str | AddColumn) -> None:
    """Run one upgrade step (a column is added only where it is missing)."""
    if isinstance(step, str):
        await conn.execute(text(step))
        return
    columns = await conn.run_sync(lambda c: inspect(c).get_columns(step.table))
    if step.column not in {column["name"] for column in columns}:
        await conn.execute(text(f"ALTER TABLE {step.table} ADD COLUMN {step.column} {step.type}"))


async def lock_schema(conn: AsyncConnection) -> None:
    """Hold the database's write lock for the rest of the transaction: PostgreSQL's advisory
    lock for schema changes, SQLite's write lock (``BEGIN IMMEDIATE``; other databases rely on
    their own locks). Another process's schema change waits here until this one commits."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    elif dialect == "sqlite":
        await conn.exec_driver_sql("BEGIN IMMEDIATE")


def digested_months(
    chat_id: int | ColumnElement[int],
    thread_id: int | ColumnElement[int],
    series: str | ColumnElement[str],
) -> Select[tuple[str]]:
    """The months of ``series`` that the digests of a chat or topic still in the outbox cover
    (read through the outbox's key and ``digest_parts``' own, not by scanning either)."""
    return (
        select(digest_parts.c.month)
        .select_from(outbox.join(digest_parts, digest_parts.c.kind == outbox.c.kind))
        .where(
            (outbox.c.chat_id == chat_id)
            & (outbox.c.thread_id == thread_id)
            & (outbox.c.dataset == DIGEST)
            & (digest_parts.c.series == series)
        )
    )


async def sqlite_wal(path: Path, timeout: float) -> None:
    """Put a SQLite file in WAL mode (a new one with incremental auto-vacuum first, as
    :func:`_sqlite_pragmas` does) before the engine opens it. Switching a new file to WAL
    needs it alone, and SQLite does not wait for that: processes starting together on a new
    file try again here (for at most ``timeout`` seconds) rather than fail; on a file in WAL
    mode already it changes nothing."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            _set_wal(path)  # quick, and never waits for a lock (it fails instead)
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or loop.time() > deadline:
                raise
            await asyncio.sleep(0.01)


def _set_wal(path: Path) -> None:
    connection = sqlite3.connect(path, timeout=0)
    try:
        connection.execute("PRAGMA auto_vacuum=INCREMENTAL")
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """WAL keeps readers and the writer apart and survives a killed process. A new file gets
    incremental auto-vacuum (it must come first), so pruning can give space back; the WAL is
    cut back to 4 MiB once checkpointed, so that space does not stay in it."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")  # takes effect on a new file only
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA journal_size_limit={4 * 1024 * 1024}")
    cursor.close()
