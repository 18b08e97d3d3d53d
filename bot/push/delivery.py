"""The delivery worker: drains the outbox within Telegram's flood limits, never losing a message.

Limits (scaled together in tests and benchmarks, :mod:`bot.push.pacing`): 30 messages a second
overall, 20 a minute per group, one a second per private chat; the worker keeps a margin under
each. Outcomes:

- accepted by Telegram: the row is marked sent (only then);
- ``RetryAfter``: every send waits as told, the row is retried, the attempt is not counted;
- ``Forbidden`` (bot blocked or removed) or "chat not found": the subscription is paused and
  the row dropped; a deleted forum topic pauses that topic's subscription;
- ``ChatMigrated``: the subscription and pending rows move to the new chat id and are sent there;
- timeouts and network errors: retried with exponential backoff, then marked failed;
- any other Bad Request (a bug in the text): marked failed at once.

One message per chat is in flight at a time, and rows are claimed in the database before
sending, so after a crash at most one message per chat can repeat.

Database errors never stop the worker. Claiming is tried again, later each time; an outcome is
kept in memory and written again until the database takes it (the send itself is never
repeated), so its row leaves ``sending`` without a restart. Under a lease (several processes),
claims carry the lease generation (:mod:`bot.push.claims`); a send starts only while the lease
has at least ``send_timeout`` left and is cut off after it, so nothing an old holder started is
in flight once its lease has ended. A new holder leaves older claims alone for one lease period
(for clocks that disagree and the old holder's last tries at recording), then sends them again:
their outcome is unknown, and a repeat is better than a loss.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Protocol

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.logs import about_chat
from bot.push.claims import UNFENCED, Fence
from bot.push.pacing import Limits, Pacer, RetryPolicy, Window, retry_after_seconds
from bot.push.schema import utcnow
from bot.push.storage import Store
from bot.records import DROPPED, FAILED, PAUSED, Message

__all__ = ["DeliveryWorker", "Limits", "RetryPolicy", "Window"]

log = logging.getLogger(__name__)

SEND_TIMEOUT = 10.0  # seconds one send may take; then its outcome counts as unknown
#: Waits between tries at a database step that failed: 0.1 s, 0.2 s, … up to 5 s, for ever.
DATABASE_RETRY = RetryPolicy(max_attempts=0, backoff_base=0.1, backoff_cap=5.0)

Record = Callable[[], Awaitable[bool]]  # writes an outcome; False: the row is not ours any more


class HeldLease(Fence, Protocol):
    """The lease as the worker sees it (:class:`bot.push.leadership.Lease`)."""

    seconds: float

    def remaining(self) -> float: ...


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
        lease: HeldLease | None = None,
        database_retry: RetryPolicy = DATABASE_RETRY,
    ) -> None:
        """Without ``lease`` the worker is alone: it claims unfenced and, once started, sends
        again whatever an earlier run left ``sending``. With it, it claims under the lease's
        generation (held now: build the worker when the lease is gained)."""
        self.store = store
        self.bot = bot
        self.pacer = Pacer(limits or Limits())
        self.policy = policy or RetryPolicy()
        self.max_in_flight = max_in_flight
        self.claim_at_least = max(1, max_in_flight // 4)
        self.poll_seconds = poll_seconds
        self.lease = lease
        self.database_retry = database_retry
        self.token = UNFENCED if lease is None else (lease.generation or UNFENCED)
        self.send_timeout = SEND_TIMEOUT if lease is None else min(SEND_TIMEOUT, lease.seconds / 3)
        self.handover_seconds = 0.0 if lease is None else lease.seconds
        self.retry_afters = 0
        self.database_errors = 0
        #: Outcomes known here and not yet in the database: message id → outcome.
        self.unrecorded: dict[int, str] = {}
        self.stale_released = False
        self._created = time.monotonic()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._claiming = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Run until stopped (never raises: database errors are retried in the loop)."""
        self._task = asyncio.create_task(self._run(), name="delivery-worker")

    async def stop(self, wait: float = 10.0) -> None:
        """Stop claiming; let sends in flight finish and their outcomes be recorded. What is
        still being recorded after ``wait`` seconds keeps trying in the background."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._in_flight:
            await asyncio.wait(self._in_flight, timeout=wait)
        if self.unrecorded:
            log.warning(
                "delivery stopped with %d outcome(s) not yet recorded (%s); still trying",
                len(self.unrecorded),
                ", ".join(f"message {k}: {v}" for k, v in sorted(self.unrecorded.items())),
            )

    def wake(self) -> None:
        """New rows are waiting: look now rather than at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                await self._release_stale()
                started = await self.run_once()
            except Exception as error:  # the database did not answer: later, then again
                failures += 1
                self.database_errors += 1
                delay = self.database_retry.delay(failures)
                log.warning(
                    "delivery: the database failed (%s); trying again in %.1f s", error, delay
                )
                await asyncio.sleep(delay)
                continue
            failures = 0
            if not started:
                self._wake.clear()
                # asyncio.timeout, not wait_for: Python 3.11's wait_for loses a cancel that
                # comes as the wake-up does, and stop() would wait for ever.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await self._wake.wait()

    async def _release_stale(self) -> None:
        """Make due again what an earlier worker left ``sending``: at once when alone, else
        once its holder cannot be sending any more (one lease period after this one began)."""
        if self.stale_released:
            return
        if self.lease is None:
            released = await self.store.release_claims()
        elif time.monotonic() - self._created >= self.handover_seconds:
            released = await self.store.release_claims(older_than=self.token)
        else:
            return
        self.stale_released = True
        if released:
            log.warning(
                "resuming %d message(s) an earlier run left being sent: their outcome is "
                "unknown, so they are sent again",
                released,
            )

    async def run_once(self) -> int:
        """Claim and start sending what is due now; the number started. While sends are in
        flight, a claim waits until a quarter of the places are free, so a fast broadcast
        claims rows by the dozen rather than one per finished send."""
        async with self._claiming:
            free = self.max_in_flight - len(self._in_flight)
            if free <= 0 or (self._in_flight and free < self.claim_at_least):
                return 0
            messages = await self.store.claim_due(free, self.lease)
            for message in messages:
                task = asyncio.create_task(self._deliver(message))
                self._in_flight.add(task)
                task.add_done_callback(self._finished)
            return len(messages)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("a delivery task failed", exc_info=task.exception())

    async def idle(self) -> None:
        """Wait until the messages started so far are sent and recorded."""
        while self._in_flight:
            await asyncio.wait(self._in_flight)

    async def drain(self, timeout: float = 60.0) -> None:
        """Send until nothing is pending or in flight, also waiting for rows that are retried
        later, not for those held for their chat's delivery hours (tests, benchmarks,
        one-shot runs). A claim that found nothing counts only if no
        send was in flight when it began: one finishing meanwhile may have freed its chat."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            busy = bool(self._in_flight)
            started = await self.run_once()
            if self._in_flight:
                await asyncio.wait(
                    self._in_flight,
                    timeout=deadline - time.monotonic(),
                    return_when=asyncio.FIRST_COMPLETED,
                )
                continue
            if started or busy:
                continue
            due = await self.store.next_due()
            if due is None:
                return
            wait = (due - utcnow()).total_seconds()
            await asyncio.sleep(min(max(wait, 0.01), max(0.0, deadline - time.monotonic())))
        raise TimeoutError("the outbox did not drain in time")

    async def _deliver(self, message: Message) -> None:
        about_chat(message.chat_id)
        outcome, record = await self._send(message)
        self.unrecorded[message.id] = outcome
        await self._record(message, outcome, record)
        del self.unrecorded[message.id]

    async def _send(self, message: Message) -> tuple[str, Record]:
        """Send once; the outcome and the step that records it (nothing is written here)."""
        store, token = self.store, self.token
        try:
            await self.pacer.acquire(message.chat_id)
            if self.lease is not None and self.lease.remaining() < self.send_timeout:
                return "not sent: the lease is ending", lambda: store.mark_retry(
                    message.id, "not sent: the lease was ending", utcnow(), False, token
                )
            async with asyncio.timeout(self.send_timeout):
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
            return "flood limit", partial(
                store.mark_retry, message.id, str(error), utcnow(), False, token
            )
        except Forbidden as error:
            return self._pause(message, f"bot blocked or removed: {error}", topic_only=False)
        except ChatMigrated as error:
            log.info("chat %s migrated to %s", message.chat_id, error.new_chat_id)
            return "chat migrated", partial(self._migrate, message.chat_id, error.new_chat_id)
        except BadRequest as error:
            text = str(error).lower()
            if "thread not found" in text:
                return self._pause(message, f"forum topic gone: {error}", topic_only=True)
            if "chat not found" in text:
                return self._pause(message, f"chat gone: {error}", topic_only=False)
            log.error("message %s rejected: %s", message.id, error)
            return "rejected", partial(
                store.mark_done, message.id, FAILED, f"rejected: {error}", token
            )
        except TimeoutError:
            return self._retry_later(message, f"no answer within {self.send_timeout:g} s")
        except (NetworkError, OSError) as error:
            return self._retry_later(message, f"network: {error}")
        except Exception as error:  # keep the worker alive; the row shows in /stats
            log.exception("unexpected error sending message %s", message.id)
            return self._retry_later(message, f"unexpected: {error!r}")
        return "sent", lambda: store.mark_sent(message.id, sent.message_id, token)

    async def _record(self, message: Message, outcome: str, record: Record) -> None:
        """Write an outcome, again and again (waiting longer each time) while the database
        fails. Never sends again."""
        failures = 0
        while True:
            try:
                recorded = await record()
            except Exception as error:
                failures += 1
                self.database_errors += 1
                delay = self.database_retry.delay(failures)
                log.warning(
                    "message %s (%s): the database failed (%s); recording again in %.1f s",
                    message.id,
                    outcome,
                    error,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            if failures:
                log.info(
                    "message %s (%s): recorded after %d failure(s)", message.id, outcome, failures
                )
            if not recorded:
                log.warning(
                    "message %s (%s): not recorded; another worker has claimed it since",
                    message.id,
                    outcome,
                )
            return

    def _pause(self, message: Message, reason: str, topic_only: bool) -> tuple[str, Record]:
        """Pause the chat's subscriptions (or only the topic's) and drop the message."""
        thread = message.thread_id if topic_only else None

        async def record() -> bool:
            await self.store.set_status(message.chat_id, PAUSED, reason, thread_id=thread)
            return await self.store.mark_done(message.id, DROPPED, reason, self.token)

        return "paused", record

    async def _migrate(self, old_chat_id: int, new_chat_id: int) -> bool:
        await self.store.migrate_chat(old_chat_id, new_chat_id)
        return True

    def _retry_later(self, message: Message, error: str) -> tuple[str, Record]:
        attempts = message.attempts + 1
        store, token = self.store, self.token
        if attempts >= self.policy.max_attempts:
            reason = f"gave up after {attempts} attempts; {error}"
            return "failed", lambda: store.mark_done(message.id, FAILED, reason, token)
        at = utcnow() + timedelta(seconds=self.policy.delay(attempts))
        return "retry later", lambda: store.mark_retry(message.id, error, at, True, token)
