"""Two bot processes on one database: both answer updates, only the lease holder runs the
release watcher and the delivery worker, and when it is killed mid-broadcast the other takes
over: every subscriber gets the new month's summary exactly once."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from bot.updates import message_update
from bot.web import SECRET_HEADER
from tests.fake_telegram import FakeTelegram
from tests.live import (
    TOKEN,
    data_before_new_month,
    free_port,
    publish_new_month,
    start_bot_process,
    subscribed_and_seen,
    wait_for,
)

CHATS = list(range(1, 121))
SECRET = "two-processes"
HELD_AFTER = 40  # messages delivered before the leader's next sends hang, then it is killed


def ask(port: int, chat_id: int, text: str) -> int:
    """What the reverse proxy does: hand an update to one of the processes."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/hook",
        data=json.dumps(message_update(text, chat_id=chat_id)).encode(),
        headers={"Content-Type": "application/json", SECRET_HEADER: SECRET},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return int(answer.status)


def healthz(port: int) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
        report: dict[str, object] = json.loads(answer.read())
        return report


def test_two_processes_one_killed_every_summary_goes_out_exactly_once(
    tmp_path: Path, database_url: str
) -> None:
    data = data_before_new_month(tmp_path / "data")
    asyncio.run(subscribed_and_seen(database_url, data, CHATS))
    ports = [free_port(), free_port()]
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with FakeTelegram(TOKEN) as tg:

        def start(i: int) -> subprocess.Popen[bytes]:
            return start_bot_process(
                tg,
                data,
                database_url,
                logs[i],
                BOT_MODE="webhook",
                WEBHOOK_URL=f"http://127.0.0.1:{ports[i]}/hook",
                WEBHOOK_PORT=str(ports[i]),
                WEBHOOK_SECRET=SECRET,
                HEALTH_MAX_LATE_DAYS="365",
            )

        first = start(0)
        assert wait_for(lambda: "now runs it" in logs[0].read_text(), 30), logs[0].read_text()
        second = start(1)
        try:
            assert wait_for(lambda: "webhook registered" in logs[1].read_text(), 30)
            assert healthz(ports[0])["runs_background"] is True
            assert healthz(ports[1])["runs_background"] is False
            assert ask(ports[0], 9001, "/exports US") == 200  # both answer updates
            assert ask(ports[1], 9002, "/exports DE") == 200
            assert wait_for(lambda: tg.messages_to(9001) and tg.messages_to(9002), 30)

            def summaries() -> set[int]:
                return {d.chat_id for d in tg.delivered if d.chat_id in CHATS}

            tg.behaviour.hold_after = HELD_AFTER
            publish_new_month(data)  # the leader's release watcher finds March 2026
            assert wait_for(lambda: tg.held > 0, 60), logs[0].read_text()
            follower_sees = lambda: healthz(ports[1])["latest_month"] == "2026-03"  # noqa: E731
            assert wait_for(follower_sees, 30), "the follower reloads the data too"
            first.send_signal(signal.SIGKILL)  # dies with sends in flight
            first.wait(timeout=30)
            assert len(summaries()) == HELD_AFTER - 2  # the two answers above count too
            assert "now runs it" not in logs[1].read_text(), "one leader at a time"
            tg.behaviour.hold_after = None
            tg.drop_held()  # what the killed process had in flight never reached Telegram

            assert wait_for(lambda: summaries() >= set(CHATS), 120), logs[1].read_text()
            time.sleep(1.5)  # anything still to come would arrive now
            assert "now runs it" in logs[1].read_text()
        finally:
            for process in (first, second):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=30)
    counts = tg.delivered_count()
    assert {chat: counts[chat] for chat in CHATS} == {chat: 1 for chat in CHATS}
    assert all("March 2026" in d.text for d in tg.delivered if d.chat_id in CHATS)
