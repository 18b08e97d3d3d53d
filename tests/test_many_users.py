"""Many users at once, through the real Application started as in production (updates go
through its update queue and update processor); only the network layer is replaced, by one
that can hold a chat's Bot API calls until the test lets them go.

Nothing here is timed: each test waits for events (a reply arrives, a call is held) and
checks what had or had not happened by then. The waits have a generous limit only so that a
broken bot fails rather than hangs.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.request import RequestData

from bot.app import UPDATES_AT_ONCE, ChatOrderedProcessor, build_application
from bot.offline import SENDING, OfflineRequest
from bot.render.telegram_html import to_plain
from bot.services import BotApplication, BotContext, Services
from bot.updates import message_update
from handlers.charts import BUSY, CHARTS_KEY, ChartDrawer

GUARD_SECONDS = 20  # a broken bot fails the test instead of hanging it; nothing is timed


class GatedNetwork(OfflineRequest):
    """The offline Bot API, where the calls to a held chat wait until it is let go."""

    def __init__(self) -> None:
        super().__init__()
        self.gates: dict[int, asyncio.Event] = {}
        self.held = 0  # calls waiting at a gate now
        self.most_held = 0
        self._changed = asyncio.Event()

    def hold(self, *chat_ids: int) -> None:
        for chat_id in chat_ids:
            self.gates[chat_id] = asyncio.Event()

    def let_go(self, *chat_ids: int) -> None:
        for chat_id in chat_ids or tuple(self.gates):
            self.gates.pop(chat_id).set()

    async def answer(self, url: str, request_data: RequestData | None) -> tuple[int, bytes]:
        chat_id = request_data.parameters.get("chat_id") if request_data else None
        gate = self.gates.get(chat_id) if isinstance(chat_id, int) else None
        if gate is not None:
            self.held += 1
            self.most_held = max(self.most_held, self.held)
            self._changed.set()
            try:
                await gate.wait()
            finally:
                self.held -= 1
        answer = await super().answer(url, request_data)
        self._changed.set()
        return answer

    async def until(self, condition: Callable[[], bool]) -> None:
        """Wait for the calls made so far to satisfy ``condition``."""
        async with asyncio.timeout(GUARD_SECONDS):
            while not condition():
                self._changed.clear()
                await self._changed.wait()

    def sent(self, chat_id: int, method: str | None = None) -> list[dict[str, Any]]:
        """Parameters of the messages (or ``method`` calls) answered to ``chat_id``."""
        return [
            c.params
            for c in self.calls
            if c.result is not None
            and (c.method == method if method else c.method in SENDING)
            and int(c.params.get("chat_id", 0)) == chat_id
        ]

    def texts(self, chat_id: int) -> list[str]:
        return [to_plain(str(p.get("text", p.get("caption", "")))) for p in self.sent(chat_id)]


@asynccontextmanager
async def running(
    services: Services, updates_at_once: int = UPDATES_AT_ONCE
) -> AsyncIterator[tuple[BotApplication, GatedNetwork]]:
    """The bot's Application, started; fails the test if its error handler fired."""
    network = GatedNetwork()
    application = build_application(services, request=network, updates_at_once=updates_at_once)
    errors: list[BaseException] = []

    async def record(update: object, context: BotContext) -> None:
        if context.error is not None:
            errors.append(context.error)

    application.add_error_handler(record)
    async with application:
        await application.start()
        try:
            yield application, network
        finally:
            network.let_go()
            await application.stop()
    assert not errors, f"the bot's error handler fired: {errors!r}"


async def deliver(application: BotApplication, chat_id: int, *texts: str) -> None:
    """Put messages from ``chat_id`` (a private chat) on the update queue, as polling does."""
    user = {"id": chat_id, "is_bot": False, "first_name": f"User {chat_id}"}
    for text in texts:
        data = message_update(text, chat_id=chat_id, user=user)
        await application.update_queue.put(Update.de_json(data, application.bot))


def processor(application: BotApplication) -> ChatOrderedProcessor:
    found = application.update_processor
    assert isinstance(found, ChatOrderedProcessor)
    return found


async def settle(application: BotApplication) -> None:
    """Let every queued update start as far as it can (event loop turns, not time)."""
    while not application.update_queue.empty():
        await asyncio.sleep(0)
    for _ in range(50):
        await asyncio.sleep(0)


async def test_a_chat_waiting_on_the_bot_api_does_not_hold_up_other_chats(
    sqlite_services: Services,
) -> None:
    async with running(sqlite_services) as (app, network):
        network.hold(1)
        await deliver(app, 1, "/exports US")
        await deliver(app, 2, "/exports DE 2025-08")
        await deliver(app, 3, "德国 2025年7月")
        await network.until(lambda: bool(network.texts(2) and network.texts(3)))
        assert "Germany, August 2025" in network.texts(2)[0]
        assert "1,116 吨" in network.texts(3)[0]  # asked in Chinese, answered in Chinese
        assert network.held == 1 and network.texts(1) == []  # chat 1 is still waiting
        network.let_go(1)
        await network.until(lambda: bool(network.texts(1)))
        assert "United States, March 2026" in network.texts(1)[0]


