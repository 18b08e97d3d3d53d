"""Reading ``/watch``: a watchlist's partners, read as ``/exports`` reads them.

``/watch DE JP KR`` (``/watch 德国 日本 韩国``, ``/watch Germany, Japan and South Korea``)
names the partners of the rare-earth magnets' watchlist; a material word names another series'
(``/watch 镓 DE JP``, ``/watch gallium DE``); ``off`` (关闭, 取消) clears it, and nothing
shows it. Every word that names nothing is kept as typed, with the countries it is probably a
typo of, so the reply can name it: nothing is saved while any is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import Catalog
from bot.metrics import WORLD
from bot.reading.grammar import read
from bot.reading.partners import Ambiguous, Found, NotFound, suggestions
from bot.series_choice import MaterialTypo, TwoMaterials, choose

#: The words that clear a watchlist, in either language.
OFF_WORDS = frozenset({"off", "clear", "stop", "none", "关闭", "取消", "清除", "停止", "关"})
#: The words for China's total among the partners watched.
TOTAL_WORDS = frozenset(
    {"total", "world", "china", "全球", "总量", "总计", "合计", "中国", "中国出口总量", "中国总量"}
)
#: A word a question's grammar passes over ("exports in June") that a list of partners
#: cannot mean so: named back, with India (whose code it is, in lower case) as its guess.
FILLERS = frozenset({"in"})


@dataclass(frozen=True)
class Unread:
    """A word that names no partner, as typed, with the countries it may be a typo of
    (codes), or those it names together (``ambiguous``: "Congo")."""

    word: str
    maybe: tuple[str, ...] = ()
    ambiguous: bool = False
    #: The material the word is probably a typo of (its key): ``galium`` → gallium.
    material: str | None = None


@dataclass(frozen=True)
class WatchReading:
    """What ``/watch`` asks: the series (magnets unless a material is named), the partners
    in the order typed (each once), whether to clear, and what could not be read."""

    series: str = CUSTOMS_SERIES
    material_named: bool = False
    partners: tuple[str, ...] = ()
    off: bool = False
    unread: tuple[Unread, ...] = ()
    #: Several materials named ("镓 锗"): their keys.
    materials: tuple[str, ...] = ()
    #: A reference series named (UN Comtrade's), as typed: not China's own figures.
    reference: str | None = None

    @property
    def clear(self) -> bool:
        """Nothing unreadable: the reading may be acted on."""
        return not self.unread and not self.materials and self.reference is None

    @property
    def shows(self) -> bool:
        """``/watch`` alone (or with a material only): show the watchlists."""
        return self.clear and not self.off and not self.partners


def read_watch(text: str, catalog: Catalog) -> WatchReading:
    """The watchlist ``text`` (what follows ``/watch``) asks for."""
    choice = choose(catalog, text)
    if isinstance(choice.problem, TwoMaterials):
        return WatchReading(materials=tuple(info.key for info in choice.problem.named))
    typo = choice.problem if isinstance(choice.problem, MaterialTypo) else None
    series = choice.series or CUSTOMS_SERIES
    if choice.series is not None and catalog[choice.series].reference:
        return WatchReading(reference=choice.words or choice.series)
    words = choice.rest.split()
    offs = [word for word in words if word.casefold() in OFF_WORDS]
    totals = [word for word in words if word.casefold() in TOTAL_WORDS]
    fillers = [word for word in words if word in FILLERS]  # "IN" is India's code
    rest = " ".join(
        word
        for word in words
        if word.casefold() not in OFF_WORDS | TOTAL_WORDS and word not in FILLERS
    )
    reading = read(rest)
    partners: list[str] = [WORLD] if totals else []
    unread: list[Unread] = []
    for named in reading.partners:
        result = named.result
        if isinstance(result, Found):
            partners.append(result.partner.code)
        elif isinstance(result, Ambiguous):
            codes = tuple(p.code for p in result.options)
            unread.append(Unread(named.text, codes, ambiguous=True))
        elif isinstance(result, NotFound):
            unread.append(Unread(named.text, tuple(p.code for p in result.suggestions)))
    unread += [Unread(word) for word in reading.unknown]
    unread += [Unread(word, ("IN",)) for word in fillers]  # named, not dropped
    if reading.has_period:
        unread.append(Unread(reading.period_words or rest))
    unread = [_guessed(u, typo) for u in unread]
    if offs and (partners or unread):  # "off" beside partners: which is meant?
        unread.insert(0, Unread(" ".join(offs)))
    return WatchReading(
        series,
        choice.series is not None,
        tuple(dict.fromkeys(partners)),
        bool(offs),
        tuple(unread),
    )


def _guessed(unread: Unread, typo: MaterialTypo | None) -> Unread:
    """``unread`` with what it is probably a typo of: a material, else countries."""
    if typo is not None and unread.word == typo.word:
        return Unread(unread.word, unread.maybe, unread.ambiguous, typo.suggestion.key)
    if unread.maybe:
        return unread
    return Unread(unread.word, tuple(p.code for p in suggestions(unread.word)))
