"""Shared fixtures: real data, a fixed clock, and the real Application over a local network."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console import LocalChat
from bot.datastore import DataStore, Snapshot
from bot.lookup import Lookup
from bot.push.storage import Store
from bot.services import BotContext, Services
from bot.updates import LOCAL_USER

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TODAY = date(2026, 11, 29)


@pytest.fixture(scope="session")
def store() -> DataStore:
    return DataStore(DATA_DIR)


@pytest.fixture(scope="session")
def snapshot(store: DataStore) -> Snapshot:
    return store.current


@pytest.fixture
def lookup(snapshot: Snapshot) -> Lookup:
    return Lookup(snapshot, lambda: TODAY)


POSTGRES = os.environ.get("TEST_POSTGRES_URL", "")  # e.g. postgresql://user:pw@localhost/postgres
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES else [])]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database per test: SQLite, and PostgreSQL too when TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    name = f"exportwatch_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    yield f"{base}/{name}"
    asyncio.run(_drop(name))


async def _admin(sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def _drop(name: str, attempts: int = 40) -> None:
    """Drop a test database. FORCE ends the tests' own connections, but not a server process
    of another role (autovacuum may visit a new database under load): it is waited out."""
    import asyncpg

    for attempt in range(attempts):
        try:
            await _admin(f'DROP DATABASE "{name}" WITH (FORCE)')
            return
        except asyncpg.exceptions.InsufficientPrivilegeError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.25)


@pytest.fixture
def services(store: DataStore, database_url: str) -> Services:
    """Services on each database backend."""
    settings = Settings(data_dir=DATA_DIR, database_url=database_url)
    return Services(settings, store, lambda: TODAY, Store(database_url))


@pytest.fixture
def sqlite_services(store: DataStore, tmp_path: Path) -> Services:
    """Services on SQLite only, for tests about answers rather than storage."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'answers.db'}"
    return Services(Settings(data_dir=DATA_DIR, database_url=url), store, lambda: TODAY, Store(url))


@pytest.fixture
async def chat(sqlite_services: Services) -> AsyncIterator[LocalChat]:
    """The real Application with only the network replaced; fails if any handler raised.
    The local private chat has chosen English (``/lang en``): the tests that use it read
    questions in both languages and check the English answers. ``auto_chat`` has chosen no
    language, so a question in Chinese is answered in Chinese."""
    async with _local_chat(sqlite_services, english=True) as local:
        yield local


@pytest.fixture
async def auto_chat(sqlite_services: Services) -> AsyncIterator[LocalChat]:
    """As ``chat``, with no language chosen: the reply-language rules apply."""
    async with _local_chat(sqlite_services, english=False) as local:
        yield local


@asynccontextmanager
async def _local_chat(services: Services, english: bool) -> AsyncIterator[LocalChat]:
    errors: list[BaseException] = []

    async def record(update: object, context: BotContext) -> None:
        if context.error is not None:
            errors.append(context.error)

    async with LocalChat(services) as local:
        local.application.add_error_handler(record)
        if english:
            await services.store.set_chat_language(int(str(LOCAL_USER["id"])), "en")
        yield local
    assert not errors, f"the bot's error handler fired: {errors!r}"
