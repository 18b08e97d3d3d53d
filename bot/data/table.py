"""Figures as a table: a data file read and checked a column at a time.

A data file becomes one pandas frame, a row per figure with the fields of :class:`Figure`; a
``Figure`` object is made only for a row an answer cites (:class:`FigureTable`). The checks
are :func:`~bot.data.dataset.parse_row`'s, run over whole columns. The first row they reject
is handed to ``parse_row`` for its message, so a bad file is refused exactly as before, with
its file, line and problem; and if ``parse_row`` accepts that row after all, the file is read
row by row the old way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from bot.data.dataset import (
    COLUMNS,
    CUSTOMS_SERIES,
    METRICS,
    RELIABILITIES,
    REQUIRED,
    SHOWN_DECIMALS,
    STATUSES,
    DataFileError,
    Figure,
    check_fields,
    distinct_rows,
    metric_problem,
    parse_row,
    read_csv,
)
from bot.data.series import Catalog, SeriesError, load_catalog, project_catalog
from bot.i18n import said
from bot.reading.partners import is_partner_code
from bot.reading.periods import Period, PeriodError

if TYPE_CHECKING:
    import pandas as pd


T = TypeVar("T")
R = TypeVar("R")
#: The longest text read as a plain decimal (a figure has at most 12 digits and 3 decimals).
MAX_PLAIN = 40
#: The table's columns: a :class:`Figure`'s fields, in order.
FIELDS = tuple(f.name for f in fields(Figure))


class FigureTable:
    """Figures in columns, with one :class:`Figure` object per row made when first asked for
    (always the same object for a row, as the conflict rules compare figures by identity).

    :attr:`frame` (pandas) is there while the metrics are built from it; :meth:`compact`
    lets it go, leaving the column arrays, so a built snapshot is answered from (and pickled)
    without pandas."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame: pd.DataFrame | None = frame.reset_index(drop=True)
        self._columns = {name: self._frame[name].to_numpy() for name in FIELDS}
        self._made: dict[int, Figure] = {}

    @property
    def frame(self) -> pd.DataFrame:
        """The figures as a pandas frame (made again from the columns after :meth:`compact`)."""
        if self._frame is None:
            import pandas as pd

            self._frame = pd.DataFrame(self._columns)
        return self._frame

    def compact(self) -> None:
        self._frame = None

    def __getstate__(self) -> dict[str, object]:
        return self.__dict__ | {"_frame": None}

    def __len__(self) -> int:
        return len(self._columns["line"])

    def figure(self, row: int) -> Figure:
        made = self._made.get(row)
        if made is None:
            values = {name: column[row] for name, column in self._columns.items()}
            values["history"] = values["history"] or ()
            values["value"] = float(values["value"])  # Python numbers, not numpy's
            values["decimals"], values["line"] = int(values["decimals"]), int(values["line"])
            made = self._made[row] = Figure(**values)
        return made

    def made(self) -> dict[int, Figure]:
        """The rows whose :class:`Figure` has been made, by row."""
        return self._made

    def figures(self) -> list[Figure]:
        return [self.figure(row) for row in range(len(self))]

    def sources(self) -> int:
        """How many sources (addresses, else titles) the figures come from."""
        urls, titles = self._columns["source_url"], self._columns["source_title"]
        return len(
            {url or title for url, title in zip(urls.tolist(), titles.tolist(), strict=True)}
        )

    @classmethod
    def of(cls, figures: Iterable[Figure]) -> FigureTable:
        """A table of figures already made (tests, imports); each row keeps its object."""
        import pandas as pd

        made = list(figures)
        frame = pd.DataFrame(
            [[getattr(f, name) for name in FIELDS] for f in made], columns=list(FIELDS)
        )
        frame["history"] = pd.Series([f.history or None for f in made], dtype=object)
        table = cls(frame.astype({"value": float, "decimals": int, "line": int}))
        table._made = dict(enumerate(made))
        return table


#: Files read at once: reading and the array work release the interpreter lock, so a second
#: core shortens a load of several files (a single core loses nothing).
READERS = min(4, os.cpu_count() or 1)


def in_threads(work: Callable[[T], R], items: list[T]) -> list[R]:
    """``work`` over ``items`` on up to :data:`READERS` threads, results in order."""
    if READERS == 1 or len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(READERS) as pool:
        return list(pool.map(work, items))


def load_file(path: Path, catalog: Catalog | None = None) -> list[Figure]:
    """Read and check one data file (against ``catalog``'s series, the project's by
    default); raise :class:`DataFileError` on the first problem."""
    return FigureTable(load_table(path, catalog=catalog)).figures()


def load_folder(folder: Path) -> list[Figure]:
    """Load every ``*.csv`` in ``folder``, checked against the folder's own series
    descriptions (or the project's); any bad file rejects the whole load."""
    if not folder.is_dir():
        raise DataFileError(folder, None, said("data folder not found"))
    paths = sorted(folder.glob("*.csv"))
    if not paths:
        raise DataFileError(folder, None, said("no *.csv data files in the folder"))
    try:
        catalog = load_catalog(folder)
    except SeriesError as error:
        raise DataFileError(folder / "series", None, error.said) from None
    return [figure for path in paths for figure in load_file(path, catalog)]


