"""The data operations: import a file, list the imports, fetch a UN Comtrade month.

Used by ``python -m bot data`` (:mod:`bot.data.cli`) and the scheduled Comtrade fetch. Each
returns an exit code and a report for people.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol, TextIO

from bot.data import comtrade
from bot.data.dataset import DataFileError, exact
from bot.data.importers import read_import
from bot.data.ledger import Outcome, record_import, records
from bot.reading.periods import Period, PeriodError

PICKED_UP = (
    "The running bot serves it after its next data check (RELEASE_CHECK_INTERVAL) "
    "or an operator's /reload."
)
PROGRESS_FROM_ROWS = 2000  # shorter files are checked in a blink


class DataSettings(Protocol):
    """The settings the data operations read; :class:`bot.config.Settings` has them. Named
    here so that the data wing does not import the runtime's configuration."""

    @property
    def data_dir(self) -> Path: ...

    @property
    def fetch_dir(self) -> Path: ...

    @property
    def comtrade_api_key(self) -> str | None: ...


def describe(outcome: Outcome) -> str:
    """The import report: counts, revised figures, skipped rows."""
    record = outcome.record
    if outcome.repeated:
        return (
            f"{record.file_name} was already imported as {record.label} "
            f"(same SHA-256); nothing changed."
        )
    periods = (
        ", ".join(record.periods)
        if len(record.periods) <= 6
        else (f"{record.periods[0]} to {record.periods[-1]}")
    )
    lines = [
        f"Imported {record.file_name} as import {record.number} ({record.source}): "
        f"{record.figures} figures for {periods}.",
        f"  {record.added} new, {record.revised} revised, {record.unchanged} unchanged.",
    ]
    for change in outcome.revised:
        _series, period, partner, metric = change.key
        before, after = exact(change.before), exact(change.after)
        lines.append(f"  Revised: {partner} {period} {metric}: {before} → {after}")
    lines += [f"  Skipped {item}" for item in record.skipped]
    lines.append(PICKED_UP)
    return "\n".join(lines)


def _progress(out: TextIO, name: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if total >= PROGRESS_FROM_ROWS:
            end = "\n" if done == total else ""
            out.write(f"\rchecking {name}: {done:,} of {total:,} rows{end}")
            out.flush()

    return show


def import_file(
    settings: DataSettings,
    path: Path,
    today: date,
    skip_unmapped: bool = False,
    err: TextIO | None = None,
) -> tuple[int, str]:
    """(exit code, report) for ``data import``: nothing is recorded unless all is valid."""
    try:
        batch = read_import(
            path, settings.data_dir, today, skip_unmapped, _progress(err or sys.stderr, path.name)
        )
        outcome = record_import(settings.data_dir, batch)
    except DataFileError as error:
        return 1, f"Import rejected, nothing changed: {error}"
    return 0, describe(outcome)


def list_imports(settings: DataSettings) -> tuple[int, str]:
    try:
        found = records(settings.data_dir)
    except DataFileError as error:
        return 1, str(error)
    if not found:
        return 0, "No imports yet. Import a file with: python -m bot data import FILE"
    lines = [
        f"{r.number:>4}  {r.imported_at}  {r.format:<8}  {r.series:<9}  "
        f"{r.figures:>5} figures ({r.added} new, {r.revised} revised)  {r.file_name}  "
        f"sha256 {r.sha256[:16]}"
        for r in found
    ]
    return 0, "\n".join(lines)


def fetch_comtrade(settings: DataSettings, period_text: str, today: date) -> tuple[int, str]:
    """(exit code, report) for ``data fetch comtrade --period YYYY-MM``."""
    try:
        period = Period.parse_code(period_text.strip())
    except PeriodError:
        period = None
    if period is None or not period.is_month:
        return 2, f"--period must be a month such as 2025-06, not {period_text!r}"
    result = comtrade.fetch(period, settings.fetch_dir, settings.comtrade_api_key)
    if isinstance(result, comtrade.NoData):
        return 0, f"UN Comtrade has no data for China's exports of 850511 in {period.label} yet."
    if isinstance(result, comtrade.FetchFailed):
        return 1, f"UN Comtrade fetch failed: {result.reason}"
    code, report = import_file(settings, result.path, today)
    return code, f"Fetched {result.rows} row(s) from UN Comtrade into {result.path}.\n{report}"
