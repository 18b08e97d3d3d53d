"""Plain questions: in private chats, and in groups when the bot is mentioned or replied to."""

from __future__ import annotations

import re
from functools import lru_cache

from telegram import Message, Update

from bot.services import BotContext
from handlers.asking import remembered, respond


def addressed_text(message: Message, username: str) -> str | None:
    """The question text if the message is for this bot, else ``None``."""
    text = message.text or ""
    if message.chat.type == "private":
        return text
    replied = message.reply_to_message
    replied_to = replied.from_user.username if replied and replied.from_user else None
    if replied_to and replied_to.lower() == username.lower():
        return text
    # Matched on the text itself: lower-casing may change its length ("İ" is two characters).
    found = _mention(username).search(text)
    if found and username:
        return text[: found.start()] + text[found.end() :]
    return None


@lru_cache(maxsize=8)
def _mention(username: str) -> re.Pattern[str]:
    """``@username``, any case, as a whole word."""
    return re.compile(f"@{re.escape(username)}(?!\\w)", re.IGNORECASE | re.ASCII)


async def question(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    text = addressed_text(message, context.bot.username or "")
    if text is None:
        return
    previous = remembered(update, context)
    asking = context.services.ask(text, previous=previous, plain=True)
    await respond(update, context, asking.reply, asking.lookup)