def load_table(
    path: Path, raw: bytes | None = None, catalog: Catalog | None = None
) -> pd.DataFrame:
    """Read and check one data file into a frame of :data:`FIELDS`; raise
    :class:`DataFileError` on the first problem, as :func:`parse_row` words it.

    Each text column is worked on through its distinct values (a file has few periods,
    partners and sources, however many rows), so the checks cost little per row. The
    series, their metrics and ceilings are ``catalog``'s (the project's by default)."""
    import pandas as pd

    catalog = catalog or project_catalog()
    frame, raw = read_csv(path, COLUMNS, skip_spaces=True, objects=True, raw=raw)
    if frame.empty:
        raise DataFileError(path, 2, said("no figures: the file has its header and nothing else"))
    if _maybe_short_record(raw):
        check_fields(path, raw.decode("utf-8"))
    columns = [*COLUMNS, "series"] if "series" in frame.columns else list(COLUMNS)
    rows = frame[columns].reset_index(drop=True)
    if "series" not in rows:
        rows["series"] = CUSTOMS_SERIES
    raw_cols = {c: _Column(rows[c]) for c in rows.columns}
    stripped = {c: column.stripped() for c, column in raw_cols.items()}
    if _has_duplicates([stripped[c] for c in columns]):
        distinct_rows(path, frame, columns)  # raises, naming both lines
    value = stripped["value"]
    bad = _rejected(raw_cols, stripped)
    bad |= _wrong_metric(raw_cols["series"], raw_cols["metric"], catalog)
    plain, decimals = _plain_decimals(value.uniques)
    numbers = np.where(plain, value.uniques, "0").astype(float)[value.codes]
    tiny = numbers < 0.5 * 10**-SHOWN_DECIMALS * (1 + 1e-9)  # close calls go to parse_row
    nonzero = np.array([u.strip("0.") != "" for u in value.uniques], dtype=bool)
    bad |= ~plain[value.codes] | (tiny & nonzero[value.codes])
    limits = _limits(raw_cols["series"], raw_cols["metric"], raw_cols["period"], bad, catalog)
    bad |= numbers > limits * (1 - 1e-12)  # close calls go to parse_row's exact check
    if bad.any():
        first = int(bad.argmax())
        row = {str(k): str(v) for k, v in rows.iloc[first].items()}
        parse_row(path, first + 2, row, catalog)  # raises with its message
        return _row_by_row(path, frame, columns, catalog)  # the screen was stricter: read as before
    return pd.DataFrame(
        {
            "period": raw_cols["period"].values(),
            "partner": raw_cols["partner"].values(),
            "metric": raw_cols["metric"].values(),
            "value": numbers,
            "decimals": decimals[value.codes],
            "status": raw_cols["status"].values(),
            "reliability": raw_cols["reliability"].values(),
            "source_title": stripped["source_title"].values(),
            "source_url": stripped["source_url"].values(),
            "derivation": stripped["derivation"].values(),
            "note": stripped["note"].values(),
            "file": path.name,
            "line": np.arange(2, len(rows) + 2),
            "series": raw_cols["series"].values(),
            "history": None,
        }
    )


class _Column:
    """A text column as its distinct values and, per row, the index of its value."""

    def __init__(self, column: pd.Series | None = None) -> None:
        import pandas as pd

        if column is not None:
            codes, uniques = pd.factorize(column)
            self.codes: np.ndarray = codes
            self.uniques: np.ndarray = np.asarray(uniques, dtype=object)

    def stripped(self) -> _Column:
        import pandas as pd

        values = [u.strip() for u in self.uniques]
        if all(len(v) == len(u) for v, u in zip(values, self.uniques, strict=True)):
            return self
        column = _Column()
        new_codes, uniques = pd.factorize(pd.Series(values, dtype=object))
        column.uniques = np.asarray(uniques, dtype=object)
        column.codes = np.asarray(new_codes)[self.codes]
        return column

    def where(self, test: Callable[[str], bool]) -> np.ndarray:
        """Per row: whether ``test`` holds for its value."""
        found = np.array([test(u) for u in self.uniques], dtype=bool)
        rows: np.ndarray = found[self.codes]
        return rows

    def values(self) -> pd.Series:
        """Per row, its value (a column of Python strings, as read)."""
        import pandas as pd

        return pd.Series(self.uniques[self.codes], dtype=object, copy=False)


def _has_duplicates(columns: list[_Column]) -> bool:
    """Whether two rows are alike in every column: first tried on the columns that tell
    most rows apart (period, partner, metric, value), then, for the rows alike in those,
    on all of them."""
    import pandas as pd

    key = np.zeros(len(columns[0].codes), dtype=np.int64)
    for column in columns[:4]:
        key = key * len(column.uniques) + column.codes
    alike = pd.Series(key).duplicated(keep=False).to_numpy()
    if not alike.any():
        return False
    codes = np.column_stack([c.codes[alike] for c in columns])
    return bool(pd.DataFrame(codes).duplicated().any())


