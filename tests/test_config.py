"""Settings from the environment and .env, and the token never reaching a log line."""

from __future__ import annotations

import logging
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


def test_a_self_hosted_bot_api() -> None:
    settings = Settings.from_env({"TELEGRAM_API_BASE_URL": "http://localhost:8081/"}, dotenv=None)
    assert settings.bot_api_url == "http://localhost:8081/bot"
    assert settings.file_api_url == "http://localhost:8081/file/bot"


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
