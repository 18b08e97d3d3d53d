"""Reading a question: what is asked, about which partners, for which period.

:func:`read` tokenizes the text (:mod:`bot.reading.tokens`), reads the period with the period
grammar (:mod:`bot.reading.period_grammar`), then the intent and count ("top 5", 前五名), the
follow-up markers ("what about", 那…呢), and the partners from what is left. Every token is
either understood or listed in :attr:`Reading.unknown`, so the answer can name it. It never
raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.reading.direction import read_direction, read_value
from bot.reading.lexicon import (
    CHINA_WORDS,
    INTENTS,
    JOINERS,
    NUMBER_WORDS,
    STOPWORDS,
    UNIT_WORDS,
)
from bot.reading.misreadings import PeriodError, TwoPeriods, Unreadable, Why
from bot.reading.partners import Found, NotFound, PartnerResult, find_partner, known_partner
from bot.reading.period_grammar import Latest, PeriodSpec, combine, period_at
from bot.reading.tokens import Token, is_code, is_word, normalise_text, tokenize

MAX_QUERY_CHARS = 200
Intent = Literal["exports", "top", "chart", "summary", "compare", "sources", "materials"]
#: When a question names two kinds of answer, the one that wins.
INTENT_ORDER: tuple[Intent, ...] = (
    "summary",
    "chart",
    "top",
    "compare",
    "sources",
    "materials",
    "exports",
)
_FILLER_UNITS = frozenset({"到", "至", "对", "向"})
_IGNORABLE = STOPWORDS | JOINERS
#: Punctuation that carries no meaning in a question; any other mark is named if unused.
_HARMLESS = frozenset("?!,.;:'\"()[]{}…。，？！：；、“”‘’「」『』-–—/·")
#: Marks that join partners ("US & DE"); named like any other mark when nothing is joined.
_JOINING_MARKS = frozenset("&+")


@dataclass(frozen=True)
class PartnerWords:
    """The words read as one partner and what they resolve to."""

    text: str
    result: PartnerResult
    weak: bool = False  # "China" as the exporter, dropped when a partner is named


@dataclass(frozen=True)
class Reading:
    """What a question asks, word by word."""

    text: str
    period: PeriodSpec
    period_words: str = ""
    #: The period the words name cannot be read (worded by :mod:`bot.render.misreadings`).
    period_error: PeriodError | None = None
    intents: tuple[Intent, ...] = ()
    count: int | None = None
    partners: tuple[PartnerWords, ...] = ()
    unknown: tuple[str, ...] = ()
    follow_up: bool = False
    #: The text was longer than :data:`MAX_QUERY_CHARS`; the rest was not read.
    too_long: bool = False
    #: The question asks for a value in money ("value", 出口额), not tonnes.
    asks_value: bool = False
    #: Not China's exports: "imports" (China's imports), "to_china" (exports to China);
    #: "from_china" is an import from China, which China's exports answer.
    direction: str | None = None
    #: Units of quantity named ("tonnes", 公斤): each as typed, with the unit it names.
    units: tuple[tuple[str, str], ...] = ()

    @property
    def intent(self) -> Intent | None:
        """The kind of answer asked for in words, if any."""
        return next((i for i in INTENT_ORDER if i in self.intents), None)

    @property
    def has_period(self) -> bool:
        return self.period_words != "" or self.period_error is not None


@lru_cache(maxsize=4096)
def read(text: str, count_slot: bool = False) -> Reading:
    """Read ``text``; with ``count_slot`` a bare number is a count (``/top 2025-06 5``)."""
    whole = normalise_text(text[: MAX_QUERY_CHARS * 4])
    cleaned = whole[:MAX_QUERY_CHARS]
    tokens = tokenize(cleaned)
    used = [False] * len(tokens)
    period, words, error = _read_period(tokens, used)
    intents, count = _read_intent(tokens, used, count_slot)
    follow_up = _read_follow_up(tokens, used)
    direction = read_direction(tokens, used)
    asks_value = read_value(tokens, used)
    units = _read_units(tokens, used)
    partners, unknown = _read_partners(tokens, used)
    for i, token in enumerate(tokens):
        if used[i] or token.kind != "num":
            continue
        used[i] = True
        if error is None:
            error = Unreadable(token.text)
    return Reading(
        cleaned,
        period,
        words,
        error,
        intents,
        count,
        partners,
        unknown,
        follow_up,
        len(whole) > MAX_QUERY_CHARS,
        asks_value,
        direction,
        units,
    )


def _text(tokens: tuple[Token, ...], start: int, end: int) -> str:
    parts: list[str] = []
    for token in tokens[start:end]:
        parts.append((" " if token.space_before and parts else "") + token.text)
    return "".join(parts)


def _read_period(
    tokens: tuple[Token, ...], used: list[bool]
) -> tuple[PeriodSpec, str, PeriodError | None]:
    found: list[tuple[PeriodSpec | Why, str]] = []
    i = 0
    while i < len(tokens):
        match = None if used[i] else period_at(tokens, i, used)
        if match is None:
            i += 1
            continue
        spec, end = match
        found.append((spec, _text(tokens, i, end)))
        for j in range(i, end):
            used[j] = True
        i = end
    if not found:
        return Latest(), "", None
    specs: list[PeriodSpec] = []
    for spec, words in found:
        if isinstance(spec, PeriodSpec):
            specs.append(spec)
        else:
            return Latest(), found[0][1], Unreadable(words, spec)
    if len(specs) == 2 and (joined := combine(*specs)) is not None:
        return joined, f"{found[0][1]} {found[1][1]}", None
    if len(set(specs)) > 1:
        return Latest(), found[0][1], TwoPeriods(tuple(words for _, words in found))
    return specs[0], found[0][1], None


def _count_after(tokens: tuple[Token, ...], used: list[bool], i: int) -> int | None:
    """A count right after token ``i``: a number or a number word."""
    j = i + 1
    if j + 1 < len(tokens) and tokens[j].text == "-" and not used[j]:
        j += 1  # Top-3
    if j < len(tokens) and not used[j]:
        token = tokens[j]
        short = token.kind == "num" and len(token.text) < 4
        value = token.number if short else NUMBER_WORDS.get(token.meaning)
        if value is not None:
            for k in range(i + 1, j + 1):
                used[k] = True
            return value
    return None


def _read_intent(
    tokens: tuple[Token, ...], used: list[bool], count_slot: bool
) -> tuple[tuple[Intent, ...], int | None]:
    intents: list[Intent] = []
    count = None
    for i, token in enumerate(tokens):
        if used[i]:
            continue
        tag = _intent_tag(token)
        if tag is not None:
            used[i] = True
            intents.append(tag)
            if tag == "top" and count is None:
                count = _count_after(tokens, used, i)
        elif token.kind == "cjk" and token.meaning == "unit:前":
            value = _count_after(tokens, used, i)
            if value is not None:
                used[i] = True
                intents.append("top")
                count = value
                if i + 2 < len(tokens) and tokens[i + 2].meaning == "unit:名":
                    used[i + 2] = True
    if count_slot and count is None:
        count = _bare_count(tokens, used)
    return tuple(dict.fromkeys(intents)), count


def _bare_count(tokens: tuple[Token, ...], used: list[bool]) -> int | None:
    """``/top 2025-06 5`` or ``/top -3``: the last unused number, with its sign."""
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if used[i] or token.kind != "num" or token.number is None:
            continue
        used[i] = True
        if i > 0 and not used[i - 1] and tokens[i - 1].text in ("-", "−"):
            used[i - 1] = True
            return -token.number
        return token.number
    return None


def _intent_tag(token: Token) -> Intent | None:
    if token.kind == "word" and token.meaning in INTENTS:
        return _as_intent(INTENTS[token.meaning])
    if token.kind == "cjk" and token.meaning.startswith("intent:"):
        return _as_intent(token.meaning.split(":", 1)[1])
    return None


def _as_intent(tag: str) -> Intent:
    return next(i for i in INTENT_ORDER if i == tag)


def _read_units(tokens: tuple[Token, ...], used: list[bool]) -> tuple[tuple[str, str], ...]:
    """Words for a unit of quantity: "tonnes", "kg", 吨, 公斤 ("KG" in capitals is a code)."""
    found = []
    for i, token in enumerate(tokens):
        if used[i]:
            continue
        unit = None
        if token.kind == "word" and not is_code(token):
            unit = UNIT_WORDS.get(token.meaning)
        elif token.kind == "cjk" and token.meaning.startswith("measure:"):
            unit = token.meaning.split(":", 1)[1]
        if unit is not None:
            used[i] = True
            found.append((token.text, unit))
    return tuple(found)


def _read_follow_up(tokens: tuple[Token, ...], used: list[bool]) -> bool:
    """Marks a follow-up: "and …?", "what about …", "how about …", 那…呢, 还有…."""
    first = next((i for i, t in enumerate(tokens) if not used[i] and t.kind != "punct"), None)
    follow = False
    if first is not None:
        words = [t.meaning for t in tokens[first : first + 2]]
        if words[:1] in (["and"], ["same"]):
            used[first], follow = True, True
        elif words[:2] in (["what", "about"], ["how", "about"]):
            used[first] = used[first + 1] = True
            follow = True
    for i, token in enumerate(tokens):
        if not used[i] and token.kind == "cjk" and token.meaning.startswith("follow:"):
            used[i], follow = True, True
    return follow


def _read_partners(
    tokens: tuple[Token, ...], used: list[bool]
) -> tuple[tuple[PartnerWords, ...], tuple[str, ...]]:
    """Partners from what is left; then what is still left and means something is unknown."""
    found: list[tuple[int, PartnerWords]] = []
    for i, token in enumerate(tokens):
        if used[i]:
            continue
        if token.kind == "flag" or (token.kind == "cjk" and token.meaning.startswith("partner:")):
            used[i] = True
            result = find_partner(token.text)
            if token.kind == "cjk" and isinstance(result, NotFound):  # 俄羅斯聯邦: by its code
                result = find_partner(token.meaning.split(":", 1)[1])
            weak = token.text in CHINA_WORDS
            found.append((i, PartnerWords(token.text, result, weak)))
    found += _latin_partners(tokens, used)
    unknown = _leftovers(tokens, used, found)
    ordered = [words for _, words in sorted(found, key=lambda item: item[0])]
    strong = [p for p in ordered if not p.weak]
    return tuple(strong or ordered[:1]), unknown


def _runs(tokens: tuple[Token, ...], used: list[bool]) -> list[list[int]]:
    """Unused Latin words next to each other (a dot, as in U.S., does not break a run)."""
    runs: list[list[int]] = [[]]
    for i, token in enumerate(tokens):
        if not used[i] and token.kind == "word":
            runs[-1].append(i)
        elif not (token.kind == "punct" and token.text == "." and not used[i]):
            runs.append([])
    return [run for run in runs if run]


def _candidate(tokens: tuple[Token, ...], run: list[int]) -> str:
    return " ".join(tokens[i].meaning for i in run)


def _latin_partners(tokens: tuple[Token, ...], used: list[bool]) -> list[tuple[int, PartnerWords]]:
    """Leftmost-longest word runs that name a partner."""
    found = []
    for run in _runs(tokens, used):
        start = 0
        while start < len(run):
            for size in range(min(5, len(run) - start), 0, -1):
                piece = run[start : start + size]
                text = _candidate(tokens, piece)
                single = tokens[piece[0]]
                if size == 1 and (text in _IGNORABLE or is_word(single)) and not is_code(single):
                    continue
                result = known_partner(text)  # no suggestions: these words may be no name
                if isinstance(result, Found):
                    for i in piece:
                        used[i] = True
                    words = " ".join(tokens[i].text for i in piece)
                    found.append((piece[0], PartnerWords(words, result)))
                    start += size
                    break
            else:
                start += 1
    return found


def _leftovers(
    tokens: tuple[Token, ...], used: list[bool], found: list[tuple[int, PartnerWords]]
) -> tuple[str, ...]:
    """Words still unused: ignorable ones are dropped, a near-miss country is a partner
    attempt (added to ``found``), anything else is unknown, named as typed."""
    china = any(tokens[i].meaning in CHINA_WORDS for i in range(len(tokens)) if not used[i])
    unknown: set[int] = set()

    def joins(token: Token) -> bool:
        return token.text in _JOINING_MARKS and len(found) >= 2

    for run in _runs(tokens, used):
        meaningful = [i for i in run if tokens[i].meaning not in _IGNORABLE]
        for i in run:
            used[i] = True
        if not meaningful:
            continue
        text = " ".join(tokens[i].text for i in meaningful)
        result = find_partner(text)
        lone_word = len(meaningful) == 1 and is_word(tokens[meaningful[0]])
        if not lone_word and (not isinstance(result, NotFound) or result.suggestions):
            found.append((meaningful[0], PartnerWords(text, result)))
        else:
            unknown.update(meaningful)
    for i, token in enumerate(tokens):
        if used[i] or token.kind == "num":
            continue
        used[i] = True
        if (
            token.kind == "unknown"
            or (token.kind == "punct" and token.text not in _HARMLESS and not joins(token))
            or (
                (token.kind == "cjk" and token.meaning.startswith("unit:"))
                and token.text not in _FILLER_UNITS
            )
        ):
            unknown.add(i)
    if china and not found:
        found.append((0, PartnerWords("China", find_partner("China"), weak=True)))
    return _spans(tokens, sorted(unknown))


def _spans(tokens: tuple[Token, ...], indices: list[int]) -> tuple[str, ...]:
    """Neighbouring unknown tokens as one text each, spaced as typed: ``<b>``, ``xyz``; marks
    typed between them without spaces join them too (``<b>hello</b>`` is one text)."""
    groups: list[list[int]] = []
    for i in indices:
        if groups and _glued(tokens, groups[-1][-1], i):
            groups[-1].append(i)
        else:
            groups.append([i])
    return tuple(_text(tokens, group[0], group[-1] + 1) for group in groups)


def _glued(tokens: tuple[Token, ...], last: int, i: int) -> bool:
    """Whether the unknown token ``i`` goes on the unknown text that ends at ``last``: it is
    the next token, or only marks and Latin letters typed without spaces come between
    (``<i>``, whose ``i`` alone is a word)."""
    between = tokens[last + 1 : i]
    if not between:
        return True
    glued = not any(t.space_before for t in (*between, tokens[i]))
    return glued and all(t.kind in ("punct", "word") for t in between)
