"""A fake Telegram Bot API server on loopback, for tests and benchmarks.

The real bot talks to it over HTTP through ``TELEGRAM_API_BASE_URL``. It runs its own event
loop in a thread, so a bot in the same process or in a subprocess can use it. Like Telegram it:

- rejects invalid HTML and texts over 4096 characters (400 "can't parse entities" / too long);
- answers 429 with ``retry_after`` when more than ``overall_per_second`` messages arrive in
  any second, or more than ``group_per_minute`` to one group in any minute;
- answers 403 for chats that blocked or removed the bot, 400 with ``migrate_to_chat_id`` for
  groups upgraded to supergroups, and 400 "chat not found" for deleted chats;
- can drop a connection without answering, or hold ``sendMessage`` requests unanswered (as
  if they never reached Telegram) until told to drop them;
- keeps the webhook a bot registers (``setWebhook`` with its secret token) and then posts
  pushed updates to it over HTTP, as Telegram does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from bot.offline import BOT_USER, chat_member
from bot.render.telegram_html import html_problem
from bot.web import SECRET_HEADER


@dataclass(frozen=True)
class Delivered:
    chat_id: int
    thread_id: int | None
    text: str
    at: float


@dataclass
class Behaviour:
    """How chats behave; change it at any time, also mid-broadcast."""

    blocked: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    drop_connections: dict[int, int] = field(default_factory=dict)  # chat → drops left
    members: dict[tuple[int, int], str] = field(default_factory=dict)  # (chat, user) → status
    #: Once this many messages are delivered, hold further sendMessage requests unanswered.
    hold_after: int | None = None


class FakeTelegram:
    def __init__(
        self,
        token: str,
        overall_per_second: float = 30,
        group_per_minute: float = 20,
        retry_after: int = 1,
    ) -> None:
        self.token = token
        self.overall_per_second = overall_per_second
        self.group_per_minute = group_per_minute
        self.retry_after = retry_after
        self.behaviour = Behaviour()
        self.delivered: list[Delivered] = []
        self.responses: Counter[str] = Counter()
        self.methods: Counter[str] = Counter()
        self._overall: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._message_ids = itertools.count(1)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._updates: asyncio.Queue[dict[str, Any]] | None = None
        self._drop_held: asyncio.Event | None = None
        self.held = 0
        self.webhook: tuple[str, str] | None = None  # (url, secret token)
        self.webhook_answers: list[int] = []
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> FakeTelegram:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _start(self) -> None:
        self._updates = asyncio.Queue()
        self._drop_held = asyncio.Event()
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        """Close the server and every open connection, so the loop stops clean."""
        if self._server is not None:
            self._server.close()
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def push_update(self, update: dict[str, Any]) -> None:
        """Post an update to the webhook if one is set, else queue it for getUpdates."""
        if self.webhook is not None:
            self._loop.call_soon_threadsafe(self._loop.run_in_executor, None, self._post, update)
            return
        assert self._updates is not None
        self._loop.call_soon_threadsafe(self._updates.put_nowait, update)

    def _post(self, update: dict[str, Any]) -> None:
        assert self.webhook is not None
        url, secret = self.webhook
        request = urllib.request.Request(
            url,
            data=json.dumps(update).encode(),
            headers={"Content-Type": "application/json", SECRET_HEADER: secret},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        with self._lock:
            self.webhook_answers.append(status)

    def drop_held(self) -> None:
        """Answer nothing to the held requests: drop their connections, deliver nothing."""
        assert self._drop_held is not None
        self._loop.call_soon_threadsafe(self._drop_held.set)

    def messages_to(self, chat_id: int) -> list[Delivered]:
        with self._lock:
            return [d for d in self.delivered if d.chat_id == chat_id]

    def delivered_count(self) -> Counter[int]:
        with self._lock:
            return Counter(d.chat_id for d in self.delivered)

    # -- HTTP ------------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    break
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                path = request_line.decode("latin-1").split()[1]
                params = _params(headers.get("content-type", ""), body)
                status, payload = await self._answer(path, params)
                if status == 0:  # drop the connection without answering
                    writer.transport.abort()
                    return
                data = json.dumps(payload).encode()
                head = (
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n"
                )
                writer.write(head.encode() + data)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client went away, or the server is shutting down
        finally:
            writer.close()

    async def _answer(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return 401, _error(401, "Unauthorized")
        method = path[len(prefix) :]
        with self._lock:
            self.methods[method] += 1
        if method == "getMe":
            return 200, _ok(BOT_USER)
        if method == "getUpdates":
            return 200, _ok(await self._get_updates(float(params.get("timeout", 0))))
        if method == "getChatMember":
            key = (int(params["chat_id"]), int(params["user_id"]))
            return 200, _ok(chat_member(key[1], self.behaviour.members.get(key, "member")))

        if method == "setWebhook":
            self.webhook = (str(params["url"]), str(params.get("secret_token", "")))
            return 200, _ok(True)
        if method == "deleteWebhook":
            self.webhook = None
            return 200, _ok(True)
        if method == "sendMessage":
            hold = self.behaviour.hold_after
            if hold is not None and len(self.delivered) >= hold:
                assert self._drop_held is not None
                with self._lock:
                    self.held += 1
                await self._drop_held.wait()
                return 0, {}
            return self._send_message(params)
        return 200, _ok(True)

    async def _get_updates(self, timeout: float) -> list[dict[str, Any]]:
        assert self._updates is not None
        try:
            first = await asyncio.wait_for(self._updates.get(), timeout=min(timeout, 0.5))
        except TimeoutError:
            return []
        updates = [first]
        while not self._updates.empty():
            updates.append(self._updates.get_nowait())
        return updates

    def _send_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        behaviour = self.behaviour
        with self._lock:
            if behaviour.drop_connections.get(chat_id, 0) > 0:
                behaviour.drop_connections[chat_id] -= 1
                self.responses["dropped"] += 1
                return 0, {}
            if chat_id in behaviour.deleted:
                return self._reject(400, "Bad Request: chat not found", "not found")
            if chat_id in behaviour.blocked:
                who = (
                    "bot was blocked by the user"
                    if chat_id > 0
                    else "bot was kicked from the group chat"
                )
                return self._reject(403, f"Forbidden: {who}", "forbidden")
            if chat_id in behaviour.migrated:
                payload = _error(400, "Bad Request: group chat was upgraded to a supergroup chat")
                payload["parameters"] = {"migrate_to_chat_id": behaviour.migrated[chat_id]}
                self.responses["migrated"] += 1
                return 400, payload
            problem = html_problem(text) if params.get("parse_mode") == "HTML" else None
            if problem or len(text) > 4096:
                return self._reject(400, f"Bad Request: {problem or 'message is too long'}", "bad")
            if self._flooded(chat_id):
                payload = _error(429, f"Too Many Requests: retry after {self.retry_after}")
                payload["parameters"] = {"retry_after": self.retry_after}
                self.responses["429"] += 1
                return 429, payload
            thread = params.get("message_thread_id")
            thread_id = int(thread) if thread else None
            self.delivered.append(Delivered(chat_id, thread_id, text, time.monotonic()))
            self.responses["ok"] += 1
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "text": text,
            }
            if thread_id:
                message |= {"message_thread_id": thread_id, "is_topic_message": True}
            return 200, _ok(message)

    def _flooded(self, chat_id: int) -> bool:
        """Count this message against the limits; True if it exceeds one (not counted then)."""
        now = time.monotonic()
        overall = self._overall
        while overall and overall[0] <= now - 1.0:
            overall.popleft()
        group = self._groups.setdefault(chat_id, deque()) if chat_id < 0 else None
        if group is not None:
            while group and group[0] <= now - 60.0:
                group.popleft()
        if len(overall) >= self.overall_per_second:
            return True
        if group is not None and len(group) >= self.group_per_minute:
            return True
        overall.append(now)
        if group is not None:
            group.append(now)
        return False

    def _reject(self, code: int, description: str, label: str) -> tuple[int, dict[str, Any]]:
        self.responses[label] += 1
        return code, _error(code, description)


def _ok(result: Any) -> dict[str, Any]:
    return {"ok": True, "result": result}


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


def _params(content_type: str, body: bytes) -> dict[str, Any]:
    if content_type.startswith("application/json"):
        loaded: dict[str, Any] = json.loads(body or b"{}")
        return loaded
    return {k: v[0] for k, v in parse_qs(body.decode()).items()}
