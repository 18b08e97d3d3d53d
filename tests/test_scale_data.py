"""The data at scale: column-at-a-time loading, whole-table resolution and month arrays give
exactly what the one-row-at-a-time rules give, and a reload redoes only what changed."""

from __future__ import annotations

import gc
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.synthetic import grid_rows, months_back, write_grid, write_rows
from bot import datastore
from bot.config import Settings
from bot.console import LocalChat
from bot.data import ledger
from bot.data import table as table_module
from bot.data.cache import SnapshotCache
from bot.data.dataset import (
    COLUMNS,
    COMTRADE_SERIES,
    DataFileError,
    check_fields,
    distinct_rows,
    parse_row,
)
from bot.data.dataset import read_csv as read_text_csv
from bot.data.resolve import resolve_all
from bot.data.series import Catalog, project_catalog
from bot.data.settle import StillChanging
from bot.data.table import FigureTable, _maybe_short_record, load_table
from bot.datastore import DataStore
from bot.metrics import Metrics
from bot.month_grid import month_number
from bot.push.releases import month_figures
from bot.reading.periods import Period
from bot.services import build_services

DATA = Path(__file__).resolve().parent.parent / "data"
REAL = DATA / "magnet_exports.csv"


def row_by_row(path: Path) -> list[object]:
    frame, _ = read_text_csv(path, COLUMNS, skip_spaces=True)
    return [parse_row(path, line, row) for line, row in distinct_rows(path, frame, list(COLUMNS))]


def test_the_real_file_loads_to_the_same_figures_as_row_by_row() -> None:
    assert FigureTable(load_table(REAL)).figures() == row_by_row(REAL)


def test_a_synthetic_grid_loads_to_the_same_figures_as_row_by_row(tmp_path: Path) -> None:
    path = write_grid(tmp_path, 12, 30, sources_per_cell=2)
    assert FigureTable(load_table(path)).figures() == row_by_row(path)


BAD_VALUES = ["", "abc", "-3", "1e5", "inf", "1,000", " 12x", "0.0001", "1.", ".5", "99999999"]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_value_is_refused_with_the_row_by_row_message(tmp_path: Path, value: str) -> None:
    rows = list(grid_rows(["US", "DE"], months_back(3)))
    rows[4]["value"] = value
    path = tmp_path / "bad.csv"
    write_rows(path, iter(rows))
    with pytest.raises(DataFileError) as expected:
        row_by_row(path)
    with pytest.raises(DataFileError) as got:
        load_table(path)
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("period", "2025-13"),
        ("partner", "XX"),
        ("metric", "kilos"),
        ("status", "guessed"),
        ("reliability", "high"),
        ("source_url", "ftp://example.org"),
        ("source_title", " "),
    ],
)
def test_each_check_refuses_as_row_by_row(tmp_path: Path, column: str, value: str) -> None:
    rows = list(grid_rows(["US", "DE"], months_back(3)))
    rows[5][column] = value
    path = tmp_path / "bad.csv"
    write_rows(path, iter(rows))
    with pytest.raises(DataFileError) as expected:
        row_by_row(path)
    with pytest.raises(DataFileError) as got:
        load_table(path)
    assert str(got.value) == str(expected.value)


def test_only_a_plain_file_is_checked_for_short_records_with_arrays() -> None:
    assert not _maybe_short_record(b"a,b,c\n1,2,3\r\n\n")
    assert _maybe_short_record(b"a,b,c\n1,2\n")
    assert _maybe_short_record(b'a,b,c\n"x,y",2,3\n')  # quotes: read record by record
    assert _maybe_short_record(b"a,b,c\r1,2,3\r")  # so are lone CRs


def resolved_as_before(figures: list[object], metrics: Metrics) -> None:
    expected = resolve_all(figures)  # type: ignore[arg-type]
    assert set(metrics.resolved) == set(expected)
    for key, before in expected.items():
        after = metrics.resolved[key]
        assert after.chosen == before.chosen, key
        assert after.candidates == before.candidates, key
        assert after.agreeing == before.agreeing, key
        assert after.rules == before.rules, key


