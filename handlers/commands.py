"""Command callbacks: each parses its arguments, asks the lookup service, renders, replies."""

from __future__ import annotations

from telegram import Update

from bot.conversation import SINGLE_ANSWERS, ask
from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.lookup import Lookup, NoSeries, split_series
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
    """``/exports US 2025-06``; ``/exports comtrade US 2025-06`` asks UN Comtrade's series."""
    series, text = split_series(_args(update))
    await _exports(update, context, series, text)


async def comtrade(update: Update, context: BotContext) -> None:
    """``/comtrade US 2025-06``: the same answer from UN Comtrade's HS 850511."""
    await _exports(update, context, COMTRADE_SERIES, split_series(_args(update))[1])


async def _lookup(update: Update, context: BotContext, series: str) -> Lookup | None:
    """The lookup for ``series``; None (and the user told why) when it has no data yet."""
    try:
        return context.services.lookup(series)
    except NoSeries:
        await send(update, [answers.NO_COMTRADE])
        return None


async def _exports(update: Update, context: BotContext, series: str, text: str) -> None:
    lookup = await _lookup(update, context, series)
    if lookup is None:
        return
    answer = ask(lookup, text, "exports", remembered(update, context))
    await respond(update, context, answer, lookup, buttons=series == CUSTOMS_SERIES)


async def top(update: Update, context: BotContext) -> None:
    """``/top [period] [n]``: partners ranked for a month, half, quarter or year."""
    lookup = context.services.lookup()
    await respond(update, context, ask(lookup, _args(update), "top"), lookup)


async def summary(update: Update, context: BotContext) -> None:
    lookup = context.services.lookup()
    await respond(update, context, ask(lookup, _args(update), "summary"), lookup)


async def sources(update: Update, context: BotContext) -> None:
    """``/sources US 2025-06``: the question read as ``/exports`` reads it, then every source."""
    series, text = split_series(_args(update))
    lookup = await _lookup(update, context, series)
    if lookup is None:
        return
    answer = ask(lookup, text, "exports")
    if answer.intent == "exports" and isinstance(answer.answer, SINGLE_ANSWERS):
        await send(update, with_heard(answer, render_sources(answer.answer)))
    else:
        await respond(update, context, answer, lookup, buttons=False)


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
