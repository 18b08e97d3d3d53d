"""The material a question is about, and the questions about materials as such.

:func:`ask_about` chooses the series a question names (:func:`bot.series_choice.choose`):
rare-earth magnets when it names none, the previous question's in a follow-up ("and
Japan?" after gallium), every material for ``/exports all JP`` (and its follow-ups: "那上个
月呢" after it is every material again, a month earlier), the list of materials for "有哪些
材料", and a plain word on ``/comtrade`` with another material named.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.conversation.question import ask, only_period
from bot.conversation.replies import (
    Asked,
    Heard,
    MaterialsList,
    NoData,
    Reply,
    Unclear,
)
from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES
from bot.data.series import Catalog
from bot.i18n import Named, said
from bot.lookup import Lookup, NoSeries, PartnerProblem
from bot.materials import materials
from bot.metrics import WORLD
from bot.reading.grammar import Intent, Reading, read
from bot.series_choice import (
    AllMaterials,
    Earlier,
    Lookups,
    ask_again,
    choose,
    every_material,
    in_both,
    kept_words,
    two_materials,
    with_series,
)

#: How an answer about every material names what it is about, in "I read this as".
EVERY_MATERIAL = Named("every material", "所有材料")


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
    materials, a material's name mistyped, ``/exports all`` and the list of materials get
    their own answers."""
    base = lookups(CUSTOMS_SERIES)
    leading_all = default == "exports" and series is None
    choice = choose(catalog, text, leading_all, chinese_only=plain)
    if series is not None and choice.series not in (None, series):
        return Asking(_other_material(catalog, series, choice.series or series, choice.rest), base)
    if choice.problem is not None:
        return Asking(Reply(choice.problem, Heard(), None, default), base)
    reading = read(choice.rest)
    chosen = series or choice.series
    if reading.intent == "materials" and chosen is None and not choice.everything:
        if not (reading.partners or reading.has_period):
            rows = materials(base.snapshot, base.today())
            return Asking(Reply(MaterialsList(tuple(rows)), Heard(), None, "materials"), base)
        choice = replace(choice, everything=True, rest=_without_intent(reading))
    if choice.everything:
        return Asking(_every(lookups, catalog, choice.rest, None), base)
    followed = chosen is None and previous is not None and _follows(reading, previous)
    if followed and previous is not None and previous.everything and not reading.intents:
        earlier = Earlier(previous.partners, previous.period)
        return Asking(_every(lookups, catalog, choice.rest, earlier), base)
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
    heard = replace(reply.heard, material=in_both(info))
    if followed and chosen != CUSTOMS_SERIES:
        note = said("{material}, as your last question", material=in_both(info))
        heard = replace(heard, notes=(note, *heard.notes))
    return Asking(replace(reply, heard=heard), lookup)


def _follows(reading: Reading, previous: Asked) -> bool:
    """Whether the words follow the previous question (and so keep its material)."""
    return reading.follow_up or only_period(reading, previous)


def _without_intent(reading: Reading) -> str:
    """The words of a reading without its "materials" word: its partners and period."""
    codes, period = kept_words(reading)
    return " ".join([*codes, period]).strip()


def _every(lookups: Lookups, catalog: Catalog, text: str, earlier: Earlier | None) -> Reply:
    """Every material for one partner and period, remembered for the next follow-up."""
    answer = every_material(lookups, catalog, text, earlier)
    if isinstance(answer, PartnerProblem):  # a suggestion asks for every material again
        again = ask_again("exports all", CUSTOMS_SERIES, read(text), answer.problem.text)
        answer = replace(answer, ask_again=again)
    if not isinstance(answer, AllMaterials):
        return Reply(answer, Heard(material=EVERY_MATERIAL), None, "exports")
    notes = answer.notes
    partners = (answer.partner,) if answer.partner.code != WORLD else ()
    heard = Heard(partners, answer.period, notes, (), EVERY_MATERIAL)
    codes = tuple(p.code for p in partners)
    asked = Asked("exports", codes, answer.period, CUSTOMS_SERIES, everything=True)
    return Reply(replace(answer, notes=()), heard, asked, "exports")


def _other_material(catalog: Catalog, series: str, named: str, rest: str) -> Reply:
    """A material named on a command that fixes another series: ``/comtrade gallium`` is
    about UN Comtrade's HS 850511, which is permanent magnets only."""
    if series != COMTRADE_SERIES:
        return Reply(two_materials((catalog[series], catalog[named]), rest), Heard())
    codes, period = kept_words(read(rest))
    asked = " ".join(["/exports", with_series(named, " ".join([" vs ".join(codes), period]))])
    reason = said(
        "/comtrade answers from UN Comtrade's HS 850511, which is permanent magnets only (all "
        "metal permanent magnets, a broader product than China's 85051110), not {material}. "
        "For {material} ask {command}",
        material=in_both(catalog[named]),
        command=" ".join(asked.split()),
    )
    return Reply(Unclear((), "", reason), Heard())
