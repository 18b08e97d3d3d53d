"""Telegram HTML for subscriptions: confirmations, ``/status`` and the admin ``/stats``."""

from __future__ import annotations

from collections.abc import Sequence

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo
from bot.i18n import Language, ntr, tr
from bot.i18n.formats import period_label, sentences
from bot.reading.periods import Period
from bot.records import (
    MaterialChoice,
    Stats,
    SubscribeResult,
)
from bot.render.format import esc, fit, quote_input, with_chinese
from bot.render.material import chinese_word


def refused_not_admin(language: Language = "en") -> str:
    return "🔒 " + tr(
        language,
        "Only this group's administrators can change its subscription. Ask an admin, or "
        "subscribe in a private chat with me.",
    )


REFUSED_NOT_ADMIN = refused_not_admin()


def refused_not_bot_admin(language: Language = "en") -> str:
    return "🔒 " + tr(language, "That command is for the bot's operators, in a private chat.")


REFUSED_NOT_BOT_ADMIN = refused_not_bot_admin()


def overdue(language: Language = "en") -> str:
    """A month past its expected release: all we know is that it is not in our data
    (whether the sources published it is not for us to say), as ``/materials`` puts it."""
    return tr(language, "It is overdue: not in the data yet.")


OVERDUE = overdue()


def _name(info: SeriesInfo, language: Language) -> str:
    """``gallium (镓)`` in English; ``镓`` in Chinese."""
    if language == "zh" and info.name_zh:
        return info.name_zh
    return with_chinese(info.name, info.name_zh)


def _names(series: Sequence[SeriesInfo], language: Language = "en") -> str:
    """``gallium (镓) and germanium (锗)`` / ``镓和锗``, escaped."""
    names = [esc(_name(s, language)) for s in series]
    if len(names) == 1:
        return names[0]
    if language == "zh":
        return "、".join(names[:-1]) + "和" + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1]


def plain_names(series: Sequence[SeriesInfo], language: Language = "en") -> str:
    if language == "zh":
        return "、".join(esc(s.name_zh or s.name) for s in series)
    return ", ".join(esc(s.name) for s in series)


def _of(series: Sequence[SeriesInfo], language: Language) -> str:
    """``China's rare-earth magnet exports`` (the default, as it always read) or ``China's
    exports of gallium (镓) and germanium (锗)``."""
    if [s.key for s in series] == [CUSTOMS_SERIES]:
        return tr(language, "China's rare-earth magnet exports")
    return tr(language, "China's exports of {materials}", materials=_names(series, language))


def _command_word(info: SeriesInfo, language: Language) -> str:
    """The word that names a series in a command: in Chinese its first Chinese word (``镓``,
    ``稀土磁铁``); else its first one-word name (``gallium``, ``magnets``), else its key
    (``rare-earths``)."""
    chinese = chinese_word(info) if language == "zh" else None
    if chinese is not None:
        return chinese
    for word in info.words:
        if word.isascii() and " " not in word:
            return word.lower()
    return info.key.replace("_", "-").lower()


