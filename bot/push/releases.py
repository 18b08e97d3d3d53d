"""Noticing new months and revised figures in the data, and queueing what subscribers get.

A month is in the data when it has China's total. The first check on an empty database only
records what is there (nobody is sent the history). After that:

- a month newer than every month seen enqueues its summary for every active subscription;
- a month older than that (a back-filled month) is recorded without a push;
- a changed, added or withdrawn figure for a month already seen enqueues a short revision
  notice to the chats that were sent that month's summary.

Each month is recorded together with its messages in one transaction, and the outbox key makes
a repeated enqueue a no-op, so a crash mid-check neither loses nor duplicates anything.
"""

from __future__ import annotations

import hashlib

import numpy as np

from bot.lookup import Lookup
from bot.metrics import WORLD, Metrics
from bot.month_grid import month_of
from bot.push.schema import NewMessage
from bot.push.storage import Store
from bot.reading.periods import Period
from bot.records import ReleaseReport, Subscription
from bot.render.revisions import Change, revision_notice
from bot.render.summary import summary
from bot.summaries import SummaryAnswer

DATASET = "85051110"
SUMMARY = "summary"


def month_figures(metrics: Metrics) -> dict[str, dict[str, float]]:
    """Month code → partner → tonnes, for the months that have China's total."""
    grid = metrics.grid
    months: dict[str, dict[str, float]] = {}
    for offset in np.flatnonzero(~np.isnan(grid.world)):
        column = grid.value[:, offset]
        known = np.flatnonzero(~np.isnan(column))
        code = month_of(grid.first + int(offset)).code
        months[code] = {grid.partners[i]: float(column[i]) for i in known}
    return months


def summary_messages(
    lookup: Lookup, month: str, subscribers: list[Subscription]
) -> list[NewMessage]:
    """The month's summary for each subscriber (one row per message part)."""
    answer = lookup.summary(month)
    if not isinstance(answer, SummaryAnswer):
        return []
    parts = summary(answer)
    kinds = [SUMMARY] + [f"{SUMMARY}:{i}" for i in range(2, len(parts) + 1)]
    return [
        NewMessage(s.chat_id, s.thread_id, DATASET, month, kind, text)
        for s in subscribers
        for kind, text in zip(kinds, parts, strict=True)
    ]


def _changes(before: dict[str, float], after: dict[str, float]) -> list[Change]:
    partners = sorted(set(before) | set(after), key=lambda p: (p != WORLD, p))
    return [
        Change(p, before.get(p), after.get(p))
        for p in partners
        if before.get(p) is None or after.get(p) is None or abs(before[p] - after[p]) > 1e-9
    ]


async def check_releases(store: Store, lookup: Lookup) -> ReleaseReport:
    """Compare the data with what was seen; record and enqueue accordingly."""
    report = ReleaseReport()
    current = month_figures(lookup.metrics)
    seen = await store.release_state(DATASET)
    if not seen:
        await store.record_release(DATASET, current, announced=False)
        report.baseline = True
        return report
    latest_seen = max(seen)
    subscribers = await store.active_subscriptions()
    for month in sorted(set(current) - set(seen)):
        if month > latest_seen:
            messages = summary_messages(lookup, month, subscribers)
            await store.record_release(DATASET, {month: current[month]}, True, messages)
            report.announced.append(month)
            report.queued += len(messages)
        else:
            await store.record_release(DATASET, {month: current[month]}, False)
            report.backfilled.append(month)
    for month in sorted(set(current) & set(seen)):
        changes = _changes(seen[month], current[month])
        if not changes:
            continue
        text = revision_notice(Period.parse_code(month), changes)
        kind = "revision:" + hashlib.sha1(text.encode()).hexdigest()[:12]
        chats = await store.chats_sent(DATASET, month, SUMMARY)
        notices = [NewMessage(c, t, DATASET, month, kind, text) for c, t in chats]
        await store.record_release(DATASET, {month: current[month]}, True, notices)
        report.revised.append(month)
        report.queued += len(notices)
    return report


async def welcome_messages(store: Store, lookup: Lookup, subscriber: Subscription) -> int:
    """A new subscriber gets the latest month's summary right away (not the history)."""
    latest = lookup.metrics.latest_month(WORLD)
    if latest is None:
        return 0
    messages = summary_messages(lookup, latest.code, [subscriber])
    await store.enqueue(messages)
    return len(messages)
