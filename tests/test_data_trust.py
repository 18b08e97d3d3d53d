"""Data that cannot be trusted is not served: files that are not regular files, files still
being written, numbers no customs line has, and reloads that would withdraw figures.

Everything here uses real files in a temporary copy of ``data/``: real FIFOs, symlinks,
directories and sparse files. The settle time runs on a fake clock whose ``sleep`` lets a
simulated writer carry on, so no test waits or times anything.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.data.dataset import MAX_FILE_BYTES, DataFileError
from bot.data.ops import import_file
from bot.data.table import load_file
from bot.datastore import DataChanges, DataStore, StillChanging
from tests.conftest import DATA_DIR, TODAY
from tests.imports import COMTRADE_ROWS, comtrade_text, customs_text, write

HEADER = "period,partner,metric,value,status,reliability,source_title,source_url,derivation,note"
HANG_GUARD = 60  # seconds; only so that a regression fails instead of hanging the suite


class FakeClock:
    """Seconds since the epoch, advanced only by ``sleep``; ``during_sleep`` runs each time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0
        self.during_sleep: Callable[[], None] = lambda: None

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds
        self.during_sleep()


def touch(path: Path, when: float) -> None:
    """Set a file's modification time (on the fake clock's scale)."""
    os.utime(path, ns=(int(when * 1e9), int(when * 1e9)), follow_symlinks=False)


