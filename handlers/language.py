"""The language of a reply to any update (the rules are :func:`bot.i18n.choice.reply_language`).

In order: the language the chat chose with ``/lang`` (kept a minute in this process by
:class:`bot.push.languages.Languages`); for a button, the language of the message it is
under (a button under a Chinese answer answers in Chinese); a text written in Chinese; in a
private chat, the user's Telegram language; else English. Inline mode is the user's own (no
chat to choose for it): the query's words, then the user's Telegram language.
"""

from __future__ import annotations

from telegram import Chat, Message, Update

from bot.i18n import Language
from bot.i18n.choice import reply_language, written_in_chinese
from bot.services import BotContext

#: How much of the message under a button tells its language: its title (the whole answer
#: is in one language, and a long one would take a while to count through).
TITLE = 200


async def chat_language(context: BotContext, chat_id: int) -> Language | None:
    """The language the chat chose with ``/lang``, if any."""
    services = context.services
    return await services.languages.of(services.store, chat_id)


async def reply_language_of(update: Update, context: BotContext) -> Language:
    """The language to answer ``update`` in (see the module docstring)."""
    inline = update.inline_query
    if inline is not None:
        return reply_language(None, inline.query, inline.from_user.language_code, private=True)
    chat, user = update.effective_chat, update.effective_user
    if chat is not None:
        chosen = await chat_language(context, chat.id)
        if chosen is not None:
            return chosen
    code = user.language_code if user is not None else None
    press = update.callback_query
    if press is not None:
        under = press.message
        if isinstance(under, Message) and (text := under.text or under.caption):
            return "zh" if written_in_chinese(text[:TITLE]) else "en"
        # under a message posted through inline mode: unread, so the user's own language
        return reply_language(None, "", code, private=chat is None or chat.type == Chat.PRIVATE)
    message = update.effective_message
    text = (message.text or message.caption or "") if message is not None else ""
    return reply_language(None, text, code, private=chat is not None and chat.type == Chat.PRIVATE)


async def choose_language(context: BotContext, chat_id: int, language: Language) -> bool:
    """Keep ``language`` as the chat's (in the database and in this process at once);
    ``False`` when it was the chat's already."""
    if await chat_language(context, chat_id) == language:
        return False
    services = context.services
    await services.store.set_chat_language(chat_id, language)
    services.languages.keep(chat_id, language)
    return True
