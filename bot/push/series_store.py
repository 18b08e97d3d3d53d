"""The materials of each subscription, and releases announced together (mixed into ``Store``).

A chat or topic has one ``subscriptions`` row (active or paused, who subscribed it and when)
and one ``subscription_series`` row per series it gets. Several series released on the same
check are recorded in one transaction with their messages, and a digest message keeps what it
covers in ``digest_parts``, so revision notices and ``/status`` count it as each series'
summary (``bot/push/claims.py`` copies the keys into ``delivered`` when it is sent).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from bot.data.dataset import CUSTOMS_SERIES
from bot.push.alert_store import pause_alerts
from bot.push.rows import insert_ignoring_duplicates, queue_messages, write_release
from bot.push.schema import (
    DIGEST,
    NewMessage,
    digest_parts,
    new_row,
    outbox,
    subscription_record,
    subscription_series,
    subscriptions,
    utcnow,
)
from bot.reading.chat_time import Zone
from bot.records import ACTIVE, PENDING, SENDING, Subscription

#: Months of one series: month code → partner → value.
Figures = dict[str, dict[str, float]]


@dataclass(frozen=True)
class SeriesAdded:
    """What a subscribe changed: a new subscription, a paused one resumed, the series added,
    those named that it had already, and the others it had."""

    created: bool
    resumed: bool
    added: tuple[str, ...]
    already: tuple[str, ...]
    kept: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.created or self.resumed or bool(self.added)


def _mine(chat_id: int, thread_id: int) -> ColumnElement[bool]:
    return (subscription_series.c.chat_id == chat_id) & (
        subscription_series.c.thread_id == thread_id
    )


class SeriesStore:
    """Subscriptions by series, and announcements of several series at once."""

    engine: AsyncEngine
    default_zone: Zone

    async def subscribe(
        self,
        chat_id: int,
        thread_id: int,
        chat_type: str,
        user_id: int | None,
        series: Sequence[str] = (CUSTOMS_SERIES,),
    ) -> bool:
        """Subscribe (or resume) a chat or topic to ``series`` (the rare-earth magnets unless
        told); ``False`` if it was active with all of them already."""
        return (await self.add_series(chat_id, thread_id, chat_type, user_id, series)).changed

    async def add_series(
        self,
        chat_id: int,
        thread_id: int,
        chat_type: str,
        user_id: int | None,
        series: Sequence[str],
    ) -> SeriesAdded:
        """Add ``series`` to the subscription of a chat or topic, creating it (or resuming it,
        if paused) as needed; the alerts of the chat or topic paused with it resume."""
        now = utcnow()
        key = (subscriptions.c.chat_id == chat_id) & (subscriptions.c.thread_id == thread_id)
        async with self.engine.begin() as conn:
            current = (await conn.execute(select(subscriptions.c.status).where(key))).scalar()
            if current is None:
                await conn.execute(
                    subscriptions.insert().values(
                        chat_id=chat_id,
                        thread_id=thread_id,
                        chat_type=chat_type,
                        status=ACTIVE,
                        subscribed_by=user_id,
                        subscribed_at=now,
                        updated_at=now,
                    )
                )
            elif current != ACTIVE:
                values = {"status": ACTIVE, "paused_reason": None, "subscribed_by": user_id}
                await conn.execute(
                    update(subscriptions).where(key).values(updated_at=now, **values)
                )
            await pause_alerts(conn, chat_id, False, thread_id)
            had = set(await _series(conn, chat_id, thread_id))
            added = tuple(dict.fromkeys(s for s in series if s not in had))
            rows = [{"chat_id": chat_id, "thread_id": thread_id, "series": s} for s in added]
            await insert_ignoring_duplicates(conn, subscription_series, rows)
            already = tuple(dict.fromkeys(s for s in series if s in had))
            kept = tuple(sorted(had - set(series)))
            return SeriesAdded(current is None, current not in (None, ACTIVE), added, already, kept)

    async def unsubscribe(self, chat_id: int, thread_id: int) -> bool:
        """End the subscription of a chat or topic (every series); ``False`` if it had none."""
        async with self.engine.begin() as conn:
            await conn.execute(subscription_series.delete().where(_mine(chat_id, thread_id)))
            result = await conn.execute(
                subscriptions.delete().where(
                    (subscriptions.c.chat_id == chat_id) & (subscriptions.c.thread_id == thread_id)
                )
            )
            return bool(result.rowcount)

    async def remove_series(
        self, chat_id: int, thread_id: int, series: Sequence[str]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Take ``series`` off a subscription: (the series removed, the series left). With none
        left, the subscription ends."""
        async with self.engine.begin() as conn:
            had = await _series(conn, chat_id, thread_id)
            removed = tuple(s for s in dict.fromkeys(series) if s in had)
            if removed:
                await conn.execute(
                    subscription_series.delete().where(
                        _mine(chat_id, thread_id) & subscription_series.c.series.in_(removed)
                    )
                )
            left = tuple(s for s in had if s not in removed)
            if not left:
                await conn.execute(
                    subscriptions.delete().where(
                        (subscriptions.c.chat_id == chat_id)
                        & (subscriptions.c.thread_id == thread_id)
                    )
                )
            return removed, left

    async def series_of(self, chat_id: int, thread_id: int) -> list[str]:
        """The series a chat or topic is subscribed to (whether active or paused)."""
        async with self.engine.connect() as conn:
            return await _series(conn, chat_id, thread_id)

    async def subscribers_by_series(self) -> dict[str, list[Subscription]]:
        """Series → its active subscriptions, in the order they were made."""
        query = (
            select(subscriptions, subscription_series.c.series)
            .join(
                subscription_series,
                (subscription_series.c.chat_id == subscriptions.c.chat_id)
                & (subscription_series.c.thread_id == subscriptions.c.thread_id),
            )
            .where(subscriptions.c.status == ACTIVE)
            .order_by(subscriptions.c.id)
        )
        found: dict[str, list[Subscription]] = {}
        async with self.engine.connect() as conn:
            for row in await conn.execute(query):
                found.setdefault(str(row.series), []).append(subscription_record(row._mapping))
        return found

    async def record_releases(
        self,
        months: dict[str, Figures],
        messages: Iterable[NewMessage],
        digests: dict[str, Sequence[tuple[str, str]]],
        at_once: bool = False,
    ) -> None:
        """Record the new months of several series (series → months), announced, with their
        messages and what each digest covers (kind → (series, month) pairs), in one
        transaction: after a crash either all of it is there or none. The messages are due
        when their chats' delivery hours open (``at_once``: now, for a welcome)."""
        now = utcnow()
        parts = [
            {"kind": kind, "series": series, "month": month}
            for kind, covered in digests.items()
            for series, month in covered
        ]
        async with self.engine.begin() as conn:
            for series, figures in months.items():
                await write_release(conn, series, figures, True, now)
            await insert_ignoring_duplicates(conn, digest_parts, parts)
            rows = [new_row(m, now) for m in messages]
            await queue_messages(conn, rows, None if at_once else self.default_zone)


