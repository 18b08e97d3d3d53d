"""Many users at once: the real Application against a Bot API that answers after 100 ms.

Two measures, each against a baseline run in the same process, over several rounds:

1. Answers per second for a mix of distinct updates from many chats (``/exports`` for various
   partners and periods, plain questions in English and Chinese, ``/top``, ``/chart``, button
   presses), handled concurrently vs the same mix handled one update at a time (goal: at least
   20x). Answers and charts are memoised per data snapshot, as in a running bot, so an untimed
   warm-up pass asks every distinct update once first.
2. The 99th percentile latency of ``/exports`` (update queued to its answer delivered) while
   charts are being drawn, their cache emptied each round so that every chart is drawn, vs the
   same stream of ``/exports`` with no charts (goal: under 2x).
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import RequestData

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script too

from bench.report import spread, verdict
from bot.app import UPDATES_AT_ONCE, build_application
from bot.config import Settings
from bot.offline import BOT_USER, SENDING, OfflineRequest
from bot.reading.callbacks import encode
from bot.reading.periods import Period
from bot.render.charts import monthly_png, ranking_png
from bot.services import BotApplication, BotContext, Services, build_services
from bot.updates import callback_update, message_update
from handlers.charts import CHARTS_KEY

ROUND_TRIP = 0.1  # seconds the Bot API takes to answer a call
ROUNDS = 3
CONCURRENT_UPDATES = 1200  # per round
SERIAL_UPDATES = 40  # per round, one at a time: about 5 s
CHATS = 400
STREAM_RATE, STREAM_SECONDS = 40, 4.0  # /exports per second, for how long
CHART_EVERY = 0.15  # seconds between chart requests in the loaded stream

PARTNERS = ["US", "DE", "JP", "IN", "KR", "VN", "TH", "EU", "world"]
PERIODS = ["", "2025-06", "2025-08", "May 2025", "H1 2025", "2025", "Q3 2025", "2026-03", "2024"]
ENGLISH = [
    "How much did China export to the US in June 2025?",
    "India May",
    "Germany Q3 2025",
    "Who were the top buyers in September 2025?",
    "top 5 in June",
    "compare US and Germany in 2025",
    "what about Japan?",
    "Japan H1 2025",
    "chart for India",
]
CHINESE = [
    "中国对美国出口多少 2025年6月",
    "德国 2025年7月",
    "那日本呢?",
    "2025年6月前五名",
    "美国和德国",
    "韩国 2025年上半年",
    "去年下半年 欧盟",
    "印度图表",
]
TOPS = ["/top", "/top 2025-06 5", "/top H1 2025", "/top 2025", "/top 2025-08 3", "/top Q3 2025"]
CHARTS = ["/chart US", "/chart DE 2025", "/chart top 2025-06", "/chart JP", "/chart EU"]
CHARTS += ["/chart IN 2025", "/chart top 2025-08", "/chart", "/chart US 2024"]
MONTHS = ["2025-05", "2025-06", "2025-07", "2025-08", "2025-10", "2026-03"]
# One slot per update kind; every 20 updates have exactly this mix.
PATTERN = ["exports"] * 7 + ["english"] * 3 + ["chinese"] * 3 + ["top"] * 2 + ["chart"] * 2
PATTERN += ["button"] * 3


class SlowBotApi(OfflineRequest):
    """The offline Bot API, answering each call after :data:`ROUND_TRIP`; it notes when each
    chat was last answered."""

    def __init__(self) -> None:
        super().__init__(check_html=False)  # the test double's own checks are not counted
        self.answered: dict[int, float] = {}

    async def answer(self, url: str, request_data: RequestData | None) -> tuple[int, bytes]:
        await asyncio.sleep(ROUND_TRIP)
        answer = await super().answer(url, request_data)
        chat_id = request_data.parameters.get("chat_id") if request_data else None
        if url.rsplit("/", 1)[-1] in SENDING and isinstance(chat_id, int):
            self.answered.setdefault(chat_id, time.perf_counter())
        return answer


def button(rng: random.Random, chat_id: int) -> dict[str, Any]:
    """A press on a button under an earlier ``/exports`` answer in ``chat_id``."""
    action = rng.choice(["exports", "exports", "sources", "chart"])
    data = encode(action, rng.choice(PARTNERS[:5]), Period.parse_code(rng.choice(MONTHS)))
    chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": "User"}
    message = {"message_id": rng.randrange(1, 10**6), "date": 0, "chat": chat, "from": BOT_USER}
    return callback_update(data, message | {"text": "an earlier answer"}, user=user(chat_id))


def user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": f"User {chat_id}"}


def text_update(text: str, chat_id: int) -> dict[str, Any]:
    if chat_id < 0:  # a group: commands only
        return message_update(text, chat_id=chat_id, chat_type="supergroup", user=user(-chat_id))
    return message_update(text, chat_id=chat_id, user=user(chat_id))


def mix(seed: int, count: int) -> list[dict[str, Any]]:
    """``count`` updates from :data:`CHATS` chats (a tenth of them groups), in the mix of
    :data:`PATTERN`, each drawn at random from its kind."""
    rng = random.Random(seed)
    chats = [c if c % 10 else -1_000_000 - c for c in range(1, CHATS + 1)]
    updates = []
    for kind in itertools.islice(itertools.cycle(PATTERN), count):
        chat_id = rng.choice(chats)
        if kind in ("english", "chinese", "button"):
            chat_id = abs(chat_id) % 1_000_000 or 1  # private chats only
        if kind == "exports":
            text = f"/exports {rng.choice(PARTNERS)} {rng.choice(PERIODS)}".strip()
        elif kind == "button":
            updates.append(button(rng, chat_id))
            continue
        else:
            choices = {"english": ENGLISH, "chinese": CHINESE, "top": TOPS, "chart": CHARTS}
            text = rng.choice(choices[kind])
        updates.append(text_update(text, chat_id))
    return updates


class Bot:
    """The bot's Application, started, on :class:`SlowBotApi`; counts error-handler calls."""

    def __init__(self, services: Services, updates_at_once: int) -> None:
        self.api = SlowBotApi()
        self.app: BotApplication = build_application(
            services, request=self.api, updates_at_once=updates_at_once
        )
        self.errors: list[BaseException] = []
        self.app.add_error_handler(self._record)

    async def _record(self, update: object, context: BotContext) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    async def __aenter__(self) -> Bot:
        await self.app.initialize()
        await self.app.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.stop()
        await self.app.shutdown()

    async def put(self, data: dict[str, Any]) -> None:
        await self.app.update_queue.put(Update.de_json(data, self.app.bot))

    async def answers_per_second(self, updates: list[dict[str, Any]]) -> float:
        """Queue ``updates`` at once (as a busy poll delivers them) and time their handling."""
        start = time.perf_counter()
        for data in updates:
            await self.put(data)
        await self.app.update_queue.join()  # every update handled, the last one included
        return len(updates) / (time.perf_counter() - start)


