"""Shared fixtures: real data, a fixed clock, and the real Application over a local network."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console import LocalChat
from bot.datastore import DataStore, Snapshot
from bot.lookup import Lookup
from bot.services import BotContext, Services
from bot.storage import Store

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


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def services(store: DataStore, database_url: str) -> Services:
    settings = Settings(data_dir=DATA_DIR, database_url=database_url)
    return Services(settings, store, lambda: TODAY, Store(database_url))


@pytest.fixture
async def chat(services: Services) -> AsyncIterator[LocalChat]:
    """The real Application with only the network replaced; fails if any handler raised."""
    errors: list[BaseException] = []

    async def record(update: object, context: BotContext) -> None:
        if context.error is not None:
            errors.append(context.error)

    async with LocalChat(services) as local:
        local.application.add_error_handler(record)
        yield local
    assert not errors, f"the bot's error handler fired: {errors!r}"
