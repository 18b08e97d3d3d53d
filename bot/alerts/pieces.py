"""The pieces of a typed alert rule: partners, materials, metrics, comparisons, numbers, units.

The text is cleaned one character at a time (full-width forms to ASCII, traditional characters
to simplified, the minus sign and ``≤``/``≥`` to ASCII), so each piece keeps the words exactly
as typed. The materials are found by the reader every command uses
(:func:`bot.reading.materials.read_materials`); the rest is split by the question tokenizer and
read word by word against :mod:`bot.alerts.words`, a partner being whatever the partner reader
finds. A word read as nothing is kept as typed, to be named.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from bot.alerts.words import CHINESE, ENGLISH, TRADITIONAL_EXTRA, Meaning
from bot.reading.lexicon import CHINA_WORDS
from bot.reading.materials import MaterialNames, Named, read_materials
from bot.reading.partners import ALIASES, Ambiguous, Found, known_partner
from bot.reading.tokens import Token, is_code, is_word, tokenize
from bot.reading.traditional import TRADITIONAL

#: Characters cleaned into ASCII that NFKC leaves alone.
_SYMBOLS = {"−": "-", "–": "-", "‒": "-", "﹣": "-", "≤": "<=", "≦": "<=", "≥": ">=", "≧": ">="}
#: Punctuation that separates words and means nothing in a rule.
_QUIET = frozenset(",.;:!?()[]\"'、，。：；！？（）“”‘’")
#: The most tokens an English phrase or a partner's name spans.
_LONGEST = 5
#: Words that say a number is a percentage.
_PERCENT_WORDS = frozenset({"percent", "pct"})


@dataclass(frozen=True)
class Number:
    """A number as typed (``-25%``), its value, whether it is a percentage, and whether a
    sign was typed."""

    typed: str
    value: Decimal
    percent: bool
    signed: bool


@dataclass
class Pieces:
    """What the words of a rule name, each with its words as typed."""

    materials: list[tuple[str, str]] = field(default_factory=list)
    partners: list[tuple[str, str]] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    china: list[str] = field(default_factory=list)  # "China", 中国: the exporter or the total
    numbers: list[Number] = field(default_factory=list)
    said: list[tuple[str, Meaning]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def of(self, role: str) -> list[tuple[str, object]]:
        """The words of one role (``metric``, ``compare``, …) with what each means."""
        return [(typed, meaning[1]) for typed, meaning in self.said if meaning[0] == role]


class _Text:
    """The cleaned text, where each cleaned character came from, and the tokens' places."""

    def __init__(self, typed: str, extra: tuple[str, ...]) -> None:
        self.typed = typed
        cleaned: list[str] = []
        self.origin: list[int] = []
        for i, char in enumerate(typed):
            piece = _SYMBOLS.get(char)
            if piece is None:
                piece = unicodedata.normalize("NFKC", char).translate(TRADITIONAL)
                piece = piece.translate(TRADITIONAL_EXTRA)
            if not piece.isprintable() or unicodedata.category(char) == "Cf":
                piece = " "
            cleaned.append(piece)
            self.origin += [i] * len(piece)
        self.text = "".join(cleaned)
        self.tokens = tokenize(self.text, extra)
        self.spans: list[tuple[int, int]] = []
        at = 0
        for token in self.tokens:
            start = self.text.find(token.text, at)
            at = start + len(token.text)
            self.spans.append((start, at))

    def words(self, first: int, end: int) -> str:
        """Tokens ``first`` to ``end`` (not included) as they were typed."""
        start, stop = self.spans[first][0], self.spans[end - 1][1]
        return self.typed[self.origin[start] : self.origin[stop - 1] + 1]


def read_pieces(typed: str, names: MaterialNames) -> Pieces:
    """The pieces of the rule ``typed``; see the module docstring."""
    text = _Text(typed, tuple(sorted({*names.chinese, *CHINESE})))
    pieces = Pieces()
    found = read_materials(text.text, names)
    taken = _material_tokens(text, found.named, pieces)
    tokens = text.tokens
    i, last = 0, -2  # last: the token last named as not understood
    while i < len(tokens):
        if i in taken:
            i += 1
            continue
        token = tokens[i]
        end = (
            _number(text, i, pieces, taken)
            or _code(text, i, pieces)
            or _chinese(text, i, pieces)
            or _phrase(text, i, pieces, taken)
            or _partner(text, i, pieces, taken)
        )
        if end is None:
            if not (token.kind == "punct" and token.text in _QUIET):
                _unknown(text, i, pieces, glued=last == i - 1 and not token.space_before)
                last = i
            end = i + 1
        i = end
    return pieces


def _unknown(text: _Text, i: int, pieces: Pieces, glued: bool) -> None:
    """Token ``i`` is not understood: named as typed, with the one before it when they were
    typed together (``<b>hello</b>`` stays whole where its marks are not read)."""
    if glued and pieces.unknown:
        pieces.unknown[-1] += text.words(i, i + 1)
    else:
        pieces.unknown.append(text.words(i, i + 1))


def _material_tokens(text: _Text, named: tuple[Named, ...], pieces: Pieces) -> set[int]:
    """The tokens of each material name found, in order; each name is kept as typed."""
    taken: set[int] = set()
    at = 0
    for name in named:
        run = _run(text.tokens, at, name.text)
        if run is None:
            continue  # not where the reader found it: its words are read (and named) below
        pieces.materials.append((text.words(*run), name.key))
        taken.update(range(*run))
        at = run[1]
    return taken


