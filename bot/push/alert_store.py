"""Each chat's alerts and watchlists (mixed into ``Store``; issue 16).

An alert is a rule (:class:`bot.alerts.AlertRule`, kept as its key) set in a chat or forum
topic, at most :data:`bot.records.MAX_ALERTS` a chat. It is paused with the chat's
subscriptions when the bot is removed or blocked (:func:`pause_alerts`, in
:meth:`Store.set_status`'s transaction) and resumed with them when the bot is added back or
the chat subscribes again. A watchlist is the partners a chat or topic watches in one series
(``/watch``). Both move with a group that becomes a supergroup (:func:`move_alerts`, in
:meth:`Store.migrate_chat`'s transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from bot.alerts import AlertRule
from bot.push.rows import insert_ignoring_duplicates
from bot.push.schema import alerts, delivered, outbox, subscriptions, utcnow, watchlists
from bot.records import MAX_ALERTS, PAUSED, PENDING, SENDING, SENT, Alert, Saved, Watchlist

#: The outbox ``kind`` of every alert message begins so: ``alert:<id>`` when it fires for a
#: new month, ``alert:<id>:revised:<now|no_longer>:<hash>`` when a revision makes it cross.
ALERT_KIND = "alert:"

log = logging.getLogger(__name__)


class AlertStore:
    """Setting, listing and deleting a chat's alerts; its watchlists; the alerts of a series."""

    engine: AsyncEngine

    async def add_alert(
        self, chat_id: int, thread_id: int, rule: AlertRule, user_id: int | None
    ) -> tuple[Saved, Alert | None]:
        """Keep ``rule`` for a chat or topic: :attr:`Saved.ADDED` with the alert,
        :attr:`Saved.ALREADY` with the one there, or :attr:`Saved.FULL` when the chat has
        :data:`MAX_ALERTS` already."""
        key = rule.key()
        try:
            async with self.engine.begin() as conn:
                there = await _alert_where(conn, _same(chat_id, thread_id, key))
                if there is not None:
                    return Saved.ALREADY, there
                count = await conn.scalar(
                    select(func.count()).select_from(alerts).where(alerts.c.chat_id == chat_id)
                )
                if int(count or 0) >= MAX_ALERTS:
                    return Saved.FULL, None
                values = {
                    "chat_id": chat_id,
                    "thread_id": thread_id,
                    "key": key,
                    "series": rule.series,
                    "set_by": user_id,
                    "set_at": utcnow(),
                    "paused": False,
                }
                await conn.execute(alerts.insert().values(**values))
                return Saved.ADDED, await _alert_where(conn, _same(chat_id, thread_id, key))
        except IntegrityError:  # the same rule, saved at the same moment by another press
            async with self.engine.connect() as conn:
                return Saved.ALREADY, await _alert_where(conn, _same(chat_id, thread_id, key))

    async def alerts_of(self, chat_id: int, thread_id: int | None = None) -> list[Alert]:
        """A chat's alerts (``thread_id``: only that topic's; 0 the whole chat's own), in the
        order they were set."""
        where = alerts.c.chat_id == chat_id
        if thread_id is not None:
            where = where & (alerts.c.thread_id == thread_id)
        async with self.engine.connect() as conn:
            return await _alerts(conn, select(alerts).where(where).order_by(alerts.c.id))

    async def count_alerts(self, chat_id: int) -> int:
        """How many alerts a chat has, its topics' included."""
        async with self.engine.connect() as conn:
            query = select(func.count()).select_from(alerts).where(alerts.c.chat_id == chat_id)
            return int(await conn.scalar(query) or 0)

    async def delete_alert(self, chat_id: int, alert_id: int) -> Alert | None:
        """Delete alert ``alert_id`` if it is ``chat_id``'s; the alert deleted (``None``: no
        such alert in this chat, already deleted or another chat's)."""
        where = (alerts.c.id == alert_id) & (alerts.c.chat_id == chat_id)
        async with self.engine.begin() as conn:
            found = await _alert_where(conn, where)
            if found is not None:
                await conn.execute(alerts.delete().where(where))
            return found

    async def alerts_for_series(self, series: str, paused: bool = False) -> list[Alert]:
        """Every active alert of ``series`` (``paused``: the paused ones too), by chat, topic
        and the order they were set: what a release of the series is checked against."""
        where = alerts.c.series == series
        if not paused:
            where = where & alerts.c.paused.is_(False)
        query = select(alerts).where(where)
        async with self.engine.connect() as conn:
            order = (alerts.c.chat_id, alerts.c.thread_id, alerts.c.id)
            return await _alerts(conn, query.order_by(*order))

    async def alert_kinds_told(self, series: str, month: str) -> set[str]:
        """The kinds of the alert messages about ``series``' ``month`` queued, being sent or
        delivered (also once their rows are pruned): which alerts were told it fires."""
        told = (outbox.c.dataset == series) & (outbox.c.month == month)
        told = told & outbox.c.kind.startswith(ALERT_KIND)
        sent = (delivered.c.dataset == series) & (delivered.c.month == month)
        sent = sent & delivered.c.kind.startswith(ALERT_KIND)
        async with self.engine.connect() as conn:
            queued = await conn.execute(
                select(outbox.c.kind).where(told & outbox.c.status.in_((PENDING, SENDING, SENT)))
            )
            kinds = {str(k) for (k,) in queued}
            kinds |= {str(k) for (k,) in await conn.execute(select(delivered.c.kind).where(sent))}
            return kinds

    async def paused_chats(self) -> set[int]:
        """The chats with a paused subscription (the bot removed or blocked): a watchlist
        there sends nothing until the chat is back."""
        query = select(subscriptions.c.chat_id).where(subscriptions.c.status == PAUSED)
        async with self.engine.connect() as conn:
            return {int(c) for (c,) in await conn.execute(query)}

    # -- watchlists ------------------------------------------------------------------------

    async def set_watchlist(
        self, chat_id: int, thread_id: int, series: str, partners: Sequence[str]
    ) -> None:
        """Make ``partners`` (in this order, each once) the watchlist of a chat or topic in
        ``series``, replacing the one it had; none: the watchlist is cleared."""
        rows = [
            {
                "chat_id": chat_id,
                "thread_id": thread_id,
                "series": series,
                "partner": code,
                "position": i,
            }
            for i, code in enumerate(dict.fromkeys(partners))
        ]
        async with self.engine.begin() as conn:
            where = _watching(chat_id, thread_id) & (watchlists.c.series == series)
            await conn.execute(watchlists.delete().where(where))
            if rows:
                await conn.execute(watchlists.insert(), rows)

    async def clear_watchlists(self, chat_id: int, thread_id: int) -> int:
        """Clear every watchlist of a chat or topic; how many series it watched."""
        async with self.engine.begin() as conn:
            series = await conn.execute(
                select(watchlists.c.series).distinct().where(_watching(chat_id, thread_id))
            )
            count = len(series.all())
            await conn.execute(watchlists.delete().where(_watching(chat_id, thread_id)))
            return count

    async def watchlists_of(self, chat_id: int, thread_id: int) -> list[Watchlist]:
        """The watchlists of a chat or topic, one per series (by series)."""
        query = select(watchlists).where(_watching(chat_id, thread_id))
        async with self.engine.connect() as conn:
            return _watchlists(await conn.execute(query))

    async def watchlists_for_series(self, series: str) -> list[Watchlist]:
        """Every watchlist of ``series``, by chat and topic: who gets the watched partners'
        lines when the series has a new month."""
        query = select(watchlists).where(watchlists.c.series == series)
        async with self.engine.connect() as conn:
            return _watchlists(await conn.execute(query))


