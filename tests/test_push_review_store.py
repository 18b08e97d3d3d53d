"""The push wing after review, its database side: a digest never repeats a month a chat got
or has queued, ``/status`` is one statement on the quick read path, revision notices are the
renderer's, the release check is pinned to the snapshot it started with, and the schema upgrade
is safe to run twice or in processes starting together. On SQLite, and on PostgreSQL too when
TEST_POSTGRES_URL is set."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect

from bot.data.dataset import CUSTOMS_SERIES
from bot.lookup import NoSeries
from bot.metrics import WORLD
from bot.push import releases
from bot.push.reads import Compiled
from bot.push.releases import SUMMARY, check_releases
from bot.push.schema import DIGEST, SCHEMA_VERSION, delivered
from bot.push.status_read import STATUS_QUERY, ChatStatus, read_chat
from bot.push.storage import Store
from bot.push.subscriptions import status, welcome
from bot.push.watch import DatabaseFileGone
from bot.reading.periods import Period
from bot.render.revisions import Change, revision_notice
from bot.services import Services
from tests.test_materials_push import own_data, write_data
from tests.test_outbox_plans import plan, recorded

#: The moment the status reads are made at (what waits for its hours is due after it).
NOW = datetime(2026, 6, 20, 12, 0)

# -- 3. a digest never repeats a month a chat got or has queued -----------------------------

HELD = {"gallium": "2025-12", "dysprosium": "2025-12"}


async def send_all(store: Store) -> None:
    """Everything queued is sent (as the delivery worker would record it)."""
    while claimed := await store.claim_due(100):
        for row in claimed:
            await store.mark_sent(row.id, 1, token=0)


async def queued(store: Store, chat: int) -> list[tuple[str, str, str]]:
    return [(m.dataset, m.month, m.kind) for m in await store.messages(chat_id=chat)]


async def test_a_digest_leaves_out_the_months_a_chat_got_or_has_queued(
    services: Services, tmp_path: Path
) -> None:
    """The data has December 2025 of gallium and dysprosium before the watcher has seen it;
    chats subscribe meanwhile and are welcomed with those months. When the watcher sees them,
    nobody gets a month twice: not in a digest, not in a summary."""
    folder = own_data(services, tmp_path, HELD)
    store = services.store
    await store.migrate()
    try:
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        write_data(folder, {})
        assert services.data.reload() is None
        both = ["gallium", "dysprosium"]
        got, waiting, half, fresh = 5, 6, 7, 8
        for chat in (got, waiting, half, fresh):
            await store.subscribe(chat, 0, "private", chat, both)
        lookup = services.lookup()
        for key in both:  # welcomed one by one, and both summaries sent
            await welcome(store, lookup, got, 0, [key], services.lookup)
        await send_all(store)
        await welcome(store, lookup, waiting, 0, both, services.lookup)  # a digest, queued
        await welcome(store, lookup, half, 0, ["gallium"], services.lookup)  # queued
        before = {chat: await queued(store, chat) for chat in (got, waiting, half)}
        ((_, _, kind),) = before[waiting]
        assert kind.startswith("digest:"), "one digest of both, queued"

        report = await check_releases(store, services.lookup(), services.lookup)
        assert sorted(report.announced) == ["2025-12", "2025-12"]
        assert await queued(store, got) == before[got], "both months were delivered"
        assert await queued(store, waiting) == before[waiting], "both are in its digest"
        assert await queued(store, half) == [
            *before[half],
            ("dysprosium", "2025-12", SUMMARY),
        ], "the month it has not had, alone: a summary, not a digest repeating gallium"
        (news,) = await queued(store, fresh)
        assert news[0] == DIGEST, "a chat that had neither gets the digest of both"
        assert report.queued == 2 and report.digests == 1
    finally:
        await store.close()


async def test_a_queued_welcome_digest_stops_a_summary_of_the_same_month(
    services: Services, tmp_path: Path
) -> None:
    folder = own_data(services, tmp_path, {"gallium": "2025-12"})
    store = services.store
    await store.migrate()
    try:
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        write_data(folder, {})
        assert services.data.reload() is None
        await store.subscribe(5, 0, "private", 5, ["gallium", "dysprosium"])
        await welcome(store, services.lookup(), 5, 0, ["gallium", "dysprosium"], services.lookup)
        (digest,) = await store.messages(chat_id=5)
        assert digest.dataset == DIGEST and "Gallium (镓), December 2025" in digest.text
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.announced == ["2025-12"] and report.queued == 0
        assert [m.id for m in await store.messages(chat_id=5)] == [digest.id]
    finally:
        await store.close()


# -- 4. /status: one statement on the quick read path ---------------------------------------

STATUS_SERIES = ["gallium", "germanium", CUSTOMS_SERIES]


async def subscribed_with_a_digest(services: Services, chat: int) -> None:
    """``chat`` subscribed to three series, welcomed with one digest of them, sent."""
    store = services.store
    await store.subscribe(chat, 0, "private", chat, STATUS_SERIES)
    await welcome(store, services.lookup(), chat, 0, STATUS_SERIES, services.lookup)
    await send_all(store)


async def engine_rows(store: Store, chat: int, thread: int = 0) -> list[dict[str, object]]:
    async with store.engine.connect() as conn:
        found = await conn.execute(STATUS_QUERY, {"chat": chat, "thread": thread, "now": NOW})
        return [dict(row._mapping) for row in found]


async def test_status_is_one_statement_on_the_quick_read_path(
    sqlite_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, store = sqlite_services, sqlite_services.store
    await store.migrate()
    try:
        await subscribed_with_a_digest(services, 5)
        assert store.reads is not None
        reads: list[object] = []
        quick = store.reads.rows

        async def counted(query: Any, values: Any) -> Any:
            reads.append(query)
            return await quick(query, values)

        monkeypatch.setattr(store.reads, "rows", counted)
        with recorded(store) as through_the_engine:
            found = await status(store, services.lookup(), 5, 0)
        assert through_the_engine == [], "nothing through the engine (aiosqlite's thread)"
        assert reads == [STATUS_QUERY], "one statement"
        assert [line.info.key for line in found.series] == [CUSTOMS_SERIES, "gallium", "germanium"]
        got = {line.info.key: line.last_summary for line in found.series}
        assert {key: last.month if last else None for key, last in got.items()} == {
            CUSTOMS_SERIES: "2026-03",
            "gallium": "2025-12",
            "germanium": "2025-10",
        }, "the digest counts as each series' summary"
    finally:
        await store.close()


async def test_the_status_read_gives_what_the_engine_gives_and_what_others_wrote(
    services: Services,
) -> None:
    """Uncached: every read sees what another process's connection committed since."""
    store, other = services.store, Store(services.settings.database_url)
    await store.migrate()
    try:
        await subscribed_with_a_digest(services, 5)
        await store.subscribe(6, 0, "private", 6)  # magnets, no summary
        await store.subscribe(7, 0, "private", 7)
        await welcome(store, services.lookup(), 7, 0)
        await send_all(store)
        await store.unsubscribe(7, 0)  # gone, with the magnets' summary it got
        for chat in (5, 6, 7, 8):
            quick = [
                dict(row)
                for row in await store.read(STATUS_QUERY, {"chat": chat, "thread": 0, "now": NOW})
            ]
            assert quick == await engine_rows(store, chat)
        seven = await read_chat(store, 7, 0)
        assert seven.subscription is None and seven.series == {}
        assert seven.last is not None and seven.last.month == "2026-03"
        assert await read_chat(store, 8, 0) == ChatStatus(None, None, {})

        await other.subscribe(6, 0, "private", 6, ["terbium"])
        assert list((await read_chat(store, 6, 0)).series) == [CUSTOMS_SERIES, "terbium"]
        await other.set_status(6, "paused", "blocked")
        paused = (await read_chat(store, 6, 0)).subscription
        assert paused is not None and paused.status == "paused"
        await other.unsubscribe(6, 0)
        assert await read_chat(store, 6, 0) == ChatStatus(None, None, {})
    finally:
        await store.close()
        await other.close()


