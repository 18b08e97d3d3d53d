"""Plain records of the push wing that the renderers read: a subscription, an outbox message,
a chat's subscription status, the operator's delivery stats, a release check's report, and a
chat's alerts and watchlists.

They sit a floor below both ``bot.push`` (which fills them from the database) and
``bot.render`` (which writes them as Telegram HTML), so the renderers never import the push
machinery. No database, no Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from bot.alerts.rules import AlertRule
from bot.data.series import SeriesInfo
from bot.i18n import Language
from bot.reading.chat_time import ALWAYS, UTC_ZONE, DeliveryHours, Zone
from bot.reading.periods import Period

ACTIVE, PAUSED = "active", "paused"
#: The most alerts a chat may have (its forum topics' together).
MAX_ALERTS = 20
#: The most partners one watchlist holds.
MAX_WATCHED = 10
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
class ChatChoices:
    """What a chat chose in ``/settings`` (``None``: not chosen): its language, its time zone
    (else the bot's ``TIMEZONE``) and the hours it takes the push in (else any time)."""

    language: Language | None = None
    zone: Zone | None = None
    hours: DeliveryHours | None = None

    def zone_or(self, default: Zone) -> Zone:
        return self.zone if self.zone is not None else default

    @property
    def delivery_hours(self) -> DeliveryHours:
        return self.hours if self.hours is not None else ALWAYS


@dataclass(frozen=True)
class Waiting:
    """A message held for a chat's delivery hours: its dataset, month and when it goes, and
    its series (``None``: a digest of several)."""

    dataset: str
    month: str
    due: datetime
    info: SeriesInfo | None = None


@dataclass(frozen=True)
class Received:
    """The last monthly summary a chat or topic was sent: its month code and when."""

    month: str
    sent_at: datetime | None


@dataclass(frozen=True)
class SubscribeResult:
    """What ``/subscribe`` did: ``changed`` anything (created or resumed a subscription, or
    added a series); ``has_data``: a summary is on its way. With materials named: the series
    ``added``, those it had ``already``, those added that have no month in the data yet
    (``no_month``)."""

    changed: bool
    has_data: bool
    added: tuple[SeriesInfo, ...] = ()
    already: tuple[SeriesInfo, ...] = ()
    no_month: tuple[SeriesInfo, ...] = ()
    resumed: bool = False
    #: The series it had besides those named (they go on).
    kept: tuple[SeriesInfo, ...] = ()
    #: Those added with no monthly figure, only totals over longer periods (tungsten), each
    #: with its latest such period: no monthly summary comes for them.
    totals_only: tuple[tuple[SeriesInfo, Period], ...] = ()


@dataclass(frozen=True)
class Unknown:
    """A word that names no material, and the one it probably meant."""

    word: str
    suggestion: SeriesInfo | None


@dataclass(frozen=True)
class MaterialChoice:
    """The materials a ``/subscribe`` or ``/unsubscribe`` names (listing order, each once),
    the words not understood, the reference series named (not subscribable), and whether
    ``all`` was asked for."""

    series: tuple[SeriesInfo, ...] = ()
    unknown: tuple[Unknown, ...] = ()
    reference: tuple[SeriesInfo, ...] = ()
    everything: bool = False

    @property
    def named(self) -> bool:
        """Whether the text named anything (else the default applies)."""
        return bool(self.series or self.unknown or self.reference or self.everything)

    @property
    def valid(self) -> bool:
        """Everything named is a material (or ``all``): the command may go ahead."""
        return not self.unknown and not self.reference


@dataclass(frozen=True)
class SeriesStatus:
    """One series of a chat's subscription in ``/status``: the latest month in the data, the
    last summary the chat got of it, and the next month, when it is expected and whether it
    is overdue (``latest_month`` None: the series has no month in the data)."""

    info: SeriesInfo
    latest_month: Period | None
    last_summary: Received | None
    next_month: Period | None
    expected_on: date | None
    overdue: bool
    #: With no month: the latest period with a total (tungsten's ``2025-YTD11``), if any.
    latest_total: Period | None = None


@dataclass(frozen=True)
class Status:
    subscription: Subscription | None
    last_summary: Received | None
    latest_month: Period | None
    next_month: Period | None
    expected_on: date | None
    overdue: bool
    #: Each series the chat or topic is subscribed to, in listing order.
    series: tuple[SeriesStatus, ...] = ()
    #: The chat's clock: what it chose, the zone its hours are in, the first message held.
    choices: ChatChoices = field(default_factory=ChatChoices)
    zone: Zone = UTC_ZONE
    waiting: Waiting | None = None


@dataclass(frozen=True)
class Stats:
    subscriptions: dict[str, int]
    outbox: dict[str, int]
    failed: list[Message]
    #: Of the waiting messages, those held for their chats' delivery hours.
    held: int = 0

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
    #: (series, month, what) for every month announced, back-filled or revised.
    released: list[tuple[str, str, str]] = field(default_factory=list)
    #: Chats sent one digest for several series released together.
    digests: int = 0
    #: Alert and watchlist messages among those queued (issue 16).
    alerts: int = 0


@dataclass(frozen=True)
class Alert:
    """One stored alert of a chat or forum topic (``thread_id`` 0: the whole chat)."""

    id: int
    chat_id: int
    thread_id: int
    rule: AlertRule
    set_by: int | None
    set_at: datetime
    paused: bool = False


class Saved(Enum):
    """What saving an alert did."""

    ADDED = "added"
    ALREADY = "already"  # the chat or topic has this rule already
    FULL = "full"  # the chat has :data:`MAX_ALERTS` already


@dataclass(frozen=True)
class Watchlist:
    """The partners a chat or topic watches in one series, in the order typed."""

    chat_id: int
    thread_id: int
    series: str
    partners: tuple[str, ...]
