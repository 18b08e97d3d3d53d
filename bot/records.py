"""Plain records of the push wing that the renderers read: a subscription, an outbox message,
a chat's subscription status, the operator's delivery stats, and a release check's report.

They sit a floor below both ``bot.push`` (which fills them from the database) and
``bot.render`` (which writes them as Telegram HTML), so the renderers never import the push
machinery. No database, no Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.reading.periods import Period

ACTIVE, PAUSED = "active", "paused"
PENDING, SENDING, SENT, FAILED, DROPPED = "pending", "sending", "sent", "failed", "dropped"


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    thread_id: int
    chat_type: str
    status: str
    paused_reason: str | None
    subscribed_by: int | None
    subscribed_at: datetime


def is_active(subscription: Subscription | None) -> bool:
    return subscription is not None and subscription.status == ACTIVE


@dataclass(frozen=True)
class Message:
    """One outbox row."""

    id: int
    chat_id: int
    thread_id: int
    dataset: str
    month: str
    kind: str
    text: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class Received:
    """The last monthly summary a chat or topic was sent: its month code and when."""

    month: str
    sent_at: datetime | None


@dataclass(frozen=True)
class SubscribeResult:
    created: bool
    has_data: bool


@dataclass(frozen=True)
class Status:
    subscription: Subscription | None
    last_summary: Received | None
    latest_month: Period | None
    next_month: Period | None
    expected_on: date | None
    overdue: bool


@dataclass(frozen=True)
class Stats:
    subscriptions: dict[str, int]
    outbox: dict[str, int]
    failed: list[Message]

    @property
    def depth(self) -> int:
        return self.outbox.get(PENDING, 0) + self.outbox.get(SENDING, 0)


@dataclass
class ReleaseReport:
    baseline: bool = False
    announced: list[str] = field(default_factory=list)
    backfilled: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    queued: int = 0
