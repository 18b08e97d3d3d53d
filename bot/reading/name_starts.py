"""Where a material's name may begin in a question: found without tokenizing it.

Most questions name no material. :class:`NameStarts` finds, in a question's normalised and
case-folded text, whether the words that name a series (or ask for every material) could
begin anywhere, as :mod:`bot.reading.materials` tokenizes and matches them; where none
could, the question's tokens need not be made and scanned. It may find a word where no name
is (``all`` in "all exports"); it never misses one:

- a Latin name begins with a whole Latin word, its first run of letters (``rare`` of "rare
  earth", ``hs`` of "hs850511"), which is a whole run of letters in the text too;
- a name that begins with digits begins with them, written in digits or in Chinese numerals
  (八五〇五一一 is 850511);
- a Chinese name is a word of its own to the tokenizer, so it is in the text as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from string import ascii_letters

from bot.reading.lexicon import CHINESE_DIGITS, cjk_vocabulary
from bot.reading.tokens import CHINESE_NUMERALS, is_cjk

_FIRST_RUN = re.compile(r"[^\W\d_]+|\d+")
_ASCII_RUN = re.compile(r"[a-z]+")
#: Digits shorter than this may be written with 十 (十二 is 12), so any numeral may be them.
_SPELLED_OUT = 3


@dataclass(frozen=True)
class NameStarts:
    """The first words of names: whole Latin words, and a pattern for the rest with the
    characters it can begin with (looked for first: a scan of the text in C)."""

    words: frozenset[str]
    others: re.Pattern[str] | None = None
    lead: re.Pattern[str] | None = None

    def anywhere(self, folded: str) -> bool:
        """Whether a name may begin somewhere in ``folded`` (a normalised text, case-folded)."""
        if not self.words.isdisjoint(_ASCII_RUN.findall(folded)):
            return True
        if self.others is None or self.lead is None:
            return False
        first = self.lead.search(folded)
        return first is not None and self.others.search(folded, first.start()) is not None


def name_starts(names: Iterable[str], words: Iterable[str], extras: Iterable[str]) -> NameStarts:
    """Where one of ``names`` (normal forms), or a Latin word of ``words`` (``all``,
    ``every``), may begin; ``extras`` are the Chinese words the tokenizer is given (the
    Chinese names, 全部), which are found as they are."""
    extras = tuple(extras)
    # A Latin word begins after anything but a Latin letter, unless a Chinese word ends in
    # one: then a word of ASCII letters is looked for anywhere, even inside another.
    glued = any(word[-1:] in ascii_letters for word in (*cjk_vocabulary(), *extras))
    latin: set[str] = set()
    pieces: dict[str, str] = {}  # a pattern → the characters it can begin with
    for word in filter(None, extras):
        folded = word.casefold()
        pieces[re.escape(folded)] = re.escape(folded[0])
    for name in (*names, *words):
        run = _FIRST_RUN.match(name)
        folded = (run[0] if run else name).casefold()
        if not name or is_cjk(name[0]):
            continue  # a word the tokenizer is given: among ``extras``
        if run is not None and run[0].isdigit():
            pieces[_digits(run[0])] = _digit(run[0][0], len(run[0]))
        elif run is not None and _ASCII_RUN.fullmatch(folded) and not glued:
            latin.add(folded)
        else:
            pieces[re.escape(folded)] = re.escape(folded[0])
    if not pieces:
        return NameStarts(frozenset(latin))
    others = re.compile("|".join(sorted(pieces)))
    return NameStarts(
        frozenset(latin), others, re.compile(f"[{''.join(sorted(set(pieces.values())))}]")
    )


def _digits(run: str) -> str:
    """Digits as a number token may have been typed: in digits or Chinese numerals (a short
    number as any one numeral: 十 is 10)."""
    if len(run) < _SPELLED_OUT:
        return f"[{_digit(run[0], len(run))}]"
    return "".join(f"[{_digit(digit, len(run))}]" for digit in run)


def _digit(digit: str, length: int) -> str:
    """The characters a digit of a number of ``length`` digits may be typed as (inside a
    ``[…]``): any numeral when it may be written with 十 (十二 is 12)."""
    if length < _SPELLED_OUT:
        return rf"\d{CHINESE_NUMERALS}"
    value = unicodedata.digit(digit, -1)
    return re.escape(digit) + "".join(c for c, v in CHINESE_DIGITS.items() if v == value)
