"""Which language a reply is in: the chat's own setting, else the words asked, else (in a
private chat) the user's Telegram language, else English."""

from __future__ import annotations

import re

from bot.i18n import DEFAULT, Language

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_COMMAND = re.compile(r"^/\w+(@\w+)?|@\w+")


def written_in_chinese(text: str) -> bool:
    """Whether ``text`` is Chinese: more Chinese characters than Latin letters, not counting
    the command and any @mention (``/exports 美国 6月`` is, ``/exports US`` is not)."""
    words = _COMMAND.sub(" ", text)
    han = len(_HAN.findall(words))
    return han > 0 and han >= len(_LATIN.findall(words))


def user_language(code: str | None) -> Language | None:
    """The language of a Telegram ``language_code`` the bot speaks (``zh-hans``, ``zh-hk``,
    ``zh`` → Chinese; ``en*`` → English), else ``None``."""
    if not code:
        return None
    code = code.lower()
    if code.startswith("zh"):
        return "zh"
    return "en" if code.startswith("en") else None


def reply_language(
    chosen: Language | None, text: str = "", telegram_code: str | None = None, private: bool = False
) -> Language:
    """The language to answer in: the chat's setting (``chosen``: /lang) wins; until one is
    set, a text written in Chinese is answered in Chinese, and a private chat follows its
    user's Telegram language."""
    if chosen is not None:
        return chosen
    if text and written_in_chinese(text):
        return "zh"
    if private and (found := user_language(telegram_code)) is not None:
        return found
    return DEFAULT
