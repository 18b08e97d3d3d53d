"""What the reader's grammar could not read (:mod:`bot.reading.misreadings`), said in the
reader's language: ``I couldn't read “2025-13” as a period: there is no month 13.``,
``无法将“2025-13”识别为时段：一年没有13月。`` The words the user typed are values, escaped
when said; English is what the grammar always said.
"""

from __future__ import annotations

from bot.i18n import Named, Said, both, in_quotes, said
from bot.reading.misreadings import (
    Misreading,
    NoFirstQuarters,
    NoSuchMonth,
    NoSuchSpan,
    NotFromJanuary,
    NotMonthSpan,
    OtherPartners,
    TwoPeriods,
    Unreadable,
    Why,
)
from bot.reading.periods import MONTH_NAMES


def said_of(problem: Misreading) -> Said:
    """The problem as a message, put in the reader's language when rendered."""
    if isinstance(problem, Unreadable):
        if problem.why is None:
            return said("I couldn't read “{text}” as a period.", text=problem.words)
        return said(
            "I couldn't read “{words}” as a period: {why}.",
            words=problem.words,
            why=_why(problem.why),
        )
    if isinstance(problem, TwoPeriods):
        named = both(tuple(in_quotes(words) for words in problem.words))
        return said("I read two periods, {named}; ask for one at a time.", named=named)
    if isinstance(problem, OtherPartners):
        return said(
            "This answers one partner at a time; {names} would need its own request.",
            names=tuple(in_quotes(name) for name in problem.names),
        )
    return said(
        "I did not understand {words}.", words=tuple(in_quotes(word) for word in problem.words)
    )


def _why(why: Why) -> Said:
    """The rule the words of a period break."""
    if isinstance(why, NoSuchMonth):
        return said("there is no month {number}", number=why.number)
    if isinstance(why, NoSuchSpan):
        if why.kind == "quarter":
            return said("there is no Q{number}", number=why.number)
        return said("there is no H{number}", number=why.number)
    if isinstance(why, NoFirstQuarters):
        return said("there is no first {number} quarters", number=why.number)
    if isinstance(why, NotMonthSpan):
        return said("{first} to {last} is not a span of months", first=why.first, last=why.last)
    return said(
        "I total spans that start in January (year to date), halves, quarters and years; "
        "{span} is not one of them",
        span=_months(why),
    )


def _months(span: NotFromJanuary) -> Said:
    """``Mar–May``, ``3–5月``: a span of months without a year."""

    def month(number: int) -> Named:
        return Named(MONTH_NAMES[number - 1][:3], str(number))

    # TRANSLATORS: months of one year, no year named: Mar–May, 3–5月.
    return said("{first}–{last}", first=month(span.first), last=month(span.last))
