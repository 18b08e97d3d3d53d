"""Wiring in one place: settings and services in, a ready PTB Application out.

Updates are handled concurrently, at most :data:`UPDATES_AT_ONCE` at a time, by
:class:`ChatOrderedProcessor`: different chats in parallel, one chat's updates one after
another in the order they came (a follow-up needs the question before it answered first).
"""

from __future__ import annotations

import gc
import inspect
import logging
from collections import deque
from collections.abc import Awaitable
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest

import handlers
from bot.i18n import Language, tr
from bot.logs import about_update
from bot.scheduler import start_background, stop_background
from bot.services import SERVICES_KEY, BotApplication, BotContext, Services
from handlers.charts import CHARTS_KEY, ChartDrawer

log = logging.getLogger(__name__)


def menu(language: Language) -> list[BotCommand]:
    """The menu Telegram shows when the user types "/", in ``language`` (set at start-up)."""
    return [
        BotCommand("exports", tr(language, "Tonnes, changes, share and rank: /exports US 2025-06")),
        BotCommand("chart", tr(language, "Monthly chart: /chart US, /chart top 2025-06")),
        BotCommand("top", tr(language, "Partners ranked for a month: /top 2025-06")),
        BotCommand("summary", tr(language, "The month's news summary: /summary 2025-06")),
        BotCommand("sources", tr(language, "Where each figure comes from: /sources US 2025-06")),
        BotCommand("csv", tr(language, "Figures as a CSV file: /csv all 2025")),
        BotCommand(
            "comtrade", tr(language, "UN Comtrade's HS 850511, a separate series: /comtrade US")
        ),
        BotCommand(
            "materials", tr(language, "Every material: its unit, months covered and next release")
        ),
        BotCommand("subscribe", tr(language, "Get each new month here as it is published")),
        BotCommand("unsubscribe", tr(language, "Stop the monthly summary")),
        BotCommand("status", tr(language, "This chat's subscription and the next release")),
        BotCommand("alert", tr(language, "Set an alert in plain words: /alert US mom < -25%")),
        BotCommand("alerts", tr(language, "This chat's alerts, with a button to delete each")),
        BotCommand("watch", tr(language, "Watch a few partners: /watch DE JP KR")),
        BotCommand("lang", tr(language, "This chat's language: /lang zh (中文) or /lang en")),
        BotCommand("settings", tr(language, "Language, time zone, delivery hours and materials")),
        BotCommand("help", tr(language, "What the bot does, with examples")),
    ]


#: The English menu: for every user whose Telegram app is in a language with no menu of its own.
MENU = menu("en")
#: Telegram language code → the language of the menu set for the users whose app is in it.
MENUS: dict[str, Language] = {"zh": "zh"}


async def startup(application: BotApplication) -> None:
    """PTB ``post_init``: the command menu (English for everyone, Chinese for users whose
    Telegram is in Chinese), then the database, outbox and jobs; then what start-up made is
    set aside from the garbage collector (:func:`settle_heap`)."""
    await application.bot.set_my_commands(MENU)
    for code, language in MENUS.items():
        await application.bot.set_my_commands(menu(language), language_code=code)
    await start_background(application)
    settle_heap()


def settle_heap() -> None:
    """Move everything made so far (modules, PTB, the first data) out of the collector's
    sight with :func:`gc.freeze`: they live as long as the process, and a full collection
    would otherwise walk them all (~40 ms), pausing every update in hand. No collection
    first: it would take those same 40 ms before the first answer, to free a dozen objects
    (measured at start-up)."""
    gc.freeze()


OFFLINE_TOKEN = "0:offline"  # any token works when the network layer is local
UPDATES_AT_ONCE = 64  # updates handled at the same time (each waits mostly on the Bot API)
# Concurrent Bot API requests: one per update in hand, and some for the delivery worker.
CONNECTIONS = UPDATES_AT_ONCE + 16

ChatKey = tuple[str, int]


def chat_key(update: object) -> ChatKey | None:
    """What orders an update: its chat, else its user (inline queries), else nothing."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Different chats at once (at most ``max_concurrent_updates``), one chat in order.

    An update whose chat is busy is queued behind the one in hand, and its slot given back at
    once: the chat's running update handles the queue before it finishes. So a waiting update
    holds no slot, one busy chat holds one, and the others go on around it. Order holds
    because PTB starts an update's task in the order updates arrive and the slots are handed
    out first come, first served.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._queues: dict[ChatKey, deque[Awaitable[Any]]] = {}

    @property
    def waiting(self) -> int:
        """Updates queued behind an earlier update of their chat."""
        return sum(len(queue) - 1 for queue in self._queues.values())

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        queue = self._queues.get(key)
        if queue is not None:  # the chat's update in hand will handle this one next
            queue.append(coroutine)
            return
        queue = self._queues[key] = deque([coroutine])
        try:
            while queue:
                try:
                    await queue[0]
                except Exception:  # handler errors went to the error handler already
                    log.exception("an update failed outside its handlers")
                queue.popleft()
        finally:
            del self._queues[key]
            for left in queue:  # cancelled at shutdown: close what will never run
                if inspect.iscoroutine(left):
                    left.close()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the Application waits for the updates in hand before this."""


class LoggedApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application, naming each update and its chat in the log lines of its handling."""

    async def process_update(self, update: object) -> None:
        with about_update(update):
            log.debug("update received")
            await super().process_update(update)

    async def shutdown(self) -> None:
        """PTB's shutdown, then the chart process's."""
        await super().shutdown()
        drawer = self.bot_data.get(CHARTS_KEY)
        if isinstance(drawer, ChartDrawer):
            drawer.close()


def build_application(
    services: Services,
    request: BaseRequest | None = None,
    token: str | None = None,
    updates_at_once: int = UPDATES_AT_ONCE,
) -> BotApplication:
    """The bot's Application. ``request`` replaces the HTTP layer (console, tests);
    ``updates_at_once`` bounds the updates handled at the same time (1: one at a time).

    ``post_init`` opens the database and joins the leadership (the leader resumes the outbox
    and schedules the release watcher); ``post_stop`` stops that and closes the database. They
    run under ``run_polling``; :func:`bot.web.serve` calls them itself, and so do the console
    and tests (:func:`bot.scheduler.start_background`).
    """
    settings = services.settings
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        tzinfo=settings.timezone,
    )
    context_types: ContextTypes[BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any]]
    context_types = ContextTypes(context=BotContext)
    builder = (
        ApplicationBuilder()
        .application_class(LoggedApplication)
        .token(token or settings.token or OFFLINE_TOKEN)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.file_api_url)
        .defaults(defaults)
        .context_types(context_types)
        .concurrent_updates(ChatOrderedProcessor(updates_at_once))
        .post_init(startup)
        .post_stop(stop_background)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.connection_pool_size(CONNECTIONS).pool_timeout(30)
    application: BotApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    application.bot_data[CHARTS_KEY] = ChartDrawer()
    handlers.register(application)
    return application
