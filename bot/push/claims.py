"""The outbox's claim and mark steps, fenced by the lease generation (mixed into ``Store``).

A worker claims a row (``pending`` → ``sending``) only while the lease row still carries its
generation, and writes that generation into the row (``claim_token``). Its later marks (sent,
retry, failed, dropped) change the row only while it is still that claim, so a worker that lost
the lease can still record what it did, but never overwrites a row another worker claimed since.
A worker without a lease (one process on its own) claims with token 0 and no lease check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from bot.push.schema import leases, message_record, outbox, utcnow
from bot.records import PENDING, SENDING, SENT, Message

UNFENCED = 0  # the claim token of a worker that runs without a lease


class Fence(Protocol):
    """What a claim checks: the lease (by name and holder) and the generation held."""

    name: str
    holder: str
    generation: int | None


class Claims:
    """Claiming due rows and recording their outcome; see the module docstring."""

    engine: AsyncEngine

    async def claim_due(self, limit: int, fence: Fence | None = None) -> list[Message]:
        """Mark up to ``limit`` due messages as being sent, at most one per chat, oldest first.

        A chat that has a message being sent gets no second one, so its messages keep
        their order and a crash can repeat at most one message per chat. With ``fence``, a row
        is claimed only while the lease still has the fence's holder and generation.
        """
        if fence is not None and fence.generation is None:
            return []
        token = UNFENCED if fence is None else fence.generation
        now = utcnow()
        busy = select(outbox.c.chat_id).where(outbox.c.status == SENDING)
        claimable = outbox.c.status == PENDING
        if fence is not None:
            claimable = claimable & exists().where(
                (leases.c.name == fence.name)
                & (leases.c.holder == fence.holder)
                & (leases.c.generation == token)
            )
        async with self.engine.begin() as conn:
            rows = await conn.execute(
                select(outbox)
                .where(
                    (outbox.c.status == PENDING)
                    & (outbox.c.next_attempt_at <= now)
                    & outbox.c.chat_id.not_in(busy)
                )
                .order_by(outbox.c.id)
                .limit(limit * 4)
            )
            chosen: dict[int, Message] = {}
            for row in rows:
                message = message_record(row._mapping)
                if message.chat_id in chosen:
                    continue
                # Claim row by row: a row another worker claimed first is skipped.
                claimed = await conn.execute(
                    update(outbox)
                    .where((outbox.c.id == message.id) & claimable)
                    .values(status=SENDING, claim_token=token)
                )
                if claimed.rowcount == 1:
                    chosen[message.chat_id] = message
                if len(chosen) == limit:
                    break
            return list(chosen.values())

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
        """When the earliest pending message is due (``None``: nothing is pending)."""
        async with self.engine.connect() as conn:
            due: datetime | None = await conn.scalar(
                select(func.min(outbox.c.next_attempt_at)).where(outbox.c.status == PENDING)
            )
            return due

    async def mark_sent(
        self, message_id: int, telegram_message_id: int | None, token: int | None = None
    ) -> bool:
        """Telegram accepted it. Also recorded on a row released meanwhile but not claimed
        again, so it is not sent twice. False: the row is another worker's claim now."""
        values = {"status": SENT, "sent_at": utcnow(), "message_id": telegram_message_id}
        ours = _claimed_by(token) | (outbox.c.status == PENDING)
        return await self._finish(message_id, ours, **values)

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


def _claimed_by(token: int | None) -> ColumnElement[bool]:
    """The row is still the claim made with ``token`` (any row when ``token`` is None)."""
    if token is None:
        return outbox.c.id.is_not(None)
    return (outbox.c.status == SENDING) & (outbox.c.claim_token == token)
