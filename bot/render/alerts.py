"""The replies of ``/alert``, ``/alerts`` and ``/watch`` (issue 16), in English and Chinese.

Telegram HTML, every dynamic value escaped; a rule is said by :func:`bot.alerts.describe.describe`
(escaped there). Buttons' labels and a press's note are plain text. No Telegram, no database.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.alerts import AlertRule
from bot.alerts.describe import describe
from bot.alerts.watching import Unread, WatchReading
from bot.i18n import Language, tr
from bot.i18n.formats import listing, partner_name
from bot.reading.partners import partner
from bot.records import MAX_ALERTS, MAX_WATCHED, Alert, Watchlist
from bot.render.format import esc, quote_input
from bot.series_choice import material_name

#: Rules to copy, as ``/alerts`` offers them when a chat has none (the issue's own), in each
#: language (the reader takes both).
EXAMPLES: dict[Language, tuple[str, ...]] = {
    "en": (
        "/alert US mom &lt; -25%",
        "/alert DE share &gt; 30%",
        "/alert gallium WORLD yoy &lt; -50%",
        "/alert JP below 200 t",
        "/alert US record",
        "/alert 美国 环比 &lt; -25%",
    ),
    "zh": (
        "/alert 美国 环比 &lt; -25%",
        "/alert 德国 占比 &gt; 30%",
        "/alert 镓 总量 同比 &lt; -50%",
        "/alert 日本 低于 200 吨",
        "/alert 美国 创纪录",
        "/alert US mom &lt; -25%",
    ),
}


# -- /alert ------------------------------------------------------------------------------------


def confirm(rule: AlertRule, language: Language) -> str:
    """The rule said back before it is saved."""
    return tr(language, "🔔 Set this alert?\n{rule}", rule=describe(rule, language))


def refused(language: Language) -> str:
    return tr(language, "🔒 Only this group's administrators can set or delete its alerts.")


def confirm_refused(rule: AlertRule, language: Language) -> str:
    """A member's ``/alert`` in a group: the rule as read, and that only admins set one."""
    return tr(
        language,
        "🔔 I read this alert as:\n{rule}\n🔒 Only this group's administrators can set it.",
        rule=describe(rule, language),
    )


def save_label(language: Language) -> str:
    return tr(language, "✅ Save")


def cancel_label(language: Language) -> str:
    return tr(language, "✖️ Cancel")


def saved(rule: AlertRule, language: Language) -> str:
    return tr(
        language,
        "✅ Alert saved: {rule}\nI will tell this chat when a month's figures meet it. "
        "/alerts lists them.",
        rule=describe(rule, language),
    )


def already(rule: AlertRule, language: Language) -> str:
    return tr(
        language,
        "This alert is set already: {rule}\n/alerts lists them.",
        rule=describe(rule, language),
    )


def full(language: Language) -> str:
    return tr(
        language,
        "Not saved: this chat has {count} alerts, the most it may have. Delete one with "
        "/alerts first.",
        count=MAX_ALERTS,
    )


def cancelled(language: Language) -> str:
    return tr(language, "✖️ Not saved.")


def expired(language: Language) -> str:
    """A press on an old or forged button (plain: a note)."""
    return tr(language, "This button no longer works. Send /alert or /alerts again.")


# -- /alerts -----------------------------------------------------------------------------------


def alert_list(
    alerts: Sequence[Alert],
    language: Language,
    topic: bool,
    group: bool,
    done: str | None = None,
) -> str:
    """A chat's (or topic's) alerts, numbered as their delete buttons are; ``done``: a line
    first that says what a press did (HTML)."""
    lines = [done] if done else []
    if not alerts:
        lines += [none_set(language, topic)]
        return "\n".join(lines)
    if topic:
        head = tr(
            language,
            "🔔 This topic's alerts: {count} (this chat may have {most} in all)",
            count=len(alerts),
            most=MAX_ALERTS,
        )
    else:
        head = tr(
            language,
            "🔔 This chat's alerts: {count} (at most {most})",
            count=len(alerts),
            most=MAX_ALERTS,
        )
    lines.append(f"<b>{head}</b>")
    for number, alert in enumerate(alerts, 1):
        line = f"{number}. {describe(alert.rule, language)}"
        if alert.paused:
            line += " " + tr(language, "(⏸ paused while the bot could not write here)")
        lines.append(line)
    how = (
        tr(language, "Administrators delete one with its button. Another: /alert DE share > 30%")
        if group
        else tr(language, "Delete one with its button. Another: /alert DE share > 30%")
    )
    lines += ["", esc(how)]
    return "\n".join(lines)


