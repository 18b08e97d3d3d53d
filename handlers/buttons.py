"""Buttons under answers: previous and next month, chart, sources, and the choice between
countries that share a name. A press edits the answer in place (or sends the chart)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.error import BadRequest

from bot.data.dataset import CUSTOMS_SERIES
from bot.i18n import Language, tr
from bot.i18n.formats import partner_name, period_label, short_label
from bot.lookup import (
    ExportsAnswer,
    Lookup,
    MonthAnswer,
    NoFigure,
    NoSeries,
    PartnerProblem,
    SpanAnswer,
)
from bot.metrics import WORLD
from bot.reading.callbacks import LATEST, decode, encode
from bot.reading.partners import Ambiguous
from bot.reading.period_grammar import Latest
from bot.reading.periods import Period
from bot.render import answers
from bot.render.sources import sources
from bot.series_choice import with_series
from bot.services import BotContext
from handlers.charts import send_chart
from handlers.language import reply_language_of

log = logging.getLogger(__name__)


def expired(language: Language = "en") -> str:
    return tr(language, "This button no longer works. Send /exports again for a fresh answer.")


EXPIRED = expired()


Button = tuple[str, str]  # a callback button: its label and its data


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard of callback buttons whose Bot API form is written once, as PTB
    would serialise it (``{"text", "callback_data"}`` per button). Keyboards are immutable
    and reused across answers, while PTB serialises ``reply_markup`` on every send."""

    __slots__ = ("_api_form",)

    def __init__(self, rows: Sequence[Sequence[Button]]) -> None:
        super().__init__(
            [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
        )
        form = [[{"text": text, "callback_data": data} for text, data in row] for row in rows]
        with self._unfrozen():
            self._api_form: dict[str, Any] = {"inline_keyboard": form}

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return dict(self._api_form) if recursive else super().to_dict(recursive)


def _button(
    label: str, action: str, partner: str, period: Period | None, series: str = CUSTOMS_SERIES
) -> Button:
    """A button on the same series as its answer (``v1`` data for the default series)."""
    return label, encode(action, partner, period, "" if series == CUSTOMS_SERIES else series)


def keyboard(
    answer: ExportsAnswer, lookup: Lookup, language: Language = "en"
) -> InlineKeyboardMarkup | None:
    """The buttons that belong under an ``/exports`` answer (or problem), on its series."""
    coverage = lookup.metrics.coverage
    return _keyboard(answer, coverage.first_month, coverage.last_month, lookup.series, language)


@lru_cache(maxsize=2048)
def _keyboard(
    answer: ExportsAnswer,
    first: Period,
    last: Period,
    series: str = CUSTOMS_SERIES,
    language: Language = "en",
) -> InlineKeyboardMarkup | None:
    """Answers and keyboards are immutable, so a repeated answer reuses its keyboard."""
    if isinstance(answer, MonthAnswer):
        code, month = answer.partner.code, answer.metrics.period
        steps = []
        before, after = month.previous(), month.shift_months(1)
        if before >= first:
            label = f"◀ {short_label(before, language)}"
            steps.append(_button(label, "exports", code, before, series))
        if after <= last:
            label = f"{short_label(after, language)} ▶"
            steps.append(_button(label, "exports", code, after, series))
        tools = [
            _button(tr(language, "📊 Chart"), "chart", code, month, series),
            _button(tr(language, "📚 Sources"), "sources", code, month, series),
        ]
        return Keyboard([steps, tools] if steps else [tools])
    if isinstance(answer, SpanAnswer):
        code, period = answer.partner.code, answer.metrics.period
        return Keyboard([[_button(tr(language, "📚 Sources"), "sources", code, period, series)]])
    if isinstance(answer, NoFigure):
        near = [p for p in (answer.before, answer.after) if p is not None]
        code = answer.partner.code
        rows = [_button(period_label(p, language), "exports", code, p, series) for p in near]
        if answer.total:  # only China's total has a figure: one tap to it
            total = tr(language, "🌐 China's total")
            rows.append(_button(total, "exports", WORLD, answer.period, series))
        return Keyboard([rows]) if rows else None
    if isinstance(answer, PartnerProblem) and isinstance(answer.problem, Ambiguous):
        options = answer.problem.options[:8]
        return Keyboard(
            [
                [_button(f"{o.flag} {partner_name(o, language)}", "exports", o.code, None, series)]
                for o in options
            ]
        )
    return None


async def on_button(update: Update, context: BotContext) -> None:
    """Handle a press; a stale or forged button gets a polite answer, never an error."""
    query = update.callback_query
    if query is None:
        return
    request = decode(query.data)
    series = (request.series or CUSTOMS_SERIES) if request is not None else ""
    lookup = _lookup(context, series)
    language = await reply_language_of(update, context)
    if request is None or lookup is None:
        await query.answer(expired(language), show_alert=True)
        return
    if request.action == "chart":
        chat = query.message.chat if query.message is not None else None
        if chat is None:  # a message posted through inline mode: no chat to send to
            asked = f"/chart {with_series(series, request.query)}"
            note = tr(language, "Charts come in a chat with me: {command}", command=asked)
            await query.answer(note, show_alert=True)
            return
        await query.answer(tr(language, "Drawing the chart…"))
        thread = _thread(query.message)
        await send_chart(context, chat.id, request.query, thread, series, language)
        return
    period = None if request.period == LATEST else Period.parse_code(request.period)
    answer = lookup.exports_of(request.partner, Latest() if period is None else period)
    if request.action == "sources":
        messages = sources(answer, language=language)
        markup: InlineKeyboardMarkup | None = _back(request.partner, period, series, language)
    else:
        messages = answers.exports(answer, language)
        markup = keyboard(answer, lookup, language)
    await query.answer()
    await _edit(query, messages[0], markup)
    if query.message is not None:  # what does not fit in the edited message follows it
        for text in messages[1:]:
            await context.bot.send_message(query.message.chat.id, text)


def _lookup(context: BotContext, series: str) -> Lookup | None:
    """The lookup of a button's series; ``None`` for one the data does not have (a button
    from before a series was withdrawn, or forged), which gets the polite note."""
    if not series or series not in context.services.catalog:
        return None
    try:
        return context.services.lookup(series)
    except NoSeries:
        return None


@lru_cache(maxsize=1024)
def _back(
    code: str, period: Period | None, series: str = CUSTOMS_SERIES, language: Language = "en"
) -> Keyboard:
    """The button under a sources page, back to its answer."""
    back = tr(language, "◀ Back to the answer")
    return Keyboard([[_button(back, "exports", code, period, series)]])


def _thread(message: MaybeInaccessibleMessage | None) -> int | None:
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the answer in place; a message too old to edit gets a fresh one instead."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        reason = str(error).lower()
        if "not modified" in reason:  # the same button pressed twice
            return
        if query.message is None or not ("can't be edited" in reason or "not found" in reason):
            raise
        await query.get_bot().send_message(query.message.chat.id, text, reply_markup=markup)
