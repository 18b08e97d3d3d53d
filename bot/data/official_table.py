"""An official file as a table of text, and the checks of its cells that both formats share.

The file is decoded (UTF-8 or GBK, with or without BOM) and split into rows of the header's
width; a problem is a :class:`~bot.data.problems.DataFileError` with the file, the line and the
reason, said where it is found (:class:`~bot.i18n.Said`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.data.problems import DataFileError, missing_columns, negative, not_a_number, quoted
from bot.i18n import Said, said
from bot.reading.periods import Period

_GROUPED = re.compile(r"-?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d{1,3})?")  # 1e9999999 overflows
_CUSTOMS_MONTH = re.compile(r"(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?")


@dataclass
class Table:
    """A CSV file's header and rows, each row with its line number."""

    path: Path
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def decode(path: Path, raw: bytes) -> str:
    """The file's text, in UTF-8 or GBK (a workbook is told to be saved as CSV)."""
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        problem = said("an Excel or zip file; save the sheet as CSV first")
        raise DataFileError(path, None, problem)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataFileError(path, None, said("not text in UTF-8 or GBK"))


def read_table(path: Path, raw: bytes) -> Table:
    """Decode and split a CSV file; ragged rows and empty files are errors."""
    text = decode(path, raw)
    if "\x00" in text:
        raise DataFileError(path, None, said("not a text file (it contains NUL bytes)"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if not any(header):
            raise DataFileError(path, None, said("the file is empty"))
        repeated = tuple(sorted({h for h in header if header.count(h) > 1}))
        if repeated:
            raise DataFileError(path, 1, said("column(s) named twice: {columns}", columns=repeated))
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problem = said(
                    "{found} fields where the header has {width}",
                    found=len(cells),
                    width=len(header),
                )
                raise DataFileError(path, reader.line_num, problem)
            rows.append(
                (reader.line_num, {h: c.strip() for h, c in zip(header, cells, strict=True)})
            )
    except csv.Error as error:
        problem = said("not valid CSV ({detail})", detail=str(error))
        raise DataFileError(path, reader.line_num, problem) from None
    if not rows:
        raise DataFileError(path, 2, said("the header is there but no data rows follow"))
    return Table(path, header, rows)


def require(table: Table, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in table.header]
    if missing:
        raise DataFileError(table.path, 1, missing_columns(missing))


def number(table: Table, line: int, column: str, text: str) -> Decimal:
    """A non-negative number; thousands separators allowed (``1,234.5``)."""
    if not text:
        problem = said("{column} 'empty' is not a number", column=column)
        raise DataFileError(table.path, line, problem)
    if not (_GROUPED.fullmatch(text) or _PLAIN.fullmatch(text)):
        raise DataFileError(table.path, line, not_a_number(column, quoted(text)))
    value = Decimal(text.replace(",", "").replace("，", ""))
    if value < 0:
        raise DataFileError(table.path, line, negative(column, text))
    return value


def month_of(table: Table, line: int, text: str, today: date) -> str:
    """The period code of a month as the file writes it (``202506``, ``2025年06月``), not in
    the future (named 数据年月 in every format, as customs' column is)."""
    match = _CUSTOMS_MONTH.fullmatch(text)
    if not match or not 1 <= int(match[2]) <= 12:
        problem = said(
            "{column} {value} is not a month such as 202506 or 2025年06月",
            column="数据年月",
            value=quoted(text),
        )
        raise DataFileError(table.path, line, problem)
    year, month = int(match[1]), int(match[2])
    if (year, month) > (today.year, today.month):
        problem = said("{column} {value} is in the future", column="数据年月", value=text)
        raise DataFileError(table.path, line, problem)
    return Period.month(year, month).code


def not_expected(
    row: dict[str, str], column: str, wanted: str, meaning: Said | None = None
) -> Said:
    """``cmdCode '850519' is not 850511``, ``flowCode 'M' is not X (exports)``."""
    if meaning is None:
        value = quoted(row[column])
        return said(
            "{column} {value} is not {expected}", column=column, value=value, expected=wanted
        )
    return said(
        "{column} {value} is not {expected} ({meaning})",
        column=column,
        value=quoted(row[column]),
        expected=wanted,
        meaning=meaning,
    )


def repeats(line: int) -> Said:
    return said("repeats line {line} (same month and partner)", line=line)
