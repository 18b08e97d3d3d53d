"""A question in its context: which answer it asks for, and what the bot understood.

:func:`ask` reads the text with the grammar, fills a follow-up ("what about Japan?", "and the
month before?") from the previous question, chooses the answer (the figures, a ranking, a
chart, the summary, or partners side by side) and returns it with a :class:`Heard`: how each
choice the words left open was made and which words were not understood, so the reply can
say so. Pure Python; the renderer writes the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.dataset import CUSTOMS_SERIES
from bot.lookup import (
    CompareAnswer,
    ExportsAnswer,
    Lookup,
    MonthAnswer,
    NoFigure,
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


@dataclass(frozen=True)
class ChartRequest:
    """A chart asked for in words; the chart handler draws it from ``command``."""

    command: str


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
) -> Reply:
    """Answer ``text``; ``default`` is the command's intent, ``previous`` the last question
    in this chat (for follow-ups), ``plain`` a message that is not a command. Answers are
    pure for one data snapshot and day, so a repeated question is a dictionary lookup."""
    key = (text, default, previous, plain, lookup.today())
    return lookup.remember(key, lambda: _ask(lookup, text, default, previous, plain))


def _ask(lookup: Lookup, text: str, default: Intent, previous: Asked | None, plain: bool) -> Reply:
    reading = read(text, count_slot=default == "top")
    said_nothing = not (reading.partners or reading.has_period or reading.intents)
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
    if intent != "exports" and lookup.series != CUSTOMS_SERIES:
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
        notes.append(f"no value in US dollars is published for {label}, so this is in tonnes")
    asked = Asked(intent, tuple(p.code for p in partners), named)
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
    if intent == "top":
        count = [str(reading.count)] if reading.count is not None else []
        return " ".join(["/top", *when, *count])
    if intent == "summary":
        return " ".join(["/summary", *when])
    if intent == "chart":
        return " ".join(["/chart", *codes[:1], *when])
    command = "/exports" if lookup.series == CUSTOMS_SERIES else "/comtrade"
    return " ".join([command, " vs ".join(codes), *when]).replace("  ", " ").strip()


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
            return ChartRequest(f"top {period.code}")
        return ChartRequest(" ".join(p for p in (partners[0].code if partners else "", when) if p))
    if intent == "compare":
        if len(partners) < 2:
            return lookup.problem(
                "To compare, name two or more partners, for example /exports US vs DE."
            )
        return lookup.compare_for(partners, period)
    return lookup.exports_for(partners[0] if partners else partner(WORLD), period)
