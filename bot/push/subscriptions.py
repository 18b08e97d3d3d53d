"""Subscriptions as a service: subscribe, unsubscribe, status and admin stats (no Telegram)."""

from __future__ import annotations

from datetime import date

from bot.lookup import Lookup
from bot.metrics import WORLD
from bot.push.releases import DATASET, SUMMARY, welcome_messages
from bot.push.storage import Store
from bot.reading.periods import Period
from bot.records import FAILED, Received, Stats, Status, SubscribeResult, Subscription

RELEASE_DAY = 20  # China's customs publish country detail around the 20th of the next month


def expected_release(month: Period) -> date:
    """When the month after ``month`` should be published: the 20th of the month after it."""
    following = month.shift_months(2)
    return date(following.year, following.first_month, RELEASE_DAY)


async def subscribe(
    store: Store, lookup: Lookup, chat_id: int, thread_id: int, chat_type: str, user_id: int | None
) -> SubscribeResult:
    """Subscribe a chat or topic; the welcome summary is queued by :func:`welcome`."""
    created = await store.subscribe(chat_id, thread_id, chat_type, user_id)
    return SubscribeResult(created, lookup.metrics.latest_month(WORLD) is not None)


async def welcome(store: Store, lookup: Lookup, chat_id: int, thread_id: int) -> int:
    """Queue the latest month's summary for a new subscriber (not the whole history)."""
    subscriber = await store.subscription(chat_id, thread_id)
    if subscriber is None:
        return 0
    return await welcome_messages(store, lookup, subscriber)


async def read_status(
    store: Store, chat_id: int, thread_id: int
) -> tuple[Subscription | None, Received | None]:
    """The subscription of a chat or topic and the last summary it got (from what
    ``delivered`` keeps: its outbox row may be pruned by now)."""
    subscription = await store.subscription(chat_id, thread_id)
    found = await store.last_delivered(chat_id, thread_id, DATASET, SUMMARY)
    return subscription, Received(*found) if found is not None else None


async def status(store: Store, lookup: Lookup, chat_id: int, thread_id: int) -> Status:
    subscription, last = await read_status(store, chat_id, thread_id)
    latest = lookup.metrics.latest_month(WORLD)
    if latest is None:
        return Status(subscription, last, None, None, None, False)
    expected = expected_release(latest)
    return Status(
        subscription, last, latest, latest.shift_months(1), expected, lookup.today() > expected
    )


async def stats(store: Store, limit: int = 10) -> Stats:
    failed = (await store.messages(status=FAILED))[-limit:]
    return Stats(await store.subscription_counts(), await store.outbox_counts(), failed)