def none_set(language: Language, topic: bool) -> str:
    """No alerts: how to set one, with rules to copy."""
    first = (
        tr(language, "🔕 This topic has no alerts.")
        if topic
        else tr(language, "🔕 This chat has no alerts.")
    )
    how = tr(
        language,
        "Set one in plain words, in English or Chinese: a material (magnets unless named), a "
        "partner or China's total, a figure (tonnes, m/m, y/y, share, rank, year to date), a "
        "comparison and a threshold. For example:",
    )
    return "\n".join([first, how, *EXAMPLES[language]])


def delete_label(number: int) -> str:
    return f"🗑 {number}"


def deleted(rule: AlertRule, language: Language) -> str:
    return tr(language, "🗑 Deleted: {rule}", rule=describe(rule, language))


def gone(language: Language) -> str:
    """A delete button of an alert deleted already (plain: a note)."""
    return tr(language, "This alert was deleted already.")


# -- /watch ------------------------------------------------------------------------------------


def _partners(codes: Sequence[str], language: Language) -> str:
    return listing((esc(partner_name(partner(code), language)) for code in codes), language)


def _material(series: str, language: Language) -> str:
    return esc(material_name(series, language))


def watching(lists: Sequence[Watchlist], language: Language, topic: bool) -> str:
    """``/watch`` alone: the watchlists of this chat or topic, or how to make one."""
    if not lists:
        first = (
            tr(language, "👀 This topic watches no partners.")
            if topic
            else tr(language, "👀 This chat watches no partners.")
        )
        return "\n".join([first, how_to_watch(language)])
    head = (
        tr(language, "👀 This topic watches:") if topic else tr(language, "👀 This chat watches:")
    )
    lines = [head]
    lines += [
        tr(
            language,
            "{material}: {partners}",
            material=_material(w.series, language),
            partners=_partners(w.partners, language),
        )
        for w in lists
    ]
    lines.append(
        tr(
            language,
            "After each new month, one short message with just these partners' lines (exports, "
            "changes, share). /watch off clears it.",
        )
    )
    return "\n".join(lines)


def how_to_watch(language: Language) -> str:
    return tr(
        language,
        "Send /watch DE JP KR (names work too: /watch 德国 日本 韩国; a material first for "
        "a material other than magnets: /watch 镓 DE JP) to get just their lines after each "
        "new month.",
    )


def watch_set(series: str, codes: Sequence[str], language: Language) -> str:
    return tr(
        language,
        "✅ Watching, in {material}: {partners}.\nAfter each new month, one short message "
        "with just their lines (exports, changes, share). /watch off clears it.",
        material=_material(series, language),
        partners=_partners(codes, language),
    )


def watch_cleared(series: str | None, count: int, language: Language) -> str:
    """``/watch off`` (``series``: only that material's, ``/watch 镓 off``)."""
    if count == 0:
        return tr(language, "There was no watchlist to clear.")
    if series is not None:
        return tr(
            language,
            "✅ The watchlist of {material} is cleared.",
            material=_material(series, language),
        )
    return tr(language, "✅ The watchlist is cleared.")


def watch_refused(language: Language) -> str:
    return tr(language, "🔒 Only this group's administrators can change its watchlist.")


def watch_problem(reading: WatchReading, language: Language, count: int = 0) -> str:
    """Why ``/watch`` saved nothing: every word not read, named, with its likely meaning;
    several materials; a reference series; too many partners (``count``)."""
    if reading.materials:
        named = listing((_material(key, language) for key in reading.materials), language)
        return tr(
            language,
            "A watchlist is for one material: {materials} are several. For example: "
            "/watch {word} DE JP",
            materials=named,
            word=esc(reading.materials[0].replace("_", "-")),
        )
    if reading.reference is not None:
        return tr(
            language,
            "Watchlists follow China's own figures; “{word}” is a reference series.",
            word=quote_input(reading.reference),
        )
    if reading.unread:
        said = listing((_unread(u, language) for u in reading.unread), language)
        return tr(
            language,
            "I did not recognise {words} as a partner, so nothing was saved. For example: "
            "/watch DE JP KR",
            words=said,
        )
    return tr(
        language,
        "A watchlist holds at most {most} partners; {count} were named, so nothing was saved.",
        most=MAX_WATCHED,
        count=count,
    )


def _unread(unread: Unread, language: Language) -> str:
    word = f"“{quote_input(unread.word)}”"
    if unread.material is not None:
        return tr(
            language,
            "{word} (did you mean {material}?)",
            word=word,
            material=_material(unread.material, language),
        )
    if not unread.maybe:
        return word
    named = listing(
        (
            tr(
                language,
                "{country} ({code})",
                country=esc(partner_name(partner(c), language)),
                code=c,
            )
            for c in unread.maybe
        ),
        language,
    )
    if unread.ambiguous:
        return tr(language, "{word} (several countries: {names})", word=word, names=named)
    return tr(language, "{word} (did you mean {names}?)", word=word, names=named)
