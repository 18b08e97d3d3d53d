"""Reading command arguments into a partner text and a period, on top of the grammar.

``parse_query`` is the simple view of :func:`bot.reading.grammar.read` that the chart and
CSV commands use: the partner's words and the period. The full reading (intent, several
partners, counts, follow-ups, unknown words) is :class:`bot.reading.grammar.Reading`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.reading.grammar import MAX_QUERY_CHARS, read
from bot.reading.misreadings import Leftover, OtherPartners, PeriodError, UnknownWords
from bot.reading.partners import ALIASES, Found, PartnerResult, find_partner
from bot.reading.period_grammar import Latest, MonthOnly, PeriodSpec, Relative, Unanchored

__all__ = [
    "MAX_QUERY_CHARS",
    "Latest",
    "MonthOnly",
    "PeriodSpec",
    "Query",
    "Relative",
    "Unanchored",
    "parse_query",
    "resolve_partner_text",
]


@dataclass(frozen=True)
class Query:
    text: str
    partner_text: str
    period: PeriodSpec
    period_error: PeriodError | None = None
    #: Partners named after the first, and words not understood (besides the partner text).
    others: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def has_partner(self) -> bool:
        return bool(self.partner_text)

    @property
    def leftover(self) -> Leftover | None:
        """Why this simple view cannot answer it all: another partner, a word not read."""
        if self.others:
            return OtherPartners(self.others)
        if self.unknown:
            return UnknownWords(self.unknown)
        return None


def parse_query(text: str) -> Query:
    """The partner's words (the first partner, or the words not understood) and the period."""
    reading = read(text)
    unknown: tuple[str, ...]
    if reading.partners:
        first = reading.partners[0]
        found = first.result
        partner_text = (
            found.partner.code
            if isinstance(found, Found) and not isinstance(find_partner(first.text), Found)
            else first.text
        )
        unknown = reading.unknown
    else:
        partner_text, unknown = " ".join(reading.unknown), ()
    others = tuple(p.text for p in reading.partners[1:])
    return Query(reading.text, partner_text, reading.period, reading.period_error, others, unknown)


def resolve_partner_text(text: str) -> PartnerResult:
    """Find the partner in a partner text; Chinese text is searched for a known name."""
    result = find_partner(text)
    if isinstance(result, Found) or text.isascii():
        return result
    hits = [code for alias, code in ALIASES.items() if not alias.isascii() and alias in text]
    return find_partner(hits[0]) if hits else result
