"""The local chat console and one-shot ``ask``: the real Application, offline network.

Each line typed becomes a Telegram update from a local user; the same handlers answer;
:class:`bot.offline.OfflineRequest` stands in for the network and records the Bot API calls.
"""

from __future__ import annotations

import asyncio
import json
from types import TracebackType
from typing import Any

from telegram import Update

from bot.app import build_application, startup
from bot.offline import SENDING, ApiCall, OfflineRequest
from bot.render.telegram_html import to_plain
from bot.scheduler import stop_background
from bot.services import SERVICES_KEY, BotApplication, Services
from bot.updates import message_update


class LocalChat:
    """An initialised Application that takes text and returns the Bot API calls it made."""

    def __init__(self, services: Services, check_html: bool = True) -> None:
        self.request = OfflineRequest(check_html)
        self.application: BotApplication = build_application(services, request=self.request)

    async def __aenter__(self) -> LocalChat:
        await self.application.initialize()
        await startup(self.application)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await stop_background(self.application)
        await self.application.shutdown()

    async def send(self, text: str, **kwargs: Any) -> list[ApiCall]:
        """Deliver ``text`` as a message update; return the calls made while answering,
        including what the delivery worker sent as a result (e.g. after /subscribe)."""
        return await self.process(message_update(text, **kwargs))

    async def process(self, data: dict[str, Any]) -> list[ApiCall]:
        """Process any update given as Bot API JSON; return the calls it caused."""
        start = len(self.request.calls)
        await self.application.process_update(Update.de_json(data, self.application.bot))
        services: Services = self.application.bot_data[SERVICES_KEY]
        if services.delivery is not None:
            await services.delivery.drain()
        return self.request.calls[start:]


def replies(calls: list[ApiCall]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method in SENDING]


async def ask(services: Services, text: str, as_json: bool) -> str:
    """One message in; the reply as plain text, or one JSON object per Bot API call."""
    async with LocalChat(services) as chat:
        calls = await chat.send(text)
    if as_json:
        return "\n".join(json.dumps(c.as_dict(), ensure_ascii=False) for c in calls)
    return "\n\n".join(to_plain(text) for text in replies(calls))


async def chat(services: Services, banner: str) -> None:
    """Read lines from the terminal until end of input; print the bot's replies."""
    print(banner)
    async with LocalChat(services) as local:
        while True:
            try:
                line = await asyncio.to_thread(input, "you> ")
            except EOFError:
                print()
                return
            if not line.strip():
                continue
            for text in shown(await local.send(line)):
                print("bot> " + text.replace("\n", "\n     ") + "\n")


def shown(calls: list[ApiCall]) -> list[str]:
    """What a terminal shows of the calls: texts, and files with their captions."""
    lines = []
    for call in calls:
        if call.method not in SENDING:
            continue
        text = to_plain(str(call.params.get("text", call.params.get("caption", ""))))
        for name, data in call.files.items():
            text = f"[{name} sent, {len(data) // 1024} KB; use Telegram to see it]\n{text}"
        lines.append(text)
    return lines
