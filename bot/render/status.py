"""``/status``: a chat's subscription, and for each of its series the last summary received,
the latest month in the data and the next one, when expected and whether overdue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import partial

from bot.i18n import Language, ntr, tr
from bot.i18n.formats import day_label, period_label, sentences
from bot.reading.chat_time import UTC_ZONE, Zone
from bot.reading.periods import Period
from bot.records import SeriesStatus, Status, is_active
from bot.render.format import chinese_name, esc, fit
from bot.render.settings import moment, zone_label
from bot.render.subscriptions import overdue, plain_names


def _date(day: date, language: Language) -> str:
    """``20 June 2025`` / ``2025年6月20日``."""
    return day.strftime("%d %B %Y").lstrip("0") if language == "en" else day_label(day, language)


def _sent(moment: datetime | None, language: Language, zone: Zone = UTC_ZONE) -> str:
    """``20 Jun 2025 14:05 UTC`` / ``2025年6月20日 14:05 UTC``, on the chat's clock
    (``22:05 UTC+8``)."""
    if moment is None:
        return "?"
    local, offset = zone.local(moment), zone.offset_label(moment)
    if language == "en":
        return f"{local:%d %b %Y %H:%M} {offset}"
    return f"{day_label(local.date(), language)} {local:%H:%M} {offset}"


def _series_lines(line: SeriesStatus, language: Language, zone: Zone) -> list[str]:
    """A series' lines in ``/status``: last summary received, latest month, next month."""
    info = line.info
    if language == "zh" and info.name_zh:
        lines = [f"<b>{esc(info.name_zh)}</b>"]
    else:
        title = info.name[:1].upper() + info.name[1:]
        lines = [f"<b>{esc(title)}</b>{esc(chinese_name(title, info.name_zh))}"]
    label = partial(period_label, language=language)
    if line.last_summary is not None:
        sent = line.last_summary
        month = esc(label(Period.parse_code(sent.month)))
        lines.append(
            tr(
                language,
                "Last summary received: {month}, sent {when}.",
                month=month,
                when=_sent(sent.sent_at, language, zone),
            )
        )
    else:
        lines.append(tr(language, "No summary received yet."))
    if line.latest_month is None and line.latest_total is not None:
        lines.append(
            tr(
                language,
                "Only totals over longer periods in the data (the latest: {period}): no monthly "
                "summary comes for it; a month is pushed if one appears.",
                period=esc(label(line.latest_total)),
            )
        )
        return lines
    if line.latest_month is None or line.next_month is None or line.expected_on is None:
        lines.append(
            tr(language, "No month in the data yet: the first one is pushed when it comes.")
        )
        return lines
    latest = tr(
        language,
        "Latest month in the data: {latest}. Next: {next}, expected around {expected}.",
        latest=esc(label(line.latest_month)),
        next=esc(label(line.next_month)),
        expected=_date(line.expected_on, language),
    )
    if line.overdue:
        latest = sentences([latest, f"⚠️ {overdue(language)}"], language)
    lines.append(latest)
    return lines


def _timing(series: Sequence[SeriesStatus], language: Language) -> str:
    """When the series' months come out, said once for all of them."""
    days = sorted({s.info.release_day for s in series})
    if days == [20]:
        return tr(
            language,
            "China's customs publish these figures around the 20th of the following month.",
        )
    if days == [10]:
        return tr(
            language,
            "China's customs publish these totals around the 10th of the following month.",
        )
    early = plain_names([s.info for s in series if s.info.release_day == 10], language)
    return tr(
        language,
        "China's customs publish {materials} around the 10th of the following month (the first "
        "release), the others around the 20th (the country detail).",
        materials=early,
    )


