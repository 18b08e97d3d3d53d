"""Noticing new months and revised figures in the data, and queueing what subscribers get.

Every material series is watched (not the reference ones, such as UN Comtrade's HS 850511),
each under its own key. A month is in the data when it has China's total. The first check of
a series only records what is there (nobody is sent the history; a series with no month yet
is recorded as watched, so its first month is news: the latest of them, the others are
back-filled). After that:

- a month newer than every month seen of its series is announced to the active subscriptions
  of that series: a chat with one such month gets that series' summary; a chat with several
  (several of its materials released on the same check) gets one digest with a block for each
  (each message of it recorded in ``digest_parts`` with the months whose blocks it holds);
- a month older than that (a back-filled month) is recorded without a push;
- a changed, added or withdrawn figure for a month already seen enqueues a short revision
  notice, naming the series, to the chats that were sent that month's summary (or a digest
  that covered it).

With them go the alerts that fire for a new month, the watchlists' lines, and the "revised"
alerts of a revision that makes a month cross an alert's line (:mod:`bot.push.alert_push`).

The months announced on one check are recorded together with their messages in one
transaction, and the outbox key makes a repeated enqueue a no-op, so a crash mid-check neither
loses nor duplicates anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from bot.data.series import SeriesInfo
from bot.datastore import Snapshot
from bot.i18n import Language
from bot.lookup import Lookup, NoSeries
from bot.metrics import WORLD, Metrics
from bot.month_grid import month_of
from bot.push.alert_push import new_month_messages, revision_messages
from bot.push.schema import DIGEST, SUMMARY, NewMessage, utcnow
from bot.push.series_store import Figures
from bot.push.storage import Store
from bot.reading.periods import Period
from bot.records import ReleaseReport, Subscription
from bot.render.digest import packed_digest, welcome_summary
from bot.render.revisions import Change, revision_notice
from bot.render.summary import summary
from bot.summaries import SummaryAnswer

#: The month recorded for a series watched before it had any month.
WATCHED = "0000-00"
__all__ = ["SUMMARY", "SeriesLookup", "check_releases", "welcome_messages"]

SeriesLookup = Callable[[str], Lookup]
Chat = tuple[int, int]


def month_figures(metrics: Metrics) -> Figures:
    """Month code → partner → quantity, for the months that have China's total."""
    grid = metrics.grid
    months: Figures = {}
    for offset in np.flatnonzero(~np.isnan(grid.world)):
        column = grid.value[:, offset]
        known = np.flatnonzero(~np.isnan(column))
        code = month_of(grid.first + int(offset)).code
        months[code] = {grid.partners[i]: float(column[i]) for i in known}
    return months


def watched_series(snapshot: Snapshot) -> list[SeriesInfo]:
    """The material series, in listing order (also those with no figures yet: one can
    subscribe to them, and their first month is news)."""
    return list(snapshot.catalog.materials)


def current_months(snapshot: Snapshot, series: str) -> Figures:
    """The months of ``series`` in the snapshot (none when it has no figures)."""
    metrics = snapshot.series_metrics(series)
    return month_figures(metrics) if metrics is not None else {}


#: What each message of a digest covers: its outbox kind → (series, month) pairs.
Covers = dict[str, Sequence[tuple[str, str]]]


def summary_messages(
    lookup: Lookup,
    month: str,
    subscribers: Sequence[Subscription],
    welcome_on: date | None = None,
    language: Language = "en",
) -> list[NewMessage]:
    """The month's summary of the lookup's series for each subscriber (one row per part), in
    ``language``; ``welcome_on``: a new subscriber's welcome, which says if the month is old."""
    period = Period.parse_code(month)
    answer = lookup.summary_for(period)
    if not isinstance(answer, SummaryAnswer):
        return []
    parts = summary(answer, language)
    if welcome_on is not None:
        parts = welcome_summary(lookup.info, period, parts, welcome_on, language)
    kinds = [SUMMARY] + [f"{SUMMARY}:{i}" for i in range(2, len(parts) + 1)]
    return [
        NewMessage(s.chat_id, s.thread_id, lookup.series, month, kind, text)
        for s in subscribers
        for kind, text in zip(kinds, parts, strict=True)
    ]


def digest_kind(covered: Sequence[tuple[str, str]], language: Language = "en") -> str:
    """The outbox kind of a digest of these (series, month) pairs in ``language``: the same
    for every chat that gets the same pairs in the same language, never the same for
    different ones (a language splits a digest into parts of its own, each recorded with
    what it covers). English keeps the kinds it always had."""
    key = "|".join(f"{series}@{month}" for series, month in sorted(covered))
    key += "" if language == "en" else f"|{language}"
    return "digest:" + hashlib.sha1(key.encode()).hexdigest()[:12]


