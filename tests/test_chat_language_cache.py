"""The chats' languages as a process knows them: the whole table read in one statement, kept a
minute, set at once by /lang in the same process, seen within a minute when another process
sets it; a failed read keeps what was known and does not stop the reply."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from bot.i18n import Language
from bot.push.languages import TTL_SECONDS, Languages
from bot.push.storage import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingStore:
    """A store's read of every chat's language, counted; ``fail`` makes it fail as a
    database down would."""

    def __init__(self, languages: dict[int, Language] | None = None) -> None:
        self.languages = dict(languages or {})
        self.reads = 0
        self.fail = False

    async def chat_languages(self) -> dict[int, Language]:
        self.reads += 1
        if self.fail:
            raise OperationalError("SELECT", {}, Exception("the database is down"))
        return dict(self.languages)


async def test_the_table_is_read_once_then_kept_for_a_minute() -> None:
    clock, store = Clock(), CountingStore({5: "zh"})
    languages = Languages(clock=clock)
    assert TTL_SECONDS == 60
    assert await languages.of(store, 5) == "zh"
    assert await languages.of(store, 6) is None
    clock.now += 59
    for chat in range(1000):  # however many chats write, no read of their own
        await languages.of(store, chat)
    assert store.reads == 1
    store.languages[6] = "en"  # set by another process
    clock.now += 1.5
    assert await languages.of(store, 6) == "en"
    assert store.reads == 2


async def test_set_in_this_process_it_is_known_at_once() -> None:
    clock, store = Clock(), CountingStore()
    languages = Languages(clock=clock)
    assert await languages.of(store, 5) is None
    languages.keep(5, "zh")
    assert await languages.of(store, 5) == "zh" and store.reads == 1
    languages.forget(5)  # its setting moved (a group's upgrade): the table is read again
    assert await languages.of(store, 5) is None and store.reads == 2


async def test_a_failed_read_keeps_what_was_known(caplog: pytest.LogCaptureFixture) -> None:
    clock, store = Clock(), CountingStore({5: "zh"})
    languages = Languages(clock=clock)
    assert await languages.of(store, 5) == "zh"
    store.fail = True
    clock.now += 61
    with caplog.at_level(logging.WARNING):
        assert await languages.of(store, 5) == "zh"
        assert await languages.of(store, 6) is None
    assert "could not read the chats' languages" in caplog.text
    assert store.reads == 2, "not asked again at once"
    store.fail = False
    clock.now += 61
    store.languages[6] = "en"
    assert await languages.of(store, 6) == "en"


async def test_another_process_s_choice_is_seen_within_a_minute(database_url: str) -> None:
    """Two processes on one database, each with its own copy."""
    clock = Clock()
    first, second = await Store.open(database_url), await Store.open(database_url)
    mine, theirs = Languages(clock=clock), Languages(clock=clock)
    try:
        assert await mine.of(first, 5) is None
        await second.set_chat_language(5, "zh")  # /lang zh in the other process
        theirs.keep(5, "zh")
        assert await theirs.of(second, 5) == "zh", "at once where it was set"
        clock.now += 30
        assert await mine.of(first, 5) is None, "kept here for a minute at most"
        clock.now += 31
        assert await mine.of(first, 5) == "zh"
        assert await first.chat_languages() == {5: "zh"}
    finally:
        await first.close()
        await second.close()
