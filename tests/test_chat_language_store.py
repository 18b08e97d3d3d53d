"""Each chat's language in the database (schema 6): set, read, kept across restarts, moved when a
group becomes a supergroup, and the upgrade from schema 5, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.push.chat_settings import LANGUAGE_QUERY
from bot.push.rows import insert_or_update
from bot.push.schema import SCHEMA_VERSION, NewMessage, chat_settings, schema_version
from bot.push.storage import Store

GROUP, SUPERGROUP = -555, -100_777


async def test_a_chat_has_no_language_until_it_chooses_one(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        assert await store.chat_language(5) is None
        await store.set_chat_language(5, "zh")
        await store.set_chat_language(-100_1, "en")
        assert await store.chat_language(5) == "zh"
        assert await store.chat_language(-100_1) == "en"
        await store.set_chat_language(5, "en")  # chosen again: replaced, not added
        assert await store.chat_language(5) == "en"
        assert await store.chat_language(6) is None
        async with store.engine.connect() as conn:
            rows = (
                await conn.execute(select(chat_settings).order_by(chat_settings.c.chat_id))
            ).all()
        assert [(r.chat_id, r.language) for r in rows] == [(-100_1, "en"), (5, "en")]
    finally:
        await store.close()


async def test_the_language_is_kept_across_restarts(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.set_chat_language(5, "zh")
    await store.close()
    again = await Store.open(database_url)
    try:
        assert await again.chat_language(5) == "zh"
    finally:
        await again.close()


async def test_unsubscribing_keeps_the_language(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.subscribe(5, 0, "private", 5)
        await store.set_chat_language(5, "zh")
        assert await store.unsubscribe(5, 0)
        assert await store.chat_language(5) == "zh"
    finally:
        await store.close()


async def test_a_language_this_version_does_not_speak_is_none(database_url: str) -> None:
    """A later version may store another language; this one answers by its own rules."""
    store = await Store.open(database_url)
    try:
        async with store.engine.begin() as conn:
            await conn.execute(chat_settings.insert().values(chat_id=5, language="ja"))
            await conn.execute(chat_settings.insert().values(chat_id=6, language=None))
        assert await store.chat_language(5) is None
        assert await store.chat_language(6) is None
    finally:
        await store.close()


async def test_the_sqlite_read_is_on_the_quick_path(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.set_chat_language(5, "zh")
        assert await store.chat_language(5) == "zh"
        if store.reads is not None:  # SQLite: one statement on the loop's own connection
            assert store.reads.at_once is not None
            assert LANGUAGE_QUERY in store.reads._compiled
    finally:
        await store.close()


async def test_a_group_upgrade_moves_its_language_with_its_subscription(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.subscribe(GROUP, 0, "group", 11)
        await store.set_chat_language(GROUP, "zh")
        await store.enqueue([NewMessage(GROUP, 0, "85051110", "2026-03", "summary", "你好")])
        await store.migrate_chat(GROUP, SUPERGROUP)
        assert await store.chat_language(GROUP) is None
        assert await store.chat_language(SUPERGROUP) == "zh"
        assert [s.chat_id for s in await store.subscriptions_of(SUPERGROUP)] == [SUPERGROUP]
        await store.migrate_chat(GROUP, SUPERGROUP)  # the second service message: nothing left
        assert await store.chat_language(SUPERGROUP) == "zh"
    finally:
        await store.close()


async def test_a_language_chosen_in_the_supergroup_already_stays(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.set_chat_language(GROUP, "zh")
        await store.set_chat_language(SUPERGROUP, "en")  # chosen there since the upgrade
        await store.migrate_chat(GROUP, SUPERGROUP)
        assert await store.chat_language(SUPERGROUP) == "en"
        assert await store.chat_language(GROUP) is None
    finally:
        await store.close()


async def test_a_group_without_a_language_moves_without_one(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.subscribe(GROUP, 0, "group", 11)
        await store.migrate_chat(GROUP, SUPERGROUP)
        assert await store.chat_language(SUPERGROUP) is None
    finally:
        await store.close()


async def test_the_move_is_in_the_migration_transaction(database_url: str) -> None:
    """A migration that fails after the language moved leaves everything where it was."""
    store = await Store.open(database_url)
    try:
        await store.subscribe(GROUP, 0, "group", 11)
        await store.set_chat_language(GROUP, "zh")
        async with store.engine.begin() as conn:  # the outbox is gone: the move's last step fails
            await conn.execute(text("ALTER TABLE outbox RENAME TO outbox_away"))
        with pytest.raises(DBAPIError):
            await store.migrate_chat(GROUP, SUPERGROUP)
        async with store.engine.begin() as conn:
            await conn.execute(text("ALTER TABLE outbox_away RENAME TO outbox"))
        assert await store.chat_language(GROUP) == "zh"
        assert await store.chat_language(SUPERGROUP) is None
        assert [s.chat_id for s in await store.subscriptions_of(GROUP)] == [GROUP]
    finally:
        await store.close()


# -- schema 6: the upgrade from 5, in place, once, in turns ------------------------------------


async def as_schema_5(url: str) -> None:
    """The database as schema 5 left it: a subscription, no ``chat_settings``."""
    store = await Store.open(url)
    await store.subscribe(5, 0, "private", 5, ["gallium"])
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP TABLE chat_settings"))
        await conn.execute(text("UPDATE schema_version SET version = 5"))
    await store.close()


async def tables(conn: AsyncConnection) -> set[str]:
    def names(sync: Any) -> set[str]:
        return set(inspect(sync).get_table_names())

    return await conn.run_sync(names)


async def test_a_schema_5_database_is_upgraded_in_place(database_url: str) -> None:
    await as_schema_5(database_url)
    store = await Store.open(database_url)
    try:
        async with store.engine.connect() as conn:
            assert await conn.scalar(select(schema_version.c.version)) == SCHEMA_VERSION
            assert "chat_settings" in await tables(conn)
        assert await store.series_of(5, 0) == ["gallium"], "the subscription is kept"
        assert await store.chat_language(5) is None
        await store.set_chat_language(5, "zh")
        assert await store.chat_language(5) == "zh"
    finally:
        await store.close()


async def test_the_upgrade_run_again_changes_nothing(database_url: str) -> None:
    await as_schema_5(database_url)
    store = await Store.open(database_url)
    try:
        await store.set_chat_language(5, "zh")
        async with store.engine.begin() as conn:  # as if another process had not seen it
            await conn.execute(text("UPDATE schema_version SET version = 5"))
        await store.migrate()
        assert await store.chat_language(5) == "zh"
        async with store.engine.connect() as conn:
            versions = (await conn.execute(select(schema_version.c.version))).all()
        assert versions == [(SCHEMA_VERSION,)]
    finally:
        await store.close()


async def test_two_processes_upgrade_from_schema_5_at_once(database_url: str) -> None:
    await as_schema_5(database_url)
    stores = [Store(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(store.migrate() for store in stores))
        await stores[0].set_chat_language(5, "zh")
        for store in stores:
            assert await store.chat_language(5) == "zh"
        async with stores[0].engine.connect() as conn:
            versions = (await conn.execute(select(schema_version.c.version))).all()
        assert versions == [(SCHEMA_VERSION,)]
    finally:
        for store in stores:
            await store.close()


# -- the upsert on a database with no ON CONFLICT of its own -----------------------------------


class OtherDialect:
    """A connection that says it is of another database (no ON CONFLICT clause to use)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.dialect = type("Dialect", (), {"name": "other"})()

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return await self.conn.execute(*args, **kwargs)

    def begin_nested(self) -> Any:
        return self.conn.begin_nested()


async def test_insert_or_update_on_another_database(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        async with store.engine.begin() as conn:
            other: Any = OtherDialect(conn)
            await insert_or_update(other, chat_settings, {"chat_id": 5}, {"language": "zh"})
            await insert_or_update(other, chat_settings, {"chat_id": 5}, {"language": "en"})
            await insert_or_update(other, chat_settings, {"chat_id": 6}, {"language": "zh"})
        assert await store.chat_language(5) == "en"
        assert await store.chat_language(6) == "zh"
    finally:
        await store.close()