def subscribed(
    result: SubscribeResult, topic: bool, named: bool = False, language: Language = "en"
) -> str:
    """The reply to ``/subscribe``; ``named``: the command named materials."""
    if not result.changed:
        if not named or not result.already:
            if topic:
                return "✅ " + tr(
                    language, "This topic is already subscribed. /status shows the details."
                )
            return "✅ " + tr(
                language, "This chat is already subscribed. /status shows the details."
            )
        names = _names(result.already, language)
        if topic:
            return "✅ " + tr(
                language,
                "This topic is already subscribed to {materials}. /status shows the details.",
                materials=names,
            )
        return "✅ " + tr(
            language,
            "This chat is already subscribed to {materials}. /status shows the details.",
            materials=names,
        )
    welcomed = result.added or result.already
    several = len(welcomed) > 1
    without = set(result.no_month) | {info for info, _ in result.totals_only}
    what = _of(welcomed, language) if welcomed else ""
    if topic:
        first = tr(
            language,
            "Subscribed this topic to the monthly summary of {what}. A new month is pushed "
            "here as soon as it is in the data.",
            what=what,
        )
    else:
        first = tr(
            language,
            "Subscribed this chat to the monthly summary of {what}. A new month is pushed "
            "here as soon as it is in the data.",
            what=what,
        )
    said = ["✅ " + first]
    if several:
        said.append(tr(language, "Several released together come as one digest."))
    if result.has_data:
        if len([info for info in welcomed if info not in without]) > 1:
            said.append(tr(language, "The latest month of each is on its way."))
        else:
            said.append(tr(language, "The latest month's summary is on its way."))
    elif len(result.totals_only) < len(welcomed):
        said.append(tr(language, "There is no month in the data yet."))
    if result.no_month and result.has_data:
        names = _names(result.no_month, language)
        said.append(tr(language, "No month of {materials} is in the data yet.", materials=names))
    for info, span in result.totals_only:
        said.append(totals_only(info, span, language))
    if result.added and result.already:
        names = _names(result.already, language)
        said.append(tr(language, "It was subscribed to {materials} already.", materials=names))
    if result.kept:
        names = _names(result.kept, language)
        said.append(tr(language, "It still gets {materials} too.", materials=names))
    example = esc(_command_word(welcomed[-1], language))
    if not result.kept and not result.already and len(welcomed) == 1:
        said.append(tr(language, "/unsubscribe stops it."))
    elif len(welcomed) == 1:
        said.append(
            tr(
                language,
                "/unsubscribe {material} stops it; /unsubscribe alone stops everything.",
                material=example,
            )
        )
    else:
        said.append(
            tr(
                language,
                "/unsubscribe {material} stops one; /unsubscribe alone stops them all.",
                material=example,
            )
        )
    return sentences(said, language)


def totals_only(info: SeriesInfo, span: Period, language: Language = "en") -> str:
    """What ``/subscribe`` says of a series whose data has no month, only totals over
    longer periods (tungsten): no monthly summary comes for it; where its totals are."""
    return tr(
        language,
        "The data has no monthly figures of {material}, only totals over longer periods (the "
        "latest: {period}), so no monthly summary comes for it; a month is pushed here if one "
        "appears in the data. /exports {word} shows the latest total.",
        material=esc(info.name_zh if language == "zh" and info.name_zh else info.name),
        period=esc(period_label(span, language)),
        word=esc(_command_word(info, language)),
    )


def unsubscribed(removed: bool, topic: bool, language: Language = "en") -> str:
    """The reply to ``/unsubscribe`` without a material: every series stopped."""
    if removed:
        if topic:
            return "👋 " + tr(
                language, "Unsubscribed this topic. /subscribe brings the monthly summary back."
            )
        return "👋 " + tr(
            language, "Unsubscribed this chat. /subscribe brings the monthly summary back."
        )
    if topic:
        return tr(language, "This topic was not subscribed. /subscribe starts the monthly summary.")
    return tr(language, "This chat was not subscribed. /subscribe starts the monthly summary.")


def unsubscribed_series(
    removed: Sequence[SeriesInfo],
    left: Sequence[SeriesInfo],
    missing: Sequence[SeriesInfo],
    topic: bool,
    language: Language = "en",
) -> str:
    """The reply to ``/unsubscribe gallium``: what stopped, what it was not subscribed to,
    and what it still gets."""
    lines = []
    if removed:
        names = _names(removed, language)
        if topic:
            lines.append(
                "👋 " + tr(language, "Unsubscribed this topic from {materials}.", materials=names)
            )
        else:
            lines.append(
                "👋 " + tr(language, "Unsubscribed this chat from {materials}.", materials=names)
            )
    if missing:
        names = _names(missing, language)
        if removed:
            lines.append(tr(language, "It was not subscribed to {materials}.", materials=names))
        elif topic:
            lines.append(
                tr(language, "This topic was not subscribed to {materials}.", materials=names)
            )
        else:
            lines.append(
                tr(language, "This chat was not subscribed to {materials}.", materials=names)
            )
    if left:
        names = _names(left, language)
        lines.append(
            tr(
                language,
                "Still subscribed to {materials}. /unsubscribe stops everything.",
                materials=names,
            )
        )
    elif removed:
        lines.append(tr(language, "It gets no monthly summary now. /subscribe brings it back."))
    else:
        lines.append(tr(language, "/status shows what it gets."))
    return sentences(lines, language)


