"""``/alert``, ``/alerts`` and ``/watch`` (issue 16): a chat's alerts and watchlists.

``/alert <rule>`` reads the rule (:func:`bot.alerts.read_alert`): an unclear one gets what
stops it and an example, a clear one is said back with Save and Cancel (``al:save:<key>``,
``al:no``). ``/alerts`` lists this chat's (or forum topic's) alerts, a delete button each
(``al:del:<id>``). ``/watch`` sets, shows or clears the partners watched. In groups anyone may
look and only administrators (:func:`handlers.subscriptions.may_manage`) change anything.
"""

from __future__ import annotations

import re

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from bot.alerts import AlertProblem, AlertRule, read_alert
from bot.alerts.describe import explain
from bot.alerts.reading import is_sound
from bot.alerts.watching import read_watch
from bot.i18n import Language
from bot.records import MAX_WATCHED, Alert, Saved
from bot.render import alerts as texts
from bot.services import BotContext
from handlers.language import reply_language_of
from handlers.reply import PrefixedButtons, arguments, send
from handlers.settings_panel import show
from handlers.subscriptions import may_manage, topic_of

#: The data of the alerts' buttons; :class:`AlertButtons` is registered before the answers'
#: buttons and takes every ``al:`` press, an unknown one (old or forged) with a polite note.
BUTTONS = re.compile(r"^al:")
SAVE, CANCEL, DELETE = "al:save:", "al:no", "al:del:"
#: Delete buttons in a row.
ROW = 5


def _group(chat: Chat) -> bool:
    return chat.type != Chat.PRIVATE


# -- /alert ------------------------------------------------------------------------------------


async def alert(update: Update, context: BotContext) -> None:
    """``/alert US mom < -25%``: the rule said back with Save and Cancel, or what is unclear."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    language = await reply_language_of(update, context)
    found = read_alert(arguments(message.text), context.services.data.current.catalog)
    if isinstance(found, AlertProblem):
        await send(update, [explain(found, language)])
        return
    if _group(chat) and not await may_manage(update, context):
        await send(update, [texts.confirm_refused(found, language)])
        return
    await send(update, [texts.confirm(found, language)], _confirm_keyboard(found, language))


def _confirm_keyboard(rule: AlertRule, language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.save_label(language), callback_data=SAVE + rule.key()),
                InlineKeyboardButton(texts.cancel_label(language), callback_data=CANCEL),
            ]
        ]
    )


# -- /alerts -----------------------------------------------------------------------------------


async def alerts(update: Update, context: BotContext) -> None:
    """``/alerts``: this chat's (or topic's) alerts, each with its delete button."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    language = await reply_language_of(update, context)
    text, keyboard = await _listing(context, message, language)
    await send(update, [text], keyboard)


async def _listing(
    context: BotContext, under: Message, language: Language, done: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The list of the chat's (or topic's) alerts and its delete buttons."""
    topic = topic_of(under)
    found = await context.services.store.alerts_of(under.chat.id, topic)
    text = texts.alert_list(found, language, topic != 0, _group(under.chat), done)
    return text, _delete_keyboard(found)


def _delete_keyboard(found: list[Alert]) -> InlineKeyboardMarkup | None:
    if not found:
        return None
    buttons = [
        InlineKeyboardButton(texts.delete_label(number), callback_data=f"{DELETE}{alert.id}")
        for number, alert in enumerate(found, 1)
    ]
    return InlineKeyboardMarkup([buttons[i : i + ROW] for i in range(0, len(buttons), ROW)])


# -- the buttons -------------------------------------------------------------------------------


class AlertButtons(PrefixedButtons):
    """The presses of ``al:`` buttons (:class:`handlers.reply.PrefixedButtons`)."""

    def __init__(self) -> None:
        super().__init__(on_alert_button, BUTTONS)


async def on_alert_button(update: Update, context: BotContext) -> None:
    """Save, Cancel or a delete button; only administrators in groups."""
    query = update.callback_query
    if query is None:
        return
    language = await reply_language_of(update, context)
    data, under = query.data or "", query.message
    if not isinstance(under, Message) or not (data == CANCEL or data.startswith((SAVE, DELETE))):
        await query.answer(texts.expired(language), show_alert=True)
        return
    if not await may_manage(update, context):
        await query.answer(texts.refused(language), show_alert=True)
        return
    if data == CANCEL:
        await query.answer()
        await show(context, query, under, texts.cancelled(language), None)
    elif data.startswith(SAVE):
        await _save(update, context, under, data.removeprefix(SAVE), language)
    else:
        await _delete(update, context, under, data.removeprefix(DELETE), language)


async def _save(
    update: Update, context: BotContext, under: Message, key: str, language: Language
) -> None:
    query = update.callback_query
    assert query is not None
    try:
        rule = AlertRule.from_key(key)
    except ValueError:
        await query.answer(texts.expired(language), show_alert=True)
        return
    if not is_sound(rule, context.services.data.current.catalog):  # old or forged
        await query.answer(texts.expired(language), show_alert=True)
        return
    store, user = context.services.store, query.from_user
    result, _ = await store.add_alert(under.chat.id, topic_of(under), rule, user.id)
    await store.note_subscribed_language(under.chat.id, language)  # what it fires in
    if result is Saved.ADDED:
        text = texts.saved(rule, language)
    elif result is Saved.ALREADY:
        text = texts.already(rule, language)
    else:
        text = texts.full(language)
    await query.answer()
    await show(context, query, under, text, None)


async def _delete(
    update: Update, context: BotContext, under: Message, number: str, language: Language
) -> None:
    query = update.callback_query
    assert query is not None
    if not number.isdigit() or len(number) > 18:
        await query.answer(texts.expired(language), show_alert=True)
        return
    gone = await context.services.store.delete_alert(under.chat.id, int(number))
    done = texts.deleted(gone.rule, language) if gone is not None else None
    await query.answer(None if gone is not None else texts.gone(language))
    text, keyboard = await _listing(context, under, language, done)
    await show(context, query, under, text, keyboard)


# -- /watch ------------------------------------------------------------------------------------


async def watch(update: Update, context: BotContext) -> None:
    """``/watch DE JP KR``, ``/watch 镓 DE JP``, ``/watch`` (shows), ``/watch off``."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    language = await reply_language_of(update, context)
    reading = read_watch(arguments(message.text), context.services.data.current.catalog)
    store, topic = context.services.store, topic_of(message)
    if not reading.clear:
        await send(update, [texts.watch_problem(reading, language)])
        return
    if reading.shows:
        lists = await store.watchlists_of(chat.id, topic)
        if reading.material_named:
            lists = [w for w in lists if w.series == reading.series]
        await send(update, [texts.watching(lists, language, topic != 0)])
        return
    if len(reading.partners) > MAX_WATCHED:
        await send(update, [texts.watch_problem(reading, language, len(reading.partners))])
        return
    if not await may_manage(update, context):
        await send(update, [texts.watch_refused(language)])
        return
    if reading.off:
        if reading.material_named:
            had = any(w.series == reading.series for w in await store.watchlists_of(chat.id, topic))
            await store.set_watchlist(chat.id, topic, reading.series, [])
            reply = texts.watch_cleared(reading.series, int(had), language)
        else:
            reply = texts.watch_cleared(
                None, await store.clear_watchlists(chat.id, topic), language
            )
        await send(update, [reply])
        return
    await store.set_watchlist(chat.id, topic, reading.series, reading.partners)
    await store.note_subscribed_language(chat.id, language)  # what its lines come in
    await send(update, [texts.watch_set(reading.series, reading.partners, language)])
