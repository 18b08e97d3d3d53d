"""The loader: every rule of a data file, and a bad file never replacing good data."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.data.dataset import COLUMNS, CUSTOMS_SERIES, DataFileError
from bot.data.table import load_file, load_folder
from bot.datastore import DataStore
from tests.conftest import DATA_DIR

HEADER = ",".join(COLUMNS)
GOOD = "2025-06,US,tonnes,353,reported,normal,Some report,https://example.org/a,,"


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "figures.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_shipped_data_loads_every_figure() -> None:
    figures = load_folder(DATA_DIR)
    assert Counter(f.file for f in figures) == {
        "critical_minerals.csv": 210,
        "magnet_exports.csv": 190,
    }
    first = figures[0]  # the files in name order, each from its first row
    assert first.file == "critical_minerals.csv" and first.line == 2
    assert {f.series for f in figures if f.file == "magnet_exports.csv"} == {CUSTOMS_SERIES}
    assert {f.status for f in figures} == {"reported", "derived"}
    assert all(f.derivation for f in figures if f.status == "derived")


def test_a_good_row_is_read_with_its_precision(tmp_path: Path) -> None:
    row = "2025-05,US,tonnes,46.4,reported,normal,Some report,https://example.org/a,,"
    (figure,) = load_file(write(tmp_path, row))
    assert figure.value == 46.4 and figure.decimals == 1 and figure.line == 2


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2025-13,US,tonnes,1,reported,normal,T,,,", "period '2025-13'"),
        ("June 2025,US,tonnes,1,reported,normal,T,,,", "period 'June 2025'"),
        ("2025-06,XX,tonnes,1,reported,normal,T,,,", "partner 'XX'"),
        ("2025-06,usa,tonnes,1,reported,normal,T,,,", "partner 'usa'"),
        ("2025-06,US,kg,1,reported,normal,T,,,", "metric 'kg'"),
        ("2025-06,US,tonnes,-5,reported,normal,T,,,", "negative"),
        ("2025-06,US,tonnes,lots,reported,normal,T,,,", "not a number"),
        ("2025-06,US,tonnes,nan,reported,normal,T,,,", "not a finite number"),
        ("2025-06,US,tonnes,1,guessed,normal,T,,,", "status 'guessed'"),
        ("2025-06,US,tonnes,1,reported,high,T,,,", "reliability 'high'"),
        ("2025-06,US,tonnes,1,derived,normal,T,,,", "needs its derivation"),
        ("2025-06,US,tonnes,1,reported,normal,,,,", "source_title is empty"),
        ("2025-06,US,tonnes,1,reported,normal,T,ftp://x,,", "not an http(s) address"),
    ],
)
def test_a_bad_row_is_rejected_naming_file_line_and_problem(
    tmp_path: Path, row: str, problem: str
) -> None:
    path = write(tmp_path, GOOD, row)
    with pytest.raises(DataFileError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith("figures.csv, line 3: ")
    assert problem in message


def test_exact_duplicates_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"line 3: exact duplicate of line 2"):
        load_file(write(tmp_path, GOOD, GOOD))


def test_missing_columns_are_named(tmp_path: Path) -> None:
    header = HEADER.replace(",reliability", "")
    with pytest.raises(DataFileError, match=r"line 1: missing column\(s\): reliability"):
        load_file(write(tmp_path, header=header))


def test_a_file_that_is_not_utf8_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_bytes(HEADER.encode() + b"\n2025-06,US,tonnes,1,reported,normal,\xff\xfe,,,\n")
    with pytest.raises(DataFileError, match="not a readable UTF-8 CSV"):
        load_file(path)


def test_a_bad_file_never_replaces_good_data(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    store = DataStore(folder)
    before = store.current
    assert store.reload() is None and store.current is before  # unchanged: nothing rebuilt

    extra = folder / "more.csv"
    extra.write_text(f"{HEADER}\n2025-06,US,tonnes,-1,reported,normal,T,,,\n", encoding="utf-8")
    error = store.reload()
    assert error is not None and "more.csv, line 2" in str(error)
    assert store.current is before
    extra.write_text(f"{HEADER}\n2025-06,FR,tonnes,12,reported,normal,T,,,\n", encoding="utf-8")
    assert store.reload() is None
    assert store.current is not before and store.current.version != before.version
    assert "FR" in store.current.metrics.partners()
