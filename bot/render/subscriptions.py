"""Telegram HTML for subscriptions: confirmations, ``/status`` and the admin ``/stats``."""

from __future__ import annotations

from collections.abc import Sequence

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo
from bot.reading.periods import Period
from bot.records import (
    MaterialChoice,
    SeriesStatus,
    Stats,
    Status,
    SubscribeResult,
    is_active,
)
from bot.render.format import chinese_name, esc, fit, quote_input, with_chinese

REFUSED_NOT_ADMIN = (
    "🔒 Only this group's administrators can change its subscription. "
    "Ask an admin, or subscribe in a private chat with me."
)
#: A month past its expected release: all we know is that it is not in our data (whether the
#: sources published it is not for us to say), as ``/materials`` puts it.
OVERDUE = "It is overdue: not in the data yet."
REFUSED_NOT_BOT_ADMIN = "🔒 That command is for the bot's operators, in a private chat."


def _where(topic: bool) -> str:
    return "this topic" if topic else "this chat"


def _names(series: Sequence[SeriesInfo]) -> str:
    """``gallium (镓) and germanium (锗)``, escaped."""
    names = [esc(with_chinese(s.name, s.name_zh)) for s in series]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _plain_names(series: Sequence[SeriesInfo]) -> str:
    return ", ".join(esc(s.name) for s in series)


def _of(series: Sequence[SeriesInfo]) -> str:
    """``China's rare-earth magnet exports`` (the default, as it always read) or ``China's
    exports of gallium (镓) and germanium (锗)``."""
    if [s.key for s in series] == [CUSTOMS_SERIES]:
        return "China's rare-earth magnet exports"
    return f"China's exports of {_names(series)}"


def _command_word(info: SeriesInfo) -> str:
    """The word that names a series in a command: its first one-word name (``gallium``,
    ``magnets``), else its key (``rare-earths``)."""
    for word in info.words:
        if word.isascii() and " " not in word:
            return word.lower()
    return info.key.replace("_", "-").lower()


def subscribed(result: SubscribeResult, topic: bool, named: bool = False) -> str:
    """The reply to ``/subscribe``; ``named``: the command named materials."""
    where = _where(topic)
    if not result.changed:
        if not named or not result.already:
            return f"✅ {where.capitalize()} is already subscribed. /status shows the details."
        return (
            f"✅ {where.capitalize()} is already subscribed to {_names(result.already)}. "
            "/status shows the details."
        )
    welcomed = result.added or result.already
    several = len(welcomed) > 1
    without = set(result.no_month) | {info for info, _ in result.totals_only}
    if result.has_data:
        first = (
            " The latest month of each is on its way."
            if len([info for info in welcomed if info not in without]) > 1
            else " The latest month's summary is on its way."
        )
    elif len(result.totals_only) < len(welcomed):
        first = " There is no month in the data yet."
    else:
        first = ""
    if result.no_month and result.has_data:
        first += f" No month of {_names(result.no_month)} is in the data yet."
    for info, span in result.totals_only:
        first += " " + totals_only(info, span)
    text = (
        f"✅ Subscribed {where} to the monthly summary of {_of(welcomed) if welcomed else ''}. "
        "A new month is pushed here as soon as it is in the data."
    )
    if several:
        text += " Several released together come as one digest."
    text += first
    if result.added and result.already:
        text += f" It was subscribed to {_names(result.already)} already."
    if result.kept:
        text += f" It still gets {_names(result.kept)} too."
    example = esc(_command_word(welcomed[-1]))
    if not result.kept and not result.already and len(welcomed) == 1:
        return text + " /unsubscribe stops it."
    if len(welcomed) == 1:
        return text + f" /unsubscribe {example} stops it; /unsubscribe alone stops everything."
    return text + f" /unsubscribe {example} stops one; /unsubscribe alone stops them all."


def totals_only(info: SeriesInfo, span: Period) -> str:
    """What ``/subscribe`` says of a series whose data has no month, only totals over
    longer periods (tungsten): no monthly summary comes for it; where its totals are."""
    return (
        f"The data has no monthly figures of {esc(info.name)}, only totals over longer periods "
        f"(the latest: {esc(span.label)}), so no monthly summary comes for it; a month is pushed "
        f"here if one appears in the data. /exports {esc(_command_word(info))} shows the latest "
        "total."
    )


def unsubscribed(removed: bool, topic: bool) -> str:
    """The reply to ``/unsubscribe`` without a material: every series stopped."""
    where = _where(topic)
    if removed:
        return f"👋 Unsubscribed {where}. /subscribe brings the monthly summary back."
    return f"{where.capitalize()} was not subscribed. /subscribe starts the monthly summary."


def unsubscribed_series(
    removed: Sequence[SeriesInfo],
    left: Sequence[SeriesInfo],
    missing: Sequence[SeriesInfo],
    topic: bool,
) -> str:
    """The reply to ``/unsubscribe gallium``: what stopped, what it was not subscribed to,
    and what it still gets."""
    where = _where(topic)
    lines = []
    if removed:
        lines.append(f"👋 Unsubscribed {where} from {_names(removed)}.")
    if missing:
        lines.append(
            f"{where.capitalize()} was not subscribed to {_names(missing)}."
            if not removed
            else f"It was not subscribed to {_names(missing)}."
        )
    if left:
        lines.append(f"Still subscribed to {_names(left)}. /unsubscribe stops everything.")
    elif removed:
        lines.append("It gets no monthly summary now. /subscribe brings it back.")
    else:
        lines.append("/status shows what it gets.")
    return " ".join(lines)


