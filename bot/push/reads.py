"""Quick reads for a statement asked often (``/status``), on a SQLite file.

Through SQLAlchemy, aiosqlite hands a query to its worker thread about five times (a cursor,
the statement, its rows, closing the cursor, and the rollback as the connection goes back to
the pool); each hand-off, there and back, costs several times the indexed query itself
(about 15 µs). :class:`SqliteReads` compiles the statement once and runs it on a connection
kept open for reads, on the event loop's own thread, without waiting: a lock held elsewhere
(rare in WAL mode, where readers do not wait for the writer) fails it at once, and that read
goes to aiosqlite's thread, in one hand-off (``execute_fetchall``), to wait there. Both
connections are in autocommit mode, so each statement is its own read transaction and sees
whatever any process has committed; nothing is kept from one read to the next but the
compiled SQL. Each read first checks the file watch, as a checkout from the pool does, so a
deleted or replaced file is refused alike. Other databases read through the engine
(:class:`Reads`).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.compiler import SQLCompiler

from bot.push.watch import FileWatch

Row = Mapping[str, Any]
Convert = Callable[[Any], Any] | None


@dataclass(frozen=True)
class Compiled:
    """A SELECT as SQLite text: its positional parameters (each with the conversion of the
    value given) and its columns (each with the conversion of the value stored). The values
    fixed when the statement was built are converted once: a call binds only the others."""

    sql: str
    compiler: SQLCompiler
    names: tuple[str, ...]
    binds: tuple[Convert, ...]
    columns: tuple[str, ...]
    results: tuple[Convert, ...]
    #: The names bound at each call (``bindparam("chat")``); None: every call is built whole.
    given: frozenset[str] | None = None
    #: Every parameter in order, the fixed ones converted (the others are filled per call).
    fixed: tuple[Any, ...] = ()
    #: The places of the names bound at each call: (position, name, conversion).
    slots: tuple[tuple[int, str, Convert], ...] = ()

    @classmethod
    def of(cls, query: Select[Any], dialect: Dialect) -> Compiled:
        compiler = query.compile(dialect=dialect)
        if not isinstance(compiler, SQLCompiler) or compiler.positiontup is None:
            raise ValueError(f"{dialect.name} does not take positional parameters")
        if any(bind.expanding for bind in compiler.binds.values()):
            raise ValueError("a list bound to IN is rendered per call: read it through the engine")
        names = tuple(compiler.positiontup)
        binds = tuple(
            compiler.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names
        )
        columns = tuple(query.selected_columns.keys())
        results = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in query.selected_columns
        )
        found = cls(compiler.string, compiler, names, binds, columns, results)
        if any(bind.callable is not None for bind in compiler.binds.values()):
            return found  # a value computed at each call
        given = frozenset(name for name in names if compiler.binds[name].required)
        values = compiler.construct_params(dict.fromkeys(given))
        fixed = tuple(
            None if name in given else values[name] if convert is None else convert(values[name])
            for name, convert in zip(names, binds, strict=True)
        )
        slots = tuple(
            (i, name, convert)
            for i, (name, convert) in enumerate(zip(names, binds, strict=True))
            if name in given
        )
        return replace(found, given=given, fixed=fixed, slots=slots)

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The statement's parameters in order: ``values`` and those fixed when it was built."""
        if self.given is not None and self.given == values.keys():
            filled = list(self.fixed)
            for i, name, convert in self.slots:
                value = values[name]
                filled[i] = value if convert is None else convert(value)
            return tuple(filled)
        given = self.compiler.construct_params(dict(values))
        return tuple(
            value if convert is None else convert(value)
            for value, convert in zip((given[name] for name in self.names), self.binds, strict=True)
        )

    def row(self, stored: Sequence[Any]) -> dict[str, Any]:
        """A row as SQLAlchemy would give it: by column name, each value converted."""
        return {
            name: value if convert is None or value is None else convert(value)
            for name, value, convert in zip(self.columns, stored, self.results, strict=True)
        }


class SqliteReads:
    """Two connections to a SQLite file kept open for reads (each opened at its first use):
    one used on the event loop's thread, which never waits for a lock, and, for a read that
    would, aiosqlite's, which waits on its own thread. Close with :meth:`close`."""

    def __init__(self, path: Path, watch: FileWatch, dialect: Dialect, busy_timeout: float) -> None:
        self.path = path
        self.watch = watch
        self.dialect = dialect
        self.busy_timeout = busy_timeout
        #: Reads on the event loop's thread; a lock held elsewhere fails them at once.
        self.at_once: sqlite3.Connection | None = None
        #: Reads that wait for a lock, on aiosqlite's thread (rare in WAL mode).
        self.waiting: aiosqlite.Connection | None = None
        self._opening = asyncio.Lock()
        #: Statements compiled so far: give :meth:`rows` statements built once, not per call.
        self._compiled: dict[Select[Any], Compiled] = {}

    async def rows(self, query: Select[Any], values: Mapping[str, Any]) -> list[Row]:
        """The rows of ``query`` with ``values`` bound; :class:`DatabaseFileGone` if the file
        was deleted or replaced."""
        self.watch.check()
        compiled = self._compiled.get(query)
        if compiled is None:
            compiled = self._compiled[query] = Compiled.of(query, self.dialect)
        parameters = compiled.parameters(values)
        try:
            found = self._at_once().execute(compiled.sql, parameters).fetchall()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            waiting = self.waiting or await self._open_waiting()
            found = list(await waiting.execute_fetchall(compiled.sql, parameters))
        return [compiled.row(stored) for stored in found]

    def _at_once(self) -> sqlite3.Connection:
        if self.at_once is None:
            # the file was checked just before: connecting to a deleted one would make it again
            self.at_once = _read_only(sqlite3.connect(self.path, timeout=0, **AUTOCOMMIT))
        return self.at_once

    async def _open_waiting(self) -> aiosqlite.Connection:
        async with self._opening:
            if self.waiting is None:
                self.watch.check()
                waiting = await aiosqlite.connect(
                    self.path, timeout=self.busy_timeout, **AUTOCOMMIT
                )
                await waiting.execute_fetchall(QUERY_ONLY)
                self.waiting = waiting
            return self.waiting

    async def close(self) -> None:
        """Close the connections (a later read opens them again)."""
        at_once, self.at_once = self.at_once, None
        waiting, self.waiting = self.waiting, None
        if at_once is not None:
            at_once.close()
        if waiting is not None:
            await waiting.close()


QUERY_ONLY = "PRAGMA query_only = ON"
#: Each statement its own transaction; the loop's thread may change from one event loop to
#: the next (tests), and only reads are made.
AUTOCOMMIT: dict[str, Any] = {"isolation_level": None, "check_same_thread": False}


def _read_only(connection: sqlite3.Connection) -> sqlite3.Connection:
    connection.execute(QUERY_ONLY)
    return connection


class Reads:
    """Reading a statement asked often (mixed into ``Store``): on a SQLite file through
    :class:`SqliteReads`, elsewhere through the engine."""

    engine: AsyncEngine
    reads: SqliteReads | None

    async def read(self, query: Select[Any], values: Mapping[str, Any]) -> Sequence[Row]:
        """The rows of ``query`` (built once, e.g. a module constant) with ``values`` bound."""
        if self.reads is not None:
            return await self.reads.rows(query, values)
        async with self.engine.connect() as conn:
            return [row._mapping for row in await conn.execute(query, dict(values))]
