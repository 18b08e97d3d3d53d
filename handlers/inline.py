"""Inline mode: ``@bot US`` in any chat offers the matching partners; picking one posts the
full answer (with its buttons). ``@bot`` alone offers China's total and the top partners."""

from __future__ import annotations

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)

from bot.render import answers, phone
from bot.render.visuals import inline_answers
from bot.services import BotContext
from handlers.buttons import keyboard

CACHE_SECONDS = 3600  # figures change once a month; an hour keeps revisions fresh enough


async def inline_query(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    lookup = context.services.lookup()
    results = []
    for answer in inline_answers(lookup, query.query):
        who, m = answer.partner, answer.metrics
        text = answers.exports(answer)[0]
        results.append(
            InlineQueryResultArticle(
                id=f"{who.code}:{m.period.code}",
                title=f"{who.flag} {who.name}",
                description=phone.one_line(m),
                input_message_content=InputTextMessageContent(text),
                reply_markup=keyboard(answer, lookup),
            )
        )
    help_button = None
    if not results:
        help_button = InlineQueryResultsButton("No match: how to ask", start_parameter="help")
    await query.answer(results[:50], cache_time=CACHE_SECONDS, button=help_button)