def _clock_lines(info: Status, language: Language, now: datetime) -> list[str]:
    """The chat's delivery hours, if it chose some, and the message waiting for them."""
    hours = info.choices.delivery_hours
    lines = []
    if not hours.always:
        lines.append(
            "⏰ "
            + tr(
                language,
                "Delivery hours: {hours}, {zone} (/settings).",
                hours=hours.label(),
                zone=zone_label(info.zone, language, now),
            )
        )
    waiting = info.waiting
    if waiting is not None:
        what = waiting.info
        month = esc(period_label(Period.parse_code(waiting.month), language))
        when = moment(waiting.due, info.zone, language, now)
        if what is None:
            text = tr(
                language,
                "⏳ The {month} summary will come in this chat's delivery hours: {when}.",
                month=month,
                when=when,
            )
        else:
            text = tr(
                language,
                "⏳ The {month} {material} summary will come in this chat's delivery hours: "
                "{when}.",
                month=month,
                material=esc(what.name_zh if language == "zh" and what.name_zh else what.name),
                when=when,
            )
        lines.append(text)
    return lines


def status(
    info: Status, topic: bool, language: Language = "en", now: datetime | None = None
) -> list[str]:
    """``/status``: the subscription, the chat's delivery hours and what waits for them, and
    for each of its series the last summary received, the latest month in the data and the
    next one, when expected and whether overdue (``now``: naive UTC, the clock's by default)."""
    sub = info.subscription
    if sub is None:
        if topic:
            text = tr(
                language,
                "This topic is not subscribed. /subscribe to get each new month of rare-earth "
                "magnets; /subscribe gallium germanium for others, /subscribe all for every "
                "material.",
            )
        else:
            text = tr(
                language,
                "This chat is not subscribed. /subscribe to get each new month of rare-earth "
                "magnets; /subscribe gallium germanium for others, /subscribe all for every "
                "material.",
            )
        lines = ["📭 " + text]
    elif is_active(sub):
        since = (
            _date(sub.subscribed_at.date(), language)
            if language != "en"
            else sub.subscribed_at.strftime("%d %b %Y")
        )
        what = ntr(language, "{n} material", "{n} materials", len(info.series))
        if topic:
            text = tr(
                language,
                "This topic is subscribed to the monthly summary (since {since}): {what}.",
                since=since,
                what=what,
            )
        else:
            text = tr(
                language,
                "This chat is subscribed to the monthly summary (since {since}): {what}.",
                since=since,
                what=what,
            )
        lines = ["📬 " + text]
    else:
        reason = esc(sub.paused_reason) if sub.paused_reason else ""
        if topic and reason:
            text = tr(
                language,
                "This topic's subscription is paused ({reason}). /subscribe resumes it.",
                reason=reason,
            )
        elif topic:
            text = tr(language, "This topic's subscription is paused. /subscribe resumes it.")
        elif reason:
            text = tr(
                language,
                "This chat's subscription is paused ({reason}). /subscribe resumes it.",
                reason=reason,
            )
        else:
            text = tr(language, "This chat's subscription is paused. /subscribe resumes it.")
        lines = ["⏸ " + text]
    blocks = ["\n".join(lines)]
    clock = _clock_lines(info, language, now or datetime.now(UTC).replace(tzinfo=None))
    if clock:
        blocks.append("\n".join(clock))
    if sub is not None and info.series:
        blocks += ["\n".join(_series_lines(line, language, info.zone)) for line in info.series]
        blocks.append("<i>" + esc(_timing(info.series, language)) + "</i>")
        return fit(blocks)
    label = partial(period_label, language=language)
    if info.last_summary is not None:  # of rare-earth magnets, from before it unsubscribed
        sent = info.last_summary
        blocks.append(
            tr(
                language,
                "Last summary received: {month}, sent {when} (rare-earth magnets).",
                month=esc(label(Period.parse_code(sent.month))),
                when=_sent(sent.sent_at, language, info.zone),
            )
        )
    if info.latest_month is not None and info.next_month and info.expected_on:
        text = tr(
            language,
            "Rare-earth magnets: latest month in the data {latest}. Next: {next}, expected "
            "around {expected} (China's customs publish country detail around the 20th of the "
            "following month).",
            latest=esc(label(info.latest_month)),
            next=esc(label(info.next_month)),
            expected=_date(info.expected_on, language),
        )
        if info.overdue:
            text = sentences([text, overdue(language)], language)
        blocks.append(text)
    return fit(blocks)
