"""Benchmarks, each measured against a baseline in the same run (``make bench``).

1. ``/exports`` handler cost per update vs a bare PTB echo handler, both through the real
   Application and the same offline network layer, its HTML check off for both so the test
   double's cost is not counted (goal: at most 1.3x).
2. A metrics lookup vs a naive pandas filter per query (goal: at least 50x faster).
3. Cold start of ``python -m bot ask "/exports US"`` vs a bare interpreter, and its peak
   memory (goal: at most 150 MB).
4. A new month pushed to 2,000 chats, against the floor Telegram's limits set.
5. Many users at once (:mod:`bench.many_users`): answers per second vs one at a time (goal:
   at least 20x), and the p99 of ``/exports`` while charts are drawn vs unloaded (goal: < 2x).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pandas as pd
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.many_users import many_users  # noqa: E402
from bench.outbox import main as outbox  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console import LocalChat  # noqa: E402
from bot.offline import OfflineRequest  # noqa: E402
from bot.reading.periods import Period  # noqa: E402
from bot.services import build_services  # noqa: E402
from bot.updates import message_update  # noqa: E402

UPDATES = 400
ROUNDS = 5
QUERIES = [("US", "2025-06"), ("DE", "2025-08"), ("WORLD", "2026-03"), ("IN", "2025-05")]


def report(name: str, value: float, baseline: float, unit: str, goal: str, ok: bool) -> None:
    ratio = value / baseline if baseline else float("inf")
    verdict = "meets goal" if ok else "MISSES goal"
    print(
        f"{name}: {value:.4g} {unit} vs baseline {baseline:.4g} {unit} = {ratio:.3g}x "
        f"({goal}: {verdict})"
    )


COMMANDS = [
    "/exports US",
    "/exports DE 2025-08",
    "/exports India May 2025",
    "/exports 美国 6月",
    "/exports EU H1 2025",
    "/exports",
    "/exports JP 2025-12",
    "/exports Germny",
]


async def per_update_seconds(send: Callable[[str], Awaitable[object]]) -> float:
    start = time.perf_counter()
    for i in range(UPDATES):
        await send(COMMANDS[i % len(COMMANDS)])
    return (time.perf_counter() - start) / UPDATES


async def handler_cost() -> None:
    services = build_services(Settings.from_env({}, dotenv=None))

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    echo_app = ApplicationBuilder().token("0:bench").request(OfflineRequest(False)).build()
    echo_app.add_handler(MessageHandler(filters.ALL, echo))
    await echo_app.initialize()

    async def send_echo(text: str) -> None:
        await echo_app.process_update(Update.de_json(message_update(text), echo_app.bot))

    exports_times, echo_times = [], []
    async with LocalChat(services, check_html=False) as chat:
        bot_app = chat.application

        async def send_exports(text: str) -> None:  # the same path as the echo's
            await bot_app.process_update(Update.de_json(message_update(text), bot_app.bot))

        for _ in range(ROUNDS):  # interleaved, so drift hits both alike
            echo_times.append(await per_update_seconds(send_echo))
            exports_times.append(await per_update_seconds(send_exports))

    await echo_app.shutdown()
    exports, bare = statistics.median(exports_times), statistics.median(echo_times)
    ok = exports / bare <= 1.3
    report("/exports per update", exports * 1e3, bare * 1e3, "ms", "goal <= 1.3x echo", ok)


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


MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def child_run(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child process, measured by a fresh parent."""
    with tempfile.TemporaryDirectory() as folder:  # no developer .env is read
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *args],
            cwd=folder,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def cold_start() -> None:
    bare = statistics.median(child_run([sys.executable, "-c", "pass"])[0] for _ in range(3))
    runs = [child_run([sys.executable, "-m", "bot", "ask", "/exports US"]) for _ in range(3)]
    seconds = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    print(
        f'cold start of `python -m bot ask "/exports US"`: {seconds:.2f} s '
        f"vs bare Python {bare:.3f} s = {seconds / bare:.0f}x"
    )
    verdict = "meets goal" if peak <= 150 else "MISSES goal"
    print(f"peak memory of that run: {peak:.0f} MB (goal <= 150 MB: {verdict})")


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


def verdict(ok: bool) -> str:
    return "meets goal" if ok else "MISSES goal"


def main() -> None:
    asyncio.run(handler_cost())
    lookup_speed()
    cold_start()
    asyncio.run(broadcast())
    asyncio.run(many_users())
    outbox()


if __name__ == "__main__":
    main()
