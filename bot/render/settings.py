"""Telegram HTML for ``/settings``: the chat's language, time zone, delivery hours and
materials, and the answers to changing them. The buttons are the handler's
(``handlers/settings_panel.py``); this only words them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.data.series import SeriesInfo
from bot.i18n import Language, ntr, tr
from bot.i18n.formats import day_label, listing, territory_name
from bot.reading.chat_time import CHINA_TIME, DeliveryHours, Zone, country_zones, zone_country
from bot.records import ChatChoices
from bot.render.format import esc, quote_input
from bot.render.subscriptions import plain_names


def city(zone: Zone, language: Language) -> str | None:
    """CLDR's city of a zone in ``language`` (Shanghai, 上海); in Chinese, the country of a
    one-zone country whose city CLDR names in Latin letters only (印度, not Kolkata); ``None``
    for UTC or an offset."""
    if zone.is_offset or "/" not in zone.name:
        return None
    from babel.dates import get_timezone, get_timezone_location

    locale = "en" if language == "en" else "zh_Hans_CN"
    try:
        name = get_timezone_location(get_timezone(zone.name), locale, return_city=True)
    except (LookupError, ValueError):
        return zone.name
    if language == "zh" and zone.name == CHINA_TIME:
        return "北京"  # China's one time is Beijing time, whatever CLDR's exemplar city
    if language == "zh" and not any("\u4e00" <= c <= "\u9fff" for c in name):
        code = zone_country(zone.name)
        if code is not None and len(country_zones()[code]) == 1:
            return territory_name(code, language) or name
    return name


def zone_label(zone: Zone, language: Language, now: datetime, short: bool = False) -> str:
    """``Shanghai time, UTC+8`` / ``上海时间 UTC+8`` (``short``, for a button: ``Shanghai
    UTC+8``), or the offset alone (``UTC+5:30``); escaped."""
    offset = zone.offset_label(now)
    name = city(zone, language)
    if name is None:
        return esc(offset)
    if short:
        return esc(f"{name} {offset}")
    return esc(f"{name} time, {offset}" if language == "en" else f"{name}时间 {offset}")


def hours_label(hours: DeliveryHours, language: Language) -> str:
    """``08:00–20:00`` or ``any time``."""
    return tr(language, "any time") if hours.always else hours.label()


def moment(at: datetime, zone: Zone, language: Language, now: datetime) -> str:
    """When a held message goes, on the chat's clock: ``08:00 (UTC+8) on 21 June 2026, in 7
    h`` / ``2026年6月21日 08:00（UTC+8），约 7 小时后``."""
    local = zone.local(at)
    hours = max(1, round((at - now).total_seconds() / 3600))
    offset = zone.offset_label(at)
    if language == "en":
        day = local.strftime("%d %B %Y").lstrip("0")
        return f"{local:%H:%M} ({offset}) on {day}, " + tr(language, "in about {n} h", n=hours)
    return f"{day_label(local.date(), language)} {local:%H:%M}（{offset}），" + tr(
        language, "in about {n} h", n=hours
    )


def panel(
    choices: ChatChoices,
    default_zone: Zone,
    followed: Sequence[SeriesInfo] | None,
    language: Language,
    group: bool,
    now: datetime,
) -> str:
    """The settings of a chat (``followed``: the materials of this chat's or topic's
    subscription; ``None``: it has none), and how to change them."""
    zone = choices.zone_or(default_zone)
    zone_line = zone_label(zone, language, now)
    if choices.zone is None:
        zone_line = tr(language, "{zone} (the bot's default)", zone=zone_line)
    hours = choices.delivery_hours
    hours_line = hours_label(hours, language)
    if not hours.always:
        hours_line = tr(
            language,
            "{hours} (a summary published outside these hours waits until {opening})",
            hours=hours_line,
            opening=hours.opening(),
        )
    if choices.language is None:
        language_line = tr(language, "not set (answers follow the question's language)")
    else:
        language_line = (
            tr(language, "Chinese") if choices.language == "zh" else tr(language, "English")
        )
    if followed is None:
        materials = tr(language, "not subscribed (/subscribe)")
    else:
        materials = plain_names(followed, language)
    lines = [
        "⚙️ <b>" + tr(language, "This chat's settings") + "</b>",
        "🌐 " + tr(language, "Language: {value}", value=language_line),
        "🕗 " + tr(language, "Time zone: {value}", value=zone_line),
        "⏰ " + tr(language, "Delivery hours: {value}", value=hours_line),
        "📦 " + tr(language, "Materials: {value}", value=materials),
        "",
        tr(language, "Administrators can change them below, or type:")
        if group
        else tr(language, "Change them below, or type:"),
        tr(
            language,
            "/settings timezone Tokyo · /settings timezone UTC+8 · /settings timezone default",
        ),
        tr(language, "/settings hours 8-20 · /settings hours any"),
    ]
    return "\n".join(lines)


def zone_set(zone: Zone, default: bool, moved: int, language: Language, now: datetime) -> str:
    """The answer to choosing a time zone (``default``: back to the bot's)."""
    if default:
        text = "✅ " + tr(
            language,
            "This chat's time zone is the bot's default again: {zone}. Local time there: {time}.",
            zone=zone_label(zone, language, now),
            time=f"{zone.local(now):%H:%M}",
        )
    else:
        text = "✅ " + tr(
            language,
            "This chat's time zone is now {zone}. Local time there: {time}.",
            zone=zone_label(zone, language, now),
            time=f"{zone.local(now):%H:%M}",
        )
    return text + _moved(moved, language)


def hours_set(
    hours: DeliveryHours, zone: Zone, moved: int, language: Language, now: datetime
) -> str:
    """The answer to choosing delivery hours."""
    if hours.always:
        text = "✅ " + tr(
            language, "The monthly summary now comes at any time, as soon as a month is published."
        )
    else:
        text = "✅ " + tr(
            language,
            "The monthly summary now comes only from {hours} ({zone}); one published outside "
            "these hours waits until {opening}.",
            hours=hours.label(),
            zone=zone_label(zone, language, now),
            opening=hours.opening(),
        )
    return text + _moved(moved, language)


def _moved(moved: int, language: Language) -> str:
    if not moved:
        return ""
    return "\n" + ntr(
        language,
        "{n} message waiting for this chat now goes at the new time.",
        "{n} messages waiting for this chat now go at the new time.",
        moved,
    )


def unknown_zone(word: str, candidates: Sequence[Zone], language: Language, now: datetime) -> str:
    """A time zone not understood, named back; a country with several, its choices."""
    typed = quote_input(word)
    if candidates:
        labels = [zone_label(z, language, now, short=True) for z in candidates]
        return tr(
            language,
            "“{word}” has several time zones: {choices}. Send /settings timezone with a city, "
            "e.g. /settings timezone {city}.",
            word=typed,
            choices=listing(labels, language),
            city=esc(city(candidates[-1], language) or ""),
        )
    return tr(
        language,
        "I don't know the time zone “{word}”. Send a city (Tokyo, 上海), a zone name "
        "(Asia/Shanghai) or an offset (UTC+8).",
        word=typed,
    )


def unknown_hours(word: str, language: Language) -> str:
    return tr(
        language,
        "I don't understand the hours “{word}”. Send them as from-to in the chat's local time, "
        "on the 24-hour clock, e.g. /settings hours 8-20 or /settings hours 22:00-06:00, or "
        "/settings hours any.",
        word=quote_input(word),
    )


def unknown_setting(word: str, language: Language) -> str:
    return tr(
        language,
        "There is no setting “{word}”. Send /settings alone for the buttons, or /settings "
        "timezone …, /settings hours …, /lang ….",
        word=quote_input(word),
    )


def refused(language: Language) -> str:
    return "🔒 " + tr(language, "Only this group's administrators can change its settings.")


def zones_prompt(language: Language) -> str:
    return "🕗 " + tr(
        language,
        "Choose this chat's time zone, or send /settings timezone with a city or offset "
        "(/settings timezone Tokyo, /settings timezone UTC+8).",
    )


def hours_prompt(language: Language) -> str:
    return "⏰ " + tr(
        language,
        "Choose when the monthly summary may arrive (the chat's local time), or send "
        "/settings hours from-to (/settings hours 9-18).",
    )


def materials_prompt(followed: Sequence[SeriesInfo], language: Language) -> str:
    names = plain_names(followed, language)
    return "📦 " + tr(
        language,
        "This subscription's materials: {materials}. Tap one to add or remove it.",
        materials=names,
    )


def expired(language: Language) -> str:
    return tr(language, "This button no longer works. Send /settings again.")


def last_material(language: Language) -> str:
    return tr(language, "That is the last material: /unsubscribe stops the subscription.")


def material_added(info: SeriesInfo, language: Language) -> str:
    """A button's note (plain text): a material added, its latest month on its way."""
    return tr(
        language, "Added: {material}. Its latest month comes now.", material=_named(info, language)
    )


def material_removed(info: SeriesInfo, language: Language) -> str:
    return tr(language, "Removed: {material}.", material=_named(info, language))


def _named(info: SeriesInfo, language: Language) -> str:
    return info.name_zh if language == "zh" and info.name_zh else info.name
