"""The last question asked in a private chat, kept in ``chat_data`` so that a follow-up
("what about Japan?", 那日本呢?) can reuse its partner, period and material, whichever
command or message asked it (``/exports``, ``/exports all``, ``/chart``, ``/top``,
``/sources`` or a plain question)."""

from __future__ import annotations

from telegram import Update

from bot.conversation import Asked
from bot.services import BotContext

LAST_QUESTION = "last_question"


def remembered(update: Update, context: BotContext) -> Asked | None:
    """The last question asked in this private chat, if any."""
    chat = update.effective_chat
    if chat is None or chat.type != "private" or context.chat_data is None:
        return None
    last = context.chat_data.get(LAST_QUESTION)
    return last if isinstance(last, Asked) else None


def remember(update: Update, context: BotContext, asked: Asked | None) -> None:
    """Keep ``asked`` as this private chat's last question (groups keep none)."""
    chat = update.effective_chat
    private = chat is not None and chat.type == "private"
    if asked is not None and private and context.chat_data is not None:
        context.chat_data[LAST_QUESTION] = asked
