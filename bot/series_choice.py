"""Which series a question is about, and the answer for every material at once.

:func:`choose` reads the material words of a question or command's arguments
(:mod:`bot.reading.materials`, with the names in the series descriptions) and returns the
series named, the text without those words (read as before for the partner and period), and
what stops an answer: two different materials named ("gallium and germanium"), or a word that
is neither a partner nor a period but close to a material's name ("galium"). With no material
named, the answer is about rare-earth magnets (the default series).

:func:`every_material` answers ``/exports all DE 2025-10``: each material's figure for one
partner and period, and which have none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.data.series import Catalog, SeriesInfo, project_catalog
from bot.lookup import (
    Lookup,
    MonthAnswer,
    NoFigure,
    NoSeries,
    PartnerProblem,
    PeriodProblem,
    Resolved,
    SpanAnswer,
)
from bot.metrics import WORLD
from bot.reading.grammar import Reading, read
from bot.reading.materials import MaterialNames, MaterialReading, normal, read_materials
from bot.reading.partners import Found, NotFound, Partner, partner
from bot.reading.period_grammar import Latest
from bot.reading.periods import Period
from bot.reading.tokens import normalise_text


def series_word(series: str) -> str:
    """The word that asks for ``series`` in a command: none for rare-earth magnets (the
    default), ``comtrade``, ``gallium``, ``rare-earths`` (a key is always one of its names)."""
    if series == CUSTOMS_SERIES:
        return ""
    if series == COMTRADE_SERIES:
        return "comtrade"
    return series.replace("_", "-")


@lru_cache(maxsize=64)
def material_name(series: str) -> str:
    """A series' name as the project's description gives it (``gallium``, ``tungsten
    (APT)``); a key it does not describe, as words."""
    info = project_catalog().get(series)
    return info.name if info is not None else series.replace("_", " ")


@lru_cache(maxsize=64)
def unit_label(series: str) -> str:
    """A series' unit as a column heads it: ``tonnes`` or ``kg``."""
    info = project_catalog().get(series)
    return "kg" if info is not None and info.unit == "kg" else "tonnes"


def with_series(series: str, text: str) -> str:
    """``text`` asked of ``series``: ``gallium DE 2025-10``."""
    return " ".join(w for w in (series_word(series), text.strip()) if w)


@lru_cache(maxsize=8)
def material_names(catalog: Catalog) -> MaterialNames:
    """The names of every series, as the reader matches them."""
    found: dict[str, str] = {}
    for name, info in catalog.names().items():
        found.setdefault(normal(normalise_text(name)), info.key)
    return MaterialNames(tuple(sorted(found.items())))


@dataclass(frozen=True)
class TwoMaterials:
    """Several materials named in one question: none is picked."""

    named: tuple[SeriesInfo, ...]
    #: The rest of the question (partner, period), for the commands offered.
    rest: str
    #: The partner named (its code) and the period's words, for the commands offered.
    partner: str = ""
    period: str = ""


@dataclass(frozen=True)
class MaterialTypo:
    """A word that is neither a partner nor a period but close to a material's name."""

    word: str
    suggestion: SeriesInfo
    #: The question again with the material's name: ``gallium DE``.
    corrected: str
    #: Countries the word may mean instead (a near miss of a partner too).
    partners: tuple[Partner, ...] = ()


@dataclass(frozen=True)
class SeriesChoice:
    """The series a text names (``None``: none named), the text without its words, the
    words that named it, and whether every material was asked for."""

    series: str | None
    rest: str
    words: str = ""
    everything: bool = False
    problem: TwoMaterials | MaterialTypo | None = None


def choose(catalog: Catalog, text: str, leading_all: bool = False) -> SeriesChoice:
    """The series ``text`` asks about; ``leading_all`` reads a first "all" as every material
    (``/exports all DE``)."""
    found = read_materials(text, material_names(catalog), leading_all)
    return _choice(catalog, found)


def _choice(catalog: Catalog, found: MaterialReading) -> SeriesChoice:
    keys = [k for k in found.keys if k in catalog]
    if len(keys) > 1 and not found.everything:
        two = two_materials(tuple(catalog[k] for k in keys), found.rest)
        return SeriesChoice(None, found.rest, problem=two)
    words = " ".join(n.text for n in found.named)
    if keys:
        return SeriesChoice(keys[0], found.rest, words, found.everything)
    typo = _typo(catalog, found.rest)
    return SeriesChoice(None, found.rest, "", found.everything, typo)


