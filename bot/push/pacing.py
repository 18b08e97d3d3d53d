"""Pacing within Telegram's flood limits: the limits, the retry policy, even windows and the
pacer that hands out send slots (used by :mod:`bot.push.delivery`)."""

from __future__ import annotations

import asyncio
import math
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning


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
