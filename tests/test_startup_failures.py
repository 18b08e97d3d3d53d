"""``python -m bot run`` when a start-up call fails, against a Bot API server that echoes the
request's path (with the token) and body (with the webhook secret) in its error: the bot says
so in one line with no secret in it, stops cleanly and hands the background lease back."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tests.conftest import DATA_DIR
from tests.echo_api import EchoAPI
from tests.live import free_port

# Mixed case, as real tokens are: PTB capitalises error texts, which lower-cases an echo.
TOKEN = "7301245:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "Hook-Secret_0f9A2c"
COMTRADE_KEY = "c0ffee0123456789abcdefABCDEF"
KEY_PART = TOKEN.partition(":")[2]


@dataclass
class Run:
    method: str
    how: str
    mode: str
    returncode: int
    output: str
    leases: list[tuple[object, ...]]


def start_failing(
    cases: list[tuple[str, str, str]], tmp_path: Path, port: int | None = None
) -> list[Run]:
    """Run the bot once per (mode, method, how), all at once, each against its own server."""
    runs = []
    with_servers = []
    for index, (mode, method, how) in enumerate(cases):
        api = EchoAPI(TOKEN, **{method: how}).__enter__()
        folder = tmp_path / f"run{index}"
        folder.mkdir()
        hook_port = port or free_port()
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
        environ |= {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.url,
            "COMTRADE_API_KEY": COMTRADE_KEY,
            "DATA_DIR": str(DATA_DIR),
            "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bot.db'}",
            "BOT_MODE": mode,
            "WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/hook",
            "WEBHOOK_PORT": str(hook_port),
            "WEBHOOK_SECRET": SECRET,
            "LOG_LEVEL": "DEBUG",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=folder,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        with_servers.append((api, folder, process))
    try:
        for (mode, method, how), (_api, folder, process) in zip(cases, with_servers, strict=True):
            output, _ = process.communicate(timeout=60)
            database = sqlite3.connect(folder / "bot.db")
            try:
                leases = database.execute(
                    "SELECT name, holder FROM leases WHERE expires_at > 0"
                ).fetchall()
            except sqlite3.OperationalError:  # getMe failed: the database was never set up
                leases = []
            database.close()
            runs.append(Run(method, how, mode, process.returncode, output, leases))
    finally:
        for api, _folder, process in with_servers:
            process.kill()
            api.__exit__(None, None, None)
    return runs


def leaks(output: str) -> list[str]:
    """The forms of a secret found in ``output``: as is, percent-encoded, in any case."""
    found = []
    lowered = output.lower()
    for secret in (TOKEN, KEY_PART, SECRET, COMTRADE_KEY):
        for form in {secret, quote(secret, safe="")}:
            if form.lower() in lowered:
                found.append(form)
    return found


def test_a_failing_start_up_call_is_one_line_with_no_secret_and_the_lease_handed_back(
    tmp_path: Path,
) -> None:
    cases = [
        ("polling", "getMe", "500"),
        ("polling", "setMyCommands", "500"),
        ("polling", "deleteWebhook", "500"),
        ("webhook", "setWebhook", "500"),
        ("webhook", "setWebhook", "400"),
        ("webhook", "setWebhook", "text"),
        ("webhook", "setWebhook", "drop"),
    ]
    for run in start_failing(cases, tmp_path):
        case = f"{run.mode} {run.method} {run.how}: {run.output}"
        assert run.returncode == 1, case
        assert not leaks(run.output), case
        last = run.output.strip().splitlines()[-1]
        assert last.startswith(f"exportwatch: could not start: {run.method} failed: "), case
        if run.how != "drop":
            assert "no route for post /bot[secret]/" in last.lower(), case  # the echo, redacted
        assert "still running" not in run.output, case
        assert not any(line.startswith("Traceback") for line in run.output.splitlines()), case
        if run.method in ("deleteWebhook", "setWebhook"):
            assert "lease background: this process" in run.output, case  # it was taken
        assert run.leases == [], case  # and handed back


def test_a_refused_token_says_so(tmp_path: Path) -> None:
    [run] = start_failing([("polling", "getMe", "401")], tmp_path)
    assert run.returncode == 2 and not leaks(run.output), run.output
    assert run.output.strip().splitlines()[-1] == (
        "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather."
    )


def test_a_taken_port_is_one_line_and_the_lease_handed_back(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        [run] = start_failing([("webhook", "setWebhook", "ok")], tmp_path, port)
    assert run.returncode == 1 and not leaks(run.output), run.output
    last = run.output.strip().splitlines()[-1]
    assert last.startswith(f"exportwatch: could not start: could not listen on 127.0.0.1:{port}")
    assert "lease background: this process" in run.output and run.leases == []
