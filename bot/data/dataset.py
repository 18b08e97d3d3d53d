"""Loading and validating the data files in ``data/``.

Every ``*.csv`` in the data folder holds figures, one row per figure and source. A file that
breaks a rule is rejected whole with a :class:`DataFileError` naming the file, the line and
the problem; nothing of it is used. Imported official files live in ``data/imports/`` (see
:mod:`bot.data.ledger`) in the same format, with a ``series`` column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bot.reading.partners import is_partner_code
from bot.reading.periods import Period, PeriodError

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
#: China's tariff line, the series the bot answers from and pushes.
CUSTOMS_SERIES = "85051110"
#: UN Comtrade's HS 850511 (all metal permanent magnets): broader, kept apart.
COMTRADE_SERIES = "HS850511"
SERIES = (CUSTOMS_SERIES, COMTRADE_SERIES)
METRICS = ("tonnes", "usd", "cny", "tonnes_monthly_avg")
STATUSES = ("reported", "derived")
#: ``official`` marks figures imported from the statistics offices' own files.
RELIABILITIES = ("official", "normal", "low")


class DataFileError(ValueError):
    """A data file that breaks a rule; the message names file, line and problem."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path.name}, line {line}" if line else path.name
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


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


def parse_row(path: Path, line: int, row: dict[str, str]) -> Figure:
    """Check one row (``COLUMNS`` and an optional ``series``) and make it a :class:`Figure`."""
    for column in REQUIRED:
        if not row[column].strip():
            raise DataFileError(path, line, f"{column} is empty")
    try:
        Period.parse_code(row["period"])
    except PeriodError:
        raise DataFileError(
            path, line, f"period {row['period']!r} is not YYYY, YYYY-MM, YYYY-H1, -Q1 or -YTDmm"
        ) from None
    if not is_partner_code(row["partner"]):
        raise DataFileError(path, line, f"partner {row['partner']!r} is not an ISO 2 code")
    row.setdefault("series", CUSTOMS_SERIES)
    checks = (
        ("metric", METRICS),
        ("status", STATUSES),
        ("reliability", RELIABILITIES),
        ("series", SERIES),
    )
    for column, allowed in checks:
        if row[column] not in allowed:
            raise DataFileError(
                path, line, f"{column} {row[column]!r} is not one of {', '.join(allowed)}"
            )
    text = row["value"].strip()
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(path, line, f"value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise DataFileError(path, line, f"value {text!r} is not a finite number")
    if value < 0:
        raise DataFileError(path, line, f"value {text} is negative")
    if row["status"] == "derived" and not row["derivation"].strip():
        raise DataFileError(path, line, "a derived figure needs its derivation")
    url = row["source_url"].strip()
    if url and not url.startswith(("http://", "https://")):
        raise DataFileError(path, line, f"source_url {url!r} is not an http(s) address")
    return Figure(
        period=row["period"],
        partner=row["partner"],
        metric=row["metric"],
        value=value,
        decimals=_decimals(text),
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


def load_file(path: Path) -> list[Figure]:
    """Read and check one data file; raise :class:`DataFileError` on the first problem."""
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8", skipinitialspace=True
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DataFileError(path, None, f"not a readable UTF-8 CSV file ({error})") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DataFileError(path, 1, f"missing column(s): {', '.join(missing)}")
    columns = [*COLUMNS, "series"] if "series" in frame.columns else list(COLUMNS)
    frame = frame[columns]
    first_line: dict[tuple[str, ...], int] = {}
    figures = []
    for offset, values in enumerate(frame.itertuples(index=False, name=None)):
        line = offset + 2  # line 1 is the header
        row = dict(zip(columns, (str(v) for v in values), strict=True))
        key = tuple(row[c].strip() for c in columns)
        if key in first_line:
            raise DataFileError(path, line, f"exact duplicate of line {first_line[key]}")
        first_line[key] = line
        figures.append(parse_row(path, line, row))
    return figures


def load_folder(folder: Path) -> list[Figure]:
    """Load every ``*.csv`` in ``folder``; any bad file rejects the whole load."""
    if not folder.is_dir():
        raise DataFileError(folder, None, "data folder not found")
    paths = sorted(folder.glob("*.csv"))
    if not paths:
        raise DataFileError(folder, None, "no *.csv data files in the folder")
    figures: list[Figure] = []
    for path in paths:
        figures.extend(load_file(path))
    return figures