def test_whole_table_resolution_chooses_as_the_rules_do_for_the_real_data() -> None:
    figures = FigureTable(load_table(REAL)).figures()
    resolved_as_before(list(figures), Metrics(figures))


def test_agreeing_sources_are_settled_as_the_rules_settle_them(tmp_path: Path) -> None:
    path = write_grid(tmp_path, 5, 14, sources_per_cell=3)
    figures = FigureTable(load_table(path)).figures()
    metrics = Metrics(figures)
    resolved_as_before(list(figures), metrics)
    rules = metrics.resolved[("2026-03", "AD", "tonnes")].rules
    assert tuple(map(str, rules)) == ("3 sources give the same figure",)


@pytest.mark.parametrize("data", ["real", "grid"])
def test_the_month_arrays_hold_what_the_per_month_metrics_say(data: str, tmp_path: Path) -> None:
    path = REAL if data == "real" else write_grid(tmp_path, 8, 30)
    metrics = Metrics(FigureTable(load_table(path)).figures())
    grid = metrics.grid
    checked = 0
    for partner in metrics.partners():
        for month in metrics.months_with_data(partner):
            cell = (grid.partners.index(partner), month_number(month) - grid.first)
            answer = metrics.month(partner, month)
            assert answer.tonnes is not None
            assert grid.value[cell] == answer.tonnes.value
            assert (answer.rank or 0) == grid.rank[cell]
            assert answer.ranked == grid.ranked[cell[1]]
            if answer.share_pct is not None:
                assert math.isclose(grid.share[cell], answer.share_pct)
            for change, pct in ((answer.mom, grid.mom), (answer.yoy, grid.yoy)):
                if change is not None and change.base.used is None and change.base.value:
                    assert math.isclose(pct[cell], change.computed_pct or 0, abs_tol=1e-9)
            if answer.ytd.basis == "sum":
                assert math.isclose(grid.ytd[cell], answer.ytd.months_sum or 0)
            checked += 1
    assert checked >= (88 if data == "real" else 9 * 30)


def test_rankings_come_from_the_arrays_largest_first() -> None:
    metrics = Metrics(FigureTable(load_table(REAL)).figures())
    ranking = metrics.ranking(Period.parse_code("2025-06"))
    assert [value for _, value in ranking] == sorted((v for _, v in ranking), reverse=True)
    assert len(ranking) >= 3 and "WORLD" not in dict(ranking)


def test_release_months_list_every_partner_of_months_with_china_s_total() -> None:
    metrics = Metrics(FigureTable(load_table(REAL)).figures())
    months = month_figures(metrics)
    assert months["2025-06"]["US"] == 353.0
    assert all("WORLD" in partners for partners in months.values())


def series_folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    grid = write_grid(tmp_path, 10, 24, series=COMTRADE_SERIES, seed=3)
    text = grid.read_text().replace("\n", f",{COMTRADE_SERIES}\n")
    (data / "comtrade.csv").write_text(text.replace(f"note,{COMTRADE_SERIES}", "note,series"))
    return data


