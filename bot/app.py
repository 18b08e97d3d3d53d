"""Wiring in one place: settings and services in, a ready PTB Application out."""

from __future__ import annotations

from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

import handlers
from bot.services import SERVICES_KEY, BotApplication, BotContext, Services

OFFLINE_TOKEN = "0:offline"  # any token works when the network layer is local


def build_application(
    services: Services, request: BaseRequest | None = None, token: str | None = None
) -> BotApplication:
    """The bot's Application. ``request`` replaces the HTTP layer (console, tests)."""
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
        .token(token or settings.token or OFFLINE_TOKEN)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.file_api_url)
        .defaults(defaults)
        .context_types(context_types)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application: BotApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    handlers.register(application)
    return application
