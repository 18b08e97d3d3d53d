"""What alerts and watchlists send when the release watcher finds a new month or a revision
(issue 16). Rendered from the check's snapshot and queued by :mod:`bot.push.releases` in the
same transaction as the release records, so a crash neither loses nor duplicates them; the
outbox holds them for the chat's delivery hours and paces them like every message.

Outbox keys (``dataset`` is the series, ``month`` the month checked):

- ``alert:<id>``: alert ``id`` fired for the month (once per alert and month);
- ``alert:<id>:revised:<now|no_longer>:<n>``: a revision made a month cross the alert's
  line, or no longer cross it (``n``: the alert's revised messages for that month so far,
  plus one: a month revised back and forth is told each time). The months checked are those
  the revised month's figures reach (:func:`affected_months`: itself, the next month's m/m,
  a year on's y/y, the rest of its year to date, later records). "No longer" goes only to an
  alert that was told it fires for that month;
- ``watch`` (later parts ``watch:2``, …): a watchlist's lines for the month, once per chat,
  topic, series and month.

A revision is checked on the figures before it as the watcher recorded them
(``release_figures``, :func:`bot.alerts.seen.as_seen`): they are what the chats were told, they
survive a restart, and they are the figures the revision was found against (the snapshot
before may have been replaced several times since, by ``/reload`` or a fetch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.alerts.firing import Direction, Firing, Unchecked, check, crossed, evaluate
from bot.alerts.rules import Comparison, Metric
from bot.alerts.seen import as_seen
from bot.i18n import Language
from bot.lookup import Lookup, NoSeries
from bot.metrics import WORLD
from bot.push.alert_store import ALERT_KIND
from bot.push.schema import NewMessage
from bot.push.storage import Store
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.records import Alert
from bot.render.alert_message import alert_message, revised_message
from bot.render.watchlist import watchlist_message

#: The outbox kind of a watchlist's message (its later parts: ``watch:2``, …).
WATCH = "watch"

Languages = Mapping[int, Language]


def alert_kind(alert: Alert) -> str:
    """``alert:<id>``: the outbox kind of an alert firing for a new month."""
    return f"{ALERT_KIND}{alert.id}"


def revised_kind(alert: Alert, direction: Direction, told: set[str]) -> str:
    """``alert:<id>:revised:<now|no_longer>:<n>``: the alert's ``n``-th revised message for
    the month (``told``: the month's alert kinds queued or sent), so a month revised back and
    forth is told each time it crosses, and a check run again (the revision recorded with its
    messages) tells nothing twice."""
    earlier = sum(kind.startswith(f"{alert_kind(alert)}:revised:") for kind in told)
    return f"{alert_kind(alert)}:revised:{direction.value}:{earlier + 1}"


def fired_messages(
    lookup: Lookup, month: str, alerts: Sequence[Alert], languages: Languages
) -> list[NewMessage]:
    """The message of each alert of the lookup's series that fires for a new ``month``."""
    period = Period.parse_code(month)
    messages = []
    for alert in alerts:
        firing = check(alert.rule, lookup, period)
        if firing is not None:
            text = alert_message(firing, languages.get(alert.chat_id, "en"))
            messages.append(
                NewMessage(
                    alert.chat_id, alert.thread_id, lookup.series, month, alert_kind(alert), text
                )
            )
    return messages


def watch_messages(
    store_lists: Sequence[tuple[int, int, tuple[str, ...]]],
    lookup: Lookup,
    month: str,
    languages: Languages,
) -> list[NewMessage]:
    """Each watchlist's lines for a new ``month`` ((chat, topic, partners) each), in its
    chat's language."""
    period = Period.parse_code(month)
    messages = []
    for chat_id, thread_id, partners in store_lists:
        who = tuple(partner(code) for code in partners)
        parts = watchlist_message(lookup.compare_for(who, period), languages.get(chat_id, "en"))
        kinds = [WATCH] + [f"{WATCH}:{i}" for i in range(2, len(parts) + 1)]
        messages += [
            NewMessage(chat_id, thread_id, lookup.series, month, kind, text)
            for kind, text in zip(kinds, parts, strict=True)
        ]
    return messages


async def new_month_messages(
    store: Store, lookup: Lookup, months: Sequence[str], languages: Languages
) -> list[NewMessage]:
    """For new ``months`` of the lookup's series: each active alert that fires, and each
    watchlist's lines (not to a chat whose subscription is paused: the bot was removed)."""
    alerts = await store.alerts_for_series(lookup.series)
    lists = await store.watchlists_for_series(lookup.series)
    paused = await store.paused_chats() if lists else set()
    watchers = [(w.chat_id, w.thread_id, w.partners) for w in lists if w.chat_id not in paused]
    messages: list[NewMessage] = []
    for month in sorted(months):
        messages += fired_messages(lookup, month, alerts, languages)
        messages += watch_messages(watchers, lookup, month, languages)
    return messages


async def revision_messages(
    store: Store,
    lookup: Lookup,
    month: str,
    before: Mapping[str, float],
    languages: Languages,
) -> list[NewMessage]:
    """For a revised ``month`` of the lookup's series (``before``: the figures recorded; the
    lookup's snapshot has them after): each active alert it makes a month cross its line, or
    no longer cross it (only an alert told it fires for that month)."""
    alerts = await store.alerts_for_series(lookup.series)
    latest = lookup.metrics.latest_month(WORLD)
    if not alerts or latest is None:
        return []
    revised = Period.parse_code(month)
    earlier = as_seen(lookup.metrics, revised, before)
    told: dict[Period, set[str]] = {}
    messages = []
    for alert in alerts:
        for period in affected_months(alert.rule.metric, alert.rule.comparison, revised, latest):
            crossing = crossed(alert.rule, earlier, lookup, period)
            if crossing is None:
                continue
            if period not in told:
                told[period] = await store.alert_kinds_told(lookup.series, period.code)
            if crossing.direction is Direction.NO_LONGER_CROSSES and not _fires_told(
                alert, told[period]
            ):
                continue
            text = revised_message(crossing, languages.get(alert.chat_id, "en"))
            kind = revised_kind(alert, crossing.direction, told[period])
            messages.append(
                NewMessage(alert.chat_id, alert.thread_id, lookup.series, period.code, kind, text)
            )
    return messages


def affected_months(
    metric: Metric, comparison: Comparison, revised: Period, latest: Period
) -> list[Period]:
    """The months whose figure for ``metric`` a revision of month ``revised`` changes, up to
    ``latest``: the month itself; the next month's m/m; the same month a year on's y/y; the
    later months of its year to date; every later month's record (it is among their
    history)."""
    if comparison in (Comparison.RECORD, Comparison.RECORD_HIGH, Comparison.RECORD_LOW):
        last = latest
    elif metric is Metric.MOM:
        last = revised.shift_months(1)
    elif metric is Metric.YTD:
        last = Period.month(revised.year, 12)
    else:
        last = revised
    months = [revised]
    while months[-1] < last and months[-1] < latest:
        months.append(months[-1].shift_months(1))
    if metric is Metric.YOY and revised.shift_months(12) <= latest:
        months.append(revised.shift_months(12))
    return [m for m in months if m <= latest]


def _fires_told(alert: Alert, told: set[str]) -> bool:
    """Whether the alert's chat was told it fires for the month (when it was new, or by a
    revision that made it cross)."""
    now = f"{alert_kind(alert)}:revised:{Direction.NOW_CROSSES.value}:"
    return alert_kind(alert) in told or any(kind.startswith(now) for kind in told)


async def preview_alerts(
    store: Store, lookups: Callable[[str], Lookup], series: Sequence[str]
) -> list[tuple[Alert, Firing | Unchecked]]:
    """For ``/preview``: each active alert of ``series`` that the latest month of its series
    fires, or could not check (with why), in the order of ``series``, chats and alerts."""
    found: list[tuple[Alert, Firing | Unchecked]] = []
    for key in series:
        alerts = await store.alerts_for_series(key)
        if not alerts:
            continue
        try:
            lookup = lookups(key)
        except NoSeries:  # a series with no figures yet
            continue
        latest = lookup.metrics.latest_month(WORLD)
        if latest is None:
            continue
        for alert in alerts:
            outcome = evaluate(alert.rule, lookup, latest)
            if isinstance(outcome, Firing | Unchecked):
                found.append((alert, outcome))
    return found
