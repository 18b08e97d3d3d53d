"""Sending rendered messages back to the chat the update came from."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.services import BotContext


async def send(
    update: Update, messages: list[str], keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Reply with each message (Telegram HTML, each at most 4096 characters); buttons go
    under the last one."""
    message = update.effective_message
    if message is None:
        return
    for i, text in enumerate(messages):
        markup = keyboard if i == len(messages) - 1 else None
        await message.reply_html(text, reply_markup=markup)


def arguments(text: str | None) -> str:
    """What follows the command word: ``/exports@Bot US 2025-06`` → ``US 2025-06``."""
    if not text:
        return ""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


class PrefixedButtons(CallbackQueryHandler[BotContext, None]):
    """The presses of the buttons whose data ``pattern`` matches (``set:``, ``al:``), and no
    others. PTB's pattern alone would also take a press with no data at all (it lets one
    through to any handler): that one is left to the answers' buttons, which answer it
    politely. Registered before the answers' buttons, which take any other data."""

    def __init__(
        self,
        callback: Callable[[Update, BotContext], Coroutine[Any, Any, None]],
        pattern: re.Pattern[str],
    ) -> None:
        super().__init__(callback, pattern=pattern)

    def check_update(self, update: object) -> bool | object | None:
        if isinstance(update, Update) and update.callback_query and not update.callback_query.data:
            return False
        return super().check_update(update)
