"""The web server's limits, the shut-down's bound and the secrets, as settings."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings


def test_the_limits_have_defaults_inside_systemds_stop_timeout() -> None:
    settings = Settings.from_env({}, dotenv=None)
    assert settings.max_body_bytes == 256 * 1024 and settings.max_connections == 100
    assert settings.header_timeout == settings.body_timeout == 10.0
    assert settings.shutdown_seconds < 30  # TimeoutStopSec=30 in the README's unit


def test_the_limits_are_read() -> None:
    settings = Settings.from_env(
        {
            "WEBHOOK_MAX_BODY": "64k",
            "WEBHOOK_HEADER_TIMEOUT": "2s",
            "WEBHOOK_BODY_TIMEOUT": "3s",
            "WEBHOOK_MAX_CONNECTIONS": "8",
            "SHUTDOWN_TIMEOUT": "15s",
        },
        dotenv=None,
    )
    assert settings.max_body_bytes == 65536 and settings.max_connections == 8
    assert (settings.header_timeout, settings.body_timeout) == (2.0, 3.0)
    assert settings.shutdown_seconds == 15.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEBHOOK_MAX_BODY", "lots"),
        ("WEBHOOK_MAX_BODY", "12"),
        ("WEBHOOK_MAX_CONNECTIONS", "0"),
        ("WEBHOOK_HEADER_TIMEOUT", "soon"),
        ("SHUTDOWN_TIMEOUT", "-1s"),
    ],
)
def test_a_bad_limit_is_named(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value}, dotenv=None)


def test_the_secrets_include_the_database_password() -> None:
    settings = Settings(
        token="1:key",
        webhook_secret="hook",
        comtrade_api_key="ct",
        database_url="postgresql+asyncpg://bot:pa55word@db/exportwatch",
    )
    assert settings.secrets == ("1:key", "hook", "ct", "pa55word")
    assert settings.redact("postgresql://bot:pa55word@db") == "postgresql://bot:[secret]@db"
