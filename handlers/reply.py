"""Sending rendered messages back to the chat the update came from."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update


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