def digest_messages(
    lookups: SeriesLookup,
    covered: Sequence[tuple[str, str]],
    subscribers: Sequence[Subscription],
    welcome_on: date | None = None,
    language: Language = "en",
) -> tuple[list[NewMessage], Covers]:
    """One digest of the (series, month) pairs for each subscriber (one row per part) in
    ``language``, and what each part covers; ``welcome_on``: a new subscriber's welcome on
    that day, not news."""
    items, pairs = [], []
    for series, month in covered:
        lookup = lookups(series)
        answer = lookup.summary_for(Period.parse_code(month))
        if isinstance(answer, SummaryAnswer):
            items.append((lookup.info, answer))
            pairs.append((series, month))
    parts = packed_digest(items, welcome_on, language)
    first = digest_kind(covered, language)
    kinds = [first] + [f"{first}:{i}" for i in range(2, len(parts) + 1)]
    latest = max(month for _, month in covered)
    messages = [
        NewMessage(s.chat_id, s.thread_id, DIGEST, latest, kind, part.text)
        for s in subscribers
        for kind, part in zip(kinds, parts, strict=True)
    ]
    covers: Covers = {
        kind: [pairs[i] for i in part.covers] for kind, part in zip(kinds, parts, strict=True)
    }
    return messages, covers


def _changes(before: dict[str, float], after: dict[str, float]) -> list[Change]:
    partners = sorted(set(before) | set(after), key=lambda p: (p != WORLD, p))
    return [
        Change(p, before.get(p), after.get(p))
        for p in partners
        if before.get(p) is None or after.get(p) is None or abs(before[p] - after[p]) > 1e-9
    ]


def _lookups(lookup: Lookup, given: SeriesLookup | None) -> SeriesLookup:
    """The lookup of each series, pinned to ``lookup``'s snapshot (the one a check or a
    welcome started with): ``given``'s when it is over that snapshot (its answers are
    remembered), else one made here. Data reloaded meanwhile is the next check's: months are
    never found in one snapshot and rendered from another (where the series may be gone)."""
    made: dict[str, Lookup] = {lookup.series: lookup}

    def of(series: str) -> Lookup:
        if series not in made:
            found: Lookup | None = None
            if given is not None:
                try:
                    found = given(series)
                except NoSeries:
                    found = None
            if found is None or found.snapshot is not lookup.snapshot:
                found = Lookup(lookup.snapshot, lookup.today, series)
            made[series] = found
        return made[series]

    return of


async def check_releases(
    store: Store, lookup: Lookup, lookups: SeriesLookup | None = None
) -> ReleaseReport:
    """Compare every material series in ``lookup``'s snapshot with what was seen; record and
    enqueue accordingly, every message rendered from that snapshot. ``lookups`` gives a
    series' lookup (used when over the same snapshot; else one is made from ``lookup``)."""
    report = ReleaseReport()
    of = _lookups(lookup, lookups)
    new: dict[str, Figures] = {}
    for info in watched_series(lookup.snapshot):
        current = current_months(lookup.snapshot, info.key)
        seen = await store.release_state(info.key)
        if not seen:
            await store.record_release(info.key, current or {WATCHED: {}}, announced=False)
            report.baseline = True
            continue
        latest_seen = max(seen)
        # A series watched before it had a month: its first months are news, not its history.
        first = max(current, default=None) if latest_seen == WATCHED else None
        for month in sorted(set(current) - set(seen)):
            if month > latest_seen and first in (None, month):
                new.setdefault(info.key, {})[month] = current[month]
            else:
                await store.record_release(info.key, {month: current[month]}, False)
                report.backfilled.append(month)
                report.released.append((info.key, month, "backfilled"))
        for month in sorted(set(current) & set(seen)):
            await _revise(store, report, of(info.key), month, seen[month], current[month])
    if new:
        await _announce(store, report, of, new)
    return report


