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
from bot.i18n import Language, Named, Said, both, in_quotes, said
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
from bot.reading.period_grammar import Latest, PeriodSpec, Relative, RelativeName
from bot.reading.periods import Period
from bot.reading.tokens import normalise_text


def series_word(series: str, language: Language = "en") -> str:
    """The word that asks for ``series`` in a command: none for rare-earth magnets (the
    default), ``comtrade``, ``gallium``, ``rare-earths`` (a key is always one of its names);
    in Chinese its Chinese word where the project describes it (``镓``, ``稀土``)."""
    if series == CUSTOMS_SERIES:
        return ""
    if series == COMTRADE_SERIES:
        return "comtrade"
    info = project_catalog().get(series) if language == "zh" else None
    if info is not None and info.chinese_word is not None:
        return info.chinese_word
    return series.replace("_", "-")


@lru_cache(maxsize=64)
def material_name(series: str, language: Language = "en") -> str:
    """A series' name as the project's description gives it (``gallium``, ``tungsten
    (APT)``; in Chinese its ``name_zh``, ``镓``); a key it does not describe, as words."""
    info = project_catalog().get(series)
    if info is None:
        return series.replace("_", " ")
    return info.name_zh if language == "zh" and info.name_zh else info.name


@lru_cache(maxsize=64)
def unit_label(series: str) -> str:
    """A series' unit as a column heads it: ``tonnes`` or ``kg``."""
    info = project_catalog().get(series)
    return "kg" if info is not None and info.unit == "kg" else "tonnes"


def with_series(series: str, text: str) -> str:
    """``text`` asked of ``series``: ``gallium DE 2025-10``."""
    return " ".join(w for w in (series_word(series), text.strip()) if w)


#: The catalog last asked about and its names: one question after another asks of the same
#: catalog, which is then not hashed (each of its series' fields) to find them again.
_LAST: list[tuple[Catalog, MaterialNames]] = []


def material_names(catalog: Catalog) -> MaterialNames:
    """The names of every series, as the reader matches them."""
    for kept, names in _LAST:
        if kept is catalog:
            return names
    names = _material_names(catalog)
    _LAST[:] = [(catalog, names)]
    return names


@lru_cache(maxsize=8)
def _material_names(catalog: Catalog) -> MaterialNames:
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
    #: The rest of the question with a partner's place, ``{}`` (``{} 2025-10``), for the
    #: commands that ask it of one of ``partners``.
    again: str = "{}"

    def partner_command(self, code: str) -> str:
        """``/exports DE 2025-10``: the question asked of the country the word may mean."""
        return "/exports " + self.again.replace("{}", code)


@dataclass(frozen=True)
class SeriesChoice:
    """The series a text names (``None``: none named), the text without its words, the
    words that named it, and whether every material was asked for."""

    series: str | None
    rest: str
    words: str = ""
    everything: bool = False
    problem: TwoMaterials | MaterialTypo | None = None


def choose(
    catalog: Catalog, text: str, leading_all: bool = False, chinese_only: bool = False
) -> SeriesChoice:
    """The series ``text`` asks about; ``leading_all`` reads a first "all" as every material
    (``/exports all DE``), only 全部 or 所有 with ``chinese_only`` (a plain question)."""
    found = read_materials(text, material_names(catalog), leading_all, chinese_only)
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
    """Materials named together, with the partners and period the rest of the words name
    (``DE vs JP``, ``2025-10``), so each command offered keeps them."""
    codes, period = kept_words(read(rest))
    return TwoMaterials(named, rest, " vs ".join(codes), period)


def kept_words(reading: Reading, missing: str | None = None) -> tuple[list[str], str]:
    """What a suggested command keeps of a reading: the codes of the partners it names, in
    order (China's total left out; the words typed as ``missing`` as ``{}``, the place of a
    partner to suggest), and its period as a command writes it (``2025-10`` for
    2025年10月, the words for a period relative to today)."""
    codes: list[str] = []
    for words in reading.partners:
        if isinstance(words.result, Found) and words.result.partner.code != WORLD:
            codes.append(words.result.partner.code)
        elif words.text == missing:
            codes.append("{}")
    if reading.period_error:
        period = ""
    elif isinstance(reading.period, Period):
        period = reading.period.code
    else:
        period = reading.period_words
    return list(dict.fromkeys(codes)), period