def _run(tokens: tuple[Token, ...], at: int, wanted: str) -> tuple[int, int] | None:
    """The first run of tokens from ``at`` whose text, spaced as typed, is ``wanted``."""
    for start in range(at, len(tokens)):
        joined = ""
        for end in range(start, len(tokens)):
            token = tokens[end]
            joined += (" " if token.space_before and end > start else "") + token.text
            if joined == wanted:
                return start, end + 1
            if not wanted.startswith(joined):
                break
    return None


def _number(text: _Text, i: int, pieces: Pieces, taken: set[int]) -> int | None:
    """A number from token ``i``: a sign typed against it, thousands (``2,000``), decimals
    (``0.5``), then ``%`` or "percent"; the token after it, or ``None``."""
    tokens = text.tokens
    start, sign = i, ""
    if tokens[i].kind == "punct" and tokens[i].text in "+-":
        if i + 1 >= len(tokens) or tokens[i + 1].kind != "num" or tokens[i + 1].space_before:
            return None
        sign, i = tokens[i].text, i + 1
    if tokens[i].kind != "num" or tokens[i].number is None:
        return None
    digits = str(tokens[i].number) if not tokens[i].text.isascii() else tokens[i].text
    end = i + 1
    while _glued(tokens, end, ",") and len(tokens[end + 1].text) == 3:
        digits += tokens[end + 1].text
        end += 2
    if _glued(tokens, end, "."):
        digits += "." + tokens[end + 1].text
        end += 2
    after = tokens[end] if end < len(tokens) and end not in taken else None
    percent = after is not None and (after.text == "%" or after.meaning in _PERCENT_WORDS)
    end += 1 if percent else 0
    value = Decimal(sign + digits)
    pieces.numbers.append(Number(text.words(start, end), value, percent, bool(sign)))
    return end


def _glued(tokens: tuple[Token, ...], at: int, mark: str) -> bool:
    """``mark`` at ``at`` with digits right after it, nothing typed between."""
    return (
        at + 1 < len(tokens)
        and tokens[at].text == mark
        and not tokens[at].space_before
        and tokens[at + 1].kind == "num"
        and tokens[at + 1].text.isascii()
        and not tokens[at + 1].space_before
    )


def _code(text: _Text, i: int, pieces: Pieces) -> int | None:
    """Two capitals are a country's code (``IN``, ``DE``) or a flag a country."""
    token = text.tokens[i]
    if not (token.kind == "flag" or (token.kind == "word" and is_code(token))):
        return None
    _found(known_partner(token.text), text.words(i, i + 1), pieces)
    return i + 1


def _found(found: Found | Ambiguous | None, typed: str, pieces: Pieces) -> None:
    if isinstance(found, Found):
        pieces.partners.append((typed, found.partner.code))
    elif isinstance(found, Ambiguous):
        pieces.ambiguous.append(typed)
    else:
        pieces.unknown.append(typed)


def _chinese(text: _Text, i: int, pieces: Pieces) -> int | None:
    """A Chinese word of a rule, a partner's name or a unit."""
    token = text.tokens[i]
    if token.kind != "cjk":
        return None
    kind, _, meaning = token.meaning.partition(":")
    typed = text.words(i, i + 1)
    if kind == "extra" and meaning in CHINESE:
        pieces.said.append((typed, CHINESE[meaning]))
    elif kind == "partner" and token.text in CHINA_WORDS:
        pieces.china.append(typed)
    elif kind == "partner":
        found = known_partner(token.text)  # None for news shorthand: 对美
        if found is None:
            pieces.partners.append((typed, meaning))
        else:
            _found(found, typed, pieces)
    elif kind == "measure":
        pieces.said.append((typed, ("unit", meaning)))
    else:
        return None
    return i + 1


def _phrase(text: _Text, i: int, pieces: Pieces, taken: set[int]) -> int | None:
    """The longest English phrase of a rule from token ``i`` (words and ``<``, ``=``, ``/``;
    a hyphen between words as a space)."""
    tokens = text.tokens
    if tokens[i].text == "-":
        return None  # a hyphen begins no phrase: "-top" is not "top"
    best: tuple[int, Meaning] | None = None
    key = ""
    for end in range(i, min(len(tokens), i + _LONGEST * 2)):
        token = tokens[end]
        if end in taken or token.kind not in ("word", "punct") or token.text in _QUIET:
            break
        key += (" " if token.space_before and end > i else "") + token.text.casefold()
        phrase = " ".join(key.replace("-", " ").split())
        if token.text != "-" and phrase in ENGLISH:
            best = (end + 1, ENGLISH[phrase])
    if best is None:
        return None
    pieces.said.append((text.words(i, best[0]), best[1]))
    return best[0]


def _partner(text: _Text, i: int, pieces: Pieces, taken: set[int]) -> int | None:
    """The longest run of words from ``i`` the partner reader knows ("South Korea", "total",
    "China"); two lower-case letters that are a word (``in``, ``kg``) or three that are only a
    code (``can``, ``are``) are none."""
    tokens = text.tokens
    for end in range(min(len(tokens), i + _LONGEST), i, -1):
        run = tokens[i:end]
        if any(t.kind != "word" for t in run) or any(k in taken for k in range(i, end)):
            continue
        if end - i == 1 and (is_word(run[0]) or _bare_code(run[0])):
            continue
        words = " ".join(t.text for t in run)
        if end - i == 1 and run[0].meaning in CHINA_WORDS:
            pieces.china.append(text.words(i, end))
            return end
        found = known_partner(words)
        if found is not None:
            _found(found, text.words(i, end), pieces)
            return end
    return None


def _bare_code(token: Token) -> bool:
    """Three lower-case letters that only an ISO code would make a country (``can``)."""
    return len(token.text) == 3 and not token.text.isupper() and token.meaning not in ALIASES
