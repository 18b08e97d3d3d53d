"""The cost of a realistic mix of distinct updates, first pass uncached, vs an echo bot.

The mix (:mod:`bench.mix_updates`): at least 5,000 distinct updates from 2,400 chats (a
sixth of them groups) and their users: ``/exports`` for many partners (codes, names, Chinese
names, typos, comparisons) and periods, ``/top`` with counts and periods, ``/summary``,
``/sources``, ``/status`` (half of them from subscribed chats, with a summary received),
plain questions in English and Chinese (in groups, mentioning the bot), presses of the month
and sources buttons, and inline queries (a fifth of them ``@bot`` alone). Charts are drawn in
a worker process and measured by :mod:`bench.many_users`, not here.

The bot: the real Application as :func:`bot.app.build_application` makes it, initialised,
with its database (SQLite, in a temporary folder) and no background work (the lease and the
delivery worker cost time per second, not per update). The echo: a bare PTB Application
with the same ``Defaults``, on the same offline Bot API, answering each update with one
plain call of the same kind: a message with the update's own text, ``answerCallbackQuery``
for a button, ``answerInlineQuery`` with one article for an inline query. Both get the same
updates, each given to ``process_update`` from its JSON (``Update.de_json`` is timed for
both), one at a time; the offline Bot API's HTML check and its record of every call are off
for both, so the test double's work and memory are not counted, but it answers a send with
its ``reply_markup`` as Telegram does (PTB parses the keyboard: a real cost).

First pass uncached: every bot round starts with the data loaded again (a fresh snapshot,
so fresh metrics and lookup memos), a fresh Application (no follow-up remembered) and
:func:`forget_answers`. Echo and bot rounds alternate, each round's order reversed from the
last, so drift hits both alike. Printed: the overall ratio and each kind's, the median with
the range over the rounds (goals: overall at most 1.5x, every kind at most 3x; a verdict is
on the median). A full garbage collection (about 90 ms, in the bot's rounds only) is a
process-wide pause that lands on whichever update triggers it: it counts in the overall
figure, is printed apart, and is left out of the kind it happened to land in. The bot must
answer every update (a Bot API call at least) without its error handler firing; any that
is not is printed.

``python bench/mix.py [updates] [rounds]`` runs it on the real data; :func:`mix_costs` runs
it on any data folder (``bench/synthetic.py`` makes larger ones).
"""

from __future__ import annotations

import asyncio
import gc
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mix_updates import KINDS, MixUpdate, realistic_mix, subscribed_chats  # noqa: E402
from bench.report import at_most, spread, verdict  # noqa: E402
from bench.shaped_echo import Replies, replies_by_update, shaped_echo_application  # noqa: E402
from bot.app import OFFLINE_TOKEN, build_application, settle_heap  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.offline import ApiCall, OfflineRequest  # noqa: E402
from bot.push.releases import welcome_messages  # noqa: E402
from bot.records import PENDING  # noqa: E402
from bot.services import BotContext, Services, build_services  # noqa: E402

UPDATES, ROUNDS = 5000, 5
OVERALL_GOAL, KIND_GOAL = 1.5, 3.0
OVERALL = "overall"


@dataclass(frozen=True)
class MixCosts:
    """Per kind (and :data:`OVERALL`): the bot's cost over the echo's, one ratio per round,
    and the milliseconds per update of each."""

    updates: dict[str, int]
    ratios: dict[str, list[float]]
    bot_ms: dict[str, list[float]]
    echo_ms: dict[str, list[float]]
    errors: tuple[str, ...]
    #: The kinds of the updates the bot made no Bot API call for (none are expected).
    unanswered: tuple[str, ...] = ()
    #: Milliseconds of full garbage collections per round, ``bot`` and ``echo``.
    collecting: dict[str, list[float]] = field(default_factory=dict)
    #: Per kind, one ratio per round: the echo sending the bot's own replies
    #: (:mod:`bench.shaped_echo`) over the bare echo (PTB's floor for those replies), and
    #: the bot over it (the bot's own work).
    floor: dict[str, list[float]] = field(default_factory=dict)
    own: dict[str, list[float]] = field(default_factory=dict)

    @property
    def overall(self) -> list[float]:
        return self.ratios[OVERALL]


