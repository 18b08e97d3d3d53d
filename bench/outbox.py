"""The outbox at any size (issue 13), each measure against a baseline in the same run.

1. Claim cost with 100,000 messages waiting vs with 1,000 (goal: at most 1.5x), on SQLite,
   and on PostgreSQL too when ``TEST_POSTGRES_URL`` names a server. Rounds interleave the two.
2. The database after 100,000 deliveries (2,000 subscribers, 50 monthly summaries of their
   real sizes) with each month's rows pruned once the next month is out, as
   ``OUTBOX_RETENTION_DAYS=30`` does, vs the same deliveries never pruned (goal: under 20 MB).
3. A new month pushed to 100,000 chats with Telegram's limits scaled x20 (as if the clock ran 20
   times faster; at x30 the pacer's spacing nears the event loop's 1 ms timer and the run is
   within noise of the goal): the real release watcher, outbox, delivery worker and pacer,
   sending through PTB's ``Bot`` to an in-process Bot API double (the offline request layer,
   no HTTP, which answers 429 to any send over the limits), timed against the floor the
   limits set (goal: at least 0.95 of its speed) with the sends over a limit (goal: 0).

Everything is generated in temporary folders. Run alone with ``python bench/outbox.py``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from telegram import Bot
from telegram.request import RequestData

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import spread, verdict  # noqa: E402
from bot.datastore import DataStore  # noqa: E402
from bot.lookup import Lookup  # noqa: E402
from bot.offline import OfflineRequest  # noqa: E402
from bot.push.delivery import DeliveryWorker, Limits  # noqa: E402
from bot.push.releases import check_releases, month_figures, summary_messages  # noqa: E402
from bot.push.schema import NewMessage, subscription_series, subscriptions, utcnow  # noqa: E402
from bot.push.storage import Store, insert_ignoring_duplicates  # noqa: E402
from bot.records import ACTIVE, SENT, Subscription  # noqa: E402
from tests.conftest import DATA_DIR, TODAY  # noqa: E402
from tests.live import data_before_new_month, publish_new_month  # noqa: E402

ROUNDS = 5
CLAIMS_PER_ROUND = 30
CLAIM_LIMIT = 64  # the worker's places
FEW, MANY = 1_000, 100_000
SUBSCRIBERS, MONTHS = 2_000, 50  # 100,000 deliveries
CHATS = 100_000
SCALE = 20  # Telegram's limits x20: 600 messages a second overall, 400 a minute per group
DATASET = "85051110"


def chat_ids(count: int) -> list[int]:
    """``count`` chats, a third of them groups."""
    return [i if i % 3 else -1_000_000 - i for i in range(1, count + 1)]


def summary_texts() -> list[str]:
    """The real monthly summaries (one message each), to give rows their real size."""
    lookup = Lookup(DataStore(DATA_DIR).current, lambda: TODAY)
    someone = [Subscription(1, 0, "private", ACTIVE, None, None, utcnow())]
    texts: list[str] = []
    for month in sorted(month_figures(lookup.metrics))[-12:]:
        texts += [m.text for m in summary_messages(lookup, month, someone)]
    return texts


# -- 1. claims -------------------------------------------------------------------------------


async def filled(url: str, count: int, text: str) -> Store:
    store = await Store.open(url)
    messages = [NewMessage(c, 0, DATASET, "2026-03", "summary", text) for c in chat_ids(count)]
    for start in range(0, count, 20_000):
        await store.enqueue(messages[start : start + 20_000])
    return store


async def claim_median(store: Store) -> float:
    """The median time of a claim of the worker's size; each is handed back untimed."""
    times = []
    for _ in range(CLAIMS_PER_ROUND):
        start = time.perf_counter()
        claimed = await store.claim_due(CLAIM_LIMIT)
        times.append(time.perf_counter() - start)
        assert len(claimed) == CLAIM_LIMIT
        await store.release_claims()
    return statistics.median(times)


async def claim_cost(name: str, urls: tuple[str, str], text: str) -> None:
    few, many = await filled(urls[0], FEW, text), await filled(urls[1], MANY, text)
    try:
        await claim_median(few), await claim_median(many)  # warm both
        small, large = [], []
        for _ in range(ROUNDS):  # interleaved, so drift hits both alike
            small.append(await claim_median(few))
            large.append(await claim_median(many))
    finally:
        await few.close()
        await many.close()
    ratios = [b / a for a, b in zip(small, large, strict=True)]
    print(
        f"claim of {CLAIM_LIMIT} on {name}: {spread([t * 1e3 for t in large], ' ms')} with "
        f"{MANY:,} waiting vs {spread([t * 1e3 for t in small], ' ms')} with {FEW:,} = "
        f"{spread(ratios, 'x')} (goal <= 1.5x: {verdict(max(ratios) <= 1.5)})"
    )


