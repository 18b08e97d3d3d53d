"""Command line: ``python -m bot {start,run,chat,ask,metrics,data}`` (also ``exportwatch``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from bot import console, lifecycle
from bot.app import build_application
from bot.config import ConfigError, Settings, configure_logging
from bot.data import cli as data_cli
from bot.data.dataset import DataFileError
from bot.lookup import MonthAnswer, NoFigure, SpanAnswer
from bot.push import watch
from bot.render import answers
from bot.render.telegram_html import to_plain
from bot.services import Services, build_services

CONNECT_HINT = (
    "No TELEGRAM_BOT_TOKEN set: starting the local chat console.\n"
    "To connect to Telegram, get a token from @BotFather and put TELEGRAM_BOT_TOKEN=... in .env "
    "(see .env.example), then run `make run` again."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="exportwatch", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("start", help="run against Telegram if a token is set, else the local console")
    sub.add_parser(
        "run", help="run the bot: long polling, or BOT_MODE=webhook (needs TELEGRAM_BOT_TOKEN)"
    )
    chat = sub.add_parser(
        "chat", help="local chat console: type as a user, the real handlers answer"
    )
    ask = sub.add_parser("ask", help="one message in, the bot's reply out")
    ask.add_argument("--json", action="store_true", help="print one JSON object per Bot API call")
    ask.add_argument(
        "--press",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="then press the answer's button number N (repeatable)",
    )
    ask.add_argument("text")
    for command in (chat, ask):
        command.add_argument(
            "--save-dir",
            type=Path,
            default=console.DEFAULT_SAVE_DIR,
            help=f"where photos and documents the bot sends are saved ({console.DEFAULT_SAVE_DIR})",
        )
    metrics = sub.add_parser("metrics", help="the metrics for a partner and period")
    metrics.add_argument("--json", action="store_true", help="print one JSON object")
    metrics.add_argument("query", nargs="+", help="a partner and an optional period: US 2025-06")
    data_cli.add_parser(sub)
    return parser


def metrics_output(services: Services, query: str, as_json: bool) -> tuple[int, str]:
    """(exit code, text) for ``python -m bot metrics``."""
    lookup = services.lookup()
    answer = lookup.exports(query)
    if isinstance(answer, MonthAnswer | SpanAnswer):
        result = answer.metrics.as_dict()
    elif isinstance(answer, NoFigure):
        result = lookup.metrics.month(answer.partner.code, answer.period).as_dict()
    else:
        return 2, to_plain(answers.problem(answer))
    if as_json:
        return 0, json.dumps(result, ensure_ascii=False)
    return 0, "\n\n".join(to_plain(text) for text in answers.exports(answer))


#: After SHUTDOWN_TIMEOUT, how long the process may take to end before it is ended at once.
EXIT_GRACE_SECONDS = 5.0


def database_problem(settings: Settings) -> str | None:
    """Before the bot starts: one line naming ``DATABASE_URL`` (never its password) if the
    database cannot be opened, instead of a traceback later."""
    return asyncio.run(watch.startup_problem(settings.database_url))


def run_bot(services: Services) -> int:
    """Polling (with the health check when ``HEALTH_PORT`` is set) or the webhook server. A
    failure is one line on stderr, with no secret in it."""
    settings = services.settings
    redact = settings.redact
    if not settings.token:
        print(
            "TELEGRAM_BOT_TOKEN is not set (environment or .env); see .env.example.",
            file=sys.stderr,
        )
        return 2
    guard = ExitGuard(settings.shutdown_seconds + EXIT_GRACE_SECONDS)
    try:
        if settings.mode == "webhook" or settings.health_port is not None:
            from bot import web  # Starlette and uvicorn load only when they are used

            asyncio.run(web.serve(services, on_shut_down=guard.arm))
        else:
            application = build_application(services)
            asyncio.run(lifecycle.run(application, services, on_shut_down=guard.arm))
    except lifecycle.TokenRefused:
        print("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.", file=sys.stderr)
        return 2
    except lifecycle.StartFailed as error:
        print(one_line(redact(f"exportwatch: could not start: {error}")), file=sys.stderr)
        return 1
    except Exception as error:
        text = f"exportwatch: stopped: {type(error).__name__}: {error}"
        print(one_line(redact(text)), file=sys.stderr)
        return 1
    return 0


def one_line(text: str, most: int = 400) -> str:
    """``text`` on one line, cut to ``most`` characters (after redaction, so no secret is cut
    into a part that no longer matches)."""
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1] + "…"


class ExitGuard:
    """The last resort behind the bounded shut-down: once armed, ends the process after
    ``seconds`` if it has not ended by itself (a step that ignored its cancellation, a thread
    that never returns), so systemd never has to kill it."""

    def __init__(self, seconds: float, end: Callable[[int], object] = os._exit) -> None:
        self.seconds = seconds
        self.end = end

    def arm(self) -> None:
        timer = threading.Timer(self.seconds, self._overran)
        timer.daemon = True
        timer.start()

    def _overran(self) -> None:
        print(
            f"exportwatch: the shut-down took over {self.seconds:g} s; ending the process now",
            file=sys.stderr,
            flush=True,
        )
        self.end(1)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = Settings.from_env()
        configure_logging(settings)
        if command == "data":
            code, text = data_cli.run(settings, args, datetime.now(settings.timezone).date())
            print(settings.redact(text), file=sys.stdout if code == 0 else sys.stderr)
            return code
        problem = database_problem(settings) if command in ("run", "start") else None
        if problem is not None:
            print(one_line(settings.redact(f"exportwatch: {problem}")), file=sys.stderr)
            return 2
        services = build_services(settings)
    except (ConfigError, DataFileError) as error:
        print(f"exportwatch: {error}", file=sys.stderr)
        return 2
    if command == "run":
        return run_bot(services)
    if command == "start":
        if settings.token:
            return run_bot(services)
        asyncio.run(
            console.chat(services, CONNECT_HINT + "\nType a question or /help; Ctrl-D quits.")
        )
        return 0
    if command == "chat":
        banner = "Local chat console. Type /help; Ctrl-D quits."
        asyncio.run(console.chat(services, banner, args.save_dir))
        return 0
    if command == "ask":
        print(
            asyncio.run(
                console.ask(services, args.text, args.json, args.save_dir, tuple(args.press))
            )
        )
        return 0
    code, text = metrics_output(services, " ".join(args.query), args.json)
    print(text, file=sys.stdout if code == 0 else sys.stderr)
    return code
