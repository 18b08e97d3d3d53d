"""The bot's HTTP side: the webhook Telegram posts updates to, and ``GET /healthz``.

In the style of PTB's custom webhook example: a small Starlette app served by uvicorn on the
Application's event loop, the Application started and stopped by hand. ``BOT_MODE=webhook``
serves both on ``WEBHOOK_LISTEN``:``WEBHOOK_PORT``; polling with ``HEALTH_PORT`` set serves the
health check there while the Application polls.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import signal
from collections.abc import Iterator
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.app import build_application, startup
from bot.health import health
from bot.scheduler import stop_background
from bot.services import BotApplication, Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def web_app(application: BotApplication, services: Services) -> Starlette:
    """The routes: ``GET /healthz``, and in webhook mode ``POST`` on the webhook's path."""
    settings = services.settings
    secret = (settings.webhook_secret or "").encode()

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not secret or not hmac.compare_digest(given, secret):
            log.warning("webhook: refused a request without the right secret token")
            return Response("forbidden", status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("webhook: refused a body that is not an update: %s", error)
            return Response("not an update", status_code=400)
        await application.update_queue.put(update)
        return Response()

    async def healthz(_request: Request) -> JSONResponse:
        healthy, report = await health(services)
        return JSONResponse(report, status_code=200 if healthy else 503)

    routes = [Route("/healthz", healthz, methods=["GET"])]
    if settings.mode == "webhook" and settings.webhook_url:
        routes.append(Route(webhook_path(settings.webhook_url), telegram, methods=["POST"]))
    return Starlette(routes=routes)


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: :func:`serve` stops it and the bot together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve(services: Services, stop: asyncio.Event | None = None) -> None:
    """Run the bot with its web server until SIGINT or SIGTERM (or ``stop`` is set)."""
    settings = services.settings
    webhook = settings.mode == "webhook"
    port = settings.webhook_port if webhook else settings.health_port
    application = build_application(services)
    config = uvicorn.Config(
        web_app(application, services),
        host=settings.webhook_listen,
        port=port or settings.webhook_port,
        log_config=None,
        lifespan="off",
    )
    server = _Server(config)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with application:
        await startup(application)
        await application.start()
        serving = asyncio.create_task(server.serve(), name="web")
        while not server.started and not serving.done():  # listen before Telegram posts
            await asyncio.sleep(0.02)
        if webhook:
            assert settings.webhook_url is not None
            await application.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
            log.info("webhook registered; serving on %s:%s", config.host, config.port)
        else:
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("polling; health check on %s:%s", config.host, config.port)
        stopping = asyncio.create_task(stop.wait(), name="stop")
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True
        stopping.cancel()
        await asyncio.gather(serving, return_exceptions=True)
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        await application.stop()
        await stop_background(application)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(signum)
