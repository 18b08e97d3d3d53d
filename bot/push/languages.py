"""The chats' languages as this process knows them: every chosen one, read in one statement,
kept a minute.

Choosing the language of a reply runs on every update, so the process keeps the whole
``chat_settings`` table (the chats that chose a language with ``/lang``: a few, next to the
chats that write) and reads it again, in one statement, when it is older than
:data:`TTL_SECONDS`: an update never waits on a read of its own chat, and ``/lang`` sent
through another process (several share one database) is followed within a minute. ``/lang``
in this process writes the database and keeps the new value here at once (:meth:`keep`).

A read that fails (the database down, the SQLite file gone) is logged and answered with what
was known before: the reply still goes out, in the language the rules choose, and the table is
read again a minute later.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError

from bot.i18n import Language
from bot.push.watch import DatabaseFileGone

log = logging.getLogger(__name__)

TTL_SECONDS = 60.0


class ChatLanguages(Protocol):
    """Where the chats' languages are kept: the :class:`bot.push.storage.Store`."""

    async def chat_languages(self) -> dict[int, Language]: ...


@dataclass
class Languages:
    """Chat id → its chosen language, the whole table read again every ``ttl`` seconds."""

    ttl: float = TTL_SECONDS
    clock: Callable[[], float] = time.monotonic
    _chosen: dict[int, Language] = field(default_factory=dict, repr=False)
    #: When the table is to be read again (on :attr:`clock`); at once at first.
    _until: float = field(default=float("-inf"), repr=False)

    async def of(self, store: ChatLanguages, chat_id: int) -> Language | None:
        """The chat's language (``None``: it chose none), from the table read at most a
        minute ago."""
        if self._until <= self.clock():
            await self.refresh(store)
        return self._chosen.get(chat_id)

    async def refresh(self, store: ChatLanguages) -> None:
        """Read every chat's language again (what was known stays if the read fails)."""
        self._until = self.clock() + self.ttl  # tried once a minute, whatever happens
        try:
            self._chosen = await store.chat_languages()
        except (SQLAlchemyError, sqlite3.Error, OSError, DatabaseFileGone) as error:
            log.warning(
                "could not read the chats' languages (%s); using the %d known",
                error,
                len(self._chosen),
            )

    def keep(self, chat_id: int, language: Language) -> None:
        """Know ``language`` as the chat's from now (this process's ``/lang``)."""
        self._chosen[chat_id] = language

    def forget(self, *chat_ids: int) -> None:
        """Read the table again at the next update (these chats' setting moved)."""
        for chat_id in chat_ids:
            self._chosen.pop(chat_id, None)
        self._until = float("-inf")

    def __len__(self) -> int:
        return len(self._chosen)
