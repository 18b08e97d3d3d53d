"""Reading official files into figures: China customs and UN Comtrade+ CSV exports.

:func:`read_import` checks a whole file before anything is recorded and raises
:class:`DataFileError` (file, line, reason) on the first problem. Customs figures of tariff
line 85051110 join the bot's series; Comtrade's HS 850511 is a broader product and becomes
the separate ``HS850511`` series. Quantities in kilograms become tonnes, exactly (decimal
arithmetic, no rounding).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES, DataFileError, Figure, parse_row
from bot.data.ledger import Batch
from bot.data.official_table import (
    Table,
    month_of,
    not_expected,
    number,
    read_table,
    repeats,
    require,
)
from bot.data.partner_map import SKIP, Mapped, PartnerTable
from bot.data.problems import quoted
from bot.i18n import Clauses, Said, said

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


def detect_format(table: Table) -> str:
    columns = set(table.header)
    if "数据年月" in columns or "商品编码" in columns:
        return CUSTOMS
    if "cmdCode" in columns or "reporterCode" in columns:
        return COMTRADE
    problem = said(
        "not a China customs export ({customs}, …) nor a UN Comtrade+ CSV ({comtrade}, …)",
        customs=("数据年月", "商品编码"),
        comtrade=("typeCode", "freqCode"),
    )
    raise DataFileError(table.path, 1, problem)


def _exact(value: Decimal) -> str:
    """The decimal as written, without exponent or trailing zeros: 353480 kg → "353.48"."""
    return format(value.normalize(), "f")


class _Partners:
    """Maps partners and remembers what it could not map or was told to skip."""

    def __init__(self, table: PartnerTable) -> None:
        self.table = table
        self.unmapped: dict[Said, int] = {}
        self.skipped: list[str] = []

    def resolve(self, line: int, found: Mapped | None, shown: Said) -> str | None:
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
        if skip_unmapped:
            self.skipped += [
                f"line {line}: {name} (unmapped)" for name, line in self.unmapped.items()
            ]
            return
        listed = Clauses(
            said("{partner} (line {line})", partner=name, line=line)
            for name, line in self.unmapped.items()
        )
        problem = said(
            "unmapped partner(s): {partners}. Add them to {table}, or import with {option} to "
            "leave them out",
            partners=listed,
            table="data/mappings/partners.csv",
            option="--skip-unmapped",
        )
        raise DataFileError(path, min(self.unmapped.values()), problem)


def _progress(
    rows: list[tuple[int, dict[str, str]]], progress: Progress | None
) -> Iterator[tuple[int, dict[str, str]]]:
    for count, item in enumerate(rows, 1):
        yield item
        if progress is not None and (count % PROGRESS_EVERY == 0 or count == len(rows)):
            progress(count, len(rows))


def _customs(table: Table, partners: _Partners, today: date, progress: Progress | None) -> _Totals:
    require(table, CUSTOMS_COLUMNS)
    value_columns = [c for c in CUSTOMS_VALUES if c in table.header]
    if not value_columns:
        problem = said(
            "missing column: {usd} (US dollars) or {cny} (yuan)", usd="美元", cny="人民币"
        )
        raise DataFileError(table.path, 1, problem)
    breakdowns = [c for c in CUSTOMS_BREAKDOWNS if c in table.header]
    flows = [c for c in CUSTOMS_FLOWS if c in table.header]
    totals = _Totals()
    seen: dict[tuple[str, ...], int] = {}
    for line, row in _progress(table.rows, progress):
        period = month_of(table, line, row["数据年月"], today)
        if row["商品编码"] != CUSTOMS_SERIES:
            raise DataFileError(table.path, line, not_expected(row, "商品编码", CUSTOMS_SERIES))
        for column in flows:
            if row[column] != "出口":
                problem = said(
                    "{column} {value} is not 出口 (exports)",
                    column=column,
                    value=quoted(row[column]),
                )
                raise DataFileError(table.path, line, problem)
        unit = row["第一计量单位"]
        divisor = KILOGRAMS.get(unit) or TONNES.get(unit)
        if divisor is None:
            problem = said(
                "{column} {value} is not 千克 (kg) or 吨", column="第一计量单位", value=quoted(unit)
            )
            raise DataFileError(table.path, line, problem)
        quantity = number(table, line, "第一数量", row["第一数量"])
        values = {c: number(table, line, c, row[c]) for c in value_columns}
        name = row["贸易伙伴名称"]
        found = partners.table.by_name(name) or partners.table.by_code(row["贸易伙伴编码"], False)
        shown = said("贸易伙伴 {name} ({code})", name=name, code=row["贸易伙伴编码"])
        code = partners.resolve(line, found, shown)
        key = (period, row["贸易伙伴编码"], name, *(row[c] for c in breakdowns))
        if key in seen:
            raise DataFileError(table.path, line, repeats(seen[key]))
        seen[key] = line
        if code is None:
            continue
        note = f"sum of rows by {', '.join(breakdowns)}" if breakdowns else ""
        totals.add((period, code, "tonnes"), quantity / divisor, line, note)
        for column, amount in values.items():
            totals.add((period, code, CUSTOMS_VALUES[column]), amount, line, note)
    return totals


def _comtrade(table: Table, partners: _Partners, today: date, progress: Progress | None) -> _Totals:
    require(table, COMTRADE_COLUMNS)
    expected = {"typeCode": "C", "freqCode": "M", "reporterCode": "156", "flowCode": "X"}
    meaning = {
        "typeCode": said("goods"),
        "freqCode": said("monthly"),
        "reporterCode": said("China"),
        "flowCode": said("exports"),
    }
    totals = _Totals()
    seen: dict[tuple[str, str], int] = {}
    for line, row in _progress(table.rows, progress):
        for column, wanted in expected.items():
            if row[column] != wanted:
                raise DataFileError(
                    table.path, line, not_expected(row, column, wanted, meaning[column])
                )
        if row["cmdCode"] != "850511":
            raise DataFileError(table.path, line, not_expected(row, "cmdCode", "850511"))
        for column, total in COMTRADE_TOTALS.items():
            if column in row and row[column] not in ("", total):
                problem = said(
                    "{column} {value} is a breakdown; download totals ({total})",
                    column=column,
                    value=quoted(row[column]),
                    total=total,
                )
                raise DataFileError(table.path, line, problem)
        year, month = row["refYear"], row["refMonth"]
        if not (year.isdigit() and month.isdigit() and row["period"] == f"{year}{int(month):02d}"):
            problem = said(
                "{column} {value} does not match {year_column} {year}, {month_column} {month}",
                column="period",
                value=quoted(row["period"]),
                year_column="refYear",
                year=quoted(year),
                month_column="refMonth",
                month=quoted(month),
            )
            raise DataFileError(table.path, line, problem)
        period = month_of(table, line, row["period"], today)
        found = (
            partners.table.by_code(row.get("partnerISO", ""), False)
            or partners.table.by_code(row["partnerCode"], True)
            or partners.table.by_name(row.get("partnerDesc", ""))
        )
        shown = said(
            "partner {name} ({code})",
            name=row.get("partnerDesc") or row["partnerCode"],
            code=row["partnerCode"],
        )
        code = partners.resolve(line, found, shown)
        if (period, row["partnerCode"]) in seen:
            raise DataFileError(table.path, line, repeats(seen[(period, row["partnerCode"])]))
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
        problem = said("cannot be read ({reason})", reason=str(error.strerror))
        raise DataFileError(path, None, problem) from None
    table = read_table(path, raw)
    kind = detect_format(table)
    form = FORMATS[kind]
    partners = _Partners(PartnerTable.load(data_dir))
    totals = form.read(table, partners, today, progress)
    partners.check(path, skip_unmapped)
    if not totals.values:
        raise DataFileError(path, None, said("no figures left to import"))
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
