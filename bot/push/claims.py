"""The outbox's claim and mark steps, fenced by the lease generation (mixed into ``Store``).

A worker claims a row (``pending`` → ``sending``) only while the lease row still carries its
generation, and writes that generation into the row (``claim_token``). Its later marks (sent,
retry, failed, dropped) change the row only while it is still that claim, so a worker that lost
the lease can still record what it did, but never overwrites a row another worker claimed since.
A worker without a lease (one process on its own) claims with token 0 and no lease check.

Costs do not grow with the queue: a claim reads the due rows in the order of the ``outbox_due``
index (status, due time, id) and stops after a few times ``limit`` rows, then claims its choice
in one statement. Sent marks made while another is being written are written together, in one
transaction (a group commit), with the messages' keys in ``delivered``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import BigInteger, Select, String, case, exists, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from bot.push.schema import (
    DIGEST,
    SUMMARY,
    delivered,
    digest_parts,
    leases,
    message_record,
    outbox,
    utcnow,
)
from bot.records import PENDING, SENDING, SENT, Message

UNFENCED = 0  # the claim token of a worker that runs without a lease
SCAN = 4  # a claim reads at most this many due rows per message it may claim
MOST_MARKS_AT_ONCE = 500  # sent marks written in one transaction
#: How long a sent mark waits for others to be written with it: a paced broadcast then writes
#: them by the dozen, and each transaction costs about a millisecond of the worker's time.
GATHER_MARKS_SECONDS = 0.02


class Fence(Protocol):
    """What a claim checks: the lease (by name and holder) and the generation held."""

    name: str
    holder: str
    generation: int | None


@dataclass
class SentMark:
    """A sent mark waiting for the next group commit; ``done`` gets whether it was recorded."""

    row_id: int
    telegram_message_id: int | None
    token: int | None
    done: asyncio.Future[bool]


class Claims:
    """Claiming due rows and recording their outcome; see the module docstring."""

    engine: AsyncEngine
    #: Sent marks waiting to be written, and the task writing them (both set by ``Store``).
    sent_waiting: list[SentMark]
    sent_writer: asyncio.Task[None] | None

    async def claim_due(self, limit: int, fence: Fence | None = None) -> list[Message]:
        """Mark up to ``limit`` due messages as being sent, at most one per chat, the longest
        due first (by id when due together).

        A chat that has a message being sent gets no second one, so its messages keep
        their order and a crash can repeat at most one message per chat. With ``fence``, a row
        is claimed only while the lease still has the fence's holder and generation.
        """
        if fence is not None and fence.generation is None:
            return []
        token = UNFENCED if fence is None else fence.generation
        busy = select(outbox.c.chat_id).where(outbox.c.status == SENDING)
        due = (
            select(outbox.c.id, outbox.c.chat_id)
            .where(
                (outbox.c.status == PENDING)
                & (outbox.c.next_attempt_at <= utcnow())
                & outbox.c.chat_id.not_in(busy)
            )
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(limit * SCAN)
        )
        # Checked again as the rows are claimed: another claim may have come in between.
        claimable = (unindexed(outbox.c.status) == PENDING) & outbox.c.chat_id.not_in(busy)
        if fence is not None:
            claimable = claimable & exists().where(
                (leases.c.name == fence.name)
                & (leases.c.holder == fence.holder)
                & (leases.c.generation == token)
            )
        async with self.engine.begin() as conn:
            chosen: dict[int, int] = {}  # chat → its longest-due row, in claim order
            for row_id, chat_id in await conn.execute(due):
                chosen.setdefault(chat_id, row_id)
                if len(chosen) == limit:
                    break
            if not chosen:
                return []
            ids = list(chosen.values())
            claim = (
                update(outbox)
                .where(outbox.c.id.in_(ids) & claimable)
                .values(status=SENDING, claim_token=token)
            )
            claimed = await _returning_rows(conn, claim, ids)
            return [message_record(claimed[i]) for i in ids if i in claimed]

    async def release_claims(self, older_than: int | None = None) -> int:
        """Messages left ``sending`` are due again: all of them (one process after a restart),
        or only those claimed under a generation older than ``older_than``."""
        stale: ColumnElement[bool] = outbox.c.status == SENDING
        if older_than is not None:
            stale = stale & (func.coalesce(outbox.c.claim_token, UNFENCED) < older_than)
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(outbox).where(stale).values(status=PENDING, claim_token=None)
            )
            return int(result.rowcount)

    async def next_due(self) -> datetime | None:
        """When the earliest pending message is due (``None``: nothing is pending), leaving
        out those held for their chat's delivery hours: they are not late, only waiting."""
        held = _held()
        async with self.engine.connect() as conn:
            due: datetime | None = await conn.scalar(
                select(func.min(outbox.c.next_attempt_at)).where(
                    (outbox.c.status == PENDING) & ~held
                )
            )
            return due

    async def held_count(self) -> int:
        """How many messages wait for their chat's delivery hours."""
        async with self.engine.connect() as conn:
            count = await conn.scalar(
                select(func.count()).where((outbox.c.status == PENDING) & _held())
            )
            return int(count or 0)

    async def mark_sent(
        self, message_id: int, telegram_message_id: int | None, token: int | None = None
    ) -> bool:
        """Telegram accepted it. Also recorded on a row released meanwhile but not claimed
        again, so it is not sent twice. False: the row is another worker's claim now.

        Written with the marks made within :data:`GATHER_MARKS_SECONDS` and while the last
        write went on, in one transaction; if that fails, every mark in it raises (and is made
        again by its caller)."""
        loop = asyncio.get_running_loop()
        writer = self.sent_writer
        if writer is None or writer.done() or writer.get_loop() is not loop:
            # (marks left by a loop that has ended have no one waiting for them any more)
            self.sent_waiting = [m for m in self.sent_waiting if m.done.get_loop() is loop]
            self.sent_writer = loop.create_task(self._write_sent_marks())
        done: asyncio.Future[bool] = loop.create_future()
        self.sent_waiting.append(SentMark(message_id, telegram_message_id, token, done))
        return await done

    async def sent_marks_written(self, seconds: float) -> None:
        """Wait (at most ``seconds``) until the sent marks waiting are written."""
        writer = self.sent_writer
        running = writer is not None and not writer.done()
        if writer is not None and running and writer.get_loop() is asyncio.get_running_loop():
            await asyncio.wait({writer}, timeout=seconds)

    async def mark_retry(
        self, message_id: int, error: str, at: datetime, count: bool, token: int | None = None
    ) -> bool:
        """Due again at ``at``; False: the row is not this claim any more."""
        values: dict[str, Any] = {
            "status": PENDING,
            "last_error": error[:500],
            "next_attempt_at": at,
            "claim_token": None,
        }
        if count:
            values["attempts"] = outbox.c.attempts + 1
        return await self._finish(message_id, _claimed_by(token), **values)

    async def mark_done(
        self, message_id: int, status: str, error: str, token: int | None = None
    ) -> bool:
        """A final outcome other than sent: ``failed`` or ``dropped``."""
        values = {"status": status, "last_error": error[:500], "attempts": outbox.c.attempts + 1}
        return await self._finish(message_id, _claimed_by(token), **values)

    async def _finish(self, row_id: int, ours: ColumnElement[bool], **values: Any) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(outbox).where((outbox.c.id == row_id) & ours).values(**values)
            )
            return bool(result.rowcount)

    async def _write_sent_marks(self) -> None:
        """Write the waiting sent marks, a batch per transaction, until none is waiting; each
        batch gathers for :data:`GATHER_MARKS_SECONDS` unless it is full already."""
        while self.sent_waiting:
            if len(self.sent_waiting) < MOST_MARKS_AT_ONCE:
                await asyncio.sleep(GATHER_MARKS_SECONDS)
            batch = self.sent_waiting[:MOST_MARKS_AT_ONCE]
            del self.sent_waiting[:MOST_MARKS_AT_ONCE]
            try:
                recorded = await self._record_sent(batch)
            except Exception as error:
                for mark in batch:
                    if not mark.done.done():
                        mark.done.set_exception(error)
                continue
            for mark in batch:
                if not mark.done.done():
                    mark.done.set_result(mark.row_id in recorded)

    async def _record_sent(self, marks: list[SentMark]) -> set[int]:
        """Mark rows sent (each only while it is its mark's claim, or pending) and keep their
        keys in ``delivered``; the ids recorded."""
        tokens: dict[int | None, list[SentMark]] = {}
        for mark in marks:
            tokens.setdefault(mark.token, []).append(mark)
        now = utcnow()
        recorded: set[int] = set()
        async with self.engine.begin() as conn:
            for token, group in tokens.items():
                ids = [mark.row_id for mark in group]
                telegram_ids = {m.row_id: literal(m.telegram_message_id, BigInteger) for m in group}
                ours = _claimed_by(token, unindexed(outbox.c.status)) | (
                    unindexed(outbox.c.status) == PENDING
                )
                sent = (
                    update(outbox)
                    .where(outbox.c.id.in_(ids) & ours)
                    .values(
                        status=SENT,
                        sent_at=now,
                        message_id=case(telegram_ids, value=outbox.c.id),
                    )
                )
                recorded |= set(await _returning_rows(conn, sent, ids))
            if recorded:
                await keep_delivered(conn, sorted(recorded))
        return recorded


