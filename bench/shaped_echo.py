"""An echo that sends the bot's own replies: the floor PTB sets for answering a mix.

The bare echo of :mod:`bench.mix` answers every update with one plain call. The bot makes
the calls its answers need: a message with a keyboard, ``answerCallbackQuery`` and then the
edit for a button, inline results with their keyboards. This echo makes exactly those calls,
with exactly the bot's texts, keyboards and inline results (recorded in an untimed pass of
the bot and built as PTB objects before the timing starts), and does nothing else: no
reading, no lookup, no rendering. So, on the same updates:

- this echo vs the bare echo is what PTB's calls for the bot's replies cost (the floor);
- the bot vs this echo is what the bot's own work costs (reading, choosing, answering,
  rendering, the database for ``/status``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from telegram import (
    Bot,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    ReplyParameters,
    Update,
)
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from bench.mix_updates import MixUpdate
from bot.app import OFFLINE_TOKEN
from bot.offline import ApiCall, OfflineRequest
from handlers.buttons import Keyboard

Send = Callable[[Bot], Awaitable[Any]]
Replies = dict[int, list[Send]]  # an update's id → the calls that answer it


def replies_by_update(mix: list[MixUpdate], calls_of: list[list[ApiCall]]) -> Replies:
    """Each update's recorded calls as ready PTB calls, keyed by the update's id."""
    return {
        item.data["update_id"]: [_send(call) for call in calls]
        for item, calls in zip(mix, calls_of, strict=True)
    }


def shaped_echo_application(defaults: Any, replies: Replies, request: OfflineRequest) -> Any:
    """A bare Application (the bot's ``Defaults``) whose one handler makes each update's calls."""
    builder = ApplicationBuilder().token(OFFLINE_TOKEN).request(request)
    if defaults is not None:
        builder = builder.defaults(defaults)
    echo = builder.build()

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        for send in replies.get(update.update_id, ()):
            await send(context.bot)

    echo.add_handler(TypeHandler(Update, reply))
    return echo


def _send(call: ApiCall) -> Send:
    """One recorded call as a PTB method call with its objects built now, not when timed."""
    params = call.params
    markup = _keyboard(params.get("reply_markup"))
    if call.method == "sendMessage":
        quoted = params.get("reply_parameters")
        reply_to = ReplyParameters(quoted["message_id"]) if quoted else None
        chat, text = params["chat_id"], params["text"]
        return lambda bot: bot.send_message(
            chat, text, reply_markup=markup, reply_parameters=reply_to
        )
    if call.method == "editMessageText":
        chat, message, text = params["chat_id"], params["message_id"], params["text"]
        return lambda bot: bot.edit_message_text(
            text, chat_id=chat, message_id=message, reply_markup=markup
        )
    if call.method == "answerCallbackQuery":
        query, note, alert = (
            params["callback_query_id"],
            params.get("text"),
            params.get("show_alert"),
        )
        return lambda bot: bot.answer_callback_query(query, note, show_alert=alert)
    if call.method == "answerInlineQuery":
        results = [_article(result) for result in params["results"]]
        button = params.get("button")
        offer = (
            InlineQueryResultsButton(button["text"], start_parameter=button.get("start_parameter"))
            if button
            else None
        )
        query, cache = params["inline_query_id"], params.get("cache_time")
        return lambda bot: bot.answer_inline_query(query, results, cache_time=cache, button=offer)
    raise ValueError(f"the mix's bot made a call this echo does not make: {call.method}")


def _keyboard(markup: dict[str, Any] | None) -> Keyboard | None:
    """The bot's keyboards are its ``Keyboard`` (written in Bot API form once), so is this."""
    if markup is None:
        return None
    rows: Iterable[list[dict[str, str]]] = markup["inline_keyboard"]
    return Keyboard([[(b["text"], b["callback_data"]) for b in row] for row in rows])


def _article(result: dict[str, Any]) -> InlineQueryResultArticle:
    content = result["input_message_content"]
    return InlineQueryResultArticle(
        result["id"],
        result["title"],
        InputTextMessageContent(content["message_text"]),
        reply_markup=_keyboard(result.get("reply_markup")),
        description=result.get("description"),
    )
