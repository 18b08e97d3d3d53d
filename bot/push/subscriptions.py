"""Subscriptions as a service: subscribe, unsubscribe, status and admin stats (no Telegram)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import BindParameter, Select, bindparam, func, literal_column, select, union_all

from bot.data.series import SeriesInfo
from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.metrics import WORLD
from bot.push.releases import DATASET, SUMMARY, SeriesLookup, welcome_messages
from bot.push.schema import (
    MAGNETS,
    delivered,
    outbox,
    releases,
    subscription_record,
    subscription_series,
    subscriptions,
)
from bot.push.storage import Store, digested_months
from bot.reading.periods import Period
from bot.records import (
    FAILED,
    Received,
    SeriesStatus,
    Stats,
    Status,
    SubscribeResult,
    Subscription,
)

RELEASE_DAY = 20  # China's customs publish country detail around the 20th of the next month


def expected_release(month: Period) -> date:
    """When the month after ``month`` should be published: the 20th of the month after it
    (rare-earth magnets; each series says its own: :meth:`SeriesInfo.expected_release`)."""
    following = month.shift_months(2)
    return date(following.year, following.first_month, RELEASE_DAY)


def latest_month(snapshot: Snapshot, series: str) -> Period | None:
    """The latest month of ``series`` that has China's total (None: no month, or no data)."""
    metrics = snapshot.series_metrics(series)
    return metrics.latest_month(WORLD) if metrics is not None else None


async def subscribe(
    store: Store,
    lookup: Lookup,
    chat_id: int,
    thread_id: int,
    chat_type: str,
    user_id: int | None,
    series: Sequence[SeriesInfo] = (),
) -> SubscribeResult:
    """Subscribe a chat or topic to ``series`` (rare-earth magnets if none); the welcome
    summaries are queued by :func:`welcome`."""
    keys = [info.key for info in series] or [MAGNETS]
    change = await store.add_series(chat_id, thread_id, chat_type, user_id, keys)
    catalog = lookup.snapshot.catalog
    added = tuple(catalog[key] for key in change.added if key in catalog)
    already = tuple(catalog[key] for key in change.already if key in catalog)
    kept = tuple(info for info in catalog.series if info.key in change.kept)
    no_month = tuple(info for info in added if latest_month(lookup.snapshot, info.key) is None)
    welcomed = added if added else (already if change.resumed else ())
    has_data = any(latest_month(lookup.snapshot, info.key) is not None for info in welcomed)
    return SubscribeResult(change.changed, has_data, added, already, no_month, change.resumed, kept)


async def welcome(
    store: Store,
    lookup: Lookup,
    chat_id: int,
    thread_id: int,
    series: Sequence[str] = (),
    lookups: SeriesLookup | None = None,
) -> int:
    """Queue the latest month's summary of each series (magnets if none) for a new
    subscriber (not the whole history, nor a month it got already)."""
    subscriber = await store.subscription(chat_id, thread_id)
    if subscriber is None:
        return 0
    return await welcome_messages(store, lookup, subscriber, series or (MAGNETS,), lookups)


def _status_query() -> Select[tuple[object, ...]]:
    """``/status`` in one indexed read: the subscription of a chat or topic (if any) and the
    last summary it got (if any: from what ``delivered`` keeps, as its outbox row may be
    pruned), as one row. ``delivered`` is keyed month first, so it is looked up at each month
    the release watcher has seen and each month of the chat's rows still kept, its digests'
    too (a welcome may come first), as :meth:`Store.last_delivered` does. Built once;
    ``chat`` and ``thread`` are bound at each call."""
    chat: BindParameter[int] = bindparam("chat")
    thread: BindParameter[int] = bindparam("thread")
    months = union_all(
        select(releases.c.month).where(releases.c.dataset == DATASET),
        select(outbox.c.month).where(
            (outbox.c.chat_id == chat)
            & (outbox.c.thread_id == thread)
            & (outbox.c.dataset == DATASET)
        ),
        digested_months(chat, thread, DATASET),
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


def _series_query() -> Select[tuple[object, ...]]:
    """The series a chat or topic is subscribed to, each with the last summary of it the chat
    got (a digest that covered a month counts: its key is in ``delivered`` too), looked up as
    :func:`_status_query` does, at each month seen of the series and each of the chat's rows
    still kept, its digests' too. Built once; ``chat`` and ``thread`` are bound at each
    call."""
    chat: BindParameter[int] = bindparam("chat")
    thread: BindParameter[int] = bindparam("thread")
    series = subscription_series.c.series
    months = union_all(
        select(releases.c.month).where(releases.c.dataset == series).correlate(subscription_series),
        select(outbox.c.month)
        .where(
            (outbox.c.chat_id == chat)
            & (outbox.c.thread_id == thread)
            & (outbox.c.dataset == series)
        )
        .correlate(subscription_series),
        digested_months(chat, thread, series).correlate(subscription_series),
    )
    got = (
        (delivered.c.dataset == series)
        & delivered.c.month.in_(months)
        & (delivered.c.kind == SUMMARY)
        & (delivered.c.chat_id == chat)
        & (delivered.c.thread_id == thread)
    )
    last_month = (
        select(func.max(delivered.c.month)).where(got).correlate(subscription_series)
    ).scalar_subquery()
    last_at = (
        select(delivered.c.sent_at)
        .where(got & (delivered.c.month == last_month))
        .correlate(subscription_series)
    ).scalar_subquery()
    mine = (subscription_series.c.chat_id == chat) & (subscription_series.c.thread_id == thread)
    return select(series, last_month.label("last_month"), last_at.label("last_at")).where(mine)


SERIES_QUERY = _series_query()


async def read_series(store: Store, chat_id: int, thread_id: int) -> dict[str, Received | None]:
    """The series of a chat's or topic's subscription, each with the last summary of it the
    chat got, in one query."""
    async with store.engine.connect() as conn:
        rows = await conn.execute(SERIES_QUERY, {"chat": chat_id, "thread": thread_id})
        return {
            str(row.series): Received(row.last_month, row.last_at) if row.last_month else None
            for row in rows
        }


def series_status(
    snapshot: Snapshot, today: date, info: SeriesInfo, last: Received | None
) -> SeriesStatus:
    """One series' line of ``/status``: its latest month, the next one and whether it is
    overdue (past the series' own expected release)."""
    latest = latest_month(snapshot, info.key)
    if latest is None:
        return SeriesStatus(info, None, last, None, None, False)
    expected = info.expected_release(latest)
    return SeriesStatus(info, latest, last, latest.shift_months(1), expected, today > expected)


async def status(store: Store, lookup: Lookup, chat_id: int, thread_id: int) -> Status:
    """A chat's or topic's subscription, with each of its series."""
    subscription, last = await read_status(store, chat_id, thread_id)
    today, snapshot = lookup.today(), lookup.snapshot
    chosen = await read_series(store, chat_id, thread_id) if subscription is not None else {}
    listed = tuple(
        series_status(snapshot, today, info, chosen[info.key])
        for info in snapshot.catalog.series
        if info.key in chosen
    )
    latest = lookup.metrics.latest_month(WORLD)
    if latest is None:
        return Status(subscription, last, None, None, None, False, listed)
    expected = lookup.info.expected_release(latest)
    overdue = today > expected
    return Status(subscription, last, latest, latest.shift_months(1), expected, overdue, listed)


async def stats(store: Store, limit: int = 10) -> Stats:
    failed = (await store.messages(status=FAILED))[-limit:]
    return Stats(await store.subscription_counts(), await store.outbox_counts(), failed)