async def test_the_status_read_scans_no_table_and_checks_the_file(
    sqlite_services: Services, tmp_path: Path
) -> None:
    services, store = sqlite_services, sqlite_services.store
    await store.migrate()
    try:
        await subscribed_with_a_digest(services, 5)
        await check_releases(store, services.lookup(), services.lookup)
        with recorded(store) as sent:
            await engine_rows(store, 5)
        ((statement, parameters),) = sent
        steps = await plan(store, statement, parameters)
        for table in ("outbox", "delivered", "digest_parts", "releases", "subscription_series"):
            assert f"SCAN {table}" not in steps, steps
        for leftover in tmp_path.glob("answers.db*"):
            leftover.unlink()
        with pytest.raises(DatabaseFileGone):
            await read_chat(store, 5, 0)
    finally:
        await store.close()


def test_a_compiled_read_binds_what_is_given_and_converts_the_rest_once() -> None:
    compiled = Compiled.of(STATUS_QUERY, sqlite_dialect.dialect())
    assert compiled.given == frozenset({"chat", "thread", "now"})
    whole = compiled.compiler.construct_params({"chat": 5, "thread": 7, "now": NOW})
    assert whole is not None
    stored = {"now": "2026-06-20 12:00:00.000000"}  # a datetime as SQLite keeps it
    assert compiled.parameters({"chat": 5, "thread": 7, "now": NOW}) == tuple(
        stored.get(name, whole[name]) for name in compiled.names
    )
    stamp = datetime(2026, 3, 1, 12, 30)
    dated = select(delivered.c.chat_id).where(
        (delivered.c.sent_at > stamp) & (delivered.c.chat_id == bindparam("chat"))
    )
    converted = Compiled.of(dated, sqlite_dialect.dialect())
    assert converted.parameters({"chat": 3}) == ("2026-03-01 12:30:00.000000", 3)


