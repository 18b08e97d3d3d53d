"""Telegram HTML for ``/materials``: every material with its unit, coverage and next release.

Every dynamic value passes through :func:`bot.render.format.esc`; the messages are at most
4096 characters (the nine series fit in one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo, project_catalog
from bot.i18n import Language, tr
from bot.i18n.formats import listing, locale, period_label, short_label
from bot.materials import MaterialRow, Release
from bot.reading.periods import Period, PeriodError
from bot.render.format import esc, fit, per_unit
from bot.render.material import capital, chinese_word, command_word

#: The help's example of a material asked for (one with a figure: the tests check it), and of
#: every material at once.
MATERIAL_EXAMPLE = "/exports gallium DE 2025-10"
ALL_EXAMPLE = "/exports all DE 2025-10"


def day(when: date, language: Language = "en") -> str:
    """``20 May 2026`` / ``2026年5月20日``."""
    if language == "en":
        return f"{when.day} {when:%b %Y}"
    from babel.dates import format_date

    return format_date(when, "long", locale=locale(language))


def _title(position: int, row: MaterialRow, language: Language) -> str:
    """``1. Rare-earth magnets · 稀土永磁体 · in tonnes``: its name, its name in the other
    language, its unit."""
    info = row.info
    if language == "en":
        name, other, unit = capital(info.name), info.name_zh, info.unit
    else:
        name, other, unit = info.name_zh or info.name, info.name, per_unit(info.unit, language)
    if info.key == CUSTOMS_SERIES:
        return tr(
            language,
            "<b>{position}. {name}</b> · {other_name} · in {unit} · the default",
            position=position,
            name=esc(name),
            other_name=esc(other),
            unit=esc(unit),
        )
    return tr(
        language,
        "<b>{position}. {name}</b> · {other_name} · in {unit}",
        position=position,
        name=esc(name),
        other_name=esc(other),
        unit=esc(unit),
    )


def _coverage(row: MaterialRow, language: Language) -> list[str]:
    if not row.has_figures:
        return [tr(language, "No figures loaded yet.")]
    if row.first_month is None or row.latest_month is None:
        spans = " · ".join(esc(period_label(span, language)) for span in row.spans)
        return [
            tr(language, "No monthly figures; totals of spans only: {spans}", spans=spans),
            tr(language, "Latest month: none"),
        ]
    first, latest = row.first_month, row.latest_month
    return [
        tr(
            language,
            "Months: {first} to {latest} ({n} with a figure)",
            first=esc(short_label(first, language)),
            latest=esc(short_label(latest, language)),
            n=row.months_with_figures,
        ),
        tr(language, "Latest month: <b>{month}</b>", month=esc(short_label(latest, language))),
    ]


def _release(release: Release | None, language: Language) -> list[str]:
    if release is None:
        return []
    month = esc(short_label(release.month, language))
    expected = esc(day(release.expected, language))
    if release.overdue:
        return [
            tr(
                language,
                "Next: {month}, expected about {date} (overdue: not in the data yet)",
                month=month,
                date=expected,
            )
        ]
    return [tr(language, "Next: {month}, expected about {date}", month=month, date=expected)]


def _described(row: MaterialRow, language: Language) -> str:
    """What the series is. In English its description's first sentence and the codes that
    sentence does not name; in Chinese (the descriptions are written in English) what the
    description's fields say: customs codes, export control since, release."""
    if language == "en":
        codes = f" Codes: {esc(', '.join(row.codes))}." if row.codes else ""
        return f"{esc(row.covers)}{codes}"
    info = row.info
    facts = []
    if info.codes:
        facts.append(tr(language, "Customs codes: {codes}", codes=esc(", ".join(info.codes))))
    if info.controlled_since:
        try:
            since = esc(period_label(Period.parse_code(info.controlled_since), language))
        except PeriodError:
            since = esc(info.controlled_since)
        facts.append(tr(language, "Export controls since {period}", period=since))
    if info.release == "preliminary":
        facts.append(
            tr(
                language,
                "Released with customs' preliminary totals, about day {day} of the next month",
                day=info.release_day,
            )
        )
    else:
        facts.append(
            tr(
                language,
                "Released with customs' detailed tables, about day {day} of the next month",
                day=info.release_day,
            )
        )
    return " · ".join(facts)


def material_block(position: int, row: MaterialRow, language: Language = "en") -> str:
    """One material's lines, ending with a command that asks for it."""
    return "\n".join(
        [
            _title(position, row, language),
            _described(row, language),
            *_coverage(row, language),
            *_release(row.next_release, language),
            esc(row.example if language == "en" else _example(row.info, language)),
        ]
    )


def _example(info: SeriesInfo, language: Language) -> str:
    """The command that asks for a material in ``language``: ``/exports 镓``."""
    return f"/exports {chinese_word(info) or command_word(info, language)}".rstrip()


def materials_text(rows: list[MaterialRow], language: Language = "en") -> list[str]:
    """The ``/materials`` reply: a header, then one block per material."""
    if not rows:
        return [tr(language, "No materials are described in the data folder.")]
    default = next((row.info for row in rows if row.info.key == CUSTOMS_SERIES), None)
    if default is not None:
        name = default.name if language == "en" else default.name_zh or default.name
        header = tr(
            language,
            "📦 <b>Materials</b>: {n} series of China's exports. Name one in a command, with "
            "a partner and a month if you like; without one, the answer is for {default}. "
            "Quantities stay in each series' unit.",
            n=len(rows),
            default=esc(name),
        )
    else:
        header = tr(
            language,
            "📦 <b>Materials</b>: {n} series of China's exports. Name one in a command, with "
            "a partner and a month if you like. Quantities stay in each series' unit.",
            n=len(rows),
        )
    blocks = [material_block(i, row, language) for i, row in enumerate(rows, start=1)]
    return fit([header, *blocks])


def materials_help(
    materials: Sequence[SeriesInfo] | None = None, language: Language = "en"
) -> list[str]:
    """The lines ``/help`` and ``/start`` give the materials: each one's names (the
    project's catalog unless ``materials`` are given) and how to ask for one."""
    found = project_catalog().materials if materials is None else materials
    names = []
    for info in found:
        if language == "zh":  # the Chinese name alone: it is also what a command takes
            name = esc(info.name_zh or info.name)
            default = tr(language, "{name} (the default)", name=name)
            names.append(default if info.key == CUSTOMS_SERIES else name)
            continue
        values = {"name": esc(info.name), "name_zh": esc(info.name_zh)}
        if info.key == CUSTOMS_SERIES:
            names.append(tr(language, "{name} {name_zh} (the default)", **values))
        else:
            names.append(tr(language, "{name} {name_zh}", **values))
    listed = listing(names, language)
    return [
        "<b>" + tr(language, "Materials") + "</b>",
        tr(language, "{materials}.", materials=listed),
        tr(
            language,
            "{command}: name a material before the partner and period",
            command=tr(language, "/exports gallium DE 2025-10"),
        ),
        tr(
            language,
            "{command}: every material for one partner and month",
            command=tr(language, "/exports all DE 2025-10"),
        ),
        tr(language, "/materials: each material's unit, months covered and next release"),
    ]
