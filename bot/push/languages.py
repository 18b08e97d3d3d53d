"""Each chat's language as this process knows it: read from the database once, kept a minute.

Choosing the language of a reply runs on every update, so a chat's setting is read once and
kept for :data:`TTL_SECONDS`; after that the next update reads it again, so ``/lang`` sent
through another process (several share one database) is followed within a minute. ``/lang``
in this process writes the database and keeps the new value here at once (:meth:`keep`). A
chat with no setting is kept too (as ``None``), so a chat that never chose reads the database
once a minute at most. Entries past their time are dropped as new ones come (so what is kept
is the chats of the last minute), and the oldest past :data:`MOST_CHATS`.

A read that fails (the database down, the SQLite file gone) is logged and answered with what
was known before (``None`` if nothing): the reply still goes out, in the language the rules
choose, and the chat is tried again a minute later.
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
MOST_CHATS = 100_000


class ChatLanguages(Protocol):
    """Where a chat's language is kept: the :class:`bot.push.storage.Store`."""

    async def chat_language(self, chat_id: int) -> Language | None: ...


#: When an entry is to be read again (on :attr:`Languages.clock`), and the language kept.
Entry = tuple[float, Language | None]


@dataclass
class Languages:
    """Chat id → its chosen language (``None``: none), each kept for ``ttl`` seconds."""

    ttl: float = TTL_SECONDS
    most: int = MOST_CHATS
    clock: Callable[[], float] = time.monotonic
    #: In the order they were read or set: the oldest first, as :meth:`keep` drops them.
    _kept: dict[int, Entry] = field(default_factory=dict, repr=False)

    async def of(self, store: ChatLanguages, chat_id: int) -> Language | None:
        """The chat's language: kept, or read from ``store`` when not kept or kept too long."""
        kept = self._kept.get(chat_id)
        if kept is not None and kept[0] > self.clock():
            return kept[1]
        try:
            language = await store.chat_language(chat_id)
        except (SQLAlchemyError, sqlite3.Error, OSError, DatabaseFileGone) as error:
            language = kept[1] if kept is not None else None
            log.warning(
                "could not read chat %s's language (%s); using %s", chat_id, error, language
            )
        self.keep(chat_id, language)
        return language

    def keep(self, chat_id: int, language: Language | None) -> None:
        """Know ``language`` as the chat's from now (until the time to live has passed)."""
        now = self.clock()
        self._kept.pop(chat_id, None)  # to the end: the order is the order of reading
        self._kept[chat_id] = (now + self.ttl, language)
        kept = self._kept
        while kept:  # the oldest first: dropped when past its time, or one too many
            oldest = next(iter(kept))
            if len(kept) <= self.most and kept[oldest][0] > now:
                break
            del kept[oldest]

    def forget(self, *chat_ids: int) -> None:
        """Read these chats again at their next update (their setting moved)."""
        for chat_id in chat_ids:
            self._kept.pop(chat_id, None)

    def __len__(self) -> int:
        return len(self._kept)