def ask_again(command: str, series: str, reading: Reading, missing: str) -> str:
    """The question asked again with a partner in place of the words ``missing`` (``{}``):
    ``/exports gallium DE vs {} 2025-10``, ``/chart gallium {}``."""
    codes, period = kept_words(reading, missing)
    if "{}" not in codes:
        codes.append("{}")
    who = "{}" if command in ("chart", "exports all") else " vs ".join(codes)  # one partner
    head = "/comtrade" if series == COMTRADE_SERIES else f"/{command} {series_word(series)}"
    return " ".join(" ".join([head, who, period]).split())


def _typo(catalog: Catalog, rest: str) -> MaterialTypo | None:
    """A word read as neither partner nor period that is close to a material's name."""
    reading = read(rest)
    attempts = [(p.text, p.result) for p in reading.partners if isinstance(p.result, NotFound)]
    for word, result in [*((w, None) for w in reading.unknown), *attempts]:
        info = _close_material(catalog, word)
        if info is None or info.reference:
            continue
        codes, period = kept_words(reading, word)
        kept = [c for c in codes if c != "{}"]
        corrected = with_series(info.key, " ".join([" vs ".join(kept), period]))
        others = result.suggestions if isinstance(result, NotFound) else ()
        again = " ".join(" ".join([" vs ".join([*kept, "{}"]), period]).split())
        return MaterialTypo(word, info, " ".join(corrected.split()), others, again)
    return None


@lru_cache(maxsize=4096)
def _close_material(catalog: Catalog, word: str) -> SeriesInfo | None:
    """The material ``word`` is probably a typo of (memoised, as a partner's name is: the
    same typo comes again, and a close match is worked out over every name)."""
    return catalog.suggest(word) or chinese_typo(catalog, word)


def chinese_typo(catalog: Catalog, word: str) -> SeriesInfo | None:
    """The material a Chinese word of two or more characters is one character off
    (稀士 → 稀土), when only one material's names are."""
    if word.isascii() or len(word) < 2:
        return None
    close = {
        info.key: info
        for name, info in catalog.names().items()
        if len(name) == len(word)
        and not name.isascii()
        and sum(a != b for a, b in zip(name, word, strict=True)) == 1
    }
    return next(iter(close.values())) if len(close) == 1 else None


# -- every material at once --------------------------------------------------------------


@dataclass(frozen=True)
class MaterialRow:
    """One material's answer for the partner and period (``None``: no figures loaded)."""

    info: SeriesInfo
    answer: MonthAnswer | SpanAnswer | NoFigure | None


@dataclass(frozen=True)
class AllMaterials:
    """Every material for one partner and period (``period`` ``None``: each one's latest),
    with how the words that left a choice were read (a follow-up's partner, "the month
    before")."""

    partner: Partner
    period: Period | None
    rows: tuple[MaterialRow, ...]
    notes: tuple[Said, ...] = ()


@dataclass(frozen=True)
class Earlier:
    """The question a follow-up follows: its partners' codes and period (``None``: none
    was named, the latest)."""

    partners: tuple[str, ...]
    period: Period | None


Lookups = Callable[[str], Lookup]
#: In a follow-up, "last month" is the month before the one just asked about.
IN_CONVERSATION: dict[RelativeName, RelativeName] = {
    "last_month": "month_before",
    "last_quarter": "quarter_before",
    "last_year": "year_before",
}
#: The period words that only make sense after a question: "the month before".
BEFORE: tuple[RelativeName, ...] = ("month_before", "quarter_before", "year_before")