def forget_answers() -> None:
    """Empty the process-wide memos of readings, answers, rendered replies and keyboards:
    every ``lru_cache`` in ``bot`` and ``handlers`` except the one-entry tables built once
    per process (the vocabulary and the name indexes)."""
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("bot.", "handlers.")):
            continue
        for value in vars(module).values():
            info = getattr(value, "cache_info", None)
            ours = getattr(value, "__module__", None) == name
            if info is not None and ours and info().maxsize != 1:
                value.cache_clear()


AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def offline_api() -> OfflineRequest:
    """The offline Bot API as both sides get it: no HTML check and no record of each call
    (the test double's work and memory are not the bot's), counting the calls made."""
    return OfflineRequest(check_html=False, keep_calls=False)


async def _echo_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


async def _echo_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


async def _echo_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is not None:
        text = query.query or "echo"
        await query.answer([InlineQueryResultArticle("1", text, InputTextMessageContent(text))])


def echo_application(like: AnyApplication) -> AnyApplication:
    """A bare echo bot with the ``Defaults`` of ``like``, on the offline Bot API."""
    builder = ApplicationBuilder().token(OFFLINE_TOKEN).request(offline_api())
    if like.bot.defaults is not None:
        builder = builder.defaults(like.bot.defaults)
    echo: AnyApplication = builder.build()
    echo.add_handler(MessageHandler(filters.TEXT, _echo_message))
    echo.add_handler(CallbackQueryHandler(_echo_button))
    echo.add_handler(InlineQueryHandler(_echo_inline))
    return echo


@dataclass(frozen=True)
class Pass:
    """One pass of the mix: each update's seconds, and how many of them the garbage
    collector's full collections took (a process-wide pause, which lands on whichever update
    happens to trigger it)."""

    seconds: list[float]
    collecting: list[float]


class FullCollections:
    """A ``gc.callbacks`` hook adding up the time of full (generation 2) collections."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                self._began = time.perf_counter()
            else:
                self.seconds += time.perf_counter() - self._began


async def timed(
    application: AnyApplication, mix: list[MixUpdate], unanswered: list[str] | None = None
) -> Pass:
    """Seconds each update took, from its JSON to its handling done; the kind of each update
    that made no Bot API call is added to ``unanswered``."""
    request = application.bot.request
    assert isinstance(request, OfflineRequest)
    gc.collect()
    seconds, collecting = [], []
    clock, full = time.perf_counter, FullCollections()
    gc.callbacks.append(full)
    try:
        for item in mix:
            calls, collected = request.made, full.seconds
            start = clock()
            await application.process_update(Update.de_json(item.data, application.bot))
            seconds.append(clock() - start)
            collecting.append(full.seconds - collected)
            if unanswered is not None and request.made == calls:
                unanswered.append(item.kind)
    finally:
        gc.callbacks.remove(full)
    return Pass(seconds, collecting)


async def bot_round(
    settings: Settings, mix: list[MixUpdate], errors: list[str], unanswered: list[str]
) -> Pass:
    """One pass of the mix through a fresh bot: data loaded again, memos empty. The error
    handler's calls go to ``errors``, the kinds of updates left unanswered to ``unanswered``."""
    services = build_services(settings)
    forget_answers()
    await services.store.migrate()
    application = build_application(services, request=offline_api())

    async def record(update: object, context: BotContext) -> None:
        errors.append(repr(context.error))

    application.add_error_handler(record)
    await application.initialize()
    settle_heap()  # as the bot's start-up does once it is up
    try:
        return await timed(application, mix, unanswered)
    finally:
        await application.shutdown()
        await services.store.close()


