"""The bot's HTTP side: the webhook Telegram posts updates to, and ``GET /healthz``.

In the style of PTB's custom webhook example: a small Starlette app served by uvicorn on the
Application's event loop; :mod:`bot.lifecycle` starts and stops it with the Application.
``BOT_MODE=webhook`` serves both on ``WEBHOOK_LISTEN``:``WEBHOOK_PORT``; polling with
``HEALTH_PORT`` set serves the health check there while the Application polls.

The server keeps to its limits whoever connects: at most ``WEBHOOK_MAX_CONNECTIONS`` open at
once (more get 503 and are closed at once, so the process never runs out of file
descriptors), a request's head within ``WEBHOOK_HEADER_TIMEOUT`` and its body within
``WEBHOOK_BODY_TIMEOUT`` (else the connection is closed), and a body of at most
``WEBHOOK_MAX_BODY`` (else 413).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import h11
import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot import lifecycle
from bot.app import build_application
from bot.config import Settings
from bot.health import health
from bot.services import BotApplication, Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
BACKLOG = 128  # connections waiting to be accepted; uvicorn's 2048 only makes a flood longer
BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
    b"Connection: close\r\nRetry-After: 1\r\n\r\nbusy\n"
)
CLOSE = {"Connection": "close"}


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    header_seconds: float
    body_seconds: float
    max_connections: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            settings.max_body_bytes,
            settings.header_timeout,
            settings.body_timeout,
            settings.max_connections,
        )


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
            body = await read_body(request, settings.max_body_bytes)
        except ClientDisconnect:
            return Response("no body", status_code=400, headers=CLOSE)
        if body is None:
            log.warning("webhook: refused a body over %d bytes", settings.max_body_bytes)
            return Response("too large", status_code=413, headers=CLOSE)
        update = as_update(body, application)
        if update is None:
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


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request's body, or None when it is (or says it is) over ``limit`` bytes."""
    length = request.headers.get("content-length", "")
    if length and (not length.isdigit() or int(length) > limit):
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def as_update(body: bytes, application: BotApplication) -> Update | None:
    """The update in ``body``; None (and a warning) for anything else, however malformed:
    not JSON, JSON that is not an object with an ``update_id``, fields of the wrong type,
    nesting too deep to read."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict):
            raise TypeError(f"a JSON {type(data).__name__}, not an object")
        if type(data.get("update_id")) is not int:
            raise TypeError("no whole-number update_id")
        update = Update.de_json(data, application.bot)
    except Exception as error:  # any failure to read it means "not an update"
        reason = f"{type(error).__name__}: {error}"[:200]
        log.warning("webhook: refused a body that is not an update: %s", reason)
        return None
    return update


class GuardedProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with the server's limits: a connection over the cap is
    answered 503 and closed before it is read; a request's head must arrive within
    ``header_seconds`` (counted afresh for each request on a kept-alive connection, however
    slowly its bytes trickle in) and its body within ``body_seconds`` after the head."""

    _refused = False
    _phase: str | None = None  # "head" or "body": what the connection is waiting for
    _deadline: asyncio.TimerHandle | None = None
    _answered = 0

    @property
    def limits(self) -> Limits:
        return cast(GuardedConfig, self.config).limits

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if len(self.connections) >= self.limits.max_connections:
            self._refused = True
            log.warning(
                "web: refused a connection: %d open, the most WEBHOOK_MAX_CONNECTIONS allows",
                len(self.connections),
            )
            cast(asyncio.Transport, transport).write(BUSY)
            transport.close()
            return
        super().connection_made(transport)  # type: ignore[arg-type]
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._set_phase(None)
        if not self._refused:
            super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self._refused:
            super().data_received(data)

    def handle_events(self) -> None:
        super().handle_events()
        self._watch()

    def on_response_complete(self) -> None:
        self._answered += 1
        super().on_response_complete()
        self._watch()

    def _watch(self) -> None:
        """Arm the deadline for what the connection now waits for from the client."""
        theirs = self.conn.their_state
        if self.transport.is_closing():
            phase = None
        elif theirs is h11.SEND_BODY:
            phase = "body"
        elif theirs is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
            phase = "head"
        else:
            phase = None  # the request is in; the answer is being written
        self._set_phase(phase)

    def _set_phase(self, phase: str | None) -> None:
        if phase == self._phase:
            return
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self._phase = phase
        if phase is not None:
            seconds = self.limits.header_seconds if phase == "head" else self.limits.body_seconds
            self._deadline = self.loop.call_later(seconds, self._timed_out, seconds)

    def _timed_out(self, seconds: float) -> None:
        self._deadline = None
        idle_after_answer = self._answered and not self.conn.trailing_data[0]
        if self._phase == "body" or not idle_after_answer:
            what = "body" if self._phase == "body" else "request"
            log.warning(
                "web: closed a connection that sent no complete %s within %g s", what, seconds
            )
        self._phase = None
        self.transport.close()


class GuardedConfig(uvicorn.Config):
    """uvicorn's settings, with the limits the protocol reads."""

    def __init__(self, app: Starlette, limits: Limits, **kwargs: Any) -> None:
        super().__init__(app, http=GuardedProtocol, **kwargs)
        self.limits = limits


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: :mod:`bot.lifecycle` stops it with the bot."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class WebServer:
    """The Starlette app under uvicorn, on the running loop, with the limits in ``settings``."""

    def __init__(self, app: Starlette, settings: Settings, port: int) -> None:
        self.config = GuardedConfig(
            app,
            Limits.of(settings),
            host=settings.webhook_listen,
            port=port,
            log_config=None,
            lifespan="off",
            backlog=BACKLOG,
            timeout_graceful_shutdown=max(1, int(settings.shutdown_seconds / 10)),
        )
        self.server = _Server(self.config)
        self.where = f"{settings.webhook_listen}:{port}"
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> asyncio.Task[None]:
        """Listen (OSError if the address cannot be had); the task ends with the server."""
        self._task = asyncio.create_task(self._serve(), name="web")
        while not self.server.started and not self._task.done():
            await asyncio.sleep(0.02)
        if not self.server.started:
            await asyncio.gather(self._task, return_exceptions=True)
            raise OSError("the address is taken or cannot be used (see the line above)")
        return self._task

    async def _serve(self) -> None:
        with suppress(SystemExit):  # uvicorn exits when it cannot bind; it has logged why
            await self.server.serve()

    async def stop(self) -> None:
        self.server.should_exit = True
        if self._task is not None:
            await self._task


async def serve(
    services: Services,
    stop: asyncio.Event | None = None,
    on_shut_down: Callable[[], None] | None = None,
) -> None:
    """Run the bot with its web server until SIGINT or SIGTERM (or ``stop`` is set); see
    :func:`bot.lifecycle.run`."""
    settings = services.settings
    webhook = settings.mode == "webhook"
    port = settings.webhook_port if webhook else settings.health_port
    application = build_application(services)
    server = WebServer(web_app(application, services), settings, port or settings.webhook_port)
    await lifecycle.run(application, services, server, stop, on_shut_down)
