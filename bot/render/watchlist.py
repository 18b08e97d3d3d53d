"""The short message a watchlist gets after a new month of its series: just the watched
partners' lines (quantity, m/m, y/y and share, each quantity with its source mark, and the
sources), as ``/compare`` tables them, headed as the chat's watchlist."""

from __future__ import annotations

from bot.data.dataset import CUSTOMS_SERIES
from bot.i18n import Language, tr
from bot.i18n.formats import period_label
from bot.lookup import CompareAnswer
from bot.render.conversation import compare
from bot.render.format import MAX_MESSAGE, esc
from bot.series_choice import material_name


def watchlist_heading(answer: CompareAnswer, language: Language = "en") -> str:
    """``👀 Your watchlist: gallium, December 2025 is out``."""
    when = esc(period_label(answer.period, language))
    if answer.series == CUSTOMS_SERIES:
        return "👀 " + tr(language, "Your watchlist: {period} is out", period=when)
    material = esc(material_name(answer.series, language))
    return "👀 " + tr(
        language, "Your watchlist: {material}, {period} is out", material=material, period=when
    )


def watchlist_message(answer: CompareAnswer, language: Language = "en") -> list[str]:
    """The heading and the watched partners' table, sources and commands (one message
    unless the watchlist is very long)."""
    head = watchlist_heading(answer, language)
    parts = compare(answer, language)
    if len(head) + 1 + len(parts[0]) <= MAX_MESSAGE:
        return [head + "\n" + parts[0], *parts[1:]]
    return [head, *parts]
