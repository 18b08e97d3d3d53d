"""The bot's life on Telegram: start-up step by step, then a shut-down whose every step is
bounded, so it ends within systemd's stop timeout however the Bot API behaves.

A start-up step that fails (Telegram or the network refusing ``getMe``, ``setMyCommands``,
``deleteWebhook`` or ``setWebhook``, the port taken) raises :class:`StartFailed` with one line
naming the step; the shut-down runs either way and hands the background lease back. SIGINT and
SIGTERM stop the bot at any point, also during start-up.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol

from telegram import Update
from telegram.error import InvalidToken, TelegramError

from bot.app import startup
from bot.push.leadership import Lease
from bot.scheduler import stop_background
from bot.services import BotApplication, Services

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)
#: Each shut-down step's share of ``SHUTDOWN_TIMEOUT``; together they use at most all of it.
SHARES = {
    "web server": 0.15,
    "polling": 0.15,
    "updates in hand": 0.25,
    "background work": 0.25,
    "lease": 0.05,  # and as much to close the database after it
    "Bot API client": 0.1,
}


class StartFailed(Exception):
    """A start-up step failed; the message is one line naming it (not yet redacted)."""


class TokenRefused(StartFailed):
    """Telegram does not know the token."""


class Server(Protocol):
    """The web server, as the life cycle sees it."""

    where: str  # host:port, for log lines

    async def start(self) -> asyncio.Task[None]:
        """Listen; the task returned ends when the server does. OSError if it cannot."""
        ...

    async def stop(self) -> None: ...


async def run(
    application: BotApplication,
    services: Services,
    server: Server | None = None,
    stop: asyncio.Event | None = None,
    on_shut_down: Callable[[], None] | None = None,
) -> None:
    """Start, run until SIGINT or SIGTERM (or ``stop`` is set, or the server ends), shut down.
    Raises :class:`StartFailed` when a start-up step failed (after shutting down).
    ``on_shut_down`` is called as the shut-down begins (the command line arms a last-resort
    exit there)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    stopping = asyncio.create_task(stop.wait(), name="stop")
    try:
        starting = asyncio.create_task(_start(application, services, server), name="start-up")
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            log.warning("asked to stop during start-up")
            starting.cancel()
            await asyncio.gather(starting, return_exceptions=True)
            return
        serving = starting.result()  # raises StartFailed
        await asyncio.wait({stopping, *serving}, return_when=asyncio.FIRST_COMPLETED)
        if not stop.is_set():
            log.error("the web server stopped by itself; stopping the bot")
    finally:
        stopping.cancel()
        if on_shut_down is not None:
            on_shut_down()
        lease = services.leadership.lease if services.leadership is not None else None
        await shut_down(application, services, server, lease)
        for signum in SIGNALS:
            loop.remove_signal_handler(signum)


async def _start(
    application: BotApplication, services: Services, server: Server | None
) -> set[asyncio.Task[None]]:
    """The start-up steps in order; returns the web server's task (if any) to watch."""
    settings = services.settings
    serving: set[asyncio.Task[None]] = set()
    await _step("getMe", application.initialize)
    await _step("setMyCommands", lambda: startup(application))
    await application.start()
    if server is not None:
        try:
            serving.add(await server.start())
        except OSError as error:
            raise StartFailed(f"could not listen on {server.where}: {error}") from error
    if settings.mode == "webhook":
        assert settings.webhook_url is not None
        await _step(
            "setWebhook",
            lambda: application.bot.set_webhook(
                settings.webhook_url or "",
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            ),
        )
        log.info("webhook registered; serving on %s", server.where if server else "?")
    else:
        assert application.updater is not None
        updater = application.updater
        await _step(
            "deleteWebhook", lambda: updater.start_polling(allowed_updates=Update.ALL_TYPES)
        )
        where = f"; health check on {server.where}" if server else ""
        log.info("polling%s", where)
    return serving


async def _step(name: str, call: Callable[[], Awaitable[Any]]) -> None:
    """Run a start-up step; a Telegram or network error becomes :class:`StartFailed`."""
    try:
        await call()
    except InvalidToken as error:
        raise TokenRefused(f"Telegram refused the token at {name}: {error}") from error
    except TelegramError as error:
        raise StartFailed(f"{name} failed: {error}") from error


async def shut_down(
    application: BotApplication, services: Services, server: Server | None, lease: Lease | None
) -> None:
    """Stop what was started, in order, each step within its share of ``SHUTDOWN_TIMEOUT``;
    a step cut short is logged and the next runs anyway. When stopping the background work
    is cut short, the lease is handed back and the database closed here."""
    total = services.settings.shutdown_seconds
    updater = application.updater
    if server is not None:
        await bounded("web server", server.stop(), total * SHARES["web server"])
    if updater is not None and updater.running:
        await bounded("polling", updater.stop(), total * SHARES["polling"])
    if application.running:
        share = total * SHARES["updates in hand"]
        if not await bounded("updates in hand", application.stop(), share):
            _cancel_update_handling()
    share = total * SHARES["background work"]
    if not await bounded("background work", stop_background(application), share):
        if lease is not None:
            await bounded("lease", lease.release(), total * SHARES["lease"])
        await bounded("database", services.store.close(), total * SHARES["lease"])
    await bounded("Bot API client", application.shutdown(), total * SHARES["Bot API client"])


def _cancel_update_handling() -> None:
    """Cancel the Application's fetching and handling of updates (those still queued are
    dropped), so nothing is handled after its Bot API client is closed."""
    for task in asyncio.all_tasks():
        if task.get_name().startswith("Application:"):  # PTB's names for its own tasks
            task.cancel()


async def bounded(name: str, work: Coroutine[Any, Any, Any], seconds: float) -> bool:
    """Give ``work`` at most ``seconds``; False (and a log line) if it was cut short or failed.
    A step cut short is cancelled but not waited for: a step that ignores its cancellation
    (or blocks in a thread) cannot hold up the rest."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        log.warning("shut-down: %s did not finish within %.1f s; cut short", name, seconds)
        return False
    if not task.cancelled() and (error := task.exception()) is not None:
        log.warning("shut-down: %s failed: %s", name, error)
        return False
    return True
