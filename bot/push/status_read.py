"""``/status`` in one indexed read, on the quick read path (:meth:`Store.read`).

One statement, built once, gives the subscription of a chat or topic (if any), the last
rare-earth magnets' summary it got (if any: kept for a chat that unsubscribed), and one row per
series it is subscribed to, each with the last summary of it the chat got. A digest that covered
a month counts (its key is in ``delivered`` too, and a queued one through ``digest_parts``).
``delivered`` is keyed month first, so each series is looked up at each month the release
watcher has seen of it and each month of the chat's rows still kept, its digests' too (a
welcome may come first), as :meth:`Store.last_delivered` does. Nothing is cached: other
processes write, and every read sees what they committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Column,
    Label,
    ScalarSelect,
    Select,
    bindparam,
    func,
    literal_column,
    select,
    union_all,
)

from bot.data.dataset import CUSTOMS_SERIES
from bot.push.chat_settings import choices_of
from bot.push.schema import (
    SUMMARY,
    chat_settings,
    delivered,
    outbox,
    releases,
    subscription_record,
    subscription_series,
    subscriptions,
    utcnow,
)
from bot.push.storage import Store, digested_months
from bot.records import PENDING, ChatChoices, Received, Subscription, Waiting


def _last_summary(
    chat: BindParameter[int], thread: BindParameter[int], series: str | Column[str]
) -> tuple[ScalarSelect[str], ScalarSelect[object]]:
    """The month of the last summary of ``series`` the chat got, and when it was sent, as
    scalar subqueries: correlated with ``subscription_series`` when ``series`` is its column,
    else with nothing."""
    outer = subscription_series if isinstance(series, Column) else None
    months = union_all(
        select(releases.c.month).where(releases.c.dataset == series).correlate(outer),
        select(outbox.c.month)
        .where(
            (outbox.c.chat_id == chat)
            & (outbox.c.thread_id == thread)
            & (outbox.c.dataset == series)
        )
        .correlate(outer),
        digested_months(chat, thread, series).correlate(outer),
    )
    got = (
        (delivered.c.dataset == series)
        & delivered.c.month.in_(months)
        & (delivered.c.kind == SUMMARY)
        & (delivered.c.chat_id == chat)
        & (delivered.c.thread_id == thread)
    )
    month = select(func.max(delivered.c.month)).where(got).correlate(outer).scalar_subquery()
    sent_at = select(delivered.c.sent_at).where(got & (delivered.c.month == month))
    return month, sent_at.correlate(outer).scalar_subquery()


def _waiting(
    chat: BindParameter[int], thread: BindParameter[int], now: BindParameter[datetime]
) -> list[Label[object]]:
    """The chat's choices of time zone and hours, and its first message held for the hours
    (due after ``now``, never tried yet): its dataset, month and due time."""
    mine = (chat_settings.c.chat_id == chat,)
    held = (
        (outbox.c.chat_id == chat)
        & (outbox.c.thread_id == thread)
        & (outbox.c.status == PENDING)
        & (outbox.c.attempts == 0)
        & (outbox.c.next_attempt_at > now)
    )
    first = select(outbox.c.id).where(held).order_by(outbox.c.next_attempt_at, outbox.c.id)
    first_id = first.limit(1).scalar_subquery()
    return [
        select(chat_settings.c[name]).where(*mine).scalar_subquery().label(name)
        for name in ("time_zone", "hours_start", "hours_end")
    ] + [
        select(outbox.c[name]).where(outbox.c.id == first_id).scalar_subquery().label(label)
        for name, label in (
            ("dataset", "waiting_dataset"),
            ("month", "waiting_month"),
            ("next_attempt_at", "waiting_at"),
        )
    ]


def _status_query() -> Select[tuple[object, ...]]:
    """See the module docstring; ``chat``, ``thread`` and ``now`` are bound at each call.
    Always at least one row (an anchor row outer-joined to whatever is found)."""
    chat: BindParameter[int] = bindparam("chat")
    thread: BindParameter[int] = bindparam("thread")
    now: BindParameter[datetime] = bindparam("now")
    last_month, last_at = _last_summary(chat, thread, CUSTOMS_SERIES)
    series_month, series_at = _last_summary(chat, thread, subscription_series.c.series)
    anchor = select(literal_column("1").label("one")).subquery()
    mine = (subscriptions.c.chat_id == chat) & (subscriptions.c.thread_id == thread)
    its = (subscription_series.c.chat_id == subscriptions.c.chat_id) & (
        subscription_series.c.thread_id == subscriptions.c.thread_id
    )
    return (
        select(
            *subscriptions.c,
            last_month.label("last_month"),
            last_at.label("last_at"),
            subscription_series.c.series,
            series_month.label("series_last_month"),
            series_at.label("series_last_at"),
            *_waiting(chat, thread, now),
        )
        .select_from(anchor.outerjoin(subscriptions, mine).outerjoin(subscription_series, its))
        .order_by(subscription_series.c.series)
    )


STATUS_QUERY = _status_query()


@dataclass(frozen=True)
class ChatStatus:
    """What ``/status`` reads of a chat or topic: its subscription (None: none), the last
    rare-earth magnets' summary it got, each series it is subscribed to with the last
    summary of it the chat got, the chat's time zone and hours, and the first message held
    for them."""

    subscription: Subscription | None
    last: Received | None
    series: dict[str, Received | None]
    choices: ChatChoices = field(default_factory=ChatChoices)
    waiting: Waiting | None = None


async def read_chat(store: Store, chat_id: int, thread_id: int) -> ChatStatus:
    """``/status``'s read of a chat or topic, in one statement (see the module docstring)."""
    rows = await store.read(STATUS_QUERY, {"chat": chat_id, "thread": thread_id, "now": utcnow()})
    first = rows[0]
    subscription = subscription_record(first) if first["status"] is not None else None
    last = Received(first["last_month"], first["last_at"]) if first["last_month"] else None
    series = {
        str(row["series"]): (
            Received(row["series_last_month"], row["series_last_at"])
            if row["series_last_month"]
            else None
        )
        for row in rows
        if subscription is not None and row["series"] is not None
    }
    waiting = (
        Waiting(str(first["waiting_dataset"]), str(first["waiting_month"]), first["waiting_at"])
        if first["waiting_at"] is not None
        else None
    )
    return ChatStatus(subscription, last, series, choices_of(_Clock(first)), waiting)


class _Clock:
    """The ``chat_settings`` columns of a status row, as :func:`choices_of` reads them."""

    language = None

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.time_zone = row["time_zone"]
        self.hours_start = row["hours_start"]
        self.hours_end = row["hours_end"]


async def read_status(
    store: Store, chat_id: int, thread_id: int
) -> tuple[Subscription | None, Received | None]:
    """The subscription of a chat or topic and the last magnets' summary it got."""
    found = await read_chat(store, chat_id, thread_id)
    return found.subscription, found.last


async def read_series(store: Store, chat_id: int, thread_id: int) -> dict[str, Received | None]:
    """The series of a chat's or topic's subscription, each with the last summary of it the
    chat got."""
    return (await read_chat(store, chat_id, thread_id)).series
