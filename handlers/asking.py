"""Answering a question (a command's arguments or a plain message) and remembering it.

In a private chat the last question is kept in ``chat_data`` so that a follow-up ("what
about Japan?", 那日本呢?) can reuse its partner, period and material.
"""

from __future__ import annotations

from telegram import Update

from bot.conversation import SINGLE_ANSWERS, ChartRequest, Reply
from bot.lookup import Lookup
from bot.render.conversation import reply
from bot.services import BotContext
from handlers.buttons import keyboard
from handlers.charts import send_chart
from handlers.language import reply_language_of
from handlers.memory import LAST_QUESTION, remember, remembered
from handlers.reply import send

__all__ = ["LAST_QUESTION", "remembered", "respond"]


async def respond(
    update: Update, context: BotContext, answer: Reply, lookup: Lookup, buttons: bool = True
) -> None:
    """Send the reply (or draw the chart it asks for) and remember the question; ``lookup``
    is the series' the answer is about, for its buttons (none for a reference series)."""
    chat = update.effective_chat
    message = update.effective_message
    language = await reply_language_of(update, context)
    remember(update, context, answer.asked)
    found = answer.answer
    if isinstance(found, ChartRequest) and chat is not None:
        thread = message.message_thread_id if message and message.is_topic_message else None
        messages = reply(answer, language)
        if messages:
            await send(update, messages)
        await send_chart(context, chat.id, found.command, thread, found.series, language)
        return
    markup = None
    with_buttons = buttons and not lookup.info.reference and answer.intent == "exports"
    if with_buttons and isinstance(found, SINGLE_ANSWERS):
        markup = keyboard(found, lookup, language)
    await send(update, reply(answer, language), markup)
