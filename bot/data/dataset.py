"""Loading and validating the data files in ``data/``.

Every ``*.csv`` in the data folder holds figures, one row per figure and source. A file that
breaks a rule is rejected whole with a :class:`DataFileError` naming the file, the line and
the problem; nothing of it is used. Imported official files live in ``data/imports/`` (see
:mod:`bot.data.ledger`) in the same format, with a ``series`` column.

Only regular files of at most :data:`MAX_FILE_BYTES` are read (:func:`read_bytes`): a FIFO,
a device, a directory or a broken link is a :class:`DataFileError`, never a hang. Values are
plain decimals, finite, not so small that they show as 0, and under the ceilings of their
series' description (:mod:`bot.data.series`).

Each problem is said where it is found (:mod:`bot.data.problems`): an operator's ``/reload``
gives it in the chat's language.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.data.problems import DataFileError as DataFileError  # where the loaders import it
from bot.data.problems import (
    empty,
    missing_columns,
    negative,
    not_a_number,
    not_a_partner_code,
    not_a_web_address,
    not_finite,
    not_one_of,
    quoted,
)
from bot.data.series import Catalog, project_catalog
from bot.i18n import Named, Said, said
from bot.reading.partners import is_partner_code
from bot.reading.periods import Period, PeriodError

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = (
    "period",
    "partner",
    "metric",
    "value",
    "status",
    "reliability",
    "source_title",
    "source_url",
    "derivation",
    "note",
)
REQUIRED = ("period", "partner", "metric", "value", "status", "reliability", "source_title")
#: China's tariff line 85051110 (rare-earth magnets): the default series, described with the
#: others in ``data/series/`` (:mod:`bot.data.series`).
CUSTOMS_SERIES = "85051110"
#: UN Comtrade's HS 850511 (all metal permanent magnets): broader, kept apart.
COMTRADE_SERIES = "HS850511"
#: Every metric a figure may have; which ones a series may have is in its description.
METRICS = ("tonnes", "kg", "usd", "cny", "tonnes_monthly_avg")
STATUSES = ("reported", "derived")
#: ``official`` marks figures imported from the statistics offices' own files.
RELIABILITIES = ("official", "normal", "low")
#: The largest data file read (the seed file is 40 KB; a year of customs imports is ~1 MB).
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Figures are shown with at most this many decimals (:func:`exact`).
SHOWN_DECIMALS = 3
_PLAIN_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Revision:
    """An earlier imported value of a figure, replaced by a later import."""

    value: float
    decimals: int
    imported: str  # "import 2 (customs-2025-06.csv, 2026-07-20)"


@dataclass(frozen=True)
class Figure:
    """One figure as one source published it."""

    period: str
    partner: str
    metric: str
    value: float
    decimals: int
    status: str
    reliability: str
    source_title: str
    source_url: str
    derivation: str
    note: str
    file: str
    line: int
    series: str = CUSTOMS_SERIES
    #: Earlier imported values of this figure, oldest first (empty unless revised).
    history: tuple[Revision, ...] = ()

    @property
    def is_reported(self) -> bool:
        return self.status == "reported"

    @property
    def is_lower_bound(self) -> bool:
        """The source gave "at least" this much ("200+"); its note starts "lower bound"."""
        return self.note.strip().lower().startswith("lower bound")


def exact(value: float) -> str:
    """A figure as the file gives it, with thousands separators: ``353.48``, ``12,345,678``."""
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _shown(text: str) -> str:
    """A value for a message, shortened: a 400-digit number is not repeated whole."""
    return text if len(text) <= 24 else text[:20] + "…"


def ceiling(series: str, metric: str, period: str, catalog: Catalog | None = None) -> float:
    """The largest value a figure of this series, metric and period may have: the month's
    ceiling in the series' description, times the months of the period (an average's is the
    month's). A value above it is a slip (a unit, a digit), not a figure."""
    return (catalog or project_catalog()).ceiling(series, metric, period)


def metric_problem(series: str, metric: str, catalog: Catalog | None = None) -> Said | None:
    """Why ``series`` cannot have ``metric`` (or its key is unknown), else ``None``."""
    known = catalog or project_catalog()
    info = known.get(series)
    if info is None:
        return said(
            "{column} {value} is not described in series/ ({keys})",
            column="series",
            value=quoted(series),
            keys=known.keys,
        )
    if metric not in info.metrics:
        return said(
            "{column} {value} is not one of the metrics of {series}: {metrics}",
            column="metric",
            value=quoted(metric),
            series=Named(info.name, info.name_zh),
            metrics=info.metrics,
        )
    return None


def parse_value(
    path: Path, line: int, row: dict[str, str], catalog: Catalog | None = None
) -> tuple[float, int]:
    """(value, decimals) of a row: a plain, finite, non-negative decimal under the ceiling."""
    text = row["value"].strip()
    shown = _shown(text)
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(path, line, not_a_number("value", quoted(shown))) from None
    if not math.isfinite(value):
        raise DataFileError(path, line, not_finite("value", quoted(shown)))
    if value < 0:
        raise DataFileError(path, line, negative("value", shown))
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise DataFileError(
            path,
            line,
            said(
                "{column} {value} is not a plain decimal such as 1234.5",
                column="value",
                value=quoted(shown),
            ),
        )
    if value < 0.5 * 10**-SHOWN_DECIMALS and text.strip("0.") != "":
        raise DataFileError(
            path,
            line,
            said(
                "{column} {value} rounds to 0 at {places} decimals",
                column="value",
                value=quoted(shown),
                places=SHOWN_DECIMALS,
            ),
        )
    top = ceiling(row["series"], row["metric"], row["period"], catalog)
    if value > top:
        raise DataFileError(
            path,
            line,
            said(
                "{column} {value} is above {ceiling}, more {metric} than any {period} could "
                "have: a unit or a digit is wrong",
                column="value",
                value=shown,
                ceiling=f"{top:,.0f}",
                metric=row["metric"],
                period=row["period"],
            ),
        )
    return value, _decimals(text)