async def _series(conn: AsyncConnection, chat_id: int, thread_id: int) -> list[str]:
    rows = await conn.execute(
        select(subscription_series.c.series)
        .where(_mine(chat_id, thread_id))
        .order_by(subscription_series.c.series)
    )
    return [str(s) for (s,) in rows]


async def move_series(conn: AsyncConnection, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its series go with it (joining any the new id has)."""
    old = subscription_series.c.chat_id == old_chat_id
    rows = [
        {"chat_id": new_chat_id, "thread_id": int(thread), "series": str(series)}
        for thread, series in await conn.execute(
            select(subscription_series.c.thread_id, subscription_series.c.series).where(old)
        )
    ]
    await insert_ignoring_duplicates(conn, subscription_series, rows)
    await conn.execute(subscription_series.delete().where(old))


async def digest_chats(conn: AsyncConnection, series: str, month: str) -> set[tuple[int, int]]:
    """The (chat, topic) pairs with a digest covering ``series``' ``month`` still waiting to
    be sent (those sent are in ``delivered`` under the series' own key)."""
    query = (
        select(outbox.c.chat_id, outbox.c.thread_id)
        .select_from(outbox.join(digest_parts, digest_parts.c.kind == outbox.c.kind))
        .where(
            (digest_parts.c.series == series)
            & (digest_parts.c.month == month)
            & (outbox.c.dataset == DIGEST)
            & outbox.c.status.in_((PENDING, SENDING))
        )
    )
    return {(int(c), int(t)) for c, t in await conn.execute(query)}
