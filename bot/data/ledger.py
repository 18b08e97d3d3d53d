"""The import ledger: every imported official file, kept in ``data/imports/``.

Each import is one folder, ``data/imports/0003-customs-1a2b3c4d/``, holding ``figures.csv``
(the file's figures in the data format, with a ``series`` column) and ``import.json`` (file
name, SHA-256, time, source, counts). A folder is written under a temporary name and renamed
into place, so an import is all or nothing and the folder the bot reads is always whole.

Nothing is ever overwritten. For each (series, period, partner, metric) the latest import
wins; the values it replaced are kept as the figure's history (a revision).
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from bot.data.dataset import COLUMNS, DataFileError, Figure, Revision, read_bytes
from bot.data.table import load_file
from bot.i18n import said

IMPORTS_DIR = "imports"
FIGURES_FILE = "figures.csv"
RECORD_FILE = "import.json"

FigureKey = tuple[str, str, str, str]  # (series, period, partner, metric)


def figure_key(figure: Figure) -> FigureKey:
    return (figure.series, figure.period, figure.partner, figure.metric)


@dataclass(frozen=True)
class ImportRecord:
    """What was imported, when and from where (``import.json``)."""

    number: int
    file_name: str
    sha256: str
    imported_at: str
    source: str
    format: str
    series: str
    figures: int
    added: int
    revised: int
    unchanged: int
    periods: tuple[str, ...]
    skipped: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"import {self.number} ({self.file_name}, {self.imported_at[:10]})"


@dataclass(frozen=True)
class Batch:
    """A validated file's figures, ready to be recorded."""

    file_name: str
    sha256: str
    source: str
    format: str
    series: str
    figures: tuple[Figure, ...]
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class RevisedFigure:
    key: FigureKey
    before: float
    after: float


@dataclass(frozen=True)
class Outcome:
    """The result of :func:`record_import`: the record, or the earlier one for a repeat."""

    record: ImportRecord
    repeated: bool
    revised: tuple[RevisedFigure, ...] = ()


def imports_folder(data_dir: Path) -> Path:
    return data_dir / IMPORTS_DIR


def _import_folders(data_dir: Path) -> list[Path]:
    folder = imports_folder(data_dir)
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and p.name[:1].isdigit() and (p / RECORD_FILE).is_file()
    )


def data_files(data_dir: Path) -> list[Path]:
    """Every file the served data is read from, in a stable order (for the data version)."""
    files = sorted(data_dir.glob("*.csv")) + sorted((data_dir / "notes").glob("*.md"))
    files += sorted((data_dir / "notes").glob("*/*.md"))  # each series' own notes
    files += sorted((data_dir / "series").glob("*.toml"))  # the series' descriptions
    files += sorted((data_dir / "changes").glob("*.csv"))
    files += sorted((data_dir / "translations").glob("zh.csv"))  # notes' Chinese texts
    for folder in _import_folders(data_dir):
        files += [folder / RECORD_FILE, folder / FIGURES_FILE]
    return files


def read_record(folder: Path) -> ImportRecord:
    path = folder / RECORD_FILE
    data = read_bytes(path)  # only a regular file
    try:
        raw = json.loads(data.decode("utf-8"))
        raw["periods"] = tuple(raw["periods"])
        raw["skipped"] = tuple(raw.get("skipped", ()))
        return ImportRecord(**raw)
    except (ValueError, TypeError, KeyError) as error:
        raise DataFileError(
            path, None, said("not a valid import record ({detail})", detail=str(error))
        ) from None


def records(data_dir: Path) -> list[ImportRecord]:
    """Every import, oldest first."""
    return [read_record(folder) for folder in _import_folders(data_dir)]


@dataclass(frozen=True)
class Ledger:
    """Every import's record, and the current imported figures with their earlier values."""

    records: tuple[ImportRecord, ...]
    figures: tuple[Figure, ...]


def read_ledger(data_dir: Path) -> Ledger:
    """Read every import once, oldest first: the latest import of a figure wins."""
    found: list[ImportRecord] = []
    current: dict[FigureKey, tuple[Figure, ImportRecord]] = {}
    for folder in _import_folders(data_dir):
        record = read_record(folder)
        found.append(record)
        relative = f"{IMPORTS_DIR}/{folder.name}/{FIGURES_FILE}"
        for figure in load_file(folder / FIGURES_FILE):
            figure = replace(figure, file=relative)
            key = figure_key(figure)
            if key in current:
                earlier, source = current[key]
                history = earlier.history
                if earlier.value != figure.value:
                    history += (Revision(earlier.value, earlier.decimals, source.label),)
                figure = replace(figure, history=history)
            current[key] = (figure, record)
    return Ledger(tuple(found), tuple(figure for figure, _record in current.values()))


def load_imported(data_dir: Path) -> tuple[Figure, ...]:
    """The current imported figures, each with its earlier values."""
    return read_ledger(data_dir).figures


def _revisions(current: Sequence[Figure], batch: Batch) -> tuple[int, list[RevisedFigure]]:
    """(new figures, revised figures) of ``batch`` against the current imported figures."""
    known = {figure_key(f): f.value for f in current}
    added = 0
    revised = []
    for figure in batch.figures:
        key = figure_key(figure)
        if key not in known:
            added += 1
        elif known[key] != figure.value:
            revised.append(RevisedFigure(key, known[key], figure.value))
    return added, revised


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One import at a time, across processes."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_figures(path: Path, figures: Sequence[Figure]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*COLUMNS, "series"])
        for f in figures:
            writer.writerow(
                [
                    f.period,
                    f.partner,
                    f.metric,
                    f"{f.value:.{f.decimals}f}",
                    f.status,
                    f.reliability,
                    f.source_title,
                    f.source_url,
                    f.derivation,
                    f.note,
                    f.series,
                ]
            )
        out.flush()
        os.fsync(out.fileno())


def record_import(data_dir: Path, batch: Batch, now: datetime | None = None) -> Outcome:
    """Record ``batch`` as the next import, atomically; a file imported before is a no-op."""
    folder = imports_folder(data_dir)
    with _locked(folder):
        for stale in folder.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted import
        ledger = read_ledger(data_dir)
        for record in ledger.records:
            if record.sha256 == batch.sha256:
                return Outcome(record, repeated=True)
        added, revised = _revisions(ledger.figures, batch)
        number = max((r.number for r in ledger.records), default=0) + 1
        record = ImportRecord(
            number=number,
            file_name=batch.file_name,
            sha256=batch.sha256,
            imported_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
            source=batch.source,
            format=batch.format,
            series=batch.series,
            figures=len(batch.figures),
            added=added,
            revised=len(revised),
            unchanged=len(batch.figures) - added - len(revised),
            periods=tuple(sorted({f.period for f in batch.figures})),
            skipped=batch.skipped,
        )
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder))
        _write_figures(staging / FIGURES_FILE, batch.figures)
        (staging / RECORD_FILE).write_text(
            json.dumps(asdict(record), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        load_file(staging / FIGURES_FILE)  # what is written must read back
        staging.chmod(0o755)
        os.rename(staging, folder / f"{number:04d}-{batch.format}-{batch.sha256[:8]}")
        _fsync_dir(folder)
    return Outcome(record, repeated=False, revised=tuple(revised))


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
