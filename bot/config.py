"""Settings, read once from the environment and an optional ``.env`` file.

The environment wins over ``.env``. Nothing is read at import time: call
:meth:`Settings.from_env`. ``.env.example`` lists every setting.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.logs import FORMAT, ContextFilter, OncePerInterval, OneLineFormatter, Redactor

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'exportwatch.db'}"
DEFAULT_RELEASE_CHECK_SECONDS = 600.0
DEFAULT_FETCH_DIR = PROJECT_ROOT / "var" / "fetched"
DEFAULT_CACHE_DIR = PROJECT_ROOT / "var" / "cache"
DEFAULT_LEASE_SECONDS = 30.0
DEFAULT_MAX_LATE_DAYS = 14
MODES = ("polling", "webhook")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
OFFICIAL_API = "https://api.telegram.org"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_MAX_BODY = 256 * 1024  # Telegram's updates are a few kB
DEFAULT_READ_SECONDS = 10.0
DEFAULT_MAX_CONNECTIONS = 100  # Telegram opens at most 40 by default
DEFAULT_SHUTDOWN_SECONDS = 20.0  # inside systemd's TimeoutStopSec=30
DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650


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
    #: Where built data snapshots are kept between starts (:mod:`bot.data.cache`).
    cache_dir: Path = DEFAULT_CACHE_DIR
    #: How long the background lease is held between renewals (several processes, one DB).
    leader_lease_seconds: float = DEFAULT_LEASE_SECONDS
    mode: str = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_secret: str | None = field(default=None, repr=False)
    #: Serve ``/healthz`` on this port in polling mode (webhook mode serves it on its port).
    health_port: int | None = None
    health_max_late_days: int = DEFAULT_MAX_LATE_DAYS
    #: The web server's limits (webhook and health check): the largest request body, the time
    #: to send a request's head and its body, and how many connections may be open at once.
    max_body_bytes: int = DEFAULT_MAX_BODY
    header_timeout: float = DEFAULT_READ_SECONDS
    body_timeout: float = DEFAULT_READ_SECONDS
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    #: The whole shut-down, every step bounded, so it ends within systemd's stop timeout.
    shutdown_seconds: float = DEFAULT_SHUTDOWN_SECONDS
    #: Sent, failed and dropped messages are deleted from the outbox after this many days
    #: (what was delivered is still never sent again: ``bot/push/retention.py``).
    outbox_retention_days: int = DEFAULT_RETENTION_DAYS

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
            cache_dir=Path(values.get("CACHE_DIR", "").strip() or DEFAULT_CACHE_DIR),
            leader_lease_seconds=_interval("LEADER_LEASE", values.get("LEADER_LEASE", ""))
            or DEFAULT_LEASE_SECONDS,
            outbox_retention_days=_days(
                "OUTBOX_RETENTION_DAYS", values.get("OUTBOX_RETENTION_DAYS", "")
            ),
            **_web(values),
        )

    @property
    def secrets(self) -> tuple[str, ...]:
        """What no output may show: the token, the webhook secret, the Comtrade key and the
        database's password."""
        try:
            password = urlsplit(self.database_url).password
        except ValueError:
            password = None
        values = (self.token, self.webhook_secret, self.comtrade_api_key, password)
        return tuple(value for value in values if value)

    @property
    def redact(self) -> Redactor:
        return Redactor(self.secrets)

    @property
    def bot_api_url(self) -> str:
        return f"{self.api_base_url}/bot"

    @property
    def file_api_url(self) -> str:
        return f"{self.api_base_url}/file/bot"


