"""The local chat console and one-shot ``ask``: the real Application, offline network.

Each line typed becomes a Telegram update from a local user; the same handlers answer;
:class:`bot.offline.OfflineRequest` stands in for the network and records the Bot API calls.
Files the bot sends (photos, documents, media groups) are saved to a folder and their paths
printed. Inline buttons are shown numbered; typing the number (or ``/press N``) presses one,
which reaches the Application as the ``callback_query`` update Telegram would send.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from telegram import Update

from bot.app import build_application, startup
from bot.offline import EDITING, SENDING, ApiCall, OfflineRequest
from bot.render.telegram_html import to_plain
from bot.scheduler import stop_background
from bot.services import SERVICES_KEY, BotApplication, Services
from bot.updates import callback_update, message_update

DEFAULT_SAVE_DIR = Path("exportwatch-out")
PRESS = re.compile(r"^(/press\s+)?(\d{1,2})$")


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

    async def press(self, message: dict[str, Any], data: str) -> list[ApiCall]:
        """Press the inline button with callback ``data`` under ``message``."""
        return await self.process(callback_update(data, message))

    async def deliver(self) -> list[ApiCall]:
        """Send what the outbox has due now (not what waits for a chat's hours); the calls."""
        start = len(self.request.calls)
        services: Services = self.application.bot_data[SERVICES_KEY]
        if services.delivery is not None:
            await services.delivery.drain()
        return self.request.calls[start:]

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


@dataclass(frozen=True)
class Button:
    label: str
    data: str | None  # callback data; None for a link or another kind of button
    url: str | None = None


class Console:
    """What a terminal shows of the bot, and the buttons on show to press by number.

    The buttons are those of the latest message that has an inline keyboard.
    """

    def __init__(self, local: LocalChat, save_dir: Path = DEFAULT_SAVE_DIR) -> None:
        self.local = local
        self.save_dir = save_dir
        self.buttons: list[Button] = []
        self.message: dict[str, Any] | None = None  # the message the buttons are under
        self.saved: dict[int, list[Path]] = {}  # id of a call → the files saved from it

    async def handle(self, line: str) -> list[str]:
        """A typed line: a button press (``3`` or ``/press 3``) or a message to the bot."""
        press = PRESS.match(line.strip())
        if press and (press[1] or self.buttons):
            return await self.press(int(press[2]))
        return self.show(await self.local.send(line))

    async def press(self, number: int) -> list[str]:
        if not 1 <= number <= len(self.buttons) or self.message is None:
            shown = f"1 to {len(self.buttons)}" if self.buttons else "none now"
            return [f"No button [{number}] (buttons: {shown})."]
        button = self.buttons[number - 1]
        if button.data is None:
            return [f"[{button.label}] opens {button.url}" if button.url else "Telegram only."]
        return self.show(await self.local.press(self.message, button.data))

    def show(self, calls: list[ApiCall]) -> list[str]:
        """Blocks of text for the calls: messages, edits, callback answers and saved files."""
        blocks = []
        for call in calls:
            if call.method == "answerCallbackQuery":
                if call.params.get("text"):
                    kind = "alert" if call.params.get("show_alert") else "notice"
                    blocks.append(f"({kind}) {call.params['text']}")
                continue
            if call.method not in SENDING and not call.files:
                continue
            files = save_files(call, self.save_dir)
            if files:
                self.saved[id(call)] = [path for _kind, path in files]
            lines = [self._saved(path, kind) for kind, path in files]
            text = call.params.get("text", call.params.get("caption", ""))
            if text:
                lines.append(("(edited) " if call.method in EDITING else "") + to_plain(str(text)))
            lines += self._keyboard(call)
            blocks.append("\n".join(lines))
        return blocks

    def _saved(self, path: Path, kind: str) -> str:
        return f"[{kind} saved: {path}, {max(1, path.stat().st_size // 1024)} KB]"

    def _keyboard(self, call: ApiCall) -> list[str]:
        """Number the call's inline buttons and keep them to press; an edit that drops the
        keyboard of the message on show drops its buttons."""
        markup = call.params.get("reply_markup")
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        result = call.result if isinstance(call.result, dict) else None
        if not rows or result is None:
            if (
                result
                and self.message
                and result.get("message_id") == self.message.get("message_id")
            ):
                self.buttons, self.message = [], None
            return []
        self.buttons, self.message, lines = [], result, []
        for row in rows:
            labels = []
            for button in row:
                self.buttons.append(
                    Button(button["text"], button.get("callback_data"), button.get("url"))
                )
                labels.append(f"[{len(self.buttons)}] {button['text']}")
            lines.append("  ".join(labels))
        return lines


def save_files(call: ApiCall, folder: Path) -> list[tuple[str, Path]]:
    """Write the files uploaded with ``call`` into ``folder`` (made when first needed), never
    over an earlier file; return (kind, path) for each."""
    saved = []
    for part, data in call.files.items():
        name = Path(call.file_names.get(part, "")).name
        suffix = Path(name).suffix if "." in name else ""
        if not suffix or name == "application.octet-stream":
            suffix = ".png" if data.startswith(b"\x89PNG") else ".bin"
            name = f"{part}{suffix}"
        folder.mkdir(parents=True, exist_ok=True)
        saved.append((_kind(call, part), _write_new(folder / name, data)))
    return saved


def _kind(call: ApiCall, part: str) -> str:
    if part in ("photo", "document"):
        return part
    return "photo" if call.files[part].startswith(b"\x89PNG") else "file"


def _write_new(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path``, or to ``name-2.ext``, ``name-3.ext``… if it exists."""
    candidate, number = path, 1
    while True:
        try:
            with candidate.open("xb") as file:
                file.write(data)
            return candidate
        except FileExistsError:
            number += 1
            candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")


async def ask(
    services: Services,
    text: str,
    as_json: bool,
    save_dir: Path = DEFAULT_SAVE_DIR,
    presses: tuple[int, ...] = (),
) -> str:
    """One message in (then any buttons pressed by number); the replies as plain text with
    saved files' paths, or one JSON object per Bot API call."""
    async with LocalChat(services) as local:
        console = Console(local, save_dir)
        start = len(local.request.calls)
        blocks = await console.handle(text)
        for number in presses:
            blocks += await console.press(number)
        calls = local.request.calls[start:]
    if as_json:
        objects = [c.as_dict() | _saved_as_dict(console.saved.get(id(c))) for c in calls]
        return "\n".join(json.dumps(o, ensure_ascii=False) for o in objects)
    return "\n\n".join(blocks)


def _saved_as_dict(paths: list[Path] | None) -> dict[str, Any]:
    return {"saved": [str(path) for path in paths]} if paths else {}


async def chat(services: Services, banner: str, save_dir: Path = DEFAULT_SAVE_DIR) -> None:
    """Read lines from the terminal until end of input; print the bot's replies."""
    print(banner)
    print(f"Files the bot sends are saved in {save_dir}/. Type a button's number to press it.")
    async with LocalChat(services) as local:
        console = Console(local, save_dir)
        while True:
            try:
                line = await asyncio.to_thread(input, "you> ")
            except EOFError:
                print()
                return
            if not line.strip():
                continue
            for text in await console.handle(line):
                print("bot> " + text.replace("\n", "\n     ") + "\n")
