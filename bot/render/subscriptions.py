"""Telegram HTML for subscriptions: confirmations, ``/status`` and the admin ``/stats``."""

from __future__ import annotations

from bot.reading.periods import Period
from bot.records import Stats, Status, SubscribeResult, is_active
from bot.render.format import esc

REFUSED_NOT_ADMIN = (
    "🔒 Only this group's administrators can change its subscription. "
    "Ask an admin, or subscribe in a private chat with me."
)
REFUSED_NOT_BOT_ADMIN = "🔒 That command is for the bot's operators, in a private chat."


def subscribed(result: SubscribeResult, topic: bool) -> str:
    where = "this topic" if topic else "this chat"
    if not result.created:
        return f"✅ {where.capitalize()} is already subscribed. /status shows the details."
    first = (
        " The latest month's summary is on its way."
        if result.has_data
        else " There is no month in the data yet."
    )
    return (
        f"✅ Subscribed {where} to the monthly summary of China's rare-earth magnet exports. "
        f"A new month is pushed here as soon as it is in the data.{first} /unsubscribe stops it."
    )


def unsubscribed(removed: bool, topic: bool) -> str:
    where = "this topic" if topic else "this chat"
    if removed:
        return f"👋 Unsubscribed {where}. /subscribe brings the monthly summary back."
    return f"{where.capitalize()} was not subscribed. /subscribe starts the monthly summary."


def status(info: Status, topic: bool) -> str:
    where = "This topic" if topic else "This chat"
    sub = info.subscription
    if sub is None:
        lines = [f"📭 {where} is not subscribed. /subscribe to get each new month."]
    elif is_active(sub):
        since = sub.subscribed_at.strftime("%d %b %Y")
        lines = [f"📬 {where} is subscribed to the monthly summary (since {since})."]
    else:
        reason = f" ({esc(sub.paused_reason)})" if sub.paused_reason else ""
        lines = [f"⏸ {where}'s subscription is paused{reason}. /subscribe resumes it."]
    if info.last_summary is not None:
        sent = info.last_summary
        when = sent.sent_at.strftime("%d %b %Y %H:%M UTC") if sent.sent_at else "?"
        month = Period.parse_code(sent.month).label
        lines.append(f"Last summary received: {esc(month)}, sent {when}.")

    elif sub is not None:
        lines.append("No summary received yet.")
    if info.latest_month is not None and info.next_month and info.expected_on:
        lines.append(f"Latest month in the data: {esc(info.latest_month.label)}.")
        expected = info.expected_on.strftime("%d %B %Y").lstrip("0")
        late = " It is overdue: the sources have not published it yet." if info.overdue else ""
        lines.append(
            f"Next: {esc(info.next_month.label)}, expected around {expected} (China's customs "
            f"publish country detail around the 20th of the following month).{late}"
        )
    return "\n".join(lines)


def stats(info: Stats) -> str:
    subs = info.subscriptions
    outbox = info.outbox
    lines = [
        "📊 <b>Delivery</b>",
        f"Subscriptions: {subs.get('active', 0)} active, {subs.get('paused', 0)} paused",
        f"Outbox: {info.depth} waiting, {outbox.get('sent', 0)} sent, "
        f"{outbox.get('failed', 0)} failed, {outbox.get('dropped', 0)} dropped",
    ]
    if info.failed:
        lines.append("<b>Failed messages</b> (latest):")
        for m in info.failed:
            lines.append(
                f"• #{m.id} chat {m.chat_id} {esc(m.month)} {esc(m.kind)}, "
                f"{m.attempts} attempts: {esc((m.last_error or '')[:200])}"
            )
    return "\n".join(lines)
