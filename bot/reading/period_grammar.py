"""The grammar of periods, over tokens, in English and Chinese.

A period is an optional year, a core and an optional year after it::

    period  := YEAR [sep] core | core [of|in|,|'] YEAR | YEAR | NUM / YEAR | relative
    core    := MONTH | MONTH - MONTH | Q n | H n | first half | third quarter
             | n月 | 第n季度 | n季度 | 前n季度 | 1-7月 | 上半年 | 下半年 | YTD n

A core without a year is *unanchored*: the latest occurrence in the data, and the answer says
which year it chose. A match that breaks a rule (``Q5``, ``13月``) is an error naming the
words, never a silent default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from bot.reading.lexicon import MONTHS, ORDINALS, PERIOD_PHRASES
from bot.reading.misreadings import (
    NoFirstQuarters,
    NoSuchMonth,
    NoSuchSpan,
    NotFromJanuary,
    NotMonthSpan,
    Why,
)
from bot.reading.periods import MONTH_NAMES, Period
from bot.reading.tokens import Token

DASHES = frozenset({"-", "–", "—", "~", "〜", "to", "through", "thru", "至", "到"})
YEAR_SEPARATORS = frozenset({"-", "/", ".", ",", "年"})


@dataclass(frozen=True)
class MonthOnly:
    """A month named without a year: its latest occurrence in the data."""

    month: int


@dataclass(frozen=True)
class Latest:
    """No period given, or "latest"."""


@dataclass(frozen=True)
class Unanchored:
    """A quarter, half or January-to-month span without a year: the latest in the data."""

    kind: Literal["quarter", "half", "ytd"]
    number: int

    def in_year(self, year: int) -> Period:
        if self.kind == "ytd":
            return Period(year, 1, self.number, "ytd")
        letter = "Q" if self.kind == "quarter" else "H"
        return Period.parse_code(f"{year}-{letter}{self.number}")

    @property
    def label(self) -> str:
        if self.kind == "ytd":
            return f"Jan–{MONTH_NAMES[self.number - 1][:3]}"
        return f"{'Q' if self.kind == 'quarter' else 'H'}{self.number}"


RelativeName = Literal[
    "this_year",
    "last_year",
    "year_before_last",
    "this_month",
    "last_month",
    "last_quarter",
    "this_quarter",
    "ytd",
    "month_before",
    "quarter_before",
    "year_before",
]
RELATIVE_NAMES: tuple[RelativeName, ...] = get_args(RelativeName)


@dataclass(frozen=True)
class Relative:
    """A period named relative to today or to the previous question; ``core`` a month or
    span within a relative year (今年一季度, 去年下半年)."""

    name: RelativeName
    core: MonthOnly | Unanchored | None = None


PeriodSpec = Period | MonthOnly | Latest | Unanchored | Relative
Core = MonthOnly | Unanchored | Why  # a Why: the words break a rule


class Cursor:
    """Reads tokens from a position; each ``take_*`` advances only when it matches."""

    def __init__(self, tokens: tuple[Token, ...], start: int, used: list[bool]) -> None:
        self.tokens, self.i, self.used = tokens, start, used

    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        if j < len(self.tokens) and not self.used[j]:
            return self.tokens[j]
        return None

    def take_number(self, digits: int | None = None) -> int | None:
        token = self.peek()
        if token is None or token.kind != "num" or token.number is None:
            return None
        if digits is not None and len(token.text) != digits and token.text.isascii():
            return None
        self.i += 1
        return token.number

    def take(self, *words: str) -> str | None:
        """A Latin word, a punctuation mark or a Chinese unit/period word among ``words``."""
        token = self.peek()
        if token is None:
            return None
        key = token.meaning.split(":", 1)[-1] if token.kind == "cjk" else token.meaning
        if key in words:
            self.i += 1
            return key
        return None

    def take_month_name(self) -> int | None:
        token = self.peek()
        if token is None or token.kind != "word" or token.meaning.rstrip(".") not in MONTHS:
            return None
        self.i += 1
        self.take(".")
        return MONTHS[token.meaning.rstrip(".")]


def _month(number: int) -> Core:
    return MonthOnly(number) if 1 <= number <= 12 else NoSuchMonth(number)


def _span(kind: Literal["quarter", "half"], number: int) -> Core:
    top = 4 if kind == "quarter" else 2
    if 1 <= number <= top:
        return Unanchored(kind, number)
    return NoSuchSpan(kind, number)


def _range(first: int, last: int) -> Core:
    if not (1 <= first <= 12 and 1 <= last <= 12) or last < first:
        return NotMonthSpan(first, last)
    if first != 1:
        return NotFromJanuary(first, last)
    return MonthOnly(1) if last == 1 else Unanchored("ytd", last)


def _english_core(c: Cursor) -> Core | None:
    if (month := c.take_month_name()) is not None:
        mark = c.i
        if c.take(*DASHES) and (last := c.take_month_name()) is not None:
            return _range(month, last)
        c.i = mark
        return MonthOnly(month)
    if c.take("q", "quarter") and (n := c.take_number()) is not None:
        return _span("quarter", n)
    if c.take("h", "half") and (n := c.take_number()) is not None:
        return _span("half", n)
    if c.take("ytd") and (n := c.take_number()) is not None:
        return _range(1, n)
    mark = c.i
    if (n := c.take_number()) is not None and n < 10 and (letter := c.take("h", "q")):
        return _span("half" if letter == "h" else "quarter", n)  # 1H25, 2H 2025, 3Q25
    c.i = mark
    start = c.i
    ordinal = c.take(*ORDINALS)
    if ordinal is None and (n := c.take_number()) is not None and c.take("st", "nd", "rd", "th"):
        ordinal = str(n)
    if ordinal is not None:
        number = ORDINALS.get(ordinal) or int(ordinal)
        if c.take("quarter"):
            return _span("quarter", number)
        if c.take("half"):
            return _span("half", number)
    c.i = start
    return None


def _chinese_core(c: Cursor) -> Core | None:
    start = c.i
    if c.take("前") and (n := c.take_number()) is not None:
        if c.take("季度", "季"):
            return _range(1, 3 * n) if 1 <= n <= 4 else NoFirstQuarters(n)
        if c.take("个月"):
            return _range(1, n)  # 前5个月: January to May
    c.i = start
    c.take("第")
    if (n := c.take_number()) is not None:
        if c.take("季度", "季"):
            return _span("quarter", n)
        if c.take("月", "月份"):
            mark = c.i
            if c.take(*DASHES) and (last := c.take_number()) is not None and c.take("月", "月份"):
                return _range(n, last)  # 1月到7月
            c.i = mark
            return _month(n)
        if c.take(*DASHES) and (last := c.take_number()) is not None and c.take("月", "月份"):
            return _range(n, last)
    c.i = start
    if tag := c.take("h1", "h2"):
        return Unanchored("half", int(tag[1]))
    return None


def _core(c: Cursor) -> Core | None:
    return _english_core(c) or _chinese_core(c)


def _anchor(core: Core, year: int) -> Period | Why:
    if isinstance(core, MonthOnly):
        return Period.month(year, core.month)
    if isinstance(core, Unanchored):
        return core.in_year(year)
    return core


def _year(c: Cursor) -> int | None:
    """A four-digit year, or two digits before 年 (25年 is 2025)."""
    token = c.peek()
    if token is not None and token.kind == "num" and len(token.text) == 4:
        if token.number is None or token.number < 1000:
            return None  # "0000" names no year; it is left over and named
        return c.take_number()
    after = c.peek(1)
    if (
        token is not None
        and token.kind == "num"
        and len(token.text) == 2
        and after is not None
        and after.meaning == "unit:年"
        and token.number is not None
    ):
        c.i += 1
        return 2000 + token.number
    return None


Match = tuple["PeriodSpec | Why", int]


def _year_first(c: Cursor) -> Match | None:
    year = _year(c)
    if year is None:
        return None
    after_year = c.i
    separator = c.take(*YEAR_SEPARATORS)
    if separator in ("-", "/", ".") and (month := c.take_number()) is not None:
        return _anchor(_month(month), year), c.i
    if (core := _core(c)) is not None:
        return _anchor(core, year), c.i
    c.i = after_year
    c.take("年")
    return Period.parse_code(str(year)), c.i


def _core_first(c: Cursor) -> Match | None:
    start = c.i
    core = _core(c)
    if core is None:
        return None
    first = c.tokens[start]
    had_name = first.kind == "word" and first.meaning.rstrip(".") in MONTHS
    glued = c.peek() is not None and not c.tokens[c.i].space_before  # 1H25, Q3'25
    short_ok = had_name or (
        glued and (first.meaning in ("h", "q") or c.tokens[c.i - 1].meaning in ("h", "q"))
    )
    after_core = c.i
    joiner = c.take("of", "in", ",", "'", "’", "-")
    if (year := _year(c)) is not None:
        return _anchor(core, year), c.i
    if (joiner in ("'", "’") or (short_ok and joiner in (None, "-"))) and (
        short := c.take_number(digits=2)
    ) is not None:
        return _anchor(core, 2000 + short), c.i
    c.i = after_core
    return core, c.i


def _month_then_year(c: Cursor) -> Match | None:
    month = c.take_number()
    if month is None or month > 12 or c.take("/", "-", ".") is None:
        return None
    year = _year(c)
    return (_anchor(_month(month), year), c.i) if year is not None else None


def _phrases_by_first_word() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """The period phrases by their first word, longest first (read once, not per token)."""
    longest_first = sorted(PERIOD_PHRASES.items(), key=lambda item: -len(item[0]))
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, tag in longest_first:
        by_first.setdefault(phrase[0], []).append((phrase, tag))
    return {word: tuple(phrases) for word, phrases in by_first.items()}


_PHRASES = _phrases_by_first_word()


def _relative(c: Cursor) -> Match | None:
    words = [t.meaning for t in c.tokens[c.i : c.i + 4]]
    for phrase, tag in _PHRASES.get(words[0], ()) if words else ():
        if tuple(words[: len(phrase)]) == phrase and all(
            c.peek(k) is not None for k in range(len(phrase))
        ):
            c.i += len(phrase)
            return _tagged(tag), c.i
    token = c.peek()
    if token is None:
        return None
    if token.kind == "word" and token.meaning in ("latest", "newest", "recent", "current", "last"):
        return Latest(), c.i + 1
    if token.kind == "word" and token.meaning == "ytd":
        return Relative("ytd"), c.i + 1
    if token.kind == "cjk" and token.meaning.startswith("period:"):
        return _tagged(token.meaning.split(":", 1)[1]), c.i + 1
    return None


def _tagged(tag: str) -> PeriodSpec:
    if tag == "latest":
        return Latest()
    if tag in ("h1", "h2"):
        return Unanchored("half", int(tag[1]))
    if tag == "ytd_this_year":
        return Relative("ytd")
    return Relative(next(name for name in RELATIVE_NAMES if name == tag))


RULES: tuple[Callable[[Cursor], Match | None], ...] = (
    _year_first,
    _month_then_year,
    _core_first,
    _relative,
)


YEARS: tuple[RelativeName, ...] = ("this_year", "last_year", "year_before_last")


def combine(first: PeriodSpec, second: PeriodSpec) -> PeriodSpec | None:
    """Two period phrases that make one: 今年 + 一季度, last year + H2, YTD + Sep 2025."""
    for year, core in ((first, second), (second, first)):
        if isinstance(year, Relative) and isinstance(core, MonthOnly | Unanchored):
            if year.name in YEARS and year.core is None:
                return Relative(year.name, core)
            if year.name == "ytd" and isinstance(core, MonthOnly):
                return Unanchored("ytd", core.month) if core.month > 1 else core
        if isinstance(year, Period) and year.kind == "year" and isinstance(core, MonthOnly):
            return Period.month(year.year, core.month)  # "India 2025 (May)"
        if isinstance(year, Period) and year.kind == "year" and isinstance(core, Unanchored):
            return core.in_year(year.year)
        ytd_to = isinstance(year, Relative) and year.name == "ytd"
        if ytd_to and isinstance(core, Period) and core.is_month:
            return Period(core.year, 1, core.last_month, "ytd") if core.last_month > 1 else core
    return None


#: The Latin words a period can start with (every rule's first step reads one of them, a
#: number or a Chinese word): a month, q/h/ytd, an ordinal, a relative phrase's first word.
STARTING_WORDS = frozenset(
    {*MONTHS, "q", "quarter", "h", "half", "ytd", *ORDINALS, *(p[0] for p in PERIOD_PHRASES)}
    | {"latest", "newest", "recent", "current", "last"}
)


def period_at(tokens: tuple[Token, ...], start: int, used: list[bool]) -> Match | None:
    """The period (or the rule its words break) that starts at ``start``, and where it
    ends."""
    first = tokens[start]
    if first.kind == "word" and first.meaning.rstrip(".") not in STARTING_WORDS:
        return None  # no rule starts with this word: not worth trying each
    for rule in RULES:
        match = rule(Cursor(tokens, start, used))
        if match is not None and match[1] > start:
            return match
    return None
