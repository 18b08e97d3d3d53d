"""Each chat's own settings (mixed into ``Store``): its language (``/lang``), time zone and
delivery hours (``/settings``).

One ``chat_settings`` row per chat that chose something, for the whole chat (its forum topics
too), kept when the chat unsubscribes and moved with its subscription when a group becomes a
supergroup (:func:`move_settings`, in :meth:`Store.migrate_chat`'s transaction). Each process
keeps every chat's language, read in one statement and again a minute later
(:class:`bot.push.languages.Languages`); a single chat's is read on the quick read path
(``reads.py``: on a SQLite file, one statement on the event loop's thread).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.i18n import LANGUAGES, Language
from bot.push.hours import reschedule, window_of
from bot.push.reads import Reads
from bot.push.rows import insert_ignoring_duplicates, insert_or_update
from bot.push.schema import chat_settings, utcnow
from bot.reading.chat_time import DeliveryHours, Zone
from bot.records import ChatChoices

#: A chat's language (no row: none chosen), built once for the quick read path.
LANGUAGE_QUERY = select(chat_settings.c.language).where(
    chat_settings.c.chat_id == bindparam("chat")
)

#: Every chat's language, for the same path.
LANGUAGES_QUERY = select(chat_settings.c.chat_id, chat_settings.c.language)

#: Every chat's language for the push: the one it chose, else (a private chat) its user's.
PUSH_LANGUAGES_QUERY = select(
    chat_settings.c.chat_id,
    func.coalesce(chat_settings.c.language, chat_settings.c.subscribed_language).label("language"),
)


class ChatSettings(Reads):
    """Reading and choosing a chat's language, time zone and delivery hours."""

    default_zone: Zone

    async def chat_language(self, chat_id: int) -> Language | None:
        """The language the chat chose with ``/lang``, or ``None`` if it chose none (or one
        this version does not speak)."""
        rows = await self.read(LANGUAGE_QUERY, {"chat": chat_id})
        value = rows[0]["language"] if rows else None
        return cast(Language, value) if value in LANGUAGES else None

    async def chat_languages(self) -> dict[int, Language]:
        """Every chat that chose a language, with it: what each process answers a chat in, and
        what a release is written in for each subscriber (one statement on the quick read
        path, whatever the number of chats)."""
        rows = await self.read(LANGUAGES_QUERY, {})
        return {
            int(row["chat_id"]): cast(Language, row["language"])
            for row in rows
            if row["language"] in LANGUAGES
        }

    async def push_languages(self) -> dict[int, Language]:
        """Every chat's language for the monthly push: the one it chose with ``/lang``, else
        the one its last ``/subscribe``, saved ``/alert`` or ``/watch`` was answered in; else
        English."""
        rows = await self.read(PUSH_LANGUAGES_QUERY, {})
        return {
            int(row["chat_id"]): cast(Language, row["language"])
            for row in rows
            if row["language"] in LANGUAGES
        }

    async def push_language(self, chat_id: int) -> Language:
        """A chat's language for the push (see :meth:`push_languages`)."""
        return (await self.push_languages()).get(chat_id, "en")

    async def note_subscribed_language(self, chat_id: int, language: Language) -> None:
        """Keep the language a chat's ``/subscribe`` (``/alert``, ``/watch``) was answered in:
        its push (the welcome first, its alerts, its watchlist) is in it until the chat
        chooses one."""
        async with self.engine.begin() as conn:
            await insert_or_update(
                conn, chat_settings, {"chat_id": chat_id}, {"subscribed_language": language}
            )

    async def set_chat_language(self, chat_id: int, language: Language) -> None:
        """Keep ``language`` as the chat's (whether or not it had chosen one)."""
        async with self.engine.begin() as conn:
            await insert_or_update(
                conn, chat_settings, {"chat_id": chat_id}, {"language": language}
            )

    async def chat_choices(self, chat_id: int) -> ChatChoices:
        """Everything the chat chose (nothing chosen: all ``None``)."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(select(chat_settings).where(chat_settings.c.chat_id == chat_id))
            ).first()
        return choices_of(row)

    async def set_chat_zone(self, chat_id: int, zone: Zone | None) -> int:
        """Keep ``zone`` as the chat's (``None``: back to ``TIMEZONE``); its messages waiting
        for their hours are due at the new opening. How many were."""
        return await self._set_clock(chat_id, {"time_zone": zone.name if zone else None})

    async def set_chat_hours(self, chat_id: int, hours: DeliveryHours | None) -> int:
        """Keep ``hours`` as the chat's delivery hours (``None`` or the whole day: any time);
        its waiting messages are due at the new opening (at once for any time)."""
        start, end = (None, None) if hours is None or hours.always else (hours.start, hours.end)
        return await self._set_clock(chat_id, {"hours_start": start, "hours_end": end})

    async def _set_clock(self, chat_id: int, values: dict[str, Any]) -> int:
        async with self.engine.begin() as conn:
            await insert_or_update(conn, chat_settings, {"chat_id": chat_id}, values)
            row = (
                await conn.execute(select(chat_settings).where(chat_settings.c.chat_id == chat_id))
            ).first()
            return await reschedule(conn, chat_id, window_of(row, self.default_zone), utcnow())


def choices_of(row: Any) -> ChatChoices:
    """The choices of a ``chat_settings`` row (``None``: no row)."""
    if row is None:
        return ChatChoices()
    language = row.language if row.language in LANGUAGES else None
    hours = (
        DeliveryHours(int(row.hours_start), int(row.hours_end))
        if row.hours_start is not None and row.hours_end is not None
        else None
    )
    zone = Zone(row.time_zone) if row.time_zone else None
    return ChatChoices(cast(Language | None, language), zone, hours)


async def move_settings(conn: AsyncConnection, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its settings go with it, unless the new id has its own
    already (chosen there since: the newer choice stays)."""
    old = chat_settings.c.chat_id == old_chat_id
    rows = [
        dict(row._mapping) | {"chat_id": new_chat_id}
        for row in await conn.execute(select(chat_settings).where(old))
    ]
    await insert_ignoring_duplicates(conn, chat_settings, rows)
    await conn.execute(chat_settings.delete().where(old))
