"""The buttons of ``/settings``: the panel's, and those of the time zone, the hours and the
materials (their data is read by ``handlers/settings_panel.py``)."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.data.series import SeriesInfo
from bot.i18n import LANGUAGES, NATIVE_NAMES, Language, tr
from bot.push.schema import utcnow
from bot.reading.chat_time import ALWAYS, DeliveryHours, Zone
from bot.records import ChatChoices
from bot.render import settings as words
from bot.services import BotContext

#: The zones offered as buttons (any other is typed): where the bot's readers mostly are.
ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)
#: The delivery hours offered as buttons.
HOURS = (
    DeliveryHours(8 * 60, 20 * 60),
    DeliveryHours(9 * 60, 18 * 60),
    DeliveryHours(7 * 60, 22 * 60),
)


def main_keyboard(
    choices: ChatChoices, language: Language, subscribed: bool
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if choices.language == option else "") + NATIVE_NAMES[option],
                callback_data=f"set:pl:{option}",
            )
            for option in LANGUAGES
        ],
        [
            InlineKeyboardButton("🕗 " + tr(language, "Time zone"), callback_data="set:tz"),
            InlineKeyboardButton("⏰ " + tr(language, "Delivery hours"), callback_data="set:hours"),
        ],
    ]
    if subscribed:
        rows.append(
            [InlineKeyboardButton("📦 " + tr(language, "Materials"), callback_data="set:mat")]
        )
    return InlineKeyboardMarkup(rows)


def back(language: Language) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("« " + tr(language, "Back"), callback_data="set:menu")]


def zones_keyboard(choices: ChatChoices, default: Zone, language: Language) -> InlineKeyboardMarkup:
    now = utcnow()
    buttons = [
        InlineKeyboardButton(
            ("✓ " if choices.zone == Zone(name) else "")
            + plain(words.zone_label(Zone(name), language, now, short=True)),
            callback_data=f"set:tz:{name}",
        )
        for name in ZONES
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    label = tr(
        language,
        "The bot's default: {zone}",
        zone=plain(words.zone_label(default, language, now, short=True)),
    )
    rows.append(
        [
            InlineKeyboardButton(
                ("✓ " if choices.zone is None else "") + label, callback_data="set:tz:-"
            )
        ]
    )
    return InlineKeyboardMarkup([*rows, back(language)])


def hours_keyboard(choices: ChatChoices, language: Language) -> InlineKeyboardMarkup:
    current = choices.delivery_hours
    options = (ALWAYS, *HOURS)
    buttons = [
        InlineKeyboardButton(
            ("✓ " if option == current else "") + words.hours_label(option, language),
            callback_data="set:hours:any"
            if option.always
            else f"set:hours:{option.start}-{option.end}",
        )
        for option in options
    ]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:], back(language)])


def materials_keyboard(
    context: BotContext, followed: list[SeriesInfo], language: Language
) -> InlineKeyboardMarkup:
    keys = {info.key for info in followed}
    catalog = context.services.data.current.catalog
    buttons = [
        InlineKeyboardButton(
            ("✓ " if info.key in keys else "")
            + (info.name_zh if language == "zh" and info.name_zh else info.name),
            callback_data=f"set:mat:{info.key}",
        )
        for info in catalog.materials
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup([*rows, back(language)])


def plain(html_text: str) -> str:
    """A label for a button (plain text): the escaped label unescaped."""
    return html.unescape(html_text)
