"""A network layer that answers the Bot API locally and records every call.

Passed to ``ApplicationBuilder().request(...)``, it replaces only the HTTP transport: the
Application, handlers and Bot are the real ones. The chat console, ``python -m bot ask`` and
the tests use it. Messages are checked as Telegram checks them (HTML, length) and a bad one
gets Telegram's 400 answer.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.render.telegram_html import request_problem

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "ExportWatch",
    "username": "ExportWatchBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
SENDING = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")
FILE_KINDS = {"sendPhoto": "photo", "sendDocument": "document"}
EDITING = ("editMessageText", "editMessageReplyMarkup")


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call: its parameters, the files uploaded with it (by multipart field, with
    the file names the bot gave) and what the local Bot API answered (``None`` for an error)."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)
    result: Any = None

    def as_dict(self) -> dict[str, Any]:
        files = {name: f"<{len(data)} bytes>" for name, data in self.files.items()}
        return {"method": self.method, "params": self.params | files}


class OfflineRequest(BaseRequest):
    """Answers Bot API methods locally; ``calls`` lists every call made (unless
    ``keep_calls`` is off, as in a benchmark, where a record of every call would be the test
    double's memory, not the bot's); ``made`` counts them either way."""

    def __init__(self, check_html: bool = True, keep_calls: bool = True) -> None:
        self.check_html = check_html
        self.keep_calls = keep_calls
        self.calls: list[ApiCall] = []
        self.made = 0
        self.member_status: dict[int, str] = {}  # user id → status getChatMember reports
        self.uneditable: set[int] = set()  # message ids Telegram refuses to edit (too old)

        self._message_ids = itertools.count(100_000)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        return await self.answer(url, request_data)

    async def answer(self, url: str, request_data: RequestData | None) -> tuple[int, bytes]:
        """Telegram's answer to one call (a test double wraps this, not ``do_request``)."""
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, bytes] = {}
        names: dict[str, str] = {}
        if request_data is not None and request_data.contains_files:
            for name, value in request_data.multipart_data.items():
                if isinstance(value, tuple) and isinstance(value[1], bytes):
                    files[name], names[name] = value[1], value[0]

        problem = None
        if api_method in EDITING and params.get("message_id") in self.uneditable:
            problem = "message can't be edited"
        elif self.check_html:
            problem = request_problem(api_method, params)
        self.made += 1
        if problem:
            self._record(ApiCall(api_method, params, files, names))
            error = {"ok": False, "error_code": 400, "description": f"Bad Request: {problem}"}
            return 400, _body(error)
        result = self._result(api_method, params, files)
        self._record(ApiCall(api_method, params, files, names, result))
        return 200, _body({"ok": True, "result": result})

    def _record(self, call: ApiCall) -> None:
        if self.keep_calls:
            self.calls.append(call)

    def sent_texts(self) -> list[str]:
        """Texts of the messages sent or edited so far."""
        return [str(c.params.get("text", "")) for c in self.calls if c.method in SENDING]

    def _result(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return []
        if method == "getChatMember":
            user_id = int(params["user_id"])
            return chat_member(user_id, self.member_status.get(user_id, "member"))

        if method == "sendMediaGroup":
            items = params.get("media", [])
            return [
                self._message(params, _content(_send_kind(item), item, files)) for item in items
            ]
        if method in EDITING and "inline_message_id" in params:
            return True  # a message posted through inline mode: Telegram answers True
        if method in SENDING or method == "editMessageReplyMarkup":
            message = self._message(params, _content(method, params, files))
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
            return message
        return True

    def _message(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        """The Message the Bot API answers a send with; an edit keeps the message's id."""
        chat_id = int(params.get("chat_id", 0))
        chat_type = "private" if chat_id > 0 else "supergroup"
        thread = params.get("message_thread_id")
        edited = "message_id" in params
        return {
            **({"message_thread_id": int(thread), "is_topic_message": True} if thread else {}),
            "message_id": int(params["message_id"]) if edited else next(self._message_ids),
            "date": int(time.time()),
            **({"edit_date": int(time.time())} if edited else {}),
            "chat": {"id": chat_id, "type": chat_type},
            "from": BOT_USER,
            **content,
        }


ADMIN_RIGHTS = (
    "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
    "can_promote_members can_change_info can_invite_users can_post_stories can_edit_stories "
    "can_delete_stories"
).split()


def chat_member(user_id: int, status: str) -> dict[str, Any]:
    """A ChatMember as getChatMember returns it: member, administrator, creator, left, kicked."""
    member: dict[str, Any] = {
        "status": status,
        "user": {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"},
    }
    if status == "administrator":
        member |= {"can_be_edited": False, "is_anonymous": False}
        member |= dict.fromkeys(ADMIN_RIGHTS, True)
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _content(method: str, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """The part of a sent Message that depends on what was sent (a media group's item is
    given with its ``media``, ``attach://`` and the name of its file part)."""
    kind = FILE_KINDS.get(method)
    if kind is None:
        return {"text": str(params.get("text", ""))}
    media = str(params.get("media", ""))
    data = files.get(media.removeprefix("attach://") if media else kind, b"")
    file = {"file_id": f"local-{len(data)}", "file_unique_id": f"u{len(data)}"}
    caption = {"caption": str(params["caption"])} if "caption" in params else {}
    if kind == "photo":
        return {"photo": [file | {"width": 1200, "height": 750}], **caption}
    return {"document": file | {"file_size": len(data)}, **caption}


def _send_kind(item: dict[str, Any]) -> str:
    """The send method a media group's item stands for: photos, else documents."""
    return "sendPhoto" if item.get("type") == "photo" else "sendDocument"


def _body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()
