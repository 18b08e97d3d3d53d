"""A question in its context: which answer it asks for, and what the bot understood.

:func:`ask` reads the text with the grammar, fills a follow-up ("what about Japan?", "and the
month before?") from the previous question, chooses the answer (the figures, a ranking, a
chart, the summary, the sources, or partners side by side) and returns it with a
:class:`Heard`: how each choice the words left open was made and which words were not
understood, so the reply can say so. Pure Python; the renderer writes the text.
"""

from __future__ import annotations

from dataclasses import replace

from bot.conversation.replies import (
    SERIES_ONLY_EXPORTS,
    TOO_LONG,
    Answer,
    Asked,
    ChartRequest,
    Heard,
    OtherTrade,
    Reply,
    Unclear,
)
from bot.data.series import SeriesInfo
from bot.i18n import Named, Said, either, in_quotes, said
from bot.lookup import (
    Lookup,
    MonthAnswer,
    NotUnderstood,
    PartnerProblem,
    PeriodProblem,
    Resolved,
    SpanAnswer,
)
from bot.metrics import WORLD
from bot.reading.grammar import Intent, Reading, read
from bot.reading.partners import Partner, partner
from bot.reading.period_grammar import Latest, Relative
from bot.reading.periods import Period
from bot.series_choice import BEFORE, IN_CONVERSATION, ask_again, in_both, series_word

#: The intents answered with one partner's figures (and their partner shown).
ONE_PARTNER: tuple[Intent, ...] = ("exports", "sources", "chart")


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
    # read(text) as every other reader calls it, so the memo reads each text once
    reading = read(text, True) if default == "top" else read(text)
    said_nothing = not (reading.partners or reading.has_period or reading.intents or material)
    if plain and said_nothing and not reading.follow_up:
        return Reply(NotUnderstood(text), Heard(unknown=reading.unknown))
    buyers = reading.intent == "top" and not any(p.weak for p in reading.partners)
    if reading.direction == "to_china" or (reading.direction == "imports" and not buyers):
        return Reply(OtherTrade(reading.direction), Heard(unknown=reading.unknown))
    if reading.too_long:
        return Reply(Unclear((), "", TOO_LONG), Heard())
    follow = previous if reading.follow_up or only_period(reading, previous) else None
    notes: list[Said] = []
    found = lookup.partners_of(reading)
    if isinstance(found, PartnerProblem):
        wanted = reading.intent or default
        slash = wanted if wanted in ("chart", "sources") else "exports"
        again = ask_again(slash, lookup.series, reading, found.problem.text)
        typed = found.problem.text  # the words read as a name are named in the problem
        unknown = tuple(w for w in _not_partner(reading) if w != typed)
        return Reply(replace(found, ask_again=again), Heard(unknown=unknown))
    partners = found
    if not partners and follow is not None and follow.partners:
        partners = tuple(partner(code) for code in follow.partners)
        notes.append(said("following your last question: {partners}", partners=partners))
    # several partners compare them, unless the command asks for a whole-month answer itself
    several = len(partners) > 1 and default not in ("top", "summary")
    intent = reading.intent or ("compare" if several else None)
    if intent == "sources" and len(partners) > 1:
        intent = "compare"  # the table of several partners footnotes each figure's source
    if intent is None and follow is not None:
        # a partner named after a ranking or summary asks for that partner's figures
        named_partner = bool(reading.partners) and follow.intent in ("top", "summary")
        intent = "exports" if named_partner else follow.intent
    intent = intent or default
    if intent == "materials":
        intent = "exports"  # the list of materials is asked of every series (ask_about)
    if intent == "compare" and len(partners) < 2 and reading.intent is None:
        intent = "exports"  # "what about Japan?" after a comparison asks about Japan alone
    if intent not in ("exports", "sources") and lookup.info.reference:
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
        notes.append(
            said(
                "imports from China answered with China's exports to {partners}, as China's "
                "customs record them; the buyer's own import statistics can differ",
                partners=partners,
            )
        )
    if intent == "chart" and named is None:
        period_shown: Period | None = None  # a chart without a period shows every month
        notes = [n for n in notes if n != resolved.note]
    else:
        period_shown = period
    shown = partners if intent in (*ONE_PARTNER, "compare") else ()
    notes += unit_notes(lookup.info, reading.units)
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
        period = answer.metrics.period
        if lookup.info.unit == "kg":
            note = said(
                "no value in US dollars is published for {period}, so this is in kilograms",
                period=period,
            )
        else:
            note = said(
                "no value in US dollars is published for {period}, so this is in tonnes",
                period=period,
            )
        notes.append(note)
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
    command = ["/comtrade"] if lookup.info.reference else [f"/{_slash(intent)}", *word]
    return " ".join([*command, " vs ".join(codes), *when]).replace("  ", " ").strip()


def _slash(intent: Intent) -> str:
    return "sources" if intent == "sources" else "exports"


