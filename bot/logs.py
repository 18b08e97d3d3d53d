"""Log lines: one line per event, with level, logger and the update or chat involved.

``configure_logging`` (in :mod:`bot.config`) installs :class:`OneLineFormatter`,
:class:`ContextFilter` and :class:`OncePerInterval`. The update being handled, or the chat being
sent to, is kept in a context variable, so each asyncio task logs its own. :class:`Redactor`
takes the secrets out of any text, log line or not.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import quote, quote_plus

from telegram import Update

FORMAT = "%(asctime)s %(levelname)s %(name)s %(context)s%(message)s"
_context: ContextVar[str] = ContextVar("log_context", default="")


@contextmanager
def about_update(update: object) -> Iterator[None]:
    """Name the update (and its chat) in the log lines written while it is handled."""
    if not isinstance(update, Update):
        yield
        return
    chat = update.effective_chat
    token = _context.set(f"[update={update.update_id}" + (f" chat={chat.id}]" if chat else "]"))
    try:
        yield
    finally:
        _context.reset(token)


def about_chat(chat_id: int) -> None:
    """Name the chat in the log lines of the task sending to it."""
    _context.set(f"[chat={chat_id}]")


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get()
        record.context = f"{context} " if context else ""
        return True


class Redactor:
    """Replaces each secret with ``[secret]``: as given, percent-encoded, in any letter case
    (PTB capitalises error texts, so a server's echo of a path comes back lower-cased). For a
    bot token ``id:key`` the key alone is a secret too. A secret shorter than
    :attr:`SHORT` characters is replaced only where it stands alone (not inside a longer word),
    so a short webhook secret does not blank every word it occurs in."""

    SHORT = 8

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            parts = [secret, secret.partition(":")[2]] if ":" in secret else [secret]
            for part in filter(None, parts):
                forms |= {part, quote(part, safe=""), quote_plus(part)}
        alternatives = [
            re.escape(form) if len(form) >= self.SHORT else rf"(?<![\w-]){re.escape(form)}(?![\w-])"
            for form in sorted(forms, key=len, reverse=True)
        ]
        self._pattern = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

    def __call__(self, text: str) -> str:
        return self._pattern.sub("[secret]", text) if self._pattern else text


class OneLineFormatter(logging.Formatter):
    """Tracebacks and multi-line messages folded into the event's line (`` ⏎ ``), and the
    secrets (token, webhook secret, API keys) replaced wherever a library put them."""

    def __init__(self, fmt: str, secrets: Iterable[str | None] = ()) -> None:
        super().__init__(fmt)
        self.redact = Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record).replace("\r", "").replace("\n", " ⏎ "))


class OncePerInterval(logging.Filter):
    """A warning or error that repeats is written once per ``seconds``; the next one written
    says how many were held back. Repeats are told by logger, level and the message's first
    160 characters with numbers and addresses blanked, so a flood of one failure (each naming
    its own socket, chat or count) is one line a minute, while different failures each get
    their line."""

    MAX_KINDS = 1000

    def __init__(
        self,
        seconds: float = 60.0,
        level: int = logging.WARNING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.seconds = seconds
        self.level = level
        self.clock = clock
        self._kinds: dict[tuple[str, int, str], list[float]] = {}  # kind → [since, held back]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < self.level:
            return True
        now = self.clock()
        kind = (record.name, record.levelno, _NUMBERS.sub("#", record.getMessage())[:160])
        seen = self._kinds.get(kind)
        if seen is not None and now - seen[0] < self.seconds:
            seen[1] += 1
            return False
        if len(self._kinds) >= self.MAX_KINDS:
            self._kinds = {k: v for k, v in self._kinds.items() if now - v[0] < self.seconds}
        self._kinds[kind] = [now, 0]
        if seen is not None and seen[1]:
            record.msg = (
                f"{record.getMessage()} (and {int(seen[1])} more like it in the last "
                f"{now - seen[0]:.0f} s, not written)"
            )
            record.args = None
        return True


_NUMBERS = re.compile(r"0x[0-9a-fA-F]+|\d+")