def _same(chat_id: int, thread_id: int, key: str) -> ColumnElement[bool]:
    return (alerts.c.chat_id == chat_id) & (alerts.c.thread_id == thread_id) & (alerts.c.key == key)


def _watching(chat_id: int, thread_id: int) -> ColumnElement[bool]:
    return (watchlists.c.chat_id == chat_id) & (watchlists.c.thread_id == thread_id)


async def _alert_where(conn: AsyncConnection, where: ColumnElement[bool]) -> Alert | None:
    found = await _alerts(conn, select(alerts).where(where))
    return found[0] if found else None


async def _alerts(conn: AsyncConnection, query: Select[Any]) -> list[Alert]:
    """The alerts a query reads; a row whose key no longer reads as a rule is logged and left
    out (none is written so: every key saved was read back first)."""
    found = []
    for row in await conn.execute(query):
        try:
            rule = AlertRule.from_key(str(row.key))
        except ValueError:
            log.warning(
                "alert %s of chat %s: %r is no rule; left out", row.id, row.chat_id, row.key
            )
            continue
        found.append(
            Alert(
                id=int(row.id),
                chat_id=int(row.chat_id),
                thread_id=int(row.thread_id),
                rule=rule,
                set_by=None if row.set_by is None else int(row.set_by),
                set_at=row.set_at,
                paused=bool(row.paused),
            )
        )
    return found


def _watchlists(rows: Iterable[Any]) -> list[Watchlist]:
    grouped: dict[tuple[int, int, str], list[tuple[int, str]]] = {}
    for row in rows:
        key = (int(row.chat_id), int(row.thread_id), str(row.series))
        grouped.setdefault(key, []).append((int(row.position), str(row.partner)))
    return [
        Watchlist(chat, thread, series, tuple(code for _, code in sorted(partners)))
        for (chat, thread, series), partners in sorted(grouped.items())
    ]


async def pause_alerts(
    conn: AsyncConnection, chat_id: int, paused: bool, thread_id: int | None = None
) -> int:
    """Pause (or resume) a chat's alerts, or one topic's; how many changed."""
    where = (alerts.c.chat_id == chat_id) & (alerts.c.paused.is_not(paused))
    if thread_id is not None:
        where = where & (alerts.c.thread_id == thread_id)
    result = await conn.execute(update(alerts).where(where).values(paused=paused))
    return int(result.rowcount)


async def move_alerts(conn: AsyncConnection, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its alerts and watchlists go with it (a rule, or a
    series' watchlist, the new id has already, set there since, stays as it is)."""
    old = alerts.c.chat_id == old_chat_id
    rows = [
        {k: v for k, v in row._mapping.items() if k != "id"} | {"chat_id": new_chat_id}
        for row in await conn.execute(select(alerts).where(old).order_by(alerts.c.id))
    ]
    await insert_ignoring_duplicates(conn, alerts, rows)
    await conn.execute(alerts.delete().where(old))
    watched = watchlists.c.chat_id == old_chat_id
    kept = {
        (int(thread), str(series))
        for thread, series in await conn.execute(
            select(watchlists.c.thread_id, watchlists.c.series).where(
                watchlists.c.chat_id == new_chat_id
            )
        )
    }
    lists = [
        dict(row._mapping) | {"chat_id": new_chat_id}
        for row in await conn.execute(select(watchlists).where(watched))
        if (int(row.thread_id), str(row.series)) not in kept
    ]
    await insert_ignoring_duplicates(conn, watchlists, lists)
    await conn.execute(watchlists.delete().where(watched))