def only_period(reading: Reading, previous: Asked | None) -> bool:
    """True for "the month before" alone: it follows the previous question even without
    "and"."""
    return (
        previous is not None
        and isinstance(reading.period, Relative)
        and reading.period.name in BEFORE
    )


def unit_notes(info: SeriesInfo, units: tuple[tuple[str, str], ...]) -> list[Said]:
    """A unit named that is not the series' own (``gallium in tonnes``): said, since figures
    are never converted; the series' own unit needs no word."""
    if not units:
        return []
    other = list(dict.fromkeys(typed for typed, unit in units if unit != info.unit))
    if not other:
        return []
    words = tuple(in_quotes(word) for word in other)
    unit = Named(info.unit, "千克" if info.unit == "kg" else "吨")
    if info.name.endswith("s"):
        return [
            said(
                "{material} are published in {unit}, and figures are never converted: "
                "this is in {unit}, not {words}",
                material=in_both(info),
                unit=unit,
                words=words,
            )
        ]
    return [
        said(
            "{material} is published in {unit}, and figures are never converted: "
            "this is in {unit}, not {words}",
            material=in_both(info),
            unit=unit,
            words=words,
        )
    ]


def _not_partner(reading: Reading) -> tuple[str, ...]:
    return tuple(w for w in reading.unknown if w not in {p.text for p in reading.partners})


def _period(
    lookup: Lookup,
    reading: Reading,
    partners: tuple[Partner, ...],
    intent: Intent,
    follow: Asked | None,
    notes: list[Said],
) -> Resolved | PeriodProblem:
    spec = reading.period
    previous = follow.period if follow is not None else None
    if previous is not None and isinstance(spec, Relative) and spec.name in IN_CONVERSATION:
        spec = Relative(IN_CONVERSATION[spec.name])  # 上个月呢? after June: May, not today's
    if follow is not None and isinstance(spec, Latest) and previous is not None:
        notes.append(said("the period of your last question: {period}", period=previous))
        return Resolved(previous)
    if previous is None and follow is not None and isinstance(spec, Relative):
        latest = lookup.resolve(Latest(), follow.partners[0] if follow.partners else WORLD)
        previous = latest.period if isinstance(latest, Resolved) else None
    if isinstance(spec, Latest) and intent == "compare" and len(partners) > 1:
        return lookup.common_latest(partners)
    code = partners[0].code if len(partners) == 1 and intent in ONE_PARTNER else WORLD
    return lookup.resolve(spec, code, previous)


def _answer(
    lookup: Lookup,
    intent: Intent,
    partners: tuple[Partner, ...],
    period: Period,
    named: Period | None,
    reading: Reading,
    notes: list[Said],
) -> Answer:
    if intent in ("top", "summary") and partners:
        if intent == "top" and len(partners) > 1:
            note = said(
                "the ranking covers every partner, so {partners} are not picked out",
                partners=partners,
            )
        elif intent == "top":
            note = said(
                "the ranking covers every partner, so {partners} is not picked out",
                partners=partners,
            )
        elif len(partners) > 1:
            note = said(
                "the summary covers every partner, so {partners} are not picked out",
                partners=partners,
            )
        else:
            note = said(
                "the summary covers every partner, so {partners} is not picked out",
                partners=partners,
            )
        notes.append(note)
    if intent == "top":
        return lookup.top_for(period, reading.count)
    if intent == "summary":
        return lookup.summary_for(period)
    if intent == "chart":
        if len(partners) > 1:
            options = either(tuple(f"/chart {p.code}" for p in partners))
            return lookup.problem(
                said("A chart shows one partner; try {options}.", options=options)
            )
        when = named.code if named is not None else ""
        if "top" in reading.intents and not partners:  # "top buyers chart june 2025"
            return ChartRequest(f"top {period.code}", lookup.series)
        who = partners[0].code if partners else ""
        return ChartRequest(" ".join(p for p in (who, when) if p), lookup.series)
    if intent == "compare":
        if len(partners) < 2:
            return lookup.problem(
                said("To compare, name two or more partners, for example /exports US vs DE.")
            )
        return lookup.compare_for(partners, period)
    return lookup.exports_for(partners[0] if partners else partner(WORLD), period)


def chart_asked(lookup: Lookup, text: str) -> Asked | None:
    """What ``/chart`` asked (``DE 2025-07``, ``top 2025-06``), kept like any question so
    that a follow-up ("那日本呢") follows the chart; ``None`` when it named no one partner
    and period that can be read."""
    reading = read(text)
    if reading.unknown or reading.period_error:
        return None
    who = lookup.partners_of(reading)
    if isinstance(who, PartnerProblem) or len(who) > 1:
        return None
    top = "top" in reading.intents
    period = None
    if reading.has_period or top:
        found = lookup.resolve(reading.period, who[0].code if who and not top else WORLD)
        if not isinstance(found, Resolved):
            return None
        period = found.period
    intent: Intent = "top" if top else "chart"
    return Asked(intent, tuple(p.code for p in who), period, lookup.series)
