"""Checking text against Telegram's HTML parse mode, as the Bot API does.

Used by the offline network layer so the console, ``ask`` and the tests reject what
Telegram would reject ("Bad Request: can't parse entities").
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

MAX_TEXT = 4096
ALLOWED_TAGS = frozenset(
    """b strong i em u ins s strike del a code pre tg-spoiler span blockquote tg-emoji""".split()
)
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)((?:\s+[a-zA-Z-]+(?:=\"[^\"<>]*\"|='[^'<>]*')?)*)\s*>")
_SPECIAL = re.compile(r"[<&]")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


def html_problem(text: str, limit: int = MAX_TEXT) -> str | None:
    """``None`` when Telegram would accept ``text``; otherwise why it would not."""
    if not text.strip():
        return "message text is empty"
    if len(text) > limit:
        return f"message is too long ({len(text)} > {limit} characters)"
    stack: list[str] = []
    visible: list[str] = []
    i = 0
    while (special := _SPECIAL.search(text, i)) is not None:
        visible.append(text[i : special.start()])
        i = special.start()
        if special[0] == "<":
            match = _TAG.match(text, i)
            if match is None:
                return f"can't parse entities: unsupported start tag at byte offset {i}"
            closing, name, attributes = match[1], match[2].lower(), match[3]
            if name not in ALLOWED_TAGS:
                return f"can't parse entities: unsupported tag <{name}>"
            if closing:
                if not stack or stack[-1] != name:
                    return f"can't parse entities: unexpected end tag </{name}>"
                stack.pop()
            else:
                if name == "a" and "href=" not in attributes:
                    return "can't parse entities: <a> without href"
                stack.append(name)
        else:
            match = _ENTITY.match(text, i)
            if match is None:
                return f"can't parse entities: unescaped & at offset {i}"
            visible.append(html.unescape(match[0]))
        i = match.end()
    visible.append(text[i:])
    if stack:
        return f"can't parse entities: unclosed tag <{stack[-1]}>"
    if not "".join(visible).strip():
        return "message text is empty"
    return None


def to_plain(text: str) -> str:
    """Telegram HTML as a terminal shows it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


MAX_CAPTION = 1024
MAX_CALLBACK_BYTES = 64
MAX_INLINE_RESULTS = 50


def _buttons(markup: object) -> list[dict[str, object]]:
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard", [])
    return [button for row in rows for button in row if isinstance(button, dict)]


def request_problem(method: str, params: Mapping[str, object]) -> str | None:
    """What Telegram would reject in a Bot API call's parameters, or ``None``."""
    html = params.get("parse_mode") == "HTML"
    if "text" in params and method in ("sendMessage", "editMessageText"):
        text = str(params["text"])
        problem = html_problem(text) if html else (None if len(text) <= MAX_TEXT else "too long")
        if problem:
            return problem
    if "caption" in params:
        caption = str(params["caption"])
        if len(caption) > MAX_CAPTION:
            return f"message caption is too long ({len(caption)} > {MAX_CAPTION})"
        if html and (problem := html_problem(caption, MAX_CAPTION)):
            return problem
    for button in _buttons(params.get("reply_markup")):
        if len(str(button.get("callback_data", "")).encode()) > MAX_CALLBACK_BYTES:
            return "BUTTON_DATA_INVALID"
    if method == "answerInlineQuery":
        results = params.get("results", [])
        assert isinstance(results, list)
        if len(results) > MAX_INLINE_RESULTS:
            return "RESULTS_TOO_MUCH"
        for result in results:
            if len(str(result.get("id", "")).encode()) > MAX_CALLBACK_BYTES:
                return "RESULT_ID_INVALID"
            content = result.get("input_message_content", {})
            inner = {
                "text": content.get("message_text", ""),
                "parse_mode": content.get("parse_mode"),
            }
            if problem := request_problem(
                "sendMessage", inner | {"reply_markup": result.get("reply_markup")}
            ):
                return problem
    return None
