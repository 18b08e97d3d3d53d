"""``/settings``: a chat's language, time zone, delivery hours and materials, with buttons.

``/settings`` alone shows them with buttons; ``/settings timezone Tokyo`` and ``/settings
hours 8-20`` (``时区``, ``时段``) set one by typing; ``/settings lang zh`` is ``/lang zh``. A
word not understood is named back with what would be, and nothing changes. In groups anyone
may look and only administrators change anything. The buttons' data (``set:…``, at most 64
bytes) is read by :func:`on_panel_button`:

- ``set:menu``: the panel; ``set:pl:zh``: the language, from the panel;
- ``set:tz`` the zones to choose from, ``set:tz:Asia/Tokyo`` one of them, ``set:tz:-`` the
  bot's default;
- ``set:hours`` the hours to choose from, ``set:hours:480-1200`` (minutes), ``set:hours:any``;
- ``set:mat`` the materials, ``set:mat:gallium`` adds or removes one.
"""

from __future__ import annotations

import html

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest

from bot.data.series import SeriesInfo
from bot.i18n import LANGUAGES, NATIVE_NAMES, Language, parse_language, tr
from bot.push import subscriptions
from bot.push.schema import utcnow
from bot.reading.chat_time import ALWAYS, DeliveryHours, Zone, parse_hours, parse_zone
from bot.records import ChatChoices
from bot.render import settings as words
from bot.services import BotContext
from handlers.language import choose_language, reply_language_of
from handlers.reply import send
from handlers.subscriptions import may_manage, topic_of

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
ZONE_WORDS = ("timezone", "time-zone", "tz", "zone", "时区", "時區")
HOURS_WORDS = ("hours", "hour", "delivery", "时段", "時段", "送达时间", "推送时间", "时间")
LANGUAGE_WORDS = ("lang", "language", "语言", "語言")


async def settings(update: Update, context: BotContext, word: str, rest: str) -> None:
    """``/settings`` (``word`` empty: the panel), ``/settings timezone <city|offset>``,
    ``/settings hours <from-to>``; ``/settings lang`` is ``handlers/settings.py``'s."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    language = await reply_language_of(update, context)
    key = word.lower()
    if not word:
        text, keyboard = await _panel(context, chat, topic_of(message), language)
        await send(update, [text], keyboard)
    elif key in ZONE_WORDS + HOURS_WORDS and not rest:  # the choices, as the panel's buttons
        store = context.services.store
        choices = await store.chat_choices(chat.id)
        if key in ZONE_WORDS:
            keyboard = _zones_keyboard(choices, store.default_zone, language)
            await send(update, [words.zones_prompt(language)], keyboard)
        else:
            await send(update, [words.hours_prompt(language)], _hours_keyboard(choices, language))
    elif key in ZONE_WORDS:
        await send(update, [await _type_zone(update, context, rest, language)])
    elif key in HOURS_WORDS:
        await send(update, [await _type_hours(update, context, rest, language)])
    else:
        await send(update, [words.unknown_setting(word, language)])


async def _type_zone(update: Update, context: BotContext, typed: str, language: Language) -> str:
    reading, now = parse_zone(typed), utcnow()
    if reading.zone is None:
        return words.unknown_zone(typed, reading.candidates, language, now)
    if not await may_manage(update, context):
        return words.refused(language)
    chat = update.effective_chat
    assert chat is not None
    moved = await context.services.store.set_chat_zone(chat.id, reading.zone)
    context.services.wake_delivery()  # what waited may be due now
    return words.zone_set(reading.zone, moved, language, now)


async def _type_hours(update: Update, context: BotContext, typed: str, language: Language) -> str:
    hours = parse_hours(typed)
    if hours is None:
        return words.unknown_hours(typed, language)
    if not await may_manage(update, context):
        return words.refused(language)
    chat = update.effective_chat
    assert chat is not None
    return await _set_hours(context, chat.id, hours, language)


async def _set_hours(
    context: BotContext, chat_id: int, hours: DeliveryHours, language: Language
) -> str:
    store = context.services.store
    moved = await store.set_chat_hours(chat_id, hours)
    context.services.wake_delivery()  # what waited may be due now
    zone = (await store.chat_choices(chat_id)).zone_or(store.default_zone)
    return words.hours_set(hours, zone, moved, language, utcnow())


async def _panel(
    context: BotContext, chat: Chat, topic: int, language: Language
) -> tuple[str, InlineKeyboardMarkup]:
    """The panel's text and buttons for a chat (and its topic's subscription)."""
    store = context.services.store
    choices = await store.chat_choices(chat.id)
    followed = await _followed(context, chat.id, topic)
    text = words.panel(
        choices, store.default_zone, followed, language, chat.type != Chat.PRIVATE, utcnow()
    )
    return text, _main_keyboard(choices, language, followed is not None)


async def _followed(context: BotContext, chat_id: int, topic: int) -> list[SeriesInfo] | None:
    """The materials of the chat's (or topic's) subscription, ``None`` without one."""
    store = context.services.store
    if await store.subscription(chat_id, topic) is None:
        return None
    keys = set(await store.series_of(chat_id, topic))
    return [info for info in context.services.data.current.catalog.series if info.key in keys]


def _main_keyboard(
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


def _back(language: Language) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("« " + tr(language, "Back"), callback_data="set:menu")]


def _zones_keyboard(
    choices: ChatChoices, default: Zone, language: Language
) -> InlineKeyboardMarkup:
    now = utcnow()
    buttons = [
        InlineKeyboardButton(
            ("✓ " if choices.zone == Zone(name) else "")
            + _plain(words.zone_label(Zone(name), language, now, short=True)),
            callback_data=f"set:tz:{name}",
        )
        for name in ZONES
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    label = tr(
        language,
        "The bot's default: {zone}",
        zone=_plain(words.zone_label(default, language, now, short=True)),
    )
    rows.append(
        [
            InlineKeyboardButton(
                ("✓ " if choices.zone is None else "") + label, callback_data="set:tz:-"
            )
        ]
    )
    return InlineKeyboardMarkup([*rows, _back(language)])


def _hours_keyboard(choices: ChatChoices, language: Language) -> InlineKeyboardMarkup:
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
    return InlineKeyboardMarkup([buttons[:2], buttons[2:], _back(language)])


def _materials_keyboard(
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
    return InlineKeyboardMarkup([*rows, _back(language)])


def _plain(html_text: str) -> str:
    """A label for a button (plain text): the escaped label unescaped."""
    return html.unescape(html_text)


async def on_panel_button(
    update: Update, context: BotContext, under: Message, language: Language
) -> None:
    """A press on a panel's button (see the module docstring): a view, or a change (only an
    administrator's, in groups) shown on the panel, with a short note."""
    query = update.callback_query
    assert query is not None
    _, what, value = ((query.data or "") + "::").split(":", 3)[:3]
    store, chat_id = context.services.store, under.chat.id
    if value and not await may_manage(update, context):
        await query.answer(_plain(words.refused(language)), show_alert=True)
        return
    choices = await store.chat_choices(chat_id)
    if what == "tz" and not value:
        keyboard = _zones_keyboard(choices, store.default_zone, language)
        await _view(context, query, under, words.zones_prompt(language), keyboard)
        return
    if what == "hours" and not value:
        await _view(
            context, query, under, words.hours_prompt(language), _hours_keyboard(choices, language)
        )
        return
    if what == "mat":
        followed = await _followed(context, chat_id, topic_of(under))
        if followed is not None and value:
            note = await _toggle(context, under, followed, value, language)
            if note is not None:
                await query.answer(note, show_alert=True)
                return
            followed = await _followed(context, chat_id, topic_of(under))
        if followed is not None:
            text = words.materials_prompt(followed, language)
            await _view(
                context, query, under, text, _materials_keyboard(context, followed, language)
            )
            return
    note = await _change(context, chat_id, what, value)
    if note is _UNKNOWN:
        await query.answer(_plain(words.expired(language)), show_alert=True)
        return
    if what == "pl" and value:
        language = parse_language(value) or language
    chat = under.chat
    text, keyboard = await _panel(context, chat, topic_of(under), language)
    await _view(context, query, under, text, keyboard)


