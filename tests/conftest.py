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
def services(store: DataStore) -> Services:
    return Services(Settings(data_dir=DATA_DIR), store, lambda: TODAY)


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