async def test_one_chats_questions_are_answered_in_order(sqlite_services: Services) -> None:
    """The follow-up waits for the question before it, although another chat goes ahead."""
    async with running(sqlite_services) as (app, network):
        network.hold(1)
        await deliver(app, 1, "/exports US 2025-06", "what about Japan?", "/top 2025-06 3")
        await deliver(app, 2, "/exports DE 2025-08")
        await network.until(lambda: bool(network.texts(2)))
        assert network.held == 1  # only the first question is in hand, at the Bot API
        assert processor(app).waiting == 2  # the follow-up and /top wait behind it
        network.let_go(1)
        await network.until(lambda: len(network.texts(1)) == 3)
        first, follow_up, top = network.texts(1)
        assert "United States, June 2025" in first
        assert "Japan" in follow_up and "June 2025" in follow_up
        assert "1 Germany" in top


async def test_a_busy_chat_holds_one_slot_and_waiting_updates_hold_none(
    sqlite_services: Services,
) -> None:
    """Two slots: one chat sending five questions while held takes one; the other is free."""
    async with running(sqlite_services, updates_at_once=2) as (app, network):
        network.hold(1)
        await deliver(app, 1, *[f"/exports US 2025-0{m}" for m in range(3, 8)])
        await deliver(app, 2, "/exports IN 2025-05")
        await deliver(app, 3, "/exports JP 2025-12")
        await network.until(lambda: bool(network.texts(2) and network.texts(3)))
        assert processor(app).current_concurrent_updates == 1
        assert processor(app).waiting == 4
        network.let_go(1)
        await network.until(lambda: len(network.texts(1)) == 5)
        months = [t.split("United States, ")[1].split("\n")[0] for t in network.texts(1)]
        assert months == ["March 2025", "April 2025", "May 2025", "June 2025", "July 2025"]


async def test_at_most_the_bound_of_updates_are_in_hand(sqlite_services: Services) -> None:
    async with running(sqlite_services, updates_at_once=4) as (app, network):
        chats = range(1, 13)
        network.hold(*chats)
        for chat_id in chats:
            await deliver(app, chat_id, "/exports US 2025-06")
        await network.until(lambda: network.held == 4)
        await settle(app)  # the other eight have had every chance to start
        assert network.held == 4 and processor(app).current_concurrent_updates == 4
        network.let_go()
        await network.until(lambda: all(network.texts(c) for c in chats))
        assert network.most_held == 4


async def test_many_chats_use_the_database_at_once(sqlite_services: Services) -> None:
    """Forty chats subscribe and ask their status at the same time; each chat's status comes
    after its own subscription."""
    store = sqlite_services.store
    await store.migrate()
    try:
        async with running(sqlite_services) as (app, network):
            chats = range(1, 41)
            for chat_id in chats:
                await deliver(app, chat_id, "/subscribe", "/status")
            await network.until(lambda: all(len(network.texts(c)) >= 2 for c in chats))
            for chat_id in chats:
                subscribed, *_, status = network.texts(chat_id)
                assert subscribed.startswith("✅ Subscribed")
                assert status.startswith("📬") and "is subscribed" in status
    finally:
        await store.close()


def wait_for_file(path: str) -> bytes:
    """Keeps the chart process busy until ``path`` exists (a gate another process can open)."""
    while not Path(path).exists():
        time.sleep(0.01)
    return b""


def process_id(_: int) -> bytes:
    return str(os.getpid()).encode()


async def test_charts_wait_in_their_own_process_and_never_take_every_slot(
    sqlite_services: Services, tmp_path: Path
) -> None:
    """The chart process is kept busy: other chats, a CSV file (on the default thread pool)
    included, are answered; a chart asked twice is drawn once; beyond the charts in hand
    the bot says it is busy at once rather than holding an update slot."""
    async with running(sqlite_services) as (app, network):
        drawer: ChartDrawer = app.bot_data[CHARTS_KEY]
        drawer.in_hand = 3
        gate = tmp_path / "go"
        blocker = asyncio.ensure_future(drawer.draw(wait_for_file, str(gate)))
        try:
            await ask_charts_while_busy(app, network, drawer)
        finally:
            gate.touch()
        await network.until(lambda: all(network.sent(c) for c in (1, 2, 3)))
        await blocker
        photos = {
            int(c.params["chat_id"]): c.files["photo"]
            for c in network.calls
            if c.method == "sendPhoto"
        }
        assert sorted(photos) == [1, 2, 3] and len(network.sent(3)) == 1
        assert all(photo.startswith(b"\x89PNG") for photo in photos.values())
        assert photos[1] == photos[3] != photos[2]


async def ask_charts_while_busy(
    app: BotApplication, network: GatedNetwork, drawer: ChartDrawer
) -> None:
    """Three charts (two the same) and other work while the chart process is busy."""
    await deliver(app, 1, "/chart US")
    await deliver(app, 2, "/chart DE 2025")
    await deliver(app, 3, "/chart US")  # the same chart: drawn once for both
    await deliver(app, 4, "/chart IN")  # a fourth chart in hand: busy
    await deliver(app, 5, "/csv US 2025")
    await deliver(app, 6, "/exports JP 2025-12")
    await network.until(lambda: all(network.sent(c) for c in (4, 5, 6)))
    assert network.texts(4) == [BUSY]
    assert network.sent(5, "sendDocument") and "Japan" in network.texts(6)[0]
    assert drawer.drawing == 3 and network.sent(1) == network.sent(2) == []


async def test_charts_are_drawn_in_one_process_of_their_own() -> None:
    drawer = ChartDrawer()
    try:
        drawn = await asyncio.gather(*(drawer.draw(process_id, i) for i in range(6)))
    finally:
        drawer.close()
    assert len(set(drawn)) == 1
    assert drawn[0] is not None and int(drawn[0]) != os.getpid()