def test_a_reload_reads_only_the_changed_file_and_keeps_an_unchanged_series(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = series_folder(tmp_path)
    store = DataStore(data, settle_seconds=0)
    customs, comtrade = store.current.metrics, store.current.comtrade
    assert comtrade is not None
    read: list[str] = []
    real_load = table_module.load_table

    def spy(path: Path, raw: bytes | None = None, catalog: Catalog | None = None) -> object:
        read.append(path.name)
        return real_load(path, raw, catalog)

    monkeypatch.setattr("bot.datastore.load_table", spy)
    (data / "magnet_exports.csv").write_text(
        REAL.read_text() + "2026-03,WORLD,usd,1234,reported,normal,Bench,,,\n"
    )
    assert store.reload() is None
    assert read == ["magnet_exports.csv"]
    assert store.current.comtrade is comtrade  # its figures, rules and memos kept
    assert store.current.metrics is not customs
    note = data / "notes" / "2025-06.md"
    note.write_text(note.read_text() + "\n")
    before = store.current.metrics
    assert store.reload() is None
    assert read == ["magnet_exports.csv"]  # nothing read again for a note
    assert store.current.metrics is before


async def test_start_up_sets_its_objects_aside_from_the_collector(tmp_path: Path) -> None:
    gc.unfreeze()
    services = build_services(Settings.from_env({"DATA_DIR": str(DATA)}, dotenv=None))
    async with LocalChat(services):
        assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_a_restart_with_the_same_data_takes_the_kept_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = SnapshotCache(tmp_path / "cache")
    first = DataStore(DATA, cache=cache)
    built: list[Path] = []
    monkeypatch.setattr("bot.datastore.load_snapshot", lambda folder, *_: built.append(folder))
    again = DataStore(DATA, cache=cache)
    assert built == []
    assert again.current.version == first.current.version
    june = Period.parse_code("2025-06")
    assert again.current.metrics.month("US", june).as_dict() == (
        first.current.metrics.month("US", june).as_dict()
    )


def test_changed_data_is_built_again_not_taken_from_the_cache(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    cache = SnapshotCache(tmp_path / "cache")
    before = DataStore(data, cache=cache).current
    (data / "magnet_exports.csv").write_text(
        REAL.read_text() + "2026-03,WORLD,usd,1234,reported,normal,Bench,,,\n"
    )
    after = DataStore(data, cache=cache).current
    assert after.version != before.version
    assert after.metrics.figure("WORLD", Period.parse_code("2026-03"), "usd") is not None


@pytest.mark.parametrize("damage", ["torn", "group-writable"])
def test_a_damaged_or_shared_cache_entry_is_not_used(tmp_path: Path, damage: str) -> None:
    cache = SnapshotCache(tmp_path / "cache")
    version = DataStore(DATA, cache=cache).current.version
    (entry,) = (tmp_path / "cache").glob("snapshot-*.pickle")
    if damage == "torn":
        entry.write_bytes(entry.read_bytes()[:100])
    else:
        entry.chmod(0o664)
    assert cache.load(version) is None
    assert DataStore(DATA, cache=cache).current.version == version  # built again


START = """
import asyncio, pathlib, sys
from bot.config import Settings
from bot.console import ask
from bot.services import build_services
settings = Settings.from_env({"CACHE_DIR": sys.argv[1]}, dotenv=None)
print(asyncio.run(ask(build_services(settings), "/exports US", False, pathlib.Path("out"))))
print("pandas" in sys.modules)
"""


def test_a_start_from_the_kept_snapshot_does_not_load_pandas(tmp_path: Path) -> None:
    def start() -> str:
        done = subprocess.run(
            [sys.executable, "-c", START, str(tmp_path / "cache")],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        return done.stdout.strip().splitlines()[-1]

    assert start() == "True"  # the first start builds the data with pandas
    assert start() == "False"  # the next one answers from the kept snapshot


HEADER = ",".join(COLUMNS) + "\n"


@pytest.mark.parametrize(
    "body",
    [
        # quotes inside unquoted fields (inch marks) around a short record
        '2024-01,DE,tonnes,5,reported,normal,T 5" magnet,,,\n'
        "2024-02,DE,tonnes,5,reported,normal,T,,\n"
        '2024-03,DE,tonnes,5,reported,normal,T 7" magnet,,,\n',
        # records ended by a lone CR (Excel's Macintosh CSV)
        "2024-01,DE,tonnes,5,reported,normal,T\r2024-01,DE,tonnes,6,reported,normal,T,,,\r",
        # a value far longer than any figure, among many distinct values
        "".join(f"2024-01,DE,tonnes,{i},reported,normal,T{i},,,\n" for i in range(2, 300))
        + "2024-02,DE,tonnes,"
        + "9" * 20_000
        + " t,reported,normal,T,,,\n",
        # a NUL after the digits
        "2024-01,DE,tonnes,12\x00,reported,normal,T,,,\n",
        # a period code with a space after it, or in full-width digits
        "2024-01 ,DE,tonnes,5,reported,normal,T,,,\n",
        "２０２４-01,DE,tonnes,5,reported,normal,T,,,\n",
    ],
    ids=["inch-marks", "cr-only", "long-value", "nul", "period-space", "period-wide"],
)
def test_odd_files_are_refused_as_row_by_row_refuses_them(tmp_path: Path, body: str) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes((HEADER + body).encode())
    with pytest.raises(DataFileError) as expected:
        _frame, raw = read_text_csv(path, COLUMNS, skip_spaces=True)
        check_fields(path, raw.decode())
        row_by_row(path)
    with pytest.raises(DataFileError) as got:
        load_table(path)
    assert str(got.value) == str(expected.value)


def test_a_snapshot_is_not_kept_when_the_folder_changed_while_it_was_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    real_ledger = ledger.read_ledger

    def written_meanwhile(folder: Path) -> object:
        (data / "magnet_exports.csv").write_text(REAL.read_text() + "\n")
        return real_ledger(folder)

    monkeypatch.setattr("bot.datastore.read_ledger", written_meanwhile)
    DataStore(data, cache=SnapshotCache(tmp_path / "cache"))
    assert not list((tmp_path / "cache").glob("snapshot-*"))


def test_keeping_the_cache_never_fails_a_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    (folder / "snapshot-gone-0.pickle").symlink_to(tmp_path / "nothing")  # pruned by another
    cache = SnapshotCache(folder)
    for version in ("a", "b", "c", "d"):
        cache.save(version, {"version": version})
    assert cache.load("d") == {"version": "d"}
    assert cache.load("a") is None  # only the newest are kept

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("cannot pickle")

    monkeypatch.setattr("bot.data.cache.pickle.dump", broken)
    cache.save("e", object())  # logged, not raised
    assert cache.load("e") is None


def test_a_cache_folder_others_may_write_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    cache = SnapshotCache(folder)
    cache.save("v", {"kept": True})
    assert cache.load("v") == {"kept": True}
    folder.chmod(0o777)
    assert cache.load("v") is None


def test_a_file_that_differs_from_its_digest_is_not_parsed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "magnet_exports.csv"
    digests = datastore.folder_digests(data)
    path.write_text(REAL.read_text() + "\n")  # written after the digests were taken
    with pytest.raises(StillChanging):
        datastore.TableCache().read([path], digests, project_catalog())


def test_a_csv_appearing_while_the_first_load_reads_waits_for_the_next_reload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    real_digests = datastore.folder_digests
    extra = data / "new.csv"

    def then_a_new_file(folder: Path) -> dict[Path, str]:
        digests = real_digests(folder)
        if not extra.exists():
            extra.write_text(REAL.read_text().replace("2026-03,WORLD", "2026-04,WORLD"))
        return digests

    monkeypatch.setattr("bot.datastore.folder_digests", then_a_new_file)
    store = DataStore(data, settle_seconds=0)  # no KeyError: only the files hashed are read
    april = Period.parse_code("2026-04")
    assert store.current.metrics.figure("WORLD", april) is None
    assert store.reload() is None
    assert store.current.metrics.figure("WORLD", april) is not None


def test_a_file_rewritten_while_the_first_load_reads_it_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    real_digests = datastore.folder_digests
    calls: list[int] = []

    def then_rewritten(folder: Path) -> dict[Path, str]:
        digests = real_digests(folder)
        if not calls:
            (data / "magnet_exports.csv").write_text(REAL.read_text() + "\n")
        calls.append(1)
        return digests

    monkeypatch.setattr("bot.datastore.folder_digests", then_rewritten)
    store = DataStore(data, settle_seconds=0)
    assert len(calls) >= 2 and store.current.version == datastore.folder_version(data)