# -- 5. revision notices are the renderer's ---------------------------------------------------


@pytest.mark.parametrize(
    ("key", "line", "revised", "changes"),
    [
        (
            "gallium",
            "gallium,2025-12,WORLD,kg,10809,",
            "gallium,2025-12,WORLD,kg,10900,",
            [Change(WORLD, 10809.0, 10900.0)],
        ),
        (CUSTOMS_SERIES, None, None, None),
    ],
)
async def test_a_revision_notice_is_the_renderers(
    services: Services,
    tmp_path: Path,
    key: str,
    line: str | None,
    revised: str | None,
    changes: list[Change] | None,
) -> None:
    """The watcher queues :func:`revision_notice` as it renders it for the series (its name,
    unit and ``/sources`` word), not a patched magnets' notice."""
    folder = own_data(services, tmp_path, {})
    store = services.store
    await store.migrate()
    try:
        await store.subscribe(5, 0, "private", 5, [key])
        await welcome(store, services.lookup(), 5, 0, [key], services.lookup)
        await send_all(store)
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        if line is None:  # magnets: the US figure of March 2026 is revised
            csv = folder / "magnet_exports.csv"
            rows = csv.read_text().splitlines(keepends=True)
            (us,) = [r for r in rows if r.startswith("2026-03,US,")]
            fields = us.split(",")
            before = float(fields[3])
            fields[3] = f"{before + 4:g}"
            csv.write_text(csv.read_text().replace(us, ",".join(fields)))
            changes, month = [Change("US", before, before + 4)], "2026-03"
        else:
            assert revised is not None
            csv = folder / "critical_minerals.csv"
            csv.write_text(csv.read_text().replace(line, revised))
            month = "2025-12"
        assert services.data.reload() is None
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.released == [(key, month, "revised")], report
        (notice,) = [m for m in await store.messages(chat_id=5) if m.kind.startswith("revision")]
        info = services.data.current.catalog[key]
        assert changes is not None
        assert notice.text == revision_notice(Period.parse_code(month), changes, info)
    finally:
        await store.close()


def test_the_watcher_has_no_notice_of_its_own() -> None:
    assert not hasattr(releases, "notice")


# -- 6. the release check is pinned to the snapshot it started with ---------------------------


