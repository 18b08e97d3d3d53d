"""The database is watched: at start-up a bad, unreachable or unwritable DATABASE_URL stops the
bot with one line naming the setting (never the password); a SQLite file deleted while the bot
runs fails /healthz, is logged, and is not written to unlinked."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.health import health
from bot.push.storage import Store
from bot.push.watch import DatabaseFileGone, startup_problem
from bot.services import Services
from tests.conftest import DATA_DIR, TODAY
from tests.faults import message

PASSWORD = "s3cret-pw"


def run_bot(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    environ |= {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": "1:token",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9",
        "DATA_DIR": str(DATA_DIR),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("exportwatch: DATABASE_URL")
    assert PASSWORD not in result.stderr + result.stdout
    for word in words:
        assert word in result.stderr, result.stderr


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://bot:{PASSWORD}@127.0.0.1:9/exportwatch"  # nothing listens on 9
    assert_one_clear_line(run_bot(tmp_path, url), "bot:***@127.0.0.1:9", "cannot open")


def test_a_malformed_database_url_is_one_line(tmp_path: Path) -> None:
    assert_one_clear_line(run_bot(tmp_path, f"postgres//bot:{PASSWORD}@db"), "not a database URL")


def test_a_database_url_without_its_driver_is_one_line(tmp_path: Path) -> None:
    url = f"mysql+nosuchdriver://bot:{PASSWORD}@db/x"
    assert_one_clear_line(run_bot(tmp_path, url), "no driver")


def test_a_read_only_var_folder_is_one_line(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    if os.geteuid() == 0:  # root writes anywhere, except into an immutable folder
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: no folder is read-only")
        if subprocess.run(["chattr", "+i", str(var)], capture_output=True).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i")
    else:
        var.chmod(0o555)
    try:
        result = run_bot(tmp_path, f"sqlite+aiosqlite:///{var / 'exportwatch.db'}")
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(var)], check=True)
        var.chmod(0o755)
    assert_one_clear_line(result, "cannot open the database", str(var))
    assert not (var / "exportwatch.db").exists()


async def test_a_sqlite_file_that_cannot_be_opened_starts_no_driver_thread(tmp_path: Path) -> None:
    """The start-up check opens SQLite itself first: the async driver's thread, started on a
    connect that fails, could still be finishing when the process ends and print a traceback
    after the one clear line (seen in CI)."""
    (tmp_path / "exportwatch.db").mkdir()  # a folder where the file should be: no one opens it
    before = set(threading.enumerate())
    problem = await startup_problem(f"sqlite+aiosqlite:///{tmp_path / 'exportwatch.db'}")
    assert problem is not None and "cannot open the database" in problem, problem
    assert [t for t in threading.enumerate() if t not in before] == []


async def test_a_deleted_sqlite_file_fails_the_health_check_and_is_not_written(
    tmp_path: Path, store: object, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bot.db"
    url = f"sqlite+aiosqlite:///{path}"
    services = Services(
        replace(Settings(data_dir=DATA_DIR, database_url=url), health_max_late_days=365),
        store,  # type: ignore[arg-type]
        lambda: TODAY,
        Store(url),
    )
    await services.store.migrate()
    await services.store.enqueue([message(1)])
    healthy, _ = await health(services)
    assert healthy

    for leftover in tmp_path.glob("bot.db*"):
        leftover.unlink()  # an operator's clean-up goes wrong
    with caplog.at_level(logging.ERROR):
        healthy, report = await health(services)
        assert not healthy and report["database_reachable"] is False
        assert report["problems"] == [
            f"the database file {path} was deleted while the bot was running"
        ]
        with pytest.raises(DatabaseFileGone):
            await services.store.enqueue([message(2)])
    assert not path.exists(), "no new, empty database appears in its place"
    assert any("was deleted" in r.getMessage() for r in caplog.records), "the log says so"
    await services.store.close()
