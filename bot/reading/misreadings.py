"""What the reader's grammar could not read, as values: a period that breaks a rule (``Q5``,
``13月``), words that are no period, two periods at once, and what the simple view of a
question (:mod:`bot.reading.query`) leaves over. This floor has no languages: each problem is
worded in the reader's language by :mod:`bot.render.misreadings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class NoSuchMonth:
    """``2025-13``, ``13月``: there is no month ``number``."""

    number: int


@dataclass(frozen=True)
class NoSuchSpan:
    """``Q5``, ``H3``, ``5季度``: there is no such quarter or half."""

    kind: Literal["quarter", "half"]
    number: int


@dataclass(frozen=True)
class NoFirstQuarters:
    """``前5季度``: there are no first ``number`` quarters."""

    number: int


@dataclass(frozen=True)
class NotMonthSpan:
    """``7-3月``, ``YTD 13``: ``first`` to ``last`` is no span of months."""

    first: int
    last: int


@dataclass(frozen=True)
class NotFromJanuary:
    """``Mar-May``, ``3-5月``: a span of months that does not start in January."""

    first: int
    last: int


#: Why the words of a period break a rule.
Why = NoSuchMonth | NoSuchSpan | NoFirstQuarters | NotMonthSpan | NotFromJanuary


@dataclass(frozen=True)
class Unreadable:
    """Words that are no period (``12345``), and ``why`` when a rule says so (``Q5``)."""

    words: str
    why: Why | None = None


@dataclass(frozen=True)
class TwoPeriods:
    """Several periods asked at once, each as typed."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class OtherPartners:
    """Partners named after the first, where a command answers one (``/chart US DE``)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class UnknownWords:
    """Words not understood, where a command names them rather than asking again."""

    words: tuple[str, ...]


#: A period the words name that cannot be read.
PeriodError = Unreadable | TwoPeriods
#: Why the simple view cannot answer all a question asks.
Leftover = OtherPartners | UnknownWords
Misreading = PeriodError | Leftover
