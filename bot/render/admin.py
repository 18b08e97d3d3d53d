"""Telegram HTML for the operator's ``/reload``: what the new data changed, or why not.

Each series is named from its description (a catalog: the project's unless one is given) and
its quantities carry their unit (``t``, ``kg``).
"""

from __future__ import annotations

from bot.data.dataset import DataFileError, exact
from bot.data.series import UNITS, Catalog, project_catalog
from bot.datastore import DataChanges, StillChanging, ValueChange
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.records import ReleaseReport
from bot.render.format import esc, fit

LISTED = 10  # changed figures listed by name; the rest are counted
MAX_ERROR = 3000  # characters of a loader's message, so the reply stays one message


def series_name(series: str, catalog: Catalog | None = None) -> str:
    """The operator's name of a series: ``China 85051110`` (a tariff line's key),
    ``China gallium``, ``UN Comtrade HS 850511`` (a reference series); an undescribed key
    as ``China <key>``."""
    info = (catalog or project_catalog()).get(series)
    if info is None or series in info.codes:
        return f"China {series}"
    return info.name if info.reference else f"China {info.name}"


def _amount(value: float | None, metric: str) -> str:
    if value is None:
        return "none"
    text = exact(value)
    if metric == "usd":
        return f"${text}"
    unit = next((label for name, label in UNITS.items() if name in metric), "")
    return f"{text} {unit}" if unit else text


def _change(change: ValueChange) -> str:
    period, code, metric = change.key
    label = Period.parse_code(period).label
    what = f"{partner(code).name}, {label}" + ("" if metric in UNITS else f" ({metric})")
    return f"• {esc(what)}: {_amount(change.before, metric)} → {_amount(change.after, metric)}"


def _series_lines(changes: DataChanges, catalog: Catalog | None) -> list[str]:
    lines: list[str] = []
    for series, series_changes in changes.changes.items():
        if series_changes:
            lines += _series_block(series, series_changes, catalog)
    return lines


def _series_block(
    series: str, changes: tuple[ValueChange, ...], catalog: Catalog | None = None
) -> list[str]:
    added = sum(1 for c in changes if c.before is None)
    withdrawn = sum(1 for c in changes if c.after is None)
    revised = len(changes) - added - withdrawn
    name = series_name(series, catalog)
    lines = [f"<b>{esc(name)}</b>: {added} added, {revised} revised, {withdrawn} withdrawn"]
    lines += [_change(c) for c in changes if c.before is not None][:LISTED]
    if revised + withdrawn > LISTED:
        lines.append(f"… and {revised + withdrawn - LISTED} more")
    return lines


def reload_report(
    changes: DataChanges, releases: ReleaseReport | None, catalog: Catalog | None = None
) -> list[str]:
    """What ``/reload`` found: version, new imports, changed figures (each series named from
    ``catalog``, the project's by default), what was queued."""
    if changes.unchanged:
        return [f"✅ The data folder is unchanged (version <code>{esc(changes.after)}</code>)."]
    lines = [
        f"🔄 <b>Data reloaded</b>: version <code>{esc(changes.before)}</code> → "
        f"<code>{esc(changes.after)}</code>"
    ]
    for record in changes.new_imports:
        lines.append(
            f"New {esc(record.label)}: {record.figures} figures "
            f"({record.added} new, {record.revised} revised)"
        )
    lines += _series_lines(changes, catalog)
    if releases is not None and (releases.announced or releases.revised):
        parts = []
        if releases.announced:
            months = ", ".join(Period.parse_code(m).label for m in releases.announced)
            parts.append(f"new month {esc(months)}")
        if releases.revised:
            months = ", ".join(Period.parse_code(m).label for m in releases.revised)
            parts.append(f"revision notice for {esc(months)}")
        lines.append(f"Queued {releases.queued} message(s): {'; '.join(parts)}")
    return fit(["\n".join(lines)])


def reload_held(changes: DataChanges, catalog: Catalog | None = None) -> list[str]:
    """A reload held back because it would withdraw figures, and how to apply it."""
    lines = [
        f"⏸ <b>Reload held back</b>: the data folder's version <code>{esc(changes.after)}</code> "
        f"would withdraw {changes.withdrawn} figures. Still serving version "
        f"<code>{esc(changes.before)}</code>; nothing is announced or sent.",
        *_series_lines(changes, catalog),
        "A file cut short (a copy caught mid-write) withdraws figures: restore it and /reload. "
        "If the withdrawal is meant, send /reload confirm to apply this version.",
    ]
    return fit(["\n".join(lines)])


def reload_rejected(error: DataFileError, version: str) -> str:
    if isinstance(error, StillChanging):
        return (
            f"⏳ <b>Not reloaded yet</b>: {esc(str(error)[:MAX_ERROR])}\n"
            f"Still serving the previous data (version <code>{esc(version)}</code>). "
            "/reload again once the copy has finished."
        )
    return (
        f"⚠️ <b>Reload rejected</b>: {esc(str(error)[:MAX_ERROR])}\n"
        f"Still serving the previous data (version <code>{esc(version)}</code>). "
        "Fix the file and /reload again."
    )
