"""The cold-start baseline: a minimal python-telegram-bot bot that answers one ``/exports US``
through the same offline Bot API as ``python -m bot ask`` (no data, no database)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.offline import OfflineRequest
from bot.updates import message_update


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("China's exports to the United States")


async def main() -> None:
    application = ApplicationBuilder().token("0:minimal").request(OfflineRequest()).build()
    application.add_handler(CommandHandler("exports", reply))
    async with application:
        await application.process_update(
            Update.de_json(message_update("/exports US"), application.bot)
        )
    print("answered")


if __name__ == "__main__":
    asyncio.run(main())
