"""A question in its context: which answer it asks for, about which material, and what the
bot understood (see :mod:`bot.conversation.question` and :mod:`bot.conversation.material`)."""

from bot.conversation.material import EVERY_MATERIAL, Asking, ask_about
from bot.conversation.question import ask, chart_asked, unit_notes
from bot.conversation.replies import (
    SERIES_ONLY_EXPORTS,
    SINGLE_ANSWERS,
    TOO_LONG,
    Answer,
    Asked,
    ChartRequest,
    Heard,
    MaterialsList,
    NoData,
    OtherTrade,
    Reply,
    Unclear,
)

__all__ = [
    "EVERY_MATERIAL",
    "SERIES_ONLY_EXPORTS",
    "SINGLE_ANSWERS",
    "TOO_LONG",
    "Answer",
    "Asked",
    "Asking",
    "ChartRequest",
    "Heard",
    "MaterialsList",
    "NoData",
    "OtherTrade",
    "Reply",
    "Unclear",
    "ask",
    "ask_about",
    "chart_asked",
    "unit_notes",
]