async def keep_delivered(conn: AsyncConnection, row_ids: Sequence[int]) -> None:
    """Copy the keys of these sent rows into ``delivered`` (a key there already is kept); a
    digest also delivers the summary of each series and month it covers (``digest_parts``)."""
    columns = ["dataset", "month", "kind", "chat_id", "thread_id", "sent_at"]
    rows = select(*(outbox.c[name] for name in columns)).where(outbox.c.id.in_(row_ids))
    await _copy_to_delivered(conn, columns, rows)
    covered = (
        select(
            digest_parts.c.series,
            digest_parts.c.month,
            literal(SUMMARY, String),
            outbox.c.chat_id,
            outbox.c.thread_id,
            outbox.c.sent_at,
        )
        .select_from(outbox.join(digest_parts, digest_parts.c.kind == outbox.c.kind))
        .where(outbox.c.id.in_(row_ids) & (outbox.c.dataset == DIGEST))
    )
    await _copy_to_delivered(conn, columns, covered)


async def _copy_to_delivered(conn: AsyncConnection, columns: list[str], rows: Select[Any]) -> None:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        copy: Any = sqlite.insert(delivered).from_select(columns, rows).on_conflict_do_nothing()
    elif dialect == "postgresql":
        copy = postgresql.insert(delivered).from_select(columns, rows).on_conflict_do_nothing()
    else:
        copy = delivered.insert().from_select(columns, rows)
    await conn.execute(copy)