async def test_a_release_check_renders_from_the_snapshot_it_started_with(
    services: Services, tmp_path: Path
) -> None:
    """The data is reloaded while the check runs (gallium's figures gone from the newer
    snapshot): the months found in the first snapshot are rendered from it, and the check
    neither fails nor mixes the two."""
    folder = own_data(services, tmp_path, HELD)
    store = services.store
    await store.migrate()
    try:
        await store.subscribe(5, 0, "private", 5, ["gallium"])
        await store.subscribe(6, 0, "private", 6, ["gallium", "dysprosium"])
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        write_data(folder, {})
        assert services.data.reload() is None
        started = services.lookup()  # the check starts on this snapshot...
        minerals = folder / "critical_minerals.csv"
        rows = minerals.read_text().splitlines(keepends=True)
        minerals.write_text("".join(r for r in rows if not r.startswith("gallium,")))
        services.data.reload()  # ...and the data changes meanwhile (figures withdrawn:
        services.data.reload_and_compare(confirm=True)  # as the operator confirms)
        with pytest.raises(NoSeries):
            services.lookup("gallium")
        report = await check_releases(store, started, services.lookup)
        assert sorted(report.released) == [
            ("dysprosium", "2025-12", "announced"),
            ("gallium", "2025-12", "announced"),
        ]
        (summary,) = await store.messages(chat_id=5)
        assert (summary.dataset, summary.month) == ("gallium", "2025-12")
        assert "10,809 kg" in summary.text
        (digest,) = await store.messages(chat_id=6)
        assert digest.dataset == DIGEST and "10,809 kg" in digest.text
        assert "Dysprosium (镝), December 2025" in digest.text
    finally:
        await store.close()


# -- 7. the schema upgrade is safe to run twice, or in two processes at once ------------------


async def as_schema_4(url: str) -> None:
    """The database as schema 4 left it: subscriptions, no series table."""
    store = await Store.open(url)
    await store.subscribe(5, 0, "private", 5)
    await store.subscribe(-100_7, 3, "supergroup", 9)
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP TABLE subscription_series"))
        await conn.execute(text("DROP TABLE digest_parts"))
        await conn.execute(text("UPDATE schema_version SET version = 4"))
    await store.close()


async def test_the_schema_5_upgrade_runs_twice(database_url: str) -> None:
    await as_schema_4(database_url)
    store = await Store.open(database_url)
    try:
        await store.subscribe(8, 0, "private", 8, ["gallium"])  # after the upgrade
        async with store.engine.begin() as conn:  # as if another process had not seen it
            await conn.execute(text("UPDATE schema_version SET version = 4"))
        await store.migrate()
        assert await store.series_of(5, 0) == [CUSTOMS_SERIES]
        assert await store.series_of(-100_7, 3) == [CUSTOMS_SERIES]
        assert await store.series_of(8, 0) == ["gallium"], "a later subscription is left alone"
        async with store.engine.connect() as conn:
            version = (await conn.execute(text("SELECT version FROM schema_version"))).all()
        assert version == [(SCHEMA_VERSION,)]
    finally:
        await store.close()


async def test_two_processes_upgrade_at_once(database_url: str) -> None:
    await as_schema_4(database_url)
    first, second = Store(database_url), Store(database_url)
    try:
        await asyncio.gather(first.migrate(), second.migrate())
        for store in (first, second):
            assert await store.series_of(5, 0) == [CUSTOMS_SERIES]
            assert await store.series_of(-100_7, 3) == [CUSTOMS_SERIES]
        async with first.engine.connect() as conn:
            version = (await conn.execute(text("SELECT version FROM schema_version"))).all()
        assert version == [(SCHEMA_VERSION,)]
    finally:
        await first.close()
        await second.close()


async def test_two_processes_create_a_new_database_at_once(database_url: str) -> None:
    stores = [Store(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(store.migrate() for store in stores))
        async with stores[0].engine.connect() as conn:
            version = (await conn.execute(text("SELECT version FROM schema_version"))).all()
        assert version == [(SCHEMA_VERSION,)]
    finally:
        for store in stores:
            await store.close()