def parse_row(path: Path, line: int, row: dict[str, str], catalog: Catalog | None = None) -> Figure:
    """Check one row (``COLUMNS`` and an optional ``series``) and make it a :class:`Figure`;
    the series and their ceilings are ``catalog``'s (the project's by default)."""
    for column in REQUIRED:
        if not row[column].strip():
            raise DataFileError(path, line, empty(column))
    try:
        canonical = Period.parse_code(row["period"]).code == row["period"]
    except PeriodError:
        canonical = False
    if not canonical:
        raise DataFileError(
            path,
            line,
            said(
                "{column} {value} is not YYYY, YYYY-MM, YYYY-H1, -Q1 or -YTDmm",
                column="period",
                value=quoted(row["period"]),
            ),
        )
    if not is_partner_code(row["partner"]):
        raise DataFileError(path, line, not_a_partner_code(row["partner"]))
    row.setdefault("series", CUSTOMS_SERIES)
    checks = (
        ("metric", METRICS),
        ("status", STATUSES),
        ("reliability", RELIABILITIES),
    )
    for column, allowed in checks:
        if row[column] not in allowed:
            raise DataFileError(path, line, not_one_of(column, row[column], allowed))
    problem = metric_problem(row["series"], row["metric"], catalog)
    if problem:
        raise DataFileError(path, line, problem)
    value, decimals = parse_value(path, line, row, catalog)
    if row["status"] == "derived" and not row["derivation"].strip():
        raise DataFileError(
            path, line, said("a derived figure needs its {column}", column="derivation")
        )
    url = row["source_url"].strip()
    if url and not url.startswith(("http://", "https://")):
        raise DataFileError(path, line, not_a_web_address(url))
    return Figure(
        period=row["period"],
        partner=row["partner"],
        metric=row["metric"],
        value=value,
        decimals=decimals,
        status=row["status"],
        reliability=row["reliability"],
        source_title=row["source_title"].strip(),
        source_url=url,
        derivation=row["derivation"].strip(),
        note=row["note"].strip(),
        file=path.name,
        line=line,
        series=row["series"],
    )


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A data file's bytes; only a regular file of at most ``limit`` bytes is read.

    Opened without blocking and checked on the open file, so a FIFO never hangs the reader
    and a file swapped after a check is still the file checked."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        if path.is_symlink():
            problem = said("a link to nothing; only regular files are read")
        else:
            problem = said("not found; only regular files are read")
        raise DataFileError(path, None, problem) from None
    except OSError as error:
        raise DataFileError(
            path, None, said("cannot be opened ({reason})", reason=str(error.strerror))
        ) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise DataFileError(path, None, said("is a directory, not a data file"))
        raise DataFileError(path, None, said("not a regular file (a FIFO, socket or device)"))
    with os.fdopen(descriptor, "rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise DataFileError(
            path, None, said("larger than {limit} bytes; not read", limit=f"{limit:,}")
        )
    return data


def check_fields(path: Path, text: str) -> None:
    """Every row has the header's number of fields (pandas pads a short row with blanks)."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    width = len(next(reader, []))
    for record in reader:
        if record and len(record) < width:
            raise DataFileError(
                path,
                reader.line_num,
                said(
                    "fewer fields than the header ({found} of {width})",
                    found=len(record),
                    width=width,
                ),
            )


def read_csv(
    path: Path,
    columns: tuple[str, ...],
    skip_spaces: bool = False,
    objects: bool = False,
    raw: bytes | None = None,
) -> tuple[pd.DataFrame, bytes]:
    """A data file as a table of strings (read as :func:`read_bytes` reads), with every one of
    ``columns``; raise :class:`DataFileError` when it cannot be. ``objects`` keeps the texts
    as plain Python strings (quicker to work on a column at a time); ``raw`` is the file's
    bytes when they were read already."""
    import pandas as pd

    raw = read_bytes(path) if raw is None else raw
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            dtype=object if objects else str,
            keep_default_na=False,
            encoding="utf-8",
            skipinitialspace=skip_spaces,
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DataFileError(
            path, None, said("not a readable UTF-8 CSV file ({detail})", detail=str(error))
        ) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFileError(path, 1, missing_columns(missing))
    return frame, raw


def distinct_rows(
    path: Path, frame: pd.DataFrame, columns: list[str]
) -> list[tuple[int, dict[str, str]]]:
    """Each row's line number and its ``columns``; an exact duplicate rejects the file."""
    first_line: dict[tuple[str, ...], int] = {}
    rows = []
    for offset, values in enumerate(frame[columns].itertuples(index=False, name=None)):
        line = offset + 2  # line 1 is the header
        row = dict(zip(columns, (str(v) for v in values), strict=True))
        key = tuple(row[c].strip() for c in columns)
        if key in first_line:
            raise DataFileError(
                path, line, said("exact duplicate of line {line}", line=first_line[key])
            )
        first_line[key] = line
        rows.append((line, row))
    return rows
