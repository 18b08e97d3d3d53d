"""Telegram HTML for ``/materials``: every material with its unit, coverage and next release.

Every dynamic value passes through :func:`bot.render.format.esc`; the messages are at most
4096 characters (the nine series fit in one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo, project_catalog
from bot.materials import MaterialRow, Release
from bot.render.format import esc, fit

#: The help's example of a material asked for (one with a figure: the tests check it), and of
#: every material at once.
MATERIAL_EXAMPLE = "/exports gallium DE 2025-10"
ALL_EXAMPLE = "/exports all DE 2025-10"


def day(when: date) -> str:
    """``20 May 2026``."""
    return f"{when.day} {when:%b %Y}"


def _title(position: int, row: MaterialRow) -> str:
    info = row.info
    name = info.name[:1].upper() + info.name[1:]
    default = " · the default" if info.key == CUSTOMS_SERIES else ""
    return f"<b>{position}. {esc(name)}</b> · {esc(info.name_zh)} · in {esc(info.unit)}{default}"


def _coverage(row: MaterialRow) -> list[str]:
    if not row.has_figures:
        return ["No figures loaded yet."]
    if row.first_month is None or row.latest_month is None:
        spans = " · ".join(esc(span.label) for span in row.spans)
        return [f"No monthly figures; yearly only: {spans}", "Latest month: none"]
    first, latest = row.first_month, row.latest_month
    count = row.months_with_figures
    months = f"{count} with a figure" if count > 1 else "1 with a figure"
    return [
        f"Months: {esc(first.short_label)} to {esc(latest.short_label)} ({months})",
        f"Latest month: <b>{esc(latest.short_label)}</b>",
    ]


def _release(release: Release | None) -> list[str]:
    if release is None:
        return []
    late = " (overdue: not in the data yet)" if release.overdue else ""
    return [
        f"Next: {esc(release.month.short_label)}, expected about {esc(day(release.expected))}{late}"
    ]


def material_block(position: int, row: MaterialRow) -> str:
    """One material's lines, ending with a command that asks for it."""
    codes = f" Codes: {esc(', '.join(row.codes))}." if row.codes else ""
    return "\n".join(
        [
            _title(position, row),
            f"{esc(row.covers)}{codes}",
            *_coverage(row),
            *_release(row.next_release),
            esc(row.example),
        ]
    )


def materials_text(rows: list[MaterialRow]) -> list[str]:
    """The ``/materials`` reply: a header, then one block per material."""
    if not rows:
        return ["No materials are described in the data folder."]
    default = next((row.info.name for row in rows if row.info.key == CUSTOMS_SERIES), "")
    otherwise = f"; without one, the answer is for {esc(default)}" if default else ""
    header = (
        f"📦 <b>Materials</b>: {len(rows)} series of China's exports. Name one in a command, "
        f"with a partner and a month if you like{otherwise}. Quantities stay in each "
        "series' unit."
    )
    blocks = [material_block(i, row) for i, row in enumerate(rows, start=1)]
    return fit([header, *blocks])


def materials_help(materials: Sequence[SeriesInfo] | None = None) -> list[str]:
    """The lines ``/help`` and ``/start`` give the materials: each one's names (the
    project's catalog unless ``materials`` are given) and how to ask for one."""
    found = project_catalog().materials if materials is None else materials
    names = ", ".join(
        f"{esc(info.name)} {esc(info.name_zh)}"
        + (" (the default)" if info.key == CUSTOMS_SERIES else "")
        for info in found
    )
    return [
        "<b>Materials</b>",
        f"{names}.",
        f"{MATERIAL_EXAMPLE}: name a material before the partner and period",
        f"{ALL_EXAMPLE}: every material for one partner and month",
        "/materials: each material's unit, months covered and next release",
    ]
