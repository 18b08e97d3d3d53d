"""Reading official files into figures: China customs and UN Comtrade+ CSV exports.

:func:`read_import` checks a whole file before anything is recorded and raises
:class:`DataFileError` (file, line, reason) on the first problem. Customs figures of tariff
line 85051110 join the bot's series; Comtrade's HS 850511 is a broader product and becomes
the separate ``HS850511`` series. Quantities in kilograms become tonnes, exactly (decimal
arithmetic, no rounding).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES, DataFileError, Figure, parse_row
from bot.data.ledger import Batch
from bot.data.partner_map import SKIP, Mapped, PartnerTable
from bot.reading.periods import Period

CUSTOMS = "customs"
COMTRADE = "comtrade"
CUSTOMS_TITLE = "China Customs statistics (GACC query platform)"
CUSTOMS_URL = "http://stats.customs.gov.cn/"
COMTRADE_TITLE = "UN Comtrade+, HS 850511 (broader than 85051110)"
COMTRADE_URL = "https://comtradeplus.un.org/"
PROGRESS_EVERY = 1000

#: (rows checked, rows in the file), called every ``PROGRESS_EVERY`` rows.
Progress = Callable[[int, int], None]

CUSTOMS_COLUMNS = (
    "数据年月",
    "商品编码",
    "贸易伙伴编码",
    "贸易伙伴名称",
    "第一数量",
    "第一计量单位",
)
CUSTOMS_VALUES = {"美元": "usd", "人民币": "cny"}
#: Columns that split a partner's month into parts (summed), as the platform can export them.
CUSTOMS_BREAKDOWNS = ("注册地编码", "注册地名称", "贸易方式编码", "贸易方式名称", "运输方式")
CUSTOMS_FLOWS = ("进出口", "贸易流向")
KILOGRAMS = {"千克": Decimal(1000), "公斤": Decimal(1000), "kg": Decimal(1000)}
TONNES = {"吨": Decimal(1), "t": Decimal(1)}
COMTRADE_COLUMNS = (
    "typeCode",
    "freqCode",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "flowCode",
    "partnerCode",
    "cmdCode",
    "netWgt",
    "primaryValue",
)
#: Comtrade breakdowns that must be their totals (0, or C00 for customs procedure).
COMTRADE_TOTALS = {"partner2Code": "0", "motCode": "0", "customsCode": "C00"}

_GROUPED = re.compile(r"-?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d{1,3})?")  # 1e9999999 overflows
_CUSTOMS_MONTH = re.compile(r"(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?")


@dataclass
class Table:
    """A CSV file's header and rows, each row with its line number."""

    path: Path
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


@dataclass
class _Totals:
    """Figures summed over a file's breakdown rows, keyed by (period, partner, metric)."""

    values: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)
    lines: dict[tuple[str, str, str], int] = field(default_factory=dict)
    notes: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: Figures the source marks as its own estimate: low reliability.
    estimated: set[tuple[str, str, str]] = field(default_factory=set)

    def add(
        self,
        key: tuple[str, str, str],
        value: Decimal,
        line: int,
        note: str = "",
        estimated: bool = False,
    ) -> None:
        self.values[key] = self.values.get(key, Decimal(0)) + value
        self.lines.setdefault(key, line)
        if note:
            self.notes[key] = note
        if estimated:
            self.estimated.add(key)


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise DataFileError(path, None, "an Excel or zip file; save the sheet as CSV first")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataFileError(path, None, "not text in UTF-8 or GBK")


def read_table(path: Path, raw: bytes) -> Table:
    """Decode and split a CSV file; ragged rows and empty files are errors."""
    text = _decode(path, raw)
    if "\x00" in text:
        raise DataFileError(path, None, "not a text file (it contains NUL bytes)")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if not any(header):
            raise DataFileError(path, None, "the file is empty")
        repeated = sorted({h for h in header if header.count(h) > 1})
        if repeated:
            raise DataFileError(path, 1, f"column(s) named twice: {', '.join(repeated)}")
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise DataFileError(
                    path, reader.line_num, f"{len(cells)} fields where the header has {len(header)}"
                )
            rows.append(
                (reader.line_num, {h: c.strip() for h, c in zip(header, cells, strict=True)})
            )
    except csv.Error as error:
        raise DataFileError(path, reader.line_num, f"not valid CSV ({error})") from None
    if not rows:
        raise DataFileError(path, 2, "the header is there but no data rows follow")
    return Table(path, header, rows)


def detect_format(table: Table) -> str:
    columns = set(table.header)
    if "数据年月" in columns or "商品编码" in columns:
        return CUSTOMS
    if "cmdCode" in columns or "reporterCode" in columns:
        return COMTRADE
    raise DataFileError(
        table.path,
        1,
        "not a China customs export (数据年月, 商品编码, …) nor a UN Comtrade+ CSV "
        "(typeCode, freqCode, …)",
    )


