"""Telegram HTML for the operator's ``/reload``: what the new data changed, or why not."""

from __future__ import annotations

from bot.data.dataset import COMTRADE_SERIES, DataFileError, exact
from bot.datastore import DataChanges, StillChanging, ValueChange
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.records import ReleaseReport
from bot.render.format import esc, fit

SERIES_NAMES = {COMTRADE_SERIES: "UN Comtrade HS 850511"}
LISTED = 10  # changed figures listed by name; the rest are counted
MAX_ERROR = 3000  # characters of a loader's message, so the reply stays one message


def _amount(value: float | None, metric: str) -> str:
    if value is None:
        return "none"
    text = exact(value)
    return f"${text}" if metric == "usd" else f"{text} t" if "tonnes" in metric else text


def _change(change: ValueChange) -> str:
    period, code, metric = change.key
    label = Period.parse_code(period).label
    what = f"{partner(code).name}, {label}" + ("" if metric == "tonnes" else f" ({metric})")
    return f"• {esc(what)}: {_amount(change.before, metric)} → {_amount(change.after, metric)}"


def _series_lines(changes: DataChanges) -> list[str]:
    lines: list[str] = []
    for series, series_changes in changes.changes.items():
        if series_changes:
            lines += _series_block(series, series_changes)
    return lines


def _series_block(series: str, changes: tuple[ValueChange, ...]) -> list[str]:
    added = sum(1 for c in changes if c.before is None)
    withdrawn = sum(1 for c in changes if c.after is None)
    revised = len(changes) - added - withdrawn
    name = SERIES_NAMES.get(series, f"China {series}")
    lines = [f"<b>{esc(name)}</b>: {added} added, {revised} revised, {withdrawn} withdrawn"]
    lines += [_change(c) for c in changes if c.before is not None][:LISTED]
    if revised + withdrawn > LISTED:
        lines.append(f"… and {revised + withdrawn - LISTED} more")
    return lines


def reload_report(changes: DataChanges, releases: ReleaseReport | None) -> list[str]:
    """What ``/reload`` found: version, new imports, changed figures, what was queued."""
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
    lines += _series_lines(changes)
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


def reload_held(changes: DataChanges) -> list[str]:
    """A reload held back because it would withdraw figures, and how to apply it."""
    lines = [
        f"⏸ <b>Reload held back</b>: the data folder's version <code>{esc(changes.after)}</code> "
        f"would withdraw {changes.withdrawn} figures. Still serving version "
        f"<code>{esc(changes.before)}</code>; nothing is announced or sent.",
        *_series_lines(changes),
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
