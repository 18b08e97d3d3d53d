"""The data the bot answers from, loaded from the data folder and swapped only when valid."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot.data.changes import load_changes
from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES, DataFileError, Figure, load_folder
from bot.data.ledger import ImportRecord, data_files, read_ledger
from bot.data.notes import EditorNote, load_notes
from bot.data.resolve import Key
from bot.metrics import Metrics
from bot.reading.periods import Period

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """One consistent load of the data folder.

    ``metrics`` is China's tariff line 85051110 (press figures and customs imports);
    ``comtrade`` is UN Comtrade's broader HS 850511, never mixed with it (``None`` until a
    Comtrade file is imported).
    """

    metrics: Metrics
    notes: dict[Period, EditorNote]
    version: str
    comtrade: Metrics | None = None
    imports: tuple[ImportRecord, ...] = ()


@dataclass(frozen=True)
class ValueChange:
    key: Key
    before: float | None
    after: float | None


@dataclass(frozen=True)
class DataChanges:
    """What a reload changed, per series: figures added, revised and withdrawn."""

    before: str
    after: str
    new_imports: tuple[ImportRecord, ...] = ()
    changes: dict[str, tuple[ValueChange, ...]] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return self.before == self.after


def folder_version(folder: Path) -> str:
    """A digest of the data files' names and contents: the data version."""
    digest = hashlib.sha256()
    for path in data_files(folder):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_snapshot(folder: Path) -> Snapshot:
    """Load figures, published changes, imports and notes; raise :class:`DataFileError` if
    any file is bad."""
    ledger = read_ledger(folder)
    figures: list[Figure] = load_folder(folder) + list(ledger.figures)
    customs = [f for f in figures if f.series == CUSTOMS_SERIES]
    comtrade = [f for f in figures if f.series == COMTRADE_SERIES]
    notes = load_notes(folder / "notes")
    return Snapshot(
        Metrics(customs, load_changes(folder)),
        notes,
        folder_version(folder),
        Metrics(comtrade) if comtrade else None,
        ledger.records,
    )


def _value_changes(before: Metrics | None, after: Metrics | None) -> tuple[ValueChange, ...]:
    old = {k: r.value for k, r in (before.resolved if before else {}).items()}
    new = {k: r.value for k, r in (after.resolved if after else {}).items()}
    return tuple(
        ValueChange(key, old.get(key), new.get(key))
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    )


def compare(before: Snapshot, after: Snapshot) -> DataChanges:
    """The differences between two snapshots, for ``/reload`` and the logs."""
    if before.version == after.version:
        return DataChanges(before.version, after.version)
    known = {r.sha256 for r in before.imports}
    return DataChanges(
        before.version,
        after.version,
        tuple(r for r in after.imports if r.sha256 not in known),
        {
            CUSTOMS_SERIES: _value_changes(before.metrics, after.metrics),
            COMTRADE_SERIES: _value_changes(before.comtrade, after.comtrade),
        },
    )


class DataStore:
    """Holds the current snapshot; a failed reload keeps the previous one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.current = load_snapshot(folder)

    def reload(self) -> DataFileError | None:
        """Load the folder again if it changed; on a bad file keep the good data and return
        the error. An unchanged folder keeps the snapshot, and with it every memoised answer."""
        result = self.reload_and_compare()
        return result if isinstance(result, DataFileError) else None

    def reload_and_compare(self) -> DataChanges | DataFileError:
        """Like :meth:`reload`, returning what changed."""
        before = self.current
        try:
            if folder_version(self.folder) == before.version:
                return DataChanges(before.version, before.version)
            snapshot = load_snapshot(self.folder)
        except DataFileError as error:
            log.error("data reload rejected, keeping version %s: %s", before.version, error)
            return error
        self.current = snapshot
        changes = compare(before, snapshot)
        log.info(
            "data reloaded: version %s -> %s, %d new import(s)",
            before.version,
            snapshot.version,
            len(changes.new_imports),
        )
        return changes
