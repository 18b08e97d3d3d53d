"""The real bot, in process, talking HTTP to the fake Telegram server; and data folders
that make a month appear, so the release watcher has something to announce."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.app import build_application
from bot.config import Settings
from bot.push.delivery import DeliveryWorker, Limits, RetryPolicy
from bot.scheduler import start_background, stop_background
from bot.services import BotApplication, Services, build_services
from tests.conftest import DATA_DIR, TODAY
from tests.fake_telegram import FakeTelegram

TOKEN = "4242:live-test-token"
NEW_MONTH = "2026-03"
FAST_RETRIES = RetryPolicy(max_attempts=4, backoff_base=0.05, backoff_cap=0.2)


def data_before_new_month(folder: Path) -> Path:
    """The real data without March 2026 (and the Q1 2026 total that includes it)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(DATA_DIR / "notes", folder / "notes", dirs_exist_ok=True)
    lines = (DATA_DIR / "magnet_exports.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith((NEW_MONTH, "2026-Q1"))]
    (folder / "magnet_exports.csv").write_text("".join(kept), encoding="utf-8")
    return folder


def publish_new_month(folder: Path) -> None:
    """March 2026 appears in the data folder."""
    shutil.copy(DATA_DIR / "magnet_exports.csv", folder / "magnet_exports.csv")


@dataclass
class LiveBot:
    application: BotApplication
    services: Services

    @property
    def worker(self) -> DeliveryWorker:
        assert self.services.delivery is not None
        return self.services.delivery


@asynccontextmanager
async def live_bot(
    telegram: FakeTelegram, data_dir: Path, database_url: str, limits: Limits
) -> AsyncIterator[LiveBot]:
    settings = Settings(
        token=TOKEN,
        api_base_url=telegram.url,
        data_dir=data_dir,
        database_url=database_url,
        release_check_seconds=3600,
    )
    services = build_services(settings, today=lambda: TODAY)
    application = build_application(services)
    await application.initialize()
    await start_background(application, limits, FAST_RETRIES)
    try:
        yield LiveBot(application, services)
    finally:
        await stop_background(application)
        await application.shutdown()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_bot_process(
    tg: FakeTelegram, data: Path, database_url: str, log: Path, **settings: str
) -> subprocess.Popen[bytes]:
    """``python -m bot run`` in a subprocess, against the fake Telegram server."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    environ |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": tg.url,
        "DATA_DIR": str(data),
        "DATABASE_URL": database_url,
        "RELEASE_CHECK_INTERVAL": "1s",
        "LEADER_LEASE": "3s",
        **settings,
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=data.parent,
            env=environ,
            stdout=out,
            stderr=out,
        )


def wait_for(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


async def subscribed_and_seen(database_url: str, data: Path, chats: list[int]) -> None:
    """Private chats subscribed, and the data as it is now already seen (the baseline)."""
    from bot.datastore import DataStore
    from bot.lookup import Lookup
    from bot.push.releases import check_releases
    from bot.push.storage import Store

    store = await Store.open(database_url)
    for chat in chats:
        await store.subscribe(chat, 0, "private", None)
    await check_releases(store, Lookup(DataStore(data).current, lambda: TODAY))
    await store.close()
