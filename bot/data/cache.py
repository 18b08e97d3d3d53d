"""A built snapshot kept on disk, so that a restart with the same data and the same code
answers without reading and computing the data again (and without loading pandas).

An entry's name is a digest of the data version, every source file of the bot and the Python
version: a change to any of them is a different name, never a stale answer. Entries are
written under a temporary name and renamed into place; only the latest few are kept. The
folder is created readable by its owner only, and an entry is read only if it is a regular
file the current user owns that no one else may write: a pickle runs code when read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

#: Entries kept (the current data and the ones before it).
KEEP = 3
_CODE = Path(__file__).resolve().parent.parent
#: Packages whose version can change what a snapshot holds (valid codes, parsing).
DEPENDENCIES = ("pandas", "numpy", "pycountry")


@cache
def code_digest() -> str:
    """A digest of every source file of the bot, the Python version and the versions of
    :data:`DEPENDENCIES`."""
    digest = hashlib.sha256(sys.version.encode())
    for package in DEPENDENCIES:
        digest.update(f"{package}={metadata.version(package)}".encode())
    for path in sorted(_CODE.rglob("*.py")):
        digest.update(str(path.relative_to(_CODE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class SnapshotCache:
    """Built snapshots by data version, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, version: str) -> Path:
        return self.folder / f"snapshot-{version}-{code_digest()}.pickle"

    def load(self, version: str) -> object | None:
        """The snapshot built from data ``version`` by this code, if kept and safe to read."""
        path = self._path(version)
        if not self._private_folder():
            return None
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as file:
            info = os.fstat(file.fileno())
            unsafe = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or unsafe:
                log.warning("snapshot cache %s is not a private file of ours; not read", path)
                return None
            try:
                kept: object = pickle.load(file)
            except Exception as error:  # a torn or foreign file: build the data again
                log.warning("snapshot cache %s unreadable (%r); building again", path, error)
                return None
        return kept

    def _private_folder(self) -> bool:
        """The folder is ours and no one else may write in it (else an older entry of ours
        could be swapped in)."""
        try:
            info = os.stat(self.folder)
        except OSError:
            return False
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            log.warning("snapshot cache folder %s may be written by others; not used", self.folder)
            return False
        return True

    def save(self, version: str, snapshot: object) -> None:
        """Keep ``snapshot`` (best effort: a full disk only costs the next start its speed)."""
        path = self._path(version)
        staging = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            with open(staging, "wb") as file:
                os.fchmod(file.fileno(), 0o600)
                pickle.dump(snapshot, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(staging, path)
            self._prune()
        except Exception as error:  # best effort: never a failed start
            log.warning("could not keep the snapshot cache in %s: %r", self.folder, error)
            staging.unlink(missing_ok=True)

    def _prune(self) -> None:
        """Keep the newest :data:`KEEP` entries (other processes may prune at the same time)."""
        entries = []
        for entry in self.folder.glob("snapshot-*.pickle"):
            try:
                entries.append((entry.stat().st_mtime, entry))
            except FileNotFoundError:
                continue
        for _, old in sorted(entries)[:-KEEP]:
            old.unlink(missing_ok=True)