def _rejected(raw: dict[str, _Column], stripped: dict[str, _Column]) -> np.ndarray:
    """Rows that :func:`parse_row` would refuse, but for the value's checks."""
    bad = np.zeros(len(raw["period"].codes), dtype=bool)
    for column in REQUIRED:
        bad |= stripped[column].where(lambda u: u == "")
    bad |= ~raw["period"].where(_period_ok)
    bad |= ~raw["partner"].where(is_partner_code)
    for column, allowed in (
        ("metric", METRICS),
        ("status", STATUSES),
        ("reliability", RELIABILITIES),
    ):
        bad |= ~raw[column].where(lambda u, allowed=allowed: u in allowed)  # type: ignore[misc]
    derived = raw["status"].where(lambda u: u == "derived")
    bad |= derived & stripped["derivation"].where(lambda u: u == "")
    web = ("http://", "https://")
    bad |= stripped["source_url"].where(lambda u: u != "" and not u.startswith(web))
    return bad


def _plain_decimals(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(is a plain ASCII decimal such as 1234.5, digits after the point) of each text."""
    plain = np.zeros(len(texts), dtype=bool)
    decimals = np.zeros(len(texts), dtype=np.int64)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    short = np.flatnonzero(lengths <= MAX_PLAIN)  # longer is no figure: parse_row words it
    if len(short):
        plain[short], decimals[short] = _short_plain_decimals(texts[short], lengths[short])
    return plain, decimals


def _short_plain_decimals(texts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_plain_decimals` of short texts, as one fixed-width array of characters."""
    chars = np.array(texts.tolist(), dtype=str)
    width = max(chars.dtype.itemsize // 4, 1)
    grid = chars.view(np.uint32).reshape(len(texts), width)
    digit, dot, pad = (grid >= 48) & (grid <= 57), grid == 46, grid == 0
    length = (~pad).sum(axis=1)
    last = grid[np.arange(len(texts)), np.maximum(length - 1, 0)]
    plain = (
        (digit | dot | pad).all(axis=1)
        & (dot.sum(axis=1) <= 1)
        & digit[:, 0]
        & (last >= 48)
        & (last <= 57)
        & (pad[:, :-1] <= pad[:, 1:]).all(axis=1)
        & (length == lengths)  # else a NUL the fixed-width array dropped
    )
    point = np.where(dot.any(axis=1), dot.argmax(axis=1), length - 1)
    return plain, (length - 1 - point).astype(np.int64)


def _wrong_metric(series: _Column, metric: _Column, catalog: Catalog) -> np.ndarray:
    """Rows whose series is not described, or cannot have their metric."""
    size = len(metric.uniques)
    combined = series.codes * size + metric.codes
    keys, index = np.unique(combined, return_inverse=True)
    wrong = np.array(
        [
            metric_problem(series.uniques[k // size], metric.uniques[k % size], catalog) is not None
            for k in keys.tolist()
        ],
        dtype=bool,
    )
    rows: np.ndarray = wrong[np.asarray(index).reshape(-1)]
    return rows


def _limits(
    series: _Column, metric: _Column, period: _Column, bad: np.ndarray, catalog: Catalog
) -> np.ndarray:
    """Each row's ceiling (0 for a row already refused)."""
    sizes = (len(metric.uniques), len(period.uniques))
    combined = (series.codes * sizes[0] + metric.codes) * sizes[1] + period.codes
    combined = np.where(bad, -1, combined)
    keys, index = np.unique(combined, return_inverse=True)

    def limit(key: int) -> float:
        if key < 0:
            return 0.0
        rest, p = divmod(key, sizes[1])
        s, m = divmod(rest, sizes[0])
        return catalog.ceiling(series.uniques[s], metric.uniques[m], period.uniques[p])

    ceilings = np.array([limit(int(k)) for k in keys])
    return ceilings[np.asarray(index).reshape(-1)]


def _maybe_short_record(raw: bytes) -> bool:
    """Whether a record might have fewer fields than the header. A file with quotes or a
    line end other than ``\n`` and ``\r\n`` is always read record by record (a quote opens
    a field only at its start, which arrays cannot tell); otherwise commas are counted per
    line."""
    if b'"' in raw or raw.count(b"\r") != raw.count(b"\r\n"):
        return True
    data = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    if len(data) and data[-1] != 10:
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))
    filled = ends > starts
    record = np.searchsorted(ends, np.flatnonzero(data == 44))
    fields = np.bincount(record, minlength=len(ends))[: len(ends)] + 1
    return bool(np.any((fields[1:] < fields[0]) & filled[1:]))


def _period_ok(code: str) -> bool:
    """A period code as the data files write it: ``2025-06``, not ``2025-06 ``."""
    try:
        return Period.parse_code(code).code == code
    except PeriodError:
        return False


def _row_by_row(
    path: Path, frame: pd.DataFrame, columns: list[str], catalog: Catalog
) -> pd.DataFrame:
    rows = distinct_rows(path, frame, columns)
    figures = [parse_row(path, line, row, catalog) for line, row in rows]
    return FigureTable.of(figures).frame
