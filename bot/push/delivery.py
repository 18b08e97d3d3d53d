"""The delivery worker: drains the outbox within Telegram's flood limits, never losing a message.

Limits (scaled together in tests and benchmarks): 30 messages a second overall, 20 a minute
per group, one a second per private chat; the worker keeps a margin under each. Outcomes:

- accepted by Telegram: the row is marked sent (only then);
- ``RetryAfter``: every send waits as told, the row is retried, the attempt is not counted;
- ``Forbidden`` (bot blocked or removed) or "chat not found": the subscription is paused and
  the row dropped; a deleted forum topic pauses that topic's subscription;
- ``ChatMigrated``: the subscription and pending rows move to the new chat id and are sent there;
- timeouts and network errors: retried with exponential backoff, then marked failed;
- any other Bad Request (a bug in the text): marked failed at once.

One message per chat is in flight at a time, and rows are claimed in the database before
sending, so after a crash at most one message per chat can repeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.logs import about_chat
from bot.push.schema import utcnow
from bot.push.storage import Store
from bot.records import DROPPED, FAILED, PAUSED, Message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    overall_per_second: float = 30
    group_per_minute: float = 20
    private_per_second: float = 1
    margin: float = 0.97

    def scaled(self, factor: float) -> Limits:
        """The same limits ``factor`` times faster (same ratio of overall to per group)."""
        return Limits(
            self.overall_per_second * factor,
            self.group_per_minute * factor,
            self.private_per_second * factor,
            self.margin,
        )


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    backoff_base: float = 2.0
    backoff_cap: float = 600.0

    def delay(self, attempts: int) -> float:
        return float(min(self.backoff_cap, self.backoff_base * 2 ** max(0, attempts - 1)))


class Window:
    """At most ``count`` events in any ``period`` seconds, spaced evenly (no bursts)."""

    def __init__(self, count: int, period: float) -> None:
        self.count = max(1, count)
        self.period = period
        self.interval = period / self.count
        self.times: deque[float] = deque()
        self.next_at = 0.0

    def wait(self, now: float) -> float:
        at = max(now, self.next_at)
        if len(self.times) >= self.count:
            at = max(at, self.times[0] + self.period)
        return at - now

    def record(self, at: float) -> None:
        """Count an event. A wake-up a little late (under one interval) keeps the schedule,
        so timer lateness does not add up over a broadcast; later than that, the schedule
        restarts from now. At most two events ever fall within one interval."""
        self.times.append(at)
        while len(self.times) > self.count:
            self.times.popleft()
        self.next_at = max(self.next_at + self.interval, at)


class Pacer:
    """The overall window, one window per chat, and a pause after a RetryAfter."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        count = math.floor(limits.overall_per_second * limits.margin)
        self.overall = Window(count, 1.0)
        self.chats: dict[int, Window] = {}
        self.paused_until = 0.0
        self._lock = asyncio.Lock()

    def _chat(self, chat_id: int) -> Window:
        if chat_id not in self.chats:
            if chat_id < 0:
                count = math.floor(self.limits.group_per_minute * self.limits.margin)
                self.chats[chat_id] = Window(count, 60.0)
            else:
                self.chats[chat_id] = Window(1, 1.0 / self.limits.private_per_second)
        return self.chats[chat_id]

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to ``chat_id`` may go, and count it as sent.

        A chat has one message in flight at a time, so its own window is waited for
        outside the lock; the overall slots are then handed out in order.
        """
        chat = self._chat(chat_id)
        delay = chat.wait(self.clock())
        if delay > 0:
            await asyncio.sleep(delay)
        async with self._lock:
            while True:
                now = self.clock()
                delay = max(self.paused_until - now, self.overall.wait(now))
                if delay <= 0:
                    break
                await asyncio.sleep(delay)
            self.overall.record(now)
            chat.record(now)

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self.clock() + seconds)


def retry_after_seconds(error: RetryAfter) -> float:
    """Telegram's wait, whether PTB gives it as int seconds or (from v23) a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class DeliveryWorker:
    """Claims due outbox rows and sends them through ``bot``; see the module docstring."""

    def __init__(
        self,
        store: Store,
        bot: Bot,
        limits: Limits | None = None,
        policy: RetryPolicy | None = None,
        max_in_flight: int = 64,
        poll_seconds: float = 1.0,
    ) -> None:
        self.store = store
        self.bot = bot
        self.pacer = Pacer(limits or Limits())
        self.policy = policy or RetryPolicy()
        self.max_in_flight = max_in_flight
        self.poll_seconds = poll_seconds
        self.retry_afters = 0
        self._in_flight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._claiming = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Resume what a crash or restart left half done, then run until stopped."""
        released = await self.store.release_claims()
        if released:
            log.warning(
                "resuming %d message(s) that were being sent when the bot stopped", released
            )
        self._task = asyncio.create_task(self._run(), name="delivery-worker")

    async def stop(self) -> None:
        """Stop claiming; let sends in flight finish (their rows stay correct either way)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=10)

    def wake(self) -> None:
        """New rows are waiting: look now rather than at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            started = await self.run_once()
            if not started:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)

    async def run_once(self) -> int:
        """Claim and start sending what is due now; the number started."""
        async with self._claiming:
            free = self.max_in_flight - len(self._in_flight)
            if free <= 0:
                return 0
            messages = await self.store.claim_due(free)
            for message in messages:
                task = asyncio.create_task(self._deliver(message))
                self._in_flight.add(task)
                task.add_done_callback(self._finished)
            return len(messages)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()

    async def drain(self, timeout: float = 60.0) -> None:
        """Send until nothing is due or in flight (tests, benchmarks, one-shot runs)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = await self.run_once()
            if not started and not self._in_flight:
                return
            if self._in_flight:
                await asyncio.wait(self._in_flight, return_when=asyncio.FIRST_COMPLETED)
        raise TimeoutError("the outbox did not drain in time")

    async def _deliver(self, message: Message) -> None:
        about_chat(message.chat_id)
        try:
            await self.pacer.acquire(message.chat_id)
            sent = await self.bot.send_message(
                chat_id=message.chat_id,
                text=message.text,
                message_thread_id=message.thread_id or None,
            )
        except RetryAfter as error:
            seconds = retry_after_seconds(error)
            self.retry_afters += 1
            self.pacer.pause(seconds)
            log.warning("flood limit: waiting %.0f s as Telegram asks", seconds)
            await self.store.mark_retry(message.id, str(error), utcnow(), count=False)
        except Forbidden as error:
            await self._pause(message, f"bot blocked or removed: {error}", topic_only=False)

        except ChatMigrated as error:
            log.info("chat %s migrated to %s", message.chat_id, error.new_chat_id)
            await self.store.migrate_chat(message.chat_id, error.new_chat_id)
        except BadRequest as error:
            text = str(error).lower()
            if "thread not found" in text:
                await self._pause(message, f"forum topic gone: {error}", topic_only=True)
            elif "chat not found" in text:
                await self._pause(message, f"chat gone: {error}", topic_only=False)

            else:
                log.error("message %s rejected: %s", message.id, error)
                await self.store.mark_done(message.id, FAILED, f"rejected: {error}")
        except (NetworkError, OSError) as error:
            await self._retry_later(message, f"network: {error}")
        except Exception as error:  # keep the worker alive; the row shows in /stats
            log.exception("unexpected error sending message %s", message.id)
            await self._retry_later(message, f"unexpected: {error!r}")
        else:
            await self.store.mark_sent(message.id, sent.message_id)

    async def _pause(self, message: Message, reason: str, topic_only: bool) -> None:
        """Pause the chat's subscriptions (or only the topic's) and drop the message."""
        thread = message.thread_id if topic_only else None
        await self.store.set_status(message.chat_id, PAUSED, reason, thread_id=thread)

        await self.store.mark_done(message.id, DROPPED, reason)

    async def _retry_later(self, message: Message, error: str) -> None:
        attempts = message.attempts + 1
        if attempts >= self.policy.max_attempts:
            await self.store.mark_done(
                message.id, FAILED, f"gave up after {attempts} attempts; {error}"
            )
            return
        at = utcnow() + timedelta(seconds=self.policy.delay(attempts))
        await self.store.mark_retry(message.id, error, at, count=True)
