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
from typing import TYPE_CHECKING

from bot.data.cache import SnapshotCache
from bot.data.changes import load_changes
from bot.data.dataset import (
    COMTRADE_SERIES,
    CUSTOMS_SERIES,
    DataFileError,
    read_bytes,
)
from bot.data.ledger import IMPORTS_DIR, ImportRecord, data_files, read_ledger
from bot.data.notes import EditorNote, load_notes
from bot.data.resolve import Key
from bot.data.series import PROJECT_SERIES_DIR, Catalog, SeriesError, load_catalog
from bot.data.settle import StillChanging, signature, wait_until_settled
from bot.data.table import FigureTable, in_threads, load_table
from bot.data.translations import (
    FOLDER,
    NO_TRANSLATIONS,
    PROJECT_FILE,
    Translations,
    load_translations,
)
from bot.i18n import said
from bot.metrics import Metrics
from bot.reading.periods import Period

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import pandas as pd


#: A data file changed this recently may still be being written; it is read after this quiet.
SETTLE_SECONDS = 1.0
#: How long a reload waits for the folder to settle before it reports it still changing.
MAX_SETTLE_WAIT = 10.0
#: How often the first load reads a folder that changes while it is read before giving up.
FIRST_LOAD_ATTEMPTS = 3
#: Names the data version whose withdrawals an operator confirmed (``/reload confirm``).
CONFIRM_FILE = ".reload-confirmed"

__all__ = ["StillChanging"]


@dataclass(frozen=True)
class Snapshot:
    """One consistent load of the data folder: the metrics of every series that has figures,
    by series key (:mod:`bot.data.series`), with the series' descriptions, editor's notes
    and the Chinese texts of the figures' notes and derivations (:mod:`bot.data.translations`).

    ``metrics`` is China's tariff line 85051110 (rare-earth magnets), the default series;
    ``comtrade`` is UN Comtrade's broader HS 850511, never mixed with it.
    """

    series: dict[str, Metrics]
    notes: dict[str, dict[Period, EditorNote]]
    version: str
    catalog: Catalog
    imports: tuple[ImportRecord, ...] = ()
    translations: Translations = NO_TRANSLATIONS

    @property
    def metrics(self) -> Metrics:
        return self.series[CUSTOMS_SERIES]

    @property
    def comtrade(self) -> Metrics | None:
        return self.series.get(COMTRADE_SERIES)

    def series_metrics(self, series: str) -> Metrics | None:
        return self.series.get(series)

    def notes_of(self, series: str) -> dict[Period, EditorNote]:
        return self.notes.get(series, {})


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


def folder_digests(folder: Path) -> dict[Path, str]:
    """The content digest of every file the served data is read from."""
    paths = data_files(folder)
    if not (folder / "series").is_dir():  # the project's descriptions are then the data's
        paths += sorted(PROJECT_SERIES_DIR.glob("*.toml"))
    if not (folder / FOLDER).is_dir() and PROJECT_FILE.is_file():  # so are its texts
        paths.append(PROJECT_FILE)
    return {path: hashlib.sha256(read_bytes(path)).hexdigest() for path in paths}


def version_of(folder: Path, digests: dict[Path, str]) -> str:
    """The data version: a digest of the files' names and content digests."""
    digest = hashlib.sha256()
    for path, content in digests.items():
        name = path.relative_to(folder) if path.is_relative_to(folder) else f"project/{path.name}"
        digest.update(f"{name}\0{content}\n".encode())
    return digest.hexdigest()[:12]


def folder_version(folder: Path) -> str:
    return version_of(folder, folder_digests(folder))


class TableCache:
    """The data files already read, by name and content digest: a reload reads again only the
    files that changed, and keeps a series' metrics when none of its inputs changed."""

    def __init__(self) -> None:
        self._tables: dict[str, tuple[str, pd.DataFrame, frozenset[str]]] = {}

    def read(
        self, paths: list[Path], digests: dict[Path, str], catalog: Catalog
    ) -> dict[str, tuple[str, pd.DataFrame, frozenset[str]]]:
        """(digest, table, series present) of each data file, by name, given the files'
        ``digests``: only new or changed files are read (several at once), each parsed from
        bytes checked against its digest and checked against ``catalog`` (a file is read
        again when the series descriptions change). Nothing is kept until :meth:`keep`."""
        stamp = {p: f"{digests[p]}:{hash(catalog.series)}" for p in paths}
        found = {p.name: self._tables[p.name] for p in paths if p.name in self._tables}
        changed = [p for p in paths if found.get(p.name, ("",))[0] != stamp[p]]

        def parse(path: Path) -> pd.DataFrame:
            raw = read_bytes(path)
            if hashlib.sha256(raw).hexdigest() != digests[path]:
                raise StillChanging(path, None, said("changed while it was read"))
            return load_table(path, raw, catalog)

        for path, frame in zip(changed, in_threads(parse, changed), strict=True):
            found[path.name] = (stamp[path], frame, frozenset(frame["series"]))
        return {path.name: found[path.name] for path in paths}

    def keep(self, read: dict[str, tuple[str, pd.DataFrame, frozenset[str]]]) -> None:
        """Keep exactly the files of the snapshot just loaded."""
        self._tables = read


