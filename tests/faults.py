"""Helpers for the fault tests: waiting for a condition, a real Bot that can stop the database
after Telegram accepted a message, and a TCP proxy in front of PostgreSQL that can be cut."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Bot

from bot.push.pacing import RetryPolicy
from bot.push.schema import NewMessage
from bot.push.storage import Store
from bot.records import SENT
from tests.fake_telegram import FakeTelegram

TOKEN = "4242:fault-test-token"
QUICK_DATABASE_RETRY = RetryPolicy(max_attempts=0, backoff_base=0.02, backoff_cap=0.2)


def message(chat_id: int, kind: str = "summary") -> NewMessage:
    return NewMessage(chat_id, 0, "85051110", "2026-03", kind, f"{kind} for {chat_id}")


async def until(condition: Callable[[], object], seconds: float = 30.0) -> None:
    """Wait until ``condition`` (sync or async) holds; fail after ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not within {seconds} s: {condition}")


async def all_sent(store: Store) -> bool:
    return all(m.status == SENT for m in await store.messages())


def telegram_bot(tg: FakeTelegram, token: str = TOKEN) -> Bot:
    return Bot(token, base_url=f"{tg.url}/bot")


class AfterSend(Bot):
    """A real Bot that calls ``then`` (once) right after Telegram accepted a message."""

    def __init__(self, tg: FakeTelegram, then: Callable[[], Awaitable[None] | None]) -> None:
        super().__init__(TOKEN, base_url=f"{tg.url}/bot")
        self._then: Callable[[], Awaitable[None] | None] | None = then

    async def send_message(self, *args: Any, **kwargs: Any) -> Any:
        sent = await super().send_message(*args, **kwargs)
        if self._then is not None:
            then, self._then = self._then, None
            result = then()
            if inspect.isawaitable(result):
                await result
        return sent


class SqliteLock:
    """A second connection to the SQLite file that can hold its write lock."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=10)

    def take(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def give_back(self) -> None:
        self.connection.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()


class CuttableProxy:
    """A TCP proxy to ``host:port`` on loopback. ``cut`` resets the open connections and every
    new one (as a database that went away); ``restore`` lets them through again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.open = True
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        self.open = False
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def restore(self) -> None:
        self.open = True

    async def close(self) -> None:
        await self.cut()
        if self._server is not None:
            self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.transport.abort()

        with contextlib.suppress(asyncio.CancelledError):  # the loop is closing
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}
