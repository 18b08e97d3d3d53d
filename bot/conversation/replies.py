"""What a question's reply holds: the answer, how the question was heard, and what it asked
(kept per private chat, so the next follow-up can reuse it)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.dataset import CUSTOMS_SERIES
from bot.i18n import Named, Said, said
from bot.lookup import (
    CompareAnswer,
    ExportsAnswer,
    MonthAnswer,
    NoFigure,
    NotUnderstood,
    PartnerProblem,
    PeriodProblem,
    Problem,
    SpanAnswer,
)
from bot.materials import MaterialRow
from bot.ranking import CountProblem, TopAnswer
from bot.reading.grammar import MAX_QUERY_CHARS, Intent
from bot.reading.partners import Partner
from bot.reading.periods import Period
from bot.series_choice import AllMaterials, MaterialTypo, TwoMaterials
from bot.summaries import SummaryAnswer


@dataclass(frozen=True)
class Asked:
    """What a question settled, kept per private chat for the next follow-up."""

    intent: Intent
    partners: tuple[str, ...]
    period: Period | None  # None: no period was named (the latest)
    #: The series asked about: a follow-up keeps it ("and Japan?" after gallium).
    series: str = CUSTOMS_SERIES
    #: Every material was asked for (``/exports all JP``): a follow-up asks for every one.
    everything: bool = False


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
    reason: Said | None = None


TOO_LONG = said(
    "That is longer than I read ({most} characters), so I have not answered: the rest may "
    "change the question. Ask one question at a time.",
    most=MAX_QUERY_CHARS,
)
SERIES_ONLY_EXPORTS = said(
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
class MaterialsList:
    """Which materials the bot knows ("有哪些材料", "which materials"), as ``/materials``
    lists them."""

    rows: tuple[MaterialRow, ...]


@dataclass(frozen=True)
class Heard:
    """How the question was read: the partners and period, the choices made, the words
    not understood."""

    partners: tuple[Partner, ...] = ()
    period: Period | None = None
    notes: tuple[Said, ...] = ()
    unknown: tuple[str, ...] = ()
    #: The material asked about, when one was named or followed ("gallium").
    material: Named | None = None

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
    | MaterialsList
)


#: Answers about one partner and period: the ones with buttons and with sources.
SINGLE_ANSWERS = (MonthAnswer, SpanAnswer, NoFigure, PartnerProblem, PeriodProblem)


@dataclass(frozen=True)
class Reply:
    answer: Answer
    heard: Heard
    asked: Asked | None = None
    intent: Intent = "exports"