async def echo_round(settings: Settings, mix: list[MixUpdate]) -> Pass:
    services = build_services(settings)
    echo = echo_application(build_application(services, request=offline_api()))
    await echo.initialize()
    try:
        return await timed(echo, mix)
    finally:
        await echo.shutdown()


async def recorded_calls(settings: Settings, mix: list[MixUpdate]) -> list[list[ApiCall]]:
    """The Bot API calls the bot makes for each update of ``mix`` (an untimed pass)."""
    services = build_services(settings)
    forget_answers()
    await services.store.migrate()
    request = OfflineRequest(check_html=False)
    application = build_application(services, request=request)
    await application.initialize()
    calls: list[list[ApiCall]] = []
    try:
        for item in mix:
            made = len(request.calls)
            await application.process_update(Update.de_json(item.data, application.bot))
            calls.append(request.calls[made:])
    finally:
        await application.shutdown()
        await services.store.close()
    return calls


async def shaped_round(settings: Settings, mix: list[MixUpdate], replies: Replies) -> Pass:
    """One pass of the echo that sends the bot's own replies (:mod:`bench.shaped_echo`)."""
    services = build_services(settings)
    like = build_application(services, request=offline_api())
    echo = shaped_echo_application(like.bot.defaults, replies, offline_api())
    await echo.initialize()
    try:
        return await timed(echo, mix)
    finally:
        await echo.shutdown()


async def subscribe(services: Services, chats: list[int]) -> None:
    """Subscribe ``chats``, each with the latest summary queued, and three in four of those
    delivered (``/status`` then reports when)."""
    store, lookup = services.store, services.lookup()
    await store.migrate()
    for chat in chats:
        await store.subscribe(chat, 0, "private" if chat > 0 else "supergroup", None)
        subscriber = await store.subscription(chat, 0)
        assert subscriber is not None
        await welcome_messages(store, lookup, subscriber)
    for i, message in enumerate(await store.messages(status=PENDING)):
        if i % 4:
            await store.mark_sent(message.id, 1_000 + i)
    await store.close()


