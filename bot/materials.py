"""The materials the bot knows, as ``/materials`` lists them: one row per series.

Each row says what the series is (from its description in ``data/series/``), what the loaded
figures cover (the first and latest month with a figure, or the yearly spans of a series
published only as years and year-to-date totals), and when the next month is expected. Pure
Python: the renderer (:mod:`bot.render.materials`) writes the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.data.series import SeriesInfo
from bot.datastore import Snapshot
from bot.metrics import Metrics
from bot.reading.periods import Period

#: Where a description's first sentence ends: a full stop before a capital or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


@dataclass(frozen=True)
class Release:
    """The next month expected, and when: ``overdue`` once today is past that day."""

    month: Period
    expected: date
    overdue: bool


@dataclass(frozen=True)
class MaterialRow:
    """One material as ``/materials`` lists it. The coverage fields are empty for a series
    described but without figures (``has_figures`` is false)."""

    info: SeriesInfo
    #: The description's first sentence.
    covers: str
    #: Customs codes the description gives that its first sentence does not name.
    codes: tuple[str, ...]
    #: A word that asks for the series in a command (``gallium``, ``rare-earths``).
    word: str
    has_figures: bool = False
    #: The first and latest month with a monthly figure (any partner); ``None`` without one.
    first_month: Period | None = None
    latest_month: Period | None = None
    #: How many months between them have a figure.
    months_with_figures: int = 0
    #: The spans (years, years to date) of a series that has no monthly figure.
    spans: tuple[Period, ...] = ()
    #: The next month and its expected release; ``None`` for a series without figures.
    next_release: Release | None = None

    @property
    def example(self) -> str:
        """The command that asks for it: ``/exports gallium``."""
        return f"/exports {self.word}"


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it is one sentence)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def command_word(info: SeriesInfo) -> str:
    """The first of the series' names that is one Latin word (``rare-earths``), so a command
    reads it whole; the key when none is."""
    for word in (info.name, *info.words):
        if word.isascii() and " " not in word.strip():
            return word.strip().lower()
    return info.key


def _spans(metrics: Metrics) -> tuple[Period, ...]:
    """The spans a series' figures are published for, oldest first."""
    spans = [Period.parse_code(code) for code in metrics.resolved.periods(metrics.unit)]
    ordered = sorted(
        (p for p in spans if not p.is_month), key=lambda p: (p.year, p.first_month, p.last_month)
    )
    return tuple(ordered)


def material_row(info: SeriesInfo, metrics: Metrics | None, today: date) -> MaterialRow:
    """``info``'s row from its loaded figures (``None``: none are loaded)."""
    covers = first_sentence(info.description)
    codes = tuple(code for code in info.codes if code not in covers)
    row = MaterialRow(info, covers, codes, command_word(info))
    if metrics is None:
        return row
    months = sorted({m for p in metrics.partners() for m in metrics.months_with_data(p)})
    last = metrics.coverage.last_month  # a span-only series: the last month its spans cover
    expected = info.expected_release(last)
    release = Release(last.shift_months(1), expected, today > expected)
    if not months:
        return MaterialRow(
            info, covers, codes, row.word, True, spans=_spans(metrics), next_release=release
        )
    return MaterialRow(
        info,
        covers,
        codes,
        row.word,
        True,
        first_month=months[0],
        latest_month=months[-1],
        months_with_figures=len(months),
        next_release=release,
    )


def materials(snapshot: Snapshot, today: date) -> list[MaterialRow]:
    """Every material of the snapshot's catalog, in listing order (reference series such as
    UN Comtrade's are not materials)."""
    return [
        material_row(info, snapshot.series_metrics(info.key), today)
        for info in snapshot.catalog.materials
    ]
