"""The command line, as a user runs it: ``python -m bot ...`` in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.updates import message_update
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:TEST-secret-token-value"


def run_bot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATA_DIR"))}
    environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{cwd / 'bot.db'}"
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_ask_prints_the_reply(tmp_path: Path) -> None:
    result = run_bot("ask", "/exports US 2025-06", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "353 t" in result.stdout and "<b>" not in result.stdout


def test_ask_json_prints_one_object_per_bot_api_call(tmp_path: Path) -> None:
    result = run_bot("ask", "--json", "india may", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    calls = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["method"] for c in calls] == ["sendMessage"]
    params = calls[0]["params"]
    assert params["parse_mode"] == "HTML" and "China → India, May 2025" in params["text"]


def test_metrics_json(tmp_path: Path) -> None:
    result = run_bot("metrics", "US", "2025-06", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["partner"] == "US" and data["period"] == "2025-06" and data["tonnes"] == 353
    # +660% as Reuters published it; 353 t from the 46 t the sources name is +667.39%.
    assert data["mom_pct"] == 660 and data["mom_pct_published"] == 660
    assert data["mom_pct_computed"] == 667.39
    assert data["rank"] == 2 and data["usd"] is None
    assert data["sources"][0]["figures"][0]["source_title"].startswith("China's exports")


def test_metrics_json_for_a_missing_month_has_nulls(tmp_path: Path) -> None:
    result = run_bot("metrics", "India", "June", "2024", "--json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert data["partner"] == "IN" and data["period"] == "2024-06" and data["tonnes"] is None


def test_metrics_with_an_unknown_country_fails_politely(tmp_path: Path) -> None:
    result = run_bot("metrics", "Atlantis", "--json", cwd=tmp_path)
    assert result.returncode == 2 and "I don't know a country called" in result.stderr
    assert "Traceback" not in result.stderr


def test_start_without_token_opens_the_console_with_a_hint(tmp_path: Path) -> None:
    result = run_bot("start", cwd=tmp_path, stdin="/exports DE 2025-07\n/chart DE\n")
    assert result.returncode == 0, result.stderr
    assert "No TELEGRAM_BOT_TOKEN set" in result.stdout and "@BotFather" in result.stdout
    assert "1,116 t" in result.stdout
    assert "[photo saved: exportwatch-out/" in result.stdout and "Germany</b>" not in result.stdout


def test_a_bad_setting_is_named(tmp_path: Path) -> None:
    result = run_bot("ask", "/help", cwd=tmp_path, env={"TIMEZONE": "Mars/Olympus"})
    assert result.returncode == 2 and "TIMEZONE 'Mars/Olympus'" in result.stderr


def test_a_bad_data_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("period,partner\n2025-06,US\n", encoding="utf-8")
    result = run_bot("ask", "/help", cwd=tmp_path, env={"DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "bad.csv, line 1: missing column(s)" in result.stderr


def test_run_polls_a_bot_api_server_over_http_and_never_logs_the_token(tmp_path: Path) -> None:
    with FakeTelegram(TOKEN) as api:
        api.push_update(message_update("/exports US 2025-06", chat_id=42))
        env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.url,
            "LOG_LEVEL": "DEBUG",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        }
        environ = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env={**environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not api.delivered and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGINT)
            _out, err = process.communicate(timeout=60)
    assert api.delivered, err
    assert api.delivered[0].chat_id == 42 and "353 t" in api.delivered[0].text
    assert api.methods["getMe"] >= 1 and api.methods["getUpdates"] >= 1
    assert TOKEN not in err and "secret" not in err
    assert "getUpdates" in err  # DEBUG logging did run
