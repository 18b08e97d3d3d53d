"""Settings from the environment and .env, and the token never reaching a log line."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import OFFICIAL_API, ConfigError, RedactToken, Settings


def test_defaults() -> None:
    settings = Settings.from_env({}, dotenv=None)
    assert settings.token is None and settings.api_base_url == OFFICIAL_API
    assert settings.timezone == ZoneInfo("UTC") and settings.admin_user_ids == frozenset()
    assert (settings.data_dir / "magnet_exports.csv").is_file()


def test_environment_overrides_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("TELEGRAM_BOT_TOKEN=from-file\nTIMEZONE=Asia/Shanghai\nADMIN_USER_IDS=1, 2\n")
    settings = Settings.from_env({"TIMEZONE": "Europe/Berlin"}, dotenv=dotenv)
    assert settings.token == "from-file" and settings.timezone == ZoneInfo("Europe/Berlin")
    assert settings.admin_user_ids == frozenset({1, 2})
    assert "from-file" not in repr(settings)


def test_the_comtrade_settings() -> None:
    off = Settings.from_env({}, dotenv=None)
    assert off.comtrade_fetch_seconds is None and off.comtrade_api_key is None
    on = Settings.from_env(
        {"COMTRADE_FETCH_INTERVAL": "24h", "COMTRADE_API_KEY": "secret-key"}, dotenv=None
    )
    assert on.comtrade_fetch_seconds == 86400 and on.comtrade_api_key == "secret-key"
    assert "secret-key" not in repr(on)


def test_webhook_mode_needs_a_public_url_and_a_secret() -> None:
    webhook = {"BOT_MODE": "webhook", "WEBHOOK_URL": "https://bot.example.com/tg"}
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        Settings.from_env(webhook, dotenv=None)
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        Settings.from_env(webhook | {"WEBHOOK_SECRET": "has spaces"}, dotenv=None)
    with pytest.raises(ConfigError, match="WEBHOOK_URL"):
        Settings.from_env({"BOT_MODE": "webhook", "WEBHOOK_SECRET": "s"}, dotenv=None)
    plain = webhook | {"WEBHOOK_URL": "http://bot.example.com/tg", "WEBHOOK_SECRET": "s"}
    with pytest.raises(ConfigError, match="https"):
        Settings.from_env(plain, dotenv=None)  # Telegram itself posts only to https
    local = Settings.from_env(plain | {"TELEGRAM_API_BASE_URL": "http://localhost:8081"}, None)
    assert local.webhook_url == "http://bot.example.com/tg"
    settings = Settings.from_env(
        webhook | {"WEBHOOK_SECRET": "s-3_x", "WEBHOOK_PORT": "9000", "WEBHOOK_LISTEN": "0.0.0.0"},
        dotenv=None,
    )
    assert settings.mode == "webhook" and settings.webhook_port == 9000
    assert settings.webhook_listen == "0.0.0.0" and "s-3_x" not in repr(settings)
    polling = Settings.from_env({"HEALTH_PORT": "8081", "HEALTH_MAX_LATE_DAYS": "30"}, None)
    assert polling.mode == "polling" and polling.health_port == 8081
    assert polling.health_max_late_days == 30 and polling.webhook_url is None


def test_a_self_hosted_bot_api() -> None:
    settings = Settings.from_env({"TELEGRAM_API_BASE_URL": "http://localhost:8081/"}, dotenv=None)
    assert settings.bot_api_url == "http://localhost:8081/bot"
    assert settings.file_api_url == "http://localhost:8081/file/bot"


def test_the_outbox_retention_setting() -> None:
    assert Settings.from_env({}, dotenv=None).outbox_retention_days == 30
    assert Settings.from_env({"OUTBOX_RETENTION_DAYS": "7"}, None).outbox_retention_days == 7
    assert Settings.from_env({"OUTBOX_RETENTION_DAYS": "90d"}, None).outbox_retention_days == 90
    with pytest.raises(ConfigError, match="whole number of days from 1 to 3650, not '-1'"):
        Settings.from_env({"OUTBOX_RETENTION_DAYS": "-1"}, dotenv=None)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Nowhere/City"),
        ("ADMIN_USER_IDS", "alice"),
        ("LOG_LEVEL", "LOUD"),
        ("TELEGRAM_API_BASE_URL", "localhost:8081"),
        ("RELEASE_CHECK_INTERVAL", "often"),
        ("RELEASE_CHECK_INTERVAL", "0s"),
        ("COMTRADE_FETCH_INTERVAL", "daily"),
        ("BOT_MODE", "push"),
        ("HEALTH_PORT", "70000"),
        ("WEBHOOK_PORT", "http"),
        ("HEALTH_MAX_LATE_DAYS", "two weeks"),
        ("LEADER_LEASE", "forever"),
        ("OUTBOX_RETENTION_DAYS", "0"),
        ("OUTBOX_RETENTION_DAYS", "a month"),
        ("OUTBOX_RETENTION_DAYS", "1.5"),
        ("OUTBOX_RETENTION_DAYS", "3651"),
    ],
)
def test_bad_values_name_the_setting(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value}, dotenv=None)


def test_the_token_is_redacted_from_log_records(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    caplog.handler.addFilter(RedactToken("123:SECRET"))
    logger.warning("POST https://api.telegram.org/bot%s/getMe", "123:SECRET")
    assert "SECRET" not in caplog.text and "bot[token]/getMe" in caplog.text


def test_a_log_event_is_one_line_naming_its_update_with_no_secret_in_it() -> None:
    import asyncio

    from telegram import Update

    from bot.logs import FORMAT, ContextFilter, OneLineFormatter, about_update
    from bot.updates import message_update

    formatter = OneLineFormatter(FORMAT, ("123:SECRET", "hook-secret"))
    context = ContextFilter()

    async def handle() -> str:
        with about_update(Update.de_json(message_update("/exports", chat_id=77), None)):
            try:
                raise RuntimeError("failed at https://api.telegram.org/bot123:SECRET/sendMessage")
            except RuntimeError:
                record = logging.LogRecord(
                    "bot.x",
                    logging.ERROR,
                    __file__,
                    1,
                    "send failed, secret %s",
                    ("hook-secret",),
                    sys.exc_info(),
                )
            context.filter(record)
        after = logging.LogRecord("bot.x", logging.INFO, __file__, 1, "later", (), None)
        context.filter(after)
        assert after.context == ""  # type: ignore[attr-defined]  # the update is done
        return formatter.format(record)

    line = asyncio.run(handle())
    assert "\n" not in line and " ⏎ Traceback" in line and "RuntimeError" in line
    assert " ERROR bot.x [update=" in line and "chat=77] send failed" in line
    assert "SECRET" not in line and "hook-secret" not in line and "[secret]" in line
