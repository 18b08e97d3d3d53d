"""The data the bot answers from, loaded from the data folder and swapped only when valid.

A reload reads the folder once it has stopped changing (:mod:`bot.data.settle`); any failure
keeps the previous snapshot and is returned as one :class:`DataFileError`. A reload that would
withdraw figures is held back (:attr:`DataStore.pending`) until an operator confirms it; the
confirmation is written to ``CONFIRM_FILE`` in the folder, so every process applies it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.data.changes import load_changes
from bot.data.dataset import (
    COMTRADE_SERIES,
    CUSTOMS_SERIES,
    DataFileError,
    Figure,
    load_folder,
    read_bytes,
)
from bot.data.ledger import ImportRecord, data_files, read_ledger
from bot.data.notes import EditorNote, load_notes
from bot.data.resolve import Key
from bot.data.settle import StillChanging, signature, wait_until_settled
from bot.metrics import Metrics
from bot.reading.periods import Period

log = logging.getLogger(__name__)

#: A data file changed this recently may still be being written; it is read after this quiet.
SETTLE_SECONDS = 1.0
#: How long a reload waits for the folder to settle before it reports it still changing.
MAX_SETTLE_WAIT = 10.0
#: Names the data version whose withdrawals an operator confirmed (``/reload confirm``).
CONFIRM_FILE = ".reload-confirmed"

__all__ = ["StillChanging"]


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
    #: Not applied: it would withdraw figures, and waits for an operator's confirmation.
    held: bool = False

    @property
    def unchanged(self) -> bool:
        return self.before == self.after

    @property
    def withdrawn(self) -> int:
        """Figures served before and not after, in every series."""
        return sum(1 for c in self.all_changes if c.after is None and c.before is not None)

    @property
    def all_changes(self) -> tuple[ValueChange, ...]:
        return tuple(c for changes in self.changes.values() for c in changes)


def folder_version(folder: Path) -> str:
    """A digest of the data files' names and contents: the data version."""
    digest = hashlib.sha256()
    for path in data_files(folder):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(read_bytes(path))
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
    """Holds the current snapshot; a failed reload keeps the previous one, and a reload that
    would withdraw figures waits in :attr:`pending` for an operator's confirmation."""

    def __init__(
        self,
        folder: Path,
        settle_seconds: float = SETTLE_SECONDS,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.folder = folder
        self.settle_seconds = settle_seconds
        self.clock = clock
        self.sleep = sleep
        self.current = load_snapshot(folder)
        #: A loaded snapshot held back, with what it would change.
        self.pending: tuple[Snapshot, DataChanges] | None = None

    def reload(self) -> DataFileError | None:
        """Load the folder again if it changed; on a bad file keep the good data and return
        the error. An unchanged folder keeps the snapshot, and with it every memoised answer.
        A reload that would withdraw figures is held back (not an error)."""
        result = self.reload_and_compare()
        return result if isinstance(result, DataFileError) else None

    def reload_and_compare(self, confirm: bool = False) -> DataChanges | DataFileError:
        """Like :meth:`reload`, returning what changed (``held`` when held back). ``confirm``
        applies the held-back data the operator was shown, if the folder still holds it."""
        before = self.current
        try:
            version = folder_version(self.folder)
            if version == before.version:
                self.pending = None
                return DataChanges(before.version, before.version)
            held = None if confirm else self._held_again(version)
            if held is not None:
                return held
            settled = wait_until_settled(
                self.folder, self.settle_seconds, MAX_SETTLE_WAIT, self.clock, self.sleep
            )
            snapshot = load_snapshot(self.folder)
            if signature(self.folder) != settled:
                raise StillChanging(self.folder, None, "changed while it was read")
        except DataFileError as error:
            log.error("data reload rejected, keeping version %s: %s", before.version, error)
            return error
        except Exception as error:  # a reload never takes the served data down with it
            log.exception("data reload failed, keeping version %s", before.version)
            return DataFileError(self.folder, None, f"reload failed: {error!r}")
        changes = compare(before, snapshot)
        if changes.withdrawn and not self._may_withdraw(snapshot.version, confirm):
            return self._hold(snapshot, changes)
        self.current, self.pending = snapshot, None
        log.info(
            "data reloaded: version %s -> %s, %d new import(s), %d figure(s) withdrawn",
            before.version,
            snapshot.version,
            len(changes.new_imports),
            changes.withdrawn,
        )
        return changes

    def _held_again(self, version: str) -> DataChanges | None:
        """The folder holds the data held back, not confirmed since: no need to read it."""
        if self.pending is None or self.pending[0].version != version:
            return None
        return None if self._confirmed(version) else self.pending[1]

    def _hold(self, snapshot: Snapshot, changes: DataChanges) -> DataChanges:
        held = replace(changes, held=True)
        if self.pending is None or self.pending[0].version != snapshot.version:
            log.warning(
                "data reload held back: version %s would withdraw %d figure(s); still serving "
                "%s until an operator sends /reload confirm",
                snapshot.version,
                changes.withdrawn,
                changes.before,
            )
        self.pending = (snapshot, held)
        return held

    def _may_withdraw(self, version: str, confirm: bool) -> bool:
        """Confirmed here (for the version the operator was shown) or by another process."""
        if confirm and self.pending is not None and self.pending[0].version == version:
            self._record_confirmation(version)
            return True
        return self._confirmed(version)

    def _confirmed(self, version: str) -> bool:
        try:
            text = read_bytes(self.folder / CONFIRM_FILE, limit=256).decode("ascii", "replace")
        except DataFileError:
            return False
        return text.strip() == version

    def _record_confirmation(self, version: str) -> None:
        """Write the confirmed version for the other processes (atomically; best effort)."""
        staging = self.folder / f"{CONFIRM_FILE}.{os.getpid()}"
        try:
            staging.write_text(version + "\n", encoding="ascii")
            os.replace(staging, self.folder / CONFIRM_FILE)
        except OSError as error:
            log.warning("could not record the confirmation for other processes: %s", error)
