"""Subscriptions as a service: subscribe, unsubscribe, status and admin stats (no Telegram)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo
from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.metrics import WORLD
from bot.push.releases import SeriesLookup, welcome_messages
from bot.push.status_read import STATUS_QUERY as STATUS_QUERY
from bot.push.status_read import read_chat
from bot.push.status_read import read_series as read_series
from bot.push.status_read import read_status as read_status
from bot.push.storage import Store
from bot.reading.periods import Period
from bot.records import (
    FAILED,
    Received,
    SeriesStatus,
    Stats,
    Status,
    SubscribeResult,
)


def latest_month(snapshot: Snapshot, series: str) -> Period | None:
    """The latest month of ``series`` that has China's total (None: no month, or no data)."""
    metrics = snapshot.series_metrics(series)
    return metrics.latest_month(WORLD) if metrics is not None else None


def latest_total(snapshot: Snapshot, today: date, series: str) -> Period | None:
    """For a series with figures but no month (tungsten): the latest longer period with
    China's total (``2025-YTD11``); None for any other series."""
    metrics = snapshot.series_metrics(series)
    if metrics is None or metrics.latest_month(WORLD) is not None:
        return None
    return Lookup(snapshot, lambda: today, series).latest_span(WORLD)


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
    keys = [info.key for info in series] or [CUSTOMS_SERIES]
    change = await store.add_series(chat_id, thread_id, chat_type, user_id, keys)
    catalog = lookup.snapshot.catalog
    added = tuple(catalog[key] for key in change.added if key in catalog)
    already = tuple(catalog[key] for key in change.already if key in catalog)
    kept = tuple(info for info in catalog.series if info.key in change.kept)
    welcomed = added if added else (already if change.resumed else ())
    today, snapshot = lookup.today(), lookup.snapshot
    totals = [(info, latest_total(snapshot, today, info.key)) for info in welcomed]
    totals_only = tuple((info, span) for info, span in totals if span is not None)
    spans = {info.key for info, _ in totals_only}
    no_month = tuple(
        info for info in added if latest_month(snapshot, info.key) is None and info.key not in spans
    )
    has_data = any(latest_month(snapshot, info.key) is not None for info in welcomed)
    return SubscribeResult(
        change.changed,
        has_data,
        added,
        already,
        no_month,
        change.resumed,
        kept,
        totals_only,
    )


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
    return await welcome_messages(store, lookup, subscriber, series or (CUSTOMS_SERIES,), lookups)


def series_status(
    snapshot: Snapshot, today: date, info: SeriesInfo, last: Received | None
) -> SeriesStatus:
    """One series' line of ``/status``: its latest month, the next one and whether it is
    overdue (past the series' own expected release)."""
    latest = latest_month(snapshot, info.key)
    if latest is None:
        total = latest_total(snapshot, today, info.key)
        return SeriesStatus(info, None, last, None, None, False, total)
    expected = info.expected_release(latest)
    return SeriesStatus(info, latest, last, latest.shift_months(1), expected, today > expected)


async def status(store: Store, lookup: Lookup, chat_id: int, thread_id: int) -> Status:
    """A chat's or topic's subscription, with each of its series."""
    found = await read_chat(store, chat_id, thread_id)
    subscription, last, chosen = found.subscription, found.last, found.series
    today, snapshot = lookup.today(), lookup.snapshot
    listed = tuple(
        series_status(snapshot, today, info, chosen[info.key])
        for info in snapshot.catalog.series
        if info.key in chosen
    )
    zone = found.choices.zone_or(store.default_zone)
    latest = lookup.metrics.latest_month(WORLD)
    if latest is None:
        status = Status(subscription, last, None, None, None, False, listed)
    else:
        expected = lookup.info.expected_release(latest)
        next_month = latest.shift_months(1)
        status = Status(subscription, last, latest, next_month, expected, today > expected, listed)
    waiting = found.waiting
    if waiting is not None and waiting.dataset in snapshot.catalog:
        waiting = replace(waiting, info=snapshot.catalog[waiting.dataset])
    return replace(status, choices=found.choices, zone=zone, waiting=waiting)


async def stats(store: Store, limit: int = 10) -> Stats:
    failed = (await store.messages(status=FAILED))[-limit:]
    counts, held = await store.outbox_counts(), await store.held_count()
    return Stats(await store.subscription_counts(), counts, failed, held)
