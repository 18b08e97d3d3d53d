"""Benchmarks, each measured against a baseline in the same run (``make bench``).

1. A realistic mix of 5,000 distinct updates, first pass uncached, vs an echo bot on the
   same updates through the same Application machinery and offline network layer
   (:mod:`bench.mix`; goals: overall at most 1.5x, every kind at most 3x), split into PTB's
   cost of the bot's replies and the bot's own work by an echo that sends the bot's replies
   (:mod:`bench.shaped_echo`).
2. A metrics lookup vs a naive pandas filter per query (goal: at least 50x faster); and a
   lookup's cost per query with every series loaded vs only magnets, on distinct (series,
   partner, month) queries (:mod:`bench.series_lookup`; goal: at most 1.2x, constant time).
3. Cold start to the first answer vs a minimal PTB bot (:mod:`bench.cold_start`; goal: at
   most 2x), and its peak memory (goal: at most 150 MB).
4. A new month pushed to 2,000 chats, against the floor Telegram's limits set.
5. Many users at once (:mod:`bench.many_users`): answers per second vs one at a time (goal:
   at least 20x), and the p99 of ``/exports`` while charts are drawn vs unloaded (goal: < 2x).
6. Data at scale (:mod:`bench.scale`): loading 200 partners x 240 months x 9 series (goal:
   under 1 s), reloads in proportion to what changed, collector pauses during a reload under
   questions (goal: at most 50 ms), and the growth table at 1x, 10x, 100x and 300x.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cold_start import cold_start  # noqa: E402
from bench.many_users import many_users  # noqa: E402
from bench.mix import ROUNDS, UPDATES, mix_costs, print_costs  # noqa: E402
from bench.outbox import main as outbox  # noqa: E402
from bench.report import verdict  # noqa: E402
from bench.scale import main as scale  # noqa: E402
from bench.series_lookup import main as series_lookup  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.reading.periods import Period  # noqa: E402
from bot.services import build_services  # noqa: E402

QUERIES = [("US", "2025-06"), ("DE", "2025-08"), ("WORLD", "2026-03"), ("IN", "2025-05")]


async def mixed_updates() -> None:
    """A realistic mix of 5,000 distinct updates vs an echo bot (:mod:`bench.mix`)."""
    print_costs(await mix_costs(ROOT / "data", UPDATES, ROUNDS))


def lookup_speed() -> None:
    services = build_services(Settings.from_env({}, dotenv=None))
    metrics = services.data.current.metrics
    frame = pd.read_csv(ROOT / "data" / "magnet_exports.csv", dtype={"period": str})
    periods = [(partner, Period.parse_code(code)) for partner, code in QUERIES]
    repeats = 200

    start = time.perf_counter()
    for _ in range(repeats):
        for partner, period in periods:
            metrics.month(partner, period)
    fast = (time.perf_counter() - start) / (repeats * len(periods))

    start = time.perf_counter()
    for _ in range(repeats):
        for partner, code in QUERIES:
            rows = frame[
                (frame.partner == partner) & (frame.period == code) & (frame.metric == "tonnes")
            ]
            _ = rows.value.max() if len(rows) else None
    naive = (time.perf_counter() - start) / (repeats * len(QUERIES))
    speedup = naive / fast
    verdict = "meets goal" if speedup >= 50 else "MISSES goal"
    print(
        f"metrics lookup: {fast * 1e6:.3g} µs vs naive pandas filter {naive * 1e6:.4g} µs "
        f"= {speedup:,.0f}x faster (goal >= 50x: {verdict})"
    )


BROADCAST_CHATS = 2000
BROADCAST_SCALE = 5  # Telegram's limits x5 (150/s overall, 100/min per group), same ratio


async def broadcast() -> None:
    """A new month pushed to 2,000 chats through the fake Telegram server over HTTP."""
    from bot.push.delivery import Limits
    from bot.scheduler import run_release_check
    from tests.fake_telegram import FakeTelegram
    from tests.live import TOKEN, data_before_new_month, live_bot, publish_new_month

    limits = Limits().scaled(BROADCAST_SCALE)
    chats = [i if i % 3 else -1_000_000 - i for i in range(1, BROADCAST_CHATS + 1)]
    with tempfile.TemporaryDirectory() as folder:
        data = data_before_new_month(Path(folder) / "data")
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        rate, per_group = limits.overall_per_second, limits.group_per_minute
        with FakeTelegram(TOKEN, overall_per_second=rate, group_per_minute=per_group) as tg:
            async with live_bot(tg, data, url, limits) as bot:
                for chat in chats:
                    await bot.services.store.subscribe(
                        chat, 0, "private" if chat > 0 else "group", None
                    )
                await run_release_check(bot.services)
                publish_new_month(data)
                written_earlier(data)  # the broadcast is timed, not the 1 s settle wait
                start = time.perf_counter()
                await run_release_check(bot.services)
                await bot.worker.drain(timeout=600)
                seconds = time.perf_counter() - start
            delivered, too_many = len(tg.delivered), tg.responses["429"]
    floor = BROADCAST_CHATS / rate
    speed = floor / seconds
    print(
        f"broadcast to {BROADCAST_CHATS} chats at {rate:.0f}/s: {seconds:.2f} s vs floor "
        f"{floor:.2f} s = {speed:.3f} of the floor's speed "
        f"(goal >= 0.95: {verdict(speed >= 0.95)}); {delivered} delivered"
    )
    print(f"429s provoked by that broadcast: {too_many} (goal 0: {verdict(too_many == 0)})")


def written_earlier(folder: Path, seconds: float = 5.0) -> None:
    """Date every file and folder under ``folder`` ``seconds`` back, as a copy finished before
    the release check: the data folder is read only once it has stopped changing."""
    then = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (then, then))


def main() -> None:
    asyncio.run(mixed_updates())
    lookup_speed()
    series_lookup()
    cold_start()
    asyncio.run(broadcast())
    asyncio.run(many_users())
    outbox()
    scale()


if __name__ == "__main__":
    main()
