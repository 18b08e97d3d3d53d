"""Log lines: one line per event, with level, logger and the update or chat involved.

``configure_logging`` (in :mod:`bot.config`) installs :class:`OneLineFormatter` and
:class:`ContextFilter`. The update being handled, or the chat being sent to, is kept in a
context variable, so each asyncio task logs its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


class OneLineFormatter(logging.Formatter):
    """Tracebacks and multi-line messages folded into the event's line (`` ⏎ ``), and the
    secrets (token, webhook secret, API keys) replaced wherever a library put them."""

    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record).replace("\r", "").replace("\n", " ⏎ ")
        for secret in self.secrets:
            line = line.replace(secret, "[secret]")
        return line
