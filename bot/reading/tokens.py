"""Splitting a question into tokens: numbers, words, Chinese words, flags and punctuation.

Text is first normalised: NFKC turns full-width digits and letters into ASCII (２０２５ → 2025),
traditional characters of known words become simplified (美國 → 美国), control and direction
marks are dropped. Latin text splits at spaces and punctuation; Chinese text, which has no
spaces, is matched against :func:`bot.reading.lexicon.cjk_vocabulary` longest word first, and a
run of characters no word matches becomes one ``unknown`` token, so it can be named back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.reading.lexicon import CHINESE_DIGITS, LOWERCASE_CODES, TRADITIONAL, cjk_vocabulary

Kind = Literal["num", "word", "cjk", "unknown", "flag", "punct"]

#: Chinese characters (and kana, hangul) — text with no spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u3001]")
_LATIN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_DIGITS = re.compile(r"\d+")
_FLAG = re.compile(r"[\U0001F1E6-\U0001F1FF]{2}")
_EU27 = re.compile(r"\bEU[\s\-‑–]?27\b", re.IGNORECASE)
_CHANGE = re.compile(r"\b([ymYM])/\1\b")
#: The characters of a number written in Chinese (二〇二五, 十二), read as a ``num`` token.
CHINESE_NUMERALS = "〇零一二两三四五六七八九十"
_CHINESE_NUMBER = re.compile(f"[{CHINESE_NUMERALS}]+")
_SPACES = re.compile(r"\s+")
#: The next token's kind in one match, the alternatives tried in this order: digits, a flag,
#: a Chinese character (the word is then looked up), a Latin word; else a mark.
_NEXT = re.compile(f"({_DIGITS.pattern})|({_FLAG.pattern})|({_CJK.pattern})|({_LATIN.pattern})")
#: NFKC leaves ASCII as it is; so does the table of traditional characters, if it has no
#: ASCII character (it has none: it maps Chinese characters).
_ASCII_KEPT = min(TRADITIONAL, default=128) >= 128


@dataclass(frozen=True)
class Token:
    """One piece of a question: its kind, the text as typed, and what it means.

    ``meaning`` is the word's tag for Chinese words (``("period", "h1")``), the number for
    numbers, the lower-cased word for Latin words.
    """

    kind: Kind
    text: str
    meaning: str = ""
    number: int | None = None
    space_before: bool = False

    @property
    def word(self) -> str:
        return self.meaning if self.kind == "word" else ""


def is_cjk(char: str) -> bool:
    """Whether ``char`` is written without spaces (Chinese, kana, hangul): a token there is
    a known word, a Chinese number or an unknown run, never a Latin word."""
    return _CJK.match(char) is not None


def normalise_text(text: str) -> str:
    """Full-width to ASCII, traditional to simplified, control characters to spaces.
    (Each step is skipped where it cannot change the text: it is done twice per question.)"""
    if not (text.isascii() and _ASCII_KEPT):
        text = unicodedata.normalize("NFKC", text).translate(TRADITIONAL)
    if "27" in text:
        text = _EU27.sub("EU", text)  # the bot's own label for the bloc
    if "/" in text:
        text = _CHANGE.sub(lambda m: "yoy" if m[1].lower() == "y" else "mom", text)  # y/y, m/m
    if not text.isprintable():  # (format characters, Cf, are not printable either)
        kept = (" " if not c.isprintable() or unicodedata.category(c) == "Cf" else c for c in text)
        text = "".join(kept)
    if "  " in text:  # the only space left in printable text is " "
        text = _SPACES.sub(" ", text)
    return text.strip()


@lru_cache(maxsize=8)
def _vocabulary(extra: tuple[str, ...] = ()) -> tuple[dict[str, tuple[str, str]], int]:
    """The Chinese words matched, with ``extra`` ones (a material's names) as ``extra:…``."""
    words = cjk_vocabulary() | {word: ("extra", word) for word in extra}
    return words, max(len(w) for w in words)


def chinese_number(text: str) -> int | None:
    """二〇二五 → 2025, 十二 → 12, 五 → 5; ``None`` when the characters make no number."""
    if "十" not in text:
        return int("".join(str(CHINESE_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)


def tokenize(text: str, extra: tuple[str, ...] = ()) -> tuple[Token, ...]:
    """The tokens of already normalised ``text``, in order; ``extra`` Chinese words are
    matched too (longest first, as the others), as ``cjk`` tokens meaning ``extra:<word>``."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    space = False
    while i < n:
        char = text[i]
        if char.isspace():
            space, i = True, i + 1
            continue
        token, i = _next(text, i, space, extra)
        tokens.append(token)
        space = False
    return _merge_unknown(tokens)


def _next(text: str, i: int, space: bool, extra: tuple[str, ...] = ()) -> tuple[Token, int]:
    """The token starting at ``i`` (after a space or not) and the position after it."""
    match = _NEXT.match(text, i)
    if match is None:
        return Token("punct", text[i], text[i], None, space), i + 1
    found, kind = match[0], match.lastindex
    if kind == 1:
        number = int(found) if found.isdigit() else None
        return Token("num", found, found, number, space), match.end()
    if kind == 2:
        return Token("flag", found, found, None, space), match.end()
    if kind == 3:
        return _cjk_token(text, i, space, extra)
    word = found.replace("’", "'").removesuffix("'s").removesuffix("'S")  # Korea's
    return Token("word", found, word.casefold(), None, space), match.end()


def _cjk_token(text: str, i: int, space: bool, extra: tuple[str, ...] = ()) -> tuple[Token, int]:
    """The longest known Chinese word at ``i``, a Chinese number, or one unknown character."""
    words, longest = _vocabulary(extra)
    for size in range(min(longest, len(text) - i), 0, -1):
        piece = text[i : i + size]
        if piece in words:
            kind, meaning = words[piece]
            if kind == "unknown":  # a word known to change the question: named whole
                return Token("unknown", piece, piece, None, space), i + size
            return Token("cjk", piece, f"{kind}:{meaning}", None, space), i + size
    if (match := _CHINESE_NUMBER.match(text, i)) is not None:
        value = chinese_number(match[0])
        if value is not None:
            return Token("num", match[0], str(value), value, space), match.end()
    return Token("unknown", text[i], text[i], None, space), i + 1


def _merge_unknown(tokens: list[Token]) -> tuple[Token, ...]:
    """Neighbouring unknown Chinese characters become one unknown word."""
    merged: list[Token] = []
    for token in tokens:
        previous = merged[-1] if merged else None
        if (
            token.kind == "unknown"
            and previous is not None
            and previous.kind == "unknown"
            and not token.space_before
        ):
            text = previous.text + token.text
            merged[-1] = Token("unknown", text, text, None, previous.space_before)
        else:
            merged.append(token)
    return tuple(merged)


def is_code(token: Token) -> bool:
    """A two-letter word in capitals is a country code, even "IN" or "AT"."""
    return len(token.text) == 2 and token.text.isupper()


def is_word(token: Token) -> bool:
    """Two lower-case letters are a word ("kg", "in") unless a common code ("us", "de")."""
    text = token.text
    return len(text) == 2 and not text.isupper() and text.casefold() not in LOWERCASE_CODES
