"""Command callbacks: each parses its arguments, asks the lookup service, renders, replies.

A material is an optional word anywhere in the arguments (``/exports gallium DE 2024-08``,
``/top germanium 2025``); the services choose its series (rare-earth magnets if none)."""

from __future__ import annotations

from telegram import Update

from bot.conversation import SINGLE_ANSWERS
from bot.data.dataset import COMTRADE_SERIES
from bot.reading.grammar import Intent
from bot.render import answers
from bot.render.conversation import with_heard
from bot.render.format import quote_input
from bot.render.sources import sources as render_sources
from bot.services import BotContext
from handlers.asking import remembered, respond
from handlers.reply import arguments, send


def _args(update: Update) -> str:
    message = update.effective_message
    return arguments(message.text if message else None)


async def start(update: Update, context: BotContext) -> None:
    coverage = context.services.lookup().metrics.coverage
    await send(update, [answers.help_text(coverage, greeting=True)])


async def help_command(update: Update, context: BotContext) -> None:
    coverage = context.services.lookup().metrics.coverage
    await send(update, [answers.help_text(coverage)])


async def exports(update: Update, context: BotContext) -> None:
    """``/exports US 2025-06``, ``/exports gallium DE``, ``/exports all DE 2025-10``;
    ``/exports comtrade US 2025-06`` asks UN Comtrade's series."""
    await _command(update, context, "exports")


async def comtrade(update: Update, context: BotContext) -> None:
    """``/comtrade US 2025-06``: the same answer from UN Comtrade's HS 850511."""
    await _command(update, context, "exports", COMTRADE_SERIES)


async def top(update: Update, context: BotContext) -> None:
    """``/top [material] [period] [n]``: partners ranked for a month, half, quarter or year."""
    await _command(update, context, "top")


async def summary(update: Update, context: BotContext) -> None:
    """``/summary [material] [month]``: the month's news summary."""
    await _command(update, context, "summary")


async def _command(
    update: Update, context: BotContext, intent: Intent, series: str | None = None
) -> None:
    previous = remembered(update, context) if intent == "exports" else None
    asking = context.services.ask(_args(update), intent, previous, series=series)
    await respond(update, context, asking.reply, asking.lookup)


async def sources(update: Update, context: BotContext) -> None:
    """``/sources US 2025-06``: the question read as ``/exports`` reads it, then every source."""
    asking = context.services.ask(_args(update), "exports")
    answer = asking.reply
    if answer.intent == "exports" and isinstance(answer.answer, SINGLE_ANSWERS):
        await send(update, with_heard(answer, render_sources(answer.answer)))
    else:
        await respond(update, context, answer, asking.lookup, buttons=False)


async def unknown(update: Update, context: BotContext) -> None:
    """An unknown command: answered in private chats and when addressed to this bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0]
    addressed = command.lower().endswith("@" + (context.bot.username or "").lower())
    if message.chat.type != "private" and not addressed:
        return
    await send(update, [f"I don't know {quote_input(command)}. /help lists what I can do."])