#: The words not understood named one by one in a reply; the others are counted.
NAMED_WORDS = 5


def not_understood(choice: MaterialChoice, materials: Sequence[SeriesInfo], verb: str) -> list[str]:
    """A ``/subscribe`` or ``/unsubscribe`` that named a word that is no material (or a
    reference series): the first few such words named (each once), a "did you mean" where
    one is likely, how many more there are; nothing done. Within Telegram's limit."""
    command = "/subscribe" if verb == "subscribed" else "/unsubscribe"
    unknown = list({u.word.casefold(): u for u in reversed(choice.unknown)}.values())[::-1]
    lines = []
    for word in unknown[:NAMED_WORDS]:
        line = f"❓ “{quote_input(word.word)}” is not a material I know."
        if word.suggestion is not None:
            guess = word.suggestion
            line += f" Did you mean {esc(guess.name)} ({command} {esc(_command_word(guess))})?"
        lines.append(line)
    more = len(unknown) - NAMED_WORDS
    if more > 0:
        lines.append(
            f"… and {more:,} more {'word' if more == 1 else 'words'} that are not materials."
        )
    for info in choice.reference:
        lines.append(
            f"ℹ️ {esc(info.name)} is a reference series to compare with, not a material to "
            "subscribe to."
        )
    lines.append(
        f"Nothing was {verb}. The materials: {_plain_names(materials)}; or “all” for every one."
    )
    return fit(["\n".join(lines)])


def _series_lines(line: SeriesStatus) -> list[str]:
    """A series' lines in ``/status``: last summary received, latest month, next month."""
    info = line.info
    title = info.name[:1].upper() + info.name[1:]
    lines = [f"<b>{esc(title)}</b>{esc(chinese_name(title, info.name_zh))}"]
    if line.last_summary is not None:
        sent = line.last_summary
        when = sent.sent_at.strftime("%d %b %Y %H:%M UTC") if sent.sent_at else "?"
        month = Period.parse_code(sent.month).label
        lines.append(f"Last summary received: {esc(month)}, sent {when}.")
    else:
        lines.append("No summary received yet.")
    if line.latest_month is None and line.latest_total is not None:
        lines.append(
            f"Only totals over longer periods in the data (the latest: "
            f"{esc(line.latest_total.label)}): no monthly summary comes for it; a month is "
            "pushed if one appears."
        )
        return lines
    if line.latest_month is None or line.next_month is None or line.expected_on is None:
        lines.append("No month in the data yet: the first one is pushed when it comes.")
        return lines
    expected = line.expected_on.strftime("%d %B %Y").lstrip("0")
    late = f" ⚠️ {OVERDUE}" if line.overdue else ""
    lines.append(
        f"Latest month in the data: {esc(line.latest_month.label)}. Next: "
        f"{esc(line.next_month.label)}, expected around {expected}.{late}"
    )
    return lines


def _timing(series: Sequence[SeriesStatus]) -> str:
    """When the series' months come out, said once for all of them."""
    days = sorted({s.info.release_day for s in series})
    if days == [20]:
        return "China's customs publish these figures around the 20th of the following month."
    if days == [10]:
        return "China's customs publish these totals around the 10th of the following month."
    early = _plain_names([s.info for s in series if s.info.release_day == 10])
    return (
        f"China's customs publish {early} around the 10th of the following month (the first "
        "release), the others around the 20th (the country detail)."
    )


def status(info: Status, topic: bool) -> list[str]:
    """``/status``: the subscription, and for each of its series the last summary received,
    the latest month in the data and the next one, when expected and whether overdue."""
    where = "This topic" if topic else "This chat"
    sub = info.subscription
    if sub is None:
        lines = [
            f"📭 {where} is not subscribed. /subscribe to get each new month of rare-earth "
            "magnets; /subscribe gallium germanium for others, /subscribe all for every material."
        ]
    elif is_active(sub):
        since = sub.subscribed_at.strftime("%d %b %Y")
        count = len(info.series)
        what = "1 material" if count == 1 else f"{count} materials"
        lines = [f"📬 {where} is subscribed to the monthly summary (since {since}): {what}."]
    else:
        reason = f" ({esc(sub.paused_reason)})" if sub.paused_reason else ""
        lines = [f"⏸ {where}'s subscription is paused{reason}. /subscribe resumes it."]
    blocks = ["\n".join(lines)]
    if sub is not None and info.series:
        blocks += ["\n".join(_series_lines(line)) for line in info.series]
        blocks.append(f"<i>{esc(_timing(info.series))}</i>")
        return fit(blocks)
    if info.last_summary is not None:  # of rare-earth magnets, from before it unsubscribed
        sent = info.last_summary
        when = sent.sent_at.strftime("%d %b %Y %H:%M UTC") if sent.sent_at else "?"
        month = Period.parse_code(sent.month).label
        blocks.append(f"Last summary received: {esc(month)}, sent {when} (rare-earth magnets).")
    if info.latest_month is not None and info.next_month and info.expected_on:
        expected = info.expected_on.strftime("%d %B %Y").lstrip("0")
        late = f" {OVERDUE}" if info.overdue else ""
        blocks.append(
            f"Rare-earth magnets: latest month in the data {esc(info.latest_month.label)}. "
            f"Next: {esc(info.next_month.label)}, expected around {expected} (China's customs "
            f"publish country detail around the 20th of the following month).{late}"
        )
    return fit(blocks)


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