def settled_copy(tmp_path: Path) -> Path:
    """A copy of ``data/`` whose files were all last changed long ago."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    for path in [folder, *folder.rglob("*")]:
        touch(path, 1000.0)
    return folder


def store_for(folder: Path, clock: FakeClock, settle: float = 2.0) -> DataStore:
    clock.now = 5000.0
    return DataStore(folder, settle_seconds=settle, clock=clock, sleep=clock.sleep)


def written(path: Path, text: str | bytes, when: float = 1000.0) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    touch(path, when)
    touch(path.parent, when)
    return path


def rejected(store: DataStore) -> DataFileError:
    """Reload, expecting a rejection reported as one line, with the old data kept."""
    before = store.current
    result = store.reload_and_compare()
    assert isinstance(result, DataFileError), result
    assert "\n" not in str(result)
    assert store.current is before
    return result


# -- only regular files, of a sane size --------------------------------------------------------


def test_a_header_only_file_is_rejected(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    written(folder / "magnet_exports.csv", HEADER + "\n")
    error = rejected(store)
    assert "magnet_exports.csv" in str(error) and "no figures" in str(error)


def test_a_dangling_symlink_is_rejected(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    (folder / "more.csv").symlink_to(tmp_path / "gone.csv")
    assert "more.csv" in str(rejected(store)) and "nothing" in str(rejected(store))


def test_a_directory_named_csv_is_rejected(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    (folder / "more.csv").mkdir()
    touch(folder / "more.csv", 1000.0)
    error = rejected(store)
    assert "more.csv" in str(error) and "a directory" in str(error)


def test_a_fifo_is_rejected_without_hanging(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    os.mkfifo(folder / "more.csv")
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(store.reload_and_compare()))
    worker.daemon = True
    worker.start()
    worker.join(HANG_GUARD)
    assert outcome, "reading a FIFO hung the reload"
    error = outcome[0]
    assert isinstance(error, DataFileError) and "more.csv" in str(error)
    assert "not a regular file" in str(error)


def test_a_fifo_among_the_published_changes_is_rejected_without_hanging(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    os.mkfifo(folder / "changes" / "more.csv")
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(store.reload_and_compare()))
    worker.daemon = True
    worker.start()
    worker.join(HANG_GUARD)
    assert outcome, "reading a FIFO among the published changes hung the reload"
    error = outcome[0]
    assert isinstance(error, DataFileError) and "not a regular file" in str(error)


def test_an_endless_file_is_rejected(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    (folder / "more.csv").symlink_to("/dev/zero")
    assert "not a regular file" in str(rejected(store))


def test_a_huge_file_is_rejected_unread(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    huge = folder / "more.csv"
    with open(huge, "wb") as out:
        out.write(HEADER.encode() + b"\n")
        out.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk is used
    touch(huge, 1000.0)
    error = rejected(store)
    assert "more.csv" in str(error) and "larger than" in str(error)


def test_a_file_cut_mid_line_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(f"{HEADER}\n2025-06,US,tonnes,1,reported\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"cut\.csv, line 2: fewer fields"):
        load_file(path)


# -- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2025-06,US,tonnes,inf,reported,normal,T,,,", "not a finite number"),
        ("2025-06,US,tonnes,-inf,reported,normal,T,,,", "not a finite number"),
        ("2025-06,US,tonnes,NaN,reported,normal,T,,,", "not a finite number"),
        ("2025-06,US,tonnes,1e9999999,reported,normal,T,,,", "not a finite number"),
        ("2025-06,US,tonnes,1e3,reported,normal,T,,,", "plain decimal"),
        ("2025-06,US,tonnes,0.0001,reported,normal,T,,,", "rounds to 0"),
        ("2025-06,US,tonnes,1e-9999999,reported,normal,T,,,", "plain decimal"),
        ("2025-06,US,tonnes,0." + "0" * 400 + "1,reported,normal,T,,,", "rounds to 0"),
        ("2025-06,US,tonnes," + "9" * 400 + ",reported,normal,T,,,", "not a finite number"),
        ("2025-06,WORLD,tonnes,100001,reported,normal,T,,,", "above 100,000"),
        ("2025,WORLD,tonnes,1200001,reported,normal,T,,,", "above 1,200,000"),
        ("2025-H1,WORLD,tonnes,600001,reported,normal,T,,,", "above 600,000"),
        ("2025-06,WORLD,tonnes_monthly_avg,100001,reported,normal,T,,,", "above 100,000"),
        ("2025-06,WORLD,usd,10000000001,reported,normal,T,,,", "above 10,000,000,000"),
        ("2025-06,WORLD,cny,75000000001,reported,normal,T,,,", "above 75,000,000,000"),
    ],
)
def test_numbers_no_customs_line_has_are_rejected(tmp_path: Path, row: str, problem: str) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith("numbers.csv, line 2: ") and problem in message
    assert len(message) < 300  # a long value is shortened in the message


def test_the_largest_real_figures_and_zero_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "fine.csv"
    rows = [
        "2025-06,WORLD,tonnes,100000,reported,normal,T,,,",
        "2024,WORLD,tonnes,58152,reported,normal,T,,,",
        "2025-06,MT,tonnes,0,reported,normal,T,,,",
        "2025-06,US,tonnes,0.001,reported,normal,T,,,",
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    assert [f.value for f in load_file(path)] == [100000, 58152, 0, 0.001]


def test_an_import_with_an_overflowing_number_is_rejected_not_a_crash(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    from bot.config import Settings

    settings = Settings(data_dir=data, fetch_dir=tmp_path / "fetched")
    rows = ['202506,85051110,稀土永磁铁,502,美国,1e9999999,千克,,,"12,345,678"']
    code, report = import_file(settings, write(tmp_path, "c.csv", customs_text(rows)), TODAY)
    assert code == 1 and "Import rejected, nothing changed: c.csv, line 2" in report
    huge = COMTRADE_ROWS[1].replace(",412000,", ",1e400,")
    code, report = import_file(settings, write(tmp_path, "t.csv", comtrade_text([huge])), TODAY)
    assert code == 1 and "Import rejected, nothing changed" in report and "t.csv" in report
    assert not (data / "imports").exists() or not any((data / "imports").glob("0*"))


# -- files still being written -----------------------------------------------------------------


def test_a_file_being_written_is_read_only_once_it_stops_changing(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    clock = FakeClock()
    store = store_for(folder, clock)
    before = store.current
    target = folder / "magnet_exports.csv"
    whole = target.read_bytes() + b"2025-06,FR,tonnes,12,reported,normal,T,,,\n"
    written(target, whole[:15000], when=clock.now)  # the copy has begun

    def writer_carries_on() -> None:
        remaining = whole[target.stat().st_size :]
        if remaining:
            with open(target, "ab") as out:
                out.write(remaining[:15000])
            touch(target, clock.now)

    clock.during_sleep = writer_carries_on
    changes = store.reload_and_compare()
    assert isinstance(changes, DataChanges) and not changes.held, changes
    assert target.read_bytes() == whole
    assert store.current is not before
    assert store.current.metrics.resolved[("2025-06", "FR", "tonnes")].value == 12
    assert clock.slept >= 2.0  # it waited for the settle time after the last write


def test_a_file_that_keeps_changing_is_not_read(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    clock = FakeClock()
    store = store_for(folder, clock)
    target = folder / "magnet_exports.csv"

    def writer_never_stops() -> None:
        with open(target, "ab") as out:
            out.write(b"2025-06,FR,tonnes,12,reported,normal,T,,,\n"[: int(clock.now) % 7 + 1])
        touch(target, clock.now)

    written(target, target.read_bytes()[:-5], when=clock.now)
    clock.during_sleep = writer_never_stops
    error = rejected(store)
    assert isinstance(error, StillChanging)
    assert "magnet_exports.csv" in str(error) and "still changing" in str(error)


def test_a_file_dated_in_the_future_is_read_once_stable(tmp_path: Path) -> None:
    folder = settled_copy(tmp_path)
    clock = FakeClock()
    store = store_for(folder, clock)
    extra = "2025-06,FR,tonnes,12,reported,normal,T,,,\n"
    written(folder / "more.csv", f"{HEADER}\n{extra}", when=clock.now + 3600)
    changes = store.reload_and_compare()
    assert isinstance(changes, DataChanges) and not changes.held
    assert store.current.metrics.resolved[("2025-06", "FR", "tonnes")].value == 12


def test_an_unexpected_failure_is_reported_as_one_and_the_data_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    written(folder / "magnet_exports.csv", (folder / "magnet_exports.csv").read_text() + "\n")

    def broken(_folder: Path, *_cache: object) -> None:
        raise IndexError("list index out of range\nin a second line")

    monkeypatch.setattr("bot.datastore.load_snapshot", broken)
    error = rejected(store)
    assert "reload failed: IndexError('list index out of range" in str(error)
