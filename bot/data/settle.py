"""Waiting for data files written in place to stop changing before they are read.

A copy caught mid-write is a valid file cut short at a line boundary; read then, it would
withdraw the figures after the cut. So the data folder is read only once none of its files (and
none of its folders: a file removed or renamed) has changed for ``settle`` seconds: by the
modification times, or, for times in the future (a skewed clock), by sizes and times that stay
the same across checks ``settle`` seconds apart. The clock and the sleep are passed in, so
tests run on a fake clock.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.data.dataset import DataFileError
from bot.data.ledger import data_files, imports_folder
from bot.i18n import said

Entry = tuple[str, int, int, int]  # (path in the folder, file type bits, size, mtime in ns)


class StillChanging(DataFileError):
    """The data folder did not stop changing within the wait allowed; nothing was read."""


@dataclass(frozen=True)
class Signature:
    """Every data file's and folder's type, size and modification time."""

    entries: tuple[Entry, ...]

    @property
    def newest(self) -> float:
        """The latest modification time, in seconds (0 for an empty folder)."""
        return max((mtime for *_rest, mtime in self.entries), default=0) / 1e9

    def newest_name(self) -> str:
        return max(self.entries, key=lambda entry: entry[3])[0] if self.entries else ""


def signature(folder: Path) -> Signature:
    """Stat every data file and folder (following links; a broken one counts as missing)."""
    paths = [folder, folder / "notes", folder / "changes", imports_folder(folder)]
    paths += data_files(folder)
    entries = []
    for path in paths:
        name = str(path.relative_to(folder)) if path != folder else "."
        try:
            found = os.stat(path)
        except OSError:
            entries.append((name, 0, 0, 0))
            continue
        entries.append((name, found.st_mode & 0o170000, found.st_size, found.st_mtime_ns))
    return Signature(tuple(entries))


def wait_until_settled(
    folder: Path,
    settle: float,
    max_wait: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> Signature:
    """Wait until nothing in the folder has changed for ``settle`` seconds; return what it saw.
    Raise :class:`StillChanging` when that has not happened within ``max_wait`` seconds."""
    start = clock()
    seen, since = signature(folder), start
    while True:
        now = clock()
        quiet = max(now - seen.newest, now - since)  # unchanged for at least this long
        if quiet >= settle:
            return seen
        if now - start >= max_wait:
            raise StillChanging(
                folder / seen.newest_name(),
                None,
                said(
                    "still changing after {wait} s; it is read once it has been unchanged "
                    "for {settle} s",
                    wait=f"{max_wait:g}",
                    settle=f"{settle:g}",
                ),
            )
        sleep(settle - quiet)
        current = signature(folder)
        if current != seen:
            seen, since = current, clock()
