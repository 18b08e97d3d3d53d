"""The data the bot answers from, loaded from the data folder and swapped only when valid."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.dataset import DataFileError, load_folder
from bot.metrics import Metrics
from bot.notes import EditorNote, load_notes
from bot.periods import Period

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """One consistent load of the data folder."""

    metrics: Metrics
    notes: dict[Period, EditorNote]
    version: str


def folder_version(folder: Path) -> str:
    """A digest of the data files' names and contents: the data version."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")) + sorted((folder / "notes").glob("*.md")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_snapshot(folder: Path) -> Snapshot:
    """Load figures and notes; raise :class:`DataFileError` if any file is bad."""
    figures = load_folder(folder)
    notes = load_notes(folder / "notes")
    return Snapshot(Metrics(figures), notes, folder_version(folder))


class DataStore:
    """Holds the current snapshot; a failed reload keeps the previous one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.current = load_snapshot(folder)

    def reload(self) -> DataFileError | None:
        """Load the folder again if it changed; on a bad file keep the good data and return
        the error. An unchanged folder keeps the snapshot, and with it every memoised answer."""
        try:
            if folder_version(self.folder) == self.current.version:
                return None
            snapshot = load_snapshot(self.folder)

        except DataFileError as error:
            log.error("data reload rejected, keeping version %s: %s", self.current.version, error)
            return error
        self.current = snapshot
        return None
