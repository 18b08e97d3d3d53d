"""Building Telegram updates locally, for the chat console, ``ask`` and the tests.

The dictionaries have the shape the Bot API sends, so ``Update.de_json`` reads them exactly
as it reads real updates.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

_ids = itertools.count(1)

LOCAL_USER = {"id": 1001, "is_bot": False, "first_name": "You", "username": "local_user"}


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def message_dict(
    text: str,
    chat_id: int = LOCAL_USER["id"],  # type: ignore[assignment]
    chat_type: str = "private",
    user: dict[str, Any] | None = None,
    reply_to: dict[str, Any] | None = None,
    sender_chat: dict[str, Any] | None = None,
    thread_id: int | None = None,
) -> dict[str, Any]:
    """A text message as the Bot API delivers it, with command and mention entities."""
    message_id = next(_ids)
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = (user or LOCAL_USER)["first_name"]
    else:
        chat["title"] = "Local group"
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat,
        "from": user or LOCAL_USER,
        "text": text,
    }
    entities = []
    if text.startswith("/"):
        entities.append({"type": "bot_command", "offset": 0, "length": _utf16_len(text.split()[0])})
    offset = 0
    for word in text.split(" "):
        if word.startswith("@") and len(word) > 1:
            entities.append({"type": "mention", "offset": offset, "length": _utf16_len(word)})
        offset += _utf16_len(word) + 1
    if entities:
        message["entities"] = entities
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    if sender_chat is not None:
        message["sender_chat"] = sender_chat
    if thread_id is not None:
        chat["is_forum"] = True
        message |= {"message_thread_id": thread_id, "is_topic_message": True}
    return message


def message_update(text: str, **kwargs: Any) -> dict[str, Any]:
    """An update carrying one text message (see :func:`message_dict`)."""
    return {"update_id": next(_ids), "message": message_dict(text, **kwargs)}


def callback_update(
    data: str, message: dict[str, Any], user: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An update for a press on an inline button with ``data`` under ``message`` (a Message
    as the Bot API returned it when the bot sent or edited it)."""
    chat_id = message.get("chat", {}).get("id", 0)
    return {
        "update_id": next(_ids),
        "callback_query": {
            "id": str(next(_ids)),
            "from": user or LOCAL_USER,
            "chat_instance": f"local-{chat_id}",
            "data": data,
            "message": message,
        },
    }
