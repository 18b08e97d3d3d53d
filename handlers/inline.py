"""Inline mode: ``@bot US`` in any chat offers the matching partners; picking one posts the
full answer (with its buttons). ``@bot`` alone offers China's total and the top partners.

The results of a query are remembered per data snapshot (and day), like the answers to
questions, so the same query (``@bot`` alone above all, which ranks every partner) is
answered once per snapshot; each result's Bot API form is computed once.
"""

from __future__ import annotations

from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode

from bot.lookup import Lookup
from bot.render import answers, phone
from bot.render.visuals import inline_answers
from bot.services import BotContext
from handlers.buttons import keyboard

CACHE_SECONDS = 3600  # figures change once a month; an hour keeps revisions fresh enough
MAX_RESULTS = 50  # Telegram's limit per answer
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
HELP = InlineQueryResultsButton("No match: how to ask", start_parameter="help")


class Article(InlineQueryResultArticle):
    """An inline result whose Bot API form is computed once: results are remembered and
    sent again, while PTB serialises them on every answer. Its message's parse mode and
    link preview are given (the bot's defaults), so PTB has none to fill in."""

    __slots__ = ("_api_form",)

    def __init__(
        self,
        result_id: str,
        title: str,
        description: str,
        text: str,
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        content = InputTextMessageContent(
            text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
        )
        super().__init__(result_id, title, content, description=description, reply_markup=markup)
        with self._unfrozen():
            self._api_form: dict[str, Any] = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return dict(self._api_form) if recursive else super().to_dict(recursive)


def results(lookup: Lookup, text: str) -> tuple[Article, ...]:
    """The results offered for the inline query ``text``."""
    found = []
    for answer in inline_answers(lookup, text)[:MAX_RESULTS]:
        who, m = answer.partner, answer.metrics
        found.append(
            Article(
                f"{who.code}:{m.period.code}",
                f"{who.flag} {who.name}",
                phone.one_line(m),
                answers.exports(answer)[0],
                keyboard(answer, lookup),
            )
        )
    return tuple(found)


async def inline_query(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    lookup = context.services.lookup()
    key = ("inline", query.query, lookup.today())
    offered = lookup.remember(key, lambda: results(lookup, query.query))
    await query.answer(offered, cache_time=CACHE_SECONDS, button=None if offered else HELP)
