"""The one error handler: log with the update, tell the user something useful."""

from __future__ import annotations

import logging

from telegram import Update

from bot.services import BotContext

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side while answering. It has been logged. "
    "Please try again, or see /help."
)


async def on_error(update: object, context: BotContext) -> None:
    log.error("error while handling an update: %r", update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        await update.effective_message.reply_html(SORRY)
