"""Settings, read once from the environment and an optional ``.env`` file.

The environment wins over ``.env``. Nothing is read at import time: call
:meth:`Settings.from_env`. ``.env.example`` lists every setting.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'exportwatch.db'}"
DEFAULT_RELEASE_CHECK_SECONDS = 600.0
DEFAULT_FETCH_DIR = PROJECT_ROOT / "var" / "fetched"
OFFICIAL_API = "https://api.telegram.org"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """A setting with a value the bot cannot use; the message names the setting."""


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    api_base_url: str = OFFICIAL_API
    data_dir: Path = DEFAULT_DATA_DIR
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    admin_user_ids: frozenset[int] = frozenset()
    log_level: str = "INFO"
    database_url: str = DEFAULT_DATABASE_URL
    release_check_seconds: float = DEFAULT_RELEASE_CHECK_SECONDS
    comtrade_api_key: str | None = field(default=None, repr=False)
    #: How often the scheduled UN Comtrade fetch runs; ``None``: it does not.
    comtrade_fetch_seconds: float | None = None
    fetch_dir: Path = DEFAULT_FETCH_DIR

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        """Build settings from ``environ`` (default: the process environment) over ``dotenv``."""
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        return cls(
            token=values.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
            api_base_url=_base_url(values.get("TELEGRAM_API_BASE_URL", "")),
            data_dir=Path(values.get("DATA_DIR", "").strip() or DEFAULT_DATA_DIR),
            timezone=_timezone(values.get("TIMEZONE", "").strip() or "UTC"),
            admin_user_ids=_user_ids(values.get("ADMIN_USER_IDS", "")),
            log_level=_log_level(values.get("LOG_LEVEL", "").strip() or "INFO"),
            database_url=values.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            release_check_seconds=_interval(
                "RELEASE_CHECK_INTERVAL", values.get("RELEASE_CHECK_INTERVAL", "")
            )
            or DEFAULT_RELEASE_CHECK_SECONDS,
            comtrade_api_key=values.get("COMTRADE_API_KEY", "").strip() or None,
            comtrade_fetch_seconds=_interval(
                "COMTRADE_FETCH_INTERVAL", values.get("COMTRADE_FETCH_INTERVAL", "")
            ),
            fetch_dir=Path(values.get("FETCH_DIR", "").strip() or DEFAULT_FETCH_DIR),
        )

    @property
    def bot_api_url(self) -> str:
        return f"{self.api_base_url}/bot"

    @property
    def file_api_url(self) -> str:
        return f"{self.api_base_url}/file/bot"


def _base_url(raw: str) -> str:
    url = raw.strip().rstrip("/") or OFFICIAL_API
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"TELEGRAM_API_BASE_URL must start with http:// or https://, not {url!r}")
    return url


def _timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"TIMEZONE {name!r} is not an IANA time zone such as Asia/Shanghai"
        ) from None


def _user_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise ConfigError(f"ADMIN_USER_IDS must be numeric Telegram user ids, not {part!r}")
        ids.add(int(part))
    return frozenset(ids)


def _interval(name: str, raw: str) -> float | None:
    """An interval setting: ``10m``, ``30s``, ``1h`` or a number of minutes; empty is None."""
    text = raw.strip().lower()
    if not text:
        return None
    units = {"s": 1.0, "m": 60.0, "h": 3600.0}
    factor = units.get(text[-1], 60.0)
    number = text[:-1] if text[-1] in units else text
    try:
        seconds = float(number) * factor
    except ValueError:
        seconds = -1.0
    if not 0.1 <= seconds <= 7 * 86400:
        raise ConfigError(f"{name} must be like 10m, 30s or 1h (at most a week), not {raw!r}")
    return seconds


def _log_level(name: str) -> str:
    level = name.upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {name!r}")
    return level


class RedactToken(logging.Filter):
    """Replaces the bot token in every log record, wherever a library put it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "[token]")
            record.args = None
        return True


def configure_logging(settings: Settings) -> None:
    """Log to stderr at ``LOG_LEVEL``; the token never reaches a log line."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=settings.log_level
    )
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

    if settings.token:
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(settings.token))