def two_materials(named: tuple[SeriesInfo, ...], rest: str) -> TwoMaterials:
    """Materials named together, with the partner and period the rest of the words name."""
    reading = read(rest)
    return TwoMaterials(named, rest, _one(reading), reading.period_words)


def _one(reading: Reading) -> str:
    """The code of the one partner a reading names, if it names exactly one."""
    codes = [p.result.partner.code for p in reading.partners if isinstance(p.result, Found)]
    return codes[0] if len(codes) == 1 else ""


def _typo(catalog: Catalog, rest: str) -> MaterialTypo | None:
    """A word read as neither partner nor period that is close to a material's name."""
    reading = read(rest)
    attempts = [(p.text, p.result) for p in reading.partners if isinstance(p.result, NotFound)]
    for word, result in [*((w, None) for w in reading.unknown), *attempts]:
        info = catalog.suggest(word)
        if info is None or info.reference:
            continue
        corrected = with_series(info.key, rest.replace(word, " ", 1))
        others = result.suggestions if isinstance(result, NotFound) else ()
        return MaterialTypo(word, info, " ".join(corrected.split()), others)
    return None


# -- every material at once --------------------------------------------------------------


@dataclass(frozen=True)
class MaterialRow:
    """One material's answer for the partner and period (``None``: no figures loaded)."""

    info: SeriesInfo
    answer: MonthAnswer | SpanAnswer | NoFigure | None


@dataclass(frozen=True)
class AllMaterials:
    """Every material for one partner and period (``period`` ``None``: each one's latest)."""

    partner: Partner
    period: Period | None
    rows: tuple[MaterialRow, ...]


Lookups = Callable[[str], Lookup]


def every_material(
    lookups: Lookups, catalog: Catalog, text: str
) -> AllMaterials | PartnerProblem | PeriodProblem:
    """``/exports all DE 2025-10``: each material (not the reference series) for the partner
    and period ``text`` names; with no period, each material's latest for that partner."""
    base = lookups(CUSTOMS_SERIES)
    reading = read(text)
    who = base.partners_of(reading)
    if isinstance(who, PartnerProblem):
        return who
    if reading.unknown or reading.intents or reading.direction in ("imports", "to_china"):
        words = ", ".join(f"“{w}”" for w in reading.unknown) or "that"
        return base.problem(
            f"I did not understand {words}; /exports all answers one partner and period."
        )
    if len(who) > 1:
        names = " and ".join(p.name for p in who)
        return base.problem(f"/exports all is for one partner at a time; {names} are several.")
    if reading.period_error:
        return base.problem(reading.period_error)
    one = who[0] if who else partner(WORLD)
    found: dict[str, Lookup] = {}
    for info in catalog.materials:
        try:
            found[info.key] = lookups(info.key)
        except NoSeries:
            continue
    period = None
    if not isinstance(reading.period, Latest):
        asked = _period(base, list(found.values()), reading, one)
        if isinstance(asked, PeriodProblem):
            return asked
        period = asked
    rows = []
    for info in catalog.materials:
        lookup = found.get(info.key)
        if lookup is None:
            rows.append(MaterialRow(info, None))
            continue
        when = period
        if when is None:
            latest = lookup.resolve(Latest(), one.code)
            when = latest.period if isinstance(latest, Resolved) else None
        rows.append(MaterialRow(info, lookup.exports_for(one, when) if when else None))
    return AllMaterials(one, period, tuple(rows))


def _period(
    base: Lookup, lookups: list[Lookup], reading: Reading, who: Partner
) -> Period | PeriodProblem:
    """The period the words name, as the first material whose data can have it reads it
    (a month before magnets' first is still gallium's); else the magnets' problem."""
    problems: list[PeriodProblem] = []
    for lookup in [base, *lookups]:
        found = lookup.resolve(reading.period, who.code)
        if isinstance(found, Resolved):
            return found.period
        problems.append(found)
    return problems[0]
