"""The speed-ups of reading a question change no reading: a question's text is read once,
the quick look for a material's name (:mod:`bot.reading.name_starts`) never misses one that
the full match finds, and a period is the same period however it was made or kept."""

from __future__ import annotations

import copy
import pickle
import random
import re
from collections.abc import Callable

import pytest

from bot.conversation import ask_about
from bot.data.series import project_catalog
from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.reading.grammar import read
from bot.reading.materials import MaterialNames, read_materials
from bot.reading.name_starts import NameStarts, name_starts
from bot.reading.periods import Period
from bot.reading.tokens import normalise_text
from bot.series_choice import material_names
from tests.conftest import TODAY

CATALOG = project_catalog()
NAMES = material_names(CATALOG)
#: The same names, always matched token by token (the quick look finds a name everywhere).
EVERYWHERE = NameStarts(frozenset(), re.compile(""), re.compile(""))


def full_match(text: str, leading_all: bool, chinese_only: bool) -> tuple[object, ...]:
    names = MaterialNames(NAMES.names)
    names.__dict__["starts"] = EVERYWHERE  # a cached property, set before its first use
    found = read_materials.__wrapped__(text, names, leading_all, chinese_only)  # no memo
    return tuple((n.text, n.key) for n in found.named), found.rest, found.everything


def quick(text: str, leading_all: bool, chinese_only: bool) -> tuple[object, ...]:
    found = read_materials.__wrapped__(text, NAMES, leading_all, chinese_only)
    return tuple((n.text, n.key) for n in found.named), found.rest, found.everything


#: Words that make up the texts: every name and its words, cased and hyphenated, partners,
#: periods, Chinese numerals, words for every material, and words that merely contain a
#: name's first word (months, June, un-).
PIECES = sorted(
    {name for name, _ in NAMES.names}
    | {word for name, _ in NAMES.names for word in name.split()}
    | {name.upper() for name, _ in NAMES.names}
    | {name.replace(" ", "-") for name, _ in NAMES.names}
    | {
        *("all", "ALL", "every", "each", "materials", "all-materials", "全部", "所有", "所有材料"),
        *("DE", "GE", "nl", "Germany", "德国", "2025-10", "2025年10月", "十月", "十", "二"),
        *("八五〇五一一", "〇八五〇五一一", "hs八五〇五一一", "HS850511", "hs 850511", "85051110"),
        *("months", "June", "unit", "free", "apt.", "magnet's", "magnet’s", "un德国", "德国un"),
        *("-", "–", "?", "", " "),
    }
)


def test_the_quick_look_never_misses_a_name_the_full_match_finds() -> None:
    rng = random.Random(14)
    texts = {*PIECES, *(f"{p} DE 2025-10" for p in PIECES), *(f"{p}出口" for p in PIECES)}
    for _ in range(3000):
        separator = rng.choice([" ", "", "-", " "])
        texts.add(separator.join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))))
    for text in sorted(texts):
        for leading_all in (False, True):
            for chinese_only in (False, True):
                expected = full_match(text, leading_all, chinese_only)
                assert quick(text, leading_all, chinese_only) == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "How much did China export to Germany in the last 3 months of 2025?",
        "2025年10月中国对德国出口了多少",
        "US vs DE 2025-06",
        "exports in June to the US",  # "un" (UN Comtrade) only as a whole word
    ],
)
def test_a_text_that_can_name_no_material_is_left_as_normalised(text: str) -> None:
    assert not NAMES.starts.anywhere(normalise_text(text).casefold())
    assert quick(text, True, False) == ((), normalise_text(text), False)


@pytest.mark.parametrize(
    ("names", "text", "found"),
    [
        (["hs850511"], "HS850511 DE", True),
        (["hs850511"], "last 3 months", False),  # "hs" inside a word is no name's start
        (["850511"], "八五〇五一一", True),  # a number written in Chinese numerals
        (["12 magnets"], "十二", True),  # a short number may be written with 十
        (["tungstène"], "TUNGSTÈNE", True),  # a Latin name that is not ASCII
        (["稀土"], "稀土出口", True),
        (["稀土"], "稀有", False),
    ],
)
def test_name_starts(names: list[str], text: str, found: bool) -> None:
    chinese = [n for n in names if not n.isascii()]
    starts = name_starts(names, ["all"], chinese)
    assert starts.anywhere(normalise_text(text).casefold()) is found


@pytest.fixture
def lookups(snapshot: Snapshot) -> Callable[[str], Lookup]:
    made: dict[str, Lookup] = {}

    def lookup(series: str) -> Lookup:
        if series not in made:
            made[series] = Lookup(snapshot, lambda: TODAY, series)
        return made[series]

    return lookup


@pytest.mark.parametrize("text", ["how much to Japan in October 2025", "2025年10月 日本"])
def test_a_plain_question_is_read_once(lookups: Callable[[str], Lookup], text: str) -> None:
    """Choosing the material reads the words left for the partner and period; the answer
    reads the same words from that memo (a keyword argument once made it read them again)."""
    read.cache_clear()
    ask_about(lookups, CATALOG, text, plain=True)
    assert read.cache_info().misses == 1


def test_a_period_is_the_same_however_it_was_made_or_kept() -> None:
    june = Period.parse_code("2025-06")
    assert june == Period.month(2025, 6) == Period(2025, 6, 6, "month")
    assert june.months() == [june] and (june.code, june.label) == ("2025-06", "June 2025")
    half = Period.parse_code("2025-H1")
    assert half.months() == [Period.month(2025, m) for m in range(1, 7)]
    half.months().clear()  # a caller's list is its own
    assert len(half.months()) == 6
    assert half.code == "2025-H1"  # worked out, and kept in the period
    for kept in (pickle.loads(pickle.dumps(half)), copy.deepcopy(half), copy.copy(half)):
        assert set(vars(kept)) == {"year", "first_month", "last_month", "kind"}  # fields only
        assert kept == half and hash(kept) == hash(half)
        assert (kept.code, kept.label, kept.short_label) == ("2025-H1", "H1 2025", "H1 2025")