async def _returning_rows(
    conn: AsyncConnection, statement: Any, ids: Sequence[int]
) -> dict[int, Any]:
    """Run an UPDATE over rows ``ids``; the rows it changed (as mappings), by id. Without
    UPDATE … RETURNING in the dialect, row by row."""
    if conn.dialect.update_returning:
        result = await conn.execute(statement.returning(*outbox.c))
        return {row.id: row._mapping for row in result}
    changed: dict[int, Any] = {}
    for row_id in ids:
        result = await conn.execute(statement.where(outbox.c.id == row_id))
        if result.rowcount == 1:
            row = (await conn.execute(select(outbox).where(outbox.c.id == row_id))).one()
            changed[row_id] = row._mapping
    return changed


def _held() -> ColumnElement[bool]:
    """A pending row held for its chat's delivery hours: never tried, due later."""
    return (outbox.c.attempts == 0) & (outbox.c.next_attempt_at > utcnow())


def unindexed(column: ColumnElement[str]) -> ColumnElement[str]:
    """``column`` in a form no index serves (``column || ''``), for statements over rows
    given by id: without statistics SQLite would rather scan the ``outbox_due`` range of a
    status than look 64 ids up (8 ms instead of 0.1 ms with 100,000 pending)."""
    return column.concat("")


def _claimed_by(
    token: int | None, status: ColumnElement[str] = outbox.c.status
) -> ColumnElement[bool]:
    """The row is still the claim made with ``token`` (any row when ``token`` is None)."""
    if token is None:
        return outbox.c.id.is_not(None)
    return (status == SENDING) & (outbox.c.claim_token == token)
