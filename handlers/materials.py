"""``/materials``: every material the bot knows, with its unit, coverage and next release;
``/materials gallium`` (``/materials 镓 锗``) only the ones named."""

from __future__ import annotations

from telegram import Update

from bot.i18n import tr
from bot.materials import materials as material_rows
from bot.render.format import quote_input
from bot.render.materials import materials_text
from bot.services import BotContext
from handlers.language import reply_language_of
from handlers.reply import arguments, send
from handlers.subscriptions import material_choice


async def materials(update: Update, context: BotContext) -> None:
    services = context.services
    rows = material_rows(services.data.current, services.today())
    message = update.effective_message
    text = arguments(message.text if message is not None else None).strip()
    language = await reply_language_of(update, context)
    if not text:
        await send(update, materials_text(rows, language))
        return
    choice = material_choice(text, services.catalog)
    wanted = {info.key for info in choice.series}
    if choice.valid and wanted and not choice.everything:
        await send(update, materials_text([r for r in rows if r.info.key in wanted], language))
        return
    if choice.valid:  # "all"
        await send(update, materials_text(rows, language))
        return
    words = [u.word for u in choice.unknown] + [info.name for info in choice.reference]
    named = ", ".join(f"“{quote_input(w)}”" for w in words)
    listed = materials_text(rows, language)
    note = "ℹ️ " + tr(
        language, "{words}: no material of that name, so here is every material.", words=named
    )
    await send(update, [f"{note}\n\n{listed[0]}", *listed[1:]])
