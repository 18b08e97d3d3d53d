"""Command callbacks: each parses its arguments, asks the lookup service, renders, replies.

A material is an optional word anywhere in the arguments (``/exports gallium DE 2024-08``,
``/top germanium 2025``); the services choose its series (rare-earth magnets if none)."""

from __future__ import annotations

from telegram import Update

from bot.data.dataset import COMTRADE_SERIES
from bot.i18n import Language, tr
from bot.reading.grammar import Intent
from bot.render.format import esc, quote_input
from bot.render.help import help_text
from bot.series_choice import choose, with_series
from bot.services import BotContext
from handlers.asking import remembered, respond
from handlers.language import reply_language_of
from handlers.reply import arguments, send


def _args(update: Update) -> str:
    message = update.effective_message
    return arguments(message.text if message else None)


async def start(update: Update, context: BotContext) -> None:
    """``/start`` (its argument is a deep link's payload, made by Telegram: not named)."""
    coverage = context.services.lookup().metrics.coverage
    language = await reply_language_of(update, context)
    await send(update, [help_text(coverage, greeting=True, language=language)])


async def help_command(update: Update, context: BotContext) -> None:
    """``/help``: the same for everyone; words after it are named, with the command that
    answers them when they name a question (``/help gallium`` → ``/exports gallium``)."""
    coverage = context.services.lookup().metrics.coverage
    language = await reply_language_of(update, context)
    text = _args(update).strip()
    messages = [help_text(coverage, language=language)]
    if text:
        messages.insert(0, not_needed(text, context, language))
    await send(update, messages)


def not_needed(text: str, context: BotContext, language: Language = "en") -> str:
    """``ℹ️ /help is the same for every question; “gallium” is not needed. For gallium:
    /exports gallium``: words a command does not use, named, and what would use them."""
    line = "ℹ️ " + tr(
        language,
        "/help is the same for every question; “{words}” is not needed.",
        words=quote_input(text),
    )
    choice = choose(context.services.catalog, text)
    if choice.series is not None and choice.problem is None:
        info = context.services.catalog[choice.series]
        command = with_series(choice.series, choice.rest)
        slash = "/comtrade" if info.reference else "/exports"
        name = info.name_zh if language == "zh" and info.name_zh else info.name
        line += " " + tr(
            language,
            "For {material}: {command}",
            material=esc(name),
            command=esc(" ".join([slash, command]).strip()),
        )
    return line


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
    previous = remembered(update, context)
    asking = context.services.ask(_args(update), intent, previous, series=series)
    await respond(update, context, asking.reply, asking.lookup)


async def sources(update: Update, context: BotContext) -> None:
    """``/sources US 2025-06``: the question read as ``/exports`` reads it, then every source
    (kept, as any question, for a follow-up: "and Japan?")."""
    previous = remembered(update, context)
    asking = context.services.ask(_args(update), "sources", previous)
    await respond(update, context, asking.reply, asking.lookup, buttons=False)


async def unknown(update: Update, context: BotContext) -> None:
    """An unknown command: answered in private chats and when addressed to this bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0]
    addressed = command.lower().endswith("@" + (context.bot.username or "").lower())
    if message.chat.type != "private" and not addressed:
        return
    language = await reply_language_of(update, context)
    text = tr(
        language, "I don't know {command}. /help lists what I can do.", command=quote_input(command)
    )
    await send(update, [text])
