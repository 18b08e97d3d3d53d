"""The one error handler: log with the update, tell the user something useful."""

from __future__ import annotations

import logging

from telegram import Update

from bot.i18n import Language, tr
from bot.services import BotContext
from handlers.language import reply_language_of

log = logging.getLogger(__name__)


def sorry(language: Language = "en") -> str:
    return tr(
        language,
        "Sorry, something went wrong on my side while answering. It has been logged. "
        "Please try again, or see /help.",
    )


SORRY = sorry()


async def on_error(update: object, context: BotContext) -> None:
    log.error("error while handling an update: %r", update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        await update.effective_message.reply_html(sorry(await _language(update, context)))


async def _language(update: Update, context: BotContext) -> Language:
    """The reply's language; English if even that cannot be worked out (the error may be
    the database's)."""
    try:
        return await reply_language_of(update, context)
    except Exception:
        log.warning("no reply language for the error message", exc_info=True)
        return "en"
