"""Writing rows: queueing outbox messages (never one already delivered or queued) and
inserting rows whose key may exist already, on SQLite, PostgreSQL or another database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.push.hours import hold_for_hours
from bot.push.schema import delivered, outbox, release_figures, releases
from bot.reading.chat_time import Zone

#: A queue with more chats than this for one message reads the message's whole ``delivered``
#: range once instead of looking each chat up.
FEW_CHATS = 500


async def queue_messages(
    conn: AsyncConnection, rows: Sequence[dict[str, Any]], default_zone: Zone | None
) -> None:
    """Insert outbox rows, except messages already delivered (``delivered`` keeps their keys
    after their rows are pruned) and those already queued; each due when its chat's delivery
    hours next open (in the chat's zone, else ``default_zone``), or at once with ``None`` (a
    welcome, which answers a ``/subscribe``)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["dataset"], row["month"], row["kind"]), []).append(row)
    fresh: list[dict[str, Any]] = []
    for (dataset, month, kind), group in groups.items():
        chats = {int(row["chat_id"]) for row in group}
        done = await delivered_to(conn, dataset, month, kind, chats)
        fresh += [row for row in group if (row["chat_id"], row["thread_id"]) not in done]
    if default_zone is not None:
        await hold_for_hours(conn, fresh, default_zone)
    await insert_ignoring_duplicates(conn, outbox, fresh)


async def delivered_to(
    conn: AsyncConnection, dataset: str, month: str, kind: str, chats: set[int] | None
) -> set[tuple[int, int]]:
    """The (chat, topic) pairs that got this message, among ``chats`` (None: all). Few chats
    are looked up one by one; many read the message's whole range once."""
    query = select(delivered.c.chat_id, delivered.c.thread_id).where(
        (delivered.c.dataset == dataset) & (delivered.c.month == month) & (delivered.c.kind == kind)
    )
    if chats is not None and len(chats) <= FEW_CHATS:
        query = query.where(delivered.c.chat_id.in_(sorted(chats)))
    return {(int(c), int(t)) for c, t in await conn.execute(query)}


async def insert_ignoring_duplicates(
    conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]
) -> None:
    """Insert rows; a row whose unique key exists already is skipped."""
    if not rows:
        return
    dialect = conn.dialect.name
    if dialect == "sqlite":
        await conn.execute(sqlite.insert(table).on_conflict_do_nothing(), list(rows))
    elif dialect == "postgresql":
        await conn.execute(postgresql.insert(table).on_conflict_do_nothing(), list(rows))
    else:
        for row in rows:
            try:
                async with conn.begin_nested():
                    await conn.execute(table.insert().values(**row))
            except IntegrityError:
                pass


async def insert_or_update(
    conn: AsyncConnection, table: Table, key: dict[str, Any], values: dict[str, Any]
) -> None:
    """Set ``values`` on the row whose primary key is ``key``, inserting it if there is none
    (in one statement on SQLite and PostgreSQL, so two writers at once do not collide)."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        row = sqlite.insert(table).values(**key, **values)
        await conn.execute(row.on_conflict_do_update(index_elements=list(key), set_=values))
        return
    if dialect == "postgresql":
        new = postgresql.insert(table).values(**key, **values)
        await conn.execute(new.on_conflict_do_update(index_elements=list(key), set_=values))
        return
    where = [table.c[name] == value for name, value in key.items()]
    changed = await conn.execute(update(table).where(*where).values(**values))
    if changed.rowcount:
        return
    try:
        async with conn.begin_nested():
            await conn.execute(table.insert().values(**key, **values))
    except IntegrityError:  # inserted by another writer meanwhile: this one's values win
        await conn.execute(update(table).where(*where).values(**values))


async def write_release(
    conn: AsyncConnection,
    dataset: str,
    figures: dict[str, dict[str, float]],
    announced: bool,
    now: datetime,
) -> None:
    """Record months of a series as seen, each with its figures (partner → value) as they
    are now (replacing those recorded before)."""
    rows = [
        {"dataset": dataset, "month": month, "seen_at": now, "announced": announced}
        for month in figures
    ]
    await insert_ignoring_duplicates(conn, releases, rows)
    for month, values in figures.items():
        await conn.execute(
            release_figures.delete().where(
                (release_figures.c.dataset == dataset) & (release_figures.c.month == month)
            )
        )
        if values:
            await conn.execute(
                release_figures.insert(),
                [
                    {"dataset": dataset, "month": month, "partner": p, "value": v}
                    for p, v in values.items()
                ],
            )