def _port(name: str, raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ConfigError(f"{name} must be a port number from 1 to 65535, not {raw!r}")
    return int(text)


def _days(name: str, raw: str) -> int:
    """A whole number of days from 1 to :data:`MAX_RETENTION_DAYS`; empty is the default."""
    text = raw.strip().lower().removesuffix("d")
    if not text:
        return DEFAULT_RETENTION_DAYS
    if not text.isdigit() or not 1 <= int(text) <= MAX_RETENTION_DAYS:
        raise ConfigError(
            f"{name} must be a whole number of days from 1 to {MAX_RETENTION_DAYS}, not {raw!r}"
        )
    return int(text)


def _count(name: str, raw: str, default: int, low: int, high: int) -> int:
    """A whole number (``k`` and ``m`` for thousands of 1024 allowed) from ``low`` to ``high``."""
    text = raw.strip().lower()
    if not text:
        return default
    factor = {"k": 1024, "m": 1024 * 1024}.get(text[-1], 1)
    digits = text[:-1] if factor > 1 else text
    if not digits.isdigit() or not low <= int(digits) * factor <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(digits) * factor


def _limits(values: Mapping[str, str]) -> dict[str, Any]:
    """The web server's limits and the shut-down's bound."""

    def seconds(name: str, default: float) -> float:
        return _interval(name, values.get(name, "")) or default

    return {
        "max_body_bytes": _count(
            "WEBHOOK_MAX_BODY", values.get("WEBHOOK_MAX_BODY", ""), DEFAULT_MAX_BODY, 1024, 1 << 26
        ),
        "header_timeout": seconds("WEBHOOK_HEADER_TIMEOUT", DEFAULT_READ_SECONDS),
        "body_timeout": seconds("WEBHOOK_BODY_TIMEOUT", DEFAULT_READ_SECONDS),
        "max_connections": _count(
            "WEBHOOK_MAX_CONNECTIONS",
            values.get("WEBHOOK_MAX_CONNECTIONS", ""),
            DEFAULT_MAX_CONNECTIONS,
            1,
            10000,
        ),
        "shutdown_seconds": seconds("SHUTDOWN_TIMEOUT", DEFAULT_SHUTDOWN_SECONDS),
    }


def _web(values: Mapping[str, str]) -> dict[str, Any]:
    """``BOT_MODE``, the ``WEBHOOK_*`` settings and the health check's."""
    mode = values.get("BOT_MODE", "").strip().lower() or "polling"
    if mode not in MODES:
        raise ConfigError(f"BOT_MODE must be polling or webhook, not {mode!r}")
    days = values.get("HEALTH_MAX_LATE_DAYS", "").strip()
    if days and not days.isdigit():
        raise ConfigError(f"HEALTH_MAX_LATE_DAYS must be a whole number of days, not {days!r}")
    web: dict[str, Any] = {
        "mode": mode,
        "webhook_listen": values.get("WEBHOOK_LISTEN", "").strip() or "127.0.0.1",
        "webhook_port": _port("WEBHOOK_PORT", values.get("WEBHOOK_PORT", "")) or 8080,
        "health_port": _port("HEALTH_PORT", values.get("HEALTH_PORT", "")),
        "health_max_late_days": int(days) if days else DEFAULT_MAX_LATE_DAYS,
        **_limits(values),
    }
    if mode == "polling":
        return web
    url = values.get("WEBHOOK_URL", "").strip()
    secret = values.get("WEBHOOK_SECRET", "").strip()
    official = _base_url(values.get("TELEGRAM_API_BASE_URL", "")) == OFFICIAL_API
    if not url.startswith("https://") and not (url.startswith("http://") and not official):
        raise ConfigError(
            "BOT_MODE=webhook needs WEBHOOK_URL, the public https:// address Telegram posts to "
            "(http:// only with a self-hosted TELEGRAM_API_BASE_URL)"
        )
    if not _SECRET.fullmatch(secret):
        raise ConfigError(
            "BOT_MODE=webhook needs WEBHOOK_SECRET: 1 to 256 characters, letters, digits, _ and -"
        )
    return web | {"webhook_url": url, "webhook_secret": secret}


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
    """Log to stderr at ``LOG_LEVEL``, one line per event naming the update or chat, a repeated
    warning or error once a minute; no secret reaches a line. Warnings and uncaught exceptions
    are logged too, so they pass the same redaction."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT, settings.secrets))
    handler.addFilter(ContextFilter())
    if settings.token:
        handler.addFilter(RedactToken(settings.token))
    handler.addFilter(OncePerInterval())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    # httpx logs every request URL, and Bot API URLs contain the token; the others are noise
    # even at DEBUG (every SQL call, every socket event).
    for name in ("httpx", "apscheduler", "uvicorn.access"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("httpcore", "aiosqlite", "asyncio"):
        logging.getLogger(name).setLevel(logging.INFO)


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: Any) -> None:
    """``sys.excepthook``: an uncaught exception is one redacted log line, not a raw traceback."""
    logging.getLogger("bot").critical("stopped by an uncaught error", exc_info=(kind, error, trace))
