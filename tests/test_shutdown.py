"""SIGTERM ends the bot within systemd's stop timeout (TimeoutStopSec=30) even when the Bot
API never answers: every shut-down step is bounded, a step cut short is logged, and the
background lease is handed back."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.updates import message_update
from bot.web import SECRET_HEADER
from tests.conftest import DATA_DIR
from tests.echo_api import EchoAPI
from tests.live import TOKEN, free_port, wait_for

SECRET = "shutdown-secret"
STOP_TIMEOUT = 25  # systemd's 30 s, with room to spare
SHUTDOWN = "3s"


@contextmanager
def bot_on(api: EchoAPI, folder: Path, **settings: str) -> Iterator[subprocess.Popen[bytes]]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    environ |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.url,
        "DATA_DIR": str(DATA_DIR),
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bot.db'}",
        "SHUTDOWN_TIMEOUT": SHUTDOWN,
        **settings,
    }
    with (folder / "bot.log").open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=folder, env=environ, stdout=out, stderr=out
        )
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def leases(folder: Path) -> list[tuple[object, ...]]:
    """The leases still held (a lease handed back stays as a row, expired)."""
    database = sqlite3.connect(folder / "bot.db")
    try:
        return database.execute("SELECT name, holder FROM leases WHERE expires_at > 0").fetchall()
    finally:
        database.close()


def post_update(port: int, chat_id: int) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/hook",
        data=json.dumps(message_update("/exports US 2025-06", chat_id=chat_id)).encode(),
        headers={"Content-Type": "application/json", SECRET_HEADER: SECRET},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return int(answer.status)


def test_sigterm_with_updates_in_hand_and_a_bot_api_that_never_answers(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "bot.log"
    with (
        EchoAPI(TOKEN) as api,
        bot_on(
            api,
            tmp_path,
            BOT_MODE="webhook",
            WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=SECRET,
        ) as bot,
    ):
        assert wait_for(lambda: "webhook registered" in log.read_text(), 30), log.read_text()
        assert leases(tmp_path), "the lease is taken"
        api.behave("*", "hang")
        for chat in range(70, 76):  # each answer would wait for its read timeout in turn
            assert post_update(port, chat) == 200
        assert wait_for(lambda: api.hanging, 30)
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=STOP_TIMEOUT) == 0, log.read_text()
    text = log.read_text()
    assert re.search(r"shut-down: updates in hand did not finish within [\d.]+ s; cut short", text)
    assert leases(tmp_path) == [], "the lease is handed back"
    assert TOKEN not in text and SECRET not in text


def test_sigterm_while_polling_a_bot_api_that_never_answers(tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    with EchoAPI(TOKEN, getUpdates="hang") as api, bot_on(api, tmp_path) as bot:
        assert wait_for(lambda: api.hanging, 30), log.read_text()
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=STOP_TIMEOUT) == 0, log.read_text()
    text = log.read_text()
    assert re.search(r"shut-down: polling did not finish within [\d.]+ s; cut short", text)
    assert leases(tmp_path) == []


def test_sigterm_during_start_up_against_a_bot_api_that_never_answers(tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    with EchoAPI(TOKEN, setMyCommands="hang") as api, bot_on(api, tmp_path) as bot:
        assert wait_for(lambda: api.hanging, 30), log.read_text()
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=STOP_TIMEOUT) == 0, log.read_text()
    assert "asked to stop during start-up" in log.read_text()
