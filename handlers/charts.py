"""/chart and /csv: files sent to the chat, drawn or written off the event loop.

Charts are drawn by :class:`ChartDrawer` in a process of its own; CSV files are written on
the default thread pool, once per data snapshot (:func:`csv_file`). A chart and its caption,
and a CSV file's caption, are in the reply's language (a chart series carries its language,
so the chart process draws and remembers each language's chart on its own).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable, Hashable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import TypeVar

from telegram import Update

from bot.conversation import Heard, Reply, chart_asked
from bot.data.dataset import CUSTOMS_SERIES
from bot.i18n import LANGUAGES, Language, tr
from bot.lookup import Lookup, NoFigure, NoSeries, PartnerProblem
from bot.reading.grammar import Intent, read
from bot.render import answers, by_material, visuals
from bot.render.charts import monthly_png, ranking_png
from bot.render.conversation import reply
from bot.render.material import one_material_at_a_time
from bot.series_choice import ask_again, choose, material_name, series_word
from bot.services import BotContext
from handlers.language import reply_language_of
from handlers.memory import remember
from handlers.reply import arguments, send

CHARTS_KEY = "charts"  # the Application's ChartDrawer, in bot_data
CHARTS_IN_HAND = 16  # distinct charts drawing or waiting at a time
BUSY = "Many charts are being drawn right now. Please ask again in a minute."


def busy(language: Language = "en") -> str:
    """:data:`BUSY` in ``language``."""
    return tr(language, "Many charts are being drawn right now. Please ask again in a minute.")


# The chart process is forked from a server that has already imported matplotlib.
PRELOAD = ["bot.render.charts"]

Series = TypeVar("Series", bound=Hashable)


class ChartDrawer:
    """Draws charts in one worker process, started at the first chart.

    Drawing is pure Python under the interpreter lock: on a thread it would stall the event
    loop and every answer with it; in a process it runs beside it, one figure at a time (as
    matplotlib needs), with its own chart cache. A chart asked for while it is being drawn is
    drawn once for all who asked. At most ``in_hand`` distinct charts are drawing or waiting;
    :meth:`draw` answers ``None`` for one more, so charts never hold more than that many of
    the update slots. ``draw`` functions and series must pickle (module-level functions,
    frozen dataclasses).
    """

    def __init__(self, in_hand: int = CHARTS_IN_HAND) -> None:
        self.in_hand = in_hand
        self._pool: ProcessPoolExecutor | None = None
        self._drawing: dict[object, asyncio.Future[bytes]] = {}

    @property
    def drawing(self) -> int:
        """Distinct charts drawing or waiting now."""
        return len(self._drawing)

    async def draw(self, draw: Callable[[Series], bytes], series: Series) -> bytes | None:
        """``draw(series)`` in the chart process; ``None`` when ``in_hand`` are in hand."""
        key = (draw, series)
        pending = self._drawing.get(key)
        if pending is None:
            if len(self._drawing) >= self.in_hand:
                return None
            pool = self._executor()
            pending = asyncio.get_running_loop().run_in_executor(pool, draw, series)
            self._drawing[key] = pending
            pending.add_done_callback(lambda done: self._drawn(key, pool, done))
        return await asyncio.shield(pending)  # one asker leaving does not stop the others'

    def _drawn(self, key: object, pool: ProcessPoolExecutor, done: asyncio.Future[bytes]) -> None:
        self._drawing.pop(key, None)
        died = not done.cancelled() and isinstance(done.exception(), BrokenProcessPool)
        if died and pool is self._pool:  # the process died: the next chart starts a new one
            self.close()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        return self._pool

    def close(self) -> None:
        """Stop the chart process (charts not yet started are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


async def send_chart(
    context: BotContext,
    chat_id: int,
    text: str,
    thread: int | None,
    series: str = CUSTOMS_SERIES,
    language: Language = "en",
) -> None:
    """Draw the chart ``text`` asks for in ``series`` (in the chart process) and send it, or
    say why not, in ``language``."""
    try:
        lookup = context.services.lookup(series)
    except NoSeries:
        reply = by_material.no_data(series, material_name(series, language), language)
        await context.bot.send_message(chat_id, reply, message_thread_id=thread)
        return
    answer = visuals.chart(lookup, text, language)
    drawer: ChartDrawer = context.bot_data[CHARTS_KEY]
    png: bytes | None
    if isinstance(answer, visuals.MonthlyChart):
        png = await drawer.draw(monthly_png, answer.series)
    elif isinstance(answer, visuals.RankingChart):
        png = await drawer.draw(ranking_png, answer.series)
    else:
        words = text.split()
        command = "chart top" if words and words[0].casefold() in visuals.TOP_WORDS else "chart"
        span = (
            lookup.latest_span(answer.partner.code)
            if isinstance(answer, NoFigure) and not answer.partner_has_data
            else None
        )
        if isinstance(answer, NoFigure) and span is not None:
            reply = by_material.no_monthly(answer.partner, series, span, language)
        elif isinstance(answer, NoFigure):
            reply = answers.no_figure(replace(answer, series=series), command, language)
        elif isinstance(answer, PartnerProblem):  # a suggestion keeps the material and period
            again = ask_again("chart", series, read(text), answer.problem.text)
            reply = answers.problem(replace(answer, ask_again=again), language)
        else:
            reply = answers.problem(answer, language)
        await context.bot.send_message(chat_id, reply, message_thread_id=thread)
        return
    if png is None:
        await context.bot.send_message(chat_id, busy(language), message_thread_id=thread)
        return
    caption = visuals.chart_caption(answer, lookup.info, language)
    await context.bot.send_photo(
        chat_id, png, caption=caption, filename=file_name(answer, series), message_thread_id=thread
    )


def file_name(
    answer: visuals.MonthlyChart | visuals.RankingChart, series: str = CUSTOMS_SERIES
) -> str:
    """``exportwatch-chart-us-2026-03.png`` (to the latest month shown), ``…-top-2025-06.png``;
    a material other than magnets is named: ``exportwatch-chart-gallium-de-2025-10.png``."""
    word = f"{series_word(series)}-" if series_word(series) else ""
    if isinstance(answer, visuals.MonthlyChart):
        latest = answer.latest.period.code
        return f"exportwatch-chart-{word}{answer.partner.code}-{latest}.png".lower()
    return f"exportwatch-chart-{word}top-{answer.period.code}.png"


async def chart(update: Update, context: BotContext) -> None:
    """``/chart [material] [country] [range]``, ``/chart [material] top [period]``."""
    message = update.effective_message
    if message is None:
        return
    thread = message.message_thread_id if message.is_topic_message else None
    language = await reply_language_of(update, context)
    choice = await _choice(update, context, arguments(message.text), "chart", language)
    if choice is not None:
        series, text = choice
        with suppress(NoSeries):  # kept for a follow-up ("那日本呢" after /chart gallium DE)
            remember(update, context, chart_asked(context.services.lookup(series), text))
        await send_chart(context, message.chat.id, text, thread, series, language)


async def _choice(
    update: Update, context: BotContext, text: str, command: str, language: Language
) -> tuple[str, str] | None:
    """The series a chart or CSV request names and its other words; ``None`` when the words
    name two materials, every material, or mistype one (the reply says so, offering the
    same ``command``)."""
    services = context.services
    choice = choose(services.catalog, text)
    if choice.everything:
        materials = services.catalog.materials
        await send(update, [one_material_at_a_time(command, materials, choice.rest, language)])
        return None
    if choice.problem is not None:
        intent: Intent = "chart" if command == "chart" else "exports"
        await send(update, reply(Reply(choice.problem, Heard(), intent=intent), language))
        return None
    return choice.series or CUSTOMS_SERIES, choice.rest


@dataclass(frozen=True)
class CsvFile:
    """A written ``/csv`` file: its name, bytes and caption in each language (``rows`` 0: no
    figure matched)."""

    filename: str
    data: bytes
    captions: dict[Language, str]
    rows: int


async def csv_file(lookup: Lookup, request: visuals.CsvRequest) -> CsvFile:
    """The file ``request`` asks for, written once per data snapshot on the default thread
    pool (``/csv all`` is linear in the figures), with its caption in each language; who asks
    while it is written waits for the same one."""

    def write() -> CsvFile:
        export = visuals.csv_rows(lookup, request)
        captions: dict[Language, str] = {
            language: visuals.csv_caption(export, lookup.info, language) for language in LANGUAGES
        }
        return CsvFile(export.filename, export.encode(), captions, len(export.rows))

    key = ("csv", request)
    writing = lookup.remember(key, lambda: asyncio.ensure_future(asyncio.to_thread(write)))
    try:
        return await asyncio.shield(writing)
    except Exception:
        lookup.memo.pop(key, None)  # not remembered: the next ask tries again
        raise


async def csv(update: Update, context: BotContext) -> None:
    """``/csv [material] [country|all] [range]``."""
    message = update.effective_message
    if message is None:
        return
    language = await reply_language_of(update, context)
    choice = await _choice(update, context, arguments(message.text), "csv", language)
    if choice is None:
        return
    await send_csv(update, context, *choice, language)


async def send_csv(
    update: Update, context: BotContext, series: str, text: str, language: Language = "en"
) -> None:
    """The CSV file ``text`` asks for in ``series``, or why there is none, in ``language``."""
    message = update.effective_message
    assert message is not None
    try:
        lookup = context.services.lookup(series)
    except NoSeries:
        name = material_name(series, language)
        await send(update, [by_material.no_data(series, name, language)])
        return
    request = visuals.csv_request(lookup, text)
    if not isinstance(request, visuals.CsvRequest):
        await send(update, [answers.problem(request, language)])
        return
    made = await csv_file(lookup, request)
    if not made.rows:
        none = tr(language, "No figures match that partner and period. /help shows the coverage.")
        await send(update, [none])
        return
    filename = made.filename
    if series_word(series) and series_word(series) not in filename:
        filename = filename.replace("exportwatch-", f"exportwatch-{series_word(series)}-", 1)
    caption = made.captions[language]
    await message.reply_document(made.data, filename=filename, caption=caption)
