"""Thin Telegram callbacks: parse the update, ask the service, send the rendered reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.services import BotApplication
from handlers import commands, errors, questions

COMMANDS = {
    "start": commands.start,
    "help": commands.help_command,
    "exports": commands.exports,
    "top": commands.top,
    "summary": commands.summary,
    "sources": commands.sources,
}


def register(application: BotApplication) -> None:
    """Add every handler and the error handler to ``application``."""
    new_messages = filters.UpdateType.MESSAGE  # an edited message is not asked again
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=new_messages))
    text = filters.TEXT & ~filters.COMMAND & new_messages
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, questions.question))
    addressed = filters.Entity("mention") | filters.REPLY
    application.add_handler(
        MessageHandler(text & filters.ChatType.GROUPS & addressed, questions.question)
    )
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, commands.unknown)
    )
    application.add_error_handler(errors.on_error)


__all__ = ["COMMANDS", "Update", "register"]
