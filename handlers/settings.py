"""A chat's own settings: ``/lang``, the language the bot answers in there, and ``/settings``
(its time zone, delivery hours and materials too: ``handlers/settings_panel.py``).

``/lang zh`` (``/lang 中文``, ``/lang chinese``) or ``/lang en`` sets it and answers in the new
language; ``/lang`` alone says which it is and offers a button per language. A word that names
no language is named back, with the choices: nothing is guessed. In groups anyone may see the
language and only administrators change it (:func:`handlers.subscriptions.may_manage`, as for
``/subscribe``). The setting is the whole chat's (its forum topics too), kept in the database.
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

from bot.i18n import LANGUAGES, NATIVE_NAMES, Language, names_traditional, parse_language, tr
from bot.render.format import quote_input
from bot.services import BotContext
from handlers import settings_panel as panel
from handlers.language import chat_language, choose_language, reply_language_of
from handlers.reply import PrefixedButtons, arguments, send
from handlers.settings_panel import LANGUAGE_WORDS
from handlers.subscriptions import may_manage

#: The data of a settings button: ``set:lang:zh``. ``v1:``/``v2:`` are the answers' buttons
#: (``bot/reading/callbacks.py``); :class:`SettingsButtons` is registered before theirs and
#: takes every ``set:`` button, an unknown one (old or forged) with a polite note.
BUTTONS = re.compile(r"^set:")
_LANGUAGE_BUTTON = re.compile(r"^set:lang:([a-z]{2})$")


def language_button(language: Language) -> str:
    """The data of the button that sets ``language``."""
    return f"set:lang:{language}"


def name(language: Language, of: Language) -> str:
    """The name of language ``of`` in ``language``: English, Chinese; 英文, 中文."""
    return tr(language, "Chinese") if of == "zh" else tr(language, "English")


def _named(language: Language, of: Language) -> str:
    return f"<b>{name(language, of)}</b>"


def keyboard(chosen: Language | None) -> InlineKeyboardMarkup:
    """A button per language, each named in itself; the chat's own is ticked."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ("✓ " if language == chosen else "") + NATIVE_NAMES[language],
                    callback_data=language_button(language),
                )
                for language in LANGUAGES
            ]
        ]
    )


def current_text(language: Language, chosen: Language | None, group: bool) -> str:
    """``/lang`` alone: the chat's language (or that it has none, and what it gets instead),
    then how to change it."""
    if chosen is not None:
        first = tr(
            language, "🌐 This chat's language is {language}.", language=_named(language, chosen)
        )
    elif language == "zh":
        first = tr(
            language,
            "🌐 No language is set for this chat: I answer in Chinese, as your Telegram app is "
            "in Chinese.",
        )
    else:
        first = tr(
            language,
            "🌐 No language is set for this chat: I answer in English, and a question written in "
            "Chinese in Chinese.",
        )
    how = (
        tr(language, "Administrators can choose below, or send /lang en or /lang zh.")
        if group
        else tr(language, "Choose below, or send /lang en or /lang zh.")
    )
    return f"{first}\n{how}"


def set_text(language: Language) -> str:
    """The confirmation, in the language just set."""
    return tr(
        language,
        "✅ This chat's language is now {language}: I answer in it here, whatever language a "
        "question is written in.",
        language=_named(language, language),
    )


def already_text(language: Language, html: bool = True) -> str:
    """That the chat has ``language`` already: Telegram HTML, or plain for a button's note."""
    named = _named(language, language) if html else name(language, language)
    return tr(language, "This chat's language is already {language}.", language=named)


def unknown_text(language: Language, word: str) -> str:
    """A word that names no language, named back, with the choices."""
    return tr(
        language,
        "I don't know the language “{word}”. I answer in English (/lang en) or Chinese (/lang zh).",
        word=quote_input(word),
    )


def refused_text(language: Language) -> str:
    return tr(language, "🔒 Only this group's administrators can change its language.")


def expired_text(language: Language) -> str:
    return tr(language, "This button no longer works. Send /lang again.")


async def lang(update: Update, context: BotContext) -> None:
    """``/lang``, ``/lang zh``, ``/lang en``, ``/lang 中文``, ``/lang chinese``."""
    message = update.effective_message
    if message is not None:
        await answer_lang(update, context, arguments(message.text).strip())


async def answer_lang(update: Update, context: BotContext, word: str) -> None:
    """``/lang`` (or ``/settings lang``) followed by ``word``."""
    chat = update.effective_chat
    if chat is None:
        return
    current = await reply_language_of(update, context)
    if not word:
        chosen = await chat_language(context, chat.id)
        text = current_text(current, chosen, chat.type != Chat.PRIVATE)
        await send(update, [text], keyboard(chosen))
        return
    language = parse_language(word)
    if language is None:
        chosen = await chat_language(context, chat.id)
        await send(update, [unknown_text(current, word)], keyboard(chosen))
        return
    if not await may_manage(update, context):
        await send(update, [refused_text(current)])
        return
    reply = await _choose(context, chat.id, language)
    if names_traditional(word):
        reply += "\n" + tr(
            language,
            "I answer in Simplified Chinese; questions in Traditional characters are read.",
        )
    await send(update, [reply])


async def settings(update: Update, context: BotContext) -> None:
    """``/settings`` (the panel), ``/settings timezone …``, ``/settings hours …``,
    ``/settings lang …`` (as ``/lang``)."""
    message = update.effective_message
    if message is None:
        return
    word, rest = panel.split_setting(arguments(message.text))
    if word.lower() in LANGUAGE_WORDS:
        await answer_lang(update, context, rest)
        return
    await panel.settings(update, context, word, rest)


async def _choose(context: BotContext, chat_id: int, language: Language) -> str:
    """Set the chat's language (unless it is set to it already); the reply, in it."""
    changed = await choose_language(context, chat_id, language)
    return set_text(language) if changed else already_text(language)


class SettingsButtons(PrefixedButtons):
    """The presses of ``set:`` buttons (:class:`handlers.reply.PrefixedButtons`)."""

    def __init__(self) -> None:
        super().__init__(on_settings_button, BUTTONS)


async def on_settings_button(update: Update, context: BotContext) -> None:
    """A press on a ``set:`` button: the language buttons of ``/lang``, else the panel's."""
    query = update.callback_query
    if query is None:
        return
    current = await reply_language_of(update, context)
    under = query.message
    if not (query.data or "").startswith("set:lang:"):
        if isinstance(under, Message):
            await panel.on_panel_button(update, context, under, current)
        else:
            await query.answer(expired_text(current), show_alert=True)
        return
    found = _LANGUAGE_BUTTON.match(query.data or "")
    language = parse_language(found.group(1)) if found is not None else None
    if language is None or not isinstance(under, Message):
        await query.answer(expired_text(current), show_alert=True)
        return
    if not await may_manage(update, context):
        await query.answer(refused_text(current), show_alert=True)
        return
    if await chat_language(context, under.chat.id) == language:
        await query.answer(already_text(language, html=False))
        return
    text = await _choose(context, under.chat.id, language)
    await query.answer()
    await panel.show(context, query, under, text, keyboard(language))
