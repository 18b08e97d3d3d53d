"""Watching the database: a start-up check that says in one line what is wrong with
``DATABASE_URL`` (never its password), and a watch on the SQLite file, so a file deleted or
replaced while the bot runs is noticed rather than written to unlinked."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

STARTUP_TIMEOUT = 10.0  # seconds the database has to answer at start-up
EXAMPLES = "sqlite+aiosqlite:///var/exportwatch.db or postgresql+asyncpg://user:password@host/db"


class DatabaseFileGone(RuntimeError):
    """The SQLite file was deleted or replaced while the bot ran."""


def shown_url(url: str) -> str | None:
    """The URL with its password hidden, or None if it is no database URL at all."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return None


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def one_line_reason(error: BaseException, url: str) -> str:
    """The driver's own words for ``error``, on one line, without the URL's password."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    text = " ".join(str(cause).split()) or type(cause).__name__
    password = make_url(url).password
    return text.replace(str(password), "***") if password else text


async def startup_problem(url: str, timeout: float = STARTUP_TIMEOUT) -> str | None:
    """None when the database opens and its schema is ready; else one line that names
    ``DATABASE_URL`` and says what is wrong."""
    from bot.push.storage import Store  # the store uses this module's file watch

    shown = shown_url(url)
    if shown is None:
        return f"DATABASE_URL is not a database URL such as {EXAMPLES}"
    try:
        store = Store(url)
    except (NoSuchModuleError, ModuleNotFoundError) as error:
        return (
            f"DATABASE_URL ({shown}): no driver for it is installed ({error}); "
            "for PostgreSQL, pip install '.[postgres]'"
        )
    except OSError as error:
        return f"DATABASE_URL ({shown}): cannot create its folder: {one_line_reason(error, url)}"
    except Exception as error:
        return f"DATABASE_URL ({shown}) cannot be used: {one_line_reason(error, url)}"
    try:
        sqlite_file = sqlite_path(url)
        if sqlite_file is not None:
            opens_or_raises(sqlite_file)
        await asyncio.wait_for(store.migrate(), timeout)
    except TimeoutError:
        return f"DATABASE_URL ({shown}): the database did not answer within {timeout:g} s"
    except Exception as error:
        return f"DATABASE_URL ({shown}): cannot open the database: {one_line_reason(error, url)}"
    finally:
        await store.close()
    return None


def opens_or_raises(path: Path) -> None:
    """Open (or create) the SQLite file with the standard module, in this thread. Done before
    the async driver, whose worker thread, after a connect that fails, can outlive the event
    loop and print a traceback as the process ends."""
    sqlite3.connect(path).close()


class FileWatch:
    """The SQLite file a store writes to. Once the store has opened it, every connection
    checks that the same file is still there; if not, the database refuses work (and says so
    in the log, once) until the file is back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity: tuple[int, int] | None = None
        self.reported = False

    def install(self, engine: AsyncEngine) -> None:
        """Check before each new connection (which would create an empty file) and each
        checkout from the pool."""
        event.listen(engine.sync_engine, "do_connect", self._before_connect)
        event.listen(engine.sync_engine.pool, "checkout", self._on_checkout)

    def remember(self) -> None:
        """The file as it is now is the database (called once the schema is ready)."""
        stat = os.stat(self.path)
        self.identity = (stat.st_dev, stat.st_ino)

    def problem(self) -> str | None:
        """What is wrong with the file, if anything."""
        if self.identity is None:
            return None
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return f"the database file {self.path} was deleted while the bot was running"
        if (stat.st_dev, stat.st_ino) != self.identity:
            return f"the database file {self.path} was replaced while the bot was running"
        return None

    def check(self) -> None:
        """Raise :class:`DatabaseFileGone` (and log it, once) if the file is gone."""
        problem = self.problem()
        if problem is None:
            if self.reported:
                log.warning("the database file %s is back; using it again", self.path)
            self.reported = False
            return
        if not self.reported:
            log.error(
                "%s; nothing is written to it any more: restore it, or restart the bot", problem
            )
            self.reported = True
        raise DatabaseFileGone(problem)

    def _before_connect(self, *_args: Any) -> None:
        self.check()

    def _on_checkout(self, *_args: Any) -> None:
        self.check()
