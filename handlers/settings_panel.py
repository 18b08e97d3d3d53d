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

import unicodedata

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest

from bot.data.series import SeriesInfo
from bot.i18n import Language, parse_language
from bot.push import subscriptions
from bot.push.schema import utcnow
from bot.reading.chat_time import DeliveryHours, Zone, parse_hours, parse_zone
from bot.reading.traditional import TRADITIONAL
from bot.render import settings as words
from bot.services import BotContext
from handlers import settings_keyboards as keys
from handlers.language import choose_language, reply_language_of
from handlers.reply import send
from handlers.subscriptions import may_manage, topic_of

ZONE_WORDS = ("timezone", "time-zone", "tz", "zone", "时区")
HOURS_WORDS = ("hours", "hour", "delivery", "时段", "推送时段", "送达时间", "推送时间")
LANGUAGE_WORDS = ("lang", "language", "语言")
#: What sets the time zone back to the bot's default.
DEFAULT_WORDS = ("default", "reset", "默认", "默认时区", "重置")


def split_setting(text: str) -> tuple[str, str]:
    """The setting's word and its value: ``timezone Tokyo``, ``时区 上海``, ``时区上海``,
    ``时区：上海`` (full-width forms and traditional characters read as the others)."""
    text = unicodedata.normalize("NFKC", text).translate(TRADITIONAL).strip()
    word, _, rest = text.partition(" ")
    for known in sorted(ZONE_WORDS + HOURS_WORDS + LANGUAGE_WORDS, key=len, reverse=True):
        if word.lower() != known and word.lower().startswith(known) and not known.isascii():
            word, rest = known, f"{word[len(known) :]} {rest}"
            break
    return word.rstrip(":"), rest.strip().lstrip(":").strip()


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
            keyboard = keys.zones_keyboard(choices, store.default_zone, language)
            await send(update, [words.zones_prompt(language)], keyboard)
        else:
            await send(
                update, [words.hours_prompt(language)], keys.hours_keyboard(choices, language)
            )
    elif key in ZONE_WORDS:
        await send(update, [await _type_zone(update, context, rest, language)])
    elif key in HOURS_WORDS:
        await send(update, [await _type_hours(update, context, rest, language)])
    else:
        await send(update, [words.unknown_setting(word, language)])


async def _type_zone(update: Update, context: BotContext, typed: str, language: Language) -> str:
    reading, now = parse_zone(typed), utcnow()
    default = typed.lower() in DEFAULT_WORDS
    if reading.zone is None and not default:
        return words.unknown_zone(typed, reading.candidates, language, now)
    if not await may_manage(update, context):
        return words.refused(language)
    chat = update.effective_chat
    assert chat is not None
    store = context.services.store
    moved = await store.set_chat_zone(chat.id, None if default else reading.zone)
    context.services.wake_delivery()  # what waited may be due now
    zone = reading.zone or store.default_zone
    return words.zone_set(zone, default, moved, language, now)


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
    return text, keys.main_keyboard(choices, language, followed is not None)


async def _followed(context: BotContext, chat_id: int, topic: int) -> list[SeriesInfo] | None:
    """The materials of the chat's (or topic's) subscription, ``None`` without one."""
    store = context.services.store
    if await store.subscription(chat_id, topic) is None:
        return None
    keys = set(await store.series_of(chat_id, topic))
    return [info for info in context.services.data.current.catalog.series if info.key in keys]


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
        await query.answer(keys.plain(words.refused(language)), show_alert=True)
        return
    choices = await store.chat_choices(chat_id)
    if what == "tz" and not value:
        keyboard = keys.zones_keyboard(choices, store.default_zone, language)
        await _view(context, query, under, words.zones_prompt(language), keyboard)
        return
    if what == "hours" and not value:
        await _view(
            context,
            query,
            under,
            words.hours_prompt(language),
            keys.hours_keyboard(choices, language),
        )
        return
    if what == "mat":
        followed = await _followed(context, chat_id, topic_of(under))
        done = None
        if followed is not None and value:
            refused, done = await _toggle(context, under, followed, value, language)
            if refused is not None:
                await query.answer(refused, show_alert=True)
                return
            followed = await _followed(context, chat_id, topic_of(under))
        if followed is not None:
            text = words.materials_prompt(followed, language)
            keyboard = keys.materials_keyboard(context, followed, language)
            await _view(context, query, under, text, keyboard, done)
            return
    note = await _change(context, chat_id, what, value)
    if note is _UNKNOWN:
        await query.answer(keys.plain(words.expired(language)), show_alert=True)
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
        zone = None if value == "-" else Zone(value) if value in keys.ZONES else None
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
) -> tuple[str | None, str | None]:
    """Add a material to the subscription (its latest month comes at once, as after
    ``/subscribe``), or take it off: why it cannot be, or a note of what was done."""
    services = context.services
    catalog = services.data.current.catalog
    if key not in catalog or catalog[key] not in catalog.materials:
        return keys.plain(words.expired(language)), None
    chat, topic, info = under.chat, topic_of(under), catalog[key]
    if key in {followed_info.key for followed_info in followed}:
        if len(followed) == 1:
            return words.last_material(language), None
        await services.store.remove_series(chat.id, topic, [key])
        return None, words.material_removed(info, language)
    lookup = services.lookup()
    await subscriptions.subscribe(services.store, lookup, chat.id, topic, chat.type, None, [info])
    await subscriptions.welcome(services.store, lookup, chat.id, topic, [key], services.lookup)
    services.wake_delivery()
    return None, words.material_added(info, language)


async def _view(
    context: BotContext,
    query: CallbackQuery,
    under: Message,
    text: str,
    keyboard: InlineKeyboardMarkup,
    note: str | None = None,
) -> None:
    await query.answer(note)
    await show(context, query, under, text, keyboard)


async def show(
    context: BotContext,
    query: CallbackQuery,
    under: Message,
    text: str,
    keyboard: InlineKeyboardMarkup | None,
) -> None:
    """Show ``text`` in the message under the button (``keyboard`` None: with no buttons);
    as a new message when it is too old to edit (or deleted)."""
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
