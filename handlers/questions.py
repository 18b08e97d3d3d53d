"""Plain questions: in private chats, and in groups when the bot is mentioned or replied to."""

from __future__ import annotations

from telegram import Message, Update

from bot.conversation import ask
from bot.services import BotContext
from handlers.asking import remembered, respond


def addressed_text(message: Message, username: str) -> str | None:
    """The question text if the message is for this bot, else ``None``."""
    text = message.text or ""
    if message.chat.type == "private":
        return text
    mention = "@" + username.lower()
    replied = message.reply_to_message
    replied_to = replied.from_user.username if replied and replied.from_user else None
    if replied_to and replied_to.lower() == username.lower():
        return text
    if mention in text.lower():
        start = text.lower().index(mention)
        return text[:start] + text[start + len(mention) :]
    return None


async def question(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    text = addressed_text(message, context.bot.username or "")
    if text is None:
        return
    lookup = context.services.lookup()
    previous = remembered(update, context)
    await respond(update, context, ask(lookup, text, previous=previous, plain=True), lookup)