def _require(table: Table, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in table.header]
    if missing:
        raise DataFileError(table.path, 1, f"missing column(s): {', '.join(missing)}")


def number(table: Table, line: int, column: str, text: str) -> Decimal:
    """A non-negative number; thousands separators allowed (``1,234.5``)."""
    if not (_GROUPED.fullmatch(text) or _PLAIN.fullmatch(text)):
        shown = text or "empty"
        raise DataFileError(table.path, line, f"{column} {shown!r} is not a number")
    value = Decimal(text.replace(",", "").replace("，", ""))
    if value < 0:
        raise DataFileError(table.path, line, f"{column} {text} is negative")
    return value


def _month(table: Table, line: int, text: str, today: date) -> str:
    match = _CUSTOMS_MONTH.fullmatch(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise DataFileError(
            table.path, line, f"数据年月 {text!r} is not a month such as 202506 or 2025年06月"
        )
    year, month = int(match[1]), int(match[2])
    if (year, month) > (today.year, today.month):
        raise DataFileError(table.path, line, f"数据年月 {text} is in the future")
    return Period.month(year, month).code


def _exact(value: Decimal) -> str:
    """The decimal as written, without exponent or trailing zeros: 353480 kg → "353.48"."""
    return format(value.normalize(), "f")


class _Partners:
    """Maps partners and remembers what it could not map or was told to skip."""

    def __init__(self, table: PartnerTable) -> None:
        self.table = table
        self.unmapped: dict[str, int] = {}
        self.skipped: list[str] = []

    def resolve(self, line: int, found: Mapped | None, shown: str) -> str | None:
        if found is None:
            self.unmapped.setdefault(shown, line)
            return None
        if found.code == SKIP:
            self.skipped.append(f"line {line}: {shown} ({found.note or 'not a country'})")
            return None
        return found.code

    def check(self, path: Path, skip_unmapped: bool) -> None:
        if not self.unmapped:
            return
        listed = "; ".join(f"{name} (line {line})" for name, line in self.unmapped.items())
        if skip_unmapped:
            self.skipped += [
                f"line {line}: {name} (unmapped)" for name, line in self.unmapped.items()
            ]
            return
        raise DataFileError(
            path,
            min(self.unmapped.values()),
            f"unmapped partner(s): {listed}. Add them to data/mappings/partners.csv, "
            "or import with --skip-unmapped to leave them out",
        )


def _progress(
    rows: list[tuple[int, dict[str, str]]], progress: Progress | None
) -> Iterator[tuple[int, dict[str, str]]]:
    for count, item in enumerate(rows, 1):
        yield item
        if progress is not None and (count % PROGRESS_EVERY == 0 or count == len(rows)):
            progress(count, len(rows))


def _customs(table: Table, partners: _Partners, today: date, progress: Progress | None) -> _Totals:
    _require(table, CUSTOMS_COLUMNS)
    value_columns = [c for c in CUSTOMS_VALUES if c in table.header]
    if not value_columns:
        raise DataFileError(table.path, 1, "missing column: 美元 (US dollars) or 人民币 (yuan)")
    breakdowns = [c for c in CUSTOMS_BREAKDOWNS if c in table.header]
    flows = [c for c in CUSTOMS_FLOWS if c in table.header]
    totals = _Totals()
    seen: dict[tuple[str, ...], int] = {}
    for line, row in _progress(table.rows, progress):
        period = _month(table, line, row["数据年月"], today)
        if row["商品编码"] != CUSTOMS_SERIES:
            raise DataFileError(
                table.path, line, f"商品编码 {row['商品编码']!r} is not {CUSTOMS_SERIES}"
            )
        for column in flows:
            if row[column] != "出口":
                raise DataFileError(
                    table.path, line, f"{column} {row[column]!r} is not 出口 (exports)"
                )
        unit = row["第一计量单位"]
        divisor = KILOGRAMS.get(unit) or TONNES.get(unit)
        if divisor is None:
            raise DataFileError(table.path, line, f"第一计量单位 {unit!r} is not 千克 (kg) or 吨")
        quantity = number(table, line, "第一数量", row["第一数量"])
        values = {c: number(table, line, c, row[c]) for c in value_columns}
        name = row["贸易伙伴名称"]
        found = partners.table.by_name(name) or partners.table.by_code(row["贸易伙伴编码"], False)
        code = partners.resolve(line, found, f"贸易伙伴 {name} ({row['贸易伙伴编码']})")
        key = (period, row["贸易伙伴编码"], name, *(row[c] for c in breakdowns))
        if key in seen:
            raise DataFileError(
                table.path, line, f"repeats line {seen[key]} (same month and partner)"
            )
        seen[key] = line
        if code is None:
            continue
        note = f"sum of rows by {', '.join(breakdowns)}" if breakdowns else ""
        totals.add((period, code, "tonnes"), quantity / divisor, line, note)
        for column, amount in values.items():
            totals.add((period, code, CUSTOMS_VALUES[column]), amount, line, note)
    return totals


def _comtrade(table: Table, partners: _Partners, today: date, progress: Progress | None) -> _Totals:
    _require(table, COMTRADE_COLUMNS)
    expected = {"typeCode": "C", "freqCode": "M", "reporterCode": "156", "flowCode": "X"}
    meaning = {
        "typeCode": "goods",
        "freqCode": "monthly",
        "reporterCode": "China",
        "flowCode": "exports",
    }
    totals = _Totals()
    seen: dict[tuple[str, str], int] = {}
    for line, row in _progress(table.rows, progress):
        for column, wanted in expected.items():
            if row[column] != wanted:
                raise DataFileError(
                    table.path,
                    line,
                    f"{column} {row[column]!r} is not {wanted} ({meaning[column]})",
                )
        if row["cmdCode"] != "850511":
            raise DataFileError(table.path, line, f"cmdCode {row['cmdCode']!r} is not 850511")
        for column, total in COMTRADE_TOTALS.items():
            if column in row and row[column] not in ("", total):
                raise DataFileError(
                    table.path,
                    line,
                    f"{column} {row[column]!r} is a breakdown; download totals ({total})",
                )
        year, month = row["refYear"], row["refMonth"]
        if not (year.isdigit() and month.isdigit() and row["period"] == f"{year}{int(month):02d}"):
            raise DataFileError(
                table.path,
                line,
                f"period {row['period']!r} does not match refYear {year!r}, refMonth {month!r}",
            )
        period = _month(table, line, row["period"], today)
        found = (
            partners.table.by_code(row.get("partnerISO", ""), False)
            or partners.table.by_code(row["partnerCode"], True)
            or partners.table.by_name(row.get("partnerDesc", ""))
        )
        shown = f"partner {row.get('partnerDesc') or row['partnerCode']} ({row['partnerCode']})"
        code = partners.resolve(line, found, shown)
        if (period, row["partnerCode"]) in seen:
            raise DataFileError(
                table.path,
                line,
                f"repeats line {seen[(period, row['partnerCode'])]} (same month and partner)",
            )
        seen[(period, row["partnerCode"])] = line
        value = number(table, line, "primaryValue", row["primaryValue"])
        weight = number(table, line, "netWgt", row["netWgt"]) if row["netWgt"] else None
        if code is None:
            continue
        totals.add((period, code, "usd"), value, line)
        if weight is not None:  # an empty netWgt is unknown, never zero
            estimated = row.get("isNetWgtEstimated", "").lower() in ("true", "1")
            note = "net weight estimated by UN Comtrade" if estimated else ""
            totals.add((period, code, "tonnes"), weight / 1000, line, note, estimated)
    return totals


@dataclass(frozen=True)
class _Format:
    read: Callable[[Table, _Partners, date, Progress | None], _Totals]
    title: str
    url: str
    series: str


FORMATS = {
    CUSTOMS: _Format(_customs, CUSTOMS_TITLE, CUSTOMS_URL, CUSTOMS_SERIES),
    COMTRADE: _Format(_comtrade, COMTRADE_TITLE, COMTRADE_URL, COMTRADE_SERIES),
}


def read_import(
    path: Path,
    data_dir: Path,
    today: date,
    skip_unmapped: bool = False,
    progress: Progress | None = None,
) -> Batch:
    """Check ``path`` whole and return its figures; raise :class:`DataFileError` if bad."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(path, None, f"cannot be read ({error.strerror})") from None
    table = read_table(path, raw)
    kind = detect_format(table)
    form = FORMATS[kind]
    partners = _Partners(PartnerTable.load(data_dir))
    totals = form.read(table, partners, today, progress)
    partners.check(path, skip_unmapped)
    if not totals.values:
        raise DataFileError(path, None, "no figures left to import")
    figures = tuple(_make_figure(path, totals, key, form) for key in totals.values)
    return Batch(
        file_name=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        source=form.title,
        format=kind,
        series=form.series,
        figures=figures,
        skipped=tuple(partners.skipped),
    )


def _make_figure(path: Path, totals: _Totals, key: tuple[str, str, str], form: _Format) -> Figure:
    period, partner, metric = key
    note = totals.notes.get(key, "")
    row = {
        "period": period,
        "partner": partner,
        "metric": metric,
        "value": _exact(totals.values[key]),
        "status": "reported",
        "reliability": "low" if key in totals.estimated else "official",
        "source_title": f"{form.title}: {path.name}",
        "source_url": form.url,
        "derivation": "",
        "note": note,
        "series": form.series,
    }
    return parse_row(path, totals.lines[key], row)
