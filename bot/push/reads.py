"""One-trip reads for a statement asked often (``/status``), on a SQLite file.

Through SQLAlchemy, aiosqlite hands a query to its worker thread about five times (a cursor,
the statement, its rows, closing the cursor, and the rollback as the connection goes back to
the pool), each hand-off costing more than the indexed query itself. :class:`SqliteReads`
keeps one connection open for reads only and runs a statement compiled once in a single
hand-off (``execute_fetchall``). The connection is in autocommit mode, so each statement is
its own read transaction and sees whatever any process has committed; nothing is kept from
one read to the next but the compiled SQL. Each read first checks the file watch, as a
checkout from the pool does, so a deleted or replaced file is refused alike. Other databases
read through the engine (:class:`Reads`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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
    value given) and its columns (each with the conversion of the value stored)."""

    sql: str
    compiler: SQLCompiler
    names: tuple[str, ...]
    binds: tuple[Convert, ...]
    columns: tuple[str, ...]
    results: tuple[Convert, ...]

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
        return cls(compiler.string, compiler, names, binds, columns, results)

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The statement's parameters in order: ``values`` and those fixed when it was built."""
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
    """A connection to a SQLite file kept open for reads (opened at the first), each read in
    one trip to its thread. Close with :meth:`close`."""

    def __init__(self, path: Path, watch: FileWatch, dialect: Dialect, busy_timeout: float) -> None:
        self.path = path
        self.watch = watch
        self.dialect = dialect
        self.busy_timeout = busy_timeout
        self.connection: aiosqlite.Connection | None = None
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
        connection = self.connection or await self._open()
        found = await connection.execute_fetchall(compiled.sql, compiled.parameters(values))
        return [compiled.row(stored) for stored in found]

    async def _open(self) -> aiosqlite.Connection:
        async with self._opening:
            if self.connection is None:
                self.watch.check()  # connecting to a deleted file would create an empty one
                connection = await aiosqlite.connect(
                    self.path, timeout=self.busy_timeout, isolation_level=None
                )
                await connection.execute_fetchall("PRAGMA query_only = ON")
                self.connection = connection
            return self.connection

    async def close(self) -> None:
        """Close the connection (a later read opens it again)."""
        connection, self.connection = self.connection, None
        if connection is not None:
            await connection.close()


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
