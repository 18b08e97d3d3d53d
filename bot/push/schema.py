"""The database schema: tables, their versions, and the records read from them.

The records themselves (:class:`bot.records.Subscription`, :class:`bot.records.Message`) live a
floor down, so the renderers can read them without importing the database.

Times are naive UTC. ``thread_id`` 0 means the whole chat; otherwise it is a forum topic.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.data.dataset import CUSTOMS_SERIES
from bot.records import PENDING, SENT, Message, Subscription

#: The outbox ``kind`` of a series' monthly summary (its later parts: ``summary:2``, …).
SUMMARY = "summary"
#: The outbox ``dataset`` of a digest: one message for several series released together.
DIGEST = "digest"

#: 1: subscriptions, outbox, releases. 2: leases (a new table, made by ``create_all``).
#: 3: fencing: ``leases.generation`` and ``outbox.claim_token`` (added by ``UPGRADES``).
#: 4: ``outbox_due`` ends with ``id`` (claims read it in order), and ``delivered`` keeps the
#: key of every sent message, so its outbox row can be pruned (filled from the sent rows).
#: 5: ``subscription_series`` (the materials of each subscription; every subscription there was
#: keeps the rare-earth magnets it had) and ``digest_parts`` (what a digest message covers).
#: 6: ``chat_settings`` (each chat's own language; a new table, made by ``create_all``).
#: 7: ``chat_settings.time_zone``, ``hours_start`` and ``hours_end`` (``/settings``), and
#: ``subscribed_language`` (the push's language before the chat chooses one).
#: 8: ``alerts`` (each chat's alert rules) and ``watchlists`` (the partners a chat watches,
#: ``/watch``): new tables, made by ``create_all``.
SCHEMA_VERSION = 8

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger, nullable=False),  # 0: the whole chat, else a forum topic
    Column("chat_type", String(20), nullable=False),
    Column("status", String(10), nullable=False),
    Column("paused_reason", String(300)),
    Column("subscribed_by", BigInteger),
    Column("subscribed_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("chat_id", "thread_id", name="subscription_chat"),
)

#: The series (materials) a subscription gets: one row per series. A chat or topic with a
#: ``subscriptions`` row has at least one.
subscription_series = Table(
    "subscription_series",
    metadata,
    Column("chat_id", BigInteger, primary_key=True),
    Column("thread_id", BigInteger, primary_key=True),
    Column("series", String(40), primary_key=True),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger, nullable=False),
    Column("dataset", String(40), nullable=False),
    Column("month", String(7), nullable=False),
    Column("kind", String(80), nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", String(500)),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    Column("message_id", BigInteger),
    #: The lease generation of the worker that claimed the row (its fencing token).
    Column("claim_token", Integer),
    UniqueConstraint("chat_id", "thread_id", "dataset", "month", "kind", name="outbox_key"),
    #: The order claims take due rows in (``bot/push/claims.py``), and the range pruning reads.
    Index("outbox_due", "status", "next_attempt_at", "id"),
)

#: The key of every message Telegram accepted, written with the outbox row's ``sent`` and kept
#: after the row is pruned (``bot/push/retention.py``): a delivered message is never queued
#: again, revision notices find who got a month, and ``/status`` its last summary. Keyed month
#: first: who got a month's message is one range, a broadcast's keys are appended in order, and
#: one index is enough (about 70 bytes a message on SQLite).
delivered = Table(
    "delivered",
    metadata,
    Column("dataset", String(40), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("kind", String(80), primary_key=True),
    Column("chat_id", BigInteger, primary_key=True),
    Column("thread_id", BigInteger, primary_key=True),
    Column("sent_at", DateTime, nullable=False),
    sqlite_with_rowid=False,
)

releases = Table(
    "releases",
    metadata,
    Column("dataset", String(40), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("seen_at", DateTime, nullable=False),
    Column("announced", Boolean, nullable=False),
)

leases = Table(
    "leases",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("holder", String(120), nullable=False),
    Column("expires_at", Float, nullable=False),  # seconds since the epoch
    #: Raised by one each time the lease changes hands: the fencing token of its holder.
    Column("generation", Integer, nullable=False, default=1),
)

#: What one digest message covers (several series released on the same check): its outbox
#: ``kind`` (the same for every chat that gets the same series and months) and each series'
#: month. When a digest is sent, the summary of each part counts as delivered to its chat.
digest_parts = Table(
    "digest_parts",
    metadata,
    Column("kind", String(80), primary_key=True),
    Column("series", String(40), primary_key=True),
    Column("month", String(7), primary_key=True),
)

#: Each chat's own settings, for the whole chat (its forum topics too), kept when it
#: unsubscribes: one row per chat that chose one, NULL where it has not chosen. ``language``
#: is ``en`` or ``zh`` (none: the rules of ``bot/i18n/choice.py``); ``time_zone`` an IANA name
#: or ``UTC+05:30`` (none: ``TIMEZONE``); ``hours_start`` and ``hours_end`` the minutes of the
#: local day the push may come between (none: any time; ``bot/reading/chat_time.py``).
chat_settings = Table(
    "chat_settings",
    metadata,
    Column("chat_id", BigInteger, primary_key=True),
    Column("language", String(8)),
    Column("time_zone", String(64)),
    Column("hours_start", Integer),
    Column("hours_end", Integer),
    #: The language the chat's last ``/subscribe``, saved ``/alert`` or ``/watch`` was
    #: answered in (``en``/``zh``: a command written in Chinese, or in a private chat its
    #: user's Telegram language): the language of its push until it chooses one (``/lang``).
    Column("subscribed_language", String(8)),
    sqlite_with_rowid=False,
)


#: Each chat's (or forum topic's) alert rules (``bot/alerts``): the rule's key
#: (:meth:`bot.alerts.AlertRule.key`), who set it and when, and whether it is paused (with a
#: chat that removed or blocked the bot). At most :data:`bot.records.MAX_ALERTS` a chat.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger, nullable=False),  # 0: the whole chat, else a forum topic
    Column("key", String(40), nullable=False),
    Column("series", String(40), nullable=False),  # the key's series, for the firing's reads
    Column("set_by", BigInteger),
    Column("set_at", DateTime, nullable=False),
    Column("paused", Boolean, nullable=False, default=False),
    UniqueConstraint("chat_id", "thread_id", "key", name="alert_rule"),
    Index("alerts_series", "series"),
)

#: The partners a chat or topic watches in a series (``/watch``), in the order typed.
watchlists = Table(
    "watchlists",
    metadata,
    Column("chat_id", BigInteger, primary_key=True),
    Column("thread_id", BigInteger, primary_key=True),
    Column("series", String(40), primary_key=True),
    Column("partner", String(20), primary_key=True),
    Column("position", Integer, nullable=False),
    Index("watchlists_series", "series"),
)


@dataclass(frozen=True)
class AddColumn:
    """An upgrade step adding a column, skipped where ``create_all`` made the table with it
    (a database older than the table itself)."""

    table: str
    column: str
    type: str


#: Upgrade steps: the SQL that brings a database from the version before to this one. The
#: steps that copy rows skip those already there, so a step run again changes nothing
#: (:meth:`Store.migrate` also makes processes take turns).
UPGRADES: dict[int, tuple[str | AddColumn, ...]] = {
    3: (
        "ALTER TABLE leases ADD COLUMN generation INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE outbox ADD COLUMN claim_token INTEGER",
    ),
    4: (
        "DROP INDEX outbox_due",
        "CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id)",
        "INSERT INTO delivered (dataset, month, kind, chat_id, thread_id, sent_at) "
        "SELECT o.dataset, o.month, o.kind, o.chat_id, o.thread_id, "
        f"COALESCE(o.sent_at, o.created_at) FROM outbox o WHERE o.status = '{SENT}' "
        "AND NOT EXISTS (SELECT 1 FROM delivered d WHERE d.dataset = o.dataset "
        "AND d.month = o.month AND d.kind = o.kind AND d.chat_id = o.chat_id "
        "AND d.thread_id = o.thread_id)",
    ),
    # every subscription from before has the magnets; one with series already is left alone
    5: (
        "INSERT INTO subscription_series (chat_id, thread_id, series) "
        f"SELECT s.chat_id, s.thread_id, '{CUSTOMS_SERIES}' FROM subscriptions s "
        "WHERE NOT EXISTS (SELECT 1 FROM subscription_series x "
        "WHERE x.chat_id = s.chat_id AND x.thread_id = s.thread_id)",
    ),
    7: (
        AddColumn("chat_settings", "time_zone", "VARCHAR(64)"),
        AddColumn("chat_settings", "hours_start", "INTEGER"),
        AddColumn("chat_settings", "hours_end", "INTEGER"),
        AddColumn("chat_settings", "subscribed_language", "VARCHAR(8)"),
    ),
}

release_figures = Table(
    "release_figures",
    metadata,
    Column("dataset", String(40), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("partner", String(20), primary_key=True),
    Column("value", Float, nullable=False),
)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class SchemaError(RuntimeError):
    """The database was written by a newer version of the bot."""


@dataclass(frozen=True)
class NewMessage:
    chat_id: int
    thread_id: int
    dataset: str
    month: str
    kind: str
    text: str


def new_row(m: NewMessage, now: datetime) -> dict[str, Any]:
    """The outbox row for a message about to be queued."""
    return asdict(m) | {"status": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now}


def subscription_record(row: Any) -> Subscription:
    return Subscription(
        chat_id=int(row["chat_id"]),
        thread_id=int(row["thread_id"]),
        chat_type=str(row["chat_type"]),
        status=str(row["status"]),
        paused_reason=row["paused_reason"],
        subscribed_by=row["subscribed_by"],
        subscribed_at=row["subscribed_at"],
    )


def message_record(row: Any) -> Message:
    return Message(
        id=int(row["id"]),
        chat_id=int(row["chat_id"]),
        thread_id=int(row["thread_id"]),
        dataset=str(row["dataset"]),
        month=str(row["month"]),
        kind=str(row["kind"]),
        text=str(row["text"]),
        status=str(row["status"]),
        attempts=int(row["attempts"]),
        last_error=row["last_error"],
        sent_at=row["sent_at"],
    )
