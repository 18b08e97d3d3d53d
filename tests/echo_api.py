"""A scriptable Bot API server on loopback that misbehaves on purpose.

Each method answers as told: ``ok`` (as Telegram would), ``500``/``400``/``502`` with a
description that echoes the request's path and body (a misconfigured proxy or server does
that, and the path holds the token, the body the webhook secret), ``text`` (a 502 whose body
is not JSON but the echo), ``drop`` (close the connection unanswered) or ``hang`` (never
answer). The echo is sent both as it arrived and percent-decoded, as servers do either.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from typing import Any
from urllib.parse import unquote_plus

from bot.offline import BOT_USER


class EchoAPI:
    def __init__(self, token: str, default: str = "ok", **methods: str) -> None:
        self.token = token
        self.default = default
        self.methods = dict(methods)
        self.calls: Counter[str] = Counter()
        self.hanging = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    def __enter__(self) -> EchoAPI:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def behave(self, method: str, how: str) -> None:
        """From now on answer ``method`` (or ``*``: every method) this way."""
        with self._lock:
            if method == "*":
                self.default = how
                self.methods.clear()
            else:
                self.methods[method] = how

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while request_line := await reader.readline():
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                path = request_line.decode("latin-1").split()[1]
                method = path.rsplit("/", 1)[-1]
                with self._lock:
                    self.calls[method] += 1
                    how = self.methods.get(method, self.default)
                if how == "hang":
                    with self._lock:
                        self.hanging += 1
                    await asyncio.Event().wait()
                if how == "drop":
                    writer.transport.abort()
                    return
                status, payload = _answer(how, method, path, body)
                head = (
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n"
                )
                writer.write(head.encode() + payload)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


def _answer(how: str, method: str, path: str, body: bytes) -> tuple[int, bytes]:
    if how == "ok":
        result: Any = BOT_USER if method == "getMe" else [] if method == "getUpdates" else True
        return 200, json.dumps({"ok": True, "result": result}).encode()
    raw = body.decode("utf-8", "replace")
    decoded = f"{unquote_plus(path)} {unquote_plus(raw)}"
    echo = f"no route for POST {path} with {raw} (decoded: {decoded})"
    if how == "text":
        return 502, f"<html>Bad gateway: {echo}</html>".encode()
    status = int(how)
    payload = {"ok": False, "error_code": status, "description": f"Error: {echo}"}
    return status, json.dumps(payload).encode()