async def mix_costs(data_folder: Path, updates: int = UPDATES, rounds: int = ROUNDS) -> MixCosts:
    """The mix's cost on the data in ``data_folder``: ``updates`` distinct updates, each
    round's bot pass uncached, vs the echo on the same updates."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'mix.db'}"
        settings = Settings(data_dir=data_folder, database_url=url, cache_dir=Path(folder) / "c")
        services = build_services(settings)
        metrics = services.data.current.metrics
        last = metrics.coverage.last_month
        mix = realistic_mix(updates, [c for c in metrics.partners()], last)
        await subscribe(services, subscribed_chats())
        replies = replies_by_update(mix, await recorded_calls(settings, mix))
        errors: list[str] = []
        unanswered: list[str] = []
        times: dict[str, list[Pass]] = {"echo": [], "shaped": [], "bot": []}
        for number in range(rounds):  # each round's order reversed from the last
            for side in list(times)[:: -1 if number % 2 else 1]:
                if side == "echo":
                    times[side].append(await echo_round(settings, mix))
                elif side == "shaped":
                    times[side].append(await shaped_round(settings, mix, replies))
                else:
                    times[side].append(await bot_round(settings, mix, errors, unanswered))
    bot_times, echo_times, shaped_times = times["bot"], times["echo"], times["shaped"]
    result = costs(mix, bot_times, echo_times, errors)
    floor = costs(mix, shaped_times, echo_times, []).ratios
    own = costs(mix, bot_times, shaped_times, []).ratios
    return replace(result, unanswered=tuple(unanswered), floor=floor, own=own)


def costs(mix: list[MixUpdate], bot: list[Pass], echo: list[Pass], errors: list[str]) -> MixCosts:
    """Sum each round's times per kind; the ratios and milliseconds per update. The overall
    figures count everything; a kind's leave out the full collections that fell in its
    updates (reported apart, per round)."""
    counts: dict[str, int] = defaultdict(int)
    for item in mix:
        counts[item.kind] += 1
    counts[OVERALL] = len(mix)
    ratios: dict[str, list[float]] = defaultdict(list)
    bot_ms: dict[str, list[float]] = defaultdict(list)
    echo_ms: dict[str, list[float]] = defaultdict(list)
    collecting = {"bot": [sum(p.collecting) * 1e3 for p in bot]}
    collecting["echo"] = [sum(p.collecting) * 1e3 for p in echo]
    for bot_pass, echo_pass in zip(bot, echo, strict=True):
        bot_sum: dict[str, float] = defaultdict(float)
        echo_sum: dict[str, float] = defaultdict(float)
        for i, item in enumerate(mix):
            bot_sum[item.kind] += bot_pass.seconds[i] - bot_pass.collecting[i]
            echo_sum[item.kind] += echo_pass.seconds[i] - echo_pass.collecting[i]
        bot_sum[OVERALL], echo_sum[OVERALL] = sum(bot_pass.seconds), sum(echo_pass.seconds)
        for kind in counts:
            ratios[kind].append(bot_sum[kind] / echo_sum[kind])
            bot_ms[kind].append(bot_sum[kind] / counts[kind] * 1e3)
            echo_ms[kind].append(echo_sum[kind] / counts[kind] * 1e3)
    return MixCosts(
        dict(counts), dict(ratios), dict(bot_ms), dict(echo_ms), tuple(errors), (), collecting
    )


def print_costs(result: MixCosts, label: str = "") -> None:
    """The overall ratio and each kind's, with their spread and verdicts."""
    rounds = len(result.overall)
    total = result.updates[OVERALL]
    print(
        f"realistic mix{label}: {total:,} distinct updates, first pass uncached, vs an echo bot "
        f"on the same updates ({rounds} rounds; median (min–max)):"
    )
    for kind in (OVERALL, *KINDS):
        ratios = result.ratios[kind]
        goal = OVERALL_GOAL if kind == OVERALL else KIND_GOAL
        print(
            f"  {kind:<14} {result.updates[kind]:>5,}  {spread(ratios, 'x')}  "
            f"{spread(result.bot_ms[kind], ' ms')} vs {spread(result.echo_ms[kind], ' ms')}"
            f" per update (goal <= {goal:g}x: {verdict(at_most(ratios, goal))})"
        )
    if result.collecting:
        bot, echo = result.collecting["bot"], result.collecting["echo"]
        print(
            f"  full garbage collections per round: bot {spread(bot, ' ms')}, echo "
            f"{spread(echo, ' ms')} (in the overall figure, not in a kind's)"
        )
    if result.floor:
        print(
            "  the same updates answered by an echo that sends the bot's own replies "
            "(bench/shaped_echo.py): that echo vs the bare one is PTB's cost of the replies "
            "(the floor), the bot vs that echo the bot's own work:"
        )
        for kind in (OVERALL, *KINDS):
            print(
                f"    {kind:<14} floor {spread(result.floor[kind], 'x')}, "
                f"the bot's own work {spread(result.own[kind], 'x')}"
            )
    over = [k for k in KINDS if not at_most(result.ratios[k], KIND_GOAL)]
    print(
        f"  every kind <= {KIND_GOAL:g}x: {verdict(not over)}"
        + (f" ({', '.join(over)} over)" if over else "")
    )
    if result.errors:
        print(f"  the bot's error handler fired {len(result.errors)} times: {result.errors[0]}")
    if result.unanswered:
        kinds = ", ".join(sorted(set(result.unanswered)))
        print(f"  {len(result.unanswered)} updates got no answer ({kinds})")


def main() -> None:
    updates = int(sys.argv[1]) if len(sys.argv) > 1 else UPDATES
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else ROUNDS
    print_costs(asyncio.run(mix_costs(ROOT / "data", updates, rounds)))


if __name__ == "__main__":
    main()
