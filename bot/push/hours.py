"""Each chat's delivery hours applied to the outbox: a message queued outside them is due
when they next open, in the chat's time zone.

The hold is written into the row itself (``next_attempt_at``), so a message waiting for its
chat's hours survives restarts like any other due time, and the outbox key keeps it to one
message per chat and release, sent once. When a chat changes its hours or time zone, its
waiting messages are given the new opening (:func:`reschedule`). A message already being
retried keeps its retry time: it went out inside the hours and failed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.push.schema import chat_settings, outbox
from bot.reading.chat_time import ALWAYS, DeliveryHours, Zone
from bot.records import PENDING

#: A chat's delivery hours and the zone they are in.
Window = tuple[DeliveryHours, Zone]


def window_of(row: Any, default_zone: Zone) -> Window:
    """The hours and zone of a ``chat_settings`` row (any time when it chose none)."""
    if row is None or row.hours_start is None or row.hours_end is None:
        return ALWAYS, default_zone
    zone = Zone(row.time_zone) if row.time_zone else default_zone
    return DeliveryHours(int(row.hours_start), int(row.hours_end)), zone


async def windows(conn: AsyncConnection, chats: set[int], default_zone: Zone) -> dict[int, Window]:
    """The chats among ``chats`` that chose delivery hours, with them and their zone (read in
    one statement: the chats that chose hours are few)."""
    columns = chat_settings.c
    rows = await conn.execute(
        select(columns.chat_id, columns.time_zone, columns.hours_start, columns.hours_end).where(
            columns.hours_start.is_not(None)
        )
    )
    return {int(row.chat_id): window_of(row, default_zone) for row in rows if row.chat_id in chats}


async def hold_for_hours(
    conn: AsyncConnection, rows: Sequence[dict[str, Any]], default_zone: Zone
) -> None:
    """Make each new outbox row due when its chat's delivery hours next open."""
    if not rows:
        return
    found = await windows(conn, {int(row["chat_id"]) for row in rows}, default_zone)
    for row in rows:
        window = found.get(int(row["chat_id"]))
        if window is not None:
            hours, zone = window
            row["next_attempt_at"] = hours.next_open(zone, row["next_attempt_at"])


async def reschedule(conn: AsyncConnection, chat_id: int, window: Window, now: datetime) -> int:
    """The chat's messages waiting for their first send are due at the new window's next
    opening (now, for any time); how many."""
    hours, zone = window
    changed = await conn.execute(
        update(outbox)
        .where(
            (outbox.c.chat_id == chat_id) & (outbox.c.status == PENDING) & (outbox.c.attempts == 0)
        )
        .values(next_attempt_at=hours.next_open(zone, now))
    )
    return int(changed.rowcount or 0)