def exports_stream(seed: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """Distinct ``/exports`` questions, each from a new private chat."""
    rng = random.Random(seed)
    for chat_id in itertools.count(10_000_000 + seed * 100_000):
        text = f"/exports {rng.choice(PARTNERS)} {rng.choice(PERIODS)}".strip()
        yield chat_id, text_update(text, chat_id)


async def exports_p99(bot: Bot, seed: int, charts: bool) -> tuple[float, int]:
    """p99 latency (s) of a paced ``/exports`` stream, with chart requests alongside when
    ``charts`` (their cache emptied first, so each is drawn); and how many charts were drawn."""
    monthly_png.cache_clear()
    ranking_png.cache_clear()
    bot.app.bot_data[CHARTS_KEY].close()  # its next worker starts with no chart drawn
    bot.api.answered.clear()
    photos = sum(call.method == "sendPhoto" for call in bot.api.calls)
    stream, queued = exports_stream(seed), {}
    chart_requests = chart_stream(seed) if charts else None
    start = time.perf_counter()
    next_chart = start
    for i in range(int(STREAM_RATE * STREAM_SECONDS)):
        due = start + i / STREAM_RATE
        while chart_requests is not None and next_chart <= due:
            await bot.put(next(chart_requests))
            next_chart += CHART_EVERY
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        chat_id, data = next(stream)
        queued[chat_id] = time.perf_counter()
        await bot.put(data)
    await bot.app.update_queue.join()
    latencies = sorted(bot.api.answered[c] - t for c, t in queued.items())
    drawn = sum(call.method == "sendPhoto" for call in bot.api.calls) - photos
    return latencies[int(0.99 * (len(latencies) - 1))], drawn


def chart_stream(seed: int) -> Iterator[dict[str, Any]]:
    """Distinct charts (partner and range, or a month's ranking), each from a new chat."""
    ranges = ["", "2025", "2024", "2025-06", "2025-12", "2026-03"]
    asks = [f"/chart {p} {r}".strip() for p in PARTNERS for r in ranges]
    asks += [f"/chart top {m}" for m in MONTHS]
    random.Random(seed).shuffle(asks)
    for chat_id, text in zip(itertools.count(20_000_000 + seed * 100_000), asks, strict=False):
        yield text_update(text, chat_id)


async def many_users() -> None:
    services = build_services(Settings.from_env({}, dotenv=None))
    mixes = [mix(seed, CONCURRENT_UPDATES) for seed in range(ROUNDS + 1)]
    async with Bot(services, UPDATES_AT_ONCE) as together, Bot(services, 1) as serial:
        serial.app.bot_data[CHARTS_KEY] = together.app.bot_data[CHARTS_KEY]  # one chart cache
        await together.answers_per_second(mixes[0])  # warm-up: memoised answers and charts
        concurrent, alone = [], []
        for seed in range(1, ROUNDS + 1):  # interleaved, so drift hits both alike
            alone.append(await serial.answers_per_second(mixes[seed][:SERIAL_UPDATES]))
            concurrent.append(await together.answers_per_second(mixes[seed]))
        quiet, loaded, drawn = [], [], []
        for seed in range(1, ROUNDS + 1):
            quiet.append((await exports_p99(together, seed, charts=False))[0])
            p99, charts = await exports_p99(together, seed, charts=True)
            loaded.append(p99)
            drawn.append(charts)
    errors = together.errors + serial.errors
    speedups = [c / a for c, a in zip(concurrent, alone, strict=True)]
    slowdowns = [b / a for a, b in zip(quiet, loaded, strict=True)]
    print(
        f"answers per second, {CHATS} chats, Bot API answering in {ROUND_TRIP * 1e3:.0f} ms: "
        f"{spread(concurrent)} at most {UPDATES_AT_ONCE} at once vs {spread(alone)} one at a "
        f"time = {spread(speedups, 'x')} (goal >= 20x: {verdict(min(speedups) >= 20)})"
    )
    print(
        f"/exports p99 while charts are drawn ({min(drawn)}–{max(drawn)} per round): "
        f"{spread([p * 1e3 for p in loaded], ' ms')} vs unloaded "
        f"{spread([p * 1e3 for p in quiet], ' ms')} = {spread(slowdowns, 'x')} "
        f"(goal < 2x: {verdict(max(slowdowns) < 2)})"
    )
    if errors:
        print(f"the bot's error handler fired {len(errors)} times, first: {errors[0]!r}")


def main() -> None:
    asyncio.run(many_users())


if __name__ == "__main__":
    main()