def every_material(
    lookups: Lookups, catalog: Catalog, text: str, earlier: Earlier | None = None
) -> AllMaterials | PartnerProblem | PeriodProblem:
    """``/exports all DE 2025-10``: each material (not the reference series) for the partner
    and period ``text`` names; with no period, each material's latest for that partner. In a
    follow-up (``earlier``), the partner or period not named is the earlier question's."""
    base = lookups(CUSTOMS_SERIES)
    reading = read(text)
    who = base.partners_of(reading)
    if isinstance(who, PartnerProblem):
        return who
    if reading.unknown:
        return base.problem(
            said(
                "I did not understand {words}; /exports all answers one partner and period.",
                words=tuple(in_quotes(word) for word in reading.unknown),
            )
        )
    if reading.direction in ("imports", "to_china") or reading.intents:
        return base.problem(
            said("I did not understand that; /exports all answers one partner and period.")
        )
    if len(who) > 1:
        return base.problem(
            said("/exports all is for one partner at a time; {names} are several.", names=both(who))
        )
    if reading.period_error:
        return base.problem(reading.period_error)
    notes: list[Said] = []
    if reading.units:
        notes.append(
            said(
                "each material is in its own unit, and figures are never converted: not {words}",
                words=tuple(in_quotes(typed) for typed, _ in reading.units),
            )
        )
    if not who and earlier is not None and earlier.partners:
        who = tuple(partner(code) for code in earlier.partners)
        notes.append(said("following your last question: {partners}", partners=who))
    one = who[0] if who else partner(WORLD)
    found: dict[str, Lookup] = {}
    for info in catalog.materials:
        try:
            found[info.key] = lookups(info.key)
        except NoSeries:
            continue
    asked = _asked_period(base, list(found.values()), reading, one, earlier)
    if isinstance(asked, PeriodProblem):
        return asked
    period = asked.period if asked is not None else None
    notes += [asked.note] if asked is not None and asked.note else []
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
    return AllMaterials(one, period, tuple(rows), tuple(notes))


def _asked_period(
    base: Lookup, lookups: list[Lookup], reading: Reading, who: Partner, earlier: Earlier | None
) -> Resolved | PeriodProblem | None:
    """The period the words name (``None``: each material's latest); in a follow-up the
    earlier question's period, or the one before it."""
    spec = reading.period
    previous = earlier.period if earlier is not None else None
    if previous is not None and isinstance(spec, Relative) and spec.name in IN_CONVERSATION:
        spec = Relative(IN_CONVERSATION[spec.name])  # 上个月呢? after October: September
    if earlier is not None and isinstance(spec, Latest):
        if previous is None:
            return None
        note = said("the period of your last question: {period}", period=previous)
        return Resolved(previous, note)
    before = isinstance(spec, Relative) and spec.name in BEFORE
    if earlier is not None and previous is None and before:
        latest = base.resolve(Latest(), who.code)
        if not isinstance(latest, Resolved):
            return base.problem(
                said(
                    "Your last question asked for each material's latest period, and they "
                    "differ, so there is no one period before it. Name the month."
                )
            )
        place = "" if who.code == WORLD else f" {who.code}"
        return base.problem(
            said(
                "Your last question asked for each material's latest period, and they differ, "
                "so there is no one period before it. Name the month, e.g. {command}.",
                command=f"/exports all{place} {latest.period.code}",
            )
        )
    if isinstance(spec, Latest):
        return None
    return _period(base, lookups, spec, who, previous)


def _period(
    base: Lookup, lookups: list[Lookup], spec: PeriodSpec, who: Partner, previous: Period | None
) -> Resolved | PeriodProblem:
    """The period the words name, as the first material whose data can have it reads it
    (a month before magnets' first is still gallium's); else the magnets' problem."""
    problems: list[PeriodProblem] = []
    for lookup in [base, *lookups]:
        found = lookup.resolve(spec, who.code, previous)
        if isinstance(found, Resolved):
            return found
        problems.append(found)
    return problems[0]


def in_both(info: SeriesInfo) -> Named:
    """A series' name in English and Chinese, for a message made before the language is known."""
    return Named(info.name, info.name_zh)
