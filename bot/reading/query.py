"""Reading a question: which partner and which period.

``parse_query`` takes command arguments ("US 2025-06") or a plain question ("How much did
China export to the US in June 2025?", "india may", "德国 2025年7月") and returns a
:class:`Query`. It never raises: what it cannot read is reported in the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.reading.partners import ALIASES, Found, PartnerResult, find_partner, normalise
from bot.reading.periods import MONTH_NAMES, Period

MAX_QUERY_CHARS = 200

_MONTHS = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
_MONTHS |= {name[:3].lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
_MONTHS |= {"sept": 9}
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))

STOPWORDS = frozenset(
    """how much many did does do what was were is are the a an to in into of for from on by
    at and china chinese china's export exports exported exporting shipment shipments shipped
    ship sent send rare earth earths magnet magnets permanent tonnes tons tonne ton t volume
    volumes please show me give tell about figure figures data number numbers s during month
    go went hi hey bot""".split()
)
_CJK_STOP = (
    "中国对",
    "中国向",
    "出口到",
    "出口",
    "多少",
    "稀土",
    "永磁",
    "磁铁",
    "磁体",
    "吨",
    "的",
    "了",
    "吗",
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class MonthOnly:
    """A month named without a year: its latest occurrence in the data."""

    month: int


@dataclass(frozen=True)
class Latest:
    """No period given, or 'latest'."""


PeriodSpec = Period | MonthOnly | Latest


@dataclass(frozen=True)
class Query:
    text: str
    partner_text: str
    period: PeriodSpec
    period_error: str | None = None

    @property
    def has_partner(self) -> bool:
        return bool(self.partner_text)


def _month(value: str) -> int:
    return _MONTHS[value.lower().rstrip(".")]


Builder = Callable[[re.Match[str]], "PeriodSpec | str"]

# (pattern, builder) in order of precedence; a builder returns a spec or an error string.
_RULES: list[tuple[re.Pattern[str], Builder]] = []


def _rule(pattern: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        _RULES.append((re.compile(pattern, re.IGNORECASE), builder))
        return builder

    return register


def _month_spec(year: int, month: int) -> PeriodSpec | str:
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    return Period.month(year, month)


@_rule(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?")
def _cjk_year_month(m: re.Match[str]) -> PeriodSpec | str:
    return _month_spec(int(m[1]), int(m[2]))


@_rule(r"(\d{4})\s*年\s*(上|下)半年")
def _cjk_half(m: re.Match[str]) -> PeriodSpec | str:
    return Period.parse_code(f"{m[1]}-H{1 if m[2] == '上' else 2}")


@_rule(r"(\d{4})\s*年")
def _cjk_year(m: re.Match[str]) -> PeriodSpec | str:
    return Period.parse_code(m[1])


@_rule(r"(\d{1,2})\s*月(?:份)?")
def _cjk_month(m: re.Match[str]) -> PeriodSpec | str:
    month = int(m[1])
    return MonthOnly(month) if 1 <= month <= 12 else f"there is no month {month}"


@_rule(r"\b(\d{4})\s*[-/.]\s*(\d{1,2})\b")
def _iso_month(m: re.Match[str]) -> PeriodSpec | str:
    return _month_spec(int(m[1]), int(m[2]))


@_rule(r"\b(\d{1,2})\s*[-/.]\s*(\d{4})\b")
def _month_slash_year(m: re.Match[str]) -> PeriodSpec | str:
    return _month_spec(int(m[2]), int(m[1]))


@_rule(r"\b([HQ])\s*(\d)\s*[-/,]?\s*(\d{4})\b|\b(\d{4})\s*[-/,]?\s*([HQ])\s*(\d)\b")
def _half_or_quarter(m: re.Match[str]) -> PeriodSpec | str:
    letter, number, year = (m[1], m[2], m[3]) if m[1] else (m[5], m[6], m[4])
    letter = letter.upper()
    if (letter == "H" and number not in "12") or (letter == "Q" and number not in "1234"):
        return f"there is no {letter}{number}"
    return Period.parse_code(f"{year}-{letter}{number}")


@_rule(rf"\b({_MONTH_WORD})\.?\s*,?\s*(\d{{4}})\b")
def _name_year(m: re.Match[str]) -> PeriodSpec | str:
    return Period.month(int(m[2]), _month(m[1]))


@_rule(rf"\b(\d{{4}})\s+({_MONTH_WORD})\b")
def _year_name(m: re.Match[str]) -> PeriodSpec | str:
    return Period.month(int(m[1]), _month(m[2]))


@_rule(rf"\b({_MONTH_WORD})\b")
def _name_only(m: re.Match[str]) -> PeriodSpec | str:
    return MonthOnly(_month(m[1]))


@_rule(r"\b(\d{4})\b")
def _year(m: re.Match[str]) -> PeriodSpec | str:
    return Period.parse_code(m[1])


@_rule(r"\b(latest|newest|last|current|recent)\b|最新|最近")
def _latest(m: re.Match[str]) -> PeriodSpec | str:
    return Latest()


def _clean(text: str) -> str:
    """Drop control and format characters (RTL marks, zero-width), collapse spaces."""
    kept = (" " if not c.isprintable() else c for c in text)
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def parse_query(text: str) -> Query:
    """Split text into a partner part and a period; never raises."""
    return _parse_cleaned(_clean(text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS])


@lru_cache(maxsize=4096)
def _parse_cleaned(cleaned: str) -> Query:
    rest = cleaned
    period: PeriodSpec = Latest()
    error = None
    for pattern, builder in _RULES:
        match = pattern.search(rest)
        if match is None:
            continue
        result = builder(match)
        if isinstance(result, str):
            error = f"I couldn't read “{match[0]}” as a period: {result}."
        else:
            period = result
        rest = rest[: match.start()] + " " + rest[match.end() :]
        break
    if error is None and (stray := re.search(r"\d+", rest)):
        error = f"I couldn't read “{stray[0]}” as a period."
    return Query(cleaned, _partner_text(rest), period, error)


def _partner_text(rest: str) -> str:
    """What is left of the partner once question words are dropped."""
    if _CJK.search(rest):
        for stop in _CJK_STOP:
            rest = rest.replace(stop, " ")
        rest = re.sub(r"[？?！!，,。.]", " ", rest)
    words = rest.replace("’", "'").split()
    words = [w.strip("?!.,;:\"'()[]") for w in words]
    words = [w for w in words if w]
    if not words:
        return ""
    whole = " ".join(words)
    if isinstance(find_partner(whole), Found):
        return whole
    kept = [w for w in words if normalise(w) not in STOPWORDS or (w.isupper() and len(w) == 2)]
    if not kept:
        said_china = any(normalise(w) in ("china", "chinese") for w in words)
        return "China" if said_china else ""
    return " ".join(kept)


def resolve_partner_text(text: str) -> PartnerResult:
    """Find the partner in the partner part, trying its word runs when the whole fails."""
    result = find_partner(text)
    if isinstance(result, Found) or " " not in text:
        return _cjk_scan(text) if not isinstance(result, Found) and _CJK.search(text) else result
    words = text.split()
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            candidate = " ".join(words[start : start + size])
            if len(candidate) < 3 and not candidate.isupper():
                continue
            found = find_partner(candidate)
            if isinstance(found, Found):
                return found
    return _cjk_scan(text) if _CJK.search(text) else result


def _cjk_scan(text: str) -> PartnerResult:
    """Chinese text has no spaces: look for a known Chinese name inside it."""
    hits = [code for alias, code in ALIASES.items() if not alias.isascii() and alias in text]
    specific = [code for code in hits if code != "WORLD"]
    if specific or hits:
        return find_partner((specific or hits)[0])
    return find_partner(text)
