"""/chart and /csv: files sent to the chat, drawn or written off the event loop."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.lookup import NoFigure
from bot.render import answers, phone, visuals
from bot.render.charts import monthly_png, ranking_png
from bot.services import BotContext
from handlers.reply import arguments, send


async def send_chart(context: BotContext, chat_id: int, text: str, thread: int | None) -> None:
    """Draw the chart ``text`` asks for (in a worker thread) and send it, or say why not."""
    answer = visuals.chart(context.services.lookup(), text)
    if isinstance(answer, visuals.MonthlyChart):
        png = await asyncio.to_thread(monthly_png, answer.series)
    elif isinstance(answer, visuals.RankingChart):
        png = await asyncio.to_thread(ranking_png, answer.series)
    else:
        words = text.split()
        command = "chart top" if words and words[0].casefold() in visuals.TOP_WORDS else "chart"
        reply = (
            answers.no_figure(answer, command)
            if isinstance(answer, NoFigure)
            else answers.problem(answer)
        )
        await context.bot.send_message(chat_id, reply, message_thread_id=thread)
        return
    caption = phone.chart_caption(answer)
    await context.bot.send_photo(
        chat_id, png, caption=caption, filename=file_name(answer), message_thread_id=thread
    )


def file_name(answer: visuals.MonthlyChart | visuals.RankingChart) -> str:
    """``exportwatch-chart-us-2026-03.png`` (to the latest month shown), ``…-top-2025-06.png``."""
    if isinstance(answer, visuals.MonthlyChart):
        return f"exportwatch-chart-{answer.partner.code}-{answer.latest.period.code}.png".lower()
    return f"exportwatch-chart-top-{answer.period.code}.png"


async def chart(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    thread = message.message_thread_id if message.is_topic_message else None
    await send_chart(context, message.chat.id, arguments(message.text), thread)


async def csv(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    export = visuals.csv_export(context.services.lookup(), arguments(message.text))
    if not isinstance(export, visuals.CsvExport):
        await send(update, [answers.problem(export)])
        return
    if not export.rows:
        await send(update, ["No figures match that partner and period. /help shows the coverage."])
        return
    data = await asyncio.to_thread(export.encode)
    await message.reply_document(data, filename=export.filename, caption=phone.csv_caption(export))
