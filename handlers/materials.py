"""``/materials``: every material the bot knows, with its unit, coverage and next release."""

from __future__ import annotations

from telegram import Update

from bot.materials import materials as material_rows
from bot.render.materials import materials_text
from bot.services import BotContext
from handlers.reply import send


async def materials(update: Update, context: BotContext) -> None:
    services = context.services
    rows = material_rows(services.data.current, services.today())
    await send(update, materials_text(rows))