#: The words not understood named one by one in a reply; the others are counted.
NAMED_WORDS = 5


def not_understood(
    choice: MaterialChoice,
    materials: Sequence[SeriesInfo],
    verb: str,
    language: Language = "en",
) -> list[str]:
    """A ``/subscribe`` or ``/unsubscribe`` that named a word that is no material (or a
    reference series): the first few such words named (each once), a "did you mean" where
    one is likely, how many more there are; nothing done. Within Telegram's limit."""
    command = "/subscribe" if verb == "subscribed" else "/unsubscribe"
    unknown = list({u.word.casefold(): u for u in reversed(choice.unknown)}.values())[::-1]
    lines = []
    for word in unknown[:NAMED_WORDS]:
        line = "❓ " + tr(
            language, "“{word}” is not a material I know.", word=quote_input(word.word)
        )
        if word.suggestion is not None:
            guess = word.suggestion
            line += " " + tr(
                language,
                "Did you mean {material} ({command})?",
                material=esc(guess.name_zh if language == "zh" and guess.name_zh else guess.name),
                command=f"{command} {esc(_command_word(guess, language))}",
            )
        lines.append(line)
    more = len(unknown) - NAMED_WORDS
    if more > 0:
        lines.append(
            ntr(
                language,
                "… and {count} more word that is not a material.",
                "… and {count} more words that are not materials.",
                more,
                count=f"{more:,}",
            )
        )
    for info in choice.reference:
        lines.append(
            "ℹ️ "
            + tr(
                language,
                "{material} is a reference series to compare with, not a material to subscribe to.",
                material=esc(info.name),
            )
        )
    names = plain_names(materials, language)
    if verb == "subscribed":
        lines.append(
            tr(
                language,
                "Nothing was subscribed. The materials: {materials}; or “all” for every one.",
                materials=names,
            )
        )
    else:
        lines.append(
            tr(
                language,
                "Nothing was unsubscribed. The materials: {materials}; or “all” for every one.",
                materials=names,
            )
        )
    return fit(["\n".join(lines)])


def stats(info: Stats, language: Language = "en") -> str:
    subs = info.subscriptions
    outbox = info.outbox
    lines = [
        "📊 <b>" + tr(language, "Delivery") + "</b>",
        tr(
            language,
            "Subscriptions: {active} active, {paused} paused",
            active=subs.get("active", 0),
            paused=subs.get("paused", 0),
        ),
        tr(
            language,
            "Outbox: {depth} waiting, {sent} sent, {failed} failed, {dropped} dropped",
            depth=info.depth,
            sent=outbox.get("sent", 0),
            failed=outbox.get("failed", 0),
            dropped=outbox.get("dropped", 0),
        ),
    ]
    if info.held:
        lines.append(
            ntr(
                language,
                "Of those waiting, {n} is held for its chat's delivery hours (/settings).",
                "Of those waiting, {n} are held for their chats' delivery hours (/settings).",
                info.held,
            )
        )
    if info.failed:
        lines.append(tr(language, "<b>Failed messages</b> (latest):"))
        for m in info.failed:
            lines.append(
                "• "
                + tr(
                    language,
                    "#{id} chat {chat} {month} {kind}, {attempts} attempts: {error}",
                    id=m.id,
                    chat=m.chat_id,
                    month=esc(m.month),
                    kind=esc(m.kind),
                    attempts=m.attempts,
                    error=esc((m.last_error or "")[:200]),
                )
            )
    return "\n".join(lines)
