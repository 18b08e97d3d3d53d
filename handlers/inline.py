"""Inline mode: ``@bot US`` in any chat offers the matching partners; picking one posts the
full answer (with its buttons). ``@bot`` alone offers China's total and the top partners.
A material may lead or follow (``@bot gallium DE``): its results, answers and buttons are
that series'; two materials or a mistyped one offer nothing (and the help button).

The results of a query are remembered per data snapshot (and day), like the answers to
questions, so the same query (``@bot`` alone above all, which ranks every partner) is
answered once per snapshot; each result's Bot API form is computed once.
"""

from __future__ import annotations

from dataclasses import replace
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

from bot.data.dataset import CUSTOMS_SERIES
from bot.i18n import Language, tr
from bot.i18n.formats import partner_name
from bot.lookup import Lookup, NoSeries
from bot.render import answers, phone
from bot.render.visuals import inline_answers
from bot.series_choice import choose
from bot.services import BotContext, Services
from handlers.buttons import keyboard
from handlers.language import reply_language_of

CACHE_SECONDS = 3600  # figures change once a month; an hour keeps revisions fresh enough
MAX_RESULTS = 50  # Telegram's limit per answer
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


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


def results(lookup: Lookup, text: str, language: Language = "en") -> tuple[Article, ...]:
    """The results offered for the inline query ``text`` (its material's words taken out)
    from ``lookup``'s series, in ``language``."""
    found = []
    series = lookup.series
    other = series != CUSTOMS_SERIES
    for offered in inline_answers(lookup, text)[:MAX_RESULTS]:
        answer = replace(offered, series=series)
        who, m = answer.partner, answer.metrics
        name = f"{who.flag} {partner_name(who, language)}"
        if other:
            info = lookup.info
            name += f" · {info.name_zh if language == 'zh' and info.name_zh else info.name}"
        found.append(
            Article(
                f"{series}:{who.code}:{m.period.code}" if other else f"{who.code}:{m.period.code}",
                name,
                phone.one_line(m, language),
                answers.exports(answer, language)[0],
                keyboard(answer, lookup, language),
            )
        )
    return tuple(found)


def offered(services: Services, text: str, language: Language = "en") -> tuple[Article, ...]:
    """The results for ``text``: of the material it names (rare-earth magnets if none)."""
    choice = choose(services.catalog, text)
    if choice.problem is not None:
        return ()
    try:
        lookup = services.lookup(choice.series or CUSTOMS_SERIES)
    except NoSeries:
        return ()
    if lookup.info.reference:
        return ()
    return results(lookup, choice.rest, language)


async def inline_query(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    services = context.services
    lookup = services.lookup()
    language = await reply_language_of(update, context)
    key = ("inline", query.query, lookup.today(), language)
    offered_now = lookup.remember(key, lambda: offered(services, query.query, language))
    button = None if offered_now else help_button(language)
    # personal: results are in the user's language, so Telegram must not give one user's
    # cached results to another
    await query.answer(offered_now, cache_time=CACHE_SECONDS, is_personal=True, button=button)


def help_button(language: Language) -> InlineQueryResultsButton:
    """The button shown when nothing matches: it opens a chat with the bot at /help."""
    return InlineQueryResultsButton(tr(language, "No match: how to ask"), start_parameter="help")
