"""The web server keeps to its limits over real sockets: bodies that are not updates get 400,
a body too large 413, a request's head or body that does not arrive in time has its
connection closed, connections over the cap get 503, and 1,100 idle connections neither take
the bot offline nor flood its log."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.updates import message_update
from bot.web import SECRET_HEADER
from tests.conftest import DATA_DIR
from tests.fake_telegram import FakeTelegram
from tests.live import TOKEN, free_port, start_bot_process, wait_for

SECRET = "limits-secret"
MAX_BODY = 64 * 1024
CAP = 8


class Bot:
    def __init__(self, tg: FakeTelegram, port: int, log: Path) -> None:
        self.tg = tg
        self.port = port
        self.log = log

    def post(self, body: bytes) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/hook",
            data=body,
            headers={"Content-Type": "application/json", SECRET_HEADER: SECRET},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return error.code

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as a:
                return bool(a.status == 200)
        except (OSError, urllib.error.HTTPError):
            return False

    def exchange(self, *parts: bytes) -> bytes:
        """Send ``parts``, then read until the server closes the connection."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as sock:
            for part in parts:
                sock.sendall(part)
            return read_to_end(sock)

    def lines(self, text: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if text in line]


def read_to_end(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def head(content_length: int | None = None, extra: str = "") -> bytes:
    length = f"Content-Length: {content_length}\r\n" if content_length is not None else ""
    return (
        f"POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        f"{SECRET_HEADER}: {SECRET}\r\n{length}{extra}\r\n"
    ).encode()


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    folder = tmp_path_factory.mktemp("limits")
    port = free_port()
    log = folder / "bot.log"
    with FakeTelegram(TOKEN) as tg:
        process = start_bot_process(
            tg,
            DATA_DIR,
            f"sqlite+aiosqlite:///{folder / 'bot.db'}",
            log,
            BOT_MODE="webhook",
            WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=SECRET,
            HEALTH_MAX_LATE_DAYS="365",
            WEBHOOK_MAX_BODY="64k",
            WEBHOOK_HEADER_TIMEOUT="2s",
            WEBHOOK_BODY_TIMEOUT="2s",
            WEBHOOK_MAX_CONNECTIONS=str(CAP),
        )
        try:
            assert wait_for(lambda: tg.webhook is not None, 30), log.read_text()
            yield Bot(tg, port, log)
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, log.read_text()
    assert SECRET not in log.read_text() and TOKEN not in log.read_text()


NOT_UPDATES = [
    b"null",
    b"[]",
    b"1",
    b'"update"',
    b"{}",
    b'{"update_id": "1"}',
    b'{"update_id": 1, "message": 5}',
    b'{"update_id": 1, "message": {"chat": []}}',
    b'{"update_id": 1, "message": ' + b"[" * 30000 + b"]" * 30000 + b"}",
    b"{not json",
]


def test_bodies_that_are_not_updates_get_400_and_the_bot_answers_on(bot: Bot) -> None:
    for body in NOT_UPDATES + [b"null"] * 5:
        assert bot.post(body) == 400, body[:60]
    bot.tg.push_update(message_update("/exports US 2025-06", chat_id=61))
    assert wait_for(lambda: bot.tg.messages_to(61), 30), bot.log.read_text()
    text = bot.log.read_text()
    assert "Traceback" not in text and " 500" not in text
    # The same refusal six times within a minute is one line: the repeat filter holds back
    # the rest (different refusals get their own line).
    assert len(bot.lines("not an update: TypeError: a JSON NoneType")) == 1


def test_a_body_over_the_limit_gets_413(bot: Bot) -> None:
    declared = bot.exchange(head(10_000_000))  # refused on its Content-Length, unread
    assert declared.startswith(b"HTTP/1.1 413 "), declared[:80]
    chunk = b"x" * 16384
    chunks = [f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for _ in range(5)]  # 80 KB
    streamed = bot.exchange(head(extra="Transfer-Encoding: chunked\r\n"), *chunks)
    assert streamed.startswith(b"HTTP/1.1 413 "), streamed[:80]
    assert bot.post(json.dumps(message_update("/help", chat_id=62)).encode()) == 200


def test_a_request_head_that_does_not_arrive_in_time_is_closed(bot: Bot) -> None:
    assert bot.exchange(b"POST /hook HTTP/1.1\r\nHost: bot\r\n") == b""
    # A head trickling in, a line a second, is closed too: the time counts from its start.
    with socket.create_connection(("127.0.0.1", bot.port), timeout=20) as sock:
        sock.sendall(b"POST /hook HTTP/1.1\r\n")
        closed = False
        for n in range(20):
            try:
                sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
            except OSError:
                closed = True
                break
            if not wait_readable(sock, 1.0):
                continue
            closed = read_to_end(sock) == b""
            break
        assert closed, "a head sent a line a second was never cut off"
    assert bot.lines("sent no complete request within 2 s")


def test_a_body_that_does_not_arrive_in_time_is_closed(bot: Bot) -> None:
    assert bot.exchange(head(100), b'{"update_id": ') == b""
    assert bot.lines("sent no complete body within 2 s")


def wait_readable(sock: socket.socket, seconds: float) -> bool:
    import select

    readable, _, _ = select.select([sock], [], [], seconds)
    return bool(readable)


def test_connections_over_the_cap_get_503_and_the_bot_serves_on(bot: Bot) -> None:
    idle = [socket.create_connection(("127.0.0.1", bot.port), timeout=20) for _ in range(CAP)]
    extra = [socket.create_connection(("127.0.0.1", bot.port), timeout=20) for _ in range(4)]
    try:
        for sock in extra:
            assert read_to_end(sock).startswith(b"HTTP/1.1 503 "), "over the cap"
        for sock in idle:  # closed in their turn, for sending nothing
            assert read_to_end(sock) == b""
    finally:
        for sock in idle + extra:
            sock.close()
    assert wait_for(bot.healthy, 30)
    assert bot.lines("refused a connection: 8 open")


def test_a_thousand_idle_connections_neither_take_the_bot_offline_nor_flood_its_log(
    tmp_path: Path,
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1500:
        pytest.skip(f"this test needs 1,500 open files; the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1500), hard))

    def usual_limit() -> None:  # the bot runs with the common default of 1,024 files
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))

    port = free_port()
    log = tmp_path / "bot.log"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    with FakeTelegram(TOKEN) as tg, log.open("ab") as out:
        environ |= {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": tg.url,
            "DATA_DIR": str(DATA_DIR),
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "BOT_MODE": "webhook",
            "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HEADER_TIMEOUT": "3s",
            "HEALTH_MAX_LATE_DAYS": "365",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=environ,
            stdout=out,
            stderr=out,
            preexec_fn=usual_limit,
        )
        sockets: list[socket.socket] = []
        try:
            assert wait_for(lambda: tg.webhook is not None, 30), log.read_text()
            for _ in range(1100):
                sockets.append(socket.create_connection(("127.0.0.1", port), timeout=30))
            answers = [read_to_end(sock) for sock in sockets]  # every one is closed
            refused = sum(answer.startswith(b"HTTP/1.1 503 ") for answer in answers)
            assert refused and answers.count(b"") + refused == 1100  # refused, or idle and closed
            for sock in sockets:
                sock.close()
            assert wait_for(lambda: Bot(tg, port, log).healthy(), 30), log.read_text()[-2000:]
            tg.push_update(message_update("/exports US 2025-06", chat_id=63))
            assert wait_for(lambda: tg.messages_to(63), 30), log.read_text()[-2000:]
        finally:
            for sock in sockets:
                sock.close()
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)
    lines = log.read_text().splitlines()
    assert code == 0, lines[-20:]
    assert len(lines) < 40, lines[:40]
    assert not [line for line in lines if "out of system resource" in line]
    assert len([line for line in lines if "refused a connection" in line]) == 1
