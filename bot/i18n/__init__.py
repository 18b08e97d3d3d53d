"""The bot's languages: every message it sends in English and Simplified Chinese.

Messages are written in English in the code, marked with :func:`tr` (or :func:`ntr` for a
count), and translated in the gettext catalog ``bot/i18n/locales/zh/LC_MESSAGES/messages.po``
(Babel's extract, update and compile: ``make messages``; the README's "Languages" section).
Placeholders are named, ``{month}``, and filled after translation, never concatenated: a
translation may put them in its own order. Values given to a message are already Telegram
HTML (escaped by the caller).
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple, get_args

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT: Language = "en"
#: The Babel locale each language's numbers, dates and country names are formatted in.
LOCALES: dict[Language, str] = {"en": "en", "zh": "zh_Hans_CN"}
#: What each language is called in itself, for the buttons that choose one.
NATIVE_NAMES: dict[Language, str] = {"en": "English", "zh": "中文"}

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


@cache
def catalog(language: Language) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (English is the code's own text)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])


def tr(language: Language, message: str, /, **values: object) -> str:
    """``message`` in ``language``, its ``{placeholders}`` filled with ``values``."""
    text = message if language == "en" else catalog(language).gettext(message)
    return text.format(**values)


def ntr(language: Language, singular: str, plural: str, n: int, /, **values: object) -> str:
    """The form of a message that agrees with ``n`` (given to it as ``{n}``)."""
    return catalog(language).ngettext(singular, plural, n).format(n=n, **values)


def names_traditional(word: str) -> bool:
    """Whether a word asks for Traditional Chinese (``繁體中文``, ``zh-TW``, ``zh-Hant``): it is
    read, and answered in Simplified."""
    key = word.strip().lower().replace("_", "-")
    return key.startswith(("繁", "正體", "zh-tw", "zh-hk", "zh-mo", "zh-hant"))


def parse_language(word: str) -> Language | None:
    """``zh``, ``zh-hans``, ``cn``, ``中文``, ``chinese``, ``en``, ``英文``…: the language a
    word names, or ``None``."""
    key = word.strip().lower().replace("_", "-")
    if key in ("en", "english", "英文", "英语", "英語") or key.startswith("en-"):
        return "en"
    chinese = (
        "zh", "cn", "chinese", "中文", "汉语", "漢語", "简体", "簡體", "繁體", "繁体", "简体中文",
        "簡體中文", "繁體中文", "繁体中文", "正體中文", "华语", "華語", "国语", "國語", "普通话",
    )  # fmt: skip
    if key in chinese or key.startswith("zh-"):
        return "zh"
    return None


class Said:
    """A message made where the reader's language is not known (how a question was read, a
    period problem, the rule that chose a figure, why a figure is set aside), put in their
    language when rendered: ``said("{period} without a year", period=june)``. Values may be
    periods, partners and quantities, named in the language then; ``str()`` is the English."""

    __slots__ = ("message", "values")

    def __init__(self, message: str, /, **values: object) -> None:
        self.message = message
        self.values = tuple(values.items())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Said) and (self.message, self.values) == (
            other.message,
            other.values,
        )

    def __hash__(self) -> int:
        return hash((self.message, self.values))

    def __repr__(self) -> str:
        return f"Said({self.message!r}, {dict(self.values)!r})"

    def __str__(self) -> str:
        """In English, as plain text (logs, tests, the command line)."""
        from bot.i18n.formats import say

        return say(self, "en", escape=False)


said = Said  # the name the extractor looks for: said("…", …)


def in_quotes(words: str) -> Said:
    """Words as typed, in quotation marks: ``“2025-13”`` (escaped when said)."""
    return said("“{words}”", words=words)


def both(items: Sequence[object]) -> object:
    """Values joined by "and" as the question named them, a value of a :class:`Said`:
    ``United States and Germany``, ``美国和德国``."""
    if len(items) < 2:
        return items[0] if items else ""
    return said("{earlier} and {last}", earlier=both(items[:-1]), last=items[-1])


def either(items: Sequence[object]) -> object:
    """Commands joined by "or", a value of a :class:`Said`: ``/chart US or /chart DE``,
    ``/chart US 或 /chart DE``."""
    if len(items) < 2:
        return items[0] if items else ""
    # TRANSLATORS: commands, one or the other: /chart US or /chart DE.
    return said("{earlier} or {last}", earlier=either(items[:-1]), last=items[-1])


class Named(NamedTuple):
    """A name in each language (a material: ``gallium``, ``镓``), a value of a :class:`Said`."""

    english: str
    chinese: str

    def said_in(self, language: Language) -> str:
        return self.chinese if language == "zh" and self.chinese else self.english


class MonthName(int):
    """A month named without its year, a value of a :class:`Said`: 6 is ``June``, ``6月``."""


class Words(str):
    """Relative words of a question (``last_month``), a value of a :class:`Said`: ``last
    month``, ``上个月``."""


class Clauses(tuple[object, ...]):
    """Parts of one line, a value of a :class:`Said`: joined as the language joins clauses,
    ``a; b`` / ``a；b`` (each part a value, a :class:`Said` among them)."""


class Quantity(NamedTuple):
    """An amount as its source gives it (up to three decimals) in a series' unit (``tonnes``
    or ``kg``), a value of a :class:`Said`: ``353.48 t``, ``353.48 吨``; ``7,580 千克``."""

    value: float
    unit: str