_UNKNOWN = "unknown"


async def _change(context: BotContext, chat_id: int, what: str, value: str) -> str | None:
    """Make the change a button asks for; :data:`_UNKNOWN` for data no button has."""
    store = context.services.store
    if what == "menu" and not value:
        return None
    if what == "pl" and (language := parse_language(value)) is not None and len(value) == 2:
        await choose_language(context, chat_id, language)
        return None
    if what == "tz" and value:
        zone = None if value == "-" else parse_zone(value).zone
        if value != "-" and (zone is None or zone.name != value):
            return _UNKNOWN
        await store.set_chat_zone(chat_id, zone)
        context.services.wake_delivery()
        return None
    if what == "hours" and value:
        hours = parse_hours("any" if value == "any" else _from_minutes(value))
        if hours is None:
            return _UNKNOWN
        await store.set_chat_hours(chat_id, hours)
        context.services.wake_delivery()
        return None
    return _UNKNOWN


def _from_minutes(value: str) -> str:
    """``480-1200`` → ``08:00-20:00`` (what a button's data holds, as typed hours)."""
    start, _, end = value.partition("-")
    if not (start.isdigit() and end.isdigit()):
        return value
    return f"{int(start) // 60}:{int(start) % 60:02d}-{int(end) // 60}:{int(end) % 60:02d}"


async def _toggle(
    context: BotContext, under: Message, followed: list[SeriesInfo], key: str, language: Language
) -> str | None:
    """Add a material to the subscription, or take it off; a note when it cannot be."""
    services = context.services
    catalog = services.data.current.catalog
    if key not in catalog or catalog[key] not in catalog.materials:
        return _plain(words.expired(language))
    chat, topic = under.chat, topic_of(under)
    if key in {info.key for info in followed}:
        if len(followed) == 1:
            return words.last_material(language)
        await services.store.remove_series(chat.id, topic, [key])
        return None
    lookup = services.lookup()
    await subscriptions.subscribe(
        services.store, lookup, chat.id, topic, chat.type, None, [catalog[key]]
    )
    await subscriptions.welcome(services.store, lookup, chat.id, topic, [key], services.lookup)
    services.wake_delivery()
    return None


async def _view(
    context: BotContext,
    query: CallbackQuery,
    under: Message,
    text: str,
    keyboard: InlineKeyboardMarkup,
) -> None:
    await query.answer()
    await show(context, query, under, text, keyboard)


async def show(
    context: BotContext,
    query: CallbackQuery,
    under: Message,
    text: str,
    keyboard: InlineKeyboardMarkup,
) -> None:
    """Show ``text`` in the message under the button; as a new message when it is too old to
    edit (or deleted)."""
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        reason = str(error).lower()
        if "not modified" in reason:
            return
        if not ("can't be edited" in reason or "not found" in reason):
            raise
        thread = under.message_thread_id if under.is_topic_message else None
        await context.bot.send_message(
            under.chat.id, text, reply_markup=keyboard, message_thread_id=thread
        )