@asynccontextmanager
async def postgres_databases(admin: str, count: int) -> AsyncIterator[list[str]]:
    """``count`` fresh PostgreSQL databases on the server of ``admin``, dropped afterwards."""
    import asyncpg

    names = [f"exportwatch_bench_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    connection = await asyncpg.connect(admin)
    try:
        for name in names:
            await connection.execute(f'CREATE DATABASE "{name}"')
        base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        yield [f"{base}/{name}" for name in names]
    finally:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


# -- 2. the database's size ------------------------------------------------------------------


def file_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


async def settled_bytes(store: Store, path: Path) -> int:
    """The file and its log once the log is checkpointed (as when it is next reused)."""
    async with store.engine.connect() as conn:
        await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return file_bytes(path)


async def deliver(store: Store) -> int:
    """Claim and mark sent all that is due, as the worker does once Telegram accepted it."""
    count = 0
    while claimed := await store.claim_due(500):
        marks = [store.mark_sent(m.id, 1_000_000 + m.id, token=0) for m in claimed]
        assert all(await asyncio.gather(*marks))
        count += len(claimed)
    return count


async def database_size(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = Path(folder) / "pruned.db", Path(folder) / "kept.db"
        pruned, kept = [await Store.open(f"sqlite+aiosqlite:///{p}") for p in paths]
        rows = [
            {"chat_id": c, "thread_id": 0, "chat_type": "private" if c > 0 else "group"}
            | {"status": ACTIVE, "subscribed_at": utcnow(), "updated_at": utcnow()}
            for c in chat_ids(SUBSCRIBERS)
        ]
        peak, delivered = 0, 0
        for store in (pruned, kept):
            async with store.engine.begin() as conn:
                await insert_ignoring_duplicates(conn, subscriptions, rows)
        for index in range(MONTHS):
            month = f"{2024 + index // 12}-{index % 12 + 1:02d}"
            text = texts[index % len(texts)]
            out = utcnow()  # the month is out: what finished before is over 30 days old
            for store in (pruned, kept):
                await store.enqueue(
                    NewMessage(c, 0, DATASET, month, "summary", text) for c in chat_ids(SUBSCRIBERS)
                )
                count = await deliver(store)
            delivered += count
            peak = max(peak, await settled_bytes(pruned, paths[0]))
            await pruned.prune_outbox(out)
            await pruned.reclaim_space()
        small, large = await settled_bytes(pruned, paths[0]), await settled_bytes(kept, paths[1])
        await pruned.close()
        await kept.close()
    print(
        f"database after {delivered:,} deliveries ({SUBSCRIBERS:,} subscribers x {MONTHS} "
        f"monthly summaries, SQLite, file and log): {small / 1e6:.1f} MB with each month's rows "
        f"pruned once the next is out (as OUTBOX_RETENTION_DAYS=30) vs {large / 1e6:.1f} MB never "
        f"pruned = {small / large:.3f}x (goal < 20 MB: {verdict(small < 20e6)}); at most "
        f"{peak / 1e6:.1f} MB on the way, with two months' rows just before a prune; one round: "
        f"the sizes do not vary between runs"
    )


# -- 3. a broadcast to 100,000 chats ---------------------------------------------------------


class FloodCheckingApi(OfflineRequest):
    """The offline Bot API with Telegram's limits (scaled): a send over a limit is answered
    429, as Telegram does, and counted. Notes when each send was accepted."""

    def __init__(self, limits: Limits, expected: int) -> None:
        super().__init__(check_html=False)  # the double's own checks are not timed
        self.limits = limits
        self.expected = expected
        self.accepted: list[float] = []
        self.over_limit = 0
        self.all_accepted = asyncio.Event()
        self._overall: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}
        self._ids = itertools.count(1)

    async def answer(self, url: str, request_data: RequestData | None) -> tuple[int, bytes]:
        if not url.endswith("/sendMessage") or request_data is None:
            return await super().answer(url, request_data)
        chat_id = int(str(request_data.parameters["chat_id"]))
        now = time.monotonic()
        if self._over_limit(chat_id, now):
            self.over_limit += 1
            answer = {"ok": False, "error_code": 429, "description": "Too Many Requests"}
            return 429, json.dumps(answer | {"parameters": {"retry_after": 1}}).encode()
        self.accepted.append(now)
        if len(self.accepted) == self.expected:
            self.all_accepted.set()
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        message = {"message_id": next(self._ids), "date": int(time.time()), "chat": chat}
        return 200, json.dumps({"ok": True, "result": message | {"text": "…"}}).encode()

    def _over_limit(self, chat_id: int, now: float) -> bool:
        """Count a send against the limits; True (and not counted) if it exceeds one."""
        limits = self.limits
        if chat_id < 0:
            period, most = 60.0, limits.group_per_minute
        else:
            period, most = 1.0, limits.private_per_second
        chat = self._chats.setdefault(chat_id, deque())
        for window, seconds in ((self._overall, 1.0), (chat, period)):
            while window and window[0] <= now - seconds:
                window.popleft()
        if len(self._overall) >= limits.overall_per_second or len(chat) >= most:
            return True
        self._overall.append(now)
        chat.append(now)
        return False


async def broadcast() -> None:
    limits = Limits().scaled(SCALE)
    with tempfile.TemporaryDirectory() as folder:
        data = data_before_new_month(Path(folder) / "data")
        store = await Store.open(f"sqlite+aiosqlite:///{folder}/broadcast.db")
        rows = [
            {"chat_id": c, "thread_id": 0, "chat_type": "private" if c > 0 else "group"}
            | {"status": ACTIVE, "subscribed_at": utcnow(), "updated_at": utcnow()}
            for c in chat_ids(CHATS)
        ]
        series = [{"chat_id": c, "thread_id": 0, "series": DATASET} for c in chat_ids(CHATS)]
        async with store.engine.begin() as conn:
            await insert_ignoring_duplicates(conn, subscriptions, rows)
            await insert_ignoring_duplicates(conn, subscription_series, series)
        await check_releases(store, Lookup(DataStore(data).current, lambda: TODAY))  # seen
        publish_new_month(data)
        start = time.perf_counter()
        report = await check_releases(store, Lookup(DataStore(data).current, lambda: TODAY))
        queued = time.perf_counter() - start
        assert report.queued == CHATS, report
        api = FloodCheckingApi(limits, CHATS)
        bot = Bot("4242:bench", request=api)
        await bot.initialize()
        worker = DeliveryWorker(store, bot, limits)
        start = time.monotonic()
        await worker.start()
        await asyncio.wait_for(api.all_accepted.wait(), timeout=1800)
        seconds = api.accepted[-1] - start
        await worker.idle()
        await worker.stop()
        sent = (await store.outbox_counts()).get(SENT, 0)
        await store.close()
    rate = limits.overall_per_second
    floor = CHATS / rate
    tenth = CHATS // 10
    parts = [
        (tenth / rate) / (api.accepted[i + tenth - 1] - (api.accepted[i - 1] if i else start))
        for i in range(0, CHATS, tenth)
    ]
    print(
        f"broadcast to {CHATS:,} chats, Telegram's limits x{SCALE} ({rate:.0f}/s overall, "
        f"{limits.group_per_minute:.0f}/min per group), the real worker, outbox and pacer "
        f"through PTB to an in-process Bot API double (no HTTP): {seconds:.1f} s vs floor "
        f"{floor:.1f} s = {floor / seconds:.3f} of the floor's speed (goal >= 0.95: "
        f"{verdict(floor / seconds >= 0.95)}); each tenth of it {spread(parts)} (one round); "
        f"{sent:,} recorded sent; queued in {queued:.1f} s before that"
    )
    over = api.over_limit
    print(f"sends over a limit in that broadcast: {over} (goal 0: {verdict(over == 0)})")


async def outbox(postgres: str | None = None) -> None:
    """All three; PostgreSQL claims too when ``postgres`` (an admin URL) is given."""
    texts = summary_texts()
    with tempfile.TemporaryDirectory() as folder:
        urls = tuple(f"sqlite+aiosqlite:///{folder}/{n}.db" for n in ("few", "many"))
        await claim_cost("SQLite", (urls[0], urls[1]), texts[-1])
    if postgres:
        async with postgres_databases(postgres, 2) as (few, many):
            await claim_cost("PostgreSQL", (few, many), texts[-1])
    await database_size(texts)
    await broadcast()


def timed(step: Callable[[], None]) -> None:
    start = time.perf_counter()
    step()
    print(f"(the outbox benchmarks took {time.perf_counter() - start:.0f} s)")


def main() -> None:
    timed(lambda: asyncio.run(outbox(os.environ.get("TEST_POSTGRES_URL") or None)))


if __name__ == "__main__":
    main()
