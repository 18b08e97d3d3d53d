"""Subscriptions as a service: subscribe, unsubscribe, status and admin stats (no Telegram)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BindParameter, Select, bindparam, func, literal_column, select, union_all

from bot.lookup import Lookup
from bot.metrics import WORLD
from bot.push.releases import DATASET, SUMMARY, welcome_messages
from bot.push.schema import delivered, outbox, releases, subscription_record, subscriptions
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


def _status_query() -> Select[tuple[object, ...]]:
    """``/status`` in one indexed read: the subscription of a chat or topic (if any) and the
    last summary it got (if any: from what ``delivered`` keeps, as its outbox row may be
    pruned), as one row. ``delivered`` is keyed month first, so it is looked up at each month
    the release watcher has seen and each month of the chat's rows still kept (a welcome may
    come first), as :meth:`Store.last_delivered` does. Built once; ``chat`` and ``thread``
    are bound at each call."""
    chat: BindParameter[int] = bindparam("chat")
    thread: BindParameter[int] = bindparam("thread")
    months = union_all(
        select(releases.c.month).where(releases.c.dataset == DATASET),
        select(outbox.c.month).where(
            (outbox.c.chat_id == chat)
            & (outbox.c.thread_id == thread)
            & (outbox.c.dataset == DATASET)
        ),
    )
    got = (
        (delivered.c.dataset == DATASET)
        & delivered.c.month.in_(months)
        & (delivered.c.kind == SUMMARY)
        & (delivered.c.chat_id == chat)
        & (delivered.c.thread_id == thread)
    )
    last_month = select(func.max(delivered.c.month)).where(got).scalar_subquery()
    last_at = select(delivered.c.sent_at).where(got & (delivered.c.month == last_month))
    anchor = select(literal_column("1").label("one")).subquery()  # one row, whatever is found
    mine = (subscriptions.c.chat_id == chat) & (subscriptions.c.thread_id == thread)
    return select(
        *subscriptions.c,
        last_month.label("last_month"),
        last_at.scalar_subquery().label("last_at"),
    ).select_from(anchor.outerjoin(subscriptions, mine))


STATUS_QUERY = _status_query()


async def read_status(
    store: Store, chat_id: int, thread_id: int
) -> tuple[Subscription | None, Received | None]:
    """The subscription of a chat or topic and the last summary it got, in one query
    (``/status`` asks this for every chat that sends it)."""
    (row,) = await store.read(STATUS_QUERY, {"chat": chat_id, "thread": thread_id})
    subscription = subscription_record(row) if row["status"] is not None else None
    last = Received(row["last_month"], row["last_at"]) if row["last_month"] else None
    return subscription, last


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
