"""A question in its context: which answer it asks for, and what the bot understood.

:func:`ask` reads the text with the grammar, fills a follow-up ("what about Japan?", "and the
month before?") from the previous question, chooses the answer (the figures, a ranking, a
chart, the summary, or partners side by side) and returns it with a :class:`Heard`: how each
choice the words left open was made and which words were not understood, so the reply can
say so. Pure Python; the renderer writes the text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import Catalog
from bot.lookup import (
    CompareAnswer,
    ExportsAnswer,
    Lookup,
    MonthAnswer,
    NoFigure,
    NoSeries,
    NotUnderstood,
    PartnerProblem,
    PeriodProblem,
    Problem,
    Resolved,
    SpanAnswer,
)
from bot.metrics import WORLD
from bot.ranking import CountProblem, TopAnswer
from bot.reading.grammar import MAX_QUERY_CHARS, Intent, Reading, read
from bot.reading.partners import Partner, partner
from bot.reading.period_grammar import Latest, Relative, RelativeName
from bot.reading.periods import Period
from bot.series_choice import (
    AllMaterials,
    Lookups,
    MaterialTypo,
    TwoMaterials,
    choose,
    every_material,
    series_word,
    two_materials,
)
from bot.summaries import SummaryAnswer

#: In a follow-up, "last month" is the month before the one just asked about.
IN_CONVERSATION: dict[RelativeName, RelativeName] = {
    "last_month": "month_before",
    "last_quarter": "quarter_before",
    "last_year": "year_before",
}


@dataclass(frozen=True)
class Asked:
    """What a question settled, kept per private chat for the next follow-up."""

    intent: Intent
    partners: tuple[str, ...]
    period: Period | None  # None: no period was named (the latest)
    #: The series asked about: a follow-up keeps it ("and Japan?" after gallium).
    series: str = CUSTOMS_SERIES


@dataclass(frozen=True)
class ChartRequest:
    """A chart asked for in words; the chart handler draws it from ``command`` in
    ``series``."""

    command: str
    series: str = CUSTOMS_SERIES


@dataclass(frozen=True)
class Unclear:
    """Words not understood: no figures are given, since they might change the question;
    ``command`` asks what could be read, for one tap. ``reason`` replaces the words when the
    whole question cannot be answered as asked (too long, a series that only has figures)."""

    words: tuple[str, ...]
    command: str
    reason: str = ""


TOO_LONG = (
    f"That is longer than I read ({MAX_QUERY_CHARS} characters), so I have not answered: "
    "the rest may change the question. Ask one question at a time."
)
SERIES_ONLY_EXPORTS = (
    "UN Comtrade's HS 850511 answers one partner and period at a time, for example "
    "/comtrade US 2025-06. Rankings, charts, summaries and comparisons use China's customs "
    "series (85051110), never mixed with it: /top, /chart, /summary, /exports US vs DE."
)


@dataclass(frozen=True)
class NoData:
    """A series named that has no figures loaded yet (UN Comtrade before an import)."""

    series: str
    name: str


@dataclass(frozen=True)
class OtherTrade:
    """A question about trade the data does not cover (China's imports, exports to China)."""

    direction: str


@dataclass(frozen=True)
class Heard:
    """How the question was read: the partners and period, the choices made, the words
    not understood."""

    partners: tuple[Partner, ...] = ()
    period: Period | None = None
    notes: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    #: The material asked about, when one was named or followed ("gallium").
    material: str = ""

    @property
    def worth_saying(self) -> bool:
        return bool(self.notes or self.unknown)


Answer = (
    ExportsAnswer
    | TopAnswer
    | SummaryAnswer
    | CompareAnswer
    | ChartRequest
    | Unclear
    | OtherTrade
    | NotUnderstood
    | CountProblem
    | Problem
    | TwoMaterials
    | MaterialTypo
    | AllMaterials
    | NoData
)


#: Answers about one partner and period: the ones with buttons and with sources.
SINGLE_ANSWERS = (MonthAnswer, SpanAnswer, NoFigure, PartnerProblem, PeriodProblem)


@dataclass(frozen=True)
class Reply:
    answer: Answer
    heard: Heard
    asked: Asked | None = None
    intent: Intent = "exports"


def ask(
    lookup: Lookup,
    text: str,
    default: Intent = "exports",
    previous: Asked | None = None,
    plain: bool = False,
    material: bool = False,
) -> Reply:
    """Answer ``text`` from ``lookup``'s series; ``default`` is the command's intent,
    ``previous`` the last question in this chat (for follow-ups), ``plain`` a message that is
    not a command, ``material`` that the question named its material (so "gallium" alone is
    a question). Answers are pure for one data snapshot and day, so a repeated question is a
    dictionary lookup."""
    key = (text, default, previous, plain, material, lookup.today())
    return lookup.remember(key, lambda: _ask(lookup, text, default, previous, plain, material))


def _ask(
    lookup: Lookup,
    text: str,
    default: Intent,
    previous: Asked | None,
    plain: bool,
    material: bool = False,
) -> Reply:
    reading = read(text, count_slot=default == "top")
    said_nothing = not (reading.partners or reading.has_period or reading.intents or material)
    if plain and said_nothing and not reading.follow_up:
        return Reply(NotUnderstood(text), Heard(unknown=reading.unknown))
    buyers = reading.intent == "top" and not any(p.weak for p in reading.partners)
    if reading.direction == "to_china" or (reading.direction == "imports" and not buyers):
        return Reply(OtherTrade(reading.direction), Heard(unknown=reading.unknown))
    if reading.too_long:
        return Reply(Unclear((), "", TOO_LONG), Heard())
    follow = previous if reading.follow_up or _only_period(reading, previous) else None
    notes: list[str] = []
    found = lookup.partners_of(reading)
    if isinstance(found, PartnerProblem):
        return Reply(found, Heard(unknown=_not_partner(reading)))
    partners = found
    if not partners and follow is not None and follow.partners:
        partners = tuple(partner(code) for code in follow.partners)
        notes.append("following your last question: " + ", ".join(p.name for p in partners))
    intent = reading.intent or ("compare" if len(partners) > 1 else None)
    if intent is None and follow is not None:
        # a partner named after a ranking or summary asks for that partner's figures
        named_partner = bool(reading.partners) and follow.intent in ("top", "summary")
        intent = "exports" if named_partner else follow.intent
    intent = intent or default
    if intent == "compare" and len(partners) < 2 and reading.intent is None:
        intent = "exports"  # "what about Japan?" after a comparison asks about Japan alone
    if intent != "exports" and lookup.info.reference:
        return Reply(Unclear((), "", SERIES_ONLY_EXPORTS), Heard(), None, intent)
    if reading.period_error:
        return Reply(
            lookup.problem(reading.period_error), Heard(partners, None, (), reading.unknown)
        )
    resolved = _period(lookup, reading, partners, intent, follow, notes)
    if isinstance(resolved, PeriodProblem):
        return Reply(resolved, Heard(partners, None, tuple(notes), reading.unknown))
    if resolved.note:
        notes.append(resolved.note)
    period = resolved.period
    named = period if reading.has_period or follow is not None else None
    if reading.direction == "from_china" and partners:
        names = ", ".join(p.name for p in partners)
        notes.append(
            f"imports from China answered with China's exports to {names}, as China's customs "
            "record them; the buyer's own import statistics can differ"
        )
    if intent == "chart" and named is None:
        period_shown: Period | None = None  # a chart without a period shows every month
        notes = [n for n in notes if n != resolved.note]
    else:
        period_shown = period
    shown = partners if intent in ("exports", "compare", "chart") else ()
    if reading.unknown:
        command = _command(lookup, intent, partners, named, reading)
        heard = Heard(shown, period_shown, tuple(notes), reading.unknown)
        return Reply(Unclear(reading.unknown, command), heard, None, intent)
    answer = _answer(lookup, intent, partners, period, named, reading, notes)
    if (
        reading.asks_value
        and isinstance(answer, MonthAnswer | SpanAnswer)
        and not answer.metrics.usd
    ):
        label = answer.metrics.period.label
        unit = "kilograms" if lookup.info.unit == "kg" else "tonnes"
        notes.append(f"no value in US dollars is published for {label}, so this is in {unit}")
    asked = Asked(intent, tuple(p.code for p in partners), named, lookup.series)
    heard = Heard(shown, period_shown, tuple(notes), reading.unknown)
    return Reply(answer, heard, asked, intent)


def _command(
    lookup: Lookup,
    intent: Intent,
    partners: tuple[Partner, ...],
    period: Period | None,
    reading: Reading,
) -> str:
    """The command that asks what was understood: ``/exports US 2025-04``."""
    codes = [p.code for p in partners if p.code != WORLD]
    when = [period.code] if period is not None else []
    word = [w for w in (series_word(lookup.series),) if w]
    if intent == "top":
        count = [str(reading.count)] if reading.count is not None else []
        return " ".join(["/top", *word, *when, *count])
    if intent == "summary":
        return " ".join(["/summary", *word, *when])
    if intent == "chart":
        return " ".join(["/chart", *word, *codes[:1], *when])
    command = ["/comtrade"] if lookup.info.reference else ["/exports", *word]
    return " ".join([*command, " vs ".join(codes), *when]).replace("  ", " ").strip()


def _only_period(reading: Reading, previous: Asked | None) -> bool:
    """True for "the month before" alone: it follows the previous question even without
    "and"."""
    return (
        previous is not None
        and isinstance(reading.period, Relative)
        and reading.period.name in ("month_before", "quarter_before", "year_before")
    )


def _not_partner(reading: Reading) -> tuple[str, ...]:
    return tuple(w for w in reading.unknown if w not in {p.text for p in reading.partners})


def _period(
    lookup: Lookup,
    reading: Reading,
    partners: tuple[Partner, ...],
    intent: Intent,
    follow: Asked | None,
    notes: list[str],
) -> Resolved | PeriodProblem:
    spec = reading.period
    previous = follow.period if follow is not None else None
    if previous is not None and isinstance(spec, Relative) and spec.name in IN_CONVERSATION:
        spec = Relative(IN_CONVERSATION[spec.name])  # 上个月呢? after June: May, not today's
    if follow is not None and isinstance(spec, Latest) and previous is not None:
        notes.append(f"the period of your last question: {previous.label}")
        return Resolved(previous)
    if previous is None and follow is not None and isinstance(spec, Relative):
        latest = lookup.resolve(Latest(), follow.partners[0] if follow.partners else WORLD)
        previous = latest.period if isinstance(latest, Resolved) else None
    if isinstance(spec, Latest) and intent == "compare" and len(partners) > 1:
        return lookup.common_latest(partners)
    code = partners[0].code if len(partners) == 1 and intent in ("exports", "chart") else WORLD
    return lookup.resolve(spec, code, previous)


def _answer(
    lookup: Lookup,
    intent: Intent,
    partners: tuple[Partner, ...],
    period: Period,
    named: Period | None,
    reading: Reading,
    notes: list[str],
) -> Answer:
    if intent in ("top", "summary") and partners:
        names = ", ".join(p.name for p in partners)
        what = "ranking" if intent == "top" else "summary"
        notes.append(f"the {what} covers every partner, so {names} is not picked out")
    if intent == "top":
        return lookup.top_for(period, reading.count)
    if intent == "summary":
        return lookup.summary_for(period)
    if intent == "chart":
        if len(partners) > 1:
            options = " or ".join(f"/chart {p.code}" for p in partners)
            return lookup.problem(f"A chart shows one partner; try {options}.")
        when = named.code if named is not None else ""
        if "top" in reading.intents and not partners:  # "top buyers chart june 2025"
            return ChartRequest(f"top {period.code}", lookup.series)
        who = partners[0].code if partners else ""
        return ChartRequest(" ".join(p for p in (who, when) if p), lookup.series)
    if intent == "compare":
        if len(partners) < 2:
            return lookup.problem(
                "To compare, name two or more partners, for example /exports US vs DE."
            )
        return lookup.compare_for(partners, period)
    return lookup.exports_for(partners[0] if partners else partner(WORLD), period)


# -- the material asked about --------------------------------------------------------------


@dataclass(frozen=True)
class Asking:
    """A reply and the lookup of the series it is about (for its buttons)."""

    reply: Reply
    lookup: Lookup


def ask_about(
    lookups: Lookups,
    catalog: Catalog,
    text: str,
    default: Intent = "exports",
    previous: Asked | None = None,
    plain: bool = False,
    series: str | None = None,
) -> Asking:
    """Answer ``text`` about the material it names (:func:`bot.series_choice.choose`): the
    default series (rare-earth magnets) when it names none, the previous question's in a
    follow-up ("and Japan?"), ``series`` when the command fixes one (``/comtrade``). Two
    materials, a material's name mistyped and ``/exports all`` get their own answers."""
    base = lookups(CUSTOMS_SERIES)
    leading_all = default == "exports" and series is None and not plain
    choice = choose(catalog, text, leading_all)
    if series is not None and choice.series not in (None, series):
        named = (catalog[series], catalog[choice.series or series])
        return Asking(Reply(two_materials(named, choice.rest), Heard(), None, default), base)
    if choice.problem is not None:
        return Asking(Reply(choice.problem, Heard(), None, default), base)
    if choice.everything:
        answer = every_material(lookups, catalog, choice.rest)
        return Asking(Reply(answer, Heard(), None, "exports"), base)
    chosen = series or choice.series
    followed = chosen is None and previous is not None and _follows(choice.rest, previous)
    if followed and previous is not None:
        chosen = previous.series
    chosen = chosen or CUSTOMS_SERIES
    info = catalog.get(chosen)
    try:
        lookup = lookups(chosen)
    except NoSeries:
        return Asking(Reply(NoData(chosen, info.name if info else chosen), Heard()), base)
    reply = ask(lookup, choice.rest, default, previous, plain, choice.series is not None)
    if info is None or (chosen == CUSTOMS_SERIES and choice.series is None):
        return Asking(reply, lookup)
    heard = replace(reply.heard, material=info.name)
    if followed and chosen != CUSTOMS_SERIES:
        heard = replace(heard, notes=(f"{info.name}, as your last question", *heard.notes))
    return Asking(replace(reply, heard=heard), lookup)


def _follows(text: str, previous: Asked) -> bool:
    """Whether ``text`` follows the previous question (and so keeps its material)."""
    reading = read(text)
    return reading.follow_up or _only_period(reading, previous)
