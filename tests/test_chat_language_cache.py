"""Each chat's language as a process knows it: read once, kept a minute, set at once by /lang
in the same process, seen within a minute when another process sets it; a failed read keeps
what was known and does not stop the reply."""

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
    """A store's language read, counted; ``fail`` makes it fail as a database down would."""

    def __init__(self, languages: dict[int, Language] | None = None) -> None:
        self.languages = dict(languages or {})
        self.reads: list[int] = []
        self.fail = False

    async def chat_language(self, chat_id: int) -> Language | None:
        self.reads.append(chat_id)
        if self.fail:
            raise OperationalError("SELECT", {}, Exception("the database is down"))
        return self.languages.get(chat_id)


def cache(clock: Clock, most: int = 1000) -> Languages:
    return Languages(clock=clock, most=most)


async def test_a_chat_is_read_once_then_kept_for_a_minute() -> None:
    clock, store = Clock(), CountingStore({5: "zh"})
    languages = cache(clock)
    assert TTL_SECONDS == 60
    assert await languages.of(store, 5) == "zh"
    assert await languages.of(store, 6) is None
    clock.now += 59
    for _ in range(10):
        assert await languages.of(store, 5) == "zh"
        assert await languages.of(store, 6) is None
    assert store.reads == [5, 6], "a chat with no language is kept too"
    store.languages[6] = "en"  # set by another process
    clock.now += 1.5
    assert await languages.of(store, 6) == "en"
    assert store.reads == [5, 6, 6]


async def test_set_in_this_process_it_is_known_at_once() -> None:
    clock, store = Clock(), CountingStore()
    languages = cache(clock)
    assert await languages.of(store, 5) is None
    languages.keep(5, "zh")
    assert await languages.of(store, 5) == "zh"
    assert store.reads == [5]
    languages.forget(5)
    assert await languages.of(store, 5) is None
    assert store.reads == [5, 5]


async def test_the_oldest_chats_are_dropped_past_the_limit() -> None:
    clock, store = Clock(), CountingStore()
    languages = cache(clock, most=3)
    for chat in (1, 2, 3):
        await languages.of(store, chat)
    languages.keep(1, "zh")  # set again: now the newest
    await languages.of(store, 4)
    assert len(languages) == 3
    store.reads.clear()
    assert await languages.of(store, 1) == "zh"
    await languages.of(store, 3)
    assert store.reads == []
    await languages.of(store, 2)
    assert store.reads == [2], "chat 2 was the oldest"


async def test_only_the_last_minute_s_chats_are_kept() -> None:
    clock, store = Clock(), CountingStore()
    languages = cache(clock)
    for chat in range(100):
        await languages.of(store, chat)
    clock.now += 30
    await languages.of(store, 100)
    assert len(languages) == 101
    clock.now += 31  # the first hundred are past their time: dropped as the next one comes
    await languages.of(store, 101)
    assert len(languages) == 2


async def test_a_failed_read_keeps_what_was_known(caplog: pytest.LogCaptureFixture) -> None:
    clock, store = Clock(), CountingStore({5: "zh"})
    languages = cache(clock)
    assert await languages.of(store, 5) == "zh"
    store.fail = True
    clock.now += 61
    with caplog.at_level(logging.WARNING):
        assert await languages.of(store, 5) == "zh"
        assert await languages.of(store, 6) is None
    assert "could not read chat 5's language" in caplog.text
    assert await languages.of(store, 6) is None, "not asked again at once"
    assert store.reads == [5, 5, 6]
    store.fail = False
    clock.now += 61
    store.languages[6] = "en"
    assert await languages.of(store, 6) == "en"


async def test_another_process_s_choice_is_seen_within_a_minute(database_url: str) -> None:
    """Two processes on one database, each with its own cache."""
    clock = Clock()
    first, second = await Store.open(database_url), await Store.open(database_url)
    mine, theirs = cache(clock), cache(clock)
    try:
        assert await mine.of(first, 5) is None
        await second.set_chat_language(5, "zh")  # /lang zh in the other process
        theirs.keep(5, "zh")
        assert await theirs.of(second, 5) == "zh", "at once where it was set"
        clock.now += 30
        assert await mine.of(first, 5) is None, "kept here for a minute at most"
        clock.now += 31
        assert await mine.of(first, 5) == "zh"
    finally:
        await first.close()
        await second.close()
