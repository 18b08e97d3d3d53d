"""``python -m bot run`` in webhook mode, end to end on loopback: the fake Bot API server
registers the webhook and posts updates to it; a request without the secret is refused; the
health check answers; every log line is one event with level and logger, and no secret."""

from __future__ import annotations

import json
import re
import signal
import urllib.error
import urllib.request
from pathlib import Path

from bot.updates import message_update
from bot.web import SECRET_HEADER
from tests.conftest import DATA_DIR
from tests.fake_telegram import FakeTelegram
from tests.live import TOKEN, free_port, start_bot_process, wait_for

SECRET = "webhook-s3cret_42"
CHAT = 5150
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ ")


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_webhook_mode_end_to_end(tmp_path: Path) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    log = tmp_path / "bot.log"
    with FakeTelegram(TOKEN) as tg:
        bot = start_bot_process(
            tg,
            DATA_DIR,
            f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            log,
            BOT_MODE="webhook",
            WEBHOOK_URL=hook,
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=SECRET,
            HEALTH_MAX_LATE_DAYS="365",
            LOG_LEVEL="DEBUG",
        )
        try:
            assert wait_for(lambda: tg.webhook is not None, 30), log.read_text()
            assert tg.webhook == (hook, SECRET)

            tg.push_update(message_update("/exports US 2025-06", chat_id=CHAT))
            assert wait_for(lambda: tg.messages_to(CHAT), 30), log.read_text()
            assert "China → United States, June 2025" in tg.messages_to(CHAT)[0].text
            assert wait_for(lambda: tg.webhook_answers == [200], 10), tg.webhook_answers

            update = json.dumps(message_update("/exports DE", chat_id=CHAT + 1)).encode()
            typed = {"Content-Type": "application/json"}
            assert post(hook, update, typed) == 403
            assert post(hook, update, typed | {SECRET_HEADER: "guess"}) == 403

            status, report = get(f"http://127.0.0.1:{port}/healthz")
            assert status == 200 and report["status"] == "ok"
            assert report["latest_month"] == "2026-03" and report["database_reachable"] is True
            assert report["runs_background"] is True
        finally:
            bot.send_signal(signal.SIGTERM)
            assert bot.wait(timeout=30) == 0, log.read_text()
        assert not tg.messages_to(CHAT + 1), "a refused request is not answered"
    text = log.read_text()
    assert TOKEN not in text and SECRET not in text
    lines = text.splitlines()
    assert lines and all(LINE.match(line) for line in lines), [
        line for line in lines if not LINE.match(line)
    ][:3]
    assert any("[update=" in line and f"chat={CHAT}]" in line for line in lines)
    assert any("refused a request without the right secret token" in line for line in lines)


def test_polling_mode_serves_the_health_check_on_its_port(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "bot.log"
    with FakeTelegram(TOKEN) as tg:
        bot = start_bot_process(
            tg,
            DATA_DIR,
            f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            log,
            HEALTH_PORT=str(port),
            HEALTH_MAX_LATE_DAYS="14",
        )
        try:
            assert wait_for(lambda: "health check on" in log.read_text(), 30), log.read_text()
            tg.push_update(message_update("/exports IN 2025-06", chat_id=CHAT))
            assert wait_for(lambda: tg.messages_to(CHAT), 30), log.read_text()
            assert "China → India, June 2025" in tg.messages_to(CHAT)[0].text
            status, report = get(f"http://127.0.0.1:{port}/healthz")
            assert status == 503  # April 2026 is long overdue on the test's data
            assert report["problems"] == [
                f"2026-04 is {report['days_past_expected']} days past its expected release "
                "(limit 14)"
            ]
            assert tg.webhook is None and tg.methods["getUpdates"] > 0
        finally:
            bot.send_signal(signal.SIGTERM)
            assert bot.wait(timeout=30) == 0, log.read_text()