def load_snapshot(
    folder: Path,
    cache: TableCache | None = None,
    previous: Snapshot | None = None,
    digests: dict[Path, str] | None = None,
) -> Snapshot:
    """Load figures, published changes, imports and notes; raise :class:`DataFileError` if
    any file is bad. With ``cache`` and ``previous``, unchanged files are not read again and a
    series whose inputs are all unchanged keeps its metrics (and with them their memos).
    ``digests`` are the files' digests if just taken (:func:`folder_digests`)."""
    import pandas as pd

    cache = cache or TableCache()
    if not folder.is_dir():
        raise DataFileError(folder, None, said("data folder not found"))
    digests = digests if digests is not None else folder_digests(folder)
    paths = sorted(p for p in digests if p.parent == folder and p.suffix == ".csv")  # as hashed
    if not paths:
        raise DataFileError(folder, None, said("no *.csv data files in the folder"))
    try:
        catalog = load_catalog(folder)
    except SeriesError as error:
        raise DataFileError(folder / "series", None, error.said) from None
    read = cache.read(paths, digests, catalog)
    ledger = read_ledger(folder)
    imported = FigureTable.of(ledger.figures).frame
    changes_digest = version_of(
        folder, {p: d for p, d in digests.items() if p.parent.name == "changes"}
    )
    imports_digest = version_of(
        folder, {p: d for p, d in digests.items() if p.parent.parent == folder / IMPORTS_DIR}
    )
    series: dict[str, Metrics] = {}
    jobs: list[tuple[str, FigureTable, object]] = []
    for name in catalog.keys:
        inputs = tuple((file, d) for file, (d, _, present) in read.items() if name in present)
        ledger_part = imported[imported["series"] == name]
        imports = imports_digest if len(ledger_part) else ""
        changed_by = changes_digest if name == CUSTOMS_SERIES else ""
        key = (inputs, imports, changed_by, catalog[name])
        kept = previous.series_metrics(name) if previous is not None else None
        if kept is not None and kept.inputs == key:
            series[name] = kept
            continue
        frames = [f[f["series"] == name] for _, f, present in read.values() if name in present]
        if len(ledger_part) or frames:
            table = FigureTable(pd.concat([*frames, ledger_part], ignore_index=True))
            jobs.append((name, table, key))
    changes = load_changes(folder)

    def build(job: tuple[str, FigureTable, object]) -> Metrics:
        name, table, key = job
        changed = changes if name == CUSTOMS_SERIES else []
        return Metrics(table, changed, inputs=key, info=catalog[name])

    for (name, _, _), metrics in zip(jobs, in_threads(build, jobs), strict=True):
        series[name] = metrics
    cache.keep(read)
    if CUSTOMS_SERIES not in series:
        raise DataFileError(
            folder, None, said("no figures of the {series} series", series=CUSTOMS_SERIES)
        )
    notes = {
        info.key: load_notes(folder / info.notes)
        for info in catalog.series
        if info.notes and info.key in series
    }
    return Snapshot(
        {key: series[key] for key in catalog.keys if key in series},
        notes,
        version_of(folder, digests),
        catalog,
        ledger.records,
        load_translations(folder),
    )


def _value_changes(before: Metrics | None, after: Metrics | None) -> tuple[ValueChange, ...]:
    """The keys whose chosen value differs, worked out over the two tables at once."""
    import pandas as pd

    if before is after:
        return ()
    columns = ["period", "partner", "metric", "value"]
    empty = pd.DataFrame({c: [] for c in columns})
    old = before.resolved.frame[columns] if before else empty
    new = after.resolved.frame[columns] if after else empty
    both = old.merge(new, on=columns[:3], how="outer", suffixes=("_before", "_after"))
    a, b = both["value_before"], both["value_after"]
    differ = both[(a != b) & ~(a.isna() & b.isna())].sort_values(columns[:3])
    return tuple(
        ValueChange((p, q, m), None if pd.isna(x) else float(x), None if pd.isna(y) else float(y))
        for p, q, m, x, y in differ.itertuples(index=False, name=None)
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
            key: _value_changes(before.series.get(key), after.series.get(key))
            for key in dict.fromkeys([*before.series, *after.series])
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
        cache: SnapshotCache | None = None,
    ) -> None:
        self.folder = folder
        self.settle_seconds = settle_seconds
        self.clock = clock
        self.sleep = sleep
        self.tables = TableCache()
        self.current = self._first_load(cache)
        #: A loaded snapshot held back, with what it would change.
        self.pending: tuple[Snapshot, DataChanges] | None = None

    def _first_load(self, cache: SnapshotCache | None) -> Snapshot:
        """The folder's snapshot: kept from an earlier start with the same data and code,
        else built (and kept for the next start)."""
        for attempt in range(FIRST_LOAD_ATTEMPTS):
            digests = folder_digests(self.folder)
            version = version_of(self.folder, digests)
            kept = cache.load(version) if cache is not None else None
            if isinstance(kept, Snapshot):
                log.info("data version %s taken from the snapshot cache", kept.version)
                return kept
            try:
                snapshot = load_snapshot(self.folder, self.tables, None, digests)
            except StillChanging:  # a file written while it was read: read it again
                if attempt == FIRST_LOAD_ATTEMPTS - 1:
                    raise
                self.sleep(self.settle_seconds)
                continue
            if cache is not None and folder_version(self.folder) == version:  # as it was read
                cache.save(version, snapshot)
            return snapshot
        raise AssertionError("unreachable")

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
            snapshot = load_snapshot(self.folder, self.tables, before, folder_digests(self.folder))
            if signature(self.folder) != settled:
                raise StillChanging(self.folder, None, said("changed while it was read"))
        except DataFileError as error:
            log.error("data reload rejected, keeping version %s: %s", before.version, error)
            return error
        except Exception as error:  # a reload never takes the served data down with it
            log.exception("data reload failed, keeping version %s", before.version)
            return DataFileError(
                self.folder, None, said("reload failed: {error}", error=repr(error))
            )
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