async def _revise(
    store: Store,
    report: ReleaseReport,
    lookup: Lookup,
    month: str,
    before: dict[str, float],
    after: dict[str, float],
) -> None:
    """Record a month's figures again and tell those who got it, if any changed; with them,
    the alerts the revision makes cross their line (or no longer cross it)."""
    changes = _changes(before, after)
    if not changes:
        return
    info = lookup.info
    period = Period.parse_code(month)
    texts: dict[Language, tuple[str, str]] = {}  # language → (kind, text)
    languages = await store.push_languages()
    notices = []
    for chat, thread in await store.chats_sent(info.key, month, SUMMARY):
        language = languages.get(chat, "en")
        if language not in texts:
            text = revision_notice(period, changes, info, language)
            # the moment is in the key: a month revised back to figures it had is told again
            once = f"{text}|{utcnow().isoformat()}"
            texts[language] = ("revision:" + hashlib.sha1(once.encode()).hexdigest()[:12], text)
        kind, text = texts[language]
        notices.append(NewMessage(chat, thread, info.key, month, kind, text))
    alerts = await revision_messages(store, lookup, month, before, languages)
    notices += alerts
    report.alerts += len(alerts)
    await store.record_release(info.key, {month: after}, True, notices)
    report.revised.append(month)
    report.released.append((info.key, month, "revised"))
    report.queued += len(notices)


async def _announce(
    store: Store, report: ReleaseReport, lookups: SeriesLookup, new: dict[str, Figures]
) -> None:
    """Queue each chat its summary (one new month of its series) or digest (several), and
    record the months with the messages in one transaction. A month a chat was sent already,
    or has queued (a welcome, a digest covering it), is left out of what it gets."""
    subscribers = await store.subscribers_by_series()
    languages = await store.push_languages()
    had = {
        (series, month): set(await store.chats_sent(series, month, SUMMARY))
        for series, months in new.items()
        for month in months
    }
    covers: dict[Chat, list[tuple[str, str]]] = {}
    who: dict[Chat, Subscription] = {}
    for series, months in new.items():  # in listing order
        for sub in subscribers.get(series, []):
            chat = (sub.chat_id, sub.thread_id)
            fresh = [(series, m) for m in sorted(months) if chat not in had[(series, m)]]
            if fresh:
                who.setdefault(chat, sub)
                covers.setdefault(chat, []).extend(fresh)
    groups: dict[tuple[tuple[tuple[str, str], ...], Language], list[Subscription]] = {}
    for chat, pairs in covers.items():
        language = languages.get(chat[0], "en")  # the chat's choice (/lang), else English
        groups.setdefault((tuple(pairs), language), []).append(who[chat])
    messages: list[NewMessage] = []
    digests: Covers = {}
    for (covered, language), subs in groups.items():
        if len(covered) == 1:
            ((series, month),) = covered
            messages += summary_messages(lookups(series), month, subs, language=language)
        else:
            queued, parts = digest_messages(lookups, covered, subs, language=language)
            messages += queued
            digests |= parts
    for series, months in new.items():  # the alerts that fire, the watchlists' lines
        alerts = await new_month_messages(store, lookups(series), sorted(months), languages)
        report.alerts += len(alerts)
        messages += alerts
    await store.record_releases(new, messages, digests)
    for series, months in new.items():
        report.announced += sorted(months)
        report.released += [(series, month, "announced") for month in sorted(months)]
    report.queued += len(messages)
    report.digests += sum(len(subs) for (covered, _), subs in groups.items() if len(covered) > 1)


async def welcome_messages(
    store: Store,
    lookup: Lookup,
    subscriber: Subscription,
    series: Sequence[str] = (),
    given: SeriesLookup | None = None,
) -> int:
    """A new subscriber gets the latest month's summary of each series it was just
    subscribed to (``series``; the lookup's own series if none), not the history, nor a
    month whose summary it got already: one summary, or one digest for several series,
    never a message per series. Either is headed as a welcome, not news, and says when a
    month is old (the next one overdue). It answers the ``/subscribe``: it goes at once,
    whatever the chat's delivery hours."""
    lookups = _lookups(lookup, given)
    language = await store.push_language(subscriber.chat_id)
    covered: list[tuple[str, str]] = []
    for key in series or (lookup.series,):
        if key not in lookup.snapshot.series:
            continue
        latest = lookups(key).metrics.latest_month(WORLD)
        if latest is None:
            continue
        got = await store.last_delivered(subscriber.chat_id, subscriber.thread_id, key, SUMMARY)
        if got is not None and got[0] >= latest.code:
            continue
        covered.append((key, latest.code))
    today = lookup.today()
    if len(covered) > 1:
        messages, covers = digest_messages(lookups, covered, [subscriber], today, language)
        await store.record_releases({}, messages, covers, at_once=True)
        return len(messages)
    messages = [
        m
        for key, month in covered
        for m in summary_messages(lookups(key), month, [subscriber], today, language)
    ]
    await store.enqueue(messages, at_once=True)
    return len(messages)
