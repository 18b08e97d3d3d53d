"""Wiring in one place: settings and services in, a ready PTB Application out."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

import handlers
from bot.logs import about_update
from bot.scheduler import start_background, stop_background
from bot.services import SERVICES_KEY, BotApplication, BotContext, Services

log = logging.getLogger(__name__)

# The menu Telegram shows when the user types "/" (set at start-up).
MENU = [
    BotCommand("exports", "Tonnes, changes, share and rank: /exports US 2025-06"),
    BotCommand("chart", "Monthly chart: /chart US, /chart top 2025-06"),
    BotCommand("top", "Partners ranked for a month: /top 2025-06"),
    BotCommand("summary", "The month's news summary: /summary 2025-06"),
    BotCommand("sources", "Where each figure comes from: /sources US 2025-06"),
    BotCommand("csv", "Figures as a CSV file: /csv all 2025"),
    BotCommand("comtrade", "UN Comtrade's HS 850511, a separate series: /comtrade US"),
    BotCommand("subscribe", "Get each new month here as it is published"),
    BotCommand("unsubscribe", "Stop the monthly summary"),
    BotCommand("status", "This chat's subscription and the next release"),
    BotCommand("help", "What the bot does, with examples"),
]


async def startup(application: BotApplication) -> None:
    """PTB ``post_init``: the command menu, then the database, outbox and jobs."""
    await application.bot.set_my_commands(MENU)
    await start_background(application)


OFFLINE_TOKEN = "0:offline"  # any token works when the network layer is local
CONNECTIONS = 32  # concurrent Bot API requests, so a broadcast is not one at a time


class LoggedApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application, naming each update and its chat in the log lines of its handling."""

    async def process_update(self, update: object) -> None:
        with about_update(update):
            log.debug("update received")
            await super().process_update(update)


def build_application(
    services: Services, request: BaseRequest | None = None, token: str | None = None
) -> BotApplication:
    """The bot's Application. ``request`` replaces the HTTP layer (console, tests).

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
        .post_init(startup)
        .post_stop(stop_background)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.connection_pool_size(CONNECTIONS).pool_timeout(30)
    application: BotApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    handlers.register(application)
    return application
