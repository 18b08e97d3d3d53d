"""Redaction of secrets in any text, the once-a-minute filter for repeated warnings, uncaught
errors as log lines, and the last-resort exit of a shut-down that overran."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from bot.cli import ExitGuard, one_line
from bot.config import Settings, configure_logging
from bot.logs import OncePerInterval, Redactor

TOKEN = "7301245:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_a_secret_is_redacted_as_given_encoded_and_in_any_case() -> None:
    redact = Redactor([TOKEN, "Hook-Secret_0f9A2c", None, ""])
    texts = [
        f"POST /bot{TOKEN}/getMe",
        f"post /bot{TOKEN.lower()}/getme",  # PTB capitalises error texts: the rest goes lower
        "path /bot7301245%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/setWebhook",
        "only the key: AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
        "secret_token=hook-secret_0f9a2c&url=x",
    ]
    for text in texts:
        redacted = redact(text)
        assert "[secret]" in redacted, text
        assert "aahdqtcv" not in redacted.lower() and "0f9a2c" not in redacted.lower(), text
    assert redact("nothing secret: 7301245 is the bot's id") == (
        "nothing secret: 7301245 is the bot's id"
    )
    assert Redactor([])("unchanged") == "unchanged"


def test_a_short_secret_is_redacted_only_where_it_stands_alone() -> None:
    redact = Redactor(["s3"])
    assert redact("secret_token=s3&url=x") == "secret_token=[secret]&url=x"
    assert redact('{"secret_token": "S3"}') == '{"secret_token": "[secret]"}'
    assert redact("uses3 tests3 s3x") == "uses3 tests3 s3x"


def test_a_line_is_cut_only_after_redaction() -> None:
    line = one_line(Redactor([TOKEN])("x" * 390 + TOKEN + "\ny"), most=400)
    assert "\n" not in line and len(line) <= 400 and "AAHdq" not in line


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def record(message: str, *args: object, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("asyncio", level, __file__, 1, message, args, None)


def test_a_repeated_error_is_written_once_per_interval_with_the_count_held_back() -> None:
    clock = Clock()
    once = OncePerInterval(60, clock=clock)
    flood = "socket.accept() out of system resource ⏎ socket: <TransportSocket fd=%d>"
    written = [once.filter(record(flood, fd)) for fd in range(10, 1010)]
    assert written == [True] + [False] * 999
    assert once.filter(record("a different failure"))  # its own line
    assert once.filter(record("update %s failed", 7, level=logging.INFO))  # info is never held
    assert once.filter(record("update %s failed", 8, level=logging.INFO))
    clock.now += 61
    later = record(flood, 5)
    assert once.filter(later)
    assert later.getMessage().endswith("(and 999 more like it in the last 61 s, not written)")
    assert not once.filter(record(flood, 6))


@pytest.fixture
def logging_restored() -> object:
    root = logging.getLogger()
    handlers, level, hook = root.handlers[:], root.level, sys.excepthook
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook = hook
    logging.captureWarnings(False)


def test_an_uncaught_error_is_one_redacted_log_line(
    logging_restored: object, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    settings = Settings(token=TOKEN, webhook_secret="Hook-Secret_0f9A2c", data_dir=tmp_path)
    configure_logging(settings)
    try:
        echo = f"/bot{TOKEN.lower()}/setWebhook secret_token=hook-secret_0F9A2C"
        raise RuntimeError(f"failed at {echo}")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and " CRITICAL bot stopped by an uncaught error" in err
    assert "RuntimeError: failed at /bot[secret]/setWebhook" in err
    assert "aahdq" not in err.lower() and "0f9a2c" not in err.lower()


def test_an_overrun_shut_down_ends_the_process() -> None:
    ended = threading.Event()
    codes: list[int] = []

    def end(code: int) -> None:
        codes.append(code)
        ended.set()

    ExitGuard(0.05, end).arm()
    assert ended.wait(10) and codes == [1]
