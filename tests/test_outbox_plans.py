"""The outbox's statements read rows through an index whose order is the query's: the plan of
every statement a broadcast, its claims, its marks, pruning and the lookups of what was
delivered run is taken from the database itself (SQLite's ``EXPLAIN QUERY PLAN``, PostgreSQL's
``EXPLAIN``) for the very statements the store sent, with their parameters. No full scan of a
table, no sort of it: the cost of a claim does not grow with the rows waiting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from bot.push.schema import utcnow
from bot.push.storage import Store
from tests.faults import message

WAITING = 20_000  # PostgreSQL plans by its statistics: enough rows that a sort would show


@contextmanager
def recorded(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and parameters) the store sends while the block runs."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(store.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", record)


async def plan(store: Store, statement: str, parameters: Any) -> str:
    """The database's plan for one recorded statement, one line per step."""
    sqlite = store.engine.dialect.name == "sqlite"
    async with store.engine.connect() as conn:
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        rows = await conn.exec_driver_sql(prefix + statement, tuple(parameters))
        lines = [str(row[-1]) if sqlite else str(row[0]) for row in rows]
        await conn.rollback()
    return "\n".join(lines)


def on_outbox(statement: str) -> bool:
    words = statement.split()
    return (
        words[0] in ("SELECT", "UPDATE", "DELETE", "INSERT")
        and ("outbox" in statement or "delivered" in statement)
        and not (words[0] == "INSERT" and "SELECT" not in statement)
    )


async def test_a_claim_reads_the_due_index_in_order_and_claims_by_id(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        await store.enqueue([message(chat) for chat in range(1, WAITING + 1)])
        await store.enqueue([message(1, "revision:a"), message(2, "revision:a")])
        async with store.engine.begin() as conn:
            if store.engine.dialect.name == "postgresql":
                await conn.exec_driver_sql("ANALYZE outbox")
        assert len(await store.claim_due(64)) == 64  # chats 1 and 2 are busy from now on
        with recorded(store) as sent:
            claimed = await store.claim_due(64)
        assert [m.chat_id for m in claimed] == list(range(65, 129)), "longest due first"
        (scan, _), (claim, _) = [s for s in sent if on_outbox(s[0])]
        assert scan.startswith("SELECT") and claim.startswith("UPDATE")
        scan_plan = await plan(store, *next(s for s in sent if s[0] == scan))
        claim_plan = await plan(store, *next(s for s in sent if s[0] == claim))
    finally:
        await store.close()
    if database_url.startswith("sqlite"):
        assert "SEARCH outbox USING INDEX outbox_due (status=? AND next_attempt_at<?)" in scan_plan
        assert "TEMP B-TREE" not in scan_plan and "SCAN outbox" not in scan_plan, scan_plan
        assert "USING INTEGER PRIMARY KEY" in claim_plan, claim_plan
        assert "SCAN outbox" not in claim_plan
    else:
        assert "Index Scan using outbox_due on outbox" in scan_plan, scan_plan
        assert "Sort" not in scan_plan and "Seq Scan" not in scan_plan, scan_plan
        assert "outbox_pkey" in claim_plan and "Seq Scan" not in claim_plan, claim_plan


async def test_a_broadcast_and_its_pruning_never_scan_or_sort_a_table(tmp_path: Any) -> None:
    """SQLite: every statement of queueing, claiming, marking, pruning, the revision lookup,
    ``/status`` and a repeated welcome."""
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'plans.db'}")
    try:
        with recorded(store) as sent:
            await store.record_release("85051110", {"2026-03": {"WORLD": 1.0}}, True)
            await store.enqueue([message(chat) for chat in range(1, 2001)])
            while claimed := await store.claim_due(64):
                for m in claimed:
                    assert await store.mark_sent(m.id, 1000 + m.chat_id, token=0)
            await store.enqueue([message(7)])  # a welcome again: already delivered
            await store.enqueue([message(chat) for chat in range(1, 2001)])  # a large one
            await store.next_due()
            await store.release_claims()
            assert await store.prune_outbox(utcnow() + timedelta(days=1), batch=500) == 2000
            assert len(await store.chats_sent("85051110", "2026-03", "summary")) == 2000
            assert await store.last_delivered(7, 0, "85051110", "summary") is not None
        statements = {s: p for s, p in sent if on_outbox(s)}
        plans = {s: await plan(store, s, p) for s, p in statements.items()}
    finally:
        await store.close()
    assert len(plans) >= 10
    for statement, steps in plans.items():
        assert "SCAN outbox" not in steps and "SCAN delivered" not in steps, (statement, steps)
        assert "TEMP B-TREE" not in steps, (statement, steps)
